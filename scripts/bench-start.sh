#!/usr/bin/env bash
# Start-up cost of a one-shot CLI command: `bin/sprocket --req --dial tcp://127.0.0.1:P --data ping -A` against
# an `nngcat --rep --listen ... --data pong`, the same request from `nngcat --req` (-A prints the reply), and the
# JVM's floor (a hello-world class on the java and flags bin/sprocket uses), measured in one run, interleaved, and
# written to docs/benchmarks.md.
#
#   scripts/bench-start.sh [--quick] [--reps N] [--out FILE] [--no-write]
#
# --quick      one repetition (a smoke test)
# --reps N     runs per row (default 11); the table shows medians of wall time, CPU time (user + system, the
#              process and its threads) and maximum RSS
# --out FILE   the report to write into (default docs/benchmarks.md; the run replaces its own section)
# --no-write   print the table only
#
# Rows besides the three above show what each start-up step buys, in the same run. "sprocket" is bin/sprocket as
# a user runs it: with JAVA and JAVA_HOME unset it runs on the JDK 24+ of the build's AOT cache when one is
# installed in SPROCKET_JDKS (default /usr/lib/jvm; then a floor row on that JDK too, and rows undoing the warm-up
# thread, the I/O threads' end before exit and the epoll library unpacked beside the jar). The other rows choose the java of JAVA,
# JAVA_HOME or the PATH (JAVA=...: its class-data sharing archive), then undo one step each: the I/O threads' end,
# the unpacked epoll library (java.library.path pointed elsewhere), the one-shot JIT thresholds
# (CompileThresholdScaling=1), the archive (SPROCKET_CDS=off), and Netty's JFR events (the CLI before the first steps).
# Sprocket is built if its jar is missing or older than the sources. Wall time is noisy on a busy machine; CPU
# time much less so.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPS=11
OUT="$ROOT/docs/benchmarks.md"
WRITE=1
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"
COMMAND=$(quote_command scripts/bench-start.sh "$@")

while [ $# -gt 0 ]; do
    if bench_option "$0" "$@"; then shift "$SHIFT"; continue; fi
    case "$1" in
        --no-write) WRITE=0 ;;
        *) echo "bench-start.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

build_sprocket
work_dir sprocket-start
LOAD_BEFORE=$(load_average)

if [ -n "${JAVA:-}" ]; then java=$JAVA; elif [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
javac=$(dirname "$(readlink -f "$(command -v "$java")")")/javac

# The floor: a hello-world class with the flags bin/sprocket gives a one-shot command.
mkdir -p "$WORK/hello"
echo 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }' >"$WORK/hello/Hello.java"
"$javac" -d "$WORK/hello" "$WORK/hello/Hello.java"
floor_flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn16m"
major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${major%%.*}" -ge 24 ]; then
    floor_flags="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED $floor_flags"
fi

