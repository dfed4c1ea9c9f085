"""HTTP behaviour of the real statd: routes, keep-alive, errors, limits,
signals, options."""
import os
import signal
import socket
import subprocess
import tempfile
import time

from harness import STATD, Statd, free_port, raw_exchange


def test_healthz_and_404_and_405():
    with Statd() as d:
        status, headers, body = d.get("/healthz")
        assert status == 200 and body == b""
        status, _, _ = d.get("/nope")
        assert status == 404
        reply = raw_exchange(d.port, b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 405 "), reply[:40]


def test_keep_alive_serves_pipelined_requests_in_order():
    with Statd() as d:
        req = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        req2 = b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        reply = raw_exchange(d.port, req + req + req2)
        parts = reply.split(b"HTTP/1.1 ")[1:]
        assert [p[:3] for p in parts] == [b"200", b"200", b"404"], reply


def test_head_has_no_body():
    with Statd() as d:
        reply = raw_exchange(d.port, b"HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ")
        assert b"Content-Length: " in head and body == b""


def test_malformed_request_gets_400_and_close_while_others_are_served():
    with Statd() as d:
        good = socket.create_connection(("127.0.0.1", d.port), timeout=3)
        reply = raw_exchange(d.port, b"GARBAGE\x00\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 400 "), reply
        assert b"Connection: close" in reply
        good.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert good.recv(4096).startswith(b"HTTP/1.1 200 ")
        good.close()
        huge = b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 9000 + b"\r\n\r\n"
        assert raw_exchange(d.port, huge).startswith(b"HTTP/1.1 431 ")


def test_max_clients_enforced_at_accept():
    with Statd("--max-clients", "2") as d:
        time.sleep(0.3)  # let statd notice the readiness probe's connection closed
        held = [socket.create_connection(("127.0.0.1", d.port), timeout=3) for _ in range(2)]
        for s in held:  # both are served...
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(4096).startswith(b"HTTP/1.1 200 ")
        extra = socket.create_connection(("127.0.0.1", d.port), timeout=3)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            data = extra.recv(100)
        except ConnectionResetError:
            data = b""
        assert data == b"", data
        held[0].close()  # ...and a freed slot is reused
        time.sleep(0.3)
        status, _, _ = d.get("/healthz")
        assert status == 200
        for s in held[1:]:
            s.close()


def test_sigterm_exits_zero_and_closes_listeners():
    d = Statd()
    try:
        assert d.stop(signal.SIGTERM) == 0
        try:
            socket.create_connection(("127.0.0.1", d.port), timeout=1).close()
            refused = False
        except OSError:
            refused = True
        assert refused
    finally:
        d.__exit__()


def run_statd(*args, env=None):
    return subprocess.run([STATD, *args], capture_output=True, text=True, timeout=10, env=env)


def test_help_version_and_bad_options():
    r = run_statd("--help")
    assert r.returncode == 0 and "--listen" in r.stdout and "--token" in r.stdout
    r = run_statd("--version")
    assert r.returncode == 0 and r.stdout.startswith("statd ")
    r = run_statd("--bogus")
    assert r.returncode == 2 and "unknown option '--bogus'" in r.stderr
    r = run_statd("--max-clients", "zero")
    assert r.returncode == 2 and "--max-clients" in r.stderr
    r = run_statd("-l", "999.0.0.1:80")
    assert r.returncode == 2 and "bad IPv4 address" in r.stderr
    # A build without TLS says so instead of serving plain text where TLS was asked for.
    if "-tls" in run_statd("--version").stdout:
        for tls_option in ("--tls", "--rtstat-tls"):
            r = run_statd(tls_option, "-l", "127.0.0.1:0")
            assert r.returncode != 0 and "built without TLS" in r.stderr, (tls_option, r.stderr)


def test_config_file_errors_name_file_and_line():
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write("# comment\n\nmax-clients = 3\nno-such-key = 1\n")
    try:
        r = run_statd("-c", f.name)
        assert r.returncode == 2
        assert f"{f.name}:4: unknown key 'no-such-key'" in r.stderr, r.stderr
        with open(f.name, "w") as g:
            g.write("max-clients = many\n")
        r = run_statd("-c", f.name)
        assert r.returncode == 2 and f"{f.name}:1: max-clients:" in r.stderr, r.stderr
    finally:
        os.unlink(f.name)


def test_config_file_is_applied_and_unbindable_address_exits_2():
    port = free_port()
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", port))
    blocker.listen(1)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
            f.write(f"listen = 127.0.0.1:{port}\n")
        r = run_statd("-c", f.name)
        assert r.returncode == 2 and "cannot listen on" in r.stderr, r.stderr
    finally:
        blocker.close()
        os.unlink(f.name)
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write("token = s3cret\n")
    try:
        with Statd("-c", f.name) as d:
            assert d.get("/metrics")[0] == 401
            assert d.get("/metrics", {"Authorization": "Bearer s3cret"})[0] == 200
    finally:
        os.unlink(f.name)


def test_warns_once_without_token_beyond_loopback():
    port = free_port()
    p = subprocess.Popen([STATD, "-l", f"0.0.0.0:{port}"], stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
    finally:
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=5)
    assert err.count("no token set") == 1, err
    d = Statd()  # loopback only: no warning
    d.stop()
    err = d.proc.stderr.read()
    d.__exit__()
    assert b"no token" not in err, err


def test_config_listen_replaces_socktop_port_from_environment():
    env_port, file_port = free_port(), free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write(f"listen = 127.0.0.1:{file_port}\n")
    try:
        # Statd() adds -l 127.0.0.1:PORT itself; start the daemon by hand here.
        p = subprocess.Popen([STATD, "-c", f.name], env={**os.environ, "SOCKTOP_PORT": str(env_port)},
                             stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", file_port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                raise AssertionError("statd did not listen on the config file's address")
            try:
                socket.create_connection(("127.0.0.1", env_port), timeout=0.5).close()
                raise AssertionError("SOCKTOP_PORT was used although the config file sets listen")
            except ConnectionRefusedError:
                pass
        finally:
            p.terminate()
            p.wait(5)
            p.stderr.close()
    finally:
        os.unlink(f.name)
