#!/usr/bin/env bash
# One command per figure (docs/BENCHMARKS.md):
#   bench/run.sh intake            intake throughput and p99 batch latency vs plain JDBC
#   bench/run.sh startup           start-up time and RSS after 100 000 determinations; JDK 17, JDK 25 and AOT-cache restarts beside
#   bench/run.sh suppression       drain of 20 000 PENDING rows to ADDED, and to VERIFIED with read-back, against an SFMC stand-in (50 ms)
#   bench/run.sh export            export of a 1 000 000-row run with -Xmx256m vs PostgreSQL COPY of the same queries
#   bench/run.sh consent           bulk validation of 10 000 keys against a SOAP stand-in (50 ms) vs one Retrieve per key
#   bench/run.sh memory            peak RSS under 200 000 determinations then 20 000 suppressions, image settings, 512 MiB emulated
#   bench/run.sh scale             intake (vs plain JDBC) and flush with 0, 1 000 000 and 5 000 000 earlier determinations
#   bench/run.sh console           console pages, p50/p95 per page with 1 000 000 ledger rows and a backlog, signed in as a browser
#   bench/run.sh all               every figure
# Options: --smoke (tiny data: checks the harness works, judges no speed), --repeats N, --jfr
# (profile the service while measuring; recordings in bench/target/results).
# Needs a JDK 17+ and PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) unless
# BENCH_PG_URL (jdbc:postgresql://host:port/), BENCH_PG_USER, BENCH_PG_PASSWORD say otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -eq 0 ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
  echo "bench: building the service jar (./mvnw -B -DskipTests package)"
  ./mvnw -B -q -DskipTests package
fi

# The start-up figure's JDK 25 variants: a JDK 25 and the aot-jar build in target/aot with its AOT cache,
# trained (bin/train-aot.sh) on a throwaway PostgreSQL database. Without a JDK 25 they are left out.
jdk25=${JDK25_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)}
aot_props=
if [[ " $* " == *" startup "* || " $* " == *" memory "* || " $* " == *" all "* ]]; then
  if [[ -n "$jdk25" && -x "$jdk25/bin/java" ]] && "$jdk25/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
    if [[ ! -f target/aot/app.aot || target/aot/app.aot -ot target/quarkus-app/quarkus-run.jar ]]; then
      echo "bench: building the aot-jar (target/aot) and training its AOT cache with $jdk25"
      ./mvnw -B -q -DskipTests package -Daot -Dquarkus.package.output-directory=aot
      pg_base=${BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432/}
      pg_hostport=${pg_base#jdbc:postgresql://}
      pg_hostport=${pg_hostport%%/*}
      train_db=bench_aot_train_$$
      psql_admin() { PGPASSWORD=${BENCH_PG_PASSWORD:-} psql -q -h "${pg_hostport%%:*}" -p "${pg_hostport##*:}" -U "${BENCH_PG_USER:-postgres}" -d postgres -c "$1"; }
      psql_admin "CREATE DATABASE $train_db"
      JAVA_HOME=$jdk25 TRAIN_PG_URL="${pg_base%/}/$train_db" TRAIN_PG_USER="${BENCH_PG_USER:-postgres}" TRAIN_PG_PASSWORD="${BENCH_PG_PASSWORD:-}" \
        TRAIN_AOT_JVM_OPTS=-XX:+UseG1GC bash bin/train-aot.sh target/aot || { psql_admin "DROP DATABASE $train_db"; exit 1; }
      psql_admin "DROP DATABASE $train_db WITH (FORCE)"
    fi
    aot_props="-Dbench.jdk25=$jdk25/bin/java -Dbench.aot-jar=$PWD/target/aot/quarkus-run.jar"
  else
    echo "bench: no JDK 25 (JDK25_HOME, /usr/lib/jvm/*25*): the start-up figure measures JDK 17 only"
  fi
fi

./mvnw -B -q -f bench/pom.xml compile exec:exec -Dbench.args="$*" ${aot_props:+"-Dbench.jvm=-Xmx1g $aot_props"}
