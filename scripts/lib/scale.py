#!/usr/bin/env python3
"""Idle WebSocket SUB connections for scripts/bench-scale.sh (python3 standard library only).

  scale.py --port P --connections N [--procs 4] [--threads 8] [--size 64] [--path /] --out FILE
           --ready FILE --release FILE [--timeout 120]

Opens N raw WebSocket connections (subprotocol pub.sp.nanomsg.org: SP SUB dialing a PUB listener) from PROCS
processes, THREADS handshakes in flight in each, and records the instant of each 101 answer with
time.monotonic_ns() (CLOCK_MONOTONIC, the clock of Java's System.nanoTime() on Linux). Then every process
waits for one binary frame of SIZE bytes on each of its connections and records its arrival instant. When all
have arrived (or TIMEOUT passed) it writes FILE (JSON: connections, failures, first and last 101, first and last
arrival, messages, client CPU seconds), creates READY, and holds every connection open until RELEASE exists, so
the listener's heap can be measured with N idle connections. Progress goes to stderr.
"""
import argparse
import base64
import concurrent.futures
import json
import multiprocessing
import os
import resource
import selectors
import socket
import sys
import time


def log(msg):
    print("scale.py: " + msg, file=sys.stderr, flush=True)


def ws_open(port, path, timeout):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: pub.sp.nanomsg.org\r\n"
               "\r\n" % (path, port, key)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("closed during the upgrade")
        head += chunk
    t = time.monotonic_ns()
    if not head.startswith(b"HTTP/1.1 101"):
        raise OSError("upgrade refused: " + head.split(b"\r\n", 1)[0].decode(errors="replace"))
    rest = head.split(b"\r\n\r\n", 1)[1]
    return s, t, rest


def frame_complete(data, size):
    """True when `data` holds a whole server frame (unmasked) with a payload of `size` bytes."""
    if len(data) < 2:
        return False
    n, i = data[1] & 0x7F, 2
    if n == 126:
        i = 4
    elif n == 127:
        i = 10
    return len(data) >= i + size


def worker(k, a, n, q, parent):
    opened, failures = [], []
    cpu0 = time.process_time()
    with concurrent.futures.ThreadPoolExecutor(a.threads) as pool:
        futures = [pool.submit(ws_open, a.port, a.path, a.timeout) for _ in range(n)]
        for j, f in enumerate(futures, 1):
            try:
                opened.append(f.result())
            except OSError as e:
                failures.append(str(e))
            if k == 0 and j % max(1, n // 5) == 0:
                log("process 0: %d/%d connections open" % (len(opened), n))
    connect_cpu = time.process_time() - cpu0
    sel = selectors.DefaultSelector()
    buf = {}
    arrivals = []
    for s, _, rest in opened:
        s.setblocking(False)
        buf[s] = rest
        if frame_complete(rest, a.size):
            arrivals.append(time.monotonic_ns())
        else:
            sel.register(s, selectors.EVENT_READ)
    deadline = time.monotonic() + a.timeout
    while len(arrivals) < len(opened) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                chunk = b""
            now = time.monotonic_ns()
            if not chunk:
                sel.unregister(s)
                failures.append("closed before the message")
                continue
            buf[s] += chunk
            if frame_complete(buf[s], a.size):
                arrivals.append(now)
                sel.unregister(s)
    times = [t for _, t, _ in opened]
    q.put({"process": k, "connections": len(opened), "failures": failures[:5], "failed": len(failures),
           "first_101": min(times, default=0), "last_101": max(times, default=0),
           "first_arrival": min(arrivals, default=0), "last_arrival": max(arrivals, default=0),
           "messages": len(arrivals), "connect_cpu_s": connect_cpu, "cpu_s": time.process_time() - cpu0})
    hold_until = time.monotonic() + 600      # never outlive a script that died without releasing
    while not os.path.exists(a.release) and os.getppid() == parent and time.monotonic() < hold_until:
        time.sleep(0.1)
    for s, _, _ in opened:
        s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--procs", type=int, default=4)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--path", default="/")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--out", required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--release", required=True)
    a = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    q = multiprocessing.Queue()
    share = [a.connections // a.procs + (1 if k < a.connections % a.procs else 0) for k in range(a.procs)]
    procs = [multiprocessing.Process(target=worker, args=(k, a, share[k], q, os.getpid())) for k in range(a.procs)]
    for pr in procs:
        pr.start()
    results = []
    deadline = time.monotonic() + 2 * a.timeout + 30
    while len(results) < a.procs and time.monotonic() < deadline:
        try:
            results.append(q.get(timeout=1))
        except Exception:  # queue.Empty; a process that died is seen by the deadline
            if not any(pr.is_alive() for pr in procs):
                break
    ok = [r for r in results if r["connections"]]
    summary = {
        "connections": sum(r["connections"] for r in results),
        "failed": sum(r["failed"] for r in results),
        "failures": [f for r in results for f in r["failures"]][:5],
        "first_101": min((r["first_101"] for r in ok), default=0),
        "last_101": max((r["last_101"] for r in ok), default=0),
        "first_arrival": min((r["first_arrival"] for r in ok if r["messages"]), default=0),
        "last_arrival": max((r["last_arrival"] for r in ok), default=0),
        "messages": sum(r["messages"] for r in results),
        "client_connect_cpu_s": round(sum(r["connect_cpu_s"] for r in results), 3),
        "client_cpu_s": round(sum(r["cpu_s"] for r in results), 3),
        "processes": a.procs,
    }
    with open(a.out, "w") as f:
        json.dump(summary, f)
    open(a.ready, "w").close()
    log("%d connections open (%d failed), %d messages arrived; holding until released"
        % (summary["connections"], summary["failed"], summary["messages"]))
    for pr in procs:
        pr.join()
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
