#!/usr/bin/env python3
"""Per-group summary of an Autobahn fuzzing client run (mvn verify -Pautobahn), as in docs/autobahn.md.

Usage: scripts/autobahn-summary.py [target/autobahntestsuite-reports/index.json]
Prints a Markdown table (cases per top-level group by outcome) and lists every case that is not OK.
"""
import json
import sys
from collections import defaultdict

KINDS = ["OK", "NON-STRICT", "INFORMATIONAL", "FAILED", "UNIMPLEMENTED"]


def key(case):
    return [int(x) for x in case.split(".")]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "target/autobahntestsuite-reports/index.json"
    with open(path) as f:
        index = json.load(f)
    cases = next(iter(index.values()))
    groups = defaultdict(lambda: defaultdict(int))
    others = []
    for case in sorted(cases, key=key):
        r = cases[case]
        b = r["behavior"]
        groups[case.split(".")[0]][b if b in KINDS else "FAILED"] += 1
        if b != "OK" or r.get("behaviorClose") not in ("OK", "INFORMATIONAL"):
            others.append((case, b, r.get("behaviorClose"), r.get("remoteCloseCode")))
    print("| group | " + " | ".join(KINDS) + " |")
    print("|---" * (len(KINDS) + 1) + "|")
    total = defaultdict(int)
    for g in sorted(groups, key=int):
        print("| %s | " % g + " | ".join(str(groups[g][k]) for k in KINDS) + " |")
        for k in KINDS:
            total[k] += groups[g][k]
    print("| all | " + " | ".join(str(total[k]) for k in KINDS) + " |")
    print()
    for case, b, bc, code in others:
        print("- %s: %s (close: %s, server's close code %s)" % (case, b, bc, code))


if __name__ == "__main__":
    main()
