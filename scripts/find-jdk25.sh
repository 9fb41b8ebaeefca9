#!/usr/bin/env bash
# Prints the home of a JDK 25 or newer: $JAVA_HOME if it is one, else the first found under /usr/lib/jvm, else the
# java on the PATH. Exits 1 when there is none.
java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25* /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(java_major "$c")
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$c"; exit 0; fi
done
if command -v javac >/dev/null; then
    home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    v=$(java_major "$home")
    if [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$home"; exit 0; fi
fi
exit 1
