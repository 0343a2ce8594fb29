#!/usr/bin/env bash
# Builds the trimmed Java runtime ss-exporter runs on in the container image.
#
#   deploy/jlink.sh JDK_HOME JAR OUTPUT_DIR
#
# 1. Checks that deploy/jlink-modules.txt has every module `jdeps` says the shaded JAR needs.
# 2. Links those modules into OUTPUT_DIR (no debug info, headers or man pages).
# 3. Writes the runtime's default CDS archive for compact object headers, the layout the image's
#    entrypoint runs with (-XX:+UseCompactObjectHeaders), so -Xshare:auto maps it; jlink's own
#    --generate-cds-archive makes only the archives for the default layout.
#
# The Dockerfile runs this; so does JlinkRuntimeIT, on the jar the build just made.
set -euo pipefail

if (($# != 3)); then
    echo "usage: $0 JDK_HOME JAR OUTPUT_DIR" >&2
    exit 2
fi
jdk=$1
jar=$2
out=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list="$here/jlink-modules.txt"

for tool in jlink jdeps java; do
    [[ -x "$jdk/bin/$tool" ]] || { echo "jlink.sh: $jdk/bin/$tool not found; JDK_HOME must be a JDK 25 or newer" >&2; exit 1; }
done
[[ -f "$jar" ]] || { echo "jlink.sh: $jar not found" >&2; exit 1; }
[[ ! -e "$out" ]] || { echo "jlink.sh: $out already exists; jlink needs a new directory" >&2; exit 1; }

# Modules from the list: comments and blank lines dropped.
mapfile -t modules < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$list")
((${#modules[@]})) || { echo "jlink.sh: $list lists no module" >&2; exit 1; }

# What the code needs, found statically. --ignore-missing-deps: the jar carries optional
# integrations (OpenTelemetry tracing, javax.annotation) whose classes are never loaded.
needed=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar")
missing=()
for m in ${needed//,/ }; do
    printf '%s\n' "${modules[@]}" | grep -qxF "$m" || missing+=("$m")
done
if ((${#missing[@]})); then
    echo "jlink.sh: jdeps says $jar needs ${missing[*]}, which $list does not list; add it there" >&2
    exit 1
fi

joined=$(IFS=,; echo "${modules[*]}")
"$jdk/bin/jlink" \
    --add-modules "$joined" \
    --strip-debug \
    --no-header-files \
    --no-man-pages \
    --compress=zip-6 \
    --output "$out"

"$out/bin/java" -XX:+UseCompactObjectHeaders -Xshare:dump >/dev/null
"$out/bin/java" -XX:+UseCompactObjectHeaders -Xshare:on -version >/dev/null 2>&1 \
    || { echo "jlink.sh: the CDS archive in $out does not map" >&2; exit 1; }
echo "jlink.sh: $out: modules $joined; $(du -sh "$out" | cut -f1)"
