"""Command plugins in statd's configuration: `plugin NAME = COMMAND` lines
(-c FILE) and --plugin NAME=COMMAND."""
import os
import subprocess
import tempfile
import time

from harness import STATD, Statd


def run_statd(*args):
    return subprocess.run([STATD, *args], capture_output=True, text=True, timeout=10)


def write_config(text):
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write(text)
    return f.name


def children_of(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return f.read().split()


def test_config_with_plugin_lines_starts_and_runs_nothing_while_idle():
    path = write_config("# plugins\n"
                        "plugin fans = echo '{\"fan1\": 1200}'\n"
                        "plugin\tdisk_temp_2=sh -c 'echo 40' # a=b stays in the command\n"
                        "max-clients = 5\n")
    try:
        with Statd("-c", path, "--plugin", "cli_one=echo 1") as d:
            assert d.get("/healthz")[0] == 200
            time.sleep(0.3)
            # Plugins run only for rt-stat subscribers: none here.
            assert children_of(d.proc.pid) == []
            assert d.get("/healthz")[0] == 200
            assert d.stop() == 0
    finally:
        os.unlink(path)


def test_bad_plugin_name_exits_2_naming_file_and_line():
    path = write_config("max-clients = 5\n\nplugin Fans = echo 1\n")
    try:
        r = run_statd("-c", path)
        assert r.returncode == 2, r
        assert f"{path}:3: plugin name 'Fans' may only hold a-z, 0-9 and _" in r.stderr, r.stderr
        with open(path, "w") as f:
            f.write("plugin uptime = echo 1\n")
        r = run_statd("-c", path)
        assert r.returncode == 2
        assert f"{path}:1: plugin name 'uptime' is a built-in rt-stat key" in r.stderr, r.stderr
        with open(path, "w") as f:
            f.write("plugin a = echo 1\nplugin a = echo 2\n")
        r = run_statd("-c", path)
        assert r.returncode == 2 and f"{path}:2: plugin 'a' is declared twice" in r.stderr, r.stderr
        with open(path, "w") as f:
            f.write("plugin a =\n")
        r = run_statd("-c", path)
        assert r.returncode == 2 and f"{path}:1: plugin 'a' has no command" in r.stderr, r.stderr
        with open(path, "w") as f:
            f.write("plugin = echo 1\n")
        r = run_statd("-c", path)
        assert r.returncode == 2 and f"{path}:1: plugin: expected NAME=COMMAND" in r.stderr, r.stderr
    finally:
        os.unlink(path)


def test_plugin_option_on_the_command_line():
    r = run_statd("--help")
    assert r.returncode == 0 and "--plugin NAME=COMMAND" in r.stdout
    r = run_statd("--plugin", "top_processes=echo 1")
    assert r.returncode == 2
    assert "--plugin: plugin name 'top_processes' is a built-in rt-stat key" in r.stderr, r.stderr
    r = run_statd("--plugin", "no_equals_sign")
    assert r.returncode == 2 and "--plugin: expected NAME=COMMAND" in r.stderr, r.stderr
    r = run_statd("--plugin=a-b=echo 1")
    assert r.returncode == 2 and "plugin name 'a-b' may only hold" in r.stderr, r.stderr
