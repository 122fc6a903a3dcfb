#!/usr/bin/env bash
# The Java-world anchor (issue 14): JeroMQ 0.6.0 (pure-Java ZeroMQ) against Sprocket in one run, on tcp loopback,
# PUSH/PULL throughput and REQ/REP latency at 64 B, 1 KiB and 64 KiB, implementations alternating cell by cell.
# Both run the same class (io.sprocket.cli.perf.JavaAnchorPerf in sprocket-cli's test tree; JeroMQ is a test-scope
# dependency, never shipped) on the same JVM with the same options, one process per side. Written as the section
# "bench-anchor.sh" of docs/benchmarks.md, with charts docs/img/bench-anchor-{throughput,latency}.svg.
#
#   scripts/bench-anchor.sh [--quick] [--reps N] [--sizes "64 1024 65536"] [--out FILE]
#
# --quick    one repetition with counts / 20: proves the script works (2-3 minutes: 12 JVM pairs); not a result
# --reps N   repetitions per cell (default 3); the tables show medians
# Environment: ANCHOR_JAVA_OPTS, JVM options for every process (default none: the JVM's own defaults, full JIT
# and G1, for both implementations; `bin/sprocket perf` runs C1 only with the serial collector, so its figures in
# the bench.sh sections differ from the Sprocket column here).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"
COMMAND=$(quote_command scripts/bench-anchor.sh "$@")
REPS=3 SIZES="64 1024 65536" OUT="$ROOT/docs/benchmarks.md" DIV=1 QUICK=
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-60}
while [ $# -gt 0 ]; do
    [ "$1" = --quick ] && QUICK=1 DIV=20   # and one repetition (bench_option)
    if bench_option "$0" "$@"; then shift "$SHIFT"; continue; fi
    case "$1" in
        --sizes) SIZES=$2; shift ;;
        *) echo "bench-anchor.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
# the counts of bench.sh, so that each run lasts about 0.5-2 s
thr_count() { case $1 in 64) echo $((300000 / DIV)) ;; 1024) echo $((200000 / DIV)) ;; 65536) echo $((20000 / DIV)) ;; *) echo $((400000000 / ($1 + 1024) / DIV)) ;; esac; }
lat_count() { case $1 in 65536) echo $((5000 / DIV)) ;; *) echo $((20000 / DIV)) ;; esac; }

work_dir sprocket-bench-anchor
CLI="$ROOT/sprocket-cli"
log "compiling sprocket-cli's tests (JavaAnchorPerf) and its test class path..."
(cd "$ROOT" && mvn -q -B -ntp -pl sprocket-cli -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/anchor.classpath) >&2
CP="$CLI/target/test-classes:$CLI/target/classes:$(cat "$CLI/target/anchor.classpath")"
# shellcheck disable=SC2206
JVM=(java ${ANCHOR_JAVA_OPTS:-} $(fork_jvm_args) -Dio.netty.leakDetection.level=disabled -cp "$CP" io.sprocket.cli.perf.JavaAnchorPerf)

RUN_NO=0
# measure KIND SIZE IMPL: sets VALUE (msg/s or us) or FAIL. thr: PUSH dials and sends, PULL listens and reports;
# the sender stays up after sending (it has no way to learn the receiver is done) and is ended here.
measure() {
    local kind=$1 size=$2 impl=$3 count port url lpid dpid rc_l=0 rc_d=0 lout dout value
    RUN_NO=$((RUN_NO + 1))
    if [ "$kind" = thr ]; then count=$(thr_count "$size"); else count=$(lat_count "$size"); fi
    port=$(free_port)
    url="tcp://127.0.0.1:$port"
    lout="$WORK/$RUN_NO.listener" dout="$WORK/$RUN_NO.dialer"
    timeout -k 3 "$RUN_TIMEOUT" "${JVM[@]}" "$impl" "local_$kind" "$url" "$size" "$count" >"$lout" 2>&1 &
    lpid=$!
    PIDS+=("$lpid")
    await_listener "$lpid" "$port"
    if [ "$kind" = thr ]; then
        timeout -k 3 "$RUN_TIMEOUT" "${JVM[@]}" "$impl" remote_thr "$url" "$size" "$count" >"$dout" 2>&1 &
        dpid=$!
        PIDS+=("$dpid")
        wait "$lpid" || rc_l=$?
        kill "$dpid" 2>/dev/null || true
        wait "$dpid" 2>/dev/null || true
        value=$(awk '/^throughput: .* \[msg\/s\]$/ {print $2}' "$lout")
    else
        timeout -k 3 "$RUN_TIMEOUT" "${JVM[@]}" "$impl" remote_lat "$url" "$size" "$count" >"$dout" 2>&1 || rc_d=$?
        wait "$lpid" || rc_l=$?
        value=$(awk '/^average latency: .* \[us\]$/ {print $3}' "$dout")
    fi
    PIDS=()
    if [ "$rc_l" -ne 0 ] || [ "$rc_d" -ne 0 ] || [ -z "$value" ]; then
        log "  FAILED ($kind $size $impl, exit $rc_l/$rc_d): $(tr '\n' ' ' <"$lout" | cut -c1-200) | $(tr '\n' ' ' <"$dout" | cut -c1-200)"
        value=FAIL
    fi
    VALUE=$value
}

