"""rt-stat (../shared/spec/rtstat.md) against the real statd: raw TCP with a
client that writes one byte at a time, WebSocket with Python's `websockets`,
every reply text, timing, the push JSON, limits, the cross-protocol guard,
idle wake-ups and statc reading statd."""
import asyncio
import json
import os
import re
import socket
import subprocess
import time

import websockets

from harness import BUILD, FIXTURES, STATD, Statd, free_port, ws_handshake
from test_idle import switches
from wsclient import run

PC = os.path.join(FIXTURES, "pc")
WELCOME = "Welcome::Rt-Stat v.0.3.1\n"
VERSION = "Version::0.3.1\n"
NOT_SET = "Error::Interval command has 1 required parameter: int interval (not set)\n"
NOT_POSITIVE = "Error::Interval command has 1 required parameter: int interval (not positive float)\n"
TOO_SMALL = "Error::Interval command has must be equal or greater than 0.5\n"
AUTH_NOT_SET = "Error::Auth command has 1 required parameter: string token (not set)\n"


class RtstatStatd(Statd):
    """statd with one raw rt-stat listener on self.raw_port."""

    def __init__(self, *args, **kw):
        self.raw_port = free_port()
        super().__init__("--rtstat-listen", f"127.0.0.1:{self.raw_port}", *args, **kw)


