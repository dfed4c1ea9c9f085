"""statd as a fleet aggregator of other agents (issue 4, fleet.md §7,
docs/extensions.md "fleet: the peers' tables"): real statd peers on loopback,
one of them on a fixture OpenRC tree, a Prometheus-endpoint peer, a fake
socktop agent (Python `websockets`), token rules; /fleet read with `websockets`."""
import asyncio
import gzip
import json
import os
import re
import subprocess
import tempfile
import time

import websockets

from harness import EXTRA_ARGS, FIXTURES, STATD, Statd, free_port, metric_value
from wsclient import run

OPENRC_ROOT = os.path.join(FIXTURES, "services", "openrc")
MACHINE_FIELDS = ["name", "address", "state", "cpu", "memory", "load", "uptime"]
UNIT_FIELDS = ["unit", "machine", "state", "enabled"]
# tests/fixtures/services/openrc as get_services lists it (test_services.py).
OPENRC_UNITS = [
    ("agetty", "stopped", False), ("bootmisc", "stopped", True), ("chronyd", "starting", True),
    ("crond", "running", True), ("devfs", "running", True), ("dmesg", "running", True),
    ("dnsmasq", "stopping", True), ("hostname", "running", True), ("hwclock", "stopped", True),
    ("local", "running", True), ("localmount", "running", True), ("modules", "running", True),
    ("net.eth0", "starting", True), ("net.lo", "running", True), ("networking", "running", True),
    ("nginx", "failed", True), ("sshd", "running", True), ("sysctl", "running", True),
    ("syslog", "running", True), ("udev", "running", True)]
PERCENT = re.compile(r"^\d{1,3}\.\d$")
LOAD = re.compile(r"^\d+\.\d\d$")
DIGITS = re.compile(r"^\d+$")


async def watch(url, until, seconds):
    """Reads /fleet until until(latest) is true or `seconds` pass; returns
    (elapsed, {"machine": msg, "unit": msg}) with the latest of each type."""
    latest = {}
    start = time.monotonic()
    async with websockets.connect(url, compression=None) as ws:
        while time.monotonic() - start < seconds:
            try:
                raw = await asyncio.wait_for(ws.recv(), start + seconds - time.monotonic())
            except asyncio.TimeoutError:
                break
            assert isinstance(raw, str) and raw.isascii(), raw
            msg = json.loads(raw)
            assert list(msg) == ["type", "fields", "items"], msg
            latest[msg["type"]] = msg
            if until(latest):
                break
    return time.monotonic() - start, latest


def rows_by_name(msg):
    assert msg["fields"] == MACHINE_FIELDS, msg
    for row in msg["items"]:
        assert len(row) == len(MACHINE_FIELDS) and all(isinstance(c, str) for c in row), row
    return {row[0]: row for row in msg["items"]}


def check_up_statd_row(row, name, port):
    assert row[:3] == [name, f"127.0.0.1:{port}", "up"], row
    assert PERCENT.match(row[3]), row  # gotop_cpu_CPU<n> at once, then node_cpu_seconds_total deltas
    assert PERCENT.match(row[4]) and 0 < float(row[4]) <= 100, row
    assert LOAD.match(row[5]), row
    assert DIGITS.match(row[6]) and int(row[6]) > 0, row


def machines_ready(want, need_cpu=()):
    """The states are `want` and the peers in need_cpu show a CPU figure
    (from /metrics it needs two polls)."""
    def ok(latest):
        m = latest.get("machine")
        return m is not None and {r[0]: r[2] for r in m["items"]} == want and \
            all(r[3] != "" for r in m["items"] if r[0] in need_cpu and r[2] == "up")
    return ok


