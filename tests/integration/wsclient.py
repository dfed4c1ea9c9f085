"""Small synchronous wrappers over Python's `websockets` (an independent
WebSocket implementation) for the integration tests."""
import asyncio
import gzip
import importlib
import os
import subprocess
import sys
import tempfile

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))


def run(coro, timeout=15):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def request(ws, text, timeout=3.0):
    await ws.send(text)
    return await asyncio.wait_for(ws.recv(), timeout)


async def expect_silence(ws, seconds=1.0):
    """True when nothing arrives within `seconds`."""
    try:
        msg = await asyncio.wait_for(ws.recv(), seconds)
    except asyncio.TimeoutError:
        return True
    raise AssertionError(f"unexpected frame: {msg[:80]!r}")


def exchange(url, requests, timeout=3.0):
    """Sends each request in turn, returns the list of replies (str or bytes)."""
    async def go():
        async with websockets.connect(url, max_size=None, compression=None) as ws:
            return [await request(ws, r, timeout) for r in requests]
    return run(go())


def decode_json_reply(reply):
    """socktop's rule: Text is JSON, Binary is gzip(JSON)."""
    import json
    if isinstance(reply, str):
        return json.loads(reply)
    assert reply[:2] == b"\x1f\x8b", "binary JSON reply must be gzip"
    return json.loads(gzip.decompress(reply))


_pb2 = None


def processes_pb2():
    """socktop's processes.proto compiled by protoc (once per run)."""
    global _pb2
    if _pb2 is None:
        out = tempfile.mkdtemp(prefix="statd-proto-")
        subprocess.run(["protoc", f"--proto_path={HERE}", f"--python_out={out}",
                        os.path.join(HERE, "processes.proto")], check=True)
        sys.path.insert(0, out)
        _pb2 = importlib.import_module("processes_pb2")
    return _pb2


def decode_processes(reply):
    assert isinstance(reply, bytes), "processes must be a Binary frame"
    data = gzip.decompress(reply) if reply[:2] == b"\x1f\x8b" else reply
    msg = processes_pb2().Processes()
    msg.ParseFromString(data)
    return msg, data
