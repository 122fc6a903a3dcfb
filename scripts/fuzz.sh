#!/usr/bin/env bash
# Fuzzes one Jazzer fuzz target of sprocket-core's test tree (the *FuzzTest classes, see docs/reliability.md) with
# Jazzer's standalone driver, in one JVM, and prints what libFuzzer's final statistics say: executions per second
# and coverage (cov: edges, ft: features).
#
#   scripts/fuzz.sh CLASS#METHOD MINUTES   e.g. scripts/fuzz.sh SpStreamFuzzTest#tcp 30
#   scripts/fuzz.sh --ci SECONDS           every target at once, through the dispatcher AllParsersFuzzTest#any
#   scripts/fuzz.sh --list                 the targets
#
# CLASS is a simple or a full class name. The corpus grows in sprocket-core/target/fuzz/<Class>.<method>/corpus,
# seeded from the target's regression inputs (src/test/resources/<package path>/<Class>Inputs/<method>/, written
# by scripts/fuzz-seeds.py). A finding is written to that Inputs directory (--ci: to target/fuzz/ci/, with the
# target's selector byte in front), where `mvn verify` replays it (regression mode) until it is fixed; the script
# then exits non-zero. Environment: FUZZ_JVM_OPTS (default -Xmx512m), FUZZ_ARGS (more libFuzzer flags),
# FUZZ_NO_BUILD=1 (use the test classes and class path compiled by an earlier run), FUZZ_SEED (--ci only: libFuzzer's
# -seed, default 1 so CI runs are repeatable; 0 = random), FUZZ_TIMEOUT (seconds one input may take before libFuzzer
# calls it a hang, default 5; a niced run on a busy machine can be starved that long: use 60 there). Stop a run only
# by its time: a killed Jazzer JVM leaves a false "fuzz target exited" crash file in the Inputs directory.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
CORE="$ROOT/sprocket-core"
TARGETS="$CORE/src/test/resources/io/sprocket/testing/fuzz/targets.txt"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
targets() { grep -v '^#' "$TARGETS" | grep -v '^[[:space:]]*$'; }

CI=
case "${1:-}" in
    --ci) CI=1; SECONDS_TOTAL=${2:?--ci needs SECONDS}; TARGET=io.sprocket.testing.fuzz.AllParsersFuzzTest#any ;;
    --list) targets; exit 0 ;;
    -h|--help|"") usage; exit 0 ;;
    *) TARGET=$1; SECONDS_TOTAL=$(( ${2:?MINUTES missing} * 60 )) ;;
esac

CLASS=${TARGET%%#*}
METHOD=${TARGET#*#}
if [ "$CLASS" = "$TARGET" ] || [ -z "$METHOD" ]; then
    log "expected CLASS#METHOD, got '$TARGET'"; exit 2
fi
if [[ $CLASS != *.* ]]; then
    FULL=$( (targets; echo io.sprocket.testing.fuzz.AllParsersFuzzTest#any) | grep -m1 "\.$CLASS#" || true)
    if [ -z "$FULL" ]; then
        log "no fuzz target class $CLASS in ${TARGETS#"$ROOT"/}"; exit 2
    fi
    CLASS=${FULL%%#*}
fi
SIMPLE=${CLASS##*.}
PKG_DIR=$(tr . / <<<"${CLASS%.*}")
SEEDS="$CORE/src/test/resources/$PKG_DIR/${SIMPLE}Inputs/$METHOD"
RUN="$CORE/target/fuzz/$SIMPLE.$METHOD"
mkdir -p "$RUN/corpus"

if [ -z "${FUZZ_NO_BUILD:-}" ] || [ ! -f "$CORE/target/fuzz.classpath" ]; then
    log "compiling sprocket-core's tests and writing the test class path..."
    (cd "$ROOT" && mvn -q -B -ntp -pl sprocket-core -am test-compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath) >&2
fi
CP="$CORE/target/test-classes:$CORE/target/classes:$(cat "$CORE/target/fuzz.classpath")"

DIRS=("$RUN/corpus")
if [ -n "$CI" ]; then
    # the dispatcher's seeds: every target's seeds with its selector byte in front
    SEEDS="$RUN/seeds"
    rm -rf "$SEEDS" && mkdir -p "$SEEDS"
    i=0
    while read -r t; do
        c=${t%%#*}; m=${t#*#}
        d="$CORE/src/test/resources/$(tr . / <<<"${c%.*}")/${c##*.}Inputs/$m"
        for f in "$d"/*; do
            [ -f "$f" ] || continue
            { printf "\\x$(printf %02x "$i")"; cat "$f"; } >"$SEEDS/$i-$(basename "$f")"
        done
        i=$((i + 1))
    done < <(targets)
    ARTIFACTS="$RUN/findings/"
    # a fixed seed, so that a CI run explores the same inputs from the same seeds each time (repeatable: a
    # finding in CI is found again by the same command); FUZZ_SEED=0 lets libFuzzer pick one (random)
    FUZZ_ARGS="-seed=${FUZZ_SEED:-1} ${FUZZ_ARGS:-}"
else
    ARTIFACTS="$SEEDS/"
fi
mkdir -p "$SEEDS" "$ARTIFACTS"
DIRS+=("$SEEDS")

log "fuzzing $SIMPLE#$METHOD for $SECONDS_TOTAL s (corpus ${RUN#"$ROOT"/}/corpus, findings to ${ARTIFACTS#"$ROOT"/})"
touch "$RUN/.start"
set +e
# shellcheck disable=SC2086
(cd "$RUN" && java ${FUZZ_JVM_OPTS:--Xmx512m} $(fork_jvm_args) -cp "$CP" com.code_intelligence.jazzer.Jazzer \
    --target_class="$CLASS" --target_method="$METHOD" \
    --instrumentation_includes='io.sprocket.**:io.netty.handler.codec.**' \
    -max_total_time="$SECONDS_TOTAL" -timeout="${FUZZ_TIMEOUT:-5}" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS" ${FUZZ_ARGS:-} "${DIRS[@]}") >"$RUN/log.txt" 2>&1
rc=$?
set -e

LAST=$(grep -E '^#[0-9]+' "$RUN/log.txt" | tail -1 || true)
EXECS=$(awk '/^stat::number_of_executed_units/ {print $NF}' "$RUN/log.txt" | tail -1)
RATE=$(awk '/^stat::average_exec_per_sec/ {print $NF}' "$RUN/log.txt" | tail -1)
COV=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$LAST")
FT=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$LAST")
CORP=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$LAST")
# what libFuzzer wrote as a finding this run (crash-, timeout-, oom-, leak-, slow-unit- files)
FOUND=$(find "$ARTIFACTS" -maxdepth 1 -type f -newer "$RUN/.start" | wc -l)
echo "$SIMPLE#$METHOD: ${SECONDS_TOTAL} s, ${EXECS:-?} execs, ${RATE:-?} execs/s, cov ${COV:-?}, ft ${FT:-?}, corpus ${CORP:-?}, findings $FOUND, exit $rc"
if [ $rc -ne 0 ]; then
    log "finding (or failure): see ${RUN#"$ROOT"/}/log.txt; new files in ${ARTIFACTS#"$ROOT"/}:"
    find "$ARTIFACTS" -maxdepth 1 -type f -newer "$RUN/.start" -printf '  %f\n' >&2 || true
    tail -40 "$RUN/log.txt" >&2
fi
exit $rc
