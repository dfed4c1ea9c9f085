"""statc reading a fleet-monitor feed (ws://HOST:PORT/fleet, spec/fleet.md §1-2):
real statd with the fake fleetctl, and a scripted websockets server."""
import asyncio
import json
import shutil
import threading

import websockets

from harness import free_port
from test_fleet import MACHINE_FIELDS, MACHINES, UNIT_FIELDS, UNITS, fake_dir, fleet_statd
from test_statc import statc

UNIT_TABLE = [
    "unit           load    active    sub      machine",
    "hello.service  loaded  active    running  148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101",
    "web@1.service  loaded  inactive  dead     -",
    "caf\u00e9.service   loaded  failed    failed   -",
]
MACHINE_TABLE = [
    "machine                           ip            metadata",
    "148a18ff6e954cd892dac9de9bb90d5a  172.17.8.101  region=us-west,role=web",
    "2bd3f9f5a3b94ac0a2c8ec4d5e6f7a8b  -             -",
]


def body_after_header(stdout):
    """The frame without the header row (it holds an age) and trailing blank rows."""
    return stdout.rstrip("\n").split("\n")[1:]


def test_statc_fleet_json_and_once_against_statd():
    d = fake_dir()
    with fleet_statd(d) as s:
        r = statc("--json", "--timeout", "5", s.url("/fleet"), timeout=20)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout) == {"machine": {"fields": MACHINE_FIELDS, "items": MACHINES},
                                        "unit": {"fields": UNIT_FIELDS, "items": UNITS}}, r.stdout
        r = statc("--once", "--timeout", "5", s.url("/fleet"), timeout=20,
                  env={"COLUMNS": "100", "LINES": "16"})
    shutil.rmtree(d)
    assert r.returncode == 0, r.stderr
    lines = body_after_header(r.stdout)
    assert lines == ["machines (2)", *MACHINE_TABLE, "", "units (3)", *UNIT_TABLE,
                     "", "", "", "", " q quit"], lines
    assert "live" in r.stdout.split("\n")[0]


def test_statc_fleet_table_truncates_rows_and_cells():
    d = fake_dir()
    with fleet_statd(d) as s:
        r = statc("--once", "--timeout", "5", s.url("/fleet"), timeout=20,
                  env={"COLUMNS": "30", "LINES": "9"})
    shutil.rmtree(d)
    assert r.returncode == 0, r.stderr
    lines = body_after_header(r.stdout)
    # 7 rows between header and footer: machines get 3 (title, header, "+2 more").
    assert lines == ["machines (2)", MACHINE_TABLE[0][:30].rstrip(), "+2 more", "",
                     "units (3)", UNIT_TABLE[0][:30].rstrip(), "+3 more", " q quit"], lines


class ScriptedFleetServer:
    """Sends a malformed message, then both valid snapshots, then stays open."""

    def __init__(self, messages):
        self.messages = messages
        self.port = free_port()
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    async def _handler(self, ws, *unused):
        for m in self.messages:
            await ws.send(m)
        await asyncio.sleep(10)

    def _run(self):
        asyncio.set_event_loop(self.loop)

        async def main():
            async with websockets.serve(self._handler, "127.0.0.1", self.port, compression=None):
                self.ready.set()
                self.stop = self.loop.create_future()
                await self.stop

        self.loop.run_until_complete(main())

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(5)
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.stop.set_result, None)
        self.thread.join(5)


def test_statc_fleet_malformed_message_keeps_connection():
    machine = json.dumps({"type": "machine", "fields": ["machine", "ip", "metadata"],
                          "items": [["aa", "10.0.0.1", "-"]]}, separators=(",", ":"))
    unit = json.dumps({"type": "unit", "fields": ["unit", "load", "active", "sub", "machine"],
                       "items": []}, separators=(",", ":"))
    bad = '{"type":"unit","fields":["a","b"],"items":[["x"]]}'
    with ScriptedFleetServer([bad, machine, unit]) as srv:
        url = f"ws://127.0.0.1:{srv.port}/fleet"
        r = statc("--once", "--timeout", "3", url, timeout=20, env={"COLUMNS": "60", "LINES": "12"})
        j = statc("--json", "--timeout", "3", url, timeout=20)
    assert r.returncode == 0, r.stderr
    lines = body_after_header(r.stdout)
    assert lines == ["machines (1)", "machine  ip        metadata", "aa       10.0.0.1  -", "",
                     "units (0)", "unit  load  active  sub  machine", "", "", "",
                     "bad message: row has 1 values for 2 fields", " q quit"], lines
    assert j.returncode == 0, j.stderr
    assert json.loads(j.stdout) == {"machine": {"fields": ["machine", "ip", "metadata"],
                                                "items": [["aa", "10.0.0.1", "-"]]},
                                    "unit": {"fields": ["unit", "load", "active", "sub", "machine"],
                                             "items": []}}


def test_statc_fleet_once_fails_without_snapshots():
    with ScriptedFleetServer([]) as srv:
        r = statc("--once", "--timeout", "1", "--interval", "1",
                  f"ws://127.0.0.1:{srv.port}/fleet", timeout=20)
    assert r.returncode == 1
    assert "no machine snapshot within the timeout" in r.stderr, r.stderr
