#!/usr/bin/env bash
# Protocol benchmarks of Sprocket against NNG: PUB fan-out to many SUB sockets, and REQ/REP with contexts,
# measured with the same tool on both sides (`sprocket perf pub_fanout|reqrep_ctx` and the C peer nngproto from
# scripts/peers-extra), written as a section of docs/benchmarks.md (scripts/lib/report.sh).
#
#   scripts/bench-protocols.sh [--quick] [--reps N] [--subscribers N] [--contexts "1 16 256"]
#                              [--pairs "nng>nng sp>sp sp>nng nng>sp"] [--count-div D] [--out FILE]
#
# --quick        one repetition (a smoke test; about a minute)
# --count-div D  divide every message and request count by D (default 1): for smoke runs that only prove the
#                script works (bench-scale.sh --quick); figures from such runs are mostly warm-up
# --reps N       repetitions per cell (default 3); the tables show medians, repetitions alternate
# --subscribers  SUB sockets in the fan-out runs (default 100)
# --contexts     the REP contexts (and REQ contexts, one REQ socket) of each REQ/REP row (default 1 16 256)
# --pairs P      which pairs to run, A>B: A publishes / answers (PUB, REP, listening), B subscribes / requests
#                (SUB, REQ, dialing); nng = nngproto, sp = Sprocket (bin/sprocket: C1 only), spj = Sprocket
#                with the full tiered JIT (SPROCKET_JIT=full); default the four without spj
# --out FILE     the report to write into (default docs/benchmarks.md)
#
# Every run is two processes on tcp loopback: the listening side (PUB or REP) and the dialing side (the N SUB
# sockets, or the REQ socket), each under a timeout. Needs gcc and libnng-dev, a JDK and Maven.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPS=3
SUBSCRIBERS=100
CONTEXTS="1 16 256"
PAIRS="nng>nng sp>sp sp>nng nng>sp"
OUT="$ROOT/docs/benchmarks.md"
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"
COMMAND=$(quote_command scripts/bench-protocols.sh "$@")
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-60}   # seconds per process
FANOUT_SIZE=64
COUNT_DIV=1
FANOUT_COUNT=20000                     # messages published per unpaced fan-out run (x subscribers deliveries)
FANOUT_WINDOW=64                       # paced runs: the publisher stays this many messages ahead at most
# messages per paced run, by implementation, so that each lasts a few seconds (NNG sustains ~55 k deliveries/s)
paced_count() { case $1 in nng) echo $((5000 / COUNT_DIV)) ;; *) echo $((20000 / COUNT_DIV)) ;; esac; }
REQREP_SIZE=64
reqrep_count() { case $1 in 1) echo $((10000 / COUNT_DIV)) ;; *) echo $((60000 / COUNT_DIV)) ;; esac; }

while [ $# -gt 0 ]; do
    if bench_option "$0" "$@"; then shift "$SHIFT"; continue; fi
    case "$1" in
        --subscribers) SUBSCRIBERS=$2; shift ;;
        --contexts) CONTEXTS=$2; shift ;;
        --count-div) COUNT_DIV=$2; shift ;;
        *) echo "bench-protocols.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

[[ $COUNT_DIV =~ ^[1-9][0-9]*$ ]] || { echo "bench-protocols.sh: --count-div takes a positive integer" >&2; exit 2; }
FANOUT_COUNT=$((FANOUT_COUNT / COUNT_DIV))

# ---- the C peer ---------------------------------------------------------------------------------------------
BIN="$ROOT/target/perf-bin"
if ! build_peer nngproto; then
    log "bench-protocols.sh: cannot build scripts/peers-extra/nngproto.c (need gcc, make and libnng-dev)"
    exit 1
fi

# ---- Sprocket ----------------------------------------------------------------------------------------------
build_sprocket
SPROCKET=("$ROOT/bin/sprocket")

# ---- one measurement ---------------------------------------------------------------------------------------
work_dir sprocket-bench-protocols

command_for() {
    case $1 in
        nng) CMD=("$BIN/nngproto") ;;
        sp) CMD=("${SPROCKET[@]}" perf) ;;
        spj) CMD=(env SPROCKET_JIT=full "${SPROCKET[@]}" perf) ;;
        spa) CMD=("${SPROCKET[@]}" perf) ;;   # paced fan-out only: measure_both adds --receive async
    esac
}

