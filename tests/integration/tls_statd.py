"""statd over TLS (run by tests/run with the TLS=1 build only): independent
clients (Python ssl + websockets, curl, openssl) against the real daemon."""
import asyncio
import os
import re
import socket
import ssl
import subprocess
import tempfile

import websockets

from harness import Statd, free_port
from wsclient import decode_json_reply, run


def start(tmp, *extra):
    port = free_port()
    d = Statd("--tls-listen", f"127.0.0.1:{port}", "--tls-dir", tmp, *extra)
    d.tls_port = port
    return d


def fingerprint(path):
    out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", path],
                         capture_output=True, text=True, check=True).stdout
    return out.strip().split("=", 1)[1]


def test_tls_websocket_and_metrics_with_the_generated_certificate():
    with tempfile.TemporaryDirectory() as tmp:
        with start(tmp) as d:
            cert = os.path.join(tmp, "cert.pem")
            assert os.stat(os.path.join(tmp, "key.pem")).st_mode & 0o777 == 0o600
            ctx = ssl.create_default_context(cafile=cert)

            async def go():
                async with websockets.connect(f"wss://127.0.0.1:{d.tls_port}/ws", ssl=ctx) as ws:
                    await ws.send("get_metrics")
                    return await asyncio.wait_for(ws.recv(), 5)
            assert "cpu_total" in decode_json_reply(run(go()))
            r = subprocess.run(["curl", "-sS", "--cacert", cert, f"https://127.0.0.1:{d.tls_port}/metrics"],
                               capture_output=True, text=True, timeout=20)
            assert r.returncode == 0, r.stderr
            assert "node_load1 " in r.stdout and "statd_tls_handshakes_total" in r.stdout
            r = subprocess.run(["curl", "-sS", "--cacert", cert, f"https://127.0.0.1:{d.tls_port}/"],
                               capture_output=True, text=True, timeout=20)  # the dashboard
            assert r.returncode == 0 and "<html" in r.stdout.lower(), (r.stderr, r.stdout[:200])
            # The plain listener keeps working beside it.
            assert d.get("/healthz")[0] == 200
            first = fingerprint(cert)
        with start(tmp) as d:  # restart: the same certificate is reused
            assert fingerprint(os.path.join(tmp, "cert.pem")) == first


def test_tls_refuses_old_versions_and_counts_failures():
    with tempfile.TemporaryDirectory() as tmp:
        with start(tmp) as d:
            for version in ("-tls1", "-tls1_1"):
                r = subprocess.run(["openssl", "s_client", version, "-connect", f"127.0.0.1:{d.tls_port}"],
                                   input="", capture_output=True, text=True, timeout=20)
                assert r.returncode != 0, f"{version} was accepted"
            r = subprocess.run(["openssl", "s_client", "-tls1_2", "-connect", f"127.0.0.1:{d.tls_port}"],
                               input="", capture_output=True, text=True, timeout=20)
            assert re.search(r"Cipher is ECDHE-ECDSA-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)", r.stdout), r.stdout[-500:]
            body = d.get("/metrics")[2].decode()
            failures = float(re.search(r"^statd_tls_handshake_failures_total (\S+)$", body, re.M).group(1))
            assert failures >= 2


def test_tls_stalled_handshake_does_not_block_others():
    with tempfile.TemporaryDirectory() as tmp:
        with start(tmp) as d:
            stalled = socket.create_connection(("127.0.0.1", d.tls_port))
            stalled.sendall(b"\x16\x03\x01")  # the start of a ClientHello, then nothing
            r = subprocess.run(["curl", "-sS", "--cacert", os.path.join(tmp, "cert.pem"),
                                f"https://127.0.0.1:{d.tls_port}/healthz", "-o", "/dev/null",
                                "-w", "%{http_code}"], capture_output=True, text=True, timeout=20)
            assert r.stdout == "200", (r.stdout, r.stderr)
            # The handshake has the request deadline (10 s): statd hangs up.
            stalled.settimeout(14)
            assert stalled.recv(100) == b"", "a stalled handshake was kept open"
            stalled.close()


def tls_line_reader(sock):
    """Reads LF-terminated lines from a TLS socket (bounded by its timeout)."""
    buf = b""
    while True:
        while b"\n" not in buf:
            chunk = sock.recv(4096)
            if not chunk:
                raise AssertionError(f"closed; got {buf!r}")
            buf += chunk
        line, buf = buf.split(b"\n", 1)
        yield line.decode() + "\n"


