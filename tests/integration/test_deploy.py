"""statd as a service: --user (privilege drop), -d with --pidfile, --syslog.

These start statd as root (CI runs as root): without root there is nothing to
drop from, so they fail with a message saying so instead of passing quietly.
"""
import os
import pwd
import signal
import socket
import subprocess
import tempfile
import time

from harness import STATD, Statd, free_port


def need_root():
    assert os.geteuid() == 0, "test_deploy needs root (statd --user switches from root to nobody)"


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return fields


def wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of ours is gone as far as the service is concerned.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[-1][0] != "Z"


def test_deploy_user_nobody_drops_everything():
    need_root()
    nobody = pwd.getpwnam("nobody")
    with Statd("--user", "nobody") as statd:
        # The port opens before the drop (bind first, then switch): wait for it.
        deadline = time.monotonic() + 5
        status = proc_status(statd.proc.pid)
        while status["Uid"] != [str(nobody.pw_uid)] * 4 and time.monotonic() < deadline:
            time.sleep(0.02)
            status = proc_status(statd.proc.pid)
        assert status["Uid"] == [str(nobody.pw_uid)] * 4, status["Uid"]
        assert status["Gid"] == [str(nobody.pw_gid)] * 4
        allowed = {str(g) for g in os.getgrouplist("nobody", nobody.pw_gid)}
        assert set(status["Groups"]) <= allowed, status["Groups"]
        assert status["NoNewPrivs"] == ["1"]
        assert status["CapEff"] == ["0000000000000000"]
        code, _, body = statd.get("/metrics")
        assert code == 200 and b"node_load1 " in body


def test_deploy_user_unknown_exits_2():
    proc = subprocess.run([STATD, "-l", f"127.0.0.1:{free_port()}", "--user", "no-such-user-x"],
                          capture_output=True, timeout=10)
    assert proc.returncode == 2
    assert b"statd: --user: unknown user 'no-such-user-x'" in proc.stderr


def test_deploy_user_in_config_file():
    need_root()
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "statd.conf")
        with open(conf, "w") as f:
            f.write("user = nobody\n")
        with Statd("-c", conf) as statd:
            assert proc_status(statd.proc.pid)["Uid"][0] == str(pwd.getpwnam("nobody").pw_uid)


