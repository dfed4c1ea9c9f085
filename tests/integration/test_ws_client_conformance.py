"""statc's WebSocket client side against a scripted socktop agent (a raw
socket, no WebSocket library): replies framed correctly but unusually
(fragments, Pings between them) must be reassembled and the Pings answered;
replies that break RFC 6455 (masked server frames, reserved bits and opcodes,
invalid UTF-8, oversized, bad fragmentation, non-minimal lengths) must make
statc report the host down with the right close code, send that Close, and
exit promptly: never crash, never hang."""
import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time

from harness import BUILD, FIXTURES, Statd, ws_frame, ws_handshake

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
from ws_cases import BINARY_PAYLOAD, frame  # noqa: E402

STATC = os.path.join(BUILD, "statc")
PC = os.path.join(FIXTURES, "pc")
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def server_frame(payload, opcode=1, fin=True, rsv=0, mask=None, length_bytes=None):
    """One server frame: the conformance suite's builder, unmasked unless `mask` is given."""
    return frame(payload, opcode, fin, rsv=rsv, mask=mask, length_bytes=length_bytes)


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_client_frame(s):
    """(opcode, fin, payload, masked) of one frame from statc."""
    b0, b1 = recv_exactly(s, 2)
    n = b1 & 0x7F
    if n == 126:
        n = int.from_bytes(recv_exactly(s, 2), "big")
    elif n == 127:
        n = int.from_bytes(recv_exactly(s, 8), "big")
    key = recv_exactly(s, 4) if b1 & 0x80 else b"\0\0\0\0"
    payload = bytes(b ^ key[i % 4] for i, b in enumerate(recv_exactly(s, n)))
    return b0 & 0x0F, bool(b0 & 0x80), payload, bool(b1 & 0x80)


_canned = None


def canned_replies():
    """statd's real replies to statc's three requests: (opcode, payload)."""
    global _canned
    if _canned is None:
        _canned = {}
        with Statd("--root", PC) as d:
            s = ws_handshake(d.port)
            for request in ("get_metrics", "get_processes", "get_disks"):
                s.sendall(ws_frame(request))
                opcode, fin, payload, _ = read_client_frame(s)
                assert fin and opcode in (1, 2)
                _canned[request] = (opcode, payload)
            s.close()
    return _canned


class ScriptedAgent:
    """Answers statc's requests on 127.0.0.1 with `frame_reply(request,
    opcode, payload)` (the bytes to send). Records what statc sends back:
    events like ("request", text), ("pong", payload), ("close", code),
    ("unmasked",). Serves connections until stop()."""

    def __init__(self, frame_reply, handshake=None):
        self.frame_reply, self.handshake = frame_reply, handshake
        self.events = []
        self.canned = canned_replies()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    self._session(conn)
                except (OSError, EOFError):
                    pass

    def _session(self, conn):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                return
            head += chunk
        key = next(line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                   if line.lower().startswith(b"sec-websocket-key:"))
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        if self.handshake:
            accept = self.handshake(accept)
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        canned = self.canned
        while True:  # until statc closes (it has exited when stop() is called)
            opcode, _, payload, masked = read_client_frame(conn)
            if not masked:
                self.events.append(("unmasked",))
            if opcode == 8:
                self.events.append(("close", int.from_bytes(payload[:2], "big") if payload else None))
                return
            if opcode == 10:
                self.events.append(("pong", payload))
            elif opcode == 1:
                request = payload.decode()
                self.events.append(("request", request))
                reply_opcode, reply = canned.get(request, (1, b"{}"))
                conn.sendall(self.frame_reply(request, reply_opcode, reply))

    def stop(self):
        self.stopping = True
        self.thread.join(5)
        self.listener.close()


def run_statc(agent, timeout_s=2):
    """statc --json against the agent; returns (exit code, host dict, seconds)."""
    t0 = time.monotonic()
    r = subprocess.run([STATC, "--json", "--timeout", str(timeout_s), "--interval", "0.5",
                        f"ws://127.0.0.1:{agent.port}/ws"], capture_output=True, text=True, timeout=30)
    elapsed = time.monotonic() - t0
    assert r.returncode in (0, 1), f"statc exited {r.returncode}: {r.stderr}"
    (host,) = json.loads(r.stdout)["hosts"]
    return r.returncode, host, elapsed


