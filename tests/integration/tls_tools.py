"""Checks statd's TLS layer (src/net/tls*.cc) from the outside with OpenSSL
(`openssl s_client`, `openssl x509`, Python's ssl), through build/tools/tls_echo,
a TLS echo server over the same code. tls_echo exists only in a TLS=1 build:
run by tests/run (run.py --tls) against the TLS=1 variant; without a TLS build they print why they are skipped and pass, unless the build's
BUILD_FLAGS says TLS=1 (then a missing tool is a failure)."""
import datetime
import os
import re
import select
import shutil
import socket
import ssl
import stat
import subprocess
import tempfile
import time

import harness

TOOL = os.path.join(harness.TOOLS, "tls_echo")
AEAD_SUITES = {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
               "ECDHE-ECDSA-CHACHA20-POLY1305"}


def tls_built():
    try:
        with open(os.path.join(harness.BUILD, "BUILD_FLAGS")) as f:
            return "TLS=1" in f.read().split()
    except OSError:
        return False


def tool_ready():
    """True when the tests can run; False (after printing why) when TLS is not built."""
    if os.access(TOOL, os.X_OK):
        return True
    assert not tls_built(), f"{TOOL} missing although {harness.BUILD}/BUILD_FLAGS says TLS=1"
    print(f"skip: {TOOL} not built (build without TLS=1)")
    return False


