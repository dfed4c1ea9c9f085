"""statc driven like a person would, in a real terminal (tmux): the
many-host overview of three statd instances, drilling into one, sorting,
resizing, a host dying, quitting with the terminal restored."""
import os
import subprocess
import time

from harness import BUILD, FIXTURES, Statd

STATC = os.path.join(BUILD, "statc")
SOCKET = f"statc-test-{os.getpid()}"


def tmux(*args, check=True):
    r = subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args],
                       capture_output=True, text=True, timeout=10)
    if check and r.returncode != 0:
        raise AssertionError(f"tmux {args}: {r.stderr}")
    return r.stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "t")


def wait_for(predicate, what, seconds=10):
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = screen()
        if predicate(text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; screen:\n{text}")


def test_statc_in_tmux():
    roots = [os.path.join(FIXTURES, n) for n in ("pc", "rpi", "router")]
    daemons = [Statd("--root", r) for r in roots]
    try:
        hosts = " ".join(f"127.0.0.1:{d.port}" for d in daemons)
        # After statc exits, print its status and the tty modes for the checks below.
        command = (f"LANG=C.UTF-8 {STATC} --interval 0.5 {hosts}; "
                   "echo EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo; "
                   "sleep 60")
        tmux("-u", "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command)
        text = wait_for(lambda t: "workstation" in t and "rpi4" in t and "OpenWrt" in t, "overview")
        assert "statc: 3 hosts" in text
        assert tmux("display", "-p", "-t", "t", "#{alternate_on}").strip() == "1"

        # Second host, then open it: the header names it, its processes are listed.
        tmux("send-keys", "-t", "t", "Down", "Enter")
        text = wait_for(lambda t: t.split("\n")[0].lstrip().startswith("rpi4"), "rpi4 host view")
        assert "PID" in text and "sort:cpu" in text

        # Sort by memory: the largest resident process comes first.
        tmux("send-keys", "-t", "t", "m")
        text = wait_for(lambda t: "sort:mem" in t, "memory sort")
        rows = [l for l in text.split("\n") if l[:8].strip().isdigit()]
        mems = [l.split()[-1] for l in rows]
        assert rows and mems[0] != "0B", rows

        # Enter: the selected process's details come from the agent; Esc closes them.
        tmux("send-keys", "-t", "t", "Enter")
        text = wait_for(lambda t: "Esc closes" in t and "status " in t, "process detail panel")
        assert "threads" in text and "memory" in text
        tmux("send-keys", "-t", "t", "Escape")
        wait_for(lambda t: "Esc closes" not in t and t.split("\n")[0].lstrip().startswith("rpi4"),
                 "detail closed")

        # Resize: the frame follows at once (SIGWINCH), using the new width.
        tmux("resize-window", "-t", "t", "-x", "160", "-y", "50")
        text = wait_for(lambda t: max(len(l.rstrip()) for l in t.split("\n")) > 100, "wide frame")
        assert len(text.split("\n")) >= 50

        # Back to the overview; kill the pc daemon: its row says down.
        tmux("send-keys", "-t", "t", "Escape")
        wait_for(lambda t: "statc: 3 hosts" in t, "overview again")
        daemons[0].stop()
        text = wait_for(lambda t: "down since" in t, "a host marked down", seconds=15)
        assert "rpi4" in text and "OpenWrt" in text  # the others are still shown

        # Quit: status 0, normal screen back, line discipline restored.
        tmux("send-keys", "-t", "t", "q")
        text = wait_for(lambda t: "EXIT=" in t and "icanon" in t, "statc to exit")
        assert "EXIT=0" in text
        assert "icanon" in text.split() and "echo" in text.split(), text
        assert tmux("display", "-p", "-t", "t", "#{alternate_on}").strip() == "0"
    finally:
        tmux("kill-server", check=False)
        for d in daemons:
            d.__exit__()
