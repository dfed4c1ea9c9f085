"""Idle is free: with nobody asking, statd arms no timer and never wakes
(context switches do not drift, unlike timing)."""
import asyncio
import time

import websockets

from harness import Statd
from wsclient import request, run


def switches(pid):
    total = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if "ctxt_switches" in line:
                total += int(line.split()[1])
    return total


def test_no_wakeups_when_idle():
    with Statd() as d:
        time.sleep(0.3)  # let it notice the readiness probe's close
        before = switches(d.proc.pid)
        time.sleep(2.0)
        assert switches(d.proc.pid) == before


def test_no_wakeups_with_a_silent_websocket_client():
    async def go(d):
        async with websockets.connect(d.url(), ping_interval=None) as ws:
            await request(ws, "get_metrics")
            await asyncio.sleep(0.3)
            before = switches(d.proc.pid)
            await asyncio.sleep(2.0)
            return switches(d.proc.pid) - before
    with Statd() as d:
        assert run(go(d)) == 0
