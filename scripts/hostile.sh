#!/usr/bin/env bash
# Hostile peers at full counts against a bin/sprocket listener and, where NNG can be the listener, an nngcat one
# (NNG 1.5.2), and the results into docs/reliability.md (issue 11): slowloris, idle pipes, connection limits,
# ping floods, oversized frames and deflate bombs, a flooding requester, and 1 MiB announcements of one byte.
#
#   scripts/hostile.sh [--label before|after] [--no-nng] [--sprocket PATH] [--out FILE] [scenario...]
#
# scenario    any of the names below (default: all). Each (scenario, column) is its own section of the report:
#             rerunning one replaces its cells only, and the summary table is made again from all of them.
# --label     which Sprocket column the run fills: "before" (the code before a fix) or "after" (default)
# --no-nng    Sprocket only (the NNG column keeps its last figures)
# --sprocket  the bin/sprocket to attack (default this checkout's), e.g. that of a worktree of the code before
#             the fixes for --label before
# --out FILE  the report (default docs/reliability.md)
#
# The attack clients are one tool, scripts/hostile.py (python3, standard library only); it starts each listener,
# reads its memory from /proc/PID/status (VmRSS, VmHWM) and probes it with fresh clients (a raw client in the tool,
# timed from its connect; and nngcat, timed with its process start). The open-file limit is raised to the hard
# limit (10,000 connections need it). Needs python3, nngcat, and gcc with libnng-dev for nngrep (NNG's REP loop
# of the rep-flood scenario). Sprocket is built if its jar is missing or older than the sources. Takes about 10 minutes for everything.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/docs/reliability.md"
LABEL=after
NNG=1
SPROCKET="$ROOT/bin/sprocket"
ALL=(slowloris-tcp slowloris-ws idle-ws conn-limit ping-flood oversize rep-flood amplify-tcp amplify-tcp-10k
     amplify-ws amplify-ws-10k)
SCENARIOS=()
COMMAND="scripts/hostile.sh $*"
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --label) LABEL=$2; shift ;;
        --no-nng) NNG=0 ;;
        --sprocket) SPROCKET=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) print_help "$0"; exit 0 ;;
        -*) echo "hostile.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
        *) SCENARIOS+=("$1") ;;
    esac
    shift
done
case $LABEL in before|after) ;; *) echo "hostile.sh: --label before or after, not $LABEL" >&2; exit 2 ;; esac
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=("${ALL[@]}")
for s in "${SCENARIOS[@]}"; do
    [[ " ${ALL[*]} " == *" $s "* ]] || { echo "hostile.sh: no scenario $s (${ALL[*]})" >&2; exit 2; }
done

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; } # common.sh's, with the time
# shellcheck source=lib/report.sh
. "$ROOT/scripts/lib/report.sh"

ulimit -n "$(ulimit -Hn)"
log "open files: $(ulimit -n)"
SPROCKET_ROOT=$(cd "$(dirname "$SPROCKET")/.." && pwd)
build_sprocket "$SPROCKET_ROOT"
BIN="$ROOT/target/hostile-bin"
mkdir -p "$BIN"
NNGREP=()
build_peer nngrep "$BIN" 2>/dev/null \
    || log "nngrep not built (gcc, make and libnng-dev needed): rep-flood runs nngcat only on NNG's side"
[ -x "$BIN/nngrep" ] && NNGREP=(--nng-rep "$BIN/nngrep")

work_dir sprocket-hostile
LOAD_BEFORE=$(load_average)
targets=(sprocket)
[ $NNG = 1 ] && targets+=(nng)
n=0
for s in "${SCENARIOS[@]}"; do
    for t in "${targets[@]}"; do
        if [ "$t" = nng ] && [ "$s" = conn-limit ]; then
            echo '{"scenario": "conn-limit", "target": "nng", "result": "n/a: NNG has no connection limit", "pass": null, "details": {}}' \
                >"$WORK/$s.$t.json"
            continue
        fi
        n=$((n + 1))
        log "---- $s against $t"
        extra=(--sprocket "$SPROCKET")
        [ "$t" = nng ] && extra+=("${NNGREP[@]}")
        if python3 "$ROOT/scripts/hostile.py" "$s" --target "$t" ${extra[@]+"${extra[@]}"} >"$WORK/$s.$t.json"; then
            log "$s, $t: $(python3 -c 'import json,sys; r=json.load(sys.stdin); print(("PASS" if r["pass"] else "FAIL" if r["pass"] is not None else "-") + ": " + r["result"])' <"$WORK/$s.$t.json")"
        else
            log "$s against $t failed to run; its cell keeps its last value"
            rm -f "$WORK/$s.$t.json"
        fi
    done
done
LOAD_AFTER=$(load_average)
{
    echo "Facts of the last \`--label $LABEL\` run: \`$COMMAND\` (Sprocket at $(git -C "$SPROCKET_ROOT" rev-parse --short HEAD)$(git -C "$SPROCKET_ROOT" diff --quiet HEAD -- sprocket-core sprocket-cli || echo ', with uncommitted changes'))"
    echo
    facts_header "$LOAD_BEFORE" "$LOAD_AFTER"
    echo "| memory | $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |"
    echo "| open files (ulimit -n) | $(ulimit -n) |"
    echo "| nngcat | $(nngcat --version 2>&1 | head -n 1) |"
    echo "| python3 | $(python3 --version 2>&1) |"
} >"$WORK/facts.md"
shopt -s nullglob
python3 "$ROOT/scripts/hostile.py" report "$OUT" "$LABEL" "$WORK/facts.md" "$WORK"/*.json
log "$n runs; written to $OUT"
