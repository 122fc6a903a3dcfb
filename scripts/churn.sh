#!/usr/bin/env bash
# Churn soak against real peers (issue 15, section 2): a Sprocket socket runs while its real peer (nngcat; nanocat
# for BUS) is killed with `kill -9` and restarted every 2 s, or (mode swap) the Sprocket side is killed and
# restarted under a real NNG dialer that stays up.
#
#   scripts/churn.sh [--minutes M | --seconds S] [--protos "req rep ..."] [--transports "tcp ipc ws tls"]
#                    [--modes "dial listen swap"] [--period SEC] [--jobs N] [--out FILE]
#                    [--swap-peer nngchurn|nngcat] [--side sprocket|nng]
#
# Modes (the Sprocket side's role):
#   dial    Sprocket dials and stays up; the NNG peer listens and is killed/restarted every period.
#   listen  Sprocket listens and stays up; the NNG peer dials (--async) and is killed/restarted.
#   swap    the NNG peer dials and stays up; Sprocket listens and is killed/restarted every period.
# In dial/listen the Sprocket side is `bin/sprocket perf churn` (ChurnPerf) with a fixed heap
# (-Xms64m -Xmx64m -XX:+AlwaysPreTouch), which prints one JSON line: counts, errors by code, pipes added/removed,
# the gaps from losing the last pipe to the next pipe, fds and RSS after the warm-up (60 s, or half the run) and at
# the end. Pass rules (printed per case): no gap over 1 s (so every restart got a new pipe within 1 s), REQ and
# SURVEYOR with no errors (REQ's receive timeout is 1 s), fds at the end within 5 % (at least 1) of the start, RSS
# within 5 %. In swap each restart's first pipe must come within 1 s of the listener starting, and the NNG peer
# must still be running at the end. A swap-mode listener is started like a one-shot command (SPROCKET_CDS=on: the
# build's AOT cache on JDK 25, or its class-data sharing archive on JDK 17): half the CPU of a plain JVM start, which
# matters with several cases restarting a JVM every 2 s on 2 cores. The swap mode's NNG dialer is nngchurn
# (scripts/peers-extra/nngchurn.c, over the same libnng as nngcat, built here into target/perf-bin: needs gcc and
# libnng-dev), which retries every 0-100 ms
# (NNG_OPT_RECONNMINT = NNG_OPT_RECONNMAXT = 100 ms); --swap-peer nngcat uses nngcat, whose dialer keeps NNG's
# default back-off (it has no option for it), so its first pipe can come over 1 s after the listener is up
# whatever the listener does. BUS's swap peer is nanocat either way (nanomsg retries every 100 ms).
# --side nng: NNG's figures for comparison: the soaked side is nngchurn (libnng 1.5.2, the same soak and JSON line
# as perf churn) instead of Sprocket; dial mode only, no BUS (nanomsg).
# Results: one JSON line per case in --out (default target/churn/results.jsonl)
# and a Markdown table on stdout. Defaults: 10 minutes per case, every protocol, transport and mode, one case at a
# time; --jobs N runs N cases at once (each side is light: 100 messages/s), so the full matrix of 114 cases takes
# 114 x 10 / N minutes. Progress (each case as it starts) goes to stderr.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
SECONDS_PER_CASE=600 PERIOD=2 JOBS=1 OUT=$ROOT/target/churn/results.jsonl SWAP_PEER=nngchurn SIDE=sprocket
PROTOS="req rep pub sub push pull surveyor respondent pair1 bus" TRANSPORTS="tcp ipc ws tls" MODES="dial listen swap"
while [[ $# -gt 0 ]]; do
    case $1 in
        --minutes) SECONDS_PER_CASE=$(( $2 * 60 )); shift 2 ;;
        --seconds) SECONDS_PER_CASE=$2; shift 2 ;;
        --protos) PROTOS=$2; shift 2 ;;
        --transports) TRANSPORTS=$2; shift 2 ;;
        --modes) MODES=$2; shift 2 ;;
        --period) PERIOD=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --swap-peer) SWAP_PEER=$2; shift 2 ;;
        --side) SIDE=$2; shift 2 ;;
        -h|--help) print_help "$0"; exit 0 ;;
        *) log "churn.sh: unknown argument $1 (try --help)"; exit 2 ;;
    esac
done
for tool in nngcat nanocat openssl python3; do
    command -v $tool >/dev/null || { log "churn.sh: $tool is missing (apt-get install nng-utils nanomsg-utils openssl python3)"; exit 2; }
