#!/usr/bin/env bash
# Compares two builds of Sprocket on one perf cell in alternating pairs (A then B, B then A, ...), so that the
# machine's drift hits both alike: prints the medians and the median of the per-pair ratio B/A with its range.
# For "did this change cost anything" on a noisy box; the same-run tables against NNG and nanomsg are bench.sh's.
#
#   scripts/bench-ab.sh [--reps N] [--perf OPTS] DIR_A DIR_B TRANSPORT SIZE COUNT thr|lat
#
# DIR_A, DIR_B   checkouts with a built jar (bin/sprocket); e.g. `git worktree add /tmp/before <rev>` and
#                `mvn -q -DskipTests package` there
# TRANSPORT      tcp, ipc or ws
# COUNT          messages (thr) or round trips (lat); pick one that lasts seconds (tcp 64 B: 3000000), else the
#                JIT's warm-up dominates and pairs scatter by +-20 %
# --reps N       pairs (default 8)
# --perf OPTS    options of `sprocket perf` for both sides of both builds, e.g. --perf "--zero-copy"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
REPS=8
PERF_OPTS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --reps) REPS=$2; shift 2 ;;
        --perf) read -r -a PERF_OPTS <<<"$2"; shift 2 ;;
        -h | --help) print_help "$0"; exit 0 ;;
        *) break ;;
    esac
done
[ $# -eq 6 ] || { print_help "$0" >&2; exit 2; }
A=$1 B=$2 T=$3 SIZE=$4 COUNT=$5 KIND=$6
work_dir bench-ab

run() { # run DIR: one local/remote pair of `sprocket perf`, prints msg/s (thr) or µs (lat)
    local bin=$1/bin/sprocket port url
    port=$(free_port)
    case $T in
        tcp) url=tcp://127.0.0.1:$port ;;
        ws) url=ws://127.0.0.1:$port/ ;;
        ipc) url=ipc://$WORK/ab$port.ipc ;;
        *) log "bench-ab.sh: unknown transport $T"; exit 2 ;;
    esac
    "$bin" perf ${PERF_OPTS[@]+"${PERF_OPTS[@]}"} "local_$KIND" "$url" "$SIZE" "$COUNT" >"$WORK/local" 2>&1 &
    PIDS=($!)
    if [ "$T" = ipc ]; then await_listener "${PIDS[0]}" "$WORK/ab$port.ipc"; else await_listener "${PIDS[0]}" "$port"; fi
    "$bin" perf ${PERF_OPTS[@]+"${PERF_OPTS[@]}"} "remote_$KIND" "$url" "$SIZE" "$COUNT" >"$WORK/remote" 2>&1
    wait "${PIDS[0]}"
    PIDS=()
    if [ "$KIND" = thr ]; then awk '/^throughput:/ {print $2; exit}' "$WORK/local"
    else awk '/^average latency:/ {print $3; exit}' "$WORK/remote"; fi
}

log "bench-ab.sh: $REPS pairs of $T $SIZE B $KIND ($COUNT), A=$A B=$B, load $(load_average)"
for r in $(seq "$REPS"); do
    if [ $((r % 2)) = 0 ]; then a=$(run "$A"); b=$(run "$B"); else b=$(run "$B"); a=$(run "$A"); fi
    echo "$a $b"
done | python3 -c '
import statistics as st, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if len(l.split()) == 2]
q = sorted(b / a for a, b in rows)
print("A median %.0f, B median %.0f, B/A per pair: median %.3f (range %.3f-%.3f, %d pairs)" % (
    st.median(r[0] for r in rows), st.median(r[1] for r in rows), st.median(q), q[0], q[-1], len(q)))'
