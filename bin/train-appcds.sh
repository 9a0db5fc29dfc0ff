#!/usr/bin/env bash
# Writes an AppCDS archive, app-cds.jsa, next to quarkus-run.jar from one training start of the
# service (embedded H2 in a throwaway directory, dry-run, nothing contacted), so later starts map
# the classes instead of loading and verifying them: about a quarter less CPU until ready
# (docs/BENCHMARKS.md, start-up). Use it with the same JVM and the same jar path:
#   bin/train-appcds.sh [quarkus-app directory, default target/quarkus-app]
#   java -XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa -jar target/quarkus-app/quarkus-run.jar
# A stale or foreign archive is not an error: the JVM says so once and starts without it.
set -euo pipefail

app=$(cd "${1:-target/quarkus-app}" && pwd)
port=${TRAIN_APPCDS_PORT:-18099}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ready() {
  # Plain bash, no curl: the runtime image may not have it.
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  local status
  read -r _ status _ <&3 || status=
  exec 3>&-
  [[ "$status" == 200 ]]
}

rm -f "$app/app-cds.jsa"
(cd "$work" && exec env QUARKUS_HTTP_PORT="$port" SUPPRESSION_MODE=dry-run DELIVERABLES_DIR="$work/runs" \
  java -XX:ArchiveClassesAtExit="$app/app-cds.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$app/quarkus-run.jar" >"$work/training.log" 2>&1) &
pid=$!
for _ in $(seq 1 600); do
  ready && break
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/training.log" >&2
    echo "train-appcds: the service exited during its training start" >&2
    exit 1
  fi
  sleep 0.1
done
ready || { kill "$pid"; cat "$work/training.log" >&2; echo "train-appcds: not ready within 60 s" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
[[ -s "$app/app-cds.jsa" ]] || { cat "$work/training.log" >&2; echo "train-appcds: no archive was written" >&2; exit 1; }
echo "train-appcds: wrote $app/app-cds.jsa ($(du -h "$app/app-cds.jsa" | cut -f1))"
