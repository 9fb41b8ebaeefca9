#!/usr/bin/env bash
# JMH micro-benchmarks (decoder + flow table on in-memory packets). Usage: bench/jmh.sh [JMH options, e.g. -f 1]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(scripts/find-jdk25.sh)"; export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
./mvnw -B -q -ntp clean test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "${@:-PipelineBench}"
