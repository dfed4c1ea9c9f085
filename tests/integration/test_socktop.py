"""socktop agent protocol on /ws, checked with Python's `websockets`,
protoc-generated decoders and Python's gzip (../shared/spec/socktop.md §19)."""
import asyncio
import gzip
import json
import os

import websockets

from harness import FIXTURES, Statd, metric_value
from wsclient import decode_json_reply, decode_processes, exchange, expect_silence, request, run

METRICS_KEYS = ["sampled_at_ms", "cpu_total", "cpu_per_core", "mem_total", "mem_used", "swap_total",
                "swap_used", "hostname", "cpu_temp_c", "disks", "networks", "top_processes", "gpus"]


def check_768_rule(reply):
    if isinstance(reply, str):
        assert len(reply.encode()) <= 768, len(reply)
    else:
        assert reply[:2] == b"\x1f\x8b"
        assert len(gzip.decompress(reply)) > 768


def test_string_requests_live_host():
    with Statd() as d:
        m, disks, procs, detail, journal = exchange(d.url(), [
            "get_metrics", "get_disks", "get_processes",
            f"get_process_metrics:{os.getpid()}", f"get_journal_entries:{os.getpid()}"])
    for reply in (m, disks, detail, journal):
        check_768_rule(reply)
    metrics = decode_json_reply(m)
    assert list(metrics.keys()) == METRICS_KEYS
    assert metrics["mem_total"] > 0 and 0 <= metrics["mem_used"] <= metrics["mem_total"]
    assert len(metrics["cpu_per_core"]) == os.cpu_count()
    assert metrics["disks"] == [] and metrics["top_processes"] == []
    assert isinstance(metrics["sampled_at_ms"], int)
    assert any(n["name"] == "lo" for n in metrics["networks"])
    for d in decode_json_reply(disks):
        assert list(d.keys()) == ["name", "total", "available", "temperature", "is_partition"]
        assert isinstance(d["total"], int) and d["available"] <= d["total"]
    msg, raw = decode_processes(procs)
    assert msg.process_count == len(msg.rows) > 0
    assert any(r.pid == os.getpid() for r in msg.rows)
    assert (len(raw) > 768) == (procs[:2] == b"\x1f\x8b")
    info = decode_json_reply(detail)
    assert info["process"]["pid"] == os.getpid()
    assert isinstance(info["cached_at"], int)
    err = decode_json_reply(journal)
    assert err == {"error": err["error"], "request": "get_journal_entries", "pid": os.getpid()}


def test_json_form_requests_get_text_json():
    with Statd() as d:
        replies = exchange(d.url(), [
            '{"type":"metrics"}', '{ "type": "disks" }', '{"type":"processes"}',
            json.dumps({"pid": os.getpid(), "type": "process_metrics", "extra": [1]}),
            '{"type":"journal_entries","pid":1}'])
    m, disks, procs, detail, journal = replies
    for r in (m, disks, detail, journal):
        assert isinstance(r, str), "JSON-form replies are uncompressed Text"
    assert list(json.loads(m).keys()) == METRICS_KEYS
    assert isinstance(json.loads(disks), list)
    msg, _ = decode_processes(procs)
    assert msg.process_count > 0
    assert json.loads(detail)["process"]["pid"] == os.getpid()
    assert json.loads(journal)["request"] == "get_journal_entries"


def test_unknown_requests_get_no_reply_and_later_requests_still_work():
    async def go(url):
        async with websockets.connect(url) as ws:
            for junk in ["get_metric", "get_process_metrics:abc", "get_process_metrics:4294967296",
                         "get_process_metrics:1 ", '{"type":"nope"}', '{"type":"process_metrics"}',
                         '{"type":"process_metrics","pid":1.5}', "{bad json"]:
                await ws.send(junk)
            await ws.send(b"get_metrics")  # Binary input is ignored too
            await expect_silence(ws, 1.0)
            reply = await request(ws, "get_metrics")
            assert "cpu_total" in decode_json_reply(reply)
    with Statd() as d:
        run(go(d.url()))


def test_pipelined_requests_answered_in_order():
    async def go(url):
        async with websockets.connect(url, max_size=None) as ws:
            for r in ["get_disks", "get_metrics", "get_processes", "get_disks"]:
                await ws.send(r)
            got = [await asyncio.wait_for(ws.recv(), 3) for _ in range(4)]
            assert isinstance(decode_json_reply(got[0]), list)
            assert "cpu_total" in decode_json_reply(got[1])
            decode_processes(got[2])
            assert isinstance(decode_json_reply(got[3]), list)
            await expect_silence(ws, 0.5)
    with Statd() as d:
        run(go(d.url()))