name() { case $1 in nng) echo NNG ;; sp) echo Sprocket ;; spj) echo "Sprocket (C2)" ;; spa) echo "Sprocket (async receive)" ;; esac; }
label() { echo "$(name "${1%>*}")→$(name "${1#*>}")"; }

RUN_NO=0
# measure MODE LISTENER DIALER SIZE COUNT OPTIONS...: the listener runs the PUB / REP role, the dialer the SUB /
# REQ role. Sets DOUT to the dialer's output file, or empty on failure.
measure() {
    local mode=$1 listener=$2 dialer=$3 size=$4 count=$5 lrole drole port url lpid rc_l=0 rc_d=0
    shift 5
    RUN_NO=$((RUN_NO + 1))
    if [ "$mode" = pub_fanout ]; then lrole=pub; drole=sub; else lrole=rep; drole=req; fi
    port=$(free_port)
    url="tcp://127.0.0.1:$port"
    local lout="$WORK/$RUN_NO.listener" dout="$WORK/$RUN_NO.dialer"
    command_for "$listener"
    timeout -k 3 "$RUN_TIMEOUT" "${CMD[@]}" "$mode" --role "$lrole" "$@" "$url" "$size" "$count" >"$lout" 2>&1 &
    lpid=$!
    PIDS+=("$lpid")
    await_listener "$lpid" "$port"
    command_for "$dialer"
    timeout -k 3 "$RUN_TIMEOUT" "${CMD[@]}" "$mode" --role "$drole" "$@" "$url" "$size" "$count" >"$dout" 2>&1 || rc_d=$?
    wait "$lpid" || rc_l=$?
    PIDS=()
    if [ "$rc_l" -ne 0 ] || [ "$rc_d" -ne 0 ]; then
        log "  FAILED ($mode $* $listener->$dialer, exit $rc_l/$rc_d): $(tr '\n' ' ' <"$lout" | cut -c1-200) | $(tr '\n' ' ' <"$dout" | cut -c1-200)"
        DOUT=
    else
        DOUT=$dout
        LOUT=$lout
    fi
}
# measure_both IMPL SIZE COUNT OPTIONS...: one process running pub_fanout --role both. Sets DOUT.
measure_both() {
    local impl=$1 size=$2 count=$3 rc=0 out
    shift 3
    RUN_NO=$((RUN_NO + 1))
    out="$WORK/$RUN_NO.both"
    command_for "$impl"
    [ "$impl" = spa ] && set -- "$@" --receive async
    timeout -k 3 "$RUN_TIMEOUT" "${CMD[@]}" pub_fanout "$@" "tcp://127.0.0.1:$(free_port)" "$size" "$count" >"$out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        log "  FAILED (pub_fanout $* $impl, exit $rc): $(tr '\n' ' ' <"$out" | cut -c1-300)"
        DOUT=
    else
        DOUT=$out
    fi
}
field() { # file awk-pattern field-number
    [ -n "$1" ] && awk -v f="$3" "$2 {print \$f}" "$1" | head -n 1 | grep . || echo FAIL
}

# ---- the matrix --------------------------------------------------------------------------------------------
declare -A RES
add() { RES[$1]="${RES[$1]:-}${RES[$1]:+ }$2"; }
START=$(date +%s)
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
LOAD_BEFORE=$(load_average)
IMPLS=$(for pair in $PAIRS; do echo "${pair%>*}" "${pair#*>}"; done | tr ' ' '\n' | awk '!seen[$0]++' | tr '\n' ' ')
# the paced fan-out also runs Sprocket's subscribers as async receives on the I/O threads (no thread each)
PACED_IMPLS=$IMPLS
[[ " $IMPLS " == *" sp "* ]] && PACED_IMPLS="$IMPLS spa"
for rep in $(seq 1 "$REPS"); do
    for impl in $PACED_IMPLS; do
        measure_both "$impl" "$FANOUT_SIZE" "$(paced_count "$impl")" --subscribers "$SUBSCRIBERS" --window "$FANOUT_WINDOW"
        d=$(field "$DOUT" '/^fan-out throughput: .* \[deliveries\/s\]$/' 3)
        x=$(field "$DOUT" '/^dropped: /' 2)
        add "paced,$impl,thr" "$d"; add "paced,$impl,drop" "$x"
        log "rep $rep/$REPS pub_fanout paced, $SUBSCRIBERS subscribers, $(name "$impl"): $d deliveries/s, $x dropped"
    done
    for pair in $PAIRS; do
        measure pub_fanout "${pair%>*}" "${pair#*>}" "$FANOUT_SIZE" "$FANOUT_COUNT" --subscribers "$SUBSCRIBERS"
        d=$(field "$DOUT" '/^fan-out throughput: .* \[deliveries\/s\]$/' 3)
        x=$(field "$DOUT" '/^dropped: /' 2)
        p=$( [ -n "$DOUT" ] && field "$LOUT" '/^publish rate: .* \[msg\/s\]$/' 3 || echo FAIL)
        add "fanout,$pair,thr" "$d"; add "fanout,$pair,drop" "$x"; add "fanout,$pair,pub" "$p"
        log "rep $rep/$REPS pub_fanout unpaced $SUBSCRIBERS subscribers ${pair/>/->}: $d deliveries/s, $x dropped, publish $p msg/s"
    done
    for n in $CONTEXTS; do
        for pair in $PAIRS; do
            measure reqrep_ctx "${pair%>*}" "${pair#*>}" "$REQREP_SIZE" "$(reqrep_count "$n")" --contexts "$n"
            r=$(field "$DOUT" '/^request rate: .* \[req\/s\]$/' 3)
            add "reqrep,$n,$pair" "$r"
            log "rep $rep/$REPS reqrep_ctx $n contexts ${pair/>/->}: $r req/s"
        done
    done
done
ELAPSED=$(($(date +%s) - START))
LOAD_AFTER=$(load_average)

# ---- the report --------------------------------------------------------------------------------------------
times() { local r; r=$(ratio "$1" "$2"); if [ -n "$r" ]; then echo "$r×"; else echo "n/a"; fi; }
fmt() { if [ -z "$1" ]; then echo FAIL; else awk -v v="$1" 'BEGIN {printf "%d", v}'; fi; }

SECTION="$WORK/section.md"
{
    section_header "Protocols: PUB fan-out and REQ/REP with contexts (tcp)" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| NNG | $(dpkg-query -W -f '${Package} ${Version}' libnng1 2>/dev/null || echo unknown) |"
    echo "| Sprocket | $REVISION, launched as \`bin/sprocket perf\`${SPROCKET_JAVA_OPTS:+ with SPROCKET_JAVA_OPTS=\`$SPROCKET_JAVA_OPTS\`} |"
    echo "| repetitions | $REPS per cell, alternating, median shown; the whole run took ${ELAPSED} s |"
    echo
    echo "Two processes on tcp loopback per run: \`A→B\` means A listens with the PUB (or REP) socket and B dials"
    echo "with the SUB sockets (or REQ socket). NNG's side is \`scripts/peers-extra/nngproto.c\` (libnng, the same"
    echo "command line and output as \`sprocket perf\`). Ratios compare medians from this run."
    echo
    echo "### PUB fan-out, paced: $SUBSCRIBERS SUB sockets, $FANOUT_SIZE B messages, one process"
    echo
    echo "One process per implementation (\`pub_fanout --role both --window $FANOUT_WINDOW\`): the PUB socket and $SUBSCRIBERS SUB"
    echo "sockets, one receiving thread each (\"async receive\": none; \`--receive async\`, each SUB socket received by a"
    echo "chain of \`receiveAsync\` whose callbacks run on its I/O thread), over tcp loopback. The publisher stays at most $FANOUT_WINDOW messages ahead of"
    echo "the slowest subscriber (it reads their counts; below the queue depth of 128, so nothing should drop) and"
    echo "publishes $(paced_count nng) (NNG) or $(paced_count sp) (Sprocket) messages: the rate the subscribers sustain."
    echo
    echo "| implementation | deliveries/s | dropped | vs NNG |"
    echo "|---|---:|---:|---:|"
    base=$(median "${RES[paced,nng,thr]:-}")
    for impl in $PACED_IMPLS; do
        t=$(median "${RES[paced,$impl,thr]:-}")
        echo "| $(name "$impl") | $(fmt "$t") | $(fmt "$(median "${RES[paced,$impl,drop]:-}")") | $(times "$t" "$base") |"
    done
    echo
    echo "### PUB fan-out, unpaced: $SUBSCRIBERS SUB sockets, $FANOUT_SIZE B messages, two processes"
    echo
    echo "The publisher waits for $SUBSCRIBERS pipes, then publishes $FANOUT_COUNT messages as fast as PUB takes them (PUB"
    echo "drops for a subscriber whose queue of 128 is full; it never waits). The subscriber process receives on"
    echo "one thread per SUB socket; deliveries/s counts messages received by all subscribers from the first"
    echo "reception to the last; dropped is $SUBSCRIBERS × $FANOUT_COUNT minus the deliveries."
    echo
    echo "| pair | deliveries/s | dropped (of $((SUBSCRIBERS * FANOUT_COUNT))) | publish rate (msg/s) | deliveries/s vs NNG→NNG |"
    echo "|---|---:|---:|---:|---:|"
    base=$(median "${RES[fanout,nng>nng,thr]:-}")
    for pair in $PAIRS; do
        t=$(median "${RES[fanout,$pair,thr]:-}")
        echo "| $(label "$pair") | $(fmt "$t") | $(fmt "$(median "${RES[fanout,$pair,drop]:-}")") | $(fmt "$(median "${RES[fanout,$pair,pub]:-}")") | $(times "$t" "$base") |"
    done
    echo
    echo "### REQ/REP with contexts: requests/s, $REQREP_SIZE B requests and replies"
    echo
    echo "The REP socket serves with N contexts (asynchronous receive, then send the request back); the REQ"
    echo "socket runs N contexts, each sending a request and awaiting its reply, $(reqrep_count 1) requests in all for"
    echo "N = 1, $(reqrep_count 16) otherwise. Sprocket's callbacks run on its I/O threads (\`complete-on-io-thread\`),"
    echo "as NNG's run on its own threads."
    echo
    printf '| contexts |'; for pair in $PAIRS; do printf ' %s |' "$(label "$pair")"; done; echo " Sprocket / NNG |"
    printf '|---:|'; for pair in $PAIRS; do printf -- '---:|'; done; echo '---:|'
    for n in $CONTEXTS; do
        printf '| %s |' "$n"
        for pair in $PAIRS; do printf ' %s |' "$(fmt "$(median "${RES[reqrep,$n,$pair]:-}")")"; done
        echo " $(times "$(median "${RES[reqrep,$n,sp>sp]:-}")" "$(median "${RES[reqrep,$n,nng>nng]:-}")") |"
    done
    echo
    echo "### Every repetition"
    echo
    echo "In run order; FAIL marks a run that exited non-zero, timed out or printed no result."
    echo
    echo "| benchmark | pair | values |"
    echo "|---|---|---|"
    for impl in $PACED_IMPLS; do
        echo "| paced fan-out deliveries/s | $(name "$impl") | ${RES[paced,$impl,thr]:-} |"
        echo "| paced fan-out dropped | $(name "$impl") | ${RES[paced,$impl,drop]:-} |"
    done
    for pair in $PAIRS; do
        echo "| unpaced fan-out deliveries/s | $(label "$pair") | ${RES[fanout,$pair,thr]:-} |"
        echo "| unpaced fan-out dropped | $(label "$pair") | ${RES[fanout,$pair,drop]:-} |"
    done
    for n in $CONTEXTS; do
        for pair in $PAIRS; do
            echo "| REQ/REP $n contexts req/s | $(label "$pair") | ${RES[reqrep,$n,$pair]:-} |"
        done
    done
} >"$SECTION"
merge_section "bench-protocols.sh" "$OUT" "$SECTION"
log "wrote section \"bench-protocols.sh\" of ${OUT#$ROOT/} in ${ELAPSED} s"
sed -n '/^### PUB fan-out, paced/,/^### Every repetition/p' "$SECTION" | sed '$d' >&2
