#!/usr/bin/env bash
# Network faults across two network namespaces (issue 15, section 3): time to detect, time to recover and
# messages lost per pair and fault.
#
#   scripts/faults.sh [--faults "delay loss stall reset oneway slow"] [--pairs "sp-req-tcp ..."] [--stall S]
#                     [--window S] [--rate R] [--size B] [--out FILE]
#
# Needs root or CAP_NET_ADMIN (ip netns, veth, nft, tc); without it, it says why and exits 0. Builds namespaces
# sp-a (10.231.0.1) and sp-b (10.231.0.2) joined by a veth pair (sp-a <-> sp-b); nothing is added to the host's
# namespace, and everything is removed at the end. In sp-b run the listeners (Sprocket's FaultProbe, or nngcat)
# on loopback and io.sprocket.testkit.fault.FaultRelay in front of them (10.231.0.2:710x -> 127.0.0.1:720x); in
# sp-a the Sprocket dialers (FaultProbe; ws dialers ping: ws:ping-interval 1 s, ws:ping-timeout 2 s; handshake
# timeout 2 s; reconnect 100 ms to 1 s). Every pair runs at once, for each fault in turn:
#   delay   100 ms each way for --window s: netem when `tc qdisc add ... netem` works here, else the relay's delay
#   loss    5 % of packets each way for --window s: netem loss when it works, else nftables
#           (`numgen random mod 100 < 5 drop` in sp-b, input and output)
#   stall   the relay forwards nothing for --stall s (default 20), connections kept open, then heals
#   reset   the relay resets every connection (RST both ways) in the middle of a message (cut-after 3000 bytes)
#   oneway  nftables in sp-b drops what sp-b sends (replies, pongs, SYN-ACKs) for --stall s: a one-way partition
#   slow    tbf rate 1mbit both ways for --window s (a bandwidth limit; tbf works where netem does not)
# Pairs: sp-req-tcp sp-req-ws (Sprocket REQ -> Sprocket REP), sp-pub-tcp sp-pub-ws (Sprocket PUB -> Sprocket SUB),
# nng-req-tcp nng-req-ws (Sprocket REQ -> nngcat --rep), nng-pub-tcp nng-pub-ws (Sprocket PUB -> nngcat --sub).
# REQ sends numbered requests one at a time (receive timeout 30 s), PUB numbered messages, both at --rate (50/s),
# --size bytes (1024). Figures: detect = fault start to the dialer's first pipe removed; outage = the longest time
# without a reply (REQ) or a message at the SUB, from 1 s before the fault to the end; recover = fault end to the
# first reply or message after it ("flowing" when traffic never stopped; for reset: the cut to the first one after
# the redial); lost = REQ requests timed out, or numbers missing at the SUB. A Markdown table goes to stdout and to
# --out (default target/faults/results.md); the timelines stay in target/faults/<fault>/.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAULTS="delay loss stall reset oneway slow"
PAIRS="sp-req-tcp sp-req-ws sp-pub-tcp sp-pub-ws nng-req-tcp nng-req-ws nng-pub-tcp nng-pub-ws"
STALL=20
WINDOW=10
RATE=50
SIZE=1024
OUT=$ROOT/target/faults/results.md
while [[ $# -gt 0 ]]; do
    case $1 in
        --faults) FAULTS=$2; shift 2 ;;
        --pairs) PAIRS=$2; shift 2 ;;
        --stall) STALL=$2; shift 2 ;;
        --window) WINDOW=$2; shift 2 ;;
        --rate) RATE=$2; shift 2 ;;
        --size) SIZE=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        *) echo "faults.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done

# --- can we? ---------------------------------------------------------------------------------------------------
for tool in ip nft tc python3 java; do
    command -v $tool >/dev/null || { echo "faults.sh: $tool is missing (apt-get install iproute2 nftables python3); nothing run"; exit 0; }
done
if ! ip netns add sp-faults-probe 2>/dev/null; then
    echo "faults.sh: cannot create a network namespace (needs root or CAP_NET_ADMIN); nothing run"
    exit 0
fi
ip netns del sp-faults-probe
if [[ $PAIRS == *nng-* ]] && ! command -v nngcat >/dev/null; then
    echo "faults.sh: nngcat is missing (apt-get install nng-utils): the nng-* pairs are left out" >&2
    PAIRS=$(tr ' ' '\n' <<<"$PAIRS" | grep -v '^nng-' | tr '\n' ' ')
