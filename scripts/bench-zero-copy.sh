#!/usr/bin/env bash
# Zero-copy receive and direct-buffer send against nanomsg on tcp, alternating in one run (a hand-run helper; the
# figures go to docs/benchmarks.md by hand):
#   scripts/bench-zero-copy.sh thr|lat SIZE COUNT REPS     e.g. scripts/bench-zero-copy.sh thr 65536 40000 5
# Each rep runs nnperf, `sprocket perf` and `sprocket perf --zero-copy` (both sides) and prints each mean line.
# Needs target/perf-bin/nnperf (scripts/bench.sh builds it) and a packaged bin/sprocket.
set -u
KIND=$1 SIZE=$2 COUNT=$3 REPS=$4
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SP=$ROOT/bin/sprocket NN=$ROOT/target/perf-bin/nnperf
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run() { # impl
  local p; p=$(port); local url=tcp://127.0.0.1:$p
  local L R
  case $1 in
    nn) L=("$NN" local_$KIND); R=("$NN" remote_$KIND) ;;
    sp) L=("$SP" perf local_$KIND); R=("$SP" perf remote_$KIND) ;;
    spzc) L=("$SP" perf --zero-copy local_$KIND); R=("$SP" perf --zero-copy remote_$KIND) ;;
  esac
  if [ "$KIND" = thr ]; then
    timeout 120 "${L[@]}" $url $SIZE $COUNT > $OUT/out.$1 2>&1 & lp=$!
    sleep 0.5; timeout 120 "${R[@]}" $url $SIZE $COUNT > /dev/null 2>&1; wait $lp
    echo "$1 $(grep -i 'throughput' $OUT/out.$1 | head -1)"
  else
    timeout 120 "${L[@]}" $url $SIZE $COUNT > /dev/null 2>&1 & lp=$!
    sleep 0.5; timeout 120 "${R[@]}" $url $SIZE $COUNT > $OUT/out.$1 2>&1; wait $lp
    echo "$1 $(grep -i 'latency' $OUT/out.$1 | head -1)"
  fi
}
for r in $(seq 1 $REPS); do for i in nn sp spzc; do run $i; done; done
