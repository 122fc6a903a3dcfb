#!/usr/bin/env bash
# Scale benchmarks of Sprocket (issue 14), written as the section "bench-scale.sh" of docs/benchmarks.md, with the
# figures in a machine-readable file (docs/data/bench-scale.tsv) and a chart (docs/img/bench-scale-reqrep.svg):
#   (a) N idle WebSocket connections on one listener (default 10,000): the listener is `sprocket perf pub_fanout
#       --role pub --subscribers N ws://127.0.0.1:P/ 64 1`; the clients are scripts/peers-extra/wsidle.c (raw ws
#       SUB connections from one C thread with epoll, built here with gcc into target/perf-bin). Recorded: accepts/s
#       (N / first-to-last 101 answer; and over the second half of the connections, when the listener's JIT has
#       warmed up), the listener's CPU per accepted connection, the time to
#       broadcast one 64 B PUB message to all (publish start in the JVM to the last arrival, same clock), the
#       listener's heap after a full GC (jcmd GC.run, GC.heap_info) and RSS, all with N connections open;
#   (b) PUB fan-out to 1,000 subscribers and (c) REQ/REP with 1 / 16 / 256 contexts vs NNG: scripts/bench-protocols.sh
#       --subscribers 1000 --pairs "nng>nng sp>sp" (its tables are copied into this section).
#
#   scripts/bench-scale.sh [--quick] [--reps N] [--connections N] [--subscribers N] [--contexts "1 16 256"]
#                          [--parts "ws protocols"] [--out FILE] [--data FILE]
#
# --quick          200 connections, 100 subscribers, contexts "1 16", counts / 20, one repetition: proves the
#                  script works in well under a minute; its figures are not results
# --reps N         repetitions of the bench-protocols.sh cells (default 3)
# --connections N  idle ws connections (default 10000; `ulimit -n` is raised to the hard limit, which must exceed N)
# --inflight K     handshakes the client keeps in flight (default 32)
# --parts P        which parts to run (default "ws protocols")
# --out FILE       the report (default docs/benchmarks.md); --data FILE the figures (default docs/data/bench-scale.tsv)
#
# Goals (issue 14): heap after GC <= 256 MiB and >= 5,000 accepts/s with 10,000 connections; >= 1 M deliveries/s to
# 1,000 subscribers; REQ/REP >= 1.5x NNG at 1, 16 and 256 contexts. The clients' CPU seconds are reported next
# to the accept rate: if they approach the wall time, the clients were the limit, not the listener.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"
COMMAND=$(quote_command scripts/bench-scale.sh "$@")
REPS=3 CONNECTIONS=10000 INFLIGHT=32 SUBSCRIBERS=1000 CONTEXTS="1 16 256" PARTS="ws protocols" COUNT_DIV=1 QUICK=
OUT="$ROOT/docs/benchmarks.md" DATA="$ROOT/docs/data/bench-scale.tsv"
while [ $# -gt 0 ]; do
    # and one repetition (bench_option)
    [ "$1" = --quick ] && QUICK=1 CONNECTIONS=200 SUBSCRIBERS=100 CONTEXTS="1 16" COUNT_DIV=20
    if bench_option "$0" "$@"; then shift "$SHIFT"; continue; fi
    case "$1" in
        --connections) CONNECTIONS=$2; shift ;;
        --inflight) INFLIGHT=$2; shift ;;
        --subscribers) SUBSCRIBERS=$2; shift ;;
        --contexts) CONTEXTS=$2; shift ;;
        --parts) PARTS=$2; shift ;;
        --data) DATA=$2; shift ;;
        *) echo "bench-scale.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
has_part() { [[ " $PARTS " == *" $1 "* ]]; }

build_sprocket
BIN="$ROOT/target/perf-bin"
if has_part ws && ! build_peer wsidle; then
    log "bench-scale.sh: cannot build scripts/peers-extra/wsidle.c (need gcc and make)"; exit 2
fi
work_dir sprocket-bench-scale
START=$(date +%s)
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
LOAD_BEFORE=$(load_average)
FIGURES="$WORK/figures.tsv"
printf 'figure\tvalue\tunit\tgoal\n' >"$FIGURES"
figure() { printf '%s\t%s\t%s\t%s\n' "$1" "${2:-FAIL}" "$3" "${4:-}" >>"$FIGURES"; }
WS_MD="$WORK/ws.md" PROTO_MD="$WORK/protocols.md"
: >"$WS_MD"; : >"$PROTO_MD"

