#!/usr/bin/env bash
# Throughput and latency of Sprocket against NNG and nanomsg, measured in one run with the same tool on every
# side (NNG's perf protocol: nngperf, nnperf and `sprocket perf`), and written to docs/benchmarks.md.
#
#   scripts/bench.sh [--quick] [--reps N] [--transports "tcp ipc"] [--sizes "64 1024 65536"]
#                    [--pairs "nng>nng nn>nn sp>sp sp>nng nng>sp"] [--out FILE]
#
# --quick      one repetition (a smoke test; about 3 minutes)
# --reps N     repetitions per cell (default 3); the tables show medians, repetitions alternate
# --transports which transports to run (default tcp ipc). ws is a run of its own (--transports ws), to keep each
#              run under ~10 minutes; each transport list is its own section of the report. ws listeners take
#              path / (nanomsg's no path, which its dialers send as /), so every pair sends the same request line
# --pairs P    which dialer>listener pairs to run (nng = nngperf, nn = nnperf, sp = Sprocket as bin/sprocket runs
#              it (C1 only); the opt-in modes of `sprocket perf`: spio = --io-thread (round trips on the I/O
#              thread), spzc = --zero-copy (pooled receive, direct send), spzcio = both; a j after any of them,
#              e.g. spj or spzcioj, runs it with the JVM's full tiered JIT, SPROCKET_JIT=full, as a long-running
#              service runs); default the five without the opt-in modes and j. The issue-14 bars take the best
#              Sprocket pair of the run (any sp* that runs against itself)
# --out FILE   the report to write into (default docs/benchmarks.md): the run replaces the section of the same
#              transports and keeps the others (scripts/lib/report.sh)
#
# Needs gcc, make, libnng-dev and libnanomsg-dev (Debian: apt-get install -y libnng-dev libnanomsg-dev), a JDK
# and Maven. The C peers are built from scripts/peers-extra (or $SPROCKET_PEERS) into target/perf-bin; Sprocket is
# built if its jar is missing or older than the sources. Each process runs under a timeout, so a hang costs one
# cell, not the run. Quote ratios from one report, never absolute msg/s across machines.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPS=3
TRANSPORTS="tcp ipc"
SIZES="64 1024 65536"
# dialer>listener; the interop pairs put Sprocket on each side of nngperf
PAIRS="nng>nng nn>nn sp>sp sp>nng nng>sp"
OUT="$ROOT/docs/benchmarks.md"
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"
COMMAND=$(quote_command scripts/bench.sh "$@")
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-40}   # seconds per process

while [ $# -gt 0 ]; do
    if bench_option "$0" "$@"; then shift "$SHIFT"; continue; fi
    case "$1" in
        --transports) TRANSPORTS=$2; shift ;;
        --sizes) SIZES=$2; shift ;;
        *) echo "bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

# Messages per throughput run and round trips per latency run: each run lasts about 2-5 s for the C peers, so that
# a JVM's warm-up (class loading, C1 compiling the hot path, the pools' first chunks) is a small part of a
# Sprocket run. Counts of 300,000 / 200,000 / 20,000 and 5,000 round trips at 64 KiB (runs of 0.3-1 s) were
# used until 2026-12-07; in them the warm-up decided the cell: tcp 64 KiB latency of `perf --io-thread
# --zero-copy` was 105-108 us at 5,000 round trips and 71-74 us at 50,000, nanomsg's 42-86 us at both
# (docs/benchmarks.md, "Hand-run: the cell lengths").
thr_count() { case $1 in 64) echo 1000000 ;; 1024) echo 500000 ;; 65536) echo 100000 ;; *) echo $((2000000000 / ($1 + 1024))) ;; esac; }
lat_count() { echo 20000; }

# ---- the C peers --------------------------------------------------------------------------------------------
PEERS_SRC=${SPROCKET_PEERS:-$ROOT/scripts/peers-extra}
BIN="$ROOT/target/perf-bin"
mkdir -p "$BIN"
if ! make -s -C "$PEERS_SRC" OUT="$BIN" >&2; then
    log "bench.sh: cannot build the C peers from $PEERS_SRC (need gcc, libnng-dev, libnanomsg-dev)"
    exit 1