def fragmented(parts, pings):
    """Reply framing: the payload in `parts` fragments, a Ping between each two."""
    def frame(request, opcode, payload):
        step = -(-len(payload) // parts)
        pieces = [payload[i:i + step] for i in range(0, len(payload), step)] or [b""]
        out = b""
        for i, piece in enumerate(pieces):
            if i and pings:
                out += server_frame(pings[(i - 1) % len(pings)], opcode=9)
            out += server_frame(piece, opcode if i == 0 else 0, fin=i == len(pieces) - 1)
        return out
    return frame


def check_live(agent_framing, expect_pongs=()):
    agent = ScriptedAgent(agent_framing)
    try:
        code, host, elapsed = run_statc(agent)
    finally:
        agent.stop()
    assert code == 0 and host["state"] == "live", host
    assert host["hostname"] == "workstation"
    pids = sorted(int(p) for p in os.listdir(os.path.join(PC, "proc")) if p.isdigit())
    assert sorted(p["pid"] for p in host["processes"]) == pids
    assert host["disks"][0]["name"] == "/dev/nvme0n1"
    pongs = [e[1] for e in agent.events if e[0] == "pong"]
    requests = [e[1] for e in agent.events if e[0] == "request"]
    for pong in expect_pongs:
        assert pong in pongs, (pong, pongs)
    assert ("unmasked",) not in agent.events
    return requests, pongs


def test_statc_reassembles_plain_and_fragmented_replies():
    check_live(lambda request, opcode, payload: server_frame(payload, opcode))
    # 3 fragments with a Ping (binary payload) between: answered, exactly.
    requests, pongs = check_live(fragmented(3, [BINARY_PAYLOAD, b""]), [BINARY_PAYLOAD, b""])
    # every reply had 2 Pings (empty payloads are fragments of nothing for tiny replies)
    assert len(pongs) >= len(requests)
    # Many small fragments: 1-in-every-64-bytes frames, a Ping every other one.
    check_live(fragmented(400, [b"x" * 125]), [b"x" * 125])


def broken_reply(request, opcode, payload, how):
    """A reply to get_metrics broken as `how` says; other requests as usual."""
    body = payload
    if how == "masked":
        return server_frame(body, opcode, mask=b"\x11\x22\x33\x44")
    if how == "rsv1":
        return server_frame(body, opcode, rsv=4)
    if how == "rsv3":
        return server_frame(body, opcode, rsv=1)
    if how == "opcode3":
        return server_frame(body, 3)
    if how == "opcode0xB":
        return server_frame(b"", 0xB)
    if how == "bad_utf8":
        return server_frame(b'{"hostname":"\xc0\xaf"}', 1)
    if how == "split_bad_utf8":
        return server_frame(b'{"hostname":"\xe2\x82', 1, fin=False) + server_frame(b'("}', 0)
    if how == "surrogate":
        return server_frame(b'{"hostname":"\xed\xa0\x80"}', 1)
    if how == "oversized":
        return b"\x82\x7f" + (1 << 40).to_bytes(8, "big")
    if how == "just_over_cap":  # statc's cap: 16 MiB a reply
        return b"\x82\x7f" + (16 * 1024 * 1024 + 1).to_bytes(8, "big")
    if how == "fragmented_ping":
        return server_frame(b"pi", 9, fin=False) + server_frame(b"ng", 0)
    if how == "ping_126":
        return server_frame(b"p" * 126, 9)
    if how == "text_in_text":
        return server_frame(body[:5], opcode, fin=False) + server_frame(body[5:], opcode)
    if how == "orphan_continuation":
        return server_frame(body, 0)
    if how == "non_minimal_length":
        return server_frame(body[:100], opcode, length_bytes=8)
    if how == "msb_length":
        return b"\x82\x7f\x80" + b"\0" * 6 + b"\x05" + b"hello"
    if how == "close_1001":
        return server_frame(b"\x03\xe9going away", 8)
    if how == "close_bad_code":
        return server_frame(b"\x03\xec", 8)  # 1004: reserved
    raise AssertionError(how)


# how -> (close code statc must send, error text statc must report)
BROKEN = {
    "masked": (1002, "protocol error 1002"),
    "rsv1": (1002, "protocol error 1002"),
    "rsv3": (1002, "protocol error 1002"),
    "opcode3": (1002, "protocol error 1002"),
    "opcode0xB": (1002, "protocol error 1002"),
    "bad_utf8": (1007, "protocol error 1007"),
    "split_bad_utf8": (1007, "protocol error 1007"),
    "surrogate": (1007, "protocol error 1007"),
    "oversized": (1009, "protocol error 1009"),
    "just_over_cap": (1009, "protocol error 1009"),
    "fragmented_ping": (1002, "protocol error 1002"),
    "ping_126": (1002, "protocol error 1002"),
    "text_in_text": (1002, "protocol error 1002"),
    "orphan_continuation": (1002, "protocol error 1002"),
    "non_minimal_length": (1002, "protocol error 1002"),
    "msb_length": (1002, "protocol error 1002"),
    "close_1001": (1001, "agent closed the connection"),
    "close_bad_code": (1002, "protocol error 1002"),
}


def test_statc_rejects_broken_server_frames():
    rows = []
    for how, (close_code, error) in BROKEN.items():
        # A Close before any reply means "token needed?" to statc: close
        # mid-session instead (the second metrics reply).
        metrics_replies = [2 if how.startswith("close_") else 1]

        def frame(request, opcode, payload, how=how, countdown=metrics_replies):
            if request == "get_metrics":
                countdown[0] -= 1
            if countdown[0] != 0 or request != "get_metrics":
                return server_frame(payload, opcode)
            return broken_reply(request, opcode, payload, how)
        agent = ScriptedAgent(frame)
        try:
            code, host, elapsed = run_statc(agent)
        finally:
            agent.stop()
        closes = [e[1] for e in agent.events if e[0] == "close"]
        ok = (code == 1 and host["state"] == "down" and error in (host.get("error") or "")
              and closes[:1] == [close_code] and elapsed < 10)
        rows.append((how, close_code, closes, host["state"], host.get("error"), f"{elapsed:.1f}s", ok))
    for row in rows:
        print("statc %-20s expect close %s  got closes %-12s %s %r %s %s" % (
            row[0], row[1], row[2], row[3], row[4], row[5], "pass" if row[6] else "FAIL"))
    assert all(r[6] for r in rows), [r for r in rows if not r[6]]


def test_statc_handshake_and_silence_fail_cleanly():
    # A wrong Sec-WebSocket-Accept: not a WebSocket.
    agent = ScriptedAgent(lambda r, o, p: server_frame(p, o), handshake=lambda accept: b"AAAA" + accept[4:])
    try:
        code, host, _ = run_statc(agent)
    finally:
        agent.stop()
    assert code == 1 and host["state"] == "down" and "Sec-WebSocket-Accept" in host["error"], host
    # An agent that never answers: down after --timeout, not a hang.
    agent = ScriptedAgent(lambda r, o, p: b"")
    try:
        code, host, elapsed = run_statc(agent, timeout_s=1)
    finally:
        agent.stop()
    assert code == 1 and host["state"] == "down", host
    assert elapsed < 8, elapsed
