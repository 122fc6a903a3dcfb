#!/usr/bin/env bash
# The layout rules of issue 13, checked on this checkout; run before a merge. Exits 1 when any check fails.
#
#   scripts/arch-check.sh [--no-build]
#
# 1. Package cycles: for each library module, jdeps' package graph of target/classes, and its strongly connected
#    components (Tarjan): every component must be one package.
# 2. Sizes: no main source file over 450 lines; no main class (top-level or nested) over 400 lines unless
#    docs/architecture.md names it, in backquotes, in a list under a heading that says "400" (with its reason).
# 3. Module exports (once sprocket-core has a module-info): `jar --describe-module` must export exactly
#    io.sprocket and io.sprocket.ws, and no exported package may contain "internal".
# 4. Copy-paste: `duplicates --most 40` over the main trees and scripts/ (when the tool is installed): no row but
#    boilerplate and pairs that docs/architecture.md reviews under "## Copy-paste that stays" (with the reason).
#
# --no-build  use the classes and jars already in target/ (default: mvn -q -DskipTests package first)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/common.sh
. "$ROOT/scripts/lib/common.sh"
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        -h|--help) print_help "$0"; exit 0 ;;
        *) echo "arch-check.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
cd "$ROOT"
if [ $BUILD = 1 ]; then
    log "building (mvn -q -B -ntp -DskipTests package)..."
    mvn -q -B -ntp -DskipTests package >&2
fi
LIBRARIES=(sprocket-core sprocket-micrometer sprocket-cli)
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }
ok() { echo "ok: $*"; }

# ---- 1. package cycles ---------------------------------------------------------------------------------------
echo "== 1. package cycles (jdeps -verbose:package, strongly connected components)"
for m in "${LIBRARIES[@]}"; do
    if [ ! -d "$m/target/classes" ]; then
        fail "$m: no target/classes (build first)"
        continue
    fi
    # a copy without module-info.class: jdeps would resolve a module's requires (Netty...) first; the package graph
    # inside the module is the same either way
    rm -rf "$m/target/arch-classes" && cp -r "$m/target/classes" "$m/target/arch-classes" &&
        rm -f "$m/target/arch-classes/module-info.class"
    if jdeps -verbose:package -e 'io\.sprocket.*' "$m/target/arch-classes" >"$m/target/arch-jdeps.txt" 2>&1 &&
        python3 - "$m" "$m/target/arch-jdeps.txt" <<'EOF'
import re, sys
module, path = sys.argv[1], sys.argv[2]
edges, nodes = {}, set()
for line in open(path):
    m = re.match(r'\s+(\S+)\s+->\s+(\S+)\s', line)
    if m and m.group(1) != m.group(2):
        edges.setdefault(m.group(1), set()).add(m.group(2))
        nodes.update(m.groups())
index, low, stack, on, sccs = {}, {}, [], set(), []
def strong(v):  # Tarjan, iterative enough for a few dozen packages
    index[v] = low[v] = len(index)
    stack.append(v); on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v:
                break
        sccs.append(sorted(c))
sys.setrecursionlimit(10000)
for v in sorted(nodes):
    if v not in index:
        strong(v)
big = [c for c in sccs if len(c) > 1]
print(f"{module}: {len(nodes)} packages, {sum(len(e) for e in edges.values())} package edges, "
      f"{len(big)} cycle(s)")
for c in big:
    print(f"  cycle of {len(c)}: " + ", ".join(c))
sys.exit(1 if big else 0)
EOF
    then ok "$m: every package is its own component"; else fail "$m: package cycles (above)"; fi
done

# ---- 2. sizes --------------------------------------------------------------------------------------------------
echo "== 2. main files over 450 lines, main classes over 400 lines without a reason in docs/architecture.md"
if python3 - "$ROOT" <<'EOF'
import os, re, sys
root = sys.argv[1]
reasons = set()
doc = os.path.join(root, 'docs', 'architecture.md')
if os.path.exists(doc):
    under = False
    for line in open(doc, encoding='utf-8'):
        if line.startswith('#'):
            under = '400' in line
        elif under and line.lstrip().startswith(('-', '*', '|')):
            reasons.update(re.findall(r'`([A-Za-z_][\w.]*)`', line))