fi
JAR=$ROOT/sprocket-cli/target/sprocket-cli-all.jar
TESTS=$ROOT/sprocket-core/target/test-classes
KIT=$ROOT/sprocket-testkit/target/classes
[[ -f $JAR && -f $TESTS/io/sprocket/testing/FaultProbe.class && -f $KIT/io/sprocket/testkit/fault/FaultRelayControl.class ]] ||
    { echo "faults.sh: build first: mvn -B -ntp -DskipTests package (it compiles the test classes too)" >&2; exit 2; }
JAVA=(java -Xms32m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$JAR:$TESTS:$KIT")

WORK=$ROOT/target/faults
mkdir -p "$WORK" "$(dirname "$OUT")"
cleanup() {
    { exec 7>&-; } 2>/dev/null
    for ns in sp-a sp-b; do
        ip netns pids $ns 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del $ns 2>/dev/null
    done
}
trap cleanup EXIT
cleanup

ip netns add sp-a
ip netns add sp-b
ip link add sp-a netns sp-a type veth peer name sp-b netns sp-b
ip -n sp-a addr add 10.231.0.1/24 dev sp-a
ip -n sp-b addr add 10.231.0.2/24 dev sp-b
for ns in sp-a sp-b; do
    ip -n $ns link set lo up
    ip -n $ns link set $ns up
done
A=(ip netns exec sp-a)
B=(ip netns exec sp-b)
for try in 1 2 3 4 5 6 7 8 9 10; do # the link takes a moment to come up
    out=$("${A[@]}" python3 -c 'import socket; socket.create_connection(("10.231.0.2", 9), 1)' 2>&1)
    [[ $out == *refused* ]] && break
    [[ $try == 10 ]] && { echo "faults.sh: the veth pair does not pass traffic" >&2; exit 1; }
    sleep 0.5
done

NETEM=0
if "${B[@]}" tc qdisc add dev sp-b root netem delay 1ms 2>/dev/null; then
    NETEM=1
    "${B[@]}" tc qdisc del dev sp-b root
fi
if [[ $NETEM == 1 ]]; then
    echo "faults.sh: netem works here: delay and loss come from tc netem" >&2
else
    echo "faults.sh: no netem in this kernel ($("${B[@]}" tc qdisc add dev sp-b root netem delay 1ms 2>&1 | head -1)):" \
        "delay from the user-space relay, loss from nftables" >&2
fi

# --- the pairs -----------------------------------------------------------------------------------------------
# index i: relay port 7100+i in sp-b -> listener 127.0.0.1:7200+i in sp-b
pair_url() { # scheme host port
    if [[ $1 == ws ]]; then echo "ws://$2:$3/f"; else echo "tcp://$2:$3"; fi
}
start_pair() { # name index dir
    local name=$1 i=$2 dir=$3 kind=${1%%-*} rest=${1#*-}
    local proto=${rest%%-*} scheme=${rest#*-}
    local lport=$((7200 + i)) rport=$((7100 + i))
    local lurl durl ping=()
    # a ws listener matches the Host header against its own host: 0.0.0.0 takes any (the dialer names 10.231.0.2)
    if [[ $scheme == ws ]]; then lurl=$(pair_url ws 0.0.0.0 $lport); else lurl=$(pair_url tcp 127.0.0.1 $lport); fi
    durl=$(pair_url "$scheme" 10.231.0.2 $rport)
    [[ $scheme == ws ]] && ping=(--ping-interval 1000 --ping-timeout 2000)
    local peer
    if [[ $proto == req ]]; then peer=rep; else peer=sub; fi
    if [[ $kind == sp ]]; then
        "${B[@]}" "${JAVA[@]}" io.sprocket.testing.FaultProbe --proto $peer --listen "$lurl" --seconds 100000 \
            >"$dir/$name.listener" 2>"$dir/$name.listener.err" &
    elif [[ $peer == rep ]]; then
        "${B[@]}" nngcat --rep --listen "$lurl" --data pong >/dev/null 2>"$dir/$name.listener.err" &
    else
        "${B[@]}" stdbuf -oL nngcat --sub --subscribe '' --listen "$lurl" --format quoted 2>"$dir/$name.listener.err" |
            python3 -u -c '
import sys, time
for line in sys.stdin:
    print("E %d recv %s" % (time.time() * 1000, line.strip().strip(chr(34)).split(" ")[0]), flush=True)' >"$dir/$name.listener" &
    fi
    echo "10.231.0.2:$rport 127.0.0.1:$lport" >>"$dir/relay.args"
    echo "$name $proto $durl ${ping[*]}" >>"$dir/dialers"
}

now_ms() { date +%s%3N; }

run_fault() { # fault
    local fault=$1 dir=$WORK/$1 i=0
    rm -rf "$dir"
    mkdir -p "$dir"
    : >"$dir/relay.args"
    : >"$dir/dialers"
    for p in $PAIRS; do
        start_pair "$p" $i "$dir"
        i=$((i + 1))
    done
    mkfifo "$dir/relay.in"
    # shellcheck disable=SC2046
    "${B[@]}" "${JAVA[@]}" io.sprocket.testkit.fault.FaultRelayControl $(cat "$dir/relay.args") <"$dir/relay.in" \
        >"$dir/relay.out" 2>&1 &
    exec 7>"$dir/relay.in"
    local deadline=$(($(now_ms) + 30000))
    until [[ $(grep -c '^listening' "$dir/relay.out" 2>/dev/null) -ge $i ]]; do
        (($(now_ms) < deadline)) || { echo "faults.sh: the relay did not start: $(cat "$dir/relay.out")" >&2; exit 1; }
        sleep 0.2
    done
    while read -r name proto durl ping; do
        # shellcheck disable=SC2086
        "${A[@]}" "${JAVA[@]}" io.sprocket.testing.FaultProbe --proto $proto --dial "$durl" --seconds 100000 \
            --rate "$RATE" --size "$SIZE" --handshake-timeout 2000 $ping >"$dir/$name.dialer" 2>"$dir/$name.dialer.err" &
    done <"$dir/dialers"
    # every dialer has a pipe and traffic flows (a reply, or a message at the SUB)
    for p in $PAIRS; do
        until grep -q ' added' "$dir/$p.dialer" 2>/dev/null &&
            { grep -q ' reply ' "$dir/$p.dialer" 2>/dev/null || grep -q ' recv ' "$dir/$p.listener" 2>/dev/null; }; do
            (($(now_ms) < deadline + 60000)) || { echo "faults.sh: $fault: $p never got going (see $dir)" >&2; break; }
            sleep 0.2
        done
    done
    sleep 3 # steady traffic before the fault (the figures count from 1 s before it)
    local f0 f1 length=$WINDOW
    f0=$(now_ms)
    case $fault in
        delay)
            if [[ $NETEM == 1 ]]; then
                "${A[@]}" tc qdisc add dev sp-a root netem delay 100ms
                "${B[@]}" tc qdisc add dev sp-b root netem delay 100ms
            else
                echo "delay 100ms" >&7
            fi ;;
        loss)
            if [[ $NETEM == 1 ]]; then
                "${A[@]}" tc qdisc add dev sp-a root netem loss 5%
                "${B[@]}" tc qdisc add dev sp-b root netem loss 5%
            else
                "${B[@]}" nft -f - <<'EOF'
table inet fault {
    chain in { type filter hook input priority 0; iifname "sp-b" numgen random mod 100 < 5 counter drop; }
    chain out { type filter hook output priority 0; oifname "sp-b" numgen random mod 100 < 5 counter drop; }
}
EOF
            fi ;;
        stall) length=$STALL; echo "stall" >&7 ;;
        reset) length=2; echo "cut-after a2b 3000" >&7 ;; # heal (which cancels a pending cut) 2 s later
        oneway)
            length=$STALL
            "${B[@]}" nft -f - <<'EOF'