def test_fleet_peers_three_statd_one_killed():
    with Statd("--root", OPENRC_ROOT) as p1, Statd() as p2, Statd() as p3:
        peers = [("p1", p1), ("p2", p2), ("p3", p3)]
        args = [a for name, p in peers for a in ("--peer", f"{name}=ws://127.0.0.1:{p.port}/ws")]
        with Statd(*args, "--fleet-machine-interval", "1", "--fleet-unit-interval", "1") as agg:
            # Nobody watches the feed: the peers are not polled at all.
            before = metric_value(p3, "statd_connections_accepted_total")
            time.sleep(2.5)
            assert metric_value(p3, "statd_connections_accepted_total") == before + 1  # our own GET
            ready = machines_ready({"p1": "up", "p2": "up", "p3": "up"}, ("p2", "p3"))
            elapsed, latest = run(watch(agg.url("/fleet"), lambda l: ready(l) and "unit" in l, 8))
            assert elapsed < 5, elapsed
            rows = rows_by_name(latest["machine"])
            assert list(rows) == ["p1", "p2", "p3"], rows  # declaration order
            # p1 reads a fixture tree without /proc: no memory figure there.
            assert rows["p1"][:3] == ["p1", f"127.0.0.1:{p1.port}", "up"], rows
            check_up_statd_row(rows["p2"], "p2", p2.port)
            check_up_statd_row(rows["p3"], "p3", p3.port)

            unit = latest["unit"]
            assert unit["fields"] == UNIT_FIELDS, unit
            firsts = [r[0] for r in unit["items"]]
            assert len(firsts) == len(set(firsts)), firsts
            p1_rows = [r for r in unit["items"] if r[1] == "p1"]
            assert p1_rows == [[f"{n}@p1", "p1", s, "enabled" if e else "disabled"] for n, s, e in OPENRC_UNITS], p1_rows
            assert all(r[0].endswith("@" + r[1]) for r in unit["items"]), unit

            # p2 dies: its row turns down (numbers empty) within a bounded time,
            # the others stay up, and p1's units stay listed.
            p2.stop()
            ready = machines_ready({"p1": "up", "p2": "down", "p3": "up"}, ("p3",))
            elapsed, latest = run(watch(agg.url("/fleet"), lambda l: ready(l) and "unit" in l and
                                        not any(r[1] == "p2" for r in l["unit"]["items"]), 8))
            assert elapsed < 5, elapsed
            rows = rows_by_name(latest["machine"])
            assert rows["p2"] == ["p2", f"127.0.0.1:{p2.port}", "down", "", "", "", ""], rows
            check_up_statd_row(rows["p3"], "p3", p3.port)
            assert [r for r in latest["unit"]["items"] if r[1] == "p2"] == []
            assert len([r for r in latest["unit"]["items"] if r[1] == "p1"]) == len(OPENRC_UNITS)

            # The last watcher left: polling stops (a round under way may finish).
            time.sleep(0.3)
            before = metric_value(p3, "statd_connections_accepted_total")
            time.sleep(2.5)
            assert metric_value(p3, "statd_connections_accepted_total") - before <= 3


async def fake_socktop(port, token=None):
    """A socktop agent's /ws: get_metrics answered with a Binary gzip frame
    (more than 768 bytes of JSON), every other request ignored, a wrong
    token answered with 101 and an empty Close."""
    body = open(os.path.join(FIXTURES, "socktop", "metrics-many-interfaces.json.gz"), "rb").read()
    asked = []

    async def handler(ws):
        path = ws.path  # websockets' legacy server (Debian 12: 10.4)
        if token is not None and not path.endswith(f"token={token}"):
            await close_without_payload(ws)
            return
        try:
            async for msg in ws:
                asked.append(msg)
                if msg == "get_metrics":
                    await ws.send(body)
        except websockets.ConnectionClosed:
            pass  # the poller closes without waiting when get_services times out

    server = await websockets.serve(handler, "127.0.0.1", port, compression=None)
    return server, asked


async def close_without_payload(ws):
    # A Close frame with no payload (code 1005 on the other side), as socktop sends.
    ws.transport.write(b"\x88\x00")
    await asyncio.sleep(0.05)
    ws.transport.close()


def test_fleet_peers_socktop_prometheus_and_tokens():
    with Statd() as prom_peer, Statd(env={"STATD_TOKEN": "s3cret"}) as locked:
        sock_port, sock_locked_port = free_port(), free_port()

        async def scenario():
            server, asked = await fake_socktop(sock_port)
            server2, _ = await fake_socktop(sock_locked_port, token="right")
            args = ["--peer", f"socktop=ws://127.0.0.1:{sock_port}",
                    "--peer", f"prom=http://127.0.0.1:{prom_peer.port}/metrics",
                    "--peer", f"good=ws://127.0.0.1:{locked.port}/ws?token=s3cret",
                    "--peer", f"bad=ws://127.0.0.1:{locked.port}/ws?token=wrong",
                    "--peer", f"promtok=http://127.0.0.1:{locked.port}/metrics?token=s3cret",
                    "--peer", f"promnotok=http://127.0.0.1:{locked.port}/metrics",
                    "--peer", f"sockbad=ws://127.0.0.1:{sock_locked_port}/ws?token=wrong",
                    "--fleet-machine-interval", "1", "--fleet-unit-interval", "1"]
            with Statd(*args) as agg:
                want = {"socktop": "up", "prom": "up", "good": "up", "bad": "unauthorized",
                        "sockbad": "unauthorized", "promtok": "up", "promnotok": "unauthorized"}
                # The unit table waits for the socktop agent's silence (5 s).
                ready = machines_ready(want, ("prom", "good"))
                elapsed, latest = await watch(agg.url("/fleet"), lambda l: ready(l) and "unit" in l, 12)
            server.close()
            server2.close()
            return latest, asked

        latest, asked = run(scenario(), timeout=25)
        rows = rows_by_name(latest["machine"])
        assert rows["socktop"] == ["socktop", f"127.0.0.1:{sock_port}", "up", "0.0", "36.6", "", ""], rows
        assert rows["prom"][:3] == ["prom", f"127.0.0.1:{prom_peer.port}", "up"], rows
        check_up_statd_row(rows["prom"], "prom", prom_peer.port)
        check_up_statd_row(rows["good"], "good", locked.port)
        assert rows["bad"] == ["bad", f"127.0.0.1:{locked.port}", "unauthorized", "", "", "", ""], rows
        assert rows["sockbad"][2] == "unauthorized", rows
        check_up_statd_row(rows["promtok"], "promtok", locked.port)  # ?token= went as a bearer token
        assert rows["promnotok"] == ["promnotok", f"127.0.0.1:{locked.port}", "unauthorized", "", "", "", ""], rows
        # The socktop agent was asked for services (it stays silent) and metrics.
        assert "get_metrics" in asked and "{\"type\":\"services\"}" in asked, asked
        assert [r for r in latest["unit"]["items"] if r[1] in ("socktop", "prom", "bad")] == [], latest["unit"]