def test_unknown_pid_gets_error_object():
    with Statd() as d:
        (reply,) = exchange(d.url(), ["get_process_metrics:4294967295"])
    assert decode_json_reply(reply) == {"error": "Process 4294967295 not found",
                                        "request": "get_process_metrics", "pid": 4294967295}


def test_token_mismatch_gets_101_then_empty_close():
    async def attempt(url):
        async with websockets.connect(url) as ws:
            try:
                await asyncio.wait_for(ws.recv(), 3)
            except websockets.ConnectionClosed as e:
                return e.code
            return None
    with Statd("--token", "s3cret") as d:
        assert run(attempt(d.url("/ws"))) == 1005
        assert run(attempt(d.url("/ws?token=wrong"))) == 1005
        (reply,) = exchange(d.url("/ws?token=s3cret"), ["get_metrics"])
        assert "cpu_total" in decode_json_reply(reply)
        assert d.get("/healthz")[0] == 200
    with Statd(env={"SOCKTOP_TOKEN": "a b&c"}) as d:
        (reply,) = exchange(d.url("/ws?token=a+b%26c"), ["get_metrics"])
        assert "cpu_total" in decode_json_reply(reply)


def test_fixture_numbers_reach_the_wire():
    root = os.path.join(FIXTURES, "pc")
    meminfo = open(os.path.join(root, "proc", "meminfo")).read()
    fields = {l.split(":")[0]: int(l.split()[1]) for l in meminfo.splitlines() if l.strip()}
    with Statd("--root", root) as d:
        m, procs = exchange(d.url(), ["get_metrics", "get_processes"])
    metrics = decode_json_reply(m)
    assert metrics["mem_total"] == fields["MemTotal"] * 1024
    assert metrics["mem_used"] == (fields["MemTotal"] - fields["MemAvailable"]) * 1024
    assert metrics["swap_used"] == (fields["SwapTotal"] - fields["SwapFree"]) * 1024
    hostname = open(os.path.join(root, "proc", "sys", "kernel", "hostname")).read().strip()
    assert metrics["hostname"] == hostname
    netdev = open(os.path.join(root, "proc", "net", "dev")).read().splitlines()[2:]
    expected = {l.split(":")[0].strip(): int(l.split(":")[1].split()[0]) for l in netdev}
    assert {n["name"]: n["received"] for n in metrics["networks"]} == expected
    msg, _ = decode_processes(procs)
    pids = sorted(int(p) for p in os.listdir(os.path.join(root, "proc")) if p.isdigit())
    assert sorted(r.pid for r in msg.rows) == pids


def test_sigterm_sends_close_1001():
    async def go(d):
        async with websockets.connect(d.url()) as ws:
            await request(ws, "get_metrics")
            d.proc.terminate()
            try:
                await asyncio.wait_for(ws.recv(), 3)
            except websockets.ConnectionClosed as e:
                return e.code
    with Statd() as d:
        assert run(go(d)) == 1001
        assert d.proc.wait(5) == 0


def test_get_metrics_encoded_once_per_sample_and_gzip_matches_text():
    """The get_metrics reply is cached per sample (socktop.h): within the sample
    lifetime every client gets the same bytes, after it a new sample; a reply
    over 768 bytes goes out as gzip of exactly the text the JSON form gets."""
    import shutil
    import tempfile
    import time
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        shutil.copytree(os.path.join(FIXTURES, "pc"), root, symlinks=True)
        dev = open(os.path.join(root, "proc", "net", "dev")).read().splitlines()[:2]
        dev += [f"  veth{i:02d}: {1000 + i} 1 0 0 0 0 0 0 {2000 + i} 1 0 0 0 0 0 0" for i in range(40)]
        open(os.path.join(root, "proc", "net", "dev"), "w").write("\n".join(dev) + "\n")
        with Statd("--root", root, "--metrics-ttl", "3600000") as d:
            first, text_form = exchange(d.url(), ["get_metrics", '{"type":"metrics"}'])
            (second,) = exchange(d.url(), ["get_metrics"])
            # Three replies on two connections, one sample: one encoding.
            assert metric_value(d, "statd_socktop_metrics_encodings_total") == 1
        assert isinstance(first, bytes) and first[:2] == b"\x1f\x8b"
        assert first == second  # one encoding served to both connections
        assert isinstance(text_form, str) and gzip.decompress(first) == text_form.encode()
        assert len(json.loads(text_form)["networks"]) == 40
        with Statd("--root", root, "--metrics-ttl", "0") as d:
            samples = []
            for _ in range(3):
                (reply,) = exchange(d.url(), ['{"type":"metrics"}'])
                samples.append(json.loads(reply)["sampled_at_ms"])
                time.sleep(0.02)
            assert metric_value(d, "statd_socktop_metrics_encodings_total") == 3
        assert samples[0] < samples[1] < samples[2], samples