table inet fault {
    chain out { type filter hook output priority 0; oifname "sp-b" counter drop; }
}
EOF
            ;;
        slow)
            "${A[@]}" tc qdisc add dev sp-a root tbf rate 1mbit burst 16kb latency 400ms
            "${B[@]}" tc qdisc add dev sp-b root tbf rate 1mbit burst 16kb latency 400ms ;;
        *) echo "faults.sh: unknown fault $fault" >&2; exit 2 ;;
    esac
    sleep "$length"
    f1=$(now_ms)
    [[ $fault == reset ]] && f1=$f0
    echo heal >&7
    "${A[@]}" tc qdisc del dev sp-a root 2>/dev/null
    "${B[@]}" tc qdisc del dev sp-b root 2>/dev/null
    "${B[@]}" nft list table inet fault >"$dir/nft.txt" 2>/dev/null && "${B[@]}" nft delete table inet fault
    sleep 12 # recovery: reconnect-time-max (1 s) + handshake and ping timeouts (2 s) + slack
    echo "stats" >&7
    echo "$fault $f0 $f1 $(now_ms)" >"$dir/times"
    echo quit >&7
    exec 7>&-
    for ns in sp-a sp-b; do
        ip netns pids $ns | xargs -r kill 2>/dev/null
    done
    sleep 1
    for ns in sp-a sp-b; do
        ip netns pids $ns | xargs -r kill -9 2>/dev/null
    done
    wait 2>/dev/null
}