class Raw:
    """A raw rt-stat client that writes every byte separately."""

    def __init__(self, port, timeout=3.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, text):
        for b in text.encode():
            self.sock.sendall(bytes([b]))

    def line(self, timeout=3.0):
        """The next line with its LF, as str."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line within {timeout}s, have {self.buf!r}")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError(f"closed, have {self.buf!r}")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode() + "\n"

    def ask(self, command):
        """Sends one command line and returns the one reply line."""
        self.send(command + "\r\n")
        return self.line()

    def silent(self, command):
        """Sends a command that must not answer: the next reply is version's."""
        self.send(command + "\n")
        self.send("version\n")
        assert self.line() == VERSION, command

    def closed(self, timeout=3.0):
        """True when the peer closes without sending anything more."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        assert self.buf == b"" and data == b"", (self.buf, data)
        return True

    def close(self):
        self.sock.close()


def raw_client(d):
    c = Raw(d.raw_port)
    assert c.line() == WELCOME
    return c


def parse_push(line):
    assert line.startswith("Push::") and line.endswith("\n"), line[:60]
    payload = line[len("Push::"):-1]
    assert "::" not in payload
    # Undo the argument escaping (§2.1), then JSON with key order kept.
    out, i = [], 0
    while i < len(payload):
        c = payload[i]
        if c == "\\" and i + 1 < len(payload):
            out.append("\n" if payload[i + 1] == "n" else payload[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return json.loads("".join(out), object_pairs_hook=lambda pairs: pairs)


def keys(pairs):
    return [k for k, _ in pairs]


def check_push_shape(doc, users="2", uptime="1 day, 10:17", load=("0.52", "0.58", "0.59")):
    assert keys(doc) == ["cpu_stat", "meminfo", "processes", "uptime"]
    top = dict(doc)
    cpus = top["cpu_stat"]
    assert keys(cpus) == [f"cpu{i}" for i in range(len(cpus))] and cpus
    for _, v in cpus:
        assert keys(v) == ["usage", "user", "system", "iowait"]
        assert all(isinstance(x, (int, float)) and 0 <= x <= 1 for _, x in v)
    mem = dict(top["meminfo"])
    assert keys(top["meminfo"]) == ["memory", "swap"]
    assert keys(mem["memory"]) == ["total", "used", "free", "apps", "buffers", "cached", "swapCached"]
    assert keys(mem["swap"]) == ["total", "used", "free"]
    assert keys(top["processes"]) == ["all", "running", "sleep", "stopped", "zombie"]
    up = dict(top["uptime"])
    assert keys(top["uptime"]) == ["time", "uptime", "users", "la1", "la5", "la15"]
    assert re.fullmatch(r"\d\d:\d\d:\d\d", up["time"])
    if users is not None:
        assert (up["uptime"], up["users"], up["la1"], up["la5"], up["la15"]) == (uptime, users, *load)
    return top


# ---- raw TCP ----

def test_rtstat_raw_every_reply_text_one_byte_per_write():
    with RtstatStatd("--token", "tok") as d:
        c = raw_client(d)
        assert c.ask("version") == VERSION
        assert c.ask("") == "Error::Unknown command\n"          # telnet's bare CRLF
        assert c.ask("start") == "Error::Not authorized\n"
        assert c.ask("stop") == "Error::Not authorized\n"
        assert c.ask("interval::1") == "Error::Not authorized\n"
        assert c.ask("auth") == AUTH_NOT_SET
        assert c.ask("auth::wrong") == "Error::Auth failed\n"
        c.silent("auth::tok")
        assert c.ask("start") == "Error::Interval is not set\n"
        assert c.ask("stop") == "Error::Not started\n"
        assert c.ask("interval") == NOT_SET
        assert c.ask("interval::") == NOT_SET
        for bad in ("0", "abc", "1.5abc", "NaN", "0x10", "inf"):
            assert c.ask("interval::" + bad) == NOT_POSITIVE, bad
        for small in ("-1", "0.49", "0.2"):
            assert c.ask("interval::" + small) == TOO_SMALL, small
        c.silent("interval::1e1")
        c.silent("START::")
        assert c.ask("Start") == "Error::Already started\n"
        c.silent("sTOP")
        assert c.ask("a::::b") == "Error::Unknown command\n"
        assert c.ask("interval::\\::5") == NOT_POSITIVE
        c.silent("interval::2\\")                             # dangling backslash dropped
        assert c.ask("nonsense") == "Error::Unknown command\n"
        c.send("auth::bad\n")                                   # failing auth revokes
        assert c.line() == "Error::Auth failed\n"
        assert c.ask("start") == "Error::Not authorized\n"
        c.send("quit\n")
        assert c.closed()
        c.close()
        c = raw_client(d)
        c.send("EXIT\r\n")
        assert c.closed()
        c.close()


def test_rtstat_raw_pipelined_lines_and_no_token_auth():
    with RtstatStatd() as d:
        c = raw_client(d)
        c.sock.sendall(b"version\nauth::x\r\n\n  stop  \nversion\n")
        assert [c.line() for _ in range(5)] == [
            VERSION, "Error::Auth failed\n", "Error::Unknown command\n", "Error::Not started\n", VERSION]
        c.close()


def test_rtstat_raw_push_timing_json_and_restart():
    with RtstatStatd("--root", PC) as d:
        c = raw_client(d)
        c.send("interval::1\n")
        c.send("start\n")
        t0 = time.monotonic()
        first = c.line(timeout=3)
        t1 = time.monotonic()
        assert 0.7 <= t1 - t0 <= 1.3, t1 - t0
        top = check_push_shape(parse_push(first))
        assert dict(top["meminfo"])["memory"] == [
            ("total", 16318412), ("used", 13266072), ("free", 3052340), ("apps", 6312584),
            ("buffers", 412344), ("cached", 6540120), ("swapCached", 1024)]
        assert top["processes"] == [("all", 9), ("running", 1), ("sleep", 7), ("stopped", 0), ("zombie", 1)]
        # Static fixture: no cpu time passes, every fraction is the integer 0.
        assert '"cpu0":{"usage":0,"user":0,"system":0,"iowait":0}' in first
        c.line(timeout=3)
        t2 = time.monotonic()
        assert 0.7 <= t2 - t1 <= 1.3, t2 - t1
        # interval while started: the next push one full new interval later.
        time.sleep(0.4)
        c.send("interval::1.5\n")
        t3 = time.monotonic()
        c.line(timeout=3)
        t4 = time.monotonic()
        assert 1.05 <= t4 - t3 <= 1.95, t4 - t3
        c.send("stop\n")
        c.send("version\n")
        assert c.line() == VERSION
        c.close()


def test_rtstat_interval_floor_half_a_second():
    with RtstatStatd() as d:
        c = raw_client(d)
        assert c.ask("interval::0.49") == TOO_SMALL
        c.send("interval::0.5\nstart\n")
        t0 = time.monotonic()
        lines = [c.line() for _ in range(4)]
        elapsed = time.monotonic() - t0
        assert all(l.startswith("Push::{") for l in lines)
        assert 1.4 <= elapsed <= 2.6, elapsed
        check_push_shape(parse_push(lines[0]), users=None)
        c.close()


def test_rtstat_extra_plugins_come_after_uptime():
    with RtstatStatd("--root", PC, "--rtstat-plugins", "temperatures,uptime,meminfo,network,cpu_stat") as d:
        c = raw_client(d)
        c.send("interval::0.5\nstart\n")
        doc = parse_push(c.line())
        assert keys(doc) == ["cpu_stat", "meminfo", "uptime", "temperatures", "network"]
        assert keys(dict(doc)["network"]) == ["lo", "eth0", "docker0"]
        assert ("coretemp_packageid0", 45) in dict(doc)["temperatures"]
        c.close()


def test_rtstat_command_plugin_results_follow_builtin_keys():
    with RtstatStatd("--root", PC, "--rtstat-plugins", "uptime",
                     "--plugin", """note=echo '{"say": "a::b", "n": 2}'""") as d:
        c = raw_client(d)
        c.send("interval::0.5\nstart\n")
        # The first push starts a run; a later one carries its result.
        for _ in range(6):
            line = c.line()
            doc = parse_push(line)
            if keys(doc) != ["uptime"]:
                break
        assert keys(doc) == ["uptime", "note"], line
        assert dict(doc)["note"] == [("say", "a::b"), ("n", 2)]
        assert '"say":"a\\\\u003a\\\\u003ab"' in line  # JSON \u003a, then '\' escaped
        c.close()


def test_rtstat_unknown_plugin_is_a_startup_error():
    r = subprocess.run([STATD, "-l", "127.0.0.1:0", "--rtstat-plugins", "cpu_stat,disks"],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 2
    assert "--rtstat-plugins: unknown rt-stat plugin 'disks'" in r.stderr, r.stderr


def test_rtstat_raw_refuses_http():
    with RtstatStatd() as d:
        for request in (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"POST /x HTTP/1.1\r\n", b"version\nHost: y\r\n"):
            s = socket.create_connection(("127.0.0.1", d.raw_port), timeout=3)
            s.sendall(request)
            got = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            s.close()
            want = WELCOME.encode() + (VERSION.encode() if request.startswith(b"version") else b"")
            assert got == want, (request, got)
        # A line over 4 KiB closes too.
        c = raw_client(d)
        c.sock.sendall(b"x" * 5000)
        assert c.closed()
        c.close()


def test_rtstat_max_clients_raw_and_websocket():
    with RtstatStatd("--rtstat-max-clients", "2") as d:
        a, b = raw_client(d), raw_client(d)
        over = Raw(d.raw_port)
        assert over.closed()                     # no Welcome, no Error
        over.close()

        async def ws_over():
            async with websockets.connect(d.url("/"), ping_interval=None) as ws:
                try:
                    msg = await asyncio.wait_for(ws.recv(), 3)
                except websockets.ConnectionClosed as e:
                    return e.rcvd.code if e.rcvd else None
                raise AssertionError(f"got {msg!r}")
        assert run(ws_over()) == 1000            # 101 first, then Close 1000
        a.close()
        time.sleep(0.2)
        c = raw_client(d)                        # a slot is free again
        assert c.ask("version") == VERSION

        async def ws_blocked():
            async with websockets.connect(d.url("/rtstat"), ping_interval=None) as ws:
                await ws.wait_closed()
                return ws.close_code
        assert run(ws_blocked()) == 1000
        b.close()
        c.close()
        # The HTTP endpoints do not count against the rt-stat cap.
        assert d.get("/healthz")[0] == 200


def test_rtstat_no_wakeups_until_started():
    with RtstatStatd() as d:
        c = raw_client(d)
        c.send("interval::0.5\n")
        assert c.ask("version") == VERSION

        async def go():
            async with websockets.connect(d.url("/"), ping_interval=None) as ws:
                assert await ws.recv() == WELCOME
                await ws.send("interval::0.5")
                await ws.send("version")
                assert await ws.recv() == VERSION
                await asyncio.sleep(0.3)
                before = switches(d.proc.pid)
                await asyncio.sleep(2.0)
                idle = switches(d.proc.pid) - before
                await ws.send("start")
                before = switches(d.proc.pid)
                await ws.recv()
                await ws.recv()
                pushing = switches(d.proc.pid) - before
                assert pushing > 0  # the measurement sees a timer when there is one
                await ws.send("stop")
                await ws.send("version")
                while (await ws.recv()) != VERSION:
                    pass
                await asyncio.sleep(0.3)
                before = switches(d.proc.pid)
                await asyncio.sleep(1.5)
                return idle, switches(d.proc.pid) - before
        idle, after_stop = run(go())
        assert idle == 0 and after_stop == 0, (idle, after_stop)
        c.close()


# ---- WebSocket ----

def test_rtstat_websocket_every_reply_text():
    async def go(url):
        async with websockets.connect(url, ping_interval=None, compression=None) as ws:
            assert ws.subprotocol is None
            assert await ws.recv() == WELCOME

            async def ask(text):
                await ws.send(text)
                return await asyncio.wait_for(ws.recv(), 3)

            async def silent(text):
                await ws.send(text)
                assert await ask("version") == VERSION, text

            assert await ask("") == "Error::Unknown message\n"
            assert await ask("start") == "Error::Not authorized\n"
            assert await ask("stop") == "Error::Not authorized\n"
            assert await ask("interval::1") == "Error::Not authorized\n"
            assert await ask("auth") == AUTH_NOT_SET
            assert await ask("auth::nope") == "Error::Auth failed\n"
            await silent("auth::tok")
            assert await ask("start") == "Error::Interval is not set\n"
            assert await ask("stop") == "Error::Not started\n"
            assert await ask("interval") == NOT_SET
            assert await ask("interval::0") == NOT_POSITIVE
            assert await ask("interval::NaN") == NOT_POSITIVE
            assert await ask("interval::0.49") == TOO_SMALL
            assert await ask("\r\n") == "Error::Unknown command\n"   # not zero-length
            assert await ask("a::::b") == "Error::Unknown command\n"
            await silent("interval::0.5")
            t0 = time.monotonic()
            await silent("START")
            assert await ask("start::") == "Error::Already started\n"
            push = await asyncio.wait_for(ws.recv(), 3)
            assert 0.35 <= time.monotonic() - t0 <= 0.65
            check_push_shape(parse_push(push))
            await silent("stop")
            await ws.send("quit")
            try:
                await asyncio.wait_for(ws.recv(), 3)
                raise AssertionError("expected a close")
            except websockets.ConnectionClosed:
                pass
            return ws.close_code
    with Statd("--root", PC, "--token", "tok") as d:
        assert run(go(d.url("/"))) == 1000
        assert run(go(d.url("/rtstat"))) == 1000


def test_rtstat_websocket_handshake_details():
    with Statd() as d:
        s = ws_handshake(d.port, path="/")
        s.settimeout(3)
        # Unmasked server Text frame: FIN|Text, length, payload ending in LF.
        frame = b""
        while len(frame) < 2 + len(WELCOME):
            frame += s.recv(64)
        assert frame == bytes([0x81, len(WELCOME)]) + WELCOME.encode()
        s.close()
        # The 101 never names a subprotocol, even when one is offered.
        raw = socket.create_connection(("127.0.0.1", d.port), timeout=3)
        raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    b"Sec-WebSocket-Protocol: chat\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            head += raw.recv(1)
        raw.close()
        assert head.startswith(b"HTTP/1.1 101 ")
        assert b"sec-websocket-protocol" not in head.lower()
        # A plain GET / is not an upgrade: it gets the dashboard.
        assert d.get("/")[0] == 200


# ---- statc reading statd ----

def test_rtstat_statc_reads_statd_raw_port():
    with RtstatStatd("--root", PC) as d:
        r = subprocess.run([os.path.join(BUILD, "statc"), "--json", f"rtstat://127.0.0.1:{d.raw_port}"],
                           capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    (h,) = json.loads(r.stdout)["hosts"]
    assert h["state"] == "live"
    assert h["cpu_core_percent"] == [0.0, 0.0, 0.0, 0.0]
    assert h["mem_total_bytes"] == 16318412 * 1024
    assert h["load"] == [0.52, 0.58, 0.59]
    assert h["uptime_s"] == (24 * 60 + 10 * 60 + 17) * 60
