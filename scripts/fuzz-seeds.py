#!/usr/bin/env python3
"""Writes the seed corpora of the Jazzer fuzz targets (sprocket-core's *FuzzTest classes) in Jazzer's layout,
src/test/resources/<package path>/<Class>Inputs/<method>/<name>: valid exchanges as NNG, nanomsg and browsers send
them, plus a few broken ones, each behind the target's parameter bytes (see each target's Javadoc for its input
layout). Regression mode (mvn verify) runs every target once per file. Re-run after changing an input layout:
    python3 scripts/fuzz-seeds.py
Crash files that fuzzing finds go to the same directories (scripts/fuzz.sh) and are kept there."""
import os
import struct
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'sprocket-core', 'src', 'test', 'resources',
                    'io', 'sprocket')


def write(rel, method, name, data):
    d = os.path.join(ROOT, rel, method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(bytes(data))


def u16(v):
    return struct.pack('>H', v)


def chunks(sizes):
    return bytes([len(sizes) - 1]) + bytes(sizes)


# --- SP stream (tcp, ipc): flags, recv-size-max u16, recv-partial-max u16, read sizes, the peer's bytes ---------
def sp_header(proto):
    return b'\x00SP\x00' + u16(proto) + b'\x00\x00'


def sp_frame(ipc, payload):
    return (b'\x01' if ipc else b'') + struct.pack('>Q', len(payload)) + payload


def sp_input(flags, recv_max, budget, sizes, wire):
    return bytes([flags]) + u16(recv_max) + u16(budget) + chunks(sizes) + wire


def req_body(rid, body):
    return struct.pack('>I', rid | 0x80000000) + body


for method, ipc in (('tcp', False), ('ipc', True)):
    rel = 'internal/codec/SpStreamFuzzTestInputs'
    reqs = sp_header(0x30) + sp_frame(ipc, req_body(1, b'hello')) + sp_frame(ipc, req_body(2, b''))
    write(rel, method, 'req-two-requests', sp_input(0, 0, 0, [0], reqs))
    write(rel, method, 'req-byte-by-byte', sp_input(1, 100, 0, [1], reqs))
    big = sp_header(0x30) + sp_frame(ipc, req_body(3, bytes(range(256)) * 12))
    write(rel, method, 'large-split', sp_input(2, 4000, 1000, [200, 7, 1, 255], big))
    write(rel, method, 'large-over-max', sp_input(0, 1000, 0, [0], big))
    write(rel, method, 'peer-gone-mid-message', sp_input(1, 0, 0, [100], big[:300]))
    # a PAIR1 peer (hop count header) and a BUS peer (nanocat)
    write(rel, method, 'pair1', sp_input(0, 0, 0, [3, 0], sp_header(0x11) + sp_frame(ipc, b'\x00\x00\x00\x01hi')))
    write(rel, method, 'bus', sp_input(0, 0, 0, [0], sp_header(0x70) + sp_frame(ipc, b'to everyone')))
    write(rel, method, 'bad-header', sp_input(0, 0, 0, [0], b'\x00SP\x01\x00\x30\x00\x00' + sp_frame(ipc, b'x')))
    huge = sp_header(0x30) + (b'\x01' if ipc else b'') + b'\x7f' + b'\xff' * 7 + b'x'
    write(rel, method, 'length-2-63', sp_input(0, 0, 0, [0], huge))
    if ipc:
        write(rel, method, 'bad-type-byte', sp_input(0, 0, 0, [0], sp_header(0x30) + b'\x02' + b'\x00' * 7 + b'\x01x'))


# --- WebSocket frames: flags, rxframe-max u16, recv-size-max u16, recv-partial-max u16, read sizes, frames -------
def ws_frame(b0, key, payload):
    n = len(payload)
    m = 0x80 if key else 0
    if n < 126:
        h = bytes([b0, m | n])
    elif n < 65536:
        h = bytes([b0, m | 126]) + u16(n)
    else:
        h = bytes([b0, m | 127]) + struct.pack('>Q', n)
    if not key:
        return h + payload
    k = struct.pack('>I', key)
    return h + k + bytes(b ^ k[i & 3] for i, b in enumerate(payload))


def ws_input(flags, frame_max, recv_max, budget, sizes, wire):
    return bytes([flags]) + u16(frame_max) + u16(recv_max) + u16(budget) + chunks(sizes) + wire


def deflate(data, ctx=None):
    c = ctx or zlib.compressobj(6, zlib.DEFLATED, -15)
    out = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b'\x00\x00\xff\xff')
    return out[:-4]


