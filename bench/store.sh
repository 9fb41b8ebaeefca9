#!/usr/bin/env bash
# The guard's store: recordSecond latency (p50/p99/max over N calls), a day of seconds, database size per day.
# Usage: bench/store.sh [DIR (default /var/tmp)] [CALLS (default 2000)]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(scripts/find-jdk25.sh)"; export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.bwdoctor.bench.StoreBench \
    "${1:-/var/tmp}" "${2:-2000}"
