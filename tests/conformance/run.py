#!/usr/bin/python3
"""Runs the WebSocket conformance cases (ws_cases.py) against one endpoint
and prints a table: id, description, expected, got, pass/fail; the last line
is "N passed, N failed".

  run.py ws://127.0.0.1:3000/ws               probe: get_metrics (socktop)
  run.py ws://127.0.0.1:3000/                 probe: version:: (rt-stat)
  run.py ws://127.0.0.1:3000/fleet            probe: a Ping (push-only endpoint)
  run.py --probe rtstat --only 6. URL         one group, probe chosen by hand

Plain sockets only (no WebSocket library: it would refuse to send the bad
frames). Every case has its own connection and a time limit.
"""
import base64
import gzip
import json
import os
import select
import socket
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ws_cases  # noqa: E402
from ws_cases import PROBE, Chop, CloseWith, Ok, ProbeFragments  # noqa: E402

CASE_TIMEOUT_S = 5.0


def _is_socktop_reply(opcode, payload):
    if opcode == 2 and payload[:2] == b"\x1f\x8b":
        payload = gzip.decompress(payload)
    elif opcode != 1:
        return False
    try:
        return isinstance(json.loads(payload), dict)
    except ValueError:
        return False


class Probe:
    """What the endpoint answers: `message` (a text request) with replies
    recognised by `is_reply`, or, for endpoints that ignore input, a Ping."""

    def __init__(self, name, message, is_reply):
        self.name, self.message, self.is_reply = name, message, is_reply


PROBES = {
    "socktop": Probe("socktop", b"get_metrics", _is_socktop_reply),
    "rtstat": Probe("rtstat", b"version::",
                    lambda op, p: op == 1 and p.lower().startswith(b"version::0.3.1")),
    "ping": Probe("ping", None, None),
}
PING_PROBE_PREFIX = b"conformance-probe-"


def probe_for_path(path):
    if path.startswith("/ws"):
        return PROBES["socktop"]
    if path.startswith("/fleet"):
        return PROBES["ping"]
    return PROBES["rtstat"]


class Outcome:
    def __init__(self):
        self.replies = 0
        self.pongs = []
        self.close_code = "none"  # "none": no Close; None: empty Close
        self.closed = False       # the TCP connection ended
        self.errors = []          # violations by the server, whatever the case expects


