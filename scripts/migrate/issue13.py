#!/usr/bin/env python3
"""Mechanical source migrations of issue 13 (options owned by transports), re-runnable on any branch.

    python3 scripts/migrate/issue13.py STEP [PATH...]      (PATH defaults to the repository root)

Steps (each idempotent; run them in this order on code that predates them):
  b1  the option key type: SocketOption<X> -> Option<X> (io.sprocket.Option)
  b2  WebSocket and TLS keys: SocketOption.WS_FOO -> WsOptions.FOO (io.sprocket.ws),
      SocketOption.TLS_CONFIG -> TlsOptions.CONFIG, ProxyConfig/HttpHandler -> io.sprocket.ws
  b4  pipe facts: pipe.requestUri() -> pipe.property(WsOptions.REQUEST_URI),
      pipe.handshakeHeaders() -> pipe.property(WsOptions.PEER_HEADERS).orElseThrow() (ws pipes always have it)

After a step, imports are fixed: the needed ones added in order, io.sprocket.SocketOption dropped where unused.
Only *.java files under src/ folders are touched. A conflict with another branch: take the other side, re-run.
"""
import os
import re
import sys

WS_RENAMES = {
    "WS_RECV_FRAME_MAX": "RECV_FRAME_MAX", "WS_SEND_FRAME_MAX": "SEND_FRAME_MAX", "WS_PROXY": "PROXY",
    "WS_REQUEST_HEADERS": "REQUEST_HEADERS", "WS_ALLOWED_ORIGINS": "ALLOWED_ORIGINS",
    "WS_ALLOWED_HOSTS": "ALLOWED_HOSTS", "WS_RESPONSE_HEADERS": "RESPONSE_HEADERS", "WS_RECV_TEXT": "RECV_TEXT",
    "WS_SEND_TEXT": "SEND_TEXT", "WS_PING_INTERVAL": "PING_INTERVAL", "WS_PING_TIMEOUT": "PING_TIMEOUT",
    "WS_HTTP_ROOT": "HTTP_ROOT", "WS_HTTP_HANDLER": "HTTP_HANDLER", "WS_HTTP_TIMEOUT": "HTTP_TIMEOUT",
    "WS_CLOSE_STATUS": "CLOSE_STATUS", "WS_DEFLATE_THRESHOLD": "DEFLATE_THRESHOLD", "WS_DEFLATE": "DEFLATE",
}

# simple name -> fully qualified name, for the import fixer
TYPES = {
    "Option": "io.sprocket.Option",
    "SocketOption": "io.sprocket.SocketOption",
    "TlsOptions": "io.sprocket.TlsOptions",
    "WsOptions": "io.sprocket.ws.WsOptions",
    "ProxyConfig": "io.sprocket.ws.ProxyConfig",
    "HttpHandler": "io.sprocket.ws.HttpHandler",
    "Map": "java.util.Map",
}


def step_b1(src):
    return re.sub(r"\bSocketOption<", "Option<", src)


def step_b2(src):
    def ws(m):
        return "WsOptions." + WS_RENAMES[m.group(1)]
    names = "|".join(sorted(WS_RENAMES, key=len, reverse=True))
    src = re.sub(r"\bSocketOption\.(" + names + r")\b", ws, src)
    src = re.sub(r"\b(?:io\.sprocket\.)?SocketOption#(" + names + r")\b",
                 lambda m: "io.sprocket.ws.WsOptions#" + WS_RENAMES[m.group(1)], src)
    src = re.sub(r"\bSocketOption\.TLS_CONFIG\b", "TlsOptions.CONFIG", src)
    src = re.sub(r"\b(?:io\.sprocket\.)?SocketOption#TLS_CONFIG\b", "io.sprocket.TlsOptions#CONFIG", src)
    src = re.sub(r"\bio\.sprocket\.(ProxyConfig|HttpHandler)\b", r"io.sprocket.ws.\1", src)
    return src


def step_b4(src):
    src = re.sub(r"\.requestUri\(\)", ".property(WsOptions.REQUEST_URI)", src)
    src = re.sub(r"\.handshakeHeaders\(\)", ".property(WsOptions.PEER_HEADERS).orElseThrow()", src)
    return src


STEPS = {"b1": step_b1, "b2": step_b2, "b4": step_b4}


