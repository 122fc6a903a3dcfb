#!/usr/bin/env python3
"""Grouped bar charts as SVG for docs/benchmarks.md (python3 standard library only).

One group of bars per message size (or any category), one bar and one colour per implementation (Sprocket,
NNG, nanomsg, JeroMQ have fixed colours, others get a palette's), the value written on each bar, a title, axis
labels and a legend; --log draws a log10 value axis (for msg/s from 64 B to 64 KiB).

  svgchart.py [options] --out FILE.svg DATA.tsv          rows: GROUP<TAB>SERIES<TAB>VALUE (# comments)
  svgchart.py [options] --out FILE.svg --from-md REPORT.md --table HEADING --columns 'COL=NAME,...'
  svgchart.py --self-test

--from-md reads the Markdown table under the first heading line containing HEADING (e.g. "tcp: throughput"):
--section KEY limits the search to one report section (scripts/lib/report.sh markers); its first column gives the groups, and each COL (a column header, e.g. "NNG→NNG") becomes series NAME; cells
that are not numbers (FAIL, empty) are left out. Options: --title, --ylabel, --xlabel, --log, --width, --height.
"""
import argparse
import math
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

COLOURS = {"Sprocket": "#e8590c", "NNG": "#1c7ed6", "nanomsg": "#2f9e44", "JeroMQ": "#7048e8"}
LIGHT = {"Sprocket": "#ffc078", "NNG": "#74c0fc", "nanomsg": "#8ce99a", "JeroMQ": "#b197fc"}
# further variants of one implementation (a chart with several Sprocket modes), after its LIGHT tint
VARIANT_TINTS = {"Sprocket": ["#a61e4d", "#fab005", "#862e9c"], "NNG": ["#1864ab"], "nanomsg": ["#2b8a3e"]}
PALETTE = ["#f08c00", "#0c8599", "#c2255c", "#5c940d", "#495057", "#9c36b5"]


def colour(series, order):
    if series in COLOURS:
        return COLOURS[series]
    for name, light in LIGHT.items():   # a variant, e.g. "Sprocket (C2)": a tint of its implementation's, one
        if series.startswith(name + " ("):  # per variant in order
            variants = [s for s in order if s.startswith(name + " (")]
            tints = [light] + VARIANT_TINTS.get(name, [])
            return tints[variants.index(series) % len(tints)]
    others = [s for s in order if s not in COLOURS and not any(s.startswith(n + " (") for n in LIGHT)]
    return PALETTE[others.index(series) % len(PALETTE)]


