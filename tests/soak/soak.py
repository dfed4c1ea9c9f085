#!/usr/bin/python3
"""Soak: churns connections through statd across every protocol, valid and
garbage, while 32 well-behaved clients poll; then checks that nothing leaked.

  soak.py [--connections N] [--seconds S] [--concurrency C] [--statd PATH] [--root DIR]

Starts its own statd (PATH, default $STATD_BUILD/statd or build/statd) on
loopback ports with an HTTP listener and a raw rt-stat listener, warms it
up, and records its open fds (/proc/PID/fd), VmRSS and statd_* counters.
Then it opens N churn connections (stopping early after S seconds), C at a
time, each one of: GET /metrics, GET /healthz, a bad request, a socktop
WebSocket request, an rt-stat WebSocket or raw TCP exchange, garbage bytes
(HTTP and rt-stat ports, and inside a WebSocket), a half-open connection
(FIN after a partial or full request), an abrupt RST (SO_LINGER 0), a slow
reader and a stalled reader. Meanwhile 16 clients poll /metrics over one
keep-alive connection each and 16 poll get_metrics over /ws; every one of
their requests must be answered in time.

Afterwards (once statd settles) it checks: the fd count is back to the
baseline, VmRSS grew less than the bound, every accepted connection but the
scraper's own was closed (statd_connected_clients), none was refused, the
accepted count grew by the connections opened, and statd is still alive.
Churn clients come from 127.0.2.0/24 and the pollers from 127.0.1.x, so the
per-address cap (16) is met without being switched off. Every loop is
bounded; only loopback addresses are used. Prints the numbers and ends with
"soak: N passed, N failed" (one per check).
"""
import argparse
import asyncio
import base64
import os
import random
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, "..", ".."))
REQUEST_TIMEOUT_S = 10.0
RSS_GROWTH_BOUND_KB = 1024
POLL_INTERVAL_S = 0.1

sys.path.insert(0, os.path.join(SRCDIR, "tests", "integration"))
from harness import ws_frame  # noqa: E402  (the one masked-frame builder)

MASK = b"\x01\x02\x03\x04"  # harness.ws_frame's mask, for hand-made headers


def upgrade_request(path):
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET {path} HTTP/1.1\r\nHost: soak\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