def code_only(src):
    """The source without comments, string literals and import/package lines (to see which names it uses)."""
    token = re.compile(r'"""(?:.|\n)*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
    src = token.sub(lambda m: '""' if m.group(0).startswith(('"', "'")) else " ", src)
    return re.sub(r"^\s*(import|package)\s[^;]*;", " ", src, flags=re.M)


def doc_only(src):
    return " ".join(re.findall(r"/\*\*.*?\*/", src, flags=re.S))


def fix_imports(src):
    m = re.search(r"^package\s+([\w.]+);", src, flags=re.M)
    pkg = m.group(1) if m else ""
    code = code_only(src)
    docs = doc_only(src)
    lines = src.split("\n")
    imports = [i for i, l in enumerate(lines) if re.match(r"import\s+[\w.]+;\s*$", l)]
    have = {re.match(r"import\s+([\w.]+);", lines[i]).group(1) for i in imports}
    wildcard = {re.match(r"import\s+([\w.]+)\.\*;", l).group(1) for l in lines if re.match(r"import\s+[\w.]+\.\*;", l)}
    # drop imports of our moved/renamed types that are no longer used (or now in the same package)
    drop = set()
    for simple, fq in TYPES.items():
        if fq in have and simple != "Map":
            used = re.search(r"\b" + simple + r"\b", code) or re.search(r"\{@link(?:plain)?\s+" + simple + r"\b", docs)
            if not used or fq.rsplit(".", 1)[0] == pkg:
                drop.add("import " + fq + ";")
    for old in ("io.sprocket.ProxyConfig", "io.sprocket.HttpHandler"):
        if old in have:
            drop.add("import " + old + ";")
    # our types' imports are put back in order below (a moved type's import line may now sort elsewhere)
    ours = {"import " + fq + ";" for simple, fq in TYPES.items() if simple != "Map"}
    need = [l.strip() for l in lines if l.strip() in ours and l.strip() not in drop]
    lines = [l for l in lines if l.strip() not in drop and l.strip() not in ours]
    have = {h for h in have if "import " + h + ";" not in drop and "import " + h + ";" not in ours}
    for simple, fq in TYPES.items():
        fpkg = fq.rsplit(".", 1)[0]
        if fq in have or fpkg == pkg or fpkg in wildcard or fpkg == "java.lang":
            continue
        if simple == "Map" and not re.search(r"\bMap\.of\(\)", code):
            continue  # Map is only added for what step b4 writes
        if re.search(r"(?<![\w.])" + simple + r"\b", code):
            if re.search(r"\b(class|interface|record|enum)\s+" + simple + r"\b", code):
                continue
            need.append("import " + fq + ";")
    need = sorted(set(need))
    if not need:
        return "\n".join(lines)
    imports = [i for i, l in enumerate(lines) if re.match(r"import\s+[\w.]+;\s*$", l)]
    if not imports:
        at = next(i for i, l in enumerate(lines) if l.startswith("package ")) + 1
        lines[at:at] = [""] + sorted(need)
        return "\n".join(lines)
    for imp in sorted(need):
        block = [i for i, l in enumerate(lines) if re.match(r"import\s+[\w.]+;\s*$", l)]
        pos = next((i for i in block if lines[i] > imp), block[-1] + 1)
        lines.insert(pos, imp)
    return "\n".join(lines)


def java_files(roots):
    for root in roots:
        if os.path.isfile(root):
            yield root
            continue
        for d, dirs, files in os.walk(root):
            dirs[:] = [x for x in dirs if x not in (".git", "target", "node_modules")]
            if "/src/" not in d + "/":
                continue
            for f in files:
                if f.endswith(".java"):
                    yield os.path.join(d, f)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in STEPS:
        sys.exit(__doc__)
    step = STEPS[sys.argv[1]]
    roots = sys.argv[2:] or [os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))]
    changed = 0
    for path in java_files(roots):
        if path.endswith(("/io/sprocket/SocketOption.java", "/io/sprocket/Option.java")) or "/scripts/migrate/" in path:
            continue
        with open(path, encoding="utf-8") as f:
            src = f.read()
        out = step(src)
        if out != src:
            out = fix_imports(out)
        if out != src:
            with open(path, "w", encoding="utf-8") as f:
                f.write(out)
            changed += 1
    print(f"{sys.argv[1]}: {changed} files changed")


if __name__ == "__main__":
    main()
