#!/usr/bin/env bash
# Runs a JDK >= 25, found the way bin/ss-exporter finds one: $JAVA_HOME when it is 25 or newer,
# else the newest /usr/lib/jvm/* that is. The machine's default `java` may be older.
#
#   bench/java.sh [java args...]     exec that java
#   bench/java.sh --print-path       print the path of its `java` binary
set -euo pipefail
min=25

feature_of() {  # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_java() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  local d
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}/bin/java"); done
  local j v
  for j in "${candidates[@]}"; do
    [[ -x "$j" ]] || continue
    v="$(feature_of "$j")"
    if [[ -n "$v" && "$v" -ge "$min" ]]; then echo "$j"; return 0; fi
  done
  echo "bench/java.sh: no JDK >= $min in JAVA_HOME or /usr/lib/jvm; install one or set JAVA_HOME" >&2
  return 1
}

java="$(find_java)"
if [[ "${1:-}" == "--print-path" ]]; then echo "$java"; exit 0; fi
exec "$java" "$@"
