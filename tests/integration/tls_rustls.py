"""statd over TLS as socktop's client sees it: rustls with webpki (the TLS stack
of socktop's Rust client), through tests/tools/rustls_client, in both of
socktop's trust modes (../shared/spec/socktop.md section 14):
  pin     --tls-ca: the agent's certificate byte for byte, handshake signature
          verified by webpki;
  verify  --verify-hostname: webpki's chain and name checks, the file as root.
webpki compares signature algorithm identifiers byte for byte, so it also
catches a certificate encoding OpenSSL and curl let through."""
import os
import re
import subprocess
import tempfile

from harness import BUILD, Statd
from tls_statd import openssl_rsa_certificate, start

# Built beside statd's TLS build; the static binaries in BUILD/static use it too.
CLIENT = next((c for c in (os.path.join(BUILD, "tools", "rustls_client"),
                           os.path.join(os.path.dirname(BUILD), "tools", "rustls_client"))
               if os.access(c, os.X_OK)), os.path.join(BUILD, "tools", "rustls_client"))


def rustls(mode, cert, name, port, path="/healthz"):
    assert os.access(CLIENT, os.X_OK), f"{CLIENT} missing: make check builds it (needs `make deps`: cargo)"
    r = subprocess.run([CLIENT, mode, cert, name, str(port), path], capture_output=True, text=True,
                       timeout=30)
    return r.returncode, r.stdout, r.stderr


def test_rustls_pins_and_verifies_the_generated_certificate():
    with tempfile.TemporaryDirectory() as tmp:
        with start(tmp) as d:
            cert = os.path.join(tmp, "cert.pem")
            code, out, err = rustls("pin", cert, "localhost", d.tls_port, "/metrics")
            assert code == 0, err
            assert re.match(r"TLSv1_2 TLS_ECDHE_ECDSA_WITH_(AES_\d+_GCM_SHA\d+|CHACHA20_POLY1305_SHA256)\n"
                            r"HTTP/1\.1 200 ", out), out
            # socktop --verify-hostname: the generated certificate as its own
            # root, the host a SAN of it.
            code, out, err = rustls("verify", cert, "localhost", d.tls_port)
            assert code == 0 and "HTTP/1.1 200 " in out, err
            code, _, err = rustls("verify", cert, "other.example", d.tls_port)
            assert code == 1 and "CertNotValidForName" in err, err


def test_rustls_refuses_a_different_certificate():
    with tempfile.TemporaryDirectory() as tmp:
        other = os.path.join(tmp, "other")
        os.mkdir(other)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", os.path.join(other, "k"), "-out", os.path.join(other, "c"),
                        "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                       check=True, capture_output=True)
        with start(tmp) as d:
            code, _, err = rustls("pin", os.path.join(other, "c"), "localhost", d.tls_port)
            assert code == 1 and "none of the pinned" in err, err
            code, _, err = rustls("verify", os.path.join(other, "c"), "localhost", d.tls_port)
            assert code == 1 and "UnknownIssuer" in err, err
            # Rotation: the next certificate and the current one in one file.
            both = os.path.join(tmp, "both.pem")
            with open(both, "w") as f:
                f.write(open(os.path.join(other, "c")).read() + open(os.path.join(tmp, "cert.pem")).read())
            code, out, err = rustls("pin", both, "localhost", d.tls_port)
            assert code == 0 and "HTTP/1.1 200 " in out, err


def test_rustls_with_socktop_extra_sans():
    # The spec's reason for SOCKTOP_AGENT_EXTRA_SANS: --verify-hostname with the
    # name the client uses for the agent.
    with tempfile.TemporaryDirectory() as tmp:
        with Statd("--enableSSL", "--tls-dir", tmp, env={"SOCKTOP_AGENT_EXTRA_SANS": "agent.example"}) as d:
            code, out, err = rustls("verify", os.path.join(tmp, "cert.pem"), "agent.example", d.port)
            assert code == 0 and "HTTP/1.1 200 " in out, err


def test_rustls_with_a_user_rsa_certificate():
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = openssl_rsa_certificate(tmp)
        with start(os.path.join(tmp, "unused"), "--cert", cert, "--key", key) as d:
            code, out, err = rustls("pin", cert, "localhost", d.tls_port)
            assert code == 0, err
            assert re.match(r"TLSv1_2 TLS_ECDHE_RSA_WITH_(AES_\d+_GCM_SHA\d+|CHACHA20_POLY1305_SHA256)\n", out), out
            code, out, err = rustls("verify", cert, "localhost", d.tls_port)
            assert code == 0 and "HTTP/1.1 200 " in out, err