def statd_exit(*args, config=None):
    argv = [STATD, "-l", f"127.0.0.1:{free_port()}", *args]
    if config is not None:
        f = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
        f.write(config)
        f.close()
        argv += ["-c", f.name]
    p = subprocess.run(argv, capture_output=True, timeout=10)
    return p.returncode, p.stderr.decode()


def test_fleet_peers_option_and_config_errors():
    assert statd_exit("--peer", "a=ws://127.0.0.1:1", "--peer", "a=ws://127.0.0.1:2") == \
        (2, "statd: --peer: peer 'a' is declared twice\n")
    rc, err = statd_exit("--peer", "a=127.0.0.1:3000")
    assert (rc, err) == (2, "statd: --peer: peer 'a': bad URL '127.0.0.1:3000': expected ws://HOST:PORT[/ws][?token=T] or http://HOST:PORT/PATH\n")
    rc, err = statd_exit("--peer", "a=ws://pi.lan:3000")
    assert rc == 2 and "host 'pi.lan' is not an IP address (statd looks up no names" in err, err
    rc, err = statd_exit("--peer", "a=https://127.0.0.1:3000/metrics")
    assert rc == 2 and "scheme https is not supported" in err, err
    rc, err = statd_exit("--peer", "a=ws://127.0.0.1:3000", "--fleetctl", "fleetctl")
    assert (rc, err) == (2, "statd: --fleetctl and peers (--peer, 'peer NAME = URL') exclude each other: the fleet feed has one source\n")
    rc, err = statd_exit(config="peer a = ws://127.0.0.1:3000\npeer a = ws://127.0.0.1:3001\n")
    assert rc == 2 and err.endswith(":2: peer 'a' is declared twice\n"), err
    rc, err = statd_exit(config="peer b c = ws://127.0.0.1:3000\n")
    assert rc == 2 and "peer name 'b c' may only hold" in err, err


def test_fleet_peers_from_config_file_and_fleet_listen():
    with Statd() as peer:
        fleet_port = free_port()
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
            f.write(f"# the aggregator\npeer  web-1 = ws://localhost:{peer.port}\nfleet-listen = 127.0.0.1:{fleet_port}\n"
                    "fleet-machine-interval = 1\n")
        # --sandbox (STATD_EXTRA_ARGS) refuses peers; the harness drops it for --peer only.
        args = ["--peer", f"web-1=ws://localhost:{peer.port}", "--fleet-listen", f"127.0.0.1:{fleet_port}",
                "--fleet-machine-interval", "1"] if "--sandbox" in EXTRA_ARGS else ["-c", f.name]
        with Statd(*args) as agg:
            elapsed, latest = run(watch(f"ws://127.0.0.1:{fleet_port}/anything", machines_ready({"web-1": "up"}), 8))
            rows = rows_by_name(latest["machine"])
            assert rows["web-1"][:3] == ["web-1", f"localhost:{peer.port}", "up"], rows
            status, headers, body = agg.get("/sd")
            assert status == 200 and headers["content-type"] == "application/json", (status, headers)
            assert json.loads(body) == [{"targets": [f"localhost:{peer.port}"],
                                         "labels": {"peer": "web-1", "__metrics_path__": "/metrics"}}], body
        os.unlink(f.name)
