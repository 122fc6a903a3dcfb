#!/usr/bin/env bash
# Flame graphs of a `bin/sprocket perf` pair: runs the listener and the dialer of one throughput or latency run,
# attaches async-profiler 4.1 to both JVMs after a warm-up (`jcmd <pid> JVMTI.agent_load`, only to the two pids
# this script started), profiles for a while, and writes one HTML flame graph per side:
# docs/profiles/<name>-listener.html and docs/profiles/<name>-dialer.html (or .collapsed, --format).
#
#   scripts/bench-profile.sh [options] thr|lat tcp|ipc|ws SIZE
#
# --event E     cpu (default), alloc, wall, lock, or any async-profiler event (e.g. cycles)
# --interval I  sampling interval for cpu/wall (default 100us; an async-profiler duration)
# --warm S      seconds after both sides started before profiling starts (default 4: class loading and the JIT)
# --duration S  seconds of profiling (default 5)
# --count N     messages (thr) or round trips (lat) of the run (default: enough to outlast warm-up + profile;
#               the pair is stopped once the profiles are written)
# --name NAME   file name stem (default KIND-TRANSPORT-SIZE-EVENT)
# --out DIR     where the HTML goes (default docs/profiles)
# --perf OPTS   options of `sprocket perf` for both sides, e.g. --perf "--io-thread --zero-copy"
# --format F    html (default: a flame graph) or collapsed (one line per stack with its sample count, for grep/awk)
# --quick       warm 1 s, profile 1 s: proves the kit works; its graphs are not worth keeping
#
# thr: the dialer sends (remote_thr), the listener receives (local_thr); lat: the dialer times round trips
# (remote_lat), the listener echoes (local_lat). SPROCKET_JAVA_OPTS applies to both sides; LOPTS / DOPTS to one.
# async-profiler comes from Maven Central (tools.profiler:async-profiler:4.1:jar:linux-x64, resolved with
# `mvn dependency:get`, never installed) and its native library is unpacked into target/async-profiler/.
# A flame graph made on a busy machine shows where the CPU goes, not how fast anything is; the name of a graph
# made with other work on the machine should say so (e.g. --name tcp-64k-thr-busy).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
EVENT=cpu INTERVAL=100us WARM=4 DURATION=5 COUNT= NAME= OUTDIR="$ROOT/docs/profiles" FORMAT=html
ARGS=()
PERF_OPTS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --event) EVENT=$2; shift ;;
        --interval) INTERVAL=$2; shift ;;
        --warm) WARM=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --count) COUNT=$2; shift ;;
        --name) NAME=$2; shift ;;
        --out) OUTDIR=$2; shift ;;
        --format) FORMAT=$2; shift ;;
        --perf) read -ra PERF_OPTS <<<"$2"; shift ;;
        --quick) WARM=1; DURATION=1 ;;
        -h|--help) print_help "$0"; exit 0 ;;
        -*) echo "bench-profile.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
        *) ARGS+=("$1") ;;
    esac
    shift
done
if [ ${#ARGS[@]} -ne 3 ]; then echo "bench-profile.sh: need KIND TRANSPORT SIZE (try --help)" >&2; exit 2; fi
KIND=${ARGS[0]} TRANSPORT=${ARGS[1]} SIZE=${ARGS[2]}
case $KIND in thr|lat) ;; *) echo "bench-profile.sh: KIND is thr or lat, not $KIND" >&2; exit 2 ;; esac
case $FORMAT in html|collapsed) ;; *) echo "bench-profile.sh: --format is html or collapsed, not $FORMAT" >&2; exit 2 ;; esac
NAME=${NAME:-$KIND-$TRANSPORT-$SIZE-$EVENT}
# enough work to outlast warm-up + profiling at any plausible rate; the pair is stopped when the graphs exist
if [ -z "$COUNT" ]; then
    if [ "$KIND" = thr ]; then COUNT=$((20000000000 / (SIZE + 1024))); else COUNT=100000000; fi
