"""GET /sd: an aggregator's peers as Prometheus HTTP service discovery
(issue 4), checked for shape and auth, then used by Debian's real
`prometheus` (http_sd_configs), which must see every live peer up."""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

from harness import Statd, free_port

PROMETHEUS = shutil.which("prometheus")


def sd_args(peers):
    return [a for name, url in peers for a in ("--peer", f"{name}={url}")]


def test_sd_shape_and_auth():
    peers = [("a", "ws://127.0.0.1:3000/ws?token=x"), ("b", "http://localhost:9100/metrics"),
             ("c", "ws://[::1]:3002")]
    with Statd(*sd_args(peers)) as agg:
        status, headers, body = agg.get("/sd")
        assert status == 200 and headers["content-type"] == "application/json", (status, headers)
        assert body == (b'[{"targets":["127.0.0.1:3000"],"labels":{"peer":"a","__metrics_path__":"/metrics"}},'
                        b'{"targets":["localhost:9100"],"labels":{"peer":"b","__metrics_path__":"/metrics"}},'
                        b'{"targets":["[::1]:3002"],"labels":{"peer":"c","__metrics_path__":"/metrics"}}]'), body
    # The same rules as /metrics: with a token, Bearer (or Basic's password).
    with Statd(*sd_args(peers), env={"STATD_TOKEN": "tok"}) as agg:
        assert agg.get("/sd")[0] == 401
        assert agg.get("/sd", {"Authorization": "Bearer tok"})[0] == 200
    # Without peers there is nothing to discover: 404 like any unknown path.
    with Statd() as plain:
        assert plain.get("/sd")[0] == 404


def targets(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/targets", timeout=2) as r:
        data = json.load(r)
    return {t["labels"].get("peer"): t for t in data["data"]["activeTargets"]}


def test_sd_prometheus_scrapes_every_live_peer():
    if not PROMETHEUS:
        print("SKIP: no prometheus binary (tests/install-deps installs it)")
        return
    with Statd() as p1, Statd() as p2, Statd() as p3:
        dead_port = free_port()
        peers = [("p1", f"ws://127.0.0.1:{p1.port}"), ("p2", f"ws://127.0.0.1:{p2.port}/ws"),
                 ("p3", f"http://127.0.0.1:{p3.port}/metrics"), ("dead", f"ws://127.0.0.1:{dead_port}")]
        with Statd(*sd_args(peers)) as agg:
            tmp = tempfile.mkdtemp(prefix="statd-sd-")
            prom_port = free_port()
            config = os.path.join(tmp, "prometheus.yml")
            with open(config, "w") as f:
                f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        "scrape_configs:\n  - job_name: statd\n    http_sd_configs:\n"
                        f"      - url: http://127.0.0.1:{agg.port}/sd\n        refresh_interval: 1s\n")
            prom = subprocess.Popen([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp}/data",
                                     f"--web.listen-address=127.0.0.1:{prom_port}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                live = {"p1": p1.port, "p2": p2.port, "p3": p3.port}
                seen = {}
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        seen = targets(prom_port)
                    except OSError:
                        seen = {}
                    if all(seen.get(n, {}).get("health") == "up" for n in live) and \
                            seen.get("dead", {}).get("health") == "down":
                        break
                    time.sleep(0.5)
                for name, port in live.items():
                    t = seen.get(name)
                    assert t and t["health"] == "up", (name, seen)
                    assert t["scrapeUrl"] == f"http://127.0.0.1:{port}/metrics", t
                    assert t["labels"]["job"] == "statd", t
                assert seen["dead"]["health"] == "down", seen
            finally:
                prom.terminate()
                try:
                    prom.wait(10)
                except subprocess.TimeoutExpired:
                    prom.kill()
                    prom.wait()
                prom.stderr.close()
                shutil.rmtree(tmp, ignore_errors=True)