def test_tls_on_the_main_listener():
    # `tls = on` in the config: the --listen port itself speaks TLS.
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "statd.conf")
        with open(config, "w") as f:
            f.write(f"tls = on\ntls-dir = {tmp}\n")
        with Statd("-c", config) as d:
            cert = os.path.join(tmp, "cert.pem")
            r = subprocess.run(["curl", "-sS", "--cacert", cert, f"https://127.0.0.1:{d.port}/metrics"],
                               capture_output=True, text=True, timeout=20)
            assert r.returncode == 0 and "node_load1 " in r.stdout, r.stderr
            # Plain HTTP on that port is a failed handshake, not an answer.
            r = subprocess.run(["curl", "-sS", "-m", "5", f"http://127.0.0.1:{d.port}/healthz"],
                               capture_output=True, text=True, timeout=20)
            assert r.returncode != 0, r.stdout
            body = subprocess.run(["curl", "-sS", "--cacert", cert, f"https://127.0.0.1:{d.port}/metrics"],
                                  capture_output=True, text=True, timeout=20).stdout
            assert re.search(r"^statd_tls_handshake_failures_total [1-9]", body, re.M), body[-300:]


def test_tls_socktop_switch_and_extra_sans():
    # A socktop_agent service file: SOCKTOP_ENABLE_SSL=1 (or --enableSSL) makes
    # the main port speak TLS; SOCKTOP_AGENT_EXTRA_SANS names the certificate.
    for how in ("environment", "option"):
        with tempfile.TemporaryDirectory() as tmp:
            env = {"SOCKTOP_AGENT_EXTRA_SANS": "agent.example, 10.1.2.3"}
            args = ["--tls-dir", tmp]
            if how == "environment":
                env["SOCKTOP_ENABLE_SSL"] = "1"
            else:
                args.append("--enableSSL")
            with Statd(*args, env=env) as d:
                cert = os.path.join(tmp, "cert.pem")
                ctx = ssl.create_default_context(cafile=cert)

                async def go():
                    async with websockets.connect(f"wss://127.0.0.1:{d.port}/ws", ssl=ctx) as ws:
                        await ws.send("get_metrics")
                        return await asyncio.wait_for(ws.recv(), 5)
                assert "cpu_total" in decode_json_reply(run(go())), how
                r = subprocess.run(["curl", "-sS", "-m", "5", f"http://127.0.0.1:{d.port}/healthz"],
                                   capture_output=True, text=True, timeout=20)
                assert r.returncode != 0, (how, r.stdout)  # no plain listener in TLS mode
                text = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in", cert],
                                      capture_output=True, text=True, check=True).stdout
                assert "DNS:agent.example" in text and "IP Address:10.1.2.3" in text, (how, text)


def openssl_rsa_certificate(directory):
    key, cert = os.path.join(directory, "rsa.key"), os.path.join(directory, "rsa.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=box",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-addext", "basicConstraints=critical,CA:FALSE"],  # webpki: no CA as the leaf
                   check=True, capture_output=True)
    return cert, key


def test_tls_user_rsa_certificate():
    # A user's own RSA certificate: served with ECDHE-RSA and an AEAD, and
    # statc pins it like an ECDSA one.
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = openssl_rsa_certificate(tmp)
        with start(os.path.join(tmp, "unused"), "--cert", cert, "--key", key) as d:
            r = subprocess.run(["curl", "-sS", "--cacert", cert, f"https://127.0.0.1:{d.tls_port}/metrics"],
                               capture_output=True, text=True, timeout=20)
            assert r.returncode == 0 and "node_load1 " in r.stdout, r.stderr
            r = subprocess.run(["openssl", "s_client", "-tls1_2", "-connect", f"127.0.0.1:{d.tls_port}"],
                               input="", capture_output=True, text=True, timeout=20)
            assert re.search(r"Cipher is ECDHE-RSA-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)", r.stdout), r.stdout[-500:]
            pin = "sha256:" + fingerprint(cert).replace(":", "").lower()
            url = f"wss://127.0.0.1:{d.tls_port}"
            for args in (["--tls-ca", cert], ["--pin", pin], ["--verify-hostname", "--tls-ca", cert]):
                target = f"wss://localhost:{d.tls_port}" if "--verify-hostname" in args else url
                code, doc, err = statc_json(*args, target)
                assert code == 0 and doc["hosts"][0]["state"] == "live", (args, doc, err)


def test_tls_key_exchange_groups():
    # ECDHE over X25519, which statd prefers whatever the client's order, and
    # over P-256 for a client without X25519. (In TLS 1.2 the client's group
    # list also names the curves it verifies, so it must hold P-256 to accept
    # statd's P-256 certificate: RFC 8422 section 5.1.)
    with tempfile.TemporaryDirectory() as tmp:
        with start(tmp) as d:
            for groups, seen in (("P-256:X25519", "Server Temp Key: X25519"),
                                 ("P-256", "Server Temp Key: ECDH, prime256v1")):
                r = subprocess.run(["openssl", "s_client", "-tls1_2", "-groups", groups,
                                    "-connect", f"127.0.0.1:{d.tls_port}"],
                                   input="", capture_output=True, text=True, timeout=20)
                assert seen in r.stdout and "Cipher is ECDHE-ECDSA-" in r.stdout, (groups, r.stdout[-800:])
            r = subprocess.run(["openssl", "s_client", "-tls1_2", "-groups", "X448",
                                "-connect", f"127.0.0.1:{d.tls_port}"],
                               input="", capture_output=True, text=True, timeout=20)
            assert "Cipher is (NONE)" in r.stdout or r.returncode != 0, r.stdout[-500:]


