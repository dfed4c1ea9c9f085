"""The soak (tests/soak/soak.py) at its CI size: 100,000 connections churned
across every protocol, valid and garbage, while 32 well-behaved clients poll;
then no fd leaked, RSS growth bounded, counters consistent. About a minute
here; --seconds keeps a slow machine's run bounded.

Under a sanitizer build (tests/run's $BUILD/asan) or STATD_WRAPPER
(valgrind) the same soak runs smaller, without the RSS bound (ASan's
quarantine keeps freed memory on purpose), and a report fails it."""
import os
import subprocess
import sys

from harness import SRCDIR, STATD

SOAK = os.path.join(SRCDIR, "tests", "soak", "soak.py")
CI_CONNECTIONS = 100000
CI_SECONDS = 240


def sanitized_build():
    with open(STATD, "rb") as f:
        return b"__asan_init" in f.read()


def test_soak_100k_connections():
    args = ["--statd", STATD, "--seconds", str(CI_SECONDS)]
    wrapper = os.environ.get("STATD_WRAPPER", "")
    if wrapper:
        args += ["--connections", "2000", "--rss-bound-kb", "0", "--wrapper", wrapper]
    elif sanitized_build():
        args += ["--connections", "20000", "--rss-bound-kb", "0"]
    else:
        args += ["--connections", str(CI_CONNECTIONS)]
    r = subprocess.run([sys.executable, SOAK, *args], capture_output=True, text=True,
                       timeout=CI_SECONDS + 180)
    print(r.stdout, end="")
    print(r.stderr, end="")
    assert r.returncode == 0, "soak failed (see above)"
    assert "soak: ok   no fd leaked" in r.stdout
    assert "soak: ok   well-behaved requests answered" in r.stdout
