#!/usr/bin/env bash
# Sprocket's perf variants against nanomsg (and NNG), alternating in one run (a hand-run helper; the figures go to
# docs/benchmarks.md by hand):
#   scripts/bench-zero-copy.sh thr|lat SIZE COUNT REPS     e.g. scripts/bench-zero-copy.sh thr 65536 40000 5
# Each rep runs every implementation of IMPLS once, in order, and prints each mean line. Environment:
#   TRANSPORT  tcp (default) or ipc
#   IMPLS      what to run (default "nn sp spzc"): nn = nnperf (PAIR0), nng = nngperf, sp = `sprocket perf`,
#              spzc = `sprocket perf --zero-copy`, spio = `sprocket perf --io-thread`,
#              spzcio = both options (options apply to both sides), spold = `$SP_BEFORE perf` (another build's
#              bin/sprocket, e.g. of the commit before a change: `git worktree add` it and package it)
# Needs target/perf-bin/nnperf and nngperf (scripts/bench.sh builds them, or
# `make -C scripts/peers-extra OUT=target/perf-bin`) and a packaged bin/sprocket.
set -u
KIND=$1 SIZE=$2 COUNT=$3 REPS=$4
TRANSPORT=${TRANSPORT:-tcp} IMPLS=${IMPLS:-nn sp spzc}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SP=$ROOT/bin/sprocket BIN=$ROOT/target/perf-bin
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run() { # impl
  local url
  if [ "$TRANSPORT" = ipc ]; then url=ipc://$OUT/p.ipc; rm -f "$OUT/p.ipc"; else url=tcp://127.0.0.1:$(port); fi
  local L R
  case $1 in
    nn) L=("$BIN/nnperf" local_$KIND); R=("$BIN/nnperf" remote_$KIND) ;;
    nng) L=("$BIN/nngperf" local_$KIND); R=("$BIN/nngperf" remote_$KIND) ;;
    sp) L=("$SP" perf local_$KIND); R=("$SP" perf remote_$KIND) ;;
    spzc) L=("$SP" perf --zero-copy local_$KIND); R=("$SP" perf --zero-copy remote_$KIND) ;;
    spold) L=("$SP_BEFORE" perf local_$KIND); R=("$SP_BEFORE" perf remote_$KIND) ;;
    spio) L=("$SP" perf --io-thread local_$KIND); R=("$SP" perf --io-thread remote_$KIND) ;;
    spzcio) L=("$SP" perf --zero-copy --io-thread local_$KIND); R=("$SP" perf --zero-copy --io-thread remote_$KIND) ;;
  esac
  if [ "$KIND" = thr ]; then
    timeout 120 "${L[@]}" $url $SIZE $COUNT > $OUT/out.$1 2>&1 & lp=$!
    sleep 0.5; timeout 120 "${R[@]}" $url $SIZE $COUNT > /dev/null 2>&1; wait $lp
    echo "$TRANSPORT $1 $(grep -i 'throughput' $OUT/out.$1 | head -1)"
  else
    timeout 120 "${L[@]}" $url $SIZE $COUNT > /dev/null 2>&1 & lp=$!
    sleep 0.5; timeout 120 "${R[@]}" $url $SIZE $COUNT > $OUT/out.$1 2>&1; wait $lp
    echo "$TRANSPORT $1 $(grep -i 'latency' $OUT/out.$1 | head -1)"
  fi
}
for r in $(seq 1 "$REPS"); do for i in $IMPLS; do run "$i"; done; done
