"""The browser dashboard (GET /, agent/dashboard.cc, web/): HTTP caching and
encoding, assets that reference nothing outside statd, statd's rt-stat
`plugins::` extension, and the page itself in headless Chromium
(tests/browser/dashboard.test.mjs)."""
import gzip
import json
import os
import re
import shutil
import subprocess

import websockets

from harness import BUILD, FIXTURES, SRCDIR, STATD, Statd, raw_exchange
from wsclient import run

WEB = os.path.join(SRCDIR, "web")
ASSETS = {"/": "index.html", "/dashboard.css": "dashboard.css", "/dashboard.js": "dashboard.js"}
TYPES = {"/": "text/html; charset=utf-8", "/dashboard.css": "text/css; charset=utf-8",
         "/dashboard.js": "text/javascript; charset=utf-8"}


def web_file(name):
    with open(os.path.join(WEB, name), "rb") as f:
        return f.read()


def test_dashboard_gzip_plain_etag_304_and_head():
    with Statd() as d:
        for path, name in ASSETS.items():
            status, h, body = d.get(path, {"Accept-Encoding": "gzip, deflate, br"})
            assert status == 200, (path, status)
            assert h["content-type"] == TYPES[path]
            assert h["content-encoding"] == "gzip" and h["vary"] == "Accept-Encoding"
            assert h["cache-control"] == "no-cache"
            assert gzip.decompress(body) == web_file(name)
            etag = h["etag"]
            assert re.fullmatch(r'"[0-9a-f]{16}-gzip"', etag), etag
            # Without gzip in Accept-Encoding: the same bytes, inflated by statd.
            status, plain_h, plain = d.get(path, {"Accept-Encoding": "identity"})
            assert status == 200 and "content-encoding" not in plain_h
            assert plain == web_file(name) and plain_h["content-length"] == str(len(plain))
            assert plain_h["etag"] == etag.replace("-gzip", "")
            # A reload revalidates: 304, no body.
            status, h304, body304 = d.get(path, {"Accept-Encoding": "gzip", "If-None-Match": etag})
            assert status == 304 and body304 == b"" and h304["etag"] == etag
            assert "content-length" not in h304
        # HEAD: the GET's headers, no body; the connection stays usable.
        reply = raw_exchange(d.port, b"HEAD / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                                     b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, rest = reply.partition(b"\r\n\r\n")
        head += b"\r\n"
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"Content-Encoding: gzip\r\n" in head
        gz_len = len(d.get("/", {"Accept-Encoding": "gzip"})[2])
        assert f"Content-Length: {gz_len}\r\n".encode() in head
        assert rest.startswith(b"HTTP/1.1 200 OK\r\n"), rest[:40]
        # The page itself is public (it holds no data); other methods get 405.
        reply = raw_exchange(d.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 405 ") and b"Allow: GET, HEAD\r\n" in reply
        assert d.get("/index.html")[0] == 404


def test_dashboard_assets_load_nothing_from_elsewhere():
    total = 0
    with Statd("--token", "secret") as d:  # the page needs no token; its data does
        status, h, html = d.get("/")
        assert status == 200
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "connect-src 'self' ws: wss:" in csp
        for path, name in ASSETS.items():
            text = d.get(path)[2].decode()
            total += len(text.encode())
            assert "http://" not in text and "https://" not in text, name
            for attr in re.findall(r'\b(?:src|href)\s*=\s*["\']?([^"\'\s>]*)', text):
                assert not attr.startswith("//") and ":" not in attr.replace("data:,", ""), (name, attr)
            for url in re.findall(r"url\(([^)]*)\)", text):
                assert url.strip("'\" ").startswith("data:"), (name, url)
            assert "@import" not in text and "importScripts" not in text, name
            assert not re.search(r"\bfetch\(|XMLHttpRequest|\bimport\(", text), name
    html_text = html.decode()
    assert 'src="dashboard.js"' in html_text and 'href="dashboard.css"' in html_text
    assert total <= 40 * 1024, total  # the budget before compression


def test_dashboard_rtstat_plugins_extension():
    async def go(url):
        async with websockets.connect(url, ping_interval=None) as ws:
            assert await ws.recv() == "Welcome::Rt-Stat v.0.3.1\n"
            for m in ("auth::s3cret", "plugins::top_processes,hostname,cpu_stat,uptime,meminfo,"
                      "processes,network,temperatures,filesystems", "interval::0.5", "start::"):
                await ws.send(m)
            push = await ws.recv()
            bad_ws_reply = None
            await ws.send("plugins::nope")
            bad_ws_reply = await ws.recv()
            while bad_ws_reply.startswith("Push::"):
                bad_ws_reply = await ws.recv()
            return push, bad_ws_reply

    with Statd("--root", os.path.join(FIXTURES, "pc"), "--token", "s3cret") as d:
        push, err = run(go(d.url("/")))
    assert push.startswith("Push::") and push.endswith("\n")
    data = json.loads(push[len("Push::"):])
    assert list(data) == ["cpu_stat", "meminfo", "processes", "uptime", "top_processes",
                          "hostname", "network", "temperatures", "filesystems"], list(data)
    assert data["hostname"] == "workstation"
    assert err.startswith("Error::unknown rt-stat plugin 'nope'"), err


def test_dashboard_in_chromium():
    """tests/browser/dashboard.test.mjs: the page from live statds, two
    columns, down and recovery, export/import, wrong token, no request off
    loopback. Needs `make deps` (chromium, node, npm ci)."""
    node = shutil.which("node")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    modules = os.path.join(SRCDIR, "tests", "browser", "node_modules", "playwright-core")
    assert node and os.path.exists(chromium) and os.path.isdir(modules), \
        "needs node, chromium and tests/browser/node_modules: run `make deps`"
    shots = [os.path.join(BUILD, "artifacts", "dashboard.png")]
    committed = os.path.join(SRCDIR, "tests", "artifacts", "dashboard.png")
    if os.environ.get("STATD_UPDATE_ARTIFACTS") == "1" or not os.path.exists(committed):
        shots.append(committed)
    env = dict(os.environ, STATD_BIN=STATD, CHROMIUM=chromium, DASHBOARD_SCREENSHOTS=":".join(shots))
    proc = subprocess.run([node, os.path.join(SRCDIR, "tests", "browser", "dashboard.test.mjs")],
                          env=env, capture_output=True, text=True, timeout=240)
    print(proc.stdout, proc.stderr)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok no request left loopback" in proc.stdout
    assert os.path.getsize(shots[0]) > 10000
