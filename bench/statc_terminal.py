#!/usr/bin/python3
"""Bytes statc writes to its terminal per second, and its CPU time, while it
watches statd instances on loopback (issue 3's targets: <= 300 B/s for an
idle host at 1 s, 80x24; under 1 % of a core).

statc runs on a pseudo-terminal of the given size; everything it writes is
counted after the first full frame. Bytes do not drift with machine load,
so this figure is comparable between runs.
Usage: statc_terminal.py [--seconds N] [--hosts N] [--cols C --rows R] [--root DIR]
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(statc, statd, hosts, seconds, cols, rows, root):
    daemons, ports = [], []
    try:
        for _ in range(hosts):
            port = free_port()
            args = [statd, "-q", "-l", f"127.0.0.1:{port}"] + (["--root", root] if root else [])
            daemons.append(subprocess.Popen(args))
            ports.append(port)
        time.sleep(0.5)
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["LANG"] = "C.UTF-8"
            os.execv(statc, [statc] + [f"127.0.0.1:{p}" for p in ports])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        warmup_end = time.monotonic() + 3  # first frames, first samples
        counted = 0
        start_cpu = None
        end = warmup_end + seconds
        while time.monotonic() < end:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if time.monotonic() >= warmup_end:
                    counted += len(data)
            if start_cpu is None and time.monotonic() >= warmup_end:
                start_cpu = cpu_seconds(pid)
        cpu = cpu_seconds(pid) - (start_cpu or 0)
        os.write(fd, b"q")
        time.sleep(0.3)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        return counted / seconds, 100.0 * cpu / seconds
    finally:
        for d in daemons:
            d.terminate()
            d.wait(5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--hosts", type=int, default=1)
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--root", default=os.path.join(REPO, "tests", "fixtures", "pc"),
                    help="statd --root (a fixture is idle: the counters never move); '' for the live host")
    ap.add_argument("--statc", default=os.path.join(REPO, "build", "static", "statc"))
    ap.add_argument("--statd", default=os.path.join(REPO, "build", "static", "statd"))
    a = ap.parse_args()
    bps, cpu = measure(a.statc, a.statd, a.hosts, a.seconds, a.cols, a.rows, a.root)
    print(f"statc {a.hosts} host(s) {a.cols}x{a.rows} root={a.root or 'live'}: "
          f"{bps:.0f} B/s to the terminal, {cpu:.2f}% CPU over {a.seconds} s")


if __name__ == "__main__":
    sys.exit(main())