declare -A RES
KEYS=()   # the cells in run order (the table of every repetition)
IMPLS="jeromq sprocket"
START=$(date +%s)
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
LOAD_BEFORE=$(load_average)
for rep in $(seq 1 "$REPS"); do
    for size in $SIZES; do
        for kind in thr lat; do
            for impl in $IMPLS; do
                measure "$kind" "$size" "$impl"
                [ -n "${RES[$kind,$size,$impl]:-}" ] || KEYS+=("$kind,$size,$impl")
                RES[$kind,$size,$impl]="${RES[$kind,$size,$impl]:-}${RES[$kind,$size,$impl]:+ }$VALUE"
                log "rep $rep/$REPS $kind $size B $impl: $VALUE $([ "$kind" = thr ] && echo msg/s || echo us)"
            done
        done
    done
done
ELAPSED=$(($(date +%s) - START)) LOAD_AFTER=$(load_average)

name() { case $1 in jeromq) echo JeroMQ ;; sprocket) echo Sprocket ;; esac; }
SECTION="$WORK/section.md"
{
    section_header "Java anchor: JeroMQ and Sprocket (tcp)" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| JeroMQ | org.zeromq:jeromq:0.6.0 |"
    echo "| Sprocket | $REVISION |"
    echo "| JVM options | \`${ANCHOR_JAVA_OPTS:-(JVM defaults)}\`, the same for both |"
    echo "| repetitions | $REPS per cell, alternating, median shown; the whole run took ${ELAPSED} s${QUICK:+; --quick: a smoke run with counts / $DIV, not a result} |"
    echo
    echo "\`io.sprocket.cli.perf.JavaAnchorPerf\` (sprocket-cli's test tree) runs both implementations, one process per"
    echo "side on tcp loopback. Throughput: PUSH dials and sends $(thr_count 64) (64 B), $(thr_count 1024) (1 KiB) or"
    echo "$(thr_count 65536) (64 KiB) messages after a start message; PULL listens and reports msg/s from the start message."
    echo "Latency: REQ dials and times $(lat_count 64) ($(lat_count 65536) for 64 KiB) round trips against REP's echo and"
    echo "reports half the average round trip. JeroMQ runs with its defaults (high-water marks 1000), Sprocket with"
    echo "the queue depths of \`sprocket perf\` (128)."
    for kind in thr lat; do
        echo
        if [ "$kind" = thr ]; then echo "### PUSH/PULL throughput (msg/s, higher is better)"
        else echo "### REQ/REP latency (µs one way, lower is better)"; fi
        echo
        echo "| size | JeroMQ | Sprocket | Sprocket / JeroMQ |"
        echo "|---|---:|---:|---:|"
        for size in $SIZES; do
            j=$(median "${RES[$kind,$size,jeromq]:-}") s=$(median "${RES[$kind,$size,sprocket]:-}")
            r=$(ratio "$s" "$j")
            echo "| $(human_size "$size") | $(kind_value "$j" "$kind") | $(kind_value "$s" "$kind") | ${r:-n/a}${r:+×} |"
        done
        echo
        echo "![$(kind_name "$kind") by message size, JeroMQ and Sprocket](img/bench-anchor-$(kind_name "$kind").svg)"
    done
    echo
    echo "### Every repetition"
    echo
    echo "| kind | size | implementation | values |"
    echo "|---|---|---|---|"
    for key in "${KEYS[@]}"; do
        IFS=, read -r kind size impl <<<"$key"
        echo "| $kind | $(human_size "$size") | $(name "$impl") | ${RES[$key]} |"
    done
} >"$SECTION"
for kind in thr lat; do
    if [ "$kind" = thr ]; then heading="PUSH/PULL throughput"; else heading="REQ/REP latency"; fi
    draw_chart "$kind" "$SECTION" "$heading" "JeroMQ,Sprocket" \
        "tcp $heading by message size, JeroMQ and Sprocket ($(date -u +%Y-%m-%d), $REVISION)" \
        "$(dirname "$OUT")/img/bench-anchor-$(kind_name "$kind").svg"
done
merge_section "bench-anchor.sh" "$OUT" "$SECTION"
log "wrote section \"bench-anchor.sh\" of ${OUT#"$ROOT"/} in ${ELAPSED} s"
sed -n '/^### PUSH\/PULL/,/^### Every repetition/p' "$SECTION" | grep '^|' >&2
