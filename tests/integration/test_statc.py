"""statc against live peers: statd over socktop's protocol and over
/metrics, Debian's real node_exporter, a gotop-format endpoint, a scripted
rt-stat server, tokens and dead hosts."""
import http.server
import json
import os
import socket
import subprocess
import threading
import time

from harness import BUILD, FIXTURES, SRCDIR, Statd, free_port

STATC = os.path.join(BUILD, "statc")
PC = os.path.join(FIXTURES, "pc")


def statc(*args, timeout=30, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([STATC, *args], capture_output=True, text=True, timeout=timeout, env=e)


def statc_json(*args):
    r = statc("--json", *args)
    return r.returncode, json.loads(r.stdout), r.stderr


def fixture_meminfo(root):
    text = open(os.path.join(root, "proc", "meminfo")).read()
    return {l.split(":")[0]: int(l.split()[1]) for l in text.splitlines() if l.strip()}


def test_statc_reads_statd_over_socktop():
    mem = fixture_meminfo(PC)
    with Statd("--root", PC) as d:
        code, doc, err = statc_json(f"127.0.0.1:{d.port}")
    assert code == 0, err
    (h,) = doc["hosts"]
    assert h["state"] == "live" and h["protocol"] == "ws"
    assert h["hostname"] == "workstation"
    assert h["mem_total_bytes"] == mem["MemTotal"] * 1024
    assert h["mem_used_bytes"] == (mem["MemTotal"] - mem["MemAvailable"]) * 1024
    pids = sorted(int(p) for p in os.listdir(os.path.join(PC, "proc")) if p.isdigit())
    assert sorted(p["pid"] for p in h["processes"]) == pids
    assert h["process_count"] == len(pids)
    assert h["disks"][0]["name"] == "/dev/nvme0n1"
    assert h["load"] is None and h["uptime_s"] is None  # not in socktop's protocol


def test_statc_reads_statd_metrics_endpoint():
    mem = fixture_meminfo(PC)
    with Statd("--root", PC) as d:
        code, doc, err = statc_json(f"http://127.0.0.1:{d.port}/metrics")
    assert code == 0, err
    (h,) = doc["hosts"]
    assert h["protocol"] == "prometheus/node_exporter"
    assert h["mem_total_bytes"] == mem["MemTotal"] * 1024
    loadavg = open(os.path.join(PC, "proc", "loadavg")).read().split()
    assert h["load"] == [float(x) for x in loadavg[:3]]
    assert len(h["cpu_core_percent"]) == 4


def test_statc_reads_real_node_exporter():
    port = free_port()
    p = subprocess.Popen(["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{port}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        code, doc, err = statc_json(f"http://127.0.0.1:{port}/metrics")
    finally:
        p.terminate()
        p.wait(5)
    assert code == 0, err
    (h,) = doc["hosts"]
    assert h["state"] == "live" and h["protocol"] == "prometheus/node_exporter"
    assert h["mem_total_bytes"] == fixture_meminfo("/")["MemTotal"] * 1024
    assert len(h["cpu_core_percent"]) == os.cpu_count()
    assert h["hostname"] == os.uname().nodename


class _GotopHandler(http.server.BaseHTTPRequestHandler):
    body = open(os.path.join(FIXTURES, "prometheus", "gotop-v4.2.0-metrics.txt"), "rb").read()

    def do_GET(self):
        if self.path != "/metrics":
            self.send_error(404)
            return
        if self.headers.get("Authorization") != "Basic dXNlcjpwQHNz":  # user:p@ss
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_statc_reads_gotop_export_with_basic_auth_from_config():
    server = serve(_GotopHandler)
    port = server.server_address[1]
    conf = os.path.join(BUILD, "test-gotop.conf")
    with open(conf, "w") as f:
        f.write(f"# gotop remotes\n\nremote-Jerry-url=http://user:p%40ss@127.0.0.1:{port}/metrics\n"
                "remote-Jerry-refresh=1\nremote-Tom-url=http://127.0.0.1:{port}/metrics\n".replace("{port}", str(port)))
    try:
        code, doc, err = statc_json("-C", conf)
    finally:
        server.shutdown()
        os.unlink(conf)
    jerry, tom = doc["hosts"]
    assert jerry["label"] == "Jerry" and jerry["state"] == "live"
    assert jerry["protocol"] == "prometheus/gotop"
    assert jerry["cpu_core_percent"] == [2.0, 2.0]
    assert abs(jerry["mem_used_percent"] - 0.714760166915653) < 1e-12
    assert jerry["mem_total_bytes"] is None  # gotop exports percentages only
    assert "p@ss" not in json.dumps(doc)  # credentials never shown
    assert tom["label"] == "Tom" and tom["state"] == "unauthorized"
    assert code == 1


def fake_rtstat_server(token, pushes):
    """A scripted rt-stat raw server: Welcome, then the spec's push after start."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(10)
    received = []

    def run():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        conn.settimeout(5)
        conn.sendall(b"Welcome::Rt-Stat v.0.3.1\n")
        authorized = token is None
        buf = b""
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    received.append(line.decode())
                    if line.startswith(b"auth::"):
                        authorized = token is not None and line[6:].decode() == token
                        if not authorized:
                            conn.sendall(b"Error::Auth failed\n")
                    elif line == b"start":
                        if not authorized:
                            conn.sendall(b"Error::Not authorized\n")
                            continue
                        for p in pushes:
                            conn.sendall(b"Push::" + p.encode() + b"\n")
                            time.sleep(0.3)
        except OSError:
            pass
        finally:
            conn.close()
            listener.close()

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1], received


PUSH = ('{"cpu_stat":{"cpu0":{"usage":0.12,"user":0.08,"system":0.04,"iowait":0},"cpu1":{"usage":0.05,'
        '"user":0.03,"system":0.02,"iowait":0}},"meminfo":{"memory":{"total":8052084,"used":5123456,'
        '"free":2928628,"apps":2345678,"buffers":123456,"cached":2500000,"swapCached":0},"swap":{"total":'
        '2097148,"used":0,"free":2097148}},"processes":{"all":187,"running":1,"sleep":186,"stopped":0,'
        '"zombie":0},"uptime":{"time":"10:01:02","uptime":"5 days,  3:04","users":"2","la1":"0.00",'
        '"la5":"0.01","la15":"0.05"}}')


def test_statc_reads_rtstat_raw_protocol():
    port, received = fake_rtstat_server("tok", [PUSH, PUSH])
    code, doc, err = statc_json("--token", "tok", f"rtstat://127.0.0.1:{port}")
    assert code == 0, (doc, err)
    (h,) = doc["hosts"]
    assert h["state"] == "live"
    assert h["cpu_core_percent"] == [12.0, 5.0]
    assert h["mem_total_bytes"] == 8052084 * 1024
    assert h["load"] == [0.0, 0.01, 0.05]
    assert h["uptime_s"] == (5 * 24 * 60 + 3 * 60 + 4) * 60
    assert received[:3] == ["auth::tok", "interval::1", "start"]


def test_statc_rtstat_wrong_token_is_unauthorized():
    port, _ = fake_rtstat_server("right", [PUSH])
    code, doc, _ = statc_json("--token", "wrong", f"rtstat://127.0.0.1:{port}")
    assert code == 1
    assert doc["hosts"][0]["state"] == "unauthorized"


def test_statc_token_and_dead_host():
    dead = free_port()
    with Statd("--token", "s3cret") as d:
        code, doc, _ = statc_json(f"127.0.0.1:{d.port}", f"127.0.0.1:{dead}")
        assert code == 1
        refused, down = doc["hosts"]
        assert refused["state"] == "unauthorized"
        assert down["state"] == "down" and "refused" in down["error"].lower()
        code, doc, _ = statc_json("--token", "s3cret", f"127.0.0.1:{d.port}",
                                  f"http://127.0.0.1:{d.port}/metrics")
        assert code == 0
        assert [h["state"] for h in doc["hosts"]] == ["live", "live"]


def test_statc_once_prints_a_frame():
    with Statd("--root", PC) as d:
        r = statc("--once", f"127.0.0.1:{d.port}", env={"COLUMNS": "80", "LINES": "24"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")[:-1]
    assert len(lines) == 24 and all(len(l) <= 80 for l in lines)
    assert "workstation" in lines[0]
    assert any(l.startswith("CPU ") for l in lines)
    assert any("tmux: server" in l for l in lines)
    assert "\x1b" not in r.stdout


def test_statc_help_and_bad_options():
    r = statc("--help")
    assert r.returncode == 0
    for flag in ["--config", "--interval", "--timeout", "--token", "--once", "--json", "--ascii", "--color"]:
        assert flag in r.stdout
    assert statc("--bogus").returncode == 2
    assert statc().returncode == 2
    r = statc("--json", "ftp://x")
    assert r.returncode == 2 and "ftp" in r.stderr
    r = statc("--interval", "0", "x")
    assert r.returncode == 2


def test_statc_resolves_names_without_blocking_the_others():
    # "localhost" goes through the resolver child; a bad name fails on its own.
    with Statd("--root", PC) as d:
        code, doc, err = statc_json(f"localhost:{d.port}", "no-such-host.invalid:3000",
                                    f"127.0.0.1:{d.port}")
    good, bad, numeric = doc["hosts"]
    assert good["state"] == "live" and numeric["state"] == "live", err
    assert bad["state"] == "down" and "no-such-host.invalid" in bad["error"]
    assert code == 1