class EchoServer:
    """tls_echo in a temporary state directory; reads its report lines."""

    def __init__(self, state_dir=None, hostname="box.example", extra_sans=()):
        self.tmp = tempfile.mkdtemp(prefix="statd-tls-")
        self.state_dir = state_dir or os.path.join(self.tmp, "tls")
        self.proc = subprocess.Popen([TOOL, self.state_dir, hostname, *extra_sans],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buffered = b""
        self.port = int(self.line("port "))
        self.fingerprint = self.line("fingerprint ")

    def line(self, prefix, timeout=5.0):
        """The rest of the next stdout line starting with `prefix`."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.buffered:
                text, self.buffered = self.buffered.split(b"\n", 1)
                text = text.decode()
                if text.startswith(prefix):
                    return text[len(prefix):]
            left = deadline - time.monotonic()
            assert left > 0, f"tls_echo printed no '{prefix}' line"
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                assert chunk, f"tls_echo exited: {self.proc.stderr.read().decode(errors='replace')}"
                self.buffered += chunk

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def s_client(port, *args, stdin=b""):
    proc = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", *args],
                          input=stdin, capture_output=True, timeout=20)
    return proc.stdout.decode(errors="replace") + proc.stderr.decode(errors="replace")


def client_context(cafile=None, maximum=ssl.TLSVersion.TLSv1_2):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cafile:
        ctx.load_verify_locations(cafile)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = maximum
    return ctx


def echo_once(ctx, port, server_hostname, payload=b"hello over tls\n"):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname=server_hostname) as s:
            s.sendall(payload)
            got = b""
            while len(got) < len(payload):
                chunk = s.recv(65536)
                assert chunk, "closed before the echo"
                got += chunk
            return got, s.version(), s.cipher()[0]


def test_tls_round_trip_verified_by_python_ssl():
    if not tool_ready():
        return
    with EchoServer(extra_sans=("10.0.0.5",)) as server:
        ctx = client_context(cafile=os.path.join(server.state_dir, "cert.pem"))
        for name in ("box.example", "localhost", "127.0.0.1"):  # ssl checks the SAN
            got, version, cipher = echo_once(ctx, server.port, name)
            assert got == b"hello over tls\n"
            assert version == "TLSv1.2", version
            assert cipher in AEAD_SUITES, cipher
        big = os.urandom(300_000)
        got, _, _ = echo_once(ctx, server.port, "box.example", big)
        assert got == big
        try:
            echo_once(ctx, server.port, "wrong.example")
            raise AssertionError("a name outside the SANs was accepted")
        except ssl.SSLCertVerificationError as e:
            assert "Hostname mismatch" in str(e), e


def test_tls_refuses_tls10_and_tls11():
    if not tool_ready():
        return
    with EchoServer() as server:
        for flag, name in (("-tls1", "TLSv1"), ("-tls1_1", "TLSv1.1")):
            # SECLEVEL=0: OpenSSL 3 itself would not offer these versions otherwise.
            out = s_client(server.port, flag, "-cipher", "DEFAULT:@SECLEVEL=0")
            assert "alert protocol version" in out, out
            assert f"Protocol  : {name}" in out and "Cipher is (NONE)" in out, out
            assert server.line("closed ") == "handshake=0 error=protocol version refused (TLS 1.2 is required)"
        assert server.line("failures=") == "2 completed=0"  # line() skipped "failures=1"
        out = s_client(server.port, "-tls1_2")
        assert "Protocol  : TLSv1.2" in out, out
        assert "Cipher is ECDHE-ECDSA-AES128-GCM-SHA256" in out, out
        assert "Extended master secret: yes" in out, out
        # TLS 1.3 is not served by mbedTLS 2.28: a 1.3-only client is refused.
        out = s_client(server.port, "-tls1_3")
        assert "Cipher is (NONE)" in out, out


def test_tls_refuses_renegotiation():
    if not tool_ready():
        return
    with EchoServer() as server:
        proc = subprocess.Popen(["openssl", "s_client", "-tls1_2", "-connect", f"127.0.0.1:{server.port}"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            time.sleep(0.5)
            proc.stdin.write(b"R\n")  # s_client's "renegotiate" command
            proc.stdin.flush()
            out, _ = proc.communicate(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out = out.decode(errors="replace")
        assert "RENEGOTIATING" in out and "no renegotiation" in out, out


def openssl_cipher_names():
    out = subprocess.run(["openssl", "ciphers", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, check=True, text=True).stdout.strip()
    return [c for c in out.split(":") if not c.startswith("TLS_")]  # TLS 1.3 names


def test_tls_offers_only_ecdhe_aead_suites():
    if not tool_ready():
        return
    accepted = set()
    tried = 0
    with EchoServer() as server:
        names = openssl_cipher_names()
        assert len(names) > 40, names  # RSA, DHE, CBC, PSK, ... all tried one by one
        for name in names:
            ctx = client_context()
            try:
                ctx.set_ciphers(name + ":@SECLEVEL=0")
            except ssl.SSLError:
                continue  # this OpenSSL cannot offer it at all
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            tried += 1
            try:
                echo_once(ctx, server.port, "box.example", b"x")
                accepted.add(name)
            except (ssl.SSLError, ConnectionError):
                pass
    assert tried > 40, tried
    assert accepted == AEAD_SUITES, accepted


def parse_openssl_date(text):
    return datetime.datetime.strptime(text.strip(), "%b %d %H:%M:%S %Y GMT")


def test_tls_generated_certificate_seen_by_openssl_x509():
    if not tool_ready():
        return
    before = datetime.datetime.utcnow().replace(microsecond=0)
    with EchoServer(extra_sans=("10.0.0.5", "mon.lan", "fd00::7")) as server:
        cert = os.path.join(server.state_dir, "cert.pem")
        key = os.path.join(server.state_dir, "key.pem")
        text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", cert],
                              capture_output=True, check=True, text=True).stdout
        assert "Version: 3 (0x2)" in text, text
        assert "Signature Algorithm: ecdsa-with-SHA256" in text, text
        assert "NIST CURVE: P-256" in text, text
        assert "Subject: CN = box.example" in text and "Issuer: CN = box.example" in text, text
        assert "CA:FALSE" in text, text
        assert "TLS Web Server Authentication" in text, text
        sans = re.search(r"X509v3 Subject Alternative Name: *\n *(.*)\n", text).group(1)
        assert sans == ("DNS:box.example, DNS:localhost, IP Address:127.0.0.1, "
                        "IP Address:0:0:0:0:0:0:0:1, IP Address:10.0.0.5, DNS:mon.lan, "
                        "IP Address:FD00:0:0:0:0:0:0:7"), sans
        dates = subprocess.run(["openssl", "x509", "-noout", "-startdate", "-enddate", "-in", cert],
                               capture_output=True, check=True, text=True).stdout
        start = parse_openssl_date(re.search(r"notBefore=(.*)", dates).group(1))
        end = parse_openssl_date(re.search(r"notAfter=(.*)", dates).group(1))
        after = datetime.datetime.utcnow()
        assert end - start == datetime.timedelta(days=397, minutes=5), (start, end)
        five_min = datetime.timedelta(minutes=5)
        assert before - five_min - datetime.timedelta(seconds=1) <= start <= after - five_min, start
        fingerprint = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", cert],
                                     capture_output=True, check=True, text=True).stdout.strip()
        assert fingerprint == "sha256 Fingerprint=" + server.fingerprint, (fingerprint, server.fingerprint)
        key_text = subprocess.run(["openssl", "pkey", "-noout", "-text", "-in", key],
                                  capture_output=True, check=True, text=True).stdout
        assert "Private-Key: (256 bit)" in key_text and "prime256v1" in key_text
        with open(key) as f:
            assert f.readline() == "-----BEGIN PRIVATE KEY-----\n"  # PKCS#8
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(server.state_dir).st_mode) == 0o700
        # ecdsa-with-SHA256 twice, never followed by NULL parameters (RFC 5758
        # 3.2; webpki and Chrome refuse a certificate with them).
        parsed = subprocess.run(["openssl", "asn1parse", "-in", cert],
                                capture_output=True, check=True, text=True).stdout.splitlines()
        algorithms = [i for i, line in enumerate(parsed) if line.endswith(":ecdsa-with-SHA256")]
        assert len(algorithms) == 2, parsed
        assert not any("prim: NULL" in parsed[i + 1] for i in algorithms), parsed
        first = server.fingerprint
        state_dir = server.state_dir
        with open(cert, "rb") as f:
            cert_bytes = f.read()
        # A second start in the same directory reuses the files.
        with EchoServer(state_dir=state_dir) as again:
            assert again.fingerprint == first
            with open(cert, "rb") as f:
                assert f.read() == cert_bytes


def test_tls_print_cert():
    if not tool_ready():
        return
    tmp = tempfile.mkdtemp(prefix="statd-tls-")
    try:
        state_dir = os.path.join(tmp, "tls")
        out = subprocess.run([TOOL, "--print-cert", state_dir, "box.example"],
                             capture_output=True, check=True, text=True).stdout
        lines = out.splitlines()
        assert lines[0] == f"certificate: {state_dir}/cert.pem (generated now)", lines
        fingerprint = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in",
                                      os.path.join(state_dir, "cert.pem")],
                                     capture_output=True, check=True, text=True).stdout.strip()
        assert lines[1] == "sha256 fingerprint: " + fingerprint.split("=", 1)[1], lines
        assert lines[2] == "statc option: --pin sha256:" + fingerprint.split("=", 1)[1].replace(":", "").lower()
        with open(os.path.join(state_dir, "cert.pem")) as f:
            assert "\n".join(lines[3:]) + "\n" == f.read()
        again = subprocess.run([TOOL, "--print-cert", state_dir], capture_output=True, check=True,
                               text=True).stdout
        assert again.splitlines()[0] == f"certificate: {state_dir}/cert.pem"
        assert again.splitlines()[1:] == lines[1:]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_tls_stalled_client_does_not_block_others():
    if not tool_ready():
        return
    with EchoServer() as server:
        ctx = client_context()
        with socket.create_connection(("127.0.0.1", server.port)) as stalled:
            stalled.sendall(b"\x16\x03\x01\x02")  # a record header, then nothing
            with socket.create_connection(("127.0.0.1", server.port)) as silent:
                t0 = time.monotonic()
                got, _, _ = echo_once(ctx, server.port, "box.example")
                assert got == b"hello over tls\n"
                assert time.monotonic() - t0 < 2
                assert server.line("closed ") == "handshake=1 error="
                silent.close()