KEY = 0x37fa213d  # the mask key of RFC 6455 5.7's examples
rel = 'transport/ws/WsFrameFuzzTestInputs'
req = req_body(7, b'ping me')
server_in = (ws_frame(0x82, KEY, req) + ws_frame(0x89, KEY, b'Hello') + ws_frame(0x02, KEY, req[:5])
             + ws_frame(0x80, KEY, req[5:]) + ws_frame(0x88, KEY, b'\x03\xe8bye'))
client_in = ws_frame(0x82, 0, req) + ws_frame(0x8a, 0, b'') + ws_frame(0x88, 0, b'\x03\xe8')
write(rel, 'plain', 'server-side', ws_input(0, 0, 0, 0, [0], server_in))
write(rel, 'plain', 'server-side-split', ws_input(0x08, 0, 0, 0, [1, 3, 5], server_in))
write(rel, 'plain', 'client-side', ws_input(0x01, 0, 0, 0, [0], client_in))
write(rel, 'plain', 'rfc6455-text-hello', ws_input(0x03, 0, 0, 0, [0], bytes.fromhex('810548656c6c6f')))
write(rel, 'plain', 'rfc6455-masked-text', ws_input(0x02, 0, 0, 0, [2],
                                                      bytes.fromhex('818537fa213d7f9f4d5158')))
write(rel, 'plain', 'text-refused', ws_input(0x00, 0, 0, 0, [0], ws_frame(0x81, KEY, b'text')))
write(rel, 'plain', 'frame-over-max', ws_input(0x00, 100, 0, 0, [0], ws_frame(0x82, KEY, bytes(300))))
write(rel, 'plain', 'large-split', ws_input(0x0c, 0, 5000, 1000, [100, 1, 255], ws_frame(0x82, KEY, bytes(4000))))
write(rel, 'plain', 'bad-utf8-text', ws_input(0x02, 0, 0, 0, [0], ws_frame(0x81, KEY, b'\xc3\x28')))
write(rel, 'plain', 'len-64-bit', ws_input(0x00, 0, 0, 0, [0], bytes([0x82, 0xff]) + b'\x7f' + b'\xff' * 7))
for side, key, flags in (('server', KEY, 0x00), ('client', 0, 0x01)):
    rel = 'transport/ws/WsFrameFuzzTestInputs'
    ctx = zlib.compressobj(6, zlib.DEFLATED, -15)
    m1, m2 = deflate(b'hello hello hello hello', ctx), deflate(b'hello again', ctx)
    wire = ws_frame(0xc2, key, m1) + ws_frame(0xc2, key, m2) + ws_frame(0x82, key, b'plain too')
    write(rel, 'deflate', side + '-context-takeover', ws_input(flags, 0, 0, 0, [0], wire))
    r1, r2 = deflate(b'abcabcabc'), deflate(b'xyz')
    frag = ws_frame(0x42, key, r1[:3]) + ws_frame(0x80, key, r1[3:]) + ws_frame(0xc2, key, r2)
    write(rel, 'deflate', side + '-no-context-fragmented', ws_input(flags | 0x10, 0, 0, 0, [4], frag))
    bomb = deflate(bytes(200000))
    write(rel, 'deflate', side + '-bomb', ws_input(flags, 0, 1000, 0, [0], ws_frame(0xc2, key, bomb)))
    write(rel, 'deflate', side + '-text', ws_input(flags | 0x02, 0, 0, 0, [0],
                                                    ws_frame(0xc1, key, deflate('grüße'.encode()))))

# --- WsInflater alone: flags, recv-size-max u16, message sizes, compressed bytes --------------------------------
rel = 'transport/ws/WsInflaterFuzzTestInputs'
ctx = zlib.compressobj(6, zlib.DEFLATED, -15)
a, b = deflate(b'one message, one message', ctx), deflate(b'one message again', ctx)
write(rel, 'inflate', 'context-takeover', bytes([0]) + u16(0) + chunks([len(a), 0]) + a + b)
a, b = deflate(b'fresh window'), deflate(b'fresh window')
write(rel, 'inflate', 'no-context', bytes([1]) + u16(0) + chunks([len(a), 0]) + a + b)
write(rel, 'inflate', 'bomb', bytes([0]) + u16(1000) + chunks([0]) + deflate(bytes(100000)))
final = zlib.compressobj(6, zlib.DEFLATED, -15)
write(rel, 'inflate', 'final-block', bytes([0]) + u16(0) + chunks([0]) + final.compress(b'the end') + final.flush())
write(rel, 'inflate', 'garbage', bytes([0]) + u16(0) + chunks([0]) + b'\xff\xfe\xfd')

