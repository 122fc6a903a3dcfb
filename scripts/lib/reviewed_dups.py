"""Marks the rows of a `duplicates` report that docs/architecture.md has reviewed.

A row is reviewed when the section "## Copy-paste that stays" of the architecture page has a line naming both of
its files as `A ~ B` (file names, either order), with the reason the two places stay alike. Prints the report with
each row marked; the exit status is the number of rows that are neither boilerplate nor reviewed.
"""
import re
import sys


def main(report_path, doc_path):
    doc = open(doc_path, encoding="utf-8").read()
    section = re.search(r"^## Copy-paste that stays\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    reviewed = {frozenset(pair) for pair in re.findall(r"`([\w.-]+) ~ ([\w.-]+)`", section.group(1) if section else "")}
    unreviewed = 0
    for line in open(report_path, encoding="utf-8").read().splitlines():
        m = re.match(r"^D\d+ (\S+?):\d+-\d+ ~ (\S+?):\d+-\d+", line)
        if not m or "boilerplate" in line:
            print(line)
            continue
        names = frozenset(path.rsplit("/", 1)[-1] for path in m.groups())
        if names in reviewed:
            print(line + "  [reviewed in docs/architecture.md]")
        else:
            print(line + "  [NOT REVIEWED]")
            unreviewed += 1
    return min(unreviewed, 100)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
