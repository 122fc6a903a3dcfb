#!/usr/bin/env bash
# JMH micro-benchmarks of Sprocket's own code (no C peers). They live in sprocket-core's test tree (white-box,
# e.g. io.sprocket.transport.ws.WsCodecBenchmark); this compiles it, runs the benchmarks matching PATTERN
# (default: all) on the class path, and writes the results as the section "bench-jmh.sh" of docs/benchmarks.md
# (scripts/lib/report.sh).
#
#   scripts/bench-jmh.sh [--out FILE] [PATTERN] [-- extra JMH options]
#
# e.g. scripts/bench-jmh.sh WsCodec -- -f 1 -wi 1 -i 1 -r 1s -p size=64   (one short run: a smoke test)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"
OUT="$ROOT/docs/benchmarks.md"
PATTERN=.
COMMAND=$(quote_command scripts/bench-jmh.sh "$@")
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT=$2; shift ;;
        --) shift; break ;;
        -h|--help) print_help "$0"; exit 0 ;;
        *) PATTERN=$1 ;;
    esac
    shift
done

work_dir sprocket-jmh
CORE="$ROOT/sprocket-core"
# the test classes with JMH's generated harness, and the test class path (each module of the reactor writes its
# own target/jmh.classpath; core's is the one used). No install: the reactor resolves the test kit.
log "compiling sprocket-core's tests and benchmarks..."
(cd "$ROOT" && mvn -q -B -ntp -pl sprocket-core -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath) >&2
CP="$CORE/target/test-classes:$CORE/target/classes:$(cat "$CORE/target/jmh.classpath")"
LOAD_BEFORE=$(load_average)
# the forked JVMs get what bin/sprocket gives a JVM (fork_jvm_args), and no leak detection
java -cp "$CP" org.openjdk.jmh.Main "$PATTERN" -jvmArgsAppend "-Dio.netty.leakDetection.level=disabled $(fork_jvm_args)" \
    -rf text -rff "$WORK/result.txt" "$@" >&2
LOAD_AFTER=$(load_average)
{
    section_header "JMH micro-benchmarks" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| Sprocket | $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo -dirty) |"
    echo
    echo "One thread, no sockets; see each benchmark's Javadoc (\`sprocket-core/src/test/java/**/*Benchmark.java\`) for"
    echo "what one operation is. The error column is JMH's 99.9 % interval: wide when other work shares the 2 cores."
    echo
    echo '```'
    cat "$WORK/result.txt"
    echo '```'
} >"$WORK/section.md"
merge_section "bench-jmh.sh" "$OUT" "$WORK/section.md"
log "wrote section \"bench-jmh.sh\" of ${OUT#"$ROOT"/}"