fi

# ---- Sprocket ----------------------------------------------------------------------------------------------
if [[ " $PAIRS" == *sp* ]]; then
    build_sprocket
fi
# through the launcher, so the benchmark runs the JVM flags users get (bin/sprocket)
SPROCKET=("$ROOT/bin/sprocket")
LAUNCHER="bin/sprocket"

# ---- one measurement ---------------------------------------------------------------------------------------
work_dir sprocket-bench

# The command for one implementation: nng (nngperf, PAIR1), nn (nnperf, PAIR0), sp (Sprocket, PAIR1).
command_for() {
    local impl=$1 jit=()
    if [[ $impl == sp*j ]]; then # any Sprocket mode, with the JVM's full tiered JIT
        jit=(env SPROCKET_JIT=full) impl=${impl%j}
    fi
    case $impl in
        nng) CMD=("$BIN/nngperf") ;;
        nn) CMD=("$BIN/nnperf") ;;
        sp) CMD=("${jit[@]}" "${SPROCKET[@]}" perf) ;;
        spio) CMD=("${jit[@]}" "${SPROCKET[@]}" perf --io-thread) ;;
        spzc) CMD=("${jit[@]}" "${SPROCKET[@]}" perf --zero-copy) ;;
        spzcio) CMD=("${jit[@]}" "${SPROCKET[@]}" perf --zero-copy --io-thread) ;;
        *) log "bench.sh: unknown implementation $1"; exit 2 ;;
    esac
}

RUN_NO=0
# measure KIND TRANSPORT SIZE DIALER LISTENER: sets VALUE to the result (msg/s or us) or FAIL.
# thr: the dialer sends (remote_thr), the listener receives and reports (local_thr).
# lat: the dialer times round trips and reports (remote_lat), the listener echoes (local_lat).
measure() {
    local kind=$1 transport=$2 size=$3 dialer=$4 listener=$5 count url lpid rc_l=0 rc_d=0
    RUN_NO=$((RUN_NO + 1))
    if [ "$kind" = thr ]; then count=$(thr_count "$size"); else count=$(lat_count "$size"); fi
    local port path
    case $transport in
        tcp) port=$(free_port); url="tcp://127.0.0.1:$port" ;;
        ipc) path="$WORK/r$RUN_NO.ipc"; url="ipc://$path" ;;
        # nanomsg cannot listen on a ws URL with a path, and its dialers ask for / when the URL has none. NNG's
        # dialers send an empty request target for a URL without a path, which Sprocket's listener answers
        # with 400, so the others listen on / explicitly. The dialer uses the same host text as the listener:
        # NNG's ws listener matches the Host header against it.
        ws) port=$(free_port)
            if [ "$listener" = nn ]; then url="ws://127.0.0.1:$port"; else url="ws://127.0.0.1:$port/"; fi ;;
        *) log "bench.sh: unknown transport $transport"; exit 2 ;;
    esac
    local lout="$WORK/$RUN_NO.listener" dout="$WORK/$RUN_NO.dialer"
    command_for "$listener"
    timeout -k 3 "$RUN_TIMEOUT" "${CMD[@]}" "local_$kind" "$url" "$size" "$count" >"$lout" 2>&1 &
    lpid=$!
    PIDS+=("$lpid")
    # start the dialer once the listener is bound, so that no dialer's retry or reconnect delay (nanomsg's
    # connect is asynchronous and its remote_lat clock starts 100 ms after it) lands in a measurement
    if [ "$transport" != ipc ]; then await_listener "$lpid" "$port"; else await_listener "$lpid" "$path"; fi
    command_for "$dialer"
    timeout -k 3 "$RUN_TIMEOUT" "${CMD[@]}" "remote_$kind" "$url" "$size" "$count" >"$dout" 2>&1 || rc_d=$?
    wait "$lpid" || rc_l=$?
    PIDS=()
    local value
    if [ "$kind" = thr ]; then
        value=$(awk '/^throughput: .* \[msg\/s\]$/ {print $2}' "$lout")
    else
        value=$(awk '/^average latency: .* \[us\]$/ {print $3}' "$dout")
    fi
    if [ "$rc_l" -ne 0 ] || [ "$rc_d" -ne 0 ] || [ -z "$value" ]; then
        log "  FAILED ($kind $transport $size $dialer->$listener, exit $rc_d/$rc_l): $(tr '\n' ' ' <"$dout" | cut -c1-200) | $(tr '\n' ' ' <"$lout" | cut -c1-200)"
        value=FAIL
    fi
    VALUE=$value
}

