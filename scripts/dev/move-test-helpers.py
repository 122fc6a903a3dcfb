#!/usr/bin/env python3
"""Moves test helpers to their new packages: rewrites imports and adds missing ones (D2/D3 migration).
Usage: scripts/dev/move-test-helpers.py FILE...  (MOVES below: simple name -> new fully qualified name, old FQNs).
Re-run it over a test tree after a merge that brought back an old import."""
import re, sys
MOVES = {
    'Sockets': ('io.sprocket.testing.Sockets', []),
    'PeerProcess': ('io.sprocket.testkit.PeerProcess', ['io.sprocket.testing.PeerProcess', 'io.sprocket.transport.ws.PeerProcess']),
    'TestCerts': ('io.sprocket.testkit.TestCerts', ['io.sprocket.transport.tls.TestCerts']),
    'Chromium': ('io.sprocket.testkit.Chromium', ['io.sprocket.cli.Chromium']),
    'Json': ('io.sprocket.testkit.Json', ['io.sprocket.cli.Json']),
    'Ports': ('io.sprocket.testkit.Ports', ['io.sprocket.cli.Ports']),
    'Await': ('io.sprocket.testkit.Await', ['io.sprocket.testing.Await']),
    'RawSpClient': ('io.sprocket.testkit.wire.RawSpClient', ['io.sprocket.testing.RawSpClient']),
    'RawSpConnection': ('io.sprocket.testkit.wire.RawSpConnection', ['io.sprocket.testing.RawSpConnection']),
    'RawSpListener': ('io.sprocket.testkit.wire.RawSpListener', ['io.sprocket.testing.RawSpListener']),
    'HeldConnections': ('io.sprocket.testkit.wire.HeldConnections', ['io.sprocket.testing.HeldConnections']),
    'RawWs': ('io.sprocket.testkit.wire.RawWs', ['io.sprocket.transport.ws.RawWs']),
    'TinyProxy': ('io.sprocket.testkit.wire.TinyProxy', ['io.sprocket.transport.ws.TinyProxy']),
    'RequestRewriter': ('io.sprocket.testkit.wire.RequestRewriter', ['io.sprocket.transport.ws.RequestRewriter']),
    'Deflate': ('io.sprocket.testkit.wire.Deflate', ['io.sprocket.transport.ws.Deflate']),
}
def strip_comments_strings(s):
    return re.sub(r'"(?:[^"\\\n]|\\.)*"|/\*.*?\*/|//[^\n]*|\'(?:[^\'\\]|\\.)\'',
                  lambda m: '""' if m.group(0).startswith('"') else ' ', s, flags=re.S)
for path in sys.argv[1:]:
    src = open(path).read()
    orig = src
    pkg = re.search(r'^package ([\w.]+);', src, re.M).group(1)
    for name, (new, olds) in MOVES.items():
        for old in olds:
            src = src.replace('import ' + old + ';', 'import ' + new + ';')
            src = src.replace('import static ' + old + '.', 'import static ' + new + '.')
            src = re.sub(r'(?<![\w.])' + re.escape(old) + r'(?=\.)', name, src) if not src.count('import ' + old) else src
    body = strip_comments_strings(src)
    body_no_imports = re.sub(r'^import [^\n]*\n', '', body, flags=re.M)
    for name, (new, olds) in MOVES.items():
        newpkg = new.rsplit('.', 1)[0]
        if newpkg == pkg:
            continue
        if re.search(r'(?<![\w.])' + name + r'\b', body_no_imports) and not re.search(r'^import ' + re.escape(new) + ';', src, re.M) \
                and not re.search(r'^(public )?(final )?(class|record|enum|interface) ' + name + r'\b', src, re.M) \
                and not re.search(r'\bclass ' + name + r'\b', body_no_imports):
            imports = [m for m in re.finditer(r'^import (?!static)([\w.]+);\n', src, re.M)]
            line = 'import ' + new + ';\n'
            pos = None
            for m in imports:
                if m.group(1) > new:
                    pos = m.start(); break
            if pos is None:
                if imports:
                    pos = imports[-1].end()
                else:
                    statics = list(re.finditer(r'^import static [^\n]*\n', src, re.M))
                    if statics:
                        pos = statics[-1].end(); line = '\n' + line
                    else:
                        pm = re.search(r'^package [^\n]*\n', src, re.M); pos = pm.end(); line = '\n' + line
            src = src[:pos] + line + src[pos:]
    if src != orig:
        open(path, 'w').write(src)
        print('updated', path)
