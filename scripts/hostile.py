#!/usr/bin/env python3
"""Hostile peers against one SP listener: the attack clients of scripts/hostile.sh, one tool for all scenarios.

    hostile.py SCENARIO --target sprocket|nng [--sprocket PATH]

starts the listener (bin/sprocket or nngcat, REP, answering "pong"), runs one scenario against it, watches its
memory (VmRSS and VmHWM of /proc/PID/status) and probes it with fresh nngcat clients, then prints one JSON line on
stdout: {"scenario", "target", "result" (one short cell for the table), "pass" (true/false/null), "details"}.
Progress goes to stderr. Scenarios: see SCENARIOS at the end. Only the standard library is used.
"""
import argparse
import base64
import concurrent.futures
import json
import os
import resource
import selectors
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib

REQ, REP = 0x30, 0x31
SP_HEADER_REQ = b"\x00SP\x00" + struct.pack(">H", REQ) + b"\x00\x00"
MIB = 1 << 20
ARGS = None


def log(msg):
    print(time.strftime("[%H:%M:%S] ") + msg, file=sys.stderr, flush=True)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ms(seconds):
    return round(seconds * 1000, 1)


# ---------------------------------------------------------------- the listener under attack

class Listener:
    """A REP listener process (bin/sprocket or nngcat) on url, with its memory figures."""

    def __init__(self, url, extra=(), java_opts=None, cmd=None):
        """`cmd` replaces the listener command (bin/sprocket or nngcat, with `extra` flags)."""
        self.url = url
        self.target = ARGS.target
        if cmd is None and self.target == "sprocket":
            cmd = [ARGS.sprocket, "--rep", "--listen", url, "--data", "pong"] + list(extra)
        elif cmd is None:
            cmd = ["nngcat", "--rep", "--listen", url, "--data", "pong"] + list(extra)
        env = dict(os.environ)
        if java_opts:
            env["SPROCKET_JAVA_OPTS"] = (env.get("SPROCKET_JAVA_OPTS", "") + " " + java_opts).strip()
        self.errfile = "/tmp/hostile-%s-%d-%d.err" % (self.target, os.getpid(), hostport(url)[1])
        self.err = open(self.errfile, "w")
        log("listener: " + " ".join(cmd) + (" (SPROCKET_JAVA_OPTS=%s)" % java_opts if java_opts else ""))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.err, preexec_fn=raise_nofile,
                                     env=env)
        self.pid = self.proc.pid
        host, port = hostport(url)
        deadline = time.time() + 20
        while True:  # a probe connection, closed at once (it counts as one closed connection)
            if self.proc.poll() is not None:
                raise SystemExit("listener exited: " + self.stderr().strip())
            try:
                socket.create_connection((host, port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("listener did not open " + url)
                time.sleep(0.05)
        time.sleep(0.5)
        probe_both(url)  # warms the listener up (JIT, first pipe) before anything is measured
        self.rss0, _ = self.memory()

    def memory(self):
        """(VmRSS, VmHWM) in MB."""
        rss = hwm = 0
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1]) / 1024
                    elif line.startswith("VmHWM:"):
                        hwm = int(line.split()[1]) / 1024
        except OSError:
            pass
        return round(rss, 1), round(hwm, 1)

    def settled_memory(self, limit=20.0):
        """(VmRSS, VmHWM) once RSS stopped moving (under 1 MB over 1.5 s), or after `limit` seconds."""
        samples = [self.memory()]
        t_end = time.time() + limit
        while time.time() < t_end:
            time.sleep(0.5)
            samples.append(self.memory())
            last = [r for r, _ in samples[-4:]]
            if len(last) == 4 and max(last) - min(last) < 1.0:
                break
        return samples[-1]

    def alive(self):
        return self.proc.poll() is None

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.errfile, errors="replace") as f:
            return f.read()

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()
        text = self.stderr()
        os.unlink(self.errfile)
        return text


def hostport(url):
    rest = url.split("://", 1)[1]
    hp = rest.split("/", 1)[0]
    host, port = hp.rsplit(":", 1)
    return host, int(port)


def probe(url, timeout=3):
    """One fresh nngcat REQ client: (ok, wall milliseconds from its start to its exit with the reply)."""
    t0 = time.perf_counter()
    try:
        r = subprocess.run(["nngcat", "--req", "--dial", url, "--data", "ping", "--recv-timeout", str(timeout), "-A"],
                           capture_output=True, timeout=timeout + 5)
        ok = r.returncode == 0 and b"pong" in r.stdout
    except subprocess.TimeoutExpired:
        ok = False
    return ok, ms(time.perf_counter() - t0)