class Conn:
    """A raw non-blocking socket driven by the asyncio loop, with a read buffer."""

    def __init__(self, loop, sock):
        self.loop, self.sock, self.buf = loop, sock, b""

    @classmethod
    async def open(cls, port, source_ip, rcvbuf=None):
        loop = asyncio.get_running_loop()
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Let connect() pick the port per destination (no bind-time port
        # exhaustion with many source addresses).
        s.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24), 1)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        try:
            s.bind((source_ip, 0))
            await asyncio.wait_for(loop.sock_connect(s, ("127.0.0.1", port)), REQUEST_TIMEOUT_S)
        except BaseException:
            s.close()
            raise
        return cls(loop, s)

    async def send(self, data):
        await asyncio.wait_for(self.loop.sock_sendall(self.sock, data), REQUEST_TIMEOUT_S)

    async def fill(self):
        chunk = await asyncio.wait_for(self.loop.sock_recv(self.sock, 65536), REQUEST_TIMEOUT_S)
        if not chunk:
            raise EOFError
        self.buf += chunk

    async def read_until(self, marker):
        while marker not in self.buf:
            await self.fill()
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    async def read_exactly(self, n):
        while len(self.buf) < n:
            await self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    async def read_to_eof(self, limit=1 << 22):
        try:
            while len(self.buf) < limit:
                await self.fill()
        except (EOFError, ConnectionResetError):
            pass
        return self.buf

    async def http_response(self):
        """(status, body) of one response with Content-Length."""
        head = await self.read_until(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        return status, await self.read_exactly(length)

    async def ws_open(self, path):
        await self.send(upgrade_request(path))
        head = await self.read_until(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101 "):
            raise AssertionError(f"no upgrade: {head[:60]!r}")

    async def ws_message(self):
        """(opcode, payload) of the next data or Close frame (server frames are whole)."""
        while True:
            b0, b1 = await self.read_exactly(2)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(await self.read_exactly(2), "big")
            elif n == 127:
                n = int.from_bytes(await self.read_exactly(8), "big")
            payload = await self.read_exactly(n)
            if b0 & 0x0F in (1, 2, 8):
                return b0 & 0x0F, payload

    def close(self, rst=False):
        if rst:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


# ---- churn kinds: each opens one connection and returns True when statd
# behaved as it must (a valid request answered, garbage refused). ----

async def churn_metrics(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.send(b"GET /metrics HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
        status, body = await c.http_response()
        return status == 200 and b"statd_connections_accepted_total" in body
    finally:
        c.close()


async def churn_healthz(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.send(b"GET /healthz HTTP/1.1\r\nHost: soak\r\n\r\n")
        status, _ = await c.http_response()
        return status == 200
    finally:
        c.close()


async def churn_bad_request(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.send(random.choice([b"GET /metrics HTTP/9.9 junk\r\n\r\n", b"GET\r\n\r\n",
                                    b"GET /metrics HTTP/1.1\r\nHost: a\r\nbad header\r\n\r\n",
                                    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n"]))
        data = await c.read_to_eof()
        return data[:10] in (b"HTTP/1.1 4", b"HTTP/1.1 5")
    finally:
        c.close()


async def churn_garbage_http(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.send(os.urandom(random.randint(1, 2048)) + b"\r\n\r\n")
        data = await c.read_to_eof()
        return data == b"" or data.startswith(b"HTTP/1.1 ")
    finally:
        c.close()


async def churn_socktop(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.ws_open("/ws")
        await c.send(ws_frame(random.choice(["get_metrics", "get_disks"])))
        opcode, payload = await c.ws_message()
        ok = opcode in (1, 2) and len(payload) > 0
        if random.random() < 0.5:
            await c.send(ws_frame(b"\x03\xe8", opcode=8))
            opcode, _ = await c.ws_message()
            ok = ok and opcode == 8
        return ok
    finally:
        c.close()


async def churn_ws_garbage(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.ws_open(random.choice(["/ws", "/"]))
        bad = random.choice([b"\x81\x05hello",                      # unmasked
                             ws_frame(b"\xc0\xaf"),                  # invalid UTF-8
                             b"\xc1\x80" + MASK,                     # RSV1
                             b"\x82\xff" + (1 << 40).to_bytes(8, "big") + MASK])  # too big
        await c.send(bad)
        while True:
            opcode, payload = await c.ws_message()
            if opcode == 8:
                return int.from_bytes(payload[:2], "big") in (1002, 1007, 1009)
    finally:
        c.close()


async def churn_rtstat_ws(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.ws_open("/")
        opcode, welcome = await c.ws_message()
        await c.send(ws_frame("version::"))
        opcode, version = await c.ws_message()
        return welcome.startswith(b"Welcome::") and version.startswith(b"Version::")
    finally:
        c.close()


async def churn_rtstat_raw(ports, ip):
    c = await Conn.open(ports["rtstat"], ip)
    try:
        welcome = await c.read_until(b"\n")
        await c.send(b"version::\n")
        version = await c.read_until(b"\n")
        return welcome.startswith(b"Welcome::") and version.startswith(b"Version::")
    finally:
        c.close()


async def churn_rtstat_garbage(ports, ip):
    c = await Conn.open(ports["rtstat"], ip)
    try:
        await c.read_until(b"\n")
        await c.send(random.choice([os.urandom(300) + b"\n", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                                    b"interval::-1\n", b"auth\n" * 20]))
        await asyncio.sleep(0.01)
        return True
    finally:
        c.close(rst=random.random() < 0.5)


async def churn_half_open(ports, ip):
    c = await Conn.open(ports["http"], ip)
    try:
        if random.random() < 0.5:
            # A partial head, then FIN: statd must close, not wait for the deadline.
            await c.send(b"GET /metrics HTTP/1.1\r\nHost: so")
            c.sock.shutdown(socket.SHUT_WR)
            return await c.read_to_eof() == b""
        # A full request, then FIN: answered, then closed.
        await c.send(b"GET /healthz HTTP/1.1\r\nHost: soak\r\n\r\n")
        c.sock.shutdown(socket.SHUT_WR)
        return (await c.read_to_eof()).startswith(b"HTTP/1.1 200 ")
    finally:
        c.close()


async def churn_rst(ports, ip):
    c = await Conn.open(random.choice([ports["http"], ports["http"], ports["rtstat"]]), ip)
    what = random.random()
    if what < 0.3:
        await c.send(b"GET /metrics HTTP/1.1\r\nHost: soak\r\n\r\n")  # reply goes nowhere
    elif what < 0.6:
        await c.send(b"GET /ws HTTP/1.1\r\nHo")
    c.close(rst=True)
    return True


async def churn_slow_reader(ports, ip):
    """Asks for more than the socket buffers hold, then reads it slowly: all arrives."""
    c = await Conn.open(ports["http"], ip, rcvbuf=4096)
    try:
        await c.ws_open("/ws")
        for _ in range(4):
            await c.send(ws_frame("get_processes"))
        await asyncio.sleep(0.3)
        for _ in range(4):
            opcode, payload = await c.ws_message()
            if opcode != 2:
                return False
            await asyncio.sleep(0.02)
        return True
    finally:
        c.close()


async def churn_stalled_reader(ports, ip):
    """Never reads what it asked for, then resets the connection."""
    c = await Conn.open(ports["http"], ip, rcvbuf=4096)
    await c.send(b"GET /metrics HTTP/1.1\r\nHost: soak\r\n\r\n" * 8)
    await asyncio.sleep(0.5)
    c.close(rst=True)
    return True


# (kind, weight): weights per 1000 connections.
CHURN_KINDS = [
    (churn_metrics, 60), (churn_healthz, 150), (churn_bad_request, 60), (churn_garbage_http, 80),
    (churn_socktop, 150), (churn_ws_garbage, 60), (churn_rtstat_ws, 80), (churn_rtstat_raw, 100),
    (churn_rtstat_garbage, 50), (churn_half_open, 80), (churn_rst, 120), (churn_slow_reader, 3),
    (churn_stalled_reader, 7),
]


# ---- well-behaved pollers ----

class PollStats:
    def __init__(self):
        self.sent = self.answered = 0
        self.failures = []
        self.worst_s = 0.0


async def poll_metrics(ports, ip, stats, stop):
    c = await Conn.open(ports["http"], ip)
    try:
        while not stop.is_set():
            t0 = time.monotonic()
            stats.sent += 1
            try:
                await c.send(b"GET /metrics HTTP/1.1\r\nHost: soak\r\n\r\n")
                status, body = await c.http_response()
                if status != 200 or b"statd_build_info" not in body:
                    raise AssertionError(f"status {status}")
            except Exception as e:  # noqa: BLE001 -- every failure is recorded
                stats.failures.append(f"metrics poller {ip}: {type(e).__name__} {e}")
                return
            stats.answered += 1
            stats.worst_s = max(stats.worst_s, time.monotonic() - t0)
            await asyncio.sleep(POLL_INTERVAL_S)
    finally:
        c.close()


async def poll_socktop(ports, ip, stats, stop):
    c = await Conn.open(ports["http"], ip)
    try:
        await c.ws_open("/ws")
        while not stop.is_set():
            t0 = time.monotonic()
            stats.sent += 1
            try:
                await c.send(ws_frame("get_metrics"))
                opcode, payload = await c.ws_message()
                if opcode not in (1, 2) or not payload:
                    raise AssertionError(f"opcode {opcode}")
            except Exception as e:  # noqa: BLE001
                stats.failures.append(f"socktop poller {ip}: {type(e).__name__} {e}")
                return
            stats.answered += 1
            stats.worst_s = max(stats.worst_s, time.monotonic() - t0)
            await asyncio.sleep(POLL_INTERVAL_S)
        await c.send(ws_frame(b"\x03\xe8", opcode=8))
        await c.ws_message()
    finally:
        c.close()


# ---- statd's state from the outside ----

def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def scrape(port):
    """statd_* samples of /metrics as {name: value} (one connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    out = {}
    for line in data.split(b"\r\n\r\n", 1)[1].decode().splitlines():
        if line.startswith("statd_") and " " in line and "{" not in line:
            name, value = line.split(" ")[:2]
            out[name] = float(value)
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# A sanitizer or valgrind report on statd's stderr fails the soak.
REPORT_MARKERS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b": runtime error: ",
                  b"definitely lost: ", b"Invalid read", b"Invalid write")


def start_statd(statd, root, wrapper):
    ports = {"http": free_port(), "rtstat": free_port()}
    args = [statd, "-l", f"127.0.0.1:{ports['http']}", "--rtstat-listen", f"127.0.0.1:{ports['rtstat']}",
            "--max-clients", "1024", "--rtstat-max-clients", "512", "--quiet"]
    if root:
        args += ["--root", root]
    # stderr goes to a file: a pipe nobody reads could fill and stall statd.
    err_file = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"soak-statd-{os.getpid()}.err"), "w+b")
    proc = subprocess.Popen(wrapper + args, stdout=subprocess.DEVNULL, stderr=err_file)
    proc.err_file = err_file
    for _ in range(100 * (10 if wrapper else 1)):
        try:
            socket.create_connection(("127.0.0.1", ports["http"]), timeout=0.2).close()
            socket.create_connection(("127.0.0.1", ports["rtstat"]), timeout=0.2).close()
            return proc, ports
        except OSError:
            if proc.poll() is not None:
                err_file.seek(0)
                raise SystemExit(f"soak: statd exited: {err_file.read().decode(errors='replace')}")
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("soak: statd did not start listening")


async def settle(pid, port, baseline_fds, seconds=15):
    """Waits until statd holds only the baseline fds (no client left)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fd_count(pid) <= baseline_fds:
            return True
        await asyncio.sleep(0.1)
    return False


async def run_churn(ports, total, seconds, concurrency, counts, failures):
    """Opens `total` churn connections (or fewer if `seconds` run out)."""
    kinds = [k for k, w in CHURN_KINDS for _ in range(w)]
    deadline = time.monotonic() + seconds
    started = 0

    async def one(i):
        kind = random.choice(kinds)
        ip = f"127.0.2.{1 + i % 250}"
        name = kind.__name__[len("churn_"):]
        why = "unexpected reply"
        try:
            ok = await kind(ports, ip)
        except (EOFError, asyncio.TimeoutError, AssertionError, OSError) as e:
            # A reset is what a garbage or RST client may get; anything else is a failure.
            ok = name in ("garbage_http", "rtstat_garbage", "rst", "stalled_reader", "ws_garbage") and \
                isinstance(e, (ConnectionResetError, BrokenPipeError, EOFError))
            why = f"{type(e).__name__} {e}"
        counts[name] = counts.get(name, 0) + 1
        if not ok:
            failures.append(f"{name}: {why}")

    running = set()
    while started < total and time.monotonic() < deadline:
        while len(running) >= concurrency:
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        running.add(asyncio.ensure_future(one(started)))
        started += 1
    if running:
        await asyncio.wait(running)
    return started


async def soak(args):
    proc, ports = start_statd(args.statd, args.root, args.wrapper)
    pid = proc.pid  # a wrapper such as valgrind runs statd in this same process
    checks = []

    def check(name, ok, detail):
        checks.append((name, ok))
        print(f"soak: {'ok  ' if ok else 'FAIL'} {name}: {detail}")

    try:
        # Warm-up: one of each kind, so lazily allocated buffers exist before the baseline.
        warm_counts, warm_failures = {}, []
        for _ in range(3):
            for kind, _w in CHURN_KINDS:
                try:
                    await kind(ports, "127.0.3.1")
                except Exception as e:  # noqa: BLE001
                    warm_failures.append(f"{kind.__name__}: {e}")
        await asyncio.sleep(1.0)
        baseline_fds = fd_count(pid)
        before = scrape(ports["http"])
        baseline_rss = rss_kb(pid)
        print(f"soak: statd pid {pid}, baseline {baseline_fds} fds, VmRSS {baseline_rss} kB")

        stop = asyncio.Event()
        stats = PollStats()
        pollers = [asyncio.ensure_future(poll_metrics(ports, f"127.0.1.{i + 1}", stats, stop)) for i in range(16)]
        pollers += [asyncio.ensure_future(poll_socktop(ports, f"127.0.1.{i + 17}", stats, stop)) for i in range(16)]
        counts, failures = {}, []
        t0 = time.monotonic()
        churned = await run_churn(ports, args.connections, args.seconds, args.concurrency, counts, failures)
        elapsed = time.monotonic() - t0
        stop.set()
        await asyncio.gather(*pollers, return_exceptions=True)

        settled = await settle(pid, ports["http"], baseline_fds)
        await asyncio.sleep(0.3)
        after_fds = fd_count(pid)
        after = scrape(ports["http"])
        after_rss = rss_kb(pid)
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}

        print(f"soak: {churned} connections churned in {elapsed:.1f} s ({churned / max(elapsed, 1e-9):.0f}/s), "
              f"{args.concurrency} at a time")
        print("soak: by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        print(f"soak: well-behaved: {stats.sent} requests, {stats.answered} answered, "
              f"slowest {stats.worst_s * 1000:.0f} ms")
        print(f"soak: fds {baseline_fds} -> {after_fds}; VmRSS {baseline_rss} -> {after_rss} kB")
        print("soak: counter deltas: " + ", ".join(f"{k[6:]} {v:+.0f}" for k, v in sorted(delta.items())
                                                  if k.endswith("_total") and v))
        for f in failures[:20]:  # the first few say enough
            print(f"soak: churn failure: {f}")
        for f in stats.failures[:20]:
            print(f"soak: poller failure: {f}")

        # The scrape of `before` and of `after` are connections too.
        opened = churned + 32 + 1
        check("statd alive", proc.poll() is None, f"exit status {proc.returncode}")
        check("well-behaved requests answered", not stats.failures and stats.answered == stats.sent
              and stats.answered > 0, f"{stats.answered} of {stats.sent}")
        check("churn outcomes as expected", not failures, f"{len(failures)} unexpected")
        # --seconds bounds a slow machine's run; it must still churn a fifth.
        check("churned as many as asked", churned == args.connections or
              (args.seconds_is_limit and churned * 5 >= args.connections),
              f"{churned} of {args.connections}" + ("" if churned == args.connections else
                                                     f" (stopped by --seconds {args.seconds:g})"))
        check("no fd leaked", settled and after_fds == baseline_fds, f"{baseline_fds} -> {after_fds}")
        if args.rss_bound_kb > 0:
            check("RSS growth bounded", after_rss - baseline_rss <= args.rss_bound_kb,
                  f"{after_rss - baseline_rss:+d} kB (bound {args.rss_bound_kb} kB)")
        else:
            print(f"soak: RSS growth {after_rss - baseline_rss:+d} kB (not checked: --rss-bound-kb 0)")
        check("only the scraper connected", after.get("statd_connected_clients") == 1,
              f"statd_connected_clients {after.get('statd_connected_clients')}")
        check("none refused", delta.get("statd_connections_refused_total", 0) == 0 and
              delta.get("statd_connections_refused_per_address_total", 0) == 0,
              f"refused {delta.get('statd_connections_refused_total', 0):+.0f}, per address "
              f"{delta.get('statd_connections_refused_per_address_total', 0):+.0f}")
        accepted = delta.get("statd_connections_accepted_total", 0)
        check("every connection accepted", accepted == opened, f"accepted {accepted:+.0f}, opened {opened}")
        errors = delta.get("statd_protocol_errors_total", 0)
        garbage = sum(counts.get(k, 0) for k in ("bad_request", "ws_garbage"))
        check("protocol errors counted", errors >= garbage, f"{errors:+.0f} for {garbage} certain ones")
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(60 if args.wrapper else 10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.err_file.seek(0)
        err = proc.err_file.read()
        proc.err_file.close()
        os.unlink(proc.err_file.name)
    check("clean exit on SIGTERM", proc.returncode == 0, f"exit status {proc.returncode}")
    # Leak reports come at exit, so this is checked after statd stopped.
    found = [m.decode() for m in REPORT_MARKERS if m in err]
    check("no sanitizer or valgrind report", not found, ", ".join(found) or "none")
    if found:
        sys.stdout.write(err.decode(errors="replace")[-4000:])
    passed = sum(1 for _, ok in checks if ok)
    print(f"soak: {passed} passed, {len(checks) - passed} failed")
    return 0 if passed == len(checks) else 1


def main():
    build = os.environ.get("STATD_BUILD", os.path.join(SRCDIR, "build"))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--connections", type=int, default=100000, help="churn connections (default 100000)")
    p.add_argument("--seconds", type=float, default=None,
                   help="stop churning after this long (default: no limit but 1 hour)")
    p.add_argument("--concurrency", type=int, default=64, help="churn connections open at once (default 64)")
    p.add_argument("--statd", default=os.path.join(build, "statd"))
    p.add_argument("--root", default=None, help="statd --root (default: the real /proc and /sys)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rss-bound-kb", type=int, default=RSS_GROWTH_BOUND_KB,
                   help=f"most VmRSS growth allowed (default {RSS_GROWTH_BOUND_KB}; 0: not checked, "
                        "for sanitizer builds whose quarantine holds freed memory)")
    p.add_argument("--wrapper", default="", help="run statd under this command (e.g. valgrind ...)")
    args = p.parse_args()
    args.wrapper = args.wrapper.split()
    args.seconds_is_limit = args.seconds is not None
    if args.seconds is None:
        args.seconds = 3600.0
    random.seed(args.seed)
    return asyncio.run(soak(args))


if __name__ == "__main__":
    sys.exit(main())
