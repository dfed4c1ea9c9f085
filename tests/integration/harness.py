"""Helpers for integration tests: start the real statd on loopback, talk HTTP.

Every loop here is bounded in count and time; every process started is
killed when its `with` block ends.
"""
import http.client
import os
import resource
import re
import shlex
import signal
import socket
import subprocess
import time

SRCDIR = os.environ.get("STATD_SRCDIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BUILD = os.environ.get("STATD_BUILD", os.path.join(SRCDIR, "build"))
STATD = os.path.join(BUILD, "statd")
# Test tools: build/tools/ with make, <builddir>/tests/tools/ with meson.
TOOLS = next((d for d in (os.path.join(BUILD, "tools"), os.path.join(BUILD, "tests", "tools"))
              if os.path.isdir(d)), os.path.join(BUILD, "tools"))
FIXTURES = os.path.join(SRCDIR, "tests", "fixtures")
# Every Statd below gets STATD_EXTRA_ARGS appended (tests/run: "--sandbox") and
# runs under STATD_WRAPPER when set ("valgrind --error-exitcode=99 ..."),
# with longer start and stop timeouts then. A sanitizer or valgrind report on
# statd's stderr fails the test that started it.
EXTRA_ARGS = shlex.split(os.environ.get("STATD_EXTRA_ARGS", ""))
WRAPPER = shlex.split(os.environ.get("STATD_WRAPPER", ""))
SLOW = 10 if WRAPPER else 1
REPORT = re.compile(rb"ERROR: (Address|Leak|Undefined)Sanitizer|: runtime error: |"
                    rb"ERROR SUMMARY: [1-9]|definitely lost: [1-9]|statd: --sandbox: system call")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Statd:
    """A running statd on 127.0.0.1:<port>. Use as a context manager."""

    def __init__(self, *args, env=None, port=None, wait=True, rlimit_nofile=None):
        self.port = port or free_port()
        extra = EXTRA_ARGS
        if "--sandbox" in extra and any(a in ("--plugin", "--fleetctl", "--peer") for a in args):
            extra = [a for a in extra if a != "--sandbox"]  # refused together, by design
        self.args = [STATD, "-l", f"127.0.0.1:{self.port}", *args, *extra]
        full_env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("STATD_TOKEN", "SOCKTOP_"))}
        full_env.update(env or {})
        def limit_files():  # soft and hard: statd raises the soft one up to the hard one
            resource.setrlimit(resource.RLIMIT_NOFILE, (rlimit_nofile, rlimit_nofile))
        self.proc = subprocess.Popen(WRAPPER + self.args, env=full_env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE,
                                     preexec_fn=limit_files if rlimit_nofile else None)
        if wait:
            self.wait_ready()

    def wait_ready(self, seconds=5.0):
        deadline = time.monotonic() + seconds * SLOW
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"statd exited {self.proc.returncode}: "
                                     f"{self.proc.stderr.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    if WRAPPER:
                        # Slowed down, the other listeners may still be opening:
                        # any answer (or close) means the loop runs, so all are open.
                        s.settimeout(max(0.1, deadline - time.monotonic()))
                        s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                        s.recv(1)
                    return
            except OSError:
                time.sleep(0.02)
        raise AssertionError("statd did not start listening")

    def get(self, path, headers=None):
        """One HTTP GET; returns (status, headers dict lower-cased, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", path, headers=headers or {})
            resp = conn.getresponse()
            body = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
        finally:
            conn.close()

    def url(self, path="/ws"):
        return f"ws://127.0.0.1:{self.port}{path}"

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout * SLOW)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        err = b""
        if self.proc.stderr and not self.proc.stderr.closed:
            # Non-blocking: a daemonized child (-d) may still hold the pipe.
            os.set_blocking(self.proc.stderr.fileno(), False)
            try:
                err = self.proc.stderr.read() or b""
            except OSError:
                pass
        for f in (self.proc.stdout, self.proc.stderr):
            if f:
                f.close()
        found = REPORT.search(err)
        wrapper_error = next((int(a.split("=", 1)[1]) for a in WRAPPER if a.startswith("--error-exitcode=")), None)
        if wrapper_error is not None and self.proc.returncode == wrapper_error and exc[0] is None:
            raise AssertionError(f"{WRAPPER[0]} found errors (exit {wrapper_error}):\n" + err[-3000:].decode(errors="replace"))
        if found and exc[0] is None:
            start = max(0, found.start() - 200)
            raise AssertionError("statd's stderr has a report:\n" + err[start:start + 3000].decode(errors="replace"))


def raw_exchange(port, data, read_timeout=2.0, max_bytes=1 << 20):
    """Sends raw bytes, returns everything read until the peer closes or
    the timeout passes."""
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        s.sendall(data)
        deadline = time.monotonic() + read_timeout
        while time.monotonic() < deadline and len(out) < max_bytes:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
    return out


def ws_handshake(port, path="/ws", rcvbuf=None, timeout=3.0):
    """A raw WebSocket connection (our own minimal client side), for tests
    that need control over socket buffers or framing."""
    import base64
    key = base64.b64encode(os.urandom(16)).decode()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            raise AssertionError(f"closed during handshake: {head!r}")
        head += chunk
    assert head.startswith(b"HTTP/1.1 101 "), head
    return s


def ws_frame(payload, opcode=1, fin=True, mask=b"\x01\x02\x03\x04"):
    """One masked client frame."""
    if isinstance(payload, str):
        payload = payload.encode()
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def metric_value(statd, name):
    """The value of an unlabelled sample in statd's /metrics."""
    _, _, body = statd.get("/metrics")
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split(" ")[1])
    raise AssertionError(f"{name} not in /metrics")