done
build_sprocket
NNGCHURN=$ROOT/target/perf-bin/nngchurn
[[ $SIDE == sprocket || $SIDE == nng ]] || { log "churn.sh: --side is sprocket or nng, not $SIDE"; exit 2; }
[[ $SWAP_PEER == nngchurn || $SWAP_PEER == nngcat ]] || { log "churn.sh: --swap-peer is nngchurn or nngcat"; exit 2; }
if [[ $SIDE == nng && $MODES != dial ]]; then
    log "churn.sh: --side nng runs the dial mode only (--modes dial)"; exit 2
fi
if { [[ $MODES == *swap* && $SWAP_PEER == nngchurn ]] || [[ $SIDE == nng ]]; } \
        && ! build_peer nngchurn; then
    log "churn.sh: cannot build nngchurn (need gcc, make and libnng-dev; or --swap-peer nngcat)"; exit 2
fi

WORK=$(mktemp -d /tmp/churn.XXXXXX)
mkdir -p "$(dirname "$OUT")"
peer_pid=
# Each case's peer.pid holds the pid of its peer while it runs, and nothing once the case has killed and reaped it:
# a pid kept after that may belong to another process by now (the kernel reuses them; a list of every peer ever
# started here once killed other soaks' peers at exit).
cleanup() {
    cat "$WORK"/case-*/peer.pid 2>/dev/null | xargs -r kill -9 2>/dev/null
    pkill -9 -f "churn-case-$$"'( |$)' 2>/dev/null
    [[ -n ${CHURN_KEEP:-} ]] && echo "churn.sh: kept $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
export SPROCKET_JAVA_OPTS="-Xms64m -Xmx64m -XX:+AlwaysPreTouch -Dchurn-case-$$"

# The NNG peer's protocol flags for a Sprocket protocol: the other end, sending where it must; -Q (print what is
# received, quoted) only where the peer receives: nngcat refuses a format option on PUB and PUSH ("Protocol does
# not support --format options") and exits.
# $2: nngcat's --interval in seconds (default 1). nngcat times each round from its send: a send that waited for a
# peer (a Sprocket side restarting) longer than the interval ends it with "Cannot set recv timeout: Invalid
# argument" (the time left is negative), so the swap mode's peer, which outlives many restarts, uses 3.
peer_args() {
    local i=${2:-1}
    case $1 in
        req) echo "--rep --data pong -Q" ;;
        rep) echo "--req --data ping --interval $i -Q" ;;
        pub) echo "--sub --subscribe '' -Q" ;;
        sub) echo "--pub --data x --interval $i" ;;
        push) echo "--pull -Q" ;;
        pull) echo "--push --data x --interval $i" ;;
        surveyor) echo "--respondent --data pong -Q" ;;
        # --interval 1: without it nngcat surveys once and exits when the survey time (1 s) ends, so the peer was
        # gone for half of each period (and for the rest of a swap case). REAL-PARTS.md reports --interval on a
        # surveyor as sometimes dying at once; 40 starts here (listening and dialing --async) did not.
        respondent) echo "--surveyor --data q --interval $i -Q" ;;
        pair1) echo "--pair1 --data x -Q" ;;
        bus) echo "--bus --data x --interval $i -Q" ;;
    esac
}

# The NNG side's protocol name for a Sprocket protocol.
nng_proto() {
    case $1 in
        req) echo rep ;; rep) echo req ;; pub) echo sub ;; sub) echo pub ;; push) echo pull ;; pull) echo push ;;
        surveyor) echo respondent ;; respondent) echo surveyor ;; *) echo "$1" ;;
    esac
}

# start_peer PROTO dial|listen URL [INTERVAL]: the NNG peer in the background; sets peer_pid. INTERVAL "swap": the
# swap mode's persistent dialer (nngchurn, or nngcat with an interval of 3 s: see peer_args).
start_peer() {
    local proto=$1 how=$2 url=$3 interval=${4:-1} tool=nngcat tlsargs=() where
    [[ $proto == bus ]] && tool=nanocat
    if [[ $tool == nngcat && $how == dial && $interval == swap && $SWAP_PEER == nngchurn ]]; then
        [[ $url == tls+tcp* ]] && tlsargs=(--insecure)
        exec "$NNGCHURN" "$(nng_proto "$proto")" "$url" "${tlsargs[@]}" >>"$C/peer.out" 2>>"$C/peer.err" &
        peer_pid=$!
        echo $peer_pid >"$C/peer.pid"
        return
    fi
    [[ $interval == swap ]] && interval=3
    if [[ $tool == nngcat ]]; then
        [[ $how == dial ]] && where=(--dial "$url" --async) || where=(--listen "$url")
        [[ $url == tls+tcp* && $how == listen ]] && tlsargs=(--cert "$WORK/cert.pem" --key "$WORK/key.pem")
        [[ $url == tls+tcp* && $how == dial ]] && tlsargs=(--insecure)
    else
        [[ $how == dial ]] && where=(--connect "$url") || where=(--bind "$url")
    fi
    eval "exec $tool $(peer_args "$proto" "$interval")" '"${where[@]}" "${tlsargs[@]}"' >>"$C/peer.out" 2>>"$C/peer.err" &
    peer_pid=$!
    echo $peer_pid >"$C/peer.pid"
}

