#!/usr/bin/env bash
# Trains a JDK 25 AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) from one
# realistic start of the service, so later starts map what this start had to load, link and profile:
#   bin/train-aot.sh [quarkus-app directory, default target/quarkus-app] [output, default <dir>/app.aot]
#   cd target/quarkus-app && java -XX:AOTCache=app.aot -XX:+UseG1GC -jar quarkus-run.jar
# The jar must be built with the aot-jar packaging (`./mvnw package -Daot`): a fast-jar loads its classes
# through Quarkus's own class loader, which the AOT cache cannot hold.
#
# What the training start does (docs/BENCHMARKS.md, start-up): both built-in datasources active at once,
# so the cache holds the classes of the H2 driver and of pgjdbc, Flyway's H2 and PostgreSQL support and
# both migrations; it waits for /q/health/ready on the management port, posts one batch of determinations with a throwaway
# key, reads the status, then stops the service with SIGTERM (the JVM writes the cache as it exits).
# PostgreSQL: TRAIN_PG_URL/TRAIN_PG_USER/TRAIN_PG_PASSWORD (a database it may migrate and fill), or a
# throwaway cluster when initdb and pg_ctl are on the PATH (the image's training stage), else H2 only
# and it says so. Nothing else is contacted: dry-run, mock SFMC client.
# Needs a JDK 25+ `java` ($JAVA_HOME/bin/java or the PATH) and bash; no curl (the runtime image may
# not have it). The cache only fits the same JVM build and the same jar paths: run the service from
# the same directory with the same `java`. A stale or foreign cache is not an error: the JVM says so
# once and starts without it.
set -euo pipefail

app=$(cd "${1:-target/quarkus-app}" && pwd)
out=${2:-$app/app.aot}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
port=${TRAIN_AOT_PORT:-18098}
# Health answers on the management interface (docs/observability.md), a port of its own.
management_port=${TRAIN_AOT_MANAGEMENT_PORT:-18099}
work=$(mktemp -d)
pg_ctl_data=
cleanup() {
  [[ -n "$pg_ctl_data" ]] && pg_ctl -D "$pg_ctl_data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "train-aot: $*" >&2; }

feature=$("$java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -c ' AOTCacheOutput ' || true)
if [[ "$feature" == 0 ]]; then
  say "$("$java" -version 2>&1 | head -n 1) has no AOT cache (JDK 25+ needed); nothing written"
  exit 3
fi
# A fast-jar's manifest names only the Quarkus launcher; an aot-jar's lists every library (Class-Path).
if command -v unzip >/dev/null && ! unzip -p "$app/quarkus-run.jar" META-INF/MANIFEST.MF | grep -q '^Class-Path:'; then
  say "$app/quarkus-run.jar is not an aot-jar (build with ./mvnw package -Daot); nothing written"
  exit 3
fi

http() {
  # http METHOD PATH [BODY] [PORT] -> prints the status code. Plain bash, no curl.
  local body=${3:-} status
  { exec 3<>"/dev/tcp/127.0.0.1/${4:-$port}"; } 2>/dev/null || return 1
  printf '%s %s HTTP/1.0\r\nHost: localhost\r\nX-API-Key: train-aot-key\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&3
  read -r _ status _ <&3 || status=
  cat <&3 >/dev/null || true
  exec 3>&-
  echo "$status"
}

env=(QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$management_port" SUPPRESSION_MODE=dry-run DELIVERABLES_DIR="$work/runs"
  QUARKUS_DATASOURCE_H2_JDBC_URL="jdbc:h2:file:$work/h2/suppression;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
  SECURITY_API_KEYS_TRAIN_SHA256=$(printf 'train-aot-key' | sha256sum | cut -d' ' -f1)
  SECURITY_API_KEYS_TRAIN_ROLES=ingest,read
  SFMC_SUPPRESSION_LIST_MAPPING='{"Acme Weekly":"ASL_ACME"}')
pg_url=${TRAIN_PG_URL:-}
if [[ -z "$pg_url" ]] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  pg_ctl_data=$work/pg
  initdb -D "$pg_ctl_data" -U train --auth=trust >"$work/initdb.log" 2>&1
  pg_ctl -D "$pg_ctl_data" -o "-p 18432 -k $work -c listen_addresses=127.0.0.1" -w start >"$work/pg.log" 2>&1
  pg_url=jdbc:postgresql://127.0.0.1:18432/postgres
  TRAIN_PG_USER=train
fi
if [[ -n "$pg_url" ]]; then
  env+=(QUARKUS_PROFILE=prod,postgresql QUARKUS_DATASOURCE_H2_ACTIVE=true QUARKUS_DATASOURCE_PG_JDBC_URL="$pg_url"
    QUARKUS_DATASOURCE_PG_USERNAME="${TRAIN_PG_USER:-postgres}" QUARKUS_DATASOURCE_PG_PASSWORD="${TRAIN_PG_PASSWORD:-}")
  say "training on PostgreSQL ($pg_url) and H2 together"
else
  say "no PostgreSQL (set TRAIN_PG_URL or put initdb/pg_ctl on the PATH): training on H2 only; pgjdbc's classes load from the jar at run time"
fi

rm -f "$out"
# TRAIN_AOT_JVM_OPTS: the run's own options that shape the cache (the GC, for one), e.g. -XX:+UseG1GC.
# shellcheck disable=SC2086
(cd "$app" && exec env "${env[@]}" "$java" ${TRAIN_AOT_JVM_OPTS:-} -XX:AOTCacheOutput="$out" -Xlog:aot=error -Xlog:cds=error \
  -jar quarkus-run.jar >"$work/training.log" 2>&1) &
pid=$!
fail() { say "$1"; tail -n 30 "$work/training.log" >&2; kill -KILL "$pid" 2>/dev/null || true; exit 1; }
for _ in $(seq 1 1200); do
  [[ "$(http GET /q/health/ready "" "$management_port" 2>/dev/null)" == 200 ]] && break
  kill -0 "$pid" 2>/dev/null || fail "the service exited during its training start"
  sleep 0.1
done
[[ "$(http GET /q/health/ready "" "$management_port")" == 200 ]] || fail "not ready within 120 s"
batch='{"runDate":"2026-01-05","determinations":[{"id":"train-1","email":"inactive@example.org","determination":"INACTIVE","accountName":"Acme Weekly","businessUnit":"Marketing","receivedAt":"2026-01-05T10:00:00Z"},{"id":"train-2","email":"away@example.org","determination":"OUT_OF_OFFICE","accountName":"Acme Weekly","businessUnit":"Marketing","receivedAt":"2026-01-05T10:00:00Z","returnDate":"2026-01-20"}]}'
status=$(http POST /api/v1/runs/train-aot/determinations "$batch")
[[ "$status" == 202 ]] || say "the training batch answered $status, not 202 (the cache still holds the start)"
http GET /api/v1/status >/dev/null || true
kill -TERM "$pid"
wait "$pid" || true
[[ -s "$out" ]] || fail "no AOT cache was written"
say "wrote $out ($(du -h "$out" | cut -f1))"