def _render(case, probe):
    """The case's parts as a list of (bytes, chop size) and the number of
    probe replies and extra Pongs they call for."""
    chunks, probes, pongs, n = [], 0, [], 0

    def one_probe():
        nonlocal n
        n += 1
        if probe.message is None:
            return ws_cases.ping(PING_PROBE_PREFIX + b"%d" % n)
        return ws_cases.text(probe.message)

    for part in case.send:
        size = None
        if isinstance(part, Chop):
            part, size = part.data, part.size
        if part is PROBE:
            probes += 1
            part = one_probe()
        elif isinstance(part, ProbeFragments):
            probes += 1
            message = probe.message or b"ignored-by-this-endpoint"
            step = 1 if part.pieces is None else -(-len(message) // part.pieces)
            pieces = [message[i:i + step] for i in range(0, len(message), step)]
            data = b""
            for i, piece in enumerate(pieces):
                if i and part.ping is not None:
                    data += ws_cases.ping(part.ping)
                    pongs.append(part.ping)
                data += ws_cases.frame(piece, 1 if i == 0 else 0, fin=i == len(pieces) - 1)
            if probe.message is None:
                data += one_probe()
            part = data
        chunks.append((part, size))
    return chunks, probes, pongs


def _handshake(host, port, path, timeout):
    s = socket.create_connection((host, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\r\n\r\n" not in buf:
        if time.monotonic() > deadline:
            raise OSError("handshake timed out")
        chunk = s.recv(4096)
        if not chunk:
            raise OSError(f"closed during the handshake: {buf[:80]!r}")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101 "):
        raise OSError(f"no upgrade: {head[:80]!r}")
    return s, rest


def _parse_frames(buf, outcome):
    """The whole frames at the front of buf as (opcode, fin, payload), and
    the bytes after them; server-side violations go to outcome.errors."""
    frames = []
    while len(buf) >= 2:
        b0, b1 = buf[0], buf[1]
        n, at = b1 & 0x7F, 2
        if n == 126:
            if len(buf) < 4:
                break
            n, at = int.from_bytes(buf[2:4], "big"), 4
        elif n == 127:
            if len(buf) < 10:
                break
            n, at = int.from_bytes(buf[2:10], "big"), 10
        if b1 & 0x80:
            outcome.errors.append("server frame is masked")
            at += 4
        if len(buf) < at + n:
            break
        if b0 & 0x70:
            outcome.errors.append("server frame has reserved bits set")
        frames.append((b0 & 0x0F, bool(b0 & 0x80), buf[at:at + n]))
        buf = buf[at + n:]
    return frames, buf


def run_case(host, port, path, case, probe, timeout=CASE_TIMEOUT_S):
    """Runs one case on a fresh connection; returns an Outcome."""
    out = Outcome()
    chunks, probes_sent, extra_pongs = _render(case, probe)
    expect = case.expect
    want_replies = probes_sent if isinstance(expect, Ok) else expect.replies
    try:
        s, inbuf = _handshake(host, port, path, timeout)
    except OSError as e:
        out.errors.append(f"handshake: {e}")
        return out, extra_pongs
    s.setblocking(False)
    sends = []  # (bytes, pause after)
    for data, size in chunks:
        if size is None:
            sends.append((data, 0))
        else:
            sends += [(data[i:i + size], 0.001 if size < 16 else 0) for i in range(0, len(data), size)]
    pending = b""
    message = b""  # a fragmented server message being reassembled
    message_opcode = 0
    after_close_frames = 0
    deadline = time.monotonic() + timeout
    send_ok = True
    try:
        while time.monotonic() < deadline:
            if send_ok and not pending and sends:
                pending, pause = sends.pop(0)
                if pause:
                    time.sleep(pause)
            want_write = send_ok and bool(pending)
            readable, writable, _ = select.select([s], [s] if want_write else [], [], 0.05)
            if writable and pending:
                try:
                    pending = pending[s.send(pending[:65536]):]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    send_ok = False  # the server closed: read what it said
            if readable:
                try:
                    chunk = s.recv(262144)
                except (BlockingIOError, InterruptedError):
                    chunk = None
                except ConnectionResetError:
                    chunk = b""
                if chunk == b"":
                    out.closed = True
                    break
                if chunk:
                    inbuf += chunk
            frames, inbuf = _parse_frames(inbuf, out)
            for opcode, fin, payload in frames:
                if out.close_code != "none":
                    after_close_frames += 1
                    continue
                if opcode == 8:
                    out.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                    continue
                if opcode == 10 and probe.message is None and payload.startswith(PING_PROBE_PREFIX):
                    out.replies += 1
                    continue
                if opcode == 10:
                    out.pongs.append(payload)
                    continue
                if opcode in (1, 2) or opcode == 0:
                    if opcode:
                        message, message_opcode = payload, opcode
                    else:
                        message += payload
                    if fin and probe.is_reply and probe.is_reply(message_opcode, message):
                        out.replies += 1
            if isinstance(expect, Ok) and out.replies >= want_replies and not sends and not pending:
                break
        if isinstance(expect, Ok) and out.close_code == "none" and not out.closed:
            # Leave cleanly: our Close must be answered with the same code.
            s.setblocking(True)
            s.settimeout(timeout)
            try:
                s.sendall(ws_cases.close(1000))
                tail = inbuf
                while True:
                    frames, tail = _parse_frames(tail, out)
                    codes = [p[:2] for op, _, p in frames if op == 8]
                    if codes:
                        if codes[0] != b"\x03\xe8":
                            out.errors.append(f"our close 1000 answered with {codes[0]!r}")
                        break
                    chunk = s.recv(65536)
                    if not chunk:
                        out.errors.append("our close 1000 was not answered")
                        break
                    tail += chunk
            except OSError as e:
                out.errors.append(f"closing: {e}")
    finally:
        s.close()
    if after_close_frames:
        out.errors.append(f"{after_close_frames} frame(s) after the server's Close")
    if isinstance(expect, CloseWith) and out.close_code != "none" and not out.closed:
        out.errors.append("TCP connection left open after the Close")
    return out, extra_pongs


def describe(out):
    if out.close_code != "none":
        got = "close " + ("(empty)" if out.close_code is None else str(out.close_code))
        if out.replies:
            got = f"{out.replies} reply, {got}"
    elif out.closed:
        got = f"dropped after {out.replies} reply"
    elif out.replies:
        got = "reply" + (f" + {len(out.pongs)} pong" if out.pongs else "")
    else:
        got = "timeout, no reply"
    if out.errors:
        got += " [" + "; ".join(out.errors) + "]"
    return got


def judge(case, out, extra_pongs, probes_sent):
    expect = case.expect
    if out.errors:
        return False
    if isinstance(expect, Ok):
        return (out.close_code == "none" and not out.closed and out.replies == probes_sent
                and out.pongs == expect.pongs + extra_pongs)
    return out.close_code == expect.code and out.closed and out.replies == expect.replies


def run_all(host, port, path, probe, only=None, timeout=CASE_TIMEOUT_S):
    """Returns a list of (case, passed, got)."""
    results = []
    for case in ws_cases.all_cases():
        if only and not any(case.id == o or case.id.startswith(o) for o in only):
            continue
        out, extra_pongs = run_case(host, port, path, case, probe, timeout)
        probes_sent = _render(case, probe)[1]
        passed = judge(case, out, extra_pongs, probes_sent)
        expected = str(case.expect)
        if isinstance(case.expect, Ok) and extra_pongs:
            expected = f"reply + {len(case.expect.pongs) + len(extra_pongs)} pong"
        if isinstance(case.expect, CloseWith) and case.expect.replies:
            expected = f"{case.expect.replies} reply, {expected}"
        results.append((case, expected, describe(out), passed))
    return results


def format_table(results, title=""):
    lines = []
    if title:
        lines.append(title)
    w_desc = min(max((len(c.description) for c, *_ in results), default=10), 72)
    lines.append(f"{'case':<7} {'description':<{w_desc}}  {'expected':<20} {'got':<20} result")
    for case, expected, got, passed in results:
        lines.append(f"{case.id:<7} {case.description[:w_desc]:<{w_desc}}  {expected:<20} {got:<20} "
                     f"{'pass' if passed else 'FAIL'}")
    npass = sum(1 for r in results if r[3])
    lines.append(f"{npass} passed, {len(results) - npass} failed")
    return "\n".join(lines)


def main(argv):
    only, probe_name, url = [], None, None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--only":
            only.append(args.pop(0))
        elif a == "--probe":
            probe_name = args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            url = a
    if not url:
        print(__doc__, file=sys.stderr)
        return 2
    u = urllib.parse.urlsplit(url)
    path = (u.path or "/") + (f"?{u.query}" if u.query else "")
    probe = PROBES[probe_name] if probe_name else probe_for_path(u.path or "/")
    results = run_all(u.hostname, u.port or 80, path, probe, only)
    print(format_table(results, f"WebSocket conformance: {url} (probe: {probe.name})"))
    return 0 if all(r[3] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