how() {
    case $1 in
        delay) [[ $NETEM == 1 ]] && echo "netem delay 100ms each way" || echo "relay: each write held 100 ms, each way" ;;
        loss) [[ $NETEM == 1 ]] && echo "netem loss 5% each way" || echo "nftables: 5% of packets dropped each way" ;;
        stall) echo "relay: nothing forwarded for ${STALL} s" ;;
        reset) echo "relay: RST both ways mid-message" ;;
        oneway) echo "nftables: sp-b's packets dropped for ${STALL} s" ;;
        slow) echo "tbf 1mbit each way for ${WINDOW} s" ;;
    esac
}

{
    echo "| fault | how | pair | detect (ms) | longest outage (ms) | recover (ms) | lost | replies/messages | pipes +/- |"
    echo "|---|---|---|---|---|---|---|---|---|"
} >"$OUT"
for f in $FAULTS; do
    echo "faults.sh: $f ($(how "$f"))" >&2
    run_fault "$f"
    python3 - "$WORK/$f" "$f" "$(how "$f")" "$PAIRS" >>"$OUT" <<'EOF'
import sys, os
d, fault, how, pairs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
_, f0, f1, stop = open(os.path.join(d, "times")).read().split()
f0, f1, stop = int(f0), int(f1), int(stop)
def events(path):
    out = []
    if not os.path.exists(path):
        return out
    for line in open(path, errors="replace"):
        w = line.split()
        if len(w) >= 3 and w[0] == "E" and w[1].isdigit() and int(w[1]) < stop:  # not the shutdown
            out.append((int(w[1]), w[2], w[3:]))
    return out
for p in pairs:
    dial = events(os.path.join(d, p + ".dialer"))
    lis = events(os.path.join(d, p + ".listener"))
    req = "-req-" in p
    deliveries = [t for t, k, _ in (dial if req else lis) if k in ("reply", "recv")]
    removed = [t for t, k, _ in dial if k == "removed" and f0 <= t <= f1 + 5000]
    added = sum(1 for _, k, _ in dial if k == "added")
    nremoved = sum(1 for _, k, _ in dial if k == "removed")
    detect = str(removed[0] - f0) if removed else "none"
    window = [t for t in deliveries if t >= f0 - 1000]
    end = max([t for t, _, _ in dial] + [f1])
    outage = max([b - a for a, b in zip(window, window[1:])] + [0]) if window else "no traffic"
    if fault == "reset":
        after = [t for t in deliveries if t > (removed[0] if removed else f0)]
        recover = str(after[0] - f0) if after else "never"
    elif any(f1 - 1000 < t <= f1 for t in deliveries):
        recover = "flowing"
    else:
        after = [t for t in deliveries if t > f1]
        recover = str(after[0] - f1) if after else "never"
    if req:
        lost = sum(1 for t, k, a in dial if k == "error" and t >= f0 - 1000)
    else:
        seqs = sorted({int(a[0]) for _, k, a in lis if k == "recv" and a and a[0].isdigit()})
        lost = (seqs[-1] - seqs[0] + 1 - len(seqs)) if seqs else "?"
    note = ""
    if req and fault in ("delay", "slow"):
        lat = sorted(int(a[1]) for t, k, a in dial if k == "reply" and f0 <= t <= f1 and len(a) > 1)
        if lat:
            note = " (median round trip %d ms)" % lat[len(lat) // 2]
    print("| %s | %s | %s | %s | %s | %s | %s | %d%s | +%d -%d |" % (fault, how, p, detect, outage, recover, lost,
          len(deliveries), note, added, nremoved))
EOF
    tail -n $(wc -w <<<"$PAIRS") "$OUT" >&2
done
echo
cat "$OUT"