def raw_probe(url, timeout=3):
    """One fresh raw REQ client in this process (no process start in the figure): (ok, milliseconds from its
    connect to the reply)."""
    host, port = hostport(url)
    t0 = time.perf_counter()
    try:
        if url.startswith("ws"):
            s, _ = ws_open(port, timeout=timeout)
            s.sendall(ws_frame(0x2, b"\x80\x00\x00\x01ping"))
            want = 2 + 8  # an unmasked frame: 2 bytes of head, the request id and "pong"
        else:
            s = tcp_connect(port, timeout=timeout)
            s.sendall(SP_HEADER_REQ + sp_message(b"\x80\x00\x00\x01ping"))
            want = 8 + 8 + 8  # its header, then the length and the request id and "pong"
        got = b""
        while len(got) < want:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        s.close()
        return got.endswith(b"pong"), ms(time.perf_counter() - t0)
    except OSError:
        return False, ms(time.perf_counter() - t0)


class Prober(threading.Thread):
    """Probes every `every` seconds in the background until stopped: a raw client, then nngcat."""

    def __init__(self, url, every=1.0):
        super().__init__(daemon=True)
        self.url, self.every, self.results = url, every, []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.results.append(probe_both(self.url))
            self.stopped.wait(self.every)

    def stop(self):
        self.stopped.set()
        self.join()
        return self.results


def probe_both(url):
    return raw_probe(url), probe(url)


