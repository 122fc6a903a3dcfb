#!/usr/bin/env bash
# JMH micro-benchmarks of Sprocket's own code (no C peers): builds sprocket-bench/target/benchmarks.jar if it is
# missing or older than the sources, runs the benchmarks matching PATTERN (default: all), and writes the
# results as the section "bench-jmh.sh" of docs/benchmarks.md (scripts/lib/report.sh).
#
#   scripts/bench-jmh.sh [--out FILE] [PATTERN] [-- extra JMH options]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/docs/benchmarks.md"
PATTERN=.
COMMAND="scripts/bench-jmh.sh $*"
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT=$2; shift ;;
        --) shift; break ;;
        -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        *) PATTERN=$1 ;;
    esac
    shift
done
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"

JAR="$ROOT/sprocket-bench/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT"/sprocket-core/src/main "$ROOT"/sprocket-bench/src -newer "$JAR" -type f -print -quit)" ]; then
    echo "building sprocket-bench..." >&2
    (cd "$ROOT" && { mvn -q -o -DskipTests -pl sprocket-bench -am install || mvn -q -DskipTests -pl sprocket-bench -am install; }) >&2
fi
WORK=$(mktemp -d /tmp/sprocket-jmh.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# the forked JVMs get what bin/sprocket gives a JVM: Netty needs sun.misc.Unsafe, denied by default on JDK 24+
FORK_ARGS="-Dio.netty.leakDetection.level=disabled"
major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${major%%.*}" -ge 24 ]; then
    FORK_ARGS+=" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
fi
java -jar "$JAR" "$PATTERN" -jvmArgsAppend "$FORK_ARGS" -rf text -rff "$WORK/result.txt" "$@" >&2
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "## JMH micro-benchmarks"
    echo
    echo "Produced by:"
    echo
    echo "    $COMMAND"
    echo
    facts_header "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| Sprocket | $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo -dirty) |"
    echo
    echo "One thread, no sockets; see each benchmark's Javadoc in \`sprocket-bench\` for what one operation is."
    echo "The error column is JMH's 99.9 % interval: wide when other work shares the 2 cores."
    echo
    echo '```'
    cat "$WORK/result.txt"
    echo '```'
} >"$WORK/section.md"
merge_section "bench-jmh.sh" "$OUT" "$WORK/section.md"
echo "wrote section \"bench-jmh.sh\" of ${OUT#"$ROOT"/}" >&2
