# Shared by the measuring scripts (bench.sh, bench-protocols.sh, bench-jmh.sh, hostile.sh): logging, building
# Sprocket, free ports, waiting for a listener, the JVM flags a forked JVM needs, medians and ratios.
# Source it after setting ROOT (the repository root):  . "$ROOT/scripts/lib/common.sh"

# log MESSAGE...: one line on stderr (the scripts' stdout is for results).
log() { printf '%s\n' "$*" >&2; }

# load_average: the 1, 5 and 15 minute load averages, for a report's facts.
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# build_sprocket [ROOT]: builds bin/sprocket's jar (mvn package, never install: ~/.m2 may be shared) when it is
# missing or older than any pom or source file of the checkout at ROOT (default $ROOT).
build_sprocket() {
    local root=${1:-$ROOT} jar
    jar="$root/sprocket-cli/target/sprocket-cli-all.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$root"/pom.xml "$root"/sprocket-*/pom.xml "$root"/sprocket-*/src -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
        log "building Sprocket in $root..."
        (cd "$root" && { mvn -q -B -ntp -o -DskipTests package || mvn -q -B -ntp -DskipTests package; }) >&2
    fi
}

# build_peer NAME [DIR]: builds DIR/NAME (default target/perf-bin) from scripts/peers-extra/NAME.c when it is missing
# or older than its source (scripts/peers-extra/Makefile); fails if it cannot (gcc or a library missing).
build_peer() {
    local dir=${2:-$ROOT/target/perf-bin}
    make -s -C "$ROOT/scripts/peers-extra" OUT="$dir" "$dir/$1" >&2
}

# work_dir NAME: makes WORK, a temporary folder removed at exit, and PIDS, background processes killed at exit
# (a script adds a process it starts and empties the list once it has waited for it); Ctrl-C exits with 130.
work_dir() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    PIDS=()
    trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM
}

# free_port: a TCP port nothing uses right now (for peers that cannot listen on port 0 and report it).
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        if [ -z "$(ss -Htan "( sport = :$p or dport = :$p )" 2>/dev/null)" ]; then echo "$p"; return; fi
    done
}

# await_listener PID PORT|PATH: waits (up to 15 s, 20 ms steps) until a TCP listener is bound on PORT, or the
# Unix socket PATH exists, or process PID has exited. Returns 0 in every case: the caller's run reports failures.
await_listener() {
    local pid=$1 where=$2 waited=0
    while [ $waited -lt 750 ] && kill -0 "$pid" 2>/dev/null; do
        if [[ $where =~ ^[0-9]+$ ]]; then
            [ -n "$(ss -Hltn "sport = :$where" 2>/dev/null)" ] && return 0
        else
            [ -S "$where" ] && return 0
        fi
        sleep 0.02
        waited=$((waited + 1))
    done
    return 0
}

# fork_jvm_args: what a forked JVM running Netty needs beyond the defaults (as bin/sprocket gives it): on JDK 24+
# sun.misc.Unsafe and native access are denied unless allowed.
fork_jvm_args() {
    local major
    major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${major%%.*}" -ge 24 ]; then
        echo "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
    fi
}

# quote_command NAME ARGS...: the command line as one string, arguments quoted where the shell needs it (for
# the "Produced by" line of a report).
quote_command() {
    local out=$1 a
    shift
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./=-]+$ ]]; then out+=" $a"; else out+=" '$a'"; fi
    done
    echo "$out"
}

# median "V1 V2 ...": the median of the numeric values (FAIL and other words are left out); empty when none.
median() {
    tr ' ' '\n' <<<"$1" | awk '/^[0-9.]+$/' | sort -g |
        awk '{v[NR] = $1} END {if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'
}

# ratio A B: A / B with two decimals, empty when either is missing or B is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "" && b != "" && b > 0) printf "%.2f", a / b}'; }

# bench_option SCRIPT ARGS...: the options the comparing benchmarks share, --quick, --reps N, --pairs P,
# --out FILE and -h/--help; sets REPS, PAIRS or OUT and SHIFT (how many arguments it took). Returns 1 for any
# other argument, which the script handles itself.
bench_option() {
    local script=$1
    shift
    SHIFT=1
    case "$1" in
        --quick) REPS=1 ;;
        --reps) REPS=$2; SHIFT=2 ;;
        --pairs) PAIRS=$2; SHIFT=2 ;;
        --out) OUT=$2; SHIFT=2 ;;
        -h|--help) print_help "$script"; exit 0 ;;
        *) return 1 ;;
    esac
}

# print_help SCRIPT: the script's leading comment block (its usage), for -h/--help.
print_help() { awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$1"; }