def test_tls_rtstat_raw_port():
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        with Statd("--rtstat-listen", f"127.0.0.1:{port}", "--rtstat-tls", "--tls-dir", tmp):
            ctx = ssl.create_default_context(cafile=os.path.join(tmp, "cert.pem"))
            raw = socket.create_connection(("127.0.0.1", port), timeout=5)
            idle = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
            lines = tls_line_reader(idle)
            assert next(lines) == "Welcome::Rt-Stat v.0.3.1\n"
            stalled = socket.create_connection(("127.0.0.1", port))
            stalled.sendall(b"\x16\x03\x01")
            stalled.settimeout(14)
            assert stalled.recv(100) == b"", "a stalled handshake was kept open"
            # After its handshake a raw rt-stat client may sit idle (telnet
            # style): past the deadline it is still served.
            idle.sendall(b"version::\n")
            assert next(lines) == "Version::0.3.1\n"
            idle.sendall(b"interval::0.5\nstart::\n")
            push = next(lines)
            assert push.startswith("Push::{") and '"meminfo"' in push, push[:200]
            idle.close()
            stalled.close()


def test_tls_user_certificate_and_print_cert():
    with tempfile.TemporaryDirectory() as tmp:
        key, cert = os.path.join(tmp, "my.key"), os.path.join(tmp, "my.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=box",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
        from harness import STATD
        r = subprocess.run([STATD, "--print-cert", "--cert", cert, "--key", key], capture_output=True,
                           text=True, timeout=10)
        assert r.returncode == 0, r.stderr
        assert fingerprint(cert) in r.stdout and "--pin sha256:" in r.stdout
        with start(os.path.join(tmp, "unused"), "--cert", cert, "--key", key) as d:
            r = subprocess.run(["curl", "-sS", "--cacert", cert, f"https://127.0.0.1:{d.tls_port}/healthz",
                                "-o", "/dev/null", "-w", "%{http_code}"], capture_output=True, text=True, timeout=20)
            assert r.stdout == "200", r.stderr
        assert not os.path.exists(os.path.join(tmp, "unused", "cert.pem"))


def statc_json(*args):
    import json
    from harness import BUILD
    r = subprocess.run([os.path.join(BUILD, "statc"), "--json", *args], capture_output=True,
                       text=True, timeout=30)
    return r.returncode, json.loads(r.stdout) if r.stdout else None, r.stderr


def test_statc_pinning_modes_against_tls_statd():
    with tempfile.TemporaryDirectory() as tmp:
        with start(tmp) as d:
            cert = os.path.join(tmp, "cert.pem")
            pin = "sha256:" + fingerprint(cert).replace(":", "").lower()
            url = f"wss://127.0.0.1:{d.tls_port}"
            code, doc, err = statc_json("--pin", pin, url, f"https://127.0.0.1:{d.tls_port}/metrics")
            assert code == 0, (doc, err)
            assert [h["state"] for h in doc["hosts"]] == ["live", "live"]
            code, doc, _ = statc_json("--tls-ca", cert, url)  # exact-certificate pin from a file
            assert code == 0 and doc["hosts"][0]["state"] == "live"
            code, doc, _ = statc_json("--verify-hostname", "--tls-ca", cert, f"wss://localhost:{d.tls_port}")
            assert code == 0 and doc["hosts"][0]["state"] == "live"
            # No pin: refused, and the message says how to pin.
            code, doc, _ = statc_json(url)
            assert code == 1 and f"--pin {pin}" in doc["hosts"][0]["error"]
            # A different certificate: refused.
            other = os.path.join(tmp, "other")
            os.mkdir(other)
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", os.path.join(other, "k"), "-out", os.path.join(other, "c"),
                            "-days", "2", "-subj", "/CN=other"], check=True, capture_output=True)
            code, doc, _ = statc_json("--tls-ca", os.path.join(other, "c"), url)
            assert code == 1 and doc["hosts"][0]["state"] == "down"
            # Rotation: a file holding the next certificate and the current one.
            both = os.path.join(other, "both.pem")
            with open(both, "w") as f:
                f.write(open(os.path.join(other, "c")).read() + open(cert).read())
            code, doc, err = statc_json("--tls-ca", both, url)
            assert code == 0 and doc["hosts"][0]["state"] == "live", (doc, err)
            code, doc, _ = statc_json("--pin", "sha256:" + "0" * 64, url)
            assert code == 1 and "none of the pinned" in doc["hosts"][0]["error"]
            # --verify-hostname needs its CA file, and would not check a --pin.
            for args in (["--verify-hostname"], ["--verify-hostname", "--tls-ca", cert, "--pin", pin]):
                code, doc, err = statc_json(*args, url)
                assert code == 2 and doc is None and "--verify-hostname goes with --tls-ca" in err, (args, err)