bad = 0
def code_only(text):  # strings, chars and comments blanked, newlines kept (for brace matching)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/|//[^\n]*',
                  lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text, flags=re.S)
decl = re.compile(r'\b(class|interface|enum|record)\s+([A-Z]\w*)[^;{]*\{')
for top in sorted(os.listdir(root)):
    src = os.path.join(root, top, 'src', 'main', 'java')
    if not os.path.isdir(src):
        continue
    for d, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith('.java'):
                continue
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            text = open(p, encoding='utf-8').read()
            n = text.count('\n')
            if n > 450:
                print(f"  {rel}: {n} lines (over 450)")
                bad += 1
            code = code_only(text)
            for m in decl.finditer(code):
                start = m.end() - 1
                depth, i = 0, start
                while i < len(code):
                    if code[i] == '{':
                        depth += 1
                    elif code[i] == '}':
                        depth -= 1
                        if depth == 0:
                            break
                    i += 1
                lines = code.count('\n', code.rfind('\n', 0, m.start()) + 1, i) + 1
                name = m.group(2)
                if lines > 400:
                    if name in reasons:
                        print(f"  {rel}: class {name}, {lines} lines (reason in docs/architecture.md)")
                    else:
                        print(f"  {rel}: class {name}, {lines} lines (over 400, no reason in docs/architecture.md)")
                        bad += 1
sys.exit(1 if bad else 0)
EOF
then ok "sizes"; else fail "sizes (above)"; fi

# ---- 3. module exports -----------------------------------------------------------------------------------------
echo "== 3. module io.sprocket exports"
if [ ! -f sprocket-core/src/main/java/module-info.java ]; then
    echo "skipped: sprocket-core has no module-info.java yet"
else
    jar=$(ls sprocket-core/target/sprocket-core-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e tests | head -n 1)
    if [ -z "$jar" ]; then
        fail "no sprocket-core jar in target/ (build first)"
    else
        exports=$(jar --describe-module --file "$jar" | awk '$1 == "exports" {print $2}' | sort | tr '\n' ' ')
        echo "exports: $exports"
        if [ "$exports" != "io.sprocket io.sprocket.ws " ]; then
            fail "module io.sprocket must export exactly io.sprocket and io.sprocket.ws"
        elif [[ $exports == *internal* ]]; then
            fail "an internal package is exported"
        else
            ok "exports"
        fi
    fi
fi

# ---- 4. duplicates -------------------------------------------------------------------------------------------
echo "== 4. copy-paste in the main trees and scripts/ (duplicates --most 40)"
if ! command -v duplicates >/dev/null 2>&1; then
    echo "skipped: the duplicates tool is not installed here"
else
    tree=$(mktemp -d /tmp/sprocket-arch.XXXXXX)
    trap 'rm -rf "$tree"' EXIT
    for m in */src/main; do
        mkdir -p "$tree/${m%%/*}"
        cp -r "$m" "$tree/${m%%/*}/"
    done
    cp -r scripts "$tree/"
    duplicates --repo "$tree" --most 40 --seconds 60 | sed "s#$tree/##g" >"$tree/report.txt"
    real=0
    python3 scripts/lib/reviewed_dups.py "$tree/report.txt" docs/architecture.md || real=$?
    if [ "$real" -gt 0 ]; then
        fail "$real pair(s) that are neither boilerplate nor reviewed in docs/architecture.md"
    else
        ok "only boilerplate rows and pairs reviewed in docs/architecture.md (## Copy-paste that stays)"
    fi
fi

echo
if [ $FAILED = 0 ]; then echo "arch-check: all checks passed"; else echo "arch-check: FAILED"; fi
exit $FAILED