# ---- (a) idle ws connections -----------------------------------------------------------------------------------
# kib_used: the heap in use (KiB) from `jcmd GC.heap_info`: the sum of the "used" of each top-level space (serial:
# def new + tenured; G1: garbage-first heap; Parallel: PSYoungGen + ParOldGen).
kib_used() {
    awk '/^ [A-Za-z].* total [0-9]+K, used [0-9]+K/ && !/Metaspace|class space/ {
             for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v } }
         END { if (s) print s }' "$1"
}
run_ws() {
    local hard port url lpid rc=0 res="$WORK/ws.json"
    hard=$(ulimit -Hn)
    if [ "$hard" != unlimited ] && [ "$hard" -le $((CONNECTIONS + 1000)) ]; then
        log "bench-scale.sh: ulimit -Hn is $hard, too low for $CONNECTIONS connections (raise it, e.g. in /etc/security/limits.conf)"
        return 1
    fi
    if [ "$hard" = unlimited ]; then ulimit -n 65536; else ulimit -n "$hard"; fi
    port=$(free_port)
    url="ws://127.0.0.1:$port/"
    log "(a) $CONNECTIONS idle ws connections: listener on $url (ulimit -n $(ulimit -n))..."
    timeout -k 3 600 "$ROOT/bin/sprocket" perf pub_fanout --role pub --subscribers "$CONNECTIONS" "$url" 64 1 \
        >"$WORK/pub.out" 2>&1 &
    lpid=$!          # bin/sprocket execs java under timeout: the JVM is timeout's child
    PIDS+=("$lpid")
    await_listener "$lpid" "$port"
    local jpid
    jpid=$(pgrep -P "$lpid" java || true)
    [ -n "$jpid" ] || { log "bench-scale.sh: no JVM under pid $lpid"; cat "$WORK/pub.out" >&2; return 1; }
    local ticks0
    ticks0=$(awk '{print $14 + $15}' "/proc/$jpid/stat")   # the listener's CPU (user + system), clock ticks
    "$BIN/wsidle" --port "$port" --connections "$CONNECTIONS" --inflight "$INFLIGHT" --size 64 --out "$res" \
        --ready "$WORK/ready" --release "$WORK/release" --timeout 120 &
    local cpid=$!
    PIDS+=("$cpid")
    while [ ! -e "$WORK/ready" ] && kill -0 "$cpid" 2>/dev/null; do sleep 0.2; done
    [ -e "$WORK/ready" ] || { log "bench-scale.sh: the ws clients ended early"; return 1; }
    local cpu_ticks
    cpu_ticks=$(( $(awk '{print $14 + $15}' "/proc/$jpid/stat") - ticks0 ))
    log "(a) all clients report; full GC and heap of the listener (pid $jpid) with the connections open..."
    jcmd "$jpid" GC.run >/dev/null
    jcmd "$jpid" GC.heap_info >"$WORK/heap.txt"
    local heap rss
    heap=$(kib_used "$WORK/heap.txt")
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$jpid/status")
    touch "$WORK/release"
    wait "$cpid" || rc=$?
    wait "$lpid" || rc=$?
    PIDS=()
    local start
    start=$(awk '/^publish start: / {print $3}' "$WORK/pub.out")
    python3 - "$res" "${start:-0}" "${heap:-}" "${rss:-}" "$CONNECTIONS" "$cpu_ticks" "$(getconf CLK_TCK)" \
        >"$WORK/ws.vals" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
start, heap, rss, n = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
span = (r["last_101"] - r["first_101"]) / 1e9
accepts = (r["connections"] - 1) / span if span > 0 and r["connections"] > 1 else 0
late = (r["last_101"] - r["middle_101"]) / 1e9
warm = (r["connections"] // 2) / late if late > 0 else 0
cpu_us = int(sys.argv[6]) / int(sys.argv[7]) * 1e6 / r["connections"] if r["connections"] else 0
bcast = (r["last_arrival"] - start) / 1e6 if start and r["messages"] else 0
first = (r["first_arrival"] - start) / 1e6 if start and r["messages"] else 0
vals = [r["connections"], r["failed"], "%.0f" % accepts, "%.3f" % span, "%.1f" % bcast, "%.1f" % first,
        r["messages"], "%.1f" % (int(heap) / 1024) if heap else "", "%.1f" % (int(rss) / 1024) if rss else "",
        r["client_connect_cpu_s"], "%.0f" % warm, "%.0f" % cpu_us, "; ".join(r["failures"])[:200]]
print("\x1f".join(str(v) for v in vals))  # not a tab: read would merge empty fields
EOF
    local conns failed accepts span bcast first msgs heapm rssm ccpu warm cpu_us why
    IFS=$'\x1f' read -r conns failed accepts span bcast first msgs heapm rssm ccpu warm cpu_us why <"$WORK/ws.vals"
    log "(a) $conns connections ($failed failed), $accepts accepts/s, broadcast ${bcast} ms, heap ${heapm} MiB, RSS ${rssm} MiB"
    [ "$rc" -eq 0 ] || log "bench-scale.sh: a ws process exited with $rc: $(tr '\n' ' ' <"$WORK/pub.out" | cut -c1-300)"
    figure ws_connections "$conns" connections "$CONNECTIONS"
    figure ws_failed "$failed" connections 0
    figure ws_accepts_per_s "$accepts" "accepts/s" ">= 5000"
    figure ws_accepts_per_s_second_half "$warm" "accepts/s" ""
    figure ws_listener_cpu_per_accept_us "$cpu_us" "us" ""
    figure ws_broadcast_ms "$bcast" ms ""
    figure ws_messages_arrived "$msgs" messages "$CONNECTIONS"
    figure ws_heap_after_gc_mib "$heapm" MiB "<= 256"
    figure ws_rss_mib "$rssm" MiB ""
    {
        echo "### $CONNECTIONS idle WebSocket connections on one listener"
        echo
        echo "\`sprocket perf pub_fanout --role pub --subscribers $CONNECTIONS ws://127.0.0.1:P/ 64 1\` waits for"
        echo "$CONNECTIONS pipes and publishes one 64 B message; \`scripts/peers-extra/wsidle.c\` opens the connections"
        echo "from one C thread with epoll (raw WebSocket, subprotocol \`pub.sp.nanomsg.org\`, $INFLIGHT handshakes in flight),"
        echo "and times each 101 answer and each arrival with CLOCK_MONOTONIC, the clock of the JVM's \`System.nanoTime()\`."
        echo "The listener's JVM starts cold (\`bin/sprocket perf\`: C1 only), so the first connections also pay for"
        echo "its JIT; the second-half rate is the same run's last $((CONNECTIONS / 2)) answers. The listener's CPU is"
        echo "its user + system time from the first connection to the last arrival, per connection. The last arrival is"
        echo "when the client read the message: an upper bound of the broadcast, since the client reads its sockets one"
        echo "by one on the same cores as the listener. Heap: \`jcmd GC.run\` then \`GC.heap_info\` (used, all"
        echo "generations) with every connection still open."
        echo
        echo "| figure | value | goal |"
        echo "|---|---:|---|"
        echo "| connections open (failed) | $conns ($failed) | $CONNECTIONS |"
        echo "| accepts/s (first to last 101 answer, ${span} s) | $accepts | ≥ 5000 |"
        echo "| accepts/s, second half of the connections | $warm | |"
        echo "| listener CPU per connection (µs: accept, upgrade, pipe, and its share of the broadcast) | $cpu_us | |"
        echo "| client's CPU while connecting (s, sharing the cores with the listener) | $ccpu | far below the span × cores |"
        echo "| broadcast: publish start → first / last arrival (ms) | $first / $bcast | |"
        echo "| messages arrived | $msgs | $CONNECTIONS |"
        echo "| listener heap after full GC (MiB) | $heapm | ≤ 256 |"
        echo "| listener RSS (MiB) | $rssm | |"
        [ -z "$why" ] || echo "| first failures | $why | |"
        echo
    } >"$WS_MD"
}

# ---- (b) and (c): bench-protocols.sh ---------------------------------------------------------------------------
# md_cell FILE HEADING-PREFIX ROW-KEY COLUMN-HEADER: one cell of the Markdown table under the heading
md_cell() {
    awk -v h="$2" -v row="$3" -v col="$4" -F' *\\| *' '
        index($0, h) == 1 { on = 1; next }
        on && /^### / { exit }
        on && /^\|/ { if (!hdr) { for (i = 2; i < NF; i++) if ($i == col) c = i; hdr = 1; next }
                      if ($2 == row && c) { print $c; exit } }' "$1"
}
run_protocols() {
    local args=(--subscribers "$SUBSCRIBERS" --contexts "$CONTEXTS" --pairs "nng>nng sp>sp" --reps "$REPS"
        --count-div "$COUNT_DIV" --out "$WORK/protocols-report.md")
    log "(b, c) scripts/bench-protocols.sh ${args[*]}"
    "$ROOT/scripts/bench-protocols.sh" "${args[@]}" || { log "bench-scale.sh: bench-protocols.sh failed"; return 1; }
    local sec="$WORK/protocols-section.md"
    sed -n '/^### PUB fan-out, paced/,/^### Every repetition/p' "$WORK/protocols-report.md" | sed '$d' | sed 's/^### /#### /' >"$sec"
    local paced unpaced n sp nng
    paced=$(md_cell "$sec" "#### PUB fan-out, paced" Sprocket deliveries/s)
    unpaced=$(md_cell "$sec" "#### PUB fan-out, unpaced" "Sprocket→Sprocket" deliveries/s)
    figure fanout_paced_deliveries_per_s "$paced" "deliveries/s" ">= 1000000"
    figure fanout_unpaced_deliveries_per_s "$unpaced" "deliveries/s" ""
    for n in $CONTEXTS; do
        sp=$(md_cell "$sec" "#### REQ/REP with contexts" "$n" "Sprocket→Sprocket")
        nng=$(md_cell "$sec" "#### REQ/REP with contexts" "$n" "NNG→NNG")
        figure "reqrep_${n}ctx_sprocket_req_per_s" "$sp" "req/s" ""
        figure "reqrep_${n}ctx_nng_req_per_s" "$nng" "req/s" ""
        figure "reqrep_${n}ctx_ratio" "$(ratio "$sp" "$nng")" "Sprocket/NNG" ">= 1.5"
    done
    mkdir -p "$(dirname "$OUT")/img"
    python3 "$ROOT/scripts/lib/svgchart.py" --from-md "$sec" --table "REQ/REP with contexts" \
        --columns "NNG→NNG=NNG,Sprocket→Sprocket=Sprocket" --log --xlabel "contexts" \
        --ylabel "requests/s, higher is better" --title "REQ/REP requests/s by contexts ($(date -u +%Y-%m-%d), $REVISION)" \
        --out "$(dirname "$OUT")/img/bench-scale-reqrep.svg" >/dev/null || log "bench-scale.sh: no REQ/REP chart"
    {
        echo "### PUB fan-out to $SUBSCRIBERS subscribers, REQ/REP with contexts (tcp)"
        echo
        echo "From \`$(quote_command scripts/bench-protocols.sh "${args[@]:0:${#args[@]}-2}")\` (its text explains each table)."
        echo
        cat "$sec"
        echo "![REQ/REP requests/s by contexts](img/bench-scale-reqrep.svg)"
        echo
    } >"$PROTO_MD"
}

has_part ws && { run_ws || figure ws_run FAIL "" ""; }
has_part protocols && { run_protocols || figure protocols_run FAIL "" ""; }
ELAPSED=$(($(date +%s) - START))
LOAD_AFTER=$(load_average)

SECTION="$WORK/section.md"
{
    section_header "Scale: idle ws connections, PUB fan-out, REQ/REP contexts" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| NNG | $(dpkg-query -W -f '${Package} ${Version}' libnng1 2>/dev/null || echo unknown) |"
    echo "| Sprocket | $REVISION, launched as \`bin/sprocket perf\`${SPROCKET_JAVA_OPTS:+ with SPROCKET_JAVA_OPTS=\`$SPROCKET_JAVA_OPTS\`} |"
    echo "| run | ${ELAPSED} s${QUICK:+; --quick: a smoke run, not a result} |"
    echo "| figures | \`${DATA#"$ROOT"/}\` (tab-separated: figure, value, unit, goal) |"
    echo
    cat "$WS_MD" "$PROTO_MD"
} >"$SECTION"
merge_section "bench-scale.sh" "$OUT" "$SECTION"
mkdir -p "$(dirname "$DATA")"
cp "$FIGURES" "$DATA"
log "wrote section \"bench-scale.sh\" of ${OUT#"$ROOT"/} and ${DATA#"$ROOT"/} in ${ELAPSED} s"
column -t -s $'\t' "$FIGURES" >&2
