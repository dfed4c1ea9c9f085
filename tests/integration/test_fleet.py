"""fleet-monitor feed (../shared/spec/fleet.md §9) with a fake fleetctl
(tests/fixtures/fleet/fleetctl) that prints fleetctl 0.8's TAB-padded tables."""
import asyncio
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import websockets

from harness import FIXTURES, STATD, Statd, free_port, raw_exchange, ws_handshake, ws_frame
from wsclient import run

FAKE = os.path.join(FIXTURES, "fleet", "fleetctl")
UNIT_FIELDS = ["unit", "load", "active", "sub", "machine"]
MACHINE_FIELDS = ["machine", "ip", "metadata"]
UNITS = [
    ["hello.service", "loaded", "active", "running", "148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"],
    ["web@1.service", "loaded", "inactive", "dead", "-"],  # the second web@1 row is dropped
    ["caf\u00e9.service", "loaded", "failed", "failed", "-"],
]
MACHINES = [
    ["148a18ff6e954cd892dac9de9bb90d5a", "172.17.8.101", "region=us-west,role=web"],
    ["2bd3f9f5a3b94ac0a2c8ec4d5e6f7a8b", "-", "-"],
]


def fake_dir():
    d = tempfile.mkdtemp(prefix="statd-fleet-")
    for name in ("units", "machines"):
        shutil.copy(os.path.join(FIXTURES, "fleet", name), d)
    return d


def fleet_statd(d, *args):
    return Statd("--fleetctl", FAKE, "--fleet-unit-interval", "1", "--fleet-machine-interval", "2",
                 *args, env={"FAKE_FLEETCTL_DIR": d})


async def collect(url, seconds, count=None):
    """(arrival time, raw text) of every frame within `seconds`."""
    got = []
    start = time.monotonic()
    async with websockets.connect(url, compression=None) as ws:
        while time.monotonic() - start < seconds and (count is None or len(got) < count):
            try:
                msg = await asyncio.wait_for(ws.recv(), start + seconds - time.monotonic())
            except asyncio.TimeoutError:
                break
            got.append((time.monotonic() - start, msg))
    return got


def test_fleet_exact_messages_and_immediate_snapshots():
    d = fake_dir()
    with fleet_statd(d) as s:
        first = run(collect(s.url("/fleet"), 3, count=2))
        # Later clients get both current snapshots at once (the original made them wait).
        again = run(collect(s.url("/fleet"), 0.5, count=2))
    for frames in (first, again):
        assert len(frames) == 2, frames
        by_type = {json.loads(m)["type"]: m for _, m in frames}
        unit = by_type["unit"]
        machine = by_type["machine"]
        # Exact bytes: compact, key order type, fields, items, ASCII only.
        assert unit == json.dumps({"type": "unit", "fields": UNIT_FIELDS, "items": UNITS},
                                  separators=(",", ":")), unit
        assert "caf\\u00e9.service" in unit and unit.isascii()
        assert machine == json.dumps({"type": "machine", "fields": MACHINE_FIELDS, "items": MACHINES},
                                     separators=(",", ":")), machine
    assert all(t < 0.4 for t, _ in again), again
    with open(os.path.join(d, "argv.log")) as f:
        argvs = set(f.read().splitlines())
    assert argvs == {"list-units -l -no-legend -fields unit,load,active,sub,machine",
                     "list-machines -l -no-legend -fields machine,ip,metadata"}, argvs
    shutil.rmtree(d)


def test_fleet_cadence_and_full_snapshots():
    d = fake_dir()
    with fleet_statd(d) as s:
        frames = run(collect(s.url("/fleet"), 4.6))
    units = [t for t, m in frames if json.loads(m)["type"] == "unit"]
    machines = [t for t, m in frames if json.loads(m)["type"] == "machine"]
    # Units every 1 s (+ run time), machines every 2 s, both at once at the start.
    assert 4 <= len(units) <= 6, units
    assert 2 <= len(machines) <= 3, machines
    gaps = [b - a for a, b in zip(units, units[1:])]
    assert all(0.9 <= g <= 1.6 for g in gaps), gaps
    assert all(m == frames[0][1] or json.loads(m)["type"] == "machine" or json.loads(m)["items"] == UNITS
               for _, m in frames)
    shutil.rmtree(d)


def test_fleet_empty_output_and_failures_retried():
    d = fake_dir()
    open(os.path.join(d, "units"), "w").close()
    open(os.path.join(d, "machines.fail"), "w").close()
    with fleet_statd(d) as s:
        frames = run(collect(s.url("/fleet"), 2.5))
        msgs = [json.loads(m) for _, m in frames]
        units = [m for m in msgs if m["type"] == "unit"]
        assert units and all(m == {"type": "unit", "fields": UNIT_FIELDS, "items": []} for m in units)
        # A failing list-machines: an empty table first, then nothing until it works.
        machines = [m for m in msgs if m["type"] == "machine"]
        assert machines == [{"type": "machine", "fields": MACHINE_FIELDS, "items": []}], machines
        with open(os.path.join(d, "argv.log")) as f:
            tries = sum("list-machines" in line for line in f)
        assert tries >= 2  # retried at the cadence, statd still up
        os.remove(os.path.join(d, "machines.fail"))
        frames = run(collect(s.url("/fleet"), 3.5))
        assert {"type": "machine", "fields": MACHINE_FIELDS, "items": MACHINES} in [json.loads(m) for _, m in frames]
        assert s.proc.poll() is None
        s.stop()
        err = s.proc.stderr.read().decode()
    assert err.count("fleetctl list-machines failed: exit status 1: Error retrieving list of machines") == 1, err
    assert "fleetctl list-machines works again" in err
    shutil.rmtree(d)