url_for() { # url_for TRANSPORT PROTO
    local port
    port=$(free_port)
    case $1 in
        tcp) echo "tcp://127.0.0.1:$port" ;;
        ipc) echo "ipc://$C/sock.ipc" ;;   # C: the case directory of run_case
        ws) [[ $2 == bus ]] && echo "ws://127.0.0.1:$port" || echo "ws://127.0.0.1:$port/churn" ;;
        tls) echo "tls+tcp://127.0.0.1:$port" ;;
    esac
}

# run_case MODE TRANSPORT PROTO DIR: one case; its table row goes to DIR/row, its JSON line to $OUT.
run_case() {
    local mode=$1 transport=$2 proto=$3 C=$4 url tlsflags restarts persistent firsts end d alive lines sp_role nng_role
    peer_pid=
        url=$(url_for "$transport" "$proto")
        : >"$C/peer.out"; : >"$C/peer.err"
        tlsflags=()
        restarts=0
        if [[ $mode == swap ]]; then
            [[ $transport == tls ]] && tlsflags=(--cert "$WORK/cert.pem" --key "$WORK/key.pem")
            start_peer "$proto" dial "$url" swap
            persistent=$peer_pid
            firsts=()
            end=$(( $(date +%s) + SECONDS_PER_CASE ))
            while (( $(date +%s) < end )); do
                rm -f "$C/driver.out"
                SPROCKET_CDS=on "$ROOT/bin/sprocket" perf churn --proto "$proto" --role listen --seconds 3600 --warmup 0 \
                    "${tlsflags[@]}" "$url" >"$C/driver.out" 2>>"$C/driver.err" &
                d=$!
                # the first pipe, waited for with a deadline (JVM start plus one second)
                for _ in $(seq 1 100); do grep -q first-pipe-ms "$C/driver.out" 2>/dev/null && break; sleep 0.1; done
                sleep "$PERIOD"
                kill -9 $d 2>/dev/null; wait $d 2>/dev/null
                restarts=$((restarts + 1))
                firsts+=("$(awk '/first-pipe-ms/{print $2}' "$C/driver.out")")
            done
            alive=no; kill -0 $persistent 2>/dev/null && alive=yes
            kill -9 $persistent 2>/dev/null; wait $persistent 2>/dev/null; : >"$C/peer.pid"
            peer_pid=
            lines=$(wc -l <"$C/peer.out")
            local swap_peer=$SWAP_PEER
            [[ $proto == bus ]] && swap_peer=nanocat
            python3 - "$OUT" "$mode" "$proto" "$transport" "$restarts" "$alive" "$lines" "$swap_peer" "${firsts[@]}" <<'PY' >"$C/row"
import json, sys
out, mode, proto, transport, restarts, alive, lines, swap_peer, *firsts = sys.argv[1:]
got = [int(f) for f in firsts if f]
missing = len(firsts) - len(got)
late = sum(1 for f in got if f > 1000)
ok = missing == 0 and late == 0 and alive == "yes"
r = {"mode": mode, "proto": proto, "transport": transport, "restarts": int(restarts), "first_pipe_max_ms": max(got or [0]),
     "no_pipe": missing, "first_pipe_over_1s": late, "peer_alive": alive, "peer_lines": int(lines),
     "swap_peer": swap_peer, "first_pipe_p99_ms": sorted(got)[max(0, -(-len(got) * 99 // 100) - 1)] if got else 0,
     "pass": ok}
open(out, "a").write(json.dumps(r) + "\n")
print(f"| {mode} | {proto} | {transport} | {restarts} | - | {max(got or [0])} (first pipe) | {late} (+{missing} none) | - | peer printed {lines} | - | - | - | {'PASS' if ok else 'FAIL'} |", flush=True)
sys.exit(0 if ok else 1)
PY
        else
            sp_role=$mode
            nng_role=listen; [[ $mode == listen ]] && nng_role=dial
            [[ $transport == tls && $sp_role == listen ]] && tlsflags=(--cert "$WORK/cert.pem" --key "$WORK/key.pem")
            [[ $transport == tls && $sp_role == dial ]] && tlsflags=(--insecure)
            rm -f "$C/driver.out"
            if [[ $SIDE == nng ]]; then
                [[ $transport == tls ]] && tlsflags=(--insecure)
                "$NNGCHURN" "$proto" "$url" --seconds "$SECONDS_PER_CASE" "${tlsflags[@]}" \
                    >"$C/driver.out" 2>"$C/driver.err" &
            else
                "$ROOT/bin/sprocket" perf churn --proto "$proto" --role "$sp_role" --seconds "$SECONDS_PER_CASE" \
                    "${tlsflags[@]}" "$url" >"$C/driver.out" 2>"$C/driver.err" &
            fi
            d=$!
            # restarts count from the moment the Sprocket side is up (its JVM may take seconds on a loaded box)
            for _ in $(seq 1 300); do grep -q '^ready' "$C/driver.out" 2>/dev/null && break; sleep 0.1; done
            while kill -0 $d 2>/dev/null; do
                start_peer "$proto" "$nng_role" "$url"
                sleep "$PERIOD"
                kill -9 $peer_pid 2>/dev/null; wait $peer_pid 2>/dev/null; : >"$C/peer.pid"
                restarts=$((restarts + 1))
            done
            peer_pid=
            wait $d
            python3 - "$OUT" "$mode" "$proto" "$transport" "$restarts" "$C/driver.out" <<'PY' >"$C/row"
import json, sys
out, mode, proto, transport, restarts, path = sys.argv[1:]
r = None
for l in open(path):
    if l.startswith("{") and '"done":true' in l:
        r = json.loads(l)
if r is None:
    open(out, "a").write(json.dumps({"mode": mode, "proto": proto, "transport": transport, "pass": False,
                                     "why": "no result"}) + "\n")
    print(f"| {mode} | {proto} | {transport} | {restarts} | | | | | | | | | FAIL (no result) |", flush=True)
    sys.exit(1)
r.update(mode=mode, transport=transport, restarts=int(restarts))
errs = r["errors"]
near = lambda a, b, floor: abs(a - b) <= max(floor, 0.05 * a)
checks = {
    # a new pipe after every restart (the last one may fall after the driver's end), none later than 1 s
    "gaps": r["gaps_over_1s"] == 0 and r["pipes_added"] >= int(restarts) - 1,
    "errors": not errs if proto in ("req", "surveyor") else True,
    "fds": near(r["fd_start"], r["fd_end"], 1),
    "rss": near(r["rss_kb_start"], r["rss_kb_end"], 0),
}
r["checks"] = checks
r["pass"] = all(checks.values())
open(out, "a").write(json.dumps(r) + "\n")
failed = ",".join(k for k, v in checks.items() if not v)
print(f"| {mode} | {proto} | {transport} | {restarts} | {r['pipes_added']}/{r['pipes_removed']} | {r['gap_max_ms']} | "
      f"{r['gaps_over_1s']} | {r['requests']}/{r['replies']} | {r['sent']}/{r['received']} | {errs or 0} | "
      f"{r['fd_start']}/{r['fd_end']} | {r['rss_kb_start'] // 1024}/{r['rss_kb_end'] // 1024} | "
      f"{'PASS' if r['pass'] else 'FAIL: ' + failed} |", flush=True)
sys.exit(0 if r["pass"] else 1)
PY
        fi
}

cases=()
# transports inner: cases that run at once mix them (not every TLS case together)
for mode in $MODES; do
  for proto in $PROTOS; do
    for transport in $TRANSPORTS; do
        [[ $proto == bus && $transport == tls ]] && continue   # nanomsg has no TLS
        [[ $proto == bus && $SIDE == nng ]] && continue        # nngchurn is NNG's: BUS would be nanomsg's
        cases+=("$mode $transport $proto")
    done
  done
done
echo "churn.sh: ${#cases[@]} case(s) of $SECONDS_PER_CASE s, $JOBS at a time (about $(( (${#cases[@]} + JOBS - 1) / JOBS * SECONDS_PER_CASE / 60 + 1 )) min)" >&2
n=0
for c in "${cases[@]}"; do
    n=$((n + 1))
    while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n; done
    dir=$WORK/case-$(printf %03d $n)
    mkdir -p "$dir"
    echo "churn.sh: [$n/${#cases[@]}] $(date +%T) $c" >&2
    run_case $c "$dir" &
done
wait
echo "| mode | proto | transport | restarts | pipes +/- | max gap ms | gaps > 1 s | requests/replies | sent/recv | errors | fds start/end | RSS MB start/end | result |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|"
cat "$WORK"/case-*/row 2>/dev/null
failures=$(cat "$WORK"/case-*/row 2>/dev/null | grep -vc '| PASS |$')

echo "churn.sh: $failures failing case(s); results in $OUT"
[[ $failures -eq 0 ]]