def short(v):
    """A value as written on a bar: 3 significant digits, k/M suffixes."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


def nice_ticks(lo, hi, log):
    if log:
        # a decade below the smallest value when it would sit near the axis (its bar would be too short to see)
        first = int(math.floor(math.log10(lo)))
        if lo < 2 * 10 ** first:
            first -= 1
        return [10 ** e for e in range(first, int(math.ceil(math.log10(hi))) + 1)]
    raw = hi / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [i * step for i in range(int(math.ceil(hi / step)) + 1)]


def render(rows, title, ylabel, xlabel="", log=False, width=760, height=420):
    """rows: [(group, series, value)] in order. Returns the SVG text."""
    groups, series = [], []
    for g, s, _ in rows:
        if g not in groups:
            groups.append(g)
        if s not in series:
            series.append(s)
    values = {(g, s): v for g, s, v in rows}
    positive = [v for v in values.values() if v > 0]
    if not positive:
        raise ValueError("no positive values to draw")
    if log:
        ticks = nice_ticks(min(positive), max(positive), True)
        lo, hi = ticks[0], ticks[-1]
        if lo == hi:
            hi = lo * 10
    else:
        ticks = nice_ticks(0, max(positive), False)
        lo, hi = 0, ticks[-1]
    left, right, top, bottom = 78, 20, 48, 78
    pw, ph = width - left - right, height - top - bottom

    def y(v):
        if log:
            return top + ph - ph * (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return top + ph - ph * v / hi

    # the legend, in rows that fit the width: (x, row) per series; rows past the first make the picture taller
    legend, lx, row = [], left, 0
    for s in series:
        w = 28 + 7 * len(s)
        if lx > left and lx + w > width - right:
            lx, row = left, row + 1
        legend.append((s, lx, row))
        lx += w
    full = height + 18 * row
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{full}" '
           f'viewBox="0 0 {width} {full}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{full}" fill="#ffffff"/>',
           f'<text x="{width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">{escape(title)}</text>']
    for t in ticks:
        ty = y(t)
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + pw}" y2="{ty:.1f}" stroke="#dee2e6"/>')
        out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#495057">{short(t)}</text>')
    out.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#212529"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#212529"/>')
    label = ylabel + (" (log scale)" if log else "")
    out.append(f'<text transform="translate(18 {top + ph / 2}) rotate(-90)" text-anchor="middle">{escape(label)}</text>')
    gw = pw / len(groups)
    bw = min(56, gw * 0.8 / len(series))
    vs = max(7.0, min(11.0, bw / 3))  # value labels ("1.05M": ~3 em) no wider than their bar, so neighbours never touch
    for gi, g in enumerate(groups):
        cx = left + gw * (gi + 0.5)
        x0 = cx - bw * len(series) / 2
        for si, s in enumerate(series):
            v = values.get((g, s))
            if v is None:
                continue
            bx = x0 + si * bw
            by = y(v) if v > 0 else top + ph
            out.append(f'<rect class="bar" data-series="{escape(s)}" data-group="{escape(g)}" data-value="{v}" '
                       f'x="{bx + 1:.1f}" y="{by:.1f}" width="{bw - 2:.1f}" height="{top + ph - by:.1f}" '
                       f'fill="{colour(s, series)}"><title>{escape(s)}, {escape(g)}: {v:g}</title></rect>')
            out.append(f'<text x="{bx + bw / 2:.1f}" y="{by - 4:.1f}" text-anchor="middle" font-size="{vs:.1f}">{short(v)}</text>')
        out.append(f'<text x="{cx:.1f}" y="{top + ph + 18}" text-anchor="middle">{escape(g)}</text>')
    if xlabel:
        out.append(f'<text x="{left + pw / 2}" y="{top + ph + 38}" text-anchor="middle" fill="#495057">{escape(xlabel)}</text>')
    for s, lx, row in legend:
        ly = height - 22 + 18 * row
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour(s, series)}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly + 10}">{escape(s)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def number(cell):
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:×|x)?\s*", cell)
    return float(m.group(1)) if m else None


def from_markdown(path, heading, columns, section=None):
    """Rows of the Markdown table under the first heading containing `heading`, inside the report section
    `section` (between "<!-- BEGIN section -->" and "<!-- END section -->", scripts/lib/report.sh) if given."""
    lines = open(path, encoding="utf-8").read().splitlines()
    if section:
        begin, end = f"<!-- BEGIN {section} -->", f"<!-- END {section} -->"
        if begin not in lines:
            raise ValueError(f"no section {section!r} in {path}")
        lines = lines[lines.index(begin):]
        lines = lines[:lines.index(end)] if end in lines else lines
    starts = [i for i, l in enumerate(lines) if l.startswith("#") and heading in l]
    if not starts:
        raise ValueError(f"no heading containing {heading!r} in {path}")
    i = starts[0] + 1
    while i < len(lines) and not lines[i].startswith("|"):
        i += 1
    table = []
    while i < len(lines) and lines[i].startswith("|"):
        table.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
        i += 1
    if len(table) < 3:
        raise ValueError(f"no table under {heading!r}")
    header = table[0]
    rows = []
    for r in table[2:]:
        for col, name in columns:
            if col not in header:
                raise ValueError(f"no column {col!r} under {heading!r} (columns: {header})")
            v = number(r[header.index(col)])
            if v is not None:
                rows.append((r[0], name, v))
    return rows


def read_tsv(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            g, s, v = line.rstrip("\n").split("\t")[:3]
            if number(v) is not None:
                rows.append((g, s, float(v)))
    return rows


def self_test():
    rows = [("64 B", "Sprocket", 886909), ("64 B", "NNG", 83006), ("64 B", "nanomsg", 169260),
            ("64 KiB", "Sprocket", 26037), ("64 KiB", "NNG", 7699), ("64 KiB", "JeroMQ", 12000)]
    for log in (False, True):
        svg = render(rows, "self-test", "msg/s", "message size", log=log)
        root = ET.fromstring(svg)  # well-formed XML
        bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
        assert len(bars) == len(rows), f"{len(bars)} bars for {len(rows)} values"
        h = {(b.get("data-group"), b.get("data-series")): float(b.get("height")) for b in bars}
        assert h[("64 B", "Sprocket")] > h[("64 B", "nanomsg")] > h[("64 B", "NNG")] > 0, h
        assert h[("64 KiB", "Sprocket")] > h[("64 KiB", "JeroMQ")] > h[("64 KiB", "NNG")] > 0, h
        fills = {b.get("data-series"): b.get("fill") for b in bars}
        assert len(set(fills.values())) == 4, fills
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "887k" in texts and "7.7k" in texts, texts
    assert colour("Sprocket (C2)", ["Sprocket", "Sprocket (C2)"]) not in (COLOURS["Sprocket"], PALETTE[0])
    md = "### t: thr\n\n| size | A→A | B→B |\n|---|---:|---:|\n| 64 B | 10 | FAIL |\n| 1 KiB | 5.5 | 2 |\n"
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
        f.write(md)
    got = from_markdown(f.name, "t: thr", [("A→A", "NNG"), ("B→B", "nanomsg")])
    assert got == [("64 B", "NNG", 10.0), ("1 KiB", "NNG", 5.5), ("1 KiB", "nanomsg", 2.0)], got
    with open(f.name, "w", encoding="utf-8") as g:
        g.write(md + "<!-- BEGIN k -->\n" + md.replace("| 10 |", "| 20 |") + "<!-- END k -->\n")
    got = from_markdown(f.name, "t: thr", [("A→A", "NNG")], "k")
    assert got == [("64 B", "NNG", 20.0), ("1 KiB", "NNG", 5.5)], got
    print("svgchart.py self-test: OK")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("data", nargs="?")
    p.add_argument("--out")
    p.add_argument("--from-md")
    p.add_argument("--table")
    p.add_argument("--section", help="report section key, e.g. 'bench.sh: tcp' (with --from-md)")
    p.add_argument("--columns", help="COL=NAME,... (with --from-md)")
    p.add_argument("--title", default="")
    p.add_argument("--ylabel", default="")
    p.add_argument("--xlabel", default="")
    p.add_argument("--log", action="store_true")
    p.add_argument("--width", type=int, default=760)
    p.add_argument("--height", type=int, default=420)
    p.add_argument("--self-test", action="store_true")
    a = p.parse_args()
    if a.self_test:
        self_test()
        return 0
    if not a.out:
        p.error("--out is required")
    if a.from_md:
        if not a.table or not a.columns:
            p.error("--from-md needs --table and --columns")
        cols = [tuple(c.split("=", 1)) if "=" in c else (c, c) for c in a.columns.split(",")]
        rows = from_markdown(a.from_md, a.table, cols, a.section)
    elif a.data:
        rows = read_tsv(a.data)
    else:
        p.error("give DATA.tsv or --from-md")
    svg = render(rows, a.title, a.ylabel, a.xlabel, a.log, a.width, a.height)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(svg)
    print(a.out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, OSError) as e:
        print(f"svgchart.py: {e}", file=sys.stderr)
        sys.exit(1)
