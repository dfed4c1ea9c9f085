"""The shipped init files, run for real: openrc/statd through Debian's
openrc-run and supervise-daemon (in a private mount namespace with its own
/run, so the machine never looks as if OpenRC had booted it), and
busybox/S50statd through busybox-static's start-stop-daemon.

Each: start -> /healthz answers, the pidfile names the right process, status
says running, stop -> no process left. Needs root (CI runs as root).
"""
import os
import pwd
import select
import shutil
import subprocess
import tempfile
import time
import urllib.request

from harness import SRCDIR, STATD, free_port


def healthz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
            return r.status
    except OSError:
        return None


def wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def pids_with_arg(arg):
    """Processes whose command line holds `arg` (our unique listen address)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            with open(f"/proc/{entry}/stat") as f:
                zombie = f.read().split(") ")[-1][0] == "Z"
        except OSError:
            continue
        if arg.encode() in args and not zombie:
            found.append(int(entry))
    return found


def kill_leftovers(arg):
    for pid in pids_with_arg(arg):
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass


class Shell:
    """A shell inside `unshare -m`, fed one command at a time (bounded reads)."""

    def __init__(self, setup):
        self.proc = subprocess.Popen(
            ["unshare", "-m", "sh", "-c",
             setup + '\nwhile read -r line; do eval "$line" 2>&1; echo "__rc=$?"; done'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def run(self, command, seconds=30):
        self.proc.stdin.write((command + "\n").encode())
        self.proc.stdin.flush()
        out = b""
        deadline = time.monotonic() + seconds
        while b"__rc=" not in out:
            left = deadline - time.monotonic()
            assert left > 0, f"'{command}' took over {seconds} s: {out!r}"
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                assert chunk, f"the namespace shell exited during '{command}': {out!r}"
                out += chunk
        text, _, rc = out.decode(errors="replace").rpartition("__rc=")
        return int(rc.split()[0]), text

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def test_initscripts_openrc_supervise_daemon():
    assert os.geteuid() == 0, "test_initscripts needs root (openrc-run, --user)"
    openrc_run = shutil.which("openrc-run") or "/sbin/openrc-run"
    assert os.path.exists(openrc_run), "openrc-run missing: tests/install-deps installs openrc"
    port = free_port()
    listen = f"127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        # openrc-run reads conf.d beside the script's directory: <tmp>/conf.d/statd.
        os.makedirs(f"{tmp}/init.d")
        os.makedirs(f"{tmp}/conf.d")
        shutil.copy(f"{SRCDIR}/openrc/statd", f"{tmp}/init.d/statd")
        with open(f"{SRCDIR}/openrc/statd.confd") as f:
            confd = f.read()
        with open(f"{tmp}/conf.d/statd", "w") as f:
            f.write(confd + f'STATD_BINARY="{STATD}"\nSTATD_CONFIG=""\nSTATD_ARGS="-l {listen} -q"\n')
        script = f"{tmp}/init.d/statd"
        # A scratch RC_SVCDIR: what `openrc` sets up at boot, on a private /run.
        shell = Shell("mount --make-rprivate / && mount -t tmpfs tmpfs /run && "
                      "mkdir -p /run/openrc && cd /run/openrc && "
                      "mkdir daemons exclusive failed hotplugged inactive options scheduled "
                      "started starting stopping tmp wasinactive && echo default > softlevel")
        try:
            rc, out = shell.run(f"{openrc_run} {script} start")
            assert rc == 0, out
            assert wait_for(lambda: healthz(port) == 200), "no /healthz after openrc-run start"
            rc, out = shell.run(f"{openrc_run} {script} status")
            assert rc == 0 and "started" in out, out
            # supervise-daemon's pidfile names itself; its child is statd.
            rc, out = shell.run("cat /run/statd.pid")
            supervisor = int(out.split()[0])
            with open(f"/proc/{supervisor}/comm") as f:
                assert f.read().strip() == "supervise-daemo"  # comm: 15 bytes
            statd_pids = [p for p in pids_with_arg(listen) if p != supervisor]
            assert len(statd_pids) == 1, statd_pids
            with open(f"/proc/{statd_pids[0]}/stat") as f:
                assert int(f.read().split(") ")[1].split()[1]) == supervisor  # its parent
            # conf.d's STATD_USER="nobody": statd switched after binding.
            with open(f"/proc/{statd_pids[0]}/status") as f:
                uid_line = next(line for line in f if line.startswith("Uid:"))
            assert uid_line.split()[1:] == [str(pwd.getpwnam("nobody").pw_uid)] * 4
            rc, out = shell.run(f"{openrc_run} {script} stop")
            assert rc == 0, out
            assert wait_for(lambda: not pids_with_arg(listen)), "statd or supervise-daemon left"
            rc, out = shell.run(f"{openrc_run} {script} status")
            assert rc == 3 and "stopped" in out, out
        finally:
            shell.close()
            kill_leftovers(listen)


def test_initscripts_busybox_start_stop_daemon():
    assert os.geteuid() == 0, "test_initscripts needs root (--user)"
    busybox = shutil.which("busybox")
    assert busybox, "busybox missing: tests/install-deps installs busybox-static"
    port = free_port()
    listen = f"127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        os.makedirs(f"{tmp}/bin")
        os.symlink(busybox, f"{tmp}/bin/start-stop-daemon")
        pidfile = f"{tmp}/statd.pid"
        env = {"PATH": f"{tmp}/bin:/usr/bin:/bin", "STATD_BINARY": STATD, "PIDFILE": pidfile,
               "STATD_CONFIG": f"{tmp}/none.conf", "STATD_ARGS": f"-l {listen} -q"}

        def rc_script(action):
            return subprocess.run([busybox, "sh", f"{SRCDIR}/busybox/S50statd", action], env=env,
                                  capture_output=True, text=True, timeout=30)

        try:
            r = rc_script("start")
            assert r.returncode == 0 and "OK" in r.stdout, (r.stdout, r.stderr)
            # statd -d returns only once listening: no waiting needed.
            assert healthz(port) == 200
            pid = int(open(pidfile).read())
            assert pids_with_arg(listen) == [pid]
            with open(f"/proc/{pid}/status") as f:
                uid_line = next(line for line in f if line.startswith("Uid:"))
            assert uid_line.split()[1] == str(pwd.getpwnam("nobody").pw_uid)
            r = rc_script("status")
            assert r.returncode == 0 and f"statd is running as pid {pid}" in r.stdout, r.stdout
            r = rc_script("start")  # already running: start-stop-daemon starts nothing
            assert pids_with_arg(listen) == [pid]
            r = rc_script("stop")
            assert r.returncode == 0, (r.stdout, r.stderr)
            assert wait_for(lambda: not pids_with_arg(listen)), "statd left after stop"
            assert not os.path.exists(pidfile)
            r = rc_script("status")
            assert r.returncode == 3 and "statd is stopped" in r.stdout, r.stdout
        finally:
            kill_leftovers(listen)


def test_initscripts_inittab_and_runit_name_real_options():
    """The foreground lines use only options statd accepts (checked with --help)."""
    help_text = subprocess.run([STATD, "--help"], capture_output=True, text=True, timeout=10).stdout
    with open(f"{SRCDIR}/busybox/inittab") as f:
        line = next(x for x in f if x.startswith("::respawn:"))
    with open(f"{SRCDIR}/runit/statd/run") as f:
        run = f.read()
    for option in [w for w in line.split() if w.startswith("--")] + ["--user"]:
        assert f"{option} " in help_text or f"{option}\n" in help_text, option
        assert option in line or option in run
    assert " -d" not in line and " -d" not in run  # init keeps them in the foreground