fi

# ---- async-profiler ------------------------------------------------------------------------------------------
AP_VERSION=4.1
AP_DIR="$ROOT/target/async-profiler"
AP_LIB="$AP_DIR/linux-x64/libasyncProfiler.so"
if [ ! -f "$AP_LIB" ]; then
    AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION-linux-x64.jar"
    if [ ! -f "$AP_JAR" ]; then
        log "resolving tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64..."
        mvn -q -B -ntp dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64" -Dtransitive=false >&2
    fi
    mkdir -p "$AP_DIR"
    (cd "$AP_DIR" && unzip -qo "$AP_JAR" 'linux-x64/*')
fi
[ "$(uname -m)" = x86_64 ] || { log "bench-profile.sh: the async-profiler library here is linux-x64"; exit 1; }

build_sprocket
work_dir sprocket-profile
case $TRANSPORT in
    tcp) WHERE=$(free_port); url="tcp://127.0.0.1:$WHERE" ;;
    ipc) WHERE=$WORK/p.ipc; url="ipc://$WHERE" ;;
    ws) WHERE=$(free_port); url="ws://127.0.0.1:$WHERE/" ;;
    *) echo "bench-profile.sh: unknown transport $TRANSPORT" >&2; exit 2 ;;
esac
mkdir -p "$OUTDIR"

# agent PID COMMAND: one async-profiler command in the JVM PID (jcmd splits key=value, so the command is quoted)
agent() { jcmd "$1" JVMTI.agent_load "$AP_LIB" "\"$2\"" >"$WORK/jcmd.$1" 2>&1 || { cat "$WORK/jcmd.$1" >&2; return 1; }; }

log "$KIND $TRANSPORT $SIZE B, $COUNT messages: listener and dialer starting (bin/sprocket execs java: \$! is the JVM)"
SPROCKET_JAVA_OPTS="${SPROCKET_JAVA_OPTS:-} ${LOPTS:-}" "$ROOT/bin/sprocket" perf ${PERF_OPTS[@]+"${PERF_OPTS[@]}"} "local_$KIND" "$url" "$SIZE" "$COUNT" >"$WORK/listener.out" 2>&1 &
LPID=$!
PIDS+=("$LPID")
await_listener "$LPID" "$WHERE"
SPROCKET_JAVA_OPTS="${SPROCKET_JAVA_OPTS:-} ${DOPTS:-}" "$ROOT/bin/sprocket" perf ${PERF_OPTS[@]+"${PERF_OPTS[@]}"} "remote_$KIND" "$url" "$SIZE" "$COUNT" >"$WORK/dialer.out" 2>&1 &
DPID=$!
PIDS+=("$DPID")
log "warm-up ${WARM}s (listener pid $LPID, dialer pid $DPID)..."
sleep "$WARM"
for p in "$LPID" "$DPID"; do
    kill -0 "$p" 2>/dev/null || { log "bench-profile.sh: pid $p ended before profiling (count too small?)"; cat "$WORK"/*.out >&2; exit 1; }
done
opts="start,event=$EVENT"
case $EVENT in cpu|wall|itimer|ctimer) opts+=",interval=$INTERVAL" ;; esac
agent "$LPID" "$opts,threads"
agent "$DPID" "$opts,threads"
log "profiling ${DURATION}s ($opts)..."
sleep "$DURATION"
agent "$LPID" "stop,file=$OUTDIR/$NAME-listener.$FORMAT"
agent "$DPID" "stop,file=$OUTDIR/$NAME-dialer.$FORMAT"
for p in "$LPID" "$DPID"; do kill "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()
for side in listener dialer; do
    f="$OUTDIR/$NAME-$side.$FORMAT"
    if [ -s "$f" ]; then echo "${f#"$ROOT"/}"; else log "bench-profile.sh: no flame graph at $f"; cat "$WORK/$side.out" >&2; exit 1; fi
done
log "load average at the end: $(load_average) (a busy machine inflates scheduler and GC frames)"