# --- SpUrl: flags (bit 0 listening), the URL ----------------------------------------------------------------------
rel = 'internal/transport/SpUrlFuzzTestInputs'
for i, (listening, url) in enumerate([(1, 'tcp://*:5555'), (0, 'tcp://127.0.0.1:5555'), (0, 'tcp://[::1]:80/x'),
                                      (1, 'ipc:///tmp/sp.sock'), (0, 'ws://localhost/sp'), (1, 'wss://[::]:0/a?b'),
                                      (0, 'inproc://name'), (0, 'tls+tcp://host:99999'), (0, 'tcp4://h:-1'),
                                      (1, 'abstract://x'), (0, 'nope')]):
    write(rel, 'parse', 'url-%02d' % i, bytes([listening]) + url.encode())


# --- protocols: flags (bit 0 raw), then operations (see ProtocolHeaderFuzzTest) ---------------------------------
def deliver(payload, pipe=0):
    return bytes([0, len(payload)]) + payload + bytes([pipe])


def send(body):
    return bytes([1, len(body)]) + body


RECEIVE, CONNECT = bytes([2]), bytes([4])


def flush(pipe=0):
    return bytes([3, pipe])


def advance(tens_of_ms):
    return bytes([7, tens_of_ms])


def subscribe(prefix):
    return bytes([6, len(prefix)]) + prefix


rel = 'protocol/ProtocolHeaderFuzzTestInputs'
backtrace = struct.pack('>I', 5) + struct.pack('>I', 0x80000009)  # one hop, then the request id
scripts = {
    'rep': [deliver(req_body(9, b'q')) + RECEIVE + flush(),
            deliver(backtrace + b'q') + RECEIVE + flush(),
            deliver(b'\x00\x00\x00\x01' * 3) + RECEIVE + flush(),
            CONNECT + deliver(req_body(1, b'a'), 1) + deliver(b'\x00\x01', 0) + RECEIVE + flush(1) + flush(0)],
    'req': [send(b'ask') + flush() + deliver(req_body(0, b'')[:4] + b'x') + RECEIVE,
            send(b'ask') + flush() + advance(255) + advance(255) + flush() + deliver(b'\x80') + RECEIVE],
    'surveyor': [send(b'who?') + flush() + deliver(req_body(0, b'me')) + RECEIVE + advance(200) + RECEIVE],
    'respondent': [deliver(req_body(4, b'who?')) + RECEIVE + flush(),
                   deliver(backtrace * 2 + b'x') + RECEIVE + flush()],
    'pair1': [deliver(b'\x00\x00\x00\x01hi') + RECEIVE + send(b'back') + flush(),
              deliver(b'\x00\x00\x00\xffhops') + deliver(b'\x01') + RECEIVE],
    'sub': [subscribe(b'') + deliver(b'news') + RECEIVE,
            subscribe(b'ab') + deliver(b'abc') + deliver(b'a') + RECEIVE + RECEIVE + subscribe(b'ab') + RECEIVE],
    'bus': [deliver(b'all') + RECEIVE + send(b'to all') + CONNECT + send(b'x') + flush() + flush(1)],
}
for method, cases in scripts.items():
    for i, ops in enumerate(cases):
        write(rel, method, 'cooked-%d' % i, b'\x00' + ops)
        write(rel, method, 'raw-%d' % i, b'\x01' + ops)
# --- Sec-WebSocket-Extensions values, one per line ---------------------------------------------------------------
rel = 'transport/ws/WsExtensionsFuzzTestInputs'
for i, v in enumerate(['permessage-deflate; client_max_window_bits',  # Chromium's offer
                       'permessage-deflate; client_no_context_takeover; server_max_window_bits=15',
                       'permessage-deflate; server_max_window_bits=10, permessage-deflate',
                       'x-webkit-deflate-frame\npermessage-deflate; server_no_context_takeover',
                       'permessage-deflate; client_max_window_bits="12"; server_no_context_takeover',
                       'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
                       'foo; bar="a\\"b", , permessage-deflate;client_max_window_bits=08']):
    write(rel, 'offers', 'value-%d' % i, v.encode('latin-1'))
