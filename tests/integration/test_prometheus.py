"""/metrics checked with promtool and against the fixture /proc it came
from (../shared/spec/prometheus.md §8)."""
import base64
import gzip
import os
import re
import subprocess

from harness import FIXTURES, Statd

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# node_exporter's own names that can never be lint-clean (prometheus.md §2).
CAMEL = re.compile(r"^node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'$")


def promtool(body):
    r = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, timeout=30)
    return r.returncode, (r.stdout + r.stderr).decode()


def samples(body):
    """{(name, frozenset(labels)): value} from a text body (our own format)."""
    out = {}
    for line in body.decode().splitlines():
        if line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$', line)
        assert m, f"bad line {line!r}"
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        out[(m.group(1), labels)] = float(m.group(4))
    return out


def test_content_type_and_promtool_lint():
    for root in ("/", os.path.join(FIXTURES, "pc"), os.path.join(FIXTURES, "rpi"), os.path.join(FIXTURES, "router")):
        with Statd("--root", root) as d:
            status, headers, body = d.get("/metrics")
            assert status == 200 and headers["content-type"] == CONTENT_TYPE
            code, text = promtool(body)
            assert code in (0, 3), text
            problems = [l for l in text.splitlines() if l.strip()]
            assert all(CAMEL.match(l) for l in problems), problems
            assert any("node_memory_MemTotal_bytes" in l for l in problems)
        with Statd("--root", root, "--exclude-metrics", "node_memory_") as d:
            code, text = promtool(d.get("/metrics")[2])
            assert code == 0, text


def test_body_rules_for_gotop_client():
    with Statd("--root", os.path.join(FIXTURES, "pc")) as d:
        body = d.get("/metrics")[2]
    assert body.endswith(b"\n") and b"\r" not in body
    lines = body.decode().split("\n")[:-1]
    assert all(len(l) >= 6 for l in lines), "an empty or short line crashes gotop's client"
    gotop = [l for l in lines if l.startswith("gotop_")]
    names = [l.split(" ")[0] for l in gotop]
    assert "gotop_memory_Main" in names and "gotop_memory_Swap" in names
    assert "gotop_cpu_CPU0" in names and "gotop_net_recv" in names
    for l in gotop:
        name, value = l.split(" ")
        assert "{" not in name
        if name.startswith(("gotop_cpu_", "gotop_temp_")):
            assert re.fullmatch(r"\d+", value), l
    assert "gotop_temp_coretemp_packageid0" in names
    assert "gotop_temp_nvme_composite" in names
    assert not any(n.startswith("gotop_disk_") for n in names)


def test_gotop_disks_switch():
    with Statd("--root", os.path.join(FIXTURES, "pc"), "--gotop-disks") as d:
        body = d.get("/metrics")[2].decode()
    assert re.search(r"^gotop_disk_:dev:nvme0n1p2 0(\.\d+)?$", body, re.M), body[-2000:]


def test_numbers_agree_with_fixture():
    root = os.path.join(FIXTURES, "pc")
    meminfo = open(os.path.join(root, "proc", "meminfo")).read()
    mem = {l.split(":")[0]: int(l.split()[1]) for l in meminfo.splitlines() if l.strip()}
    stat = open(os.path.join(root, "proc", "stat")).read().splitlines()
    cpu0 = next(l for l in stat if l.startswith("cpu0 ")).split()
    with Statd("--root", root) as d:
        s = samples(d.get("/metrics")[2])
    assert s[("node_memory_MemTotal_bytes", frozenset())] == mem["MemTotal"] * 1024
    assert s[("node_memory_MemAvailable_bytes", frozenset())] == mem["MemAvailable"] * 1024
    idle = s[("node_cpu_seconds_total", frozenset({("cpu", "0"), ("mode", "idle")}))]
    assert abs(idle - int(cpu0[4]) / 100) < 1e-6
    loadavg = open(os.path.join(root, "proc", "loadavg")).read().split()
    assert s[("node_load1", frozenset())] == float(loadavg[0])
    btime = next(l for l in stat if l.startswith("btime")).split()[1]
    assert s[("node_boot_time_seconds", frozenset())] == int(btime)
    assert s[("statd_build_info", frozenset({("version", open("VERSION").read().strip())}))] == 1


def test_gzip_when_accepted():
    with Statd() as d:
        status, headers, body = d.get("/metrics", {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        plain = gzip.decompress(body)
        assert plain.startswith(b"# HELP ") and len(body) < len(plain) / 3
        status, headers, body = d.get("/metrics")
        assert "content-encoding" not in headers and body.startswith(b"# HELP ")


def test_token_for_metrics():
    with Statd("--token", "tok") as d:
        status, headers, _ = d.get("/metrics")
        assert status == 401 and "www-authenticate" in headers
        assert d.get("/metrics", {"Authorization": "Bearer nope"})[0] == 401
        assert d.get("/metrics", {"Authorization": "Bearer tok"})[0] == 200
        basic = base64.b64encode(b"prometheus:tok").decode()
        assert d.get("/metrics", {"Authorization": f"Basic {basic}"})[0] == 200
        wrong = base64.b64encode(b"prometheus:tok2").decode()
        assert d.get("/metrics", {"Authorization": f"Basic {wrong}"})[0] == 401
        assert d.get("/healthz")[0] == 200
