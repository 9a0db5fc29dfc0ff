#!/usr/bin/env bash
# One command per figure (docs/BENCHMARKS.md):
#   bench/run.sh intake            intake throughput and p99 batch latency vs plain JDBC
#   bench/run.sh startup           start-up time and RSS after 100 000 determinations; AppCDS and C1 restarts beside
#   bench/run.sh suppression       drain of 20 000 PENDING rows to ADDED against an SFMC stand-in (50 ms)
#   bench/run.sh export            export of a 1 000 000-row run with -Xmx256m vs PostgreSQL COPY of the same queries
#   bench/run.sh consent           bulk validation of 10 000 keys against a SOAP stand-in (50 ms) vs one Retrieve per key
#   bench/run.sh all               every figure
# Options: --smoke (tiny data: checks the harness works, judges no speed), --repeats N, --jfr
# (profile the service while measuring; recordings in bench/target/results).
# Needs a JDK 17+ and PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) unless
# BENCH_PG_URL (jdbc:postgresql://host:port/), BENCH_PG_USER, BENCH_PG_PASSWORD say otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -eq 0 ]]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
  echo "bench: building the service jar (./mvnw -B -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi

./mvnw -B -q -f bench/pom.xml compile exec:exec -Dbench.args="$*"
