"""Checks our deflate/gzip against Python's zlib from the outside, through
build/tools/gzip_tool (built by `make`; this file builds nothing)."""
import gzip
import os
import random
import subprocess
import zlib

import harness

TOOL = os.path.join(harness.TOOLS, "gzip_tool")


def run_tool(mode, data, expect_ok=True):
    assert os.access(TOOL, os.X_OK), f"{TOOL} missing: run make first"
    proc = subprocess.run([TOOL, mode], input=data, capture_output=True, timeout=60)
    if expect_ok:
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc


def sample_inputs():
    rng = random.Random(20240601)
    text = "".join(
        f"line {i}: the quick brown fox jumps over the lazy dog ({i * 7919 % 1000})\n"
        for i in range(400)).encode()
    prom = "".join(
        f'node_network_receive_bytes_total{{device="eth{i % 4}"}} {rng.randrange(10**9)}\n'
        f'node_cpu_seconds_total{{cpu="{i % 8}",mode="idle"}} {rng.random() * 1e5:.2f}\n'
        for i in range(3000)).encode()
    mixed = bytearray()
    while len(mixed) < 300_000:
        mixed += prom[rng.randrange(len(prom) - 5000):][:rng.randrange(100, 5000)]
        mixed += rng.randbytes(rng.randrange(1, 400))
    return {
        "empty": b"",
        "one_byte": b"\x00",
        "random": rng.randbytes(70_000),
        "text": text,
        "repetitive": b"abc" * 50_000 + b"\x00" * 70_000,
        "prometheus": prom,
        "mixed_300k": bytes(mixed[:300_000]),
        "far_match": (lambda r: r + r[:5000])(rng.randbytes(32768)),
    }


def test_deflate_python_inflates_our_raw_deflate():
    for name, data in sample_inputs().items():
        out = run_tool("deflate", data).stdout
        assert zlib.decompress(out, -15) == data, name
        if name in ("text", "repetitive", "prometheus"):
            assert len(out) < len(data) * 0.3, (name, len(out), len(data))


def test_deflate_python_gunzips_our_gzip():
    for name, data in sample_inputs().items():
        out = run_tool("c", data).stdout
        assert out[:3] == b"\x1f\x8b\x08", name
        assert gzip.decompress(out) == data, name
        # zlib's streaming decoder too, and it must see the member end exactly.
        d = zlib.decompressobj(16 + 15)
        assert d.decompress(out) + d.flush() == data, name
        assert d.eof and d.unused_data == b"", name


def test_deflate_we_gunzip_python_gzip_levels():
    for name, data in sample_inputs().items():
        for level in (1, 6, 9):
            packed = gzip.compress(data, compresslevel=level, mtime=0)
            assert run_tool("d", packed).stdout == data, (name, level)


def test_deflate_we_inflate_python_raw_strategies():
    strategies = [zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY,
                  zlib.Z_RLE, zlib.Z_FIXED]
    for name, data in sample_inputs().items():
        for strategy in strategies:
            c = zlib.compressobj(6, zlib.DEFLATED, -15, 8, strategy)
            raw = c.compress(data) + c.flush()
            assert run_tool("inflate", raw).stdout == data, (name, strategy)


def test_deflate_our_roundtrip_through_tool():
    for name, data in sample_inputs().items():
        packed = run_tool("c", data).stdout
        assert run_tool("d", packed).stdout == data, name


def test_deflate_rejects_corrupt_gzip():
    packed = bytearray(gzip.compress(b"hello world " * 100, mtime=0))
    packed[-8] ^= 1  # CRC-32 of the data
    proc = run_tool("d", bytes(packed), expect_ok=False)
    assert proc.returncode == 1
    assert b"CRC mismatch" in proc.stderr
    proc = run_tool("d", b"not gzip", expect_ok=False)
    assert proc.returncode == 1
    assert b"bad magic" in proc.stderr