# --- a ws dialer's upgrade answers: flags (bit 0 deflate offered), read sizes, the answer (@ACCEPT@: the right
# Sec-WebSocket-Accept) and frames behind it ---------------------------------------------------------------------
rel = 'transport/ws/WsClientHandshakeFuzzTestInputs'
ok = (b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      b'Sec-WebSocket-Accept: @ACCEPT@\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n')
reply = ws_frame(0x82, 0, struct.pack('>I', 0x80000001) + b'pong')
write(rel, 'answers', 'nng-101', b'\x00' + chunks([0]) + ok + b'\r\n' + reply)
write(rel, 'answers', 'nng-101-split', b'\x02' + chunks([1, 13]) + ok + b'\r\n' + reply + reply)
write(rel, 'answers', 'deflate-101', b'\x01' + chunks([0]) + ok
      + b'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n'
      + ws_frame(0xc2, 0, deflate(struct.pack('>I', 0x80000001) + b'pong')))
write(rel, 'answers', 'extension-not-offered', b'\x00' + chunks([0]) + ok
      + b'Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n')
write(rel, 'answers', 'nng-404', b'\x00' + chunks([0]) + b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
write(rel, 'answers', 'forbidden-body', b'\x00' + chunks([5]) + b'HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!')
write(rel, 'answers', 'wrong-accept', b'\x00' + chunks([0]) + ok.replace(b'@ACCEPT@', b'dGhlIHNhbXBsZSBub25jZQ==')
      + b'\r\n')
write(rel, 'answers', 'chunked-garbage', b'\x00' + chunks([0]) + b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')
# --- a ws listener's connection: flags (bit 0 deflate listener), read sizes, requests and frames ---------------
rel = 'transport/ws/WsServerFuzzTestInputs'
up = (b'GET /sp HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'
      b'Sec-WebSocket-Protocol: req.sp.nanomsg.org\r\n')
request = ws_frame(0x82, KEY, req_body(1, b'ping'))
write(rel, 'requests', 'nng-upgrade', b'\x00' + chunks([0]) + up + b'\r\n' + request + ws_frame(0x88, KEY, b'\x03\xe8'))
write(rel, 'requests', 'chromium-deflate', b'\x01' + chunks([0]) + up.replace(b'127.0.0.1:8080', b'127.0.0.1:8080')
      + b'Origin: http://127.0.0.1:8080\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n'
      + ws_frame(0xc2, KEY, deflate(req_body(2, b'compressed'))))
write(rel, 'requests', 'pipelined-404-then-upgrade', b'\x00' + chunks([11, 0]) + b'GET /nothing HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n'
      + up + b'\r\n' + request)
write(rel, 'requests', 'split-bytewise', b'\x02' + chunks([1]) + up + b'\r\n' + request)
write(rel, 'requests', 'no-subprotocol', b'\x00' + chunks([0]) + up.replace(b'Sec-WebSocket-Protocol: req.sp.nanomsg.org\r\n', b'') + b'\r\n')
write(rel, 'requests', 'post-with-body', b'\x00' + chunks([0]) + b'POST /sp HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 4\r\n\r\nabcd')
write(rel, 'requests', 'smuggling', b'\x00' + chunks([0]) + b'GET /sp HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n'
      b'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n')
write(rel, 'requests', 'empty-target', b'\x00' + chunks([0]) + b'GET  HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n')
write(rel, 'requests', 'http-1.0', b'\x00' + chunks([0]) + up.replace(b'HTTP/1.1', b'HTTP/1.0') + b'\r\n')
# --- a balancer's PROXY protocol header before the SP stream: flags (bit 0 peer gone, bits 1-2 mode), read sizes,
# bytes (the v1 and v2 headers as HAProxy 2.6 and nginx 1.22 send them, rel-eco-plan 1.3) --------------------------
rel = 'internal/transport/ProxyHeadersFuzzTestInputs'
sp_req = sp_header(0x30) + sp_frame(False, b'\x80\x00\x00\x01hi')
v2_sig = b'\r\n\r\n\x00\r\nQUIT\n'
v2_tcp4 = bytes([127, 0, 0, 1, 127, 0, 0, 1]) + u16(35564) + u16(39741)
v2_ssl_inner = b'\x07' + b'\x00\x00\x00\x00' + b'\x21' + u16(7) + b'TLSv1.3' + b'\x22' + u16(3) + b'a.b'
v2_ssl = b'\x20' + u16(len(v2_ssl_inner)) + v2_ssl_inner
write(rel, 'headers', 'haproxy-v1', b'\x00' + chunks([0]) + b'PROXY TCP4 127.0.0.1 127.0.0.1 35564 39741\r\n' + sp_req)
write(rel, 'headers', 'nginx-v1-ipv6-split', b'\x02' + chunks([1, 7]) + b'PROXY TCP6 ::1 ::1 35564 39741\r\n' + sp_req)
write(rel, 'headers', 'v1-unknown', b'\x00' + chunks([0]) + b'PROXY UNKNOWN\r\n' + sp_req)
write(rel, 'headers', 'haproxy-v2', b'\x04' + chunks([0]) + v2_sig + b'\x21\x11' + u16(12) + v2_tcp4 + sp_req)
write(rel, 'headers', 'haproxy-v2-ssl', b'\x00' + chunks([5]) + v2_sig + b'\x21\x11' + u16(12 + len(v2_ssl)) + v2_tcp4
      + v2_ssl + sp_req)
write(rel, 'headers', 'v2-local', b'\x01' + chunks([0]) + v2_sig + b'\x20\x00' + u16(0))
write(rel, 'headers', 'v2-too-long', b'\x00' + chunks([0]) + v2_sig + b'\x21\x11' + u16(60000) + v2_tcp4)
write(rel, 'headers', 'no-header', b'\x00' + chunks([0]) + sp_req)
# --- Forwarded / X-Forwarded-For values: byte 0 even = Forwarded, odd = X-Forwarded-For; NUL separates lines ------
rel = 'transport/ws/ForwardedForFuzzTestInputs'
write(rel, 'headers', 'rfc7239', b'\x00for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"')
write(rel, 'headers', 'obfuscated', b'\x00for=_hidden, for=10.0.0.2')
write(rel, 'headers', 'xff-chain', b'\x01198.51.100.1, 203.0.113.7, 10.1.2.3')
write(rel, 'headers', 'xff-two-lines', b'\x01198.51.100.1\x0010.1.2.3')
# --- a proxy's answers to CONNECT (then the upgrade answer behind): flags (bit 0 credentials), read sizes, bytes --
rel = 'transport/ws/ProxyTunnelFuzzTestInputs'
write(rel, 'answers', 'tinyproxy-200', b'\x00' + chunks([0]) + b'HTTP/1.0 200 Connection established\r\n'
      b'Proxy-agent: tinyproxy/1.11.1\r\n\r\n' + ok + b'\r\n')
write(rel, 'answers', 'tinyproxy-401', b'\x01' + chunks([0]) + b'HTTP/1.0 401 Unauthorized\r\nServer: tinyproxy/1.11.1\r\n'
      b'Content-Type: text/html\r\nConnection: close\r\n\r\n<html></html>')
write(rel, 'answers', 'squid-407', b'\x00' + chunks([3]) + b'HTTP/1.1 407 Proxy Authentication Required\r\n'
      b'Proxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n')
write(rel, 'answers', 'refused-502', b'\x00' + chunks([0]) + b'HTTP/1.1 502 Bad Gateway\r\n\r\n')
write(rel, 'answers', 'split-200-then-404', b'\x02' + chunks([1, 20]) + b'HTTP/1.1 200 OK\r\n\r\n'
      b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
write(rel, 'answers', 'not-http', b'\x00' + chunks([0]) + b'SSH-2.0-OpenSSH_9.2\r\n\r\n')
# --- PEM files (PemFuzzTest#files): a mode byte (0 certificate, 1 CA, 2 key, 3 certificate + key), then the file.
# Real keys and certificates from openssl; written once (they are random: re-runs keep the files already there).
def pem_block(kind, der):
    import base64
    b64 = base64.encodebytes(der).replace(b'\n', b'')
    lines = b'\n'.join(b64[i:i + 64] for i in range(0, len(b64), 64))
    return b'-----BEGIN ' + kind + b'-----\n' + lines + b'\n-----END ' + kind + b'-----\n'


def pem_seeds():
    import shutil
    import subprocess
    import tempfile
    rel, method = 'transport/tls/PemFuzzTestInputs', 'files'
    d = os.path.join(ROOT, rel, method)

    def seed(name, mode, data):
        if not os.path.exists(os.path.join(d, name)):
            write(rel, method, name, bytes([mode]) + data)
    # the keys: DER holding a length of -6 (12 bytes; it hung the CLI), 5 bytes (an AIOOBE)
    seed('ec-neg-length', 2, pem_block(b'EC PRIVATE KEY', bytes([0x30, 0x0a, 0x04, 0x84, 0xff, 0xff, 0xff, 0xfa,
                                                                   0, 0, 0, 0])))
    seed('ec-five-bytes', 2, pem_block(b'EC PRIVATE KEY', bytes([0x30, 0x03, 0x02, 0x01, 0x01])))
    seed('garbage-cert', 0, pem_block(b'CERTIFICATE', b'hello world garbage'))
    seed('bad-base64', 0, b'-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n')
    seed('no-pem', 0, b'not a PEM file at all\n')
    if not shutil.which('openssl'):
        print('openssl missing: PEM seeds from real keys not written')
        return
    t = tempfile.mkdtemp()

    def ossl(*args):
        subprocess.run(('openssl',) + args, cwd=t, check=True, capture_output=True)

    def read(name):
        with open(os.path.join(t, name), 'rb') as f:
            return f.read()
    ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key',
         '-out', 'ca.pem', '-days', '3650', '-subj', '/CN=Fuzz CA', '-addext', 'basicConstraints=critical,CA:TRUE')
    keys = {'rsa2048': ('RSA', 'rsa_keygen_bits:2048'), 'p256': ('EC', 'ec_paramgen_curve:P-256'),
            'p384': ('EC', 'ec_paramgen_curve:P-384'), 'ed25519': ('ED25519', None)}
    for name, (alg, opt) in keys.items():
        ossl('genpkey', '-algorithm', alg, *(('-pkeyopt', opt) if opt else ()), '-out', name + '.key')
        ossl('req', '-new', '-key', name + '.key', '-out', name + '.csr', '-subj', '/CN=localhost')
        ossl('x509', '-req', '-in', name + '.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out',
             name + '.pem', '-days', '3650')
        seed(name + '-pkcs8-key', 2, read(name + '.key'))
        seed(name + '-cert', 0, read(name + '.pem'))
        seed(name + '-combined', 3, read(name + '.pem') + read(name + '.key'))
    ossl('rsa', '-in', 'rsa2048.key', '-traditional', '-out', 'rsa-pkcs1.key')
    seed('rsa2048-pkcs1-key', 2, read('rsa-pkcs1.key'))
    ossl('ec', '-in', 'p256.key', '-out', 'p256-sec1.key')
    seed('p256-sec1-key', 2, read('p256-sec1.key'))
    seed('p256-sec1-combined', 3, read('p256.pem') + read('p256-sec1.key'))
    seed('mismatch-combined', 3, read('p256.pem') + read('p384.key'))
    ossl('pkcs8', '-topk8', '-in', 'p256.key', '-v2', 'aes-256-cbc', '-passout', 'pass:secret', '-out', 'enc8.key')
    seed('p256-encrypted-pkcs8', 2, read('enc8.key'))
    ossl('rsa', '-in', 'rsa2048.key', '-traditional', '-aes256', '-passout', 'pass:secret', '-out', 'enc1.key')
    seed('rsa-encrypted-pkcs1', 2, read('enc1.key'))
    ossl('ec', '-in', 'p256.key', '-aes128', '-passout', 'pass:secret', '-out', 'enc-sec1.key')
    seed('p256-encrypted-sec1', 2, read('enc-sec1.key'))
    seed('ca-file', 1, read('ca.pem'))
    seed('chain', 0, read('p256.pem') + read('ca.pem'))
    seed('ca-bundle', 1, read('ca.pem') + read('rsa2048.pem') + read('ed25519.pem'))
    sec1 = read('p256-sec1.key')
    seed('p256-sec1-truncated', 2, sec1[:len(sec1) // 2])
    seed('p256-sec1-no-end', 2, sec1.replace(b'-----END EC PRIVATE KEY-----', b''))
    cert = read('rsa2048.pem')
    seed('cert-truncated-base64', 0, cert[:200] + b'\n-----END CERTIFICATE-----\n')
    seed('cert-truncated', 0, cert[:len(cert) - 40])
    shutil.rmtree(t)


pem_seeds()
print('seeds written under', os.path.normpath(ROOT))