def test_deploy_user_other_user_without_root_fails():
    # A non-root statd (as nobody, through setpriv-free preexec) asking for root.
    need_root()
    nobody = pwd.getpwnam("nobody")

    def become_nobody():
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    proc = subprocess.run([STATD, "-l", f"127.0.0.1:{free_port()}", "--user", "root"],
                          capture_output=True, timeout=10, preexec_fn=become_nobody, cwd="/")
    assert proc.returncode == 2, proc.stderr
    assert b"--user root: switching to user 'root' needs root" in proc.stderr
    # Naming ourselves is fine: it only adds PR_SET_NO_NEW_PRIVS.
    port = free_port()
    proc = subprocess.Popen([STATD, "-l", f"127.0.0.1:{port}", "--user", "nobody"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=become_nobody, cwd="/")
    try:
        assert wait_for(lambda: _connects(port)), "statd as nobody --user nobody did not listen"
        assert proc_status(proc.pid)["NoNewPrivs"] == ["1"]
    finally:
        proc.terminate()
        proc.wait(5)


def _connects(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def test_deploy_daemon_pidfile_and_sigterm():
    need_root()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # like /run: root's, readable by all
        pidfile = os.path.join(tmp, "statd.pid")
        port = free_port()
        started = time.monotonic()
        proc = subprocess.run([STATD, "-d", "--pidfile", pidfile, "-l", f"127.0.0.1:{port}",
                               "--user", "nobody", "-q"], capture_output=True, timeout=10)
        assert proc.returncode == 0, proc.stderr
        # The parent exits only once the listener is open and the pidfile written.
        assert _connects(port)
        pid = int(open(pidfile).read())
        assert open(pidfile).read() == f"{pid}\n"
        try:
            status = proc_status(pid)
            assert os.getsid(pid) == pid  # setsid(): its own session
            assert os.readlink(f"/proc/{pid}/cwd") == "/"
            assert os.readlink(f"/proc/{pid}/fd/1") == "/dev/null"
            assert status["Uid"][0] == str(pwd.getpwnam("nobody").pw_uid)
            s = Statd.__new__(Statd)
            s.port = port
            code, _, _ = s.get("/healthz")
            assert code == 200
            # A second statd with the same pidfile refuses to start.
            again = subprocess.run([STATD, "-d", "--pidfile", pidfile, "-l", f"127.0.0.1:{free_port()}"],
                                   capture_output=True, timeout=10)
            assert again.returncode == 2
            assert f"statd is already running as pid {pid}".encode() in again.stderr
        finally:
            os.kill(pid, signal.SIGTERM)
        assert wait_for(lambda: not pid_alive(pid)), "the daemon did not stop on SIGTERM"
        # tmp is root's and not writable by nobody: the pidfile (chowned to
        # nobody before the switch) is emptied instead of removed.
        assert wait_for(lambda: open(pidfile).read() == ""), "pidfile not emptied"
        assert time.monotonic() - started < 10


def test_deploy_daemon_pidfile_removed_when_writable():
    with tempfile.TemporaryDirectory() as tmp:
        pidfile = os.path.join(tmp, "statd.pid")
        port = free_port()
        proc = subprocess.run([STATD, "-d", "--pidfile", pidfile, "-l", f"127.0.0.1:{port}", "-q"],
                              capture_output=True, timeout=10)
        assert proc.returncode == 0, proc.stderr
        pid = int(open(pidfile).read())
        os.kill(pid, signal.SIGTERM)
        assert wait_for(lambda: not pid_alive(pid))
        assert wait_for(lambda: not os.path.exists(pidfile)), "pidfile left behind"


def test_deploy_daemon_bind_failure_reaches_parent():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with tempfile.TemporaryDirectory() as tmp:
            pidfile = os.path.join(tmp, "statd.pid")
            proc = subprocess.run([STATD, "-d", "--pidfile", pidfile, "-l", f"127.0.0.1:{port}"],
                                  capture_output=True, timeout=10)
            assert proc.returncode == 2
            assert b"127.0.0.1:" in proc.stderr and b"in use" in proc.stderr, proc.stderr
            assert not os.path.exists(pidfile)


def test_deploy_syslog_lines_reach_dev_log():
    """statd --syslog in a private mount namespace whose /dev/log is our socket."""
    need_root()
    with tempfile.TemporaryDirectory() as tmp:
        sock_path = os.path.join(tmp, "log")
        sink = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sink.bind(sock_path)
        sink.settimeout(5)
        port = free_port()
        # A fresh /dev (tmpfs) holding only null and our socket, in a namespace
        # of its own: the machine's /dev is never touched.
        script = f"""set -e
mount --make-rprivate /
mkdir {tmp}/realdev && mount --rbind /dev {tmp}/realdev
mount -t tmpfs tmpfs /dev
touch /dev/null /dev/log
mount --bind {tmp}/realdev/null /dev/null
mount --bind {sock_path} /dev/log
umount -l {tmp}/realdev
exec "$@"
"""
        proc = subprocess.Popen(["unshare", "-m", "sh", "-c", script, "sh", STATD, "--syslog",
                                 "-l", f"127.0.0.1:{port}"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            lines = []
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not any(b"listening on" in x for x in lines):
                try:
                    lines.append(sink.recv(4096))
                except socket.timeout:
                    break
            assert proc.poll() is None, proc.stderr.read()
            # RFC 3164 as syslog(3) sends it: <30> = daemon.info, then "statd[PID]: ".
            line = next(x for x in lines if b"listening on" in x)
            assert line.startswith(b"<30>"), line
            assert f"statd[{proc.pid}]: listening on 127.0.0.1:{port}".encode() in line, line
        finally:
            proc.terminate()
            proc.wait(5)
            sink.close()
        assert b"listening on" not in proc.stderr.read()
