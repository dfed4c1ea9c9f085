"""The WebSocket conformance suite (tests/conformance/, cases modelled on the
Autobahn testsuite's groups 1-7 and 9) against the real statd's WebSocket
endpoints: /ws (socktop), / (rt-stat) and /fleet (fleet-monitor). Prints
each endpoint's case table; every case must pass."""
import os
import shutil
import sys
import tempfile

from harness import FIXTURES, Statd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
import run as conformance  # noqa: E402

PC = os.path.join(FIXTURES, "pc")


def check_endpoint(path, *statd_args, env=None):
    with Statd("--root", PC, *statd_args, env=env) as d:
        probe = conformance.probe_for_path(path)
        results = conformance.run_all("127.0.0.1", d.port, path, probe)
        table = conformance.format_table(results, f"WebSocket conformance: {path} (probe: {probe.name})")
        # The table goes to the test log, without its "N passed, N failed"
        # line, which tests/run would take for a runner's count.
        print("\n".join(table.splitlines()[:-1]))
        print(f"{path}: {sum(1 for r in results if r[3])} of {len(results)} cases passed")
        assert d.proc.poll() is None, "statd died"
    failed = [r[0].id for r in results if not r[3]]
    assert len(results) > 190
    assert not failed, f"failed cases on {path}: {failed}"


def test_ws_conformance_socktop():
    check_endpoint("/ws")


def test_ws_conformance_rtstat():
    check_endpoint("/")


def test_ws_conformance_fleet():
    # A push-only feed that never reads messages: the probe is a Ping. The
    # fake fleetctl (tests/fixtures/fleet/) keeps it pushing meanwhile.
    d = tempfile.mkdtemp(prefix="statd-conformance-fleet-")
    try:
        for name in ("units", "machines"):
            shutil.copy(os.path.join(FIXTURES, "fleet", name), d)
        check_endpoint("/fleet", "--fleetctl", os.path.join(FIXTURES, "fleet", "fleetctl"),
                       "--fleet-unit-interval", "1", env={"FAKE_FLEETCTL_DIR": d})
    finally:
        shutil.rmtree(d, ignore_errors=True)