# ---- the matrix --------------------------------------------------------------------------------------------
declare -A RES
START=$(date +%s)
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
LOAD_BEFORE=$(load_average)
for rep in $(seq 1 "$REPS"); do
    for transport in $TRANSPORTS; do
        for size in $SIZES; do
            for kind in thr lat; do
                for pair in $PAIRS; do
                    measure "$kind" "$transport" "$size" "${pair%>*}" "${pair#*>}"
                    v=$VALUE
                    RES[$transport,$kind,$size,$pair]="${RES[$transport,$kind,$size,$pair]:-}${RES[$transport,$kind,$size,$pair]:+ }$v"
                    log "rep $rep/$REPS $transport $kind $size B ${pair/>/->}: $v $([ "$kind" = thr ] && echo msg/s || echo us)"
                done
            done
        done
    done
done
ELAPSED=$(($(date +%s) - START))
LOAD_AFTER=$(load_average)

# ---- the report --------------------------------------------------------------------------------------------
times() { if [ -n "$1" ]; then echo "$1×"; else echo "n/a"; fi; }
name() {
    local impl=$1 c2= # no comma in a name: svgchart.py's --columns are comma-separated
    if [[ $impl == sp*j ]]; then c2=C2 impl=${impl%j}; fi
    case $impl in nng) echo NNG ;; nn) echo nanomsg ;; sp) echo "Sprocket${c2:+ ($c2)}" ;;
        spio) echo "Sprocket (I/O thread${c2:+ + $c2})" ;; spzc) echo "Sprocket (zero-copy${c2:+ + $c2})" ;;
        spzcio) echo "Sprocket (zero-copy + I/O thread${c2:+ + $c2})" ;; esac
}
# best TRANSPORT KIND SIZE: the best Sprocket→Sprocket pair of the run for that cell (highest msg/s, lowest µs),
# as "VALUE PAIR"; empty if none measured
best() {
    local pair v bestv= bestp=
    for pair in $PAIRS; do
        [[ "${pair%>*}" == sp* && "${pair%>*}" = "${pair#*>}" ]] || continue
        v=$(cell "$1" "$2" "$3" "$pair")
        [ -n "$v" ] || continue
        if [ -z "$bestv" ] || awk -v a="$v" -v b="$bestv" -v k="$2" 'BEGIN {exit !(k == "thr" ? a > b : a < b)}'; then
            bestv=$v; bestp=$pair
        fi
    done
    [ -n "$bestv" ] && echo "$bestv $bestp"
}
# goal DESCRIPTION TRANSPORT KIND SIZE OP LIMIT: an issue-14 bar, the best Sprocket pair against nanomsg→nanomsg
goal() {
    local b nn r
    b=$(best "$2" "$3" "$4"); nn=$(cell "$2" "$3" "$4" 'nn>nn')
    r=$(ratio "${b% *}" "$nn")
    bar "$1 (best: $([ -n "$b" ] && label "${b#* }" || echo none))" "$r" "$5" "$6"
}
label() { echo "$(name "${1%>*}")→$(name "${1#*>}")"; }

# chart_file TRANSPORT KIND: a chart's path relative to the report's folder, unique to this run's section (a run of
# "tcp" and one of "tcp ipc" are two sections): img/bench-tcp-latency.svg, img/bench-tcp-ipc.ipc-latency.svg
chart_file() {
    if [ "$TRANSPORTS" = "$1" ]; then echo "img/bench-$1-$(kind_name "$2").svg"
    else echo "img/bench-${TRANSPORTS// /-}.$1-$(kind_name "$2").svg"; fi
}
cell() { median "${RES[$1,$2,$3,$4]:-}"; }
bar() { # description measured-ratio op limit
    local verdict
    if [ -z "$2" ]; then verdict="FAIL (no measurement)"
    elif awk -v r="$2" -v l="$4" -v op="$3" 'BEGIN {exit !(op == ">=" ? r >= l : r <= l)}'; then verdict=PASS
    else verdict=FAIL; fi
    echo "| $1 | $(times "$2") | $verdict |"
}

SECTION="$WORK/section.md"
{
    section_header "PAIR throughput and latency: ${TRANSPORTS// /, }" "$COMMAND" "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| NNG / nanomsg | $(dpkg-query -W -f '${Package} ${Version}, ' libnng1 libnanomsg5 2>/dev/null | sed 's/, $//' || echo unknown) |"
    echo "| Sprocket | $REVISION, launched as \`$LAUNCHER perf\`${SPROCKET_JAVA_OPTS:+ with SPROCKET_JAVA_OPTS=\`$SPROCKET_JAVA_OPTS\`} |"
    echo "| repetitions | $REPS per cell, alternating, median shown; the whole run took ${ELAPSED} s |"
    echo
    echo "Each side is a separate process on loopback: \`nngperf\` (libnng, PAIR v1), \`nnperf\` (libnanomsg, PAIR v0)"
    echo "and \`sprocket perf\` (PAIR v1). \`A→B\` means A dials and B listens: in throughput runs A sends $(thr_count 64)"
    echo "(64 B), $(thr_count 1024) (1 KiB) or $(thr_count 65536) (64 KiB) messages and B reports msg/s; in latency runs A times $(lat_count 64)"
    echo "round trips against B's echo and reports half the average round trip (runs of 2-5 s for the C peers)."
    echo "Ratios compare medians from this run; a Sprocket run includes JVM warm-up. \`bin/sprocket\` runs \`perf\` with"
    echo "C1 only (\`-XX:TieredStopAtLevel=1\`, compiling at a tenth of the JIT's thresholds) and the serial collector"
    echo "with a 16 MiB young generation, as it runs every short-lived command; a column marked C2, when present, is"
    echo "the same jar and mode with the JVM's full tiered JIT (\`SPROCKET_JIT=full\`), as a long-running service runs."
    echo "The chart under each table is drawn from it by \`scripts/lib/svgchart.py\` (the same-implementation pairs)."
    if [[ " $TRANSPORTS " == *" ws "* ]]; then
        echo "ws runs listen on \`ws://127.0.0.1:PORT/\` (nanomsg's listener, which takes no path, on"
        echo "\`ws://127.0.0.1:PORT\`; its dialer asks for \`/\`), so every pair sends the same request line."
    fi
    echo
    echo "### Acceptance bars"
    echo
    echo "| bar | measured | result |"
    echo "|---|---|---|"
    if [[ " $TRANSPORTS " == *" tcp "* ]]; then
        bar "Sprocket→Sprocket tcp 64 B throughput ≥ 2× NNG→NNG" \
            "$(ratio "$(cell tcp thr 64 'sp>sp')" "$(cell tcp thr 64 'nng>nng')")" ">=" 2
        bar "Sprocket→Sprocket tcp 64 B latency ≤ 1.2× NNG→NNG" \
            "$(ratio "$(cell tcp lat 64 'sp>sp')" "$(cell tcp lat 64 'nng>nng')")" "<=" 1.2
    fi
    if [[ " $TRANSPORTS " == *" ws "* ]]; then
        bar "Sprocket→Sprocket ws 64 B throughput ≥ 1× nanomsg→nanomsg" \
            "$(ratio "$(cell ws thr 64 'sp>sp')" "$(cell ws thr 64 'nn>nn')")" ">=" 1
        bar "Sprocket→Sprocket ws 64 KiB throughput ≥ 1.5× NNG→NNG" \
            "$(ratio "$(cell ws thr 65536 'sp>sp')" "$(cell ws thr 65536 'nng>nng')")" ">=" 1.5
    fi
    # issue 14's goals, each against nanomsg in this run, with the best Sprocket mode measured
    for transport in $TRANSPORTS; do
        if [ "$transport" != ws ]; then
            goal "$transport 64 KiB throughput ≥ 1.0× nanomsg→nanomsg" "$transport" thr 65536 ">=" 1
            goal "$transport 64 B latency ≤ 1.0× nanomsg→nanomsg" "$transport" lat 64 "<=" 1
        fi
        goal "$transport 64 KiB latency ≤ 1.2× nanomsg→nanomsg" "$transport" lat 65536 "<=" 1.2
    done
    for transport in $TRANSPORTS; do
        for kind in thr lat; do
            echo
            if [ "$kind" = thr ]; then
                echo "### $transport: throughput (msg/s, higher is better)"
            else
                echo "### $transport: latency (µs one way, lower is better)"
            fi
            echo
            printf '| size |'; for pair in $PAIRS; do printf ' %s |' "$(label "$pair")"; done
            echo " Sprocket / NNG | Sprocket / nanomsg | Sprocket→NNG / NNG | NNG→Sprocket / NNG |"
            printf '|---|'; for pair in $PAIRS; do printf -- '---:|'; done; echo '---:|---:|---:|---:|'
            for size in $SIZES; do
                nng=$(cell "$transport" "$kind" "$size" 'nng>nng')
                nn=$(cell "$transport" "$kind" "$size" 'nn>nn')
                sp=$(cell "$transport" "$kind" "$size" 'sp>sp')
                printf '| %s |' "$(human_size "$size")"
                for pair in $PAIRS; do printf ' %s |' "$(kind_value "$(cell "$transport" "$kind" "$size" "$pair")" "$kind")"; done
                r1=$(ratio "$sp" "$nng"); r2=$(ratio "$sp" "$nn")
                r3=$(ratio "$(cell "$transport" "$kind" "$size" 'sp>nng')" "$nng")
                r4=$(ratio "$(cell "$transport" "$kind" "$size" 'nng>sp')" "$nng")
                printf ' %s |' "$(times "$r1")" "$(times "$r2")" "$(times "$r3")" "$(times "$r4")"
                echo
            done
            echo
            echo "![$transport $(kind_name "$kind") by message size]($(chart_file "$transport" "$kind"))"
        done
    done
    echo
    echo "### Every repetition"
    echo
    echo "In run order; FAIL marks a run that exited non-zero, timed out or printed no result."
    echo
    echo "| transport | kind | size | pair | values |"
    echo "|---|---|---|---|---|"
    for transport in $TRANSPORTS; do
        for kind in thr lat; do
            for size in $SIZES; do
                for pair in $PAIRS; do
                    echo "| $transport | $kind | $(human_size "$size") | $(label "$pair") | ${RES[$transport,$kind,$size,$pair]:-} |"
                done
            done
        done
    done
} >"$SECTION"
# the charts under each table: the same-implementation pairs of the table above (scripts/lib/svgchart.py)
for transport in $TRANSPORTS; do
    for kind in thr lat; do
        columns=
        for pair in $PAIRS; do
            [ "${pair%>*}" = "${pair#*>}" ] && columns+="${columns:+,}$(label "$pair")=$(name "${pair%>*}")"
        done
        draw_chart "$kind" "$SECTION" "$transport: $(kind_name "$kind")" "$columns" \
            "$transport $(kind_name "$kind") by message size ($(date -u +%Y-%m-%d), $REVISION)" \
            "$(dirname "$OUT")/$(chart_file "$transport" "$kind")"
    done
done
merge_section "bench.sh: $TRANSPORTS" "$OUT" "$SECTION"
log "wrote section \"bench.sh: $TRANSPORTS\" of ${OUT#$ROOT/} in ${ELAPSED} s"
sed -n '/^### Acceptance bars/,/^### [a-z]*: throughput/p' "$SECTION" | sed '$d' >&2