# the JDK of the build's AOT cache, as bin/sprocket finds it in SPROCKET_JDKS (default /usr/lib/jvm, empty: not
# looked for) with JAVA and JAVA_HOME unset (empty: none)
aot_java=
jdks=${SPROCKET_JDKS-/usr/lib/jvm}
if [ -z "${JAVA:-}" ] && [ -z "${JAVA_HOME:-}" ] && [ -n "$jdks" ]; then
    for cache in "$ROOT"/sprocket-cli/target/sprocket-cli-all-*.aot; do
        [ -f "$cache" ] || continue
        want=${cache##*/sprocket-cli-all-}
        want=${want%.aot}
        for rel in "$jdks"/*/release; do
            if grep -qx "JAVA_RUNTIME_VERSION=\"$want\"" "$rel" 2>/dev/null; then aot_java=$(dirname "$rel")/bin/java; break 2; fi
        done
    done
fi

port=$(free_port)
url=tcp://127.0.0.1:$port
req="$ROOT/bin/sprocket --req --dial $url --data ping -A"
# names and commands of the rows, in the order of the table (the JVM floor last: the ratios divide by it)
# SPROCKET_JAVA_OPTS of the rows that undo one step: the I/O threads left running at exit, the epoll library
# copied out of the jar (java.library.path elsewhere: bin/sprocket then does not set it)
keep_io="-Dsprocket.ioThreads.stopAtExit=false"
no_warm="-Dsprocket.cli.warm=false"
copy_lib="-Djava.library.path=/nonexistent"
names=("sprocket" "sprocket, JAVA=$java (CDS archive)" "sprocket, JAVA=$java, I/O threads left at exit (before)"
    "sprocket, JAVA=$java, epoll library copied from the jar (before)"
    "sprocket, JAVA=$java, JIT thresholds 1x (before)"
    "sprocket, JAVA=$java, no CDS archive" "sprocket, JAVA=$java, no archive, Netty JFR on (first steps undone)" "nngcat")
cmds=(
    "$req"
    "env JAVA=$java $req"
    "env JAVA=$java SPROCKET_JAVA_OPTS=$keep_io $req"
    "env JAVA=$java SPROCKET_JAVA_OPTS=$copy_lib $req"
    "env JAVA=$java SPROCKET_JAVA_OPTS=-XX:CompileThresholdScaling=1 $req"
    "env JAVA=$java SPROCKET_CDS=off $req"
    "env JAVA=$java SPROCKET_CDS=off SPROCKET_JAVA_OPTS=-Dio.netty.jfr.enabled=true $req"
    "nngcat --req --dial $url --data ping -A"
)
if [ -n "$aot_java" ]; then
    names+=("sprocket on the AOT cache's JDK, no warm-up thread (before)"
        "sprocket on the AOT cache's JDK, I/O threads left at exit (before)"
        "sprocket on the AOT cache's JDK, epoll library copied from the jar (before)")
    cmds+=("env -u JAVA -u JAVA_HOME SPROCKET_JDKS=$jdks SPROCKET_JAVA_OPTS=$no_warm $req"
        "env -u JAVA -u JAVA_HOME SPROCKET_JDKS=$jdks SPROCKET_JAVA_OPTS=$keep_io $req"
        "env -u JAVA -u JAVA_HOME SPROCKET_JDKS=$jdks SPROCKET_JAVA_OPTS=$copy_lib $req")
    names+=("JVM floor (hello world) on $aot_java")
    cmds+=("$aot_java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED $floor_flags -cp $WORK/hello Hello")
fi
names+=("JVM floor (hello world)")
cmds+=("$java $floor_flags -cp $WORK/hello Hello")
n=${#names[@]}

nngcat --rep --listen "$url" --data pong >/dev/null 2>&1 &
PIDS+=($!)
await_listener "$!" "$port"

# one_run CMD: prints "wall_ms cpu_ms rss_mb" (FAIL for all three if the command fails or prints no reply).
one_run() {
    local t0 t1 cpu rss
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S %M' -o "$WORK/time" $1 >"$WORK/out" 2>"$WORK/err" ||
        { [[ $1 == *--req* ]] && ! grep -q pong "$WORK/out"; }; then
        log "FAIL: $1: $(head -n 3 "$WORK/err")"
        echo "FAIL FAIL FAIL"
        return
    fi
    t1=$(date +%s%N)
    cpu=$(awk 'END {printf "%d", ($1 + $2) * 1000}' "$WORK/time")
    rss=$(awk 'END {printf "%.1f", $3 / 1024}' "$WORK/time")
    echo "$(((t1 - t0) / 1000000)) $cpu $rss"
}

declare -a wall cpu rss
for ((r = 1; r <= REPS; r++)); do
    log "round $r/$REPS"
    for ((i = 0; i < n; i++)); do
        read -r w c m < <(one_run "${cmds[$i]}")
        wall[$i]="${wall[$i]:-} $w"
        cpu[$i]="${cpu[$i]:-} $c"
        rss[$i]="${rss[$i]:-} $m"
    done
done
LOAD_AFTER=$(load_average)

floor_wall=$(median "${wall[$((n - 1))]}")
floor_cpu=$(median "${cpu[$((n - 1))]}")
table="$WORK/table.md"
{
    echo "| command | wall ms | CPU ms | max RSS MB | wall x floor | CPU x floor |"
    echo "|---|---:|---:|---:|---:|---:|"
    for ((i = 0; i < n; i++)); do
        w=$(median "${wall[$i]}"); c=$(median "${cpu[$i]}"); m=$(median "${rss[$i]}")
        echo "| ${names[$i]} | ${w:-FAIL} | ${c:-FAIL} | ${m:-FAIL} | $(ratio "$w" "$floor_wall") | $(ratio "$c" "$floor_cpu") |"
    done
} >"$table"
cat "$table"

if [ "$WRITE" = 1 ]; then
    section="$WORK/section.md"
    {
        section_header "CLI start: one request, medians of $REPS interleaved runs" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER"
        echo "| java of bin/sprocket | ${aot_java:-$java} ($("${aot_java:-$java}" -version 2>&1 | head -n 2 | tail -n 1))$([ -n "$aot_java" ] && echo ", with the build's AOT cache") |"
        echo "| java of the JAVA= rows and the floor | $java ($("$java" -version 2>&1 | head -n 2 | tail -n 1)) |"
        echo "| floor flags | \`$floor_flags\` |"
        echo
        echo "Each row runs once per round, rounds alternate rows; wall from the shell's clock, CPU = user + system"
        echo "time of the process (all its threads) from /usr/bin/time, RSS its maximum resident set. The goal (issue"
        echo "14) is wall <= 2x the floor on a quiet machine. \`JAVA=\` makes bin/sprocket run that java (with its"
        echo "class-data sharing archive, not the JDK 24+ AOT cache). Each \"(before)\" row undoes one step:"
        echo "\`$no_warm\` leaves the epoll library and Netty's annotation proxies to the main thread,"
        echo "\`$keep_io\` leaves the I/O threads in epoll_wait at exit (JDK 22+ then waits up to"
        echo "300 ms), \`$copy_lib\` makes Netty copy its epoll library out of the jar to /tmp,"
        echo "\`CompileThresholdScaling=1\` undoes the one-shot JIT thresholds (20), \`SPROCKET_CDS=off\` runs without"
        echo "the archive, \`-Dio.netty.jfr.enabled=true\` undoes the CLI's default (false)."
        echo
        cat "$table"
    } >"$section"
    merge_section bench-start.sh "$OUT" "$section"
    log "wrote $OUT"
fi