def test_fleet_missing_binary_is_not_fatal():
    with Statd("--fleetctl", "/nonexistent/fleetctl", "--fleet-unit-interval", "1") as s:
        frames = run(collect(s.url("/fleet"), 1.5))
        assert sorted(json.loads(m)["type"] for _, m in frames)[:2] == ["machine", "unit"]
        assert all(json.loads(m)["items"] == [] for _, m in frames)
        assert s.proc.poll() is None
        s.stop()
        assert "cannot exec /nonexistent/fleetctl" in s.proc.stderr.read().decode()


def test_fleet_client_input_ignored():
    d = fake_dir()
    with fleet_statd(d) as s:
        sock = ws_handshake(s.port, "/fleet")
        sock.sendall(ws_frame("get_metrics") + ws_frame(b"\x00\xff", opcode=2) + ws_frame("ping?", opcode=9))
        data = b""
        deadline = time.monotonic() + 1.5
        sock.settimeout(0.2)
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            data += chunk
        sock.close()
    # Text frames with our tables and one Pong; no socktop reply.
    assert b'"type":"unit"' in data and b'"type":"machine"' in data
    assert b"\x8a\x05ping?" in data
    assert b"cpu_total" not in data
    shutil.rmtree(d)


def test_fleet_standalone_port_any_path_and_400():
    d = fake_dir()
    port = free_port()
    with fleet_statd(d, "--fleet-listen", f"127.0.0.1:{port}") as s:
        frames = run(collect(f"ws://127.0.0.1:{port}/some/path", 2, count=2))
        assert len(frames) == 2
        reply = raw_exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 400 "), reply
    shutil.rmtree(d)


def test_fleet_without_source_is_404_and_option_errors():
    with Statd() as s:
        status, _, _ = s.get("/fleet")
        assert status == 404
    for args, text in ((["--fleetctl", "x", "--fleetctl-endpoint", "a", "--fleetctl-tunnel", "b"], "exclude"),
                       (["--fleet-listen", "127.0.0.1:0"], "needs a fleet source")):
        p = subprocess.run([STATD, *args], capture_output=True, timeout=5)
        assert p.returncode == 2 and text in p.stderr.decode(), p


def test_fleet_endpoint_and_tunnel_arguments():
    for args, expect in ((["--fleetctl-endpoint", "etcd1"], "--endpoint http://etcd1:4001 list-units"),
                         (["--fleetctl-endpoint", "etcd1", "--fleetctl-endpoint-port", "2379"],
                          "--endpoint http://etcd1:2379 list-units"),
                         (["--fleetctl-tunnel", "core1"], "--tunnel core1:22 list-units"),
                         (["--fleetctl-tunnel", "core1", "--fleetctl-tunnel-port", "2222"],
                          "--tunnel core1:2222 list-units")):
        d = fake_dir()
        with fleet_statd(d, *args) as s:
            run(collect(s.url("/fleet"), 2, count=2))
        with open(os.path.join(d, "argv.log")) as f:
            assert any(line.startswith(expect) for line in f), (args, open(os.path.join(d, "argv.log")).read())
        shutil.rmtree(d)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_fleet_slow_client_is_bounded():
    d = fake_dir()
    # ~150 KB of units per second to a client that never reads.
    with open(os.path.join(d, "units"), "w") as f:
        for i in range(2000):
            f.write(f"unit-{i:05d}-{'x' * 40}.service\tloaded\tactive\trunning\tm/10.0.0.{i % 250}\n")
    with fleet_statd(d) as s:
        sock = ws_handshake(s.port, "/fleet", rcvbuf=4096)
        time.sleep(1.5)
        before = rss_kb(s.proc.pid)
        time.sleep(5)
        after = rss_kb(s.proc.pid)
        # Another client still gets fresh tables at the cadence meanwhile.
        frames = run(collect(s.url("/fleet"), 2.5))
        sock.close()
    # Under AddressSanitizer freed memory sits in quarantine: RSS says nothing.
    if not os.environ.get("STATD_SANITIZED"):
        assert after - before < 2048, (before, after)
    assert sum(json.loads(m)["type"] == "unit" for _, m in frames) >= 2
    shutil.rmtree(d)


def test_fleet_idle_without_subscribers():
    d = fake_dir()
    with fleet_statd(d) as s:
        time.sleep(0.5)
        # Nobody watching: fleetctl is never run.
        assert not os.path.exists(os.path.join(d, "argv.log"))
        run(collect(s.url("/fleet"), 1, count=2))
        time.sleep(1.0)  # the client is gone: polling stops
        with open(os.path.join(d, "argv.log")) as f:
            n = len(f.readlines())
        time.sleep(2.5)
        with open(os.path.join(d, "argv.log")) as f:
            assert len(f.readlines()) == n
    shutil.rmtree(d)