def probe_summary(results):
    """Figures of (raw, nngcat) probe pairs."""
    if not results:
        return {"probes": 0}
    raw = [t for (ok, t), _ in results if ok]
    cat = [t for _, (ok, t) in results if ok]
    return {"probes": len(results), "raw_ok": len(raw), "raw_max_ms": max(raw) if raw else None,
            "raw_median_ms": sorted(raw)[len(raw) // 2] if raw else None,
            "nngcat_ok": len(cat), "nngcat_max_ms": max(cat) if cat else None,
            "nngcat_median_ms": sorted(cat)[len(cat) // 2] if cat else None}


def probes_pass(p, bar_ms=100):
    """Every probe served, the raw ones within the bar (nngcat's figure adds its own process start)."""
    return (p.get("probes", 0) > 0 and p["raw_ok"] == p["probes"] and p["nngcat_ok"] == p["probes"]
            and p["raw_max_ms"] <= bar_ms)


# ---------------------------------------------------------------- raw clients

def tcp_connect(port, rcvbuf=None, timeout=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    return s


def sp_message(body):
    return struct.pack(">Q", len(body)) + body


def ws_request(port, path="/", extra=""):
    key = base64.b64encode(os.urandom(16)).decode()
    return ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n"
            "%s\r\n" % (path, port, key, extra)).encode()


def ws_open(port, rcvbuf=None, extra="", timeout=10):
    """A WebSocket pipe to the REP listener: the socket (after the 101 answer) and the answer's head."""
    s = tcp_connect(port, rcvbuf, timeout)
    s.sendall(ws_request(port, extra=extra))
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("closed during the upgrade: %r" % head[:200])
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise OSError("upgrade refused: " + head.split(b"\r\n", 1)[0].decode(errors="replace"))
    return s, head.decode(errors="replace")


def ws_frame(opcode, payload=b"", fin=True, rsv1=False, length=None):
    """A client frame (masked with the all-zero key, so the payload goes as it is); `length` may lie."""
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload) if length is None else length
    if n < 126:
        head = bytes([b0, 0x80 | n])
    elif n < 65536:
        head = bytes([b0, 0x80 | 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, 0x80 | 127]) + struct.pack(">Q", n)
    return head + b"\0\0\0\0" + payload


def read_until_closed(s, limit):
    """Reads (and drops) until the peer closes; (seconds waited or None, close code seen in a close frame or None)."""
    t0 = time.perf_counter()
    s.settimeout(0.05)
    data = b""
    while time.perf_counter() - t0 < limit:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return time.perf_counter() - t0, close_code(data)
        if not chunk:
            return time.perf_counter() - t0, close_code(data)
        if len(data) < 65536:
            data += chunk
    return None, close_code(data)


def close_code(data):
    """The status code of the first server close frame in `data`, or None."""
    i = 0
    while i + 2 <= len(data):
        op, n = data[i] & 0x0F, data[i + 1] & 0x7F
        j = i + 2
        if n == 126:
            n, j = struct.unpack(">H", data[j:j + 2])[0], j + 2
        elif n == 127:
            n, j = struct.unpack(">Q", data[j:j + 8])[0], j + 8
        if op == 8:
            return struct.unpack(">H", data[j:j + 2])[0] if n >= 2 and j + 2 <= len(data) else 1005
        i = j + n
    return None


def open_many(n, opener, workers=16, what="connections"):
    """Opens n connections with `opener(i)` on a few threads; returns (sockets, failures, seconds)."""
    socks, failures = [], []
    t0 = time.perf_counter()
    done = 0
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(opener, i) for i in range(n)]
        for f in futures:
            try:
                socks.append(f.result())
            except OSError as e:
                failures.append(str(e))
            done += 1
            if done % max(1, n // 10) == 0:
                log("  %d/%d %s open" % (done - len(failures), n, what))
    return socks, failures, time.perf_counter() - t0


class CloseWatch:
    """Watches many sockets (reading and dropping what comes) and records when each is closed by the peer."""

    def __init__(self, socks):
        self.sel = selectors.DefaultSelector()
        self.open = {}
        for s, t_open, kind in socks:
            s.setblocking(False)
            self.sel.register(s, selectors.EVENT_READ, (t_open, kind))
            self.open[s] = True
        self.closed = []  # (kind, seconds after its open)

    def poll(self, until):
        while self.open and time.perf_counter() < until:
            for key, _ in self.sel.select(timeout=0.05):
                s = key.fileobj
                t_open, kind = key.data
                try:
                    gone = not s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    gone = True
                if gone:
                    self.closed.append((kind, time.perf_counter() - t_open))
                    self.sel.unregister(s)
                    del self.open[s]
                    s.close()

    def close_all(self):
        for s in list(self.open):
            self.sel.unregister(s)
            s.close()
        self.open.clear()


def spread(values):
    if not values:
        return None
    v = sorted(values)
    return {"min": round(v[0], 2), "median": round(v[len(v) // 2], 2), "max": round(v[-1], 2)}


# ---------------------------------------------------------------- scenarios

def slowloris(scheme, sets, hold=16.0, timeout=10.0):
    """Opens every set of silent or partial handshakes at once, watches when each closes, probes meanwhile."""
    port = free_port()
    url = "%s://127.0.0.1:%d%s" % (scheme, port, "/" if scheme == "ws" else "")
    lst = Listener(url)
    prober = Prober(url, 1.0)
    prober.start()
    socks = []
    dribblers = []
    t_attack = time.perf_counter()
    for kind, count, first in sets:
        log("opening %d %s handshakes" % (count, kind))
        for _ in range(count):
            try:
                s = tcp_connect(port)
            except OSError as e:
                log("  connect failed: %s" % e)
                continue
            if first:
                s.sendall(first)
            socks.append((s, time.perf_counter(), kind))
            if kind == "dribbling":
                dribblers.append(s)
    log("%d open in %.1f s; watching for %.0f s" % (len(socks), time.perf_counter() - t_attack, hold))
    watch = CloseWatch(socks)
    request = ws_request(port)[1:]  # after the "G" sent at first
    until = time.perf_counter() + hold
    step = 0
    while watch.open and time.perf_counter() < until:
        watch.poll(min(until, time.perf_counter() + 1.0))
        for s in dribblers:  # one more byte a second
            if s in watch.open and step < len(request):
                try:
                    s.send(request[step:step + 1])
                except OSError:
                    pass
        step += 1
    still_open = len(watch.open)
    watch.close_all()
    probes = probe_summary(prober.stop())
    rss, hwm = lst.memory()
    lst.stop()
    times = [t for _, t in watch.closed]
    on_time = [t for t in times if abs(t - timeout) <= 0.5]
    early = [t for t in times if t < timeout - 0.5]
    late = [t for t in times if t > timeout + 0.5]
    d = {"connections": len(socks), "closed": len(times), "open_at_end": still_open, "hold_s": hold,
         "closed_at_s": spread(times), "closed_at_timeout_pm_0.5": len(on_time), "closed_early": len(early),
         "closed_late": len(late), "rss_mb": rss, "hwm_mb": hwm, "rss_start_mb": lst.rss0}
    d.update(probes)
    ok = still_open == 0 and not late and probes_pass(probes)
    cell = "%d/%d closed" % (len(times), len(socks))
    if times:
        cell += ", %d at %.1f-%.1f s" % (len(on_time), min(on_time) if on_time else 0, max(on_time) if on_time else 0)
        if early:
            cell += ", %d earlier (%.1f-%.1f s)" % (len(early), min(early), max(early))
        if late:
            cell += ", %d later" % len(late)
    if still_open:
        cell += ", %d still open at %.0f s" % (still_open, hold)
    cell += "; probes %s" % probe_cell(probes)
    return cell, ok, d


def probe_cell(p):
    if not p.get("probes"):
        return "none"
    s = "%d/%d served" % (min(p["raw_ok"], p["nngcat_ok"]), p["probes"])
    if p.get("raw_max_ms") is not None:
        s += ", max %.0f ms" % p["raw_max_ms"]
    if p.get("nngcat_max_ms") is not None:
        s += " (nngcat %.0f ms)" % p["nngcat_max_ms"]
    return s


def sc_slowloris_tcp():
    n = ARGS.count or 1000
    return slowloris("tcp", [("silent", n, None), ("three-byte", n, b"\x00SP")])


def sc_slowloris_ws():
    n = ARGS.count or 1000
    partial = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
    return slowloris("ws", [("partial", n, partial), ("dribbling", max(1, n // 5), b"G")])


def sc_idle_ws():
    n = ARGS.count or 10000
    port = free_port()
    url = "ws://127.0.0.1:%d/" % port
    lst = Listener(url)
    log("opening %d idle ws pipes" % n)
    socks, failures, secs = open_many(n, lambda i: ws_open(port)[0], what="ws pipes")
    rss, hwm = lst.settled_memory()
    probes = probe_summary([probe_both(url) for _ in range(5)])
    for s in socks:
        s.close()
    lst.stop()
    d = {"pipes": len(socks), "failures": len(failures), "failure_sample": failures[:3], "open_s": round(secs, 2),
         "accept_rate_per_s": round(len(socks) / secs), "rss_mb": rss, "hwm_mb": hwm, "rss_start_mb": lst.rss0}
    d.update(probes)
    ok = not failures and rss < 150 and probes_pass(probes)
    cell = "%d pipes, RSS %.0f MB (start %.0f), %d/s accepted; probes %s" % (
        len(socks), rss, lst.rss0, d["accept_rate_per_s"], probe_cell(probes))
    return cell, ok, d


def sc_conn_limit():
    """Over listen-conn-max and listen-conn-per-ip-max: the next is refused (tcp closed, ws 503); closing frees."""
    if ARGS.target != "sprocket":
        return "n/a (NNG has no connection limit)", None, {}
    n = ARGS.count or 10000
    out, ok = {}, True
    for scheme in ("tcp", "ws"):
        port = free_port()
        url = "%s://127.0.0.1:%d%s" % (scheme, port, "/" if scheme == "ws" else "")
        try:
            lst = Listener(url, ["--listen-conn-max", str(n)])
        except SystemExit as e:  # a build from before the option
            return "no such option: " + str(e).split("\n")[-1].strip()[:120], False, {"error": str(e)}
        time.sleep(0.3)  # the warm-up probe's connection closes
        if scheme == "tcp":
            opener = lambda i: hold_sp(port)
        else:
            opener = lambda i: ws_open(port)[0]
        socks, failures, _ = open_many(n, opener, what=scheme)
        t0 = time.perf_counter()
        refused = refusal(scheme, port)
        took = time.perf_counter() - t0
        socks.pop().close()
        time.sleep(0.3)
        again = probe(url)
        for s in socks:
            s.close()
        lst.stop()
        out[scheme] = {"held": len(socks) + 1, "failures": len(failures), "next": refused, "refused_in_ms": ms(took),
                       "after_one_closed_probe": again}
        ok = ok and not failures and (refused.startswith("closed") if scheme == "tcp" else " 503 " in refused) and again[0]
    cell = "tcp: %d held, next %s in %.0f ms; ws: next %s; one closed, a new one served: %s" % (
        out["tcp"]["held"], out["tcp"]["next"], out["tcp"]["refused_in_ms"], out["ws"]["next"].split("\n")[0],
        "yes" if out["tcp"]["after_one_closed_probe"][0] and out["ws"]["after_one_closed_probe"][0] else "NO")
    return cell, ok, out


def hold_sp(port):
    s = tcp_connect(port)
    s.sendall(SP_HEADER_REQ)
    if len(s.recv(8)) == 0:
        raise OSError("closed")
    return s


def refusal(scheme, port):
    """What a connection over the limit gets: 'closed' (tcp), the HTTP status line and body (ws), or 'served'."""
    s = tcp_connect(port)
    try:
        if scheme == "tcp":
            s.sendall(SP_HEADER_REQ)
            data = s.recv(8)
            return "closed" if not data else "served"
        s.sendall(ws_request(port))
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b"\r\n", 1)[0].decode() + " / " + data.split(b"\r\n\r\n", 1)[-1].decode().strip()
    except OSError as e:
        return "closed (%s)" % e.__class__.__name__
    finally:
        s.close()


def sc_ping_flood():
    n = ARGS.count or 10000
    port = free_port()
    url = "ws://127.0.0.1:%d/" % port
    lst = Listener(url)
    s, _ = ws_open(port, rcvbuf=4096)
    rss0, _ = lst.memory()
    log("sending %d pings (125-byte payloads) without reading" % n)
    ping = ws_frame(0x9, b"p" * 125)
    s.settimeout(10)
    sent = 0
    t0 = time.perf_counter()
    try:
        for i in range(n):
            s.sendall(ping)
            sent += 1
    except OSError as e:
        log("  send stopped after %d: %s" % (sent, e))
    secs = time.perf_counter() - t0
    time.sleep(3)
    rss, hwm = lst.memory()
    probes = probe_summary([probe_both(url) for _ in range(3)])
    try:
        s.setblocking(False)
        alive = s.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        alive = True
    except OSError:
        alive = False
    s.close()
    lst.stop()
    growth = round(rss - rss0, 1)
    d = {"pings": n, "sent": sent, "send_s": round(secs, 2), "rss_before_mb": rss0, "rss_mb": rss, "hwm_mb": hwm,
         "growth_mb": growth, "connection_open": alive}
    d.update(probes)
    ok = growth < 10 and probes_pass(probes)
    cell = "%d/%d pings sent in %.1f s, RSS +%.1f MB, connection %s; probes %s" % (
        sent, n, secs, growth, "open" if alive else "closed", probe_cell(probes))
    return cell, ok, d


def bomb_frames(size, frame=64 * 1024):
    """A permessage-deflate message that inflates to `size` zero bytes, cut into frames of `frame` bytes."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(MIB)
    out = [c.compress(block) for _ in range(size // MIB)]
    out.append(c.flush(zlib.Z_SYNC_FLUSH))
    data = b"".join(out)[:-4]
    frames = []
    for i in range(0, len(data), frame):
        part = data[i:i + frame]
        frames.append(ws_frame(0x2 if i == 0 else 0x0, part, fin=i + frame >= len(data), rsv1=i == 0))
    return frames, len(data)


def sc_oversize():
    port_t, port_w = free_port(), free_port()
    deflate = ["--ws-deflate"] if ARGS.target == "sprocket" else []
    lt = Listener("tcp://127.0.0.1:%d" % port_t)
    lw = Listener("ws://127.0.0.1:%d/" % port_w, deflate)
    rss0 = lt.memory()[0] + lw.memory()[0]
    cases = []

    def tcp_case(name, length):
        s = tcp_connect(port_t)
        s.sendall(SP_HEADER_REQ)
        t0 = time.perf_counter()
        s.sendall(struct.pack(">Q", length))
        secs, _ = read_until_closed(s, 5)
        s.close()
        cases.append({"case": name, "closed_ms": ms(secs) if secs is not None else None, "code": None,
                      "served_after": probe(lt.url)[0], "expect": None})
        log("  %s: closed in %s ms" % (name, cases[-1]["closed_ms"]))

    def ws_case(name, frames, expect, extra=""):
        try:
            s, head = ws_open(port_w, extra=extra)
        except OSError as e:
            cases.append({"case": name, "closed_ms": None, "code": None, "error": str(e), "expect": expect,
                          "served_after": probe(lw.url)[0]})
            return
        if "permessage-deflate" in extra and "permessage-deflate" not in head:
            s.close()
            cases.append({"case": name, "closed_ms": None, "code": None, "error": "deflate not agreed",
                          "expect": expect, "served_after": probe(lw.url)[0]})
            log("  %s: deflate not agreed" % name)
            return
        t0 = time.perf_counter()
        s.settimeout(5)
        try:
            for f in frames:
                s.sendall(f)
        except OSError:
            pass  # closed while sending: measured below
        sent = time.perf_counter() - t0
        secs, code = read_until_closed(s, 5)
        s.close()
        total = None if secs is None else sent + secs
        cases.append({"case": name, "closed_ms": ms(total) if total is not None else None, "code": code,
                      "expect": expect, "served_after": probe(lw.url)[0]})
        log("  %s: closed in %s ms, code %s" % (name, cases[-1]["closed_ms"], code))

    tcp_case("tcp 2^62", 1 << 62)
    tcp_case("tcp 2^31-17", (1 << 31) - 17)
    ws_case("ws 2^63-1", [ws_frame(0x2, b"", length=(1 << 63) - 1)], 1009)
    ws_case("ws 2^63", [ws_frame(0x2, b"", length=1 << 63)], 1002)
    for size, name in ((100 * MIB, "deflate 100 MiB"), (1024 * MIB, "deflate 1 GiB")):
        frames, clen = bomb_frames(size)
        log("  %s bomb: %d compressed bytes" % (name, clen))
        ws_case(name, frames, 1009, "Sec-WebSocket-Extensions: permessage-deflate\r\n")
    time.sleep(1)
    rss = lt.memory()[0] + lw.memory()[0]
    lt.stop()
    lw.stop()
    growth = round(rss - rss0, 1)
    ok = growth < 10
    parts = []
    for c in cases:
        if c.get("error"):
            parts.append("%s: %s" % (c["case"], c["error"]))
            if "deflate" not in c["case"] or ARGS.target == "sprocket":
                ok = False
            continue
        good = c["closed_ms"] is not None and c["closed_ms"] <= 100 and c["served_after"] and (
            c["expect"] is None or c["code"] == c["expect"])
        ok = ok and good
        parts.append("%s: %s%s" % (c["case"], "closed %.0f ms" % c["closed_ms"] if c["closed_ms"] is not None
                                   else "NOT closed in 5 s", " (%s)" % c["code"] if c["code"] else ""))
    cell = "; ".join(parts) + "; RSS +%.1f MB" % growth
    return cell, ok, {"cases": cases, "rss_before_mb": rss0, "rss_after_mb": rss, "growth_mb": growth}


def rep_flood(cmd=None):
    """A requester floods the REP with requests and never reads; another one's round trips are timed. `cmd`, given
    the URL, replaces the listener command."""
    port = free_port()
    url = "tcp://127.0.0.1:%d" % port
    send_timeout = ARGS.send_timeout
    lst = Listener(url, ["--send-timeout", str(send_timeout)] if send_timeout else [],
                   cmd=cmd(url) if cmd else None)
    flood = tcp_connect(port, rcvbuf=4096)
    flood.sendall(SP_HEADER_REQ)
    stop = threading.Event()
    sent = [0]

    def flooder():
        flood.settimeout(0.2)
        batch = b"".join(sp_message(struct.pack(">I", 0x80000000 | (i + 1)) + b"flood") for i in range(256))
        while not stop.is_set():
            try:
                flood.sendall(batch)
                sent[0] += 256
            except socket.timeout:
                continue
            except OSError:
                break

    t = threading.Thread(target=flooder, daemon=True)
    t.start()
    t0_run = time.perf_counter()
    req = tcp_connect(port)
    req.sendall(SP_HEADER_REQ)
    req.recv(8)
    rtts, failures, first_failure = [], 0, None
    duration = ARGS.hold or 20
    t_end = time.perf_counter() + duration
    i = 0
    log("flooding for %d s; timing a second requester's round trips" % duration)
    while time.perf_counter() < t_end:
        i += 1
        t0 = time.perf_counter()
        try:
            req.sendall(sp_message(struct.pack(">I", 0x80000000 | i) + b"ping"))
            req.settimeout(10)
            got = b""
            while len(got) < 8 or len(got) < 8 + struct.unpack(">Q", got[:8])[0]:
                chunk = req.recv(4096)
                if not chunk:
                    raise OSError("closed")
                got += chunk
            rtts.append(time.perf_counter() - t0)
        except OSError as e:
            failures += 1
            if first_failure is None:
                first_failure = time.perf_counter() - t0_run
            log("  round trip %d failed after %.1f s: %s" % (i, time.perf_counter() - t0, e))
            try:
                req.close()
                req = tcp_connect(port)
                req.sendall(SP_HEADER_REQ)
                req.recv(8)
            except OSError:
                break
        time.sleep(0.25)
    stop.set()
    t.join(2)
    if failures:  # a REP that failed a send may be on its way out
        try:
            lst.proc.wait(3)
        except subprocess.TimeoutExpired:
            pass
    alive = lst.alive()
    err = lst.stop()
    flood.close()
    req.close()
    d = {"send_timeout_s": send_timeout, "flood_requests_sent": sent[0], "round_trips": len(rtts),
         "failures": failures, "first_failure_s": round(first_failure, 1) if first_failure else None,
         "rtt_ms": spread([r * 1000 for r in rtts]), "listener_alive": alive,
         "listener_stderr": err.strip().splitlines()[-2:] if err.strip() else []}
    d["pass"] = alive and failures == 0 and bool(rtts) and max(rtts) < (send_timeout or 30)
    return d


def rep_flood_cell(d):
    s = "%d round trips, max %s ms" % (d["round_trips"], "%.0f" % d["rtt_ms"]["max"] if d["rtt_ms"] else "-")
    if d["failures"]:
        s += ", %d failed (the first at %.0f s)" % (d["failures"], d["first_failure_s"])
    if not d["listener_alive"]:
        s += "; the REP exited: " + (d["listener_stderr"][-1] if d["listener_stderr"] else "?")
    return s


def sc_rep_flood():
    if ARGS.target == "sprocket":
        d = rep_flood()
        return rep_flood_cell(d) + " (%d flood requests)" % d["flood_requests_sent"], d["pass"], d
    runs = {"nngcat": rep_flood()}
    cell = "nngcat: " + rep_flood_cell(runs["nngcat"])
    if ARGS.nng_rep:
        ms_timeout = str(1000 * ARGS.send_timeout) if ARGS.send_timeout else "-1"
        runs["nngrep"] = rep_flood(lambda url: [ARGS.nng_rep, url, ms_timeout])
        cell += "; a REP loop on libnng that survives failed sends (nngrep.c): " + rep_flood_cell(runs["nngrep"])
    return cell, all(r["pass"] for r in runs.values()), runs


def amplify(scheme, n, java_opts=None):
    """n connections each announcing a 1 MiB message and sending one byte of it; memory and fresh clients."""
    port = free_port()
    url = "%s://127.0.0.1:%d%s" % (scheme, port, "/" if scheme == "ws" else "")
    lst = Listener(url, java_opts=java_opts)
    prober = Prober(url, 1.0)
    prober.start()

    def opener(i):
        if scheme == "tcp":
            s = tcp_connect(port)
            s.sendall(SP_HEADER_REQ + struct.pack(">Q", MIB) + b"\x80")
        else:
            s, _ = ws_open(port)
            s.sendall(ws_frame(0x2, b"\x80", length=MIB))
        return s

    log("opening %d %s connections, each announcing 1 MiB and sending 1 byte" % (n, scheme))
    socks, failures, secs = open_many(n, opener, what=scheme)
    rss, hwm = lst.settled_memory()
    time.sleep(2)
    probes = probe_summary(prober.stop())
    err = lst.stderr()
    oom = "OutOfMemoryError" in err
    alive = lst.alive()
    open_now = 0
    for s in socks:
        try:
            s.setblocking(False)
            if s.recv(1, socket.MSG_PEEK) != b"":
                open_now += 1
        except BlockingIOError:
            open_now += 1
        except OSError:
            pass
        s.close()
    lst.stop()
    growth = round(rss - lst.rss0, 1)
    d = {"connections": n, "opened": len(socks), "failures": len(failures), "failure_sample": failures[:3],
         "open_s": round(secs, 2), "still_open": open_now, "rss_start_mb": lst.rss0, "rss_mb": rss, "hwm_mb": hwm,
         "growth_mb": growth, "oom": oom, "listener_alive": alive, "java_opts": java_opts}
    d.update(probes)
    return d


def amplify_cell(d):
    s = "RSS %.0f MB (start %.0f, peak %.0f)" % (d["rss_mb"], d["rss_start_mb"], d["hwm_mb"])
    if d["failures"]:
        s += ", %d/%d connects failed" % (d["failures"], d["connections"])
    if d["oom"]:
        s += ", OutOfMemoryError"
    if not d["listener_alive"]:
        s += ", listener died"
    return s + "; probes " + probe_cell(d)


def sc_amplify_tcp():
    d = amplify("tcp", ARGS.count or 1000)
    return amplify_cell(d), d["rss_mb"] < 100 and not d["oom"] and probes_pass(d), d


def sc_amplify_tcp_10k():
    d = amplify("tcp", ARGS.count or 10000, "-Xmx256m" if ARGS.target == "sprocket" else None)
    return amplify_cell(d), not d["oom"] and d["listener_alive"] and probes_pass(d), d


def sc_amplify_ws():
    d = amplify("ws", ARGS.count or 1000)
    return amplify_cell(d), d["rss_mb"] < 100 and not d["oom"] and probes_pass(d), d


def sc_amplify_ws_10k():
    d = amplify("ws", ARGS.count or 10000, "-Xmx256m" if ARGS.target == "sprocket" else None)
    return amplify_cell(d), not d["oom"] and d["listener_alive"] and probes_pass(d), d


SCENARIOS = {
    "slowloris-tcp": sc_slowloris_tcp,
    "slowloris-ws": sc_slowloris_ws,
    "idle-ws": sc_idle_ws,
    "conn-limit": sc_conn_limit,
    "ping-flood": sc_ping_flood,
    "oversize": sc_oversize,
    "rep-flood": sc_rep_flood,
    "amplify-tcp": sc_amplify_tcp,
    "amplify-tcp-10k": sc_amplify_tcp_10k,
    "amplify-ws": sc_amplify_ws,
    "amplify-ws-10k": sc_amplify_ws_10k,
}


# ---------------------------------------------------------------- docs/reliability.md

# scenario: (what is done, with its full counts; the bar)
TABLE = [
    ("slowloris-tcp", "slowloris tcp: 1000 silent + 1000 three-byte SP headers",
     "all closed by the handshake timeout (10 s) + 0.5 s; a fresh client served within 100 ms at every probe"),
    ("slowloris-ws", "slowloris ws: 1000 partial + 200 dribbling (1 byte/s) upgrades",
     "all closed at the handshake timeout (10 s) +- 0.5 s; a fresh client served within 100 ms at every probe"),
    ("idle-ws", "10,000 idle ws pipes", "RSS under 150 MB; accept rate recorded; fresh client within 100 ms"),
    ("conn-limit", "10,000 connections held (tcp, then ws) at --listen-conn-max 10000, then one more",
     "the next is refused at once (tcp closed, ws 503 naming the limit); a closed one frees its slot"),
    ("ping-flood", "10,000 pings (125-byte payloads) from a ws peer that never reads", "RSS growth under 10 MB"),
    ("oversize", "tcp lengths 2^62 and 2^31-17, ws lengths 2^63-1 and 2^63, deflate bombs of 100 MiB and 1 GiB",
     "each closed within 100 ms (ws 1009, 1002, 1009), others served, RSS growth under 10 MB"),
    ("rep-flood", "REQ flooding a REP (send timeout 1 s) and reading no replies; another REQ's round trips",
     "the other requester's round trips stay under the send timeout"),
    ("amplify-tcp", "1000 tcp connections: SP header, length 1,048,576, one byte", "listener RSS under 100 MB"),
    ("amplify-tcp-10k", "the same, 10,000 connections, listener at -Xmx256m",
     "no OutOfMemoryError; fresh client within 100 ms throughout"),
    ("amplify-ws", "1000 ws pipes: a frame header announcing 1 MiB (ws:rxframe-max), one byte",
     "listener RSS under 100 MB"),
    ("amplify-ws-10k", "the same, 10,000 pipes, listener at -Xmx256m",
     "no OutOfMemoryError; fresh client within 100 ms throughout"),
]
COLUMNS = [("sprocket-before", "Sprocket before"), ("sprocket-after", "Sprocket after"), ("nng", "NNG 1.5.2")]


def sections(text):
    """{key: content} of the doc's "<!-- BEGIN key -->" ... "<!-- END key -->" sections."""
    out, key, buf = {}, None, []
    for line in text.splitlines():
        if key is None and line.startswith("<!-- BEGIN ") and line.endswith(" -->"):
            key, buf = line[len("<!-- BEGIN "):-4], []
        elif key is not None and line == "<!-- END %s -->" % key:
            out[key] = "\n".join(buf)
            key = None
        elif key is not None:
            buf.append(line)
    return out


def put_section(text, key, content):
    """`text` with section `key` replaced by `content` (appended at the end if absent), as scripts/lib/report.sh."""
    begin, end = "<!-- BEGIN %s -->" % key, "<!-- END %s -->" % key
    lines, out, skip, done = text.splitlines(), [], False, False
    for line in lines:
        if line == begin:
            out += [begin] + content.splitlines() + [end]
            skip = done = True
        elif skip and line == end:
            skip = False
        elif not skip:
            out.append(line)
    if not done:
        out += ["", begin] + content.splitlines() + [end]
    return "\n".join(out) + "\n"


def md(cell):
    return str(cell).replace("|", "\\|").replace("\n", " ")


def report(argv):
    """report DOC LABEL [FACTS-FILE] RESULT-FILE...: puts the results (JSON lines of this tool) into DOC as data
    sections, the machine facts as section "facts LABEL", and regenerates the summary table and the details."""
    doc, label, files = argv[0], argv[1], argv[2:]
    text = open(doc).read() if os.path.exists(doc) else "# Reliability\n"
    for f in files:
        with open(f) as fh:
            content = fh.read().strip()
        if f.endswith(".md"):
            text = put_section(text, "facts " + label, content)
            continue
        for line in content.splitlines():
            r = json.loads(line)
            col = "nng" if r["target"] == "nng" else "sprocket-" + label
            data = json.dumps(r, sort_keys=True).replace("--", "-\\u002d")  # no "-->" inside the comment
            text = put_section(text, "data %s %s" % (r["scenario"], col), "<!-- %s -->" % data)
    secs = sections(text)
    results = {}
    for key, content in secs.items():
        if key.startswith("data "):
            _, scenario, col = key.split(" ")
            results[(scenario, col)] = json.loads(content.strip()[4:-3])
    rows = ["| scenario | " + " | ".join(title for _, title in COLUMNS) + " | bar | result |",
            "|---|---|---|---|---|---|"]
    for name, what, bar in TABLE:
        cells = []
        for col, _ in COLUMNS:
            r = results.get((name, col))
            cells.append(md(r["result"]) if r else "not run")
        latest = results.get((name, "sprocket-after")) or results.get((name, "sprocket-before"))
        verdict = "not run" if not latest else "PASS" if latest["pass"] else "FAIL"
        if latest and not results.get((name, "sprocket-after")):
            verdict += " (before)"
        rows.append("| `%s`: %s | %s | %s | %s |" % (name, md(what), " | ".join(cells), md(bar), verdict))
    text = put_section(text, "summary", "\n".join(rows))
    details = []
    for name, what, _ in TABLE:
        have = [(title, results[(name, col)]) for col, title in COLUMNS if (name, col) in results]
        if not have:
            continue
        details.append("#### `%s`: %s" % (name, what))
        details.append("")
        for title, r in have:
            details.append("- %s: `%s`" % (title, json.dumps(r["details"], sort_keys=True)))
        details.append("")
    text = put_section(text, "details", "\n".join(details).rstrip())
    with open(doc, "w") as fh:
        fh.write(text)


def main():
    global ARGS
    if len(sys.argv) > 1 and sys.argv[1] == "report":
        report(sys.argv[2:])
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=sorted(SCENARIOS))
    p.add_argument("--target", choices=("sprocket", "nng"), required=True)
    p.add_argument("--sprocket", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin",
                                                       "sprocket"))
    p.add_argument("--count", type=int, default=0, help="connections (or pings) instead of the scenario's full count")
    p.add_argument("--hold", type=float, default=0, help="seconds to run a timed scenario (rep-flood)")
    p.add_argument("--nng-rep", help="rep-flood against nng: this REP loop (scripts/peers-extra/nngrep.c) instead of "
                   "nngcat, which exits on its first failed send")
    p.add_argument("--send-timeout", type=int, default=1, help="rep-flood: the REP's --send-timeout, 0 for none")
    ARGS = p.parse_args()
    raise_nofile()
    log("%s against %s" % (ARGS.scenario, ARGS.target))
    cell, ok, details = SCENARIOS[ARGS.scenario]()
    print(json.dumps({"scenario": ARGS.scenario, "target": ARGS.target, "result": cell, "pass": ok,
                      "details": details}))


if __name__ == "__main__":
    main()
