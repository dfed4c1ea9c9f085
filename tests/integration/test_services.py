"""statd's get_services extension on /ws (docs/extensions.md): the init
system's services read from fixture trees, framed by socktop's 768-byte
rule, checked with Python's `websockets` and gzip."""
import gzip
import json
import os

import websockets

from harness import FIXTURES, Statd
from wsclient import exchange, expect_silence, request, run

SERVICES = os.path.join(FIXTURES, "services")


def svc(name, state, enabled=True):
    return {"name": name, "state": state, "enabled": enabled}


OPENRC = {"manager": "openrc", "services": [
    svc("agetty", "stopped", False), svc("bootmisc", "stopped"), svc("chronyd", "starting"),
    svc("crond", "running"), svc("devfs", "running"), svc("dmesg", "running"),
    svc("dnsmasq", "stopping"), svc("hostname", "running"), svc("hwclock", "stopped"),
    svc("local", "running"), svc("localmount", "running"), svc("modules", "running"),
    svc("net.eth0", "starting"), svc("net.lo", "running"), svc("networking", "running"),
    svc("nginx", "failed"), svc("sshd", "running"), svc("sysctl", "running"),
    svc("syslog", "running"), svc("udev", "running")]}


def test_get_services_openrc_is_gzipped_above_768_bytes():
    with Statd("--root", os.path.join(SERVICES, "openrc")) as d:
        plain, json_form = exchange(d.url(), ["get_services", '{"type":"services"}'])
    assert isinstance(plain, bytes) and plain[:2] == b"\x1f\x8b"
    body = gzip.decompress(plain)
    assert len(body) > 768
    assert json.loads(body) == OPENRC
    # Compact, keys in the documented order.
    assert body.startswith(b'{"manager":"openrc","services":[{"name":"agetty","state":"stopped",'
                           b'"enabled":false},{"name":"bootmisc"')
    # The JSON form answers uncompressed Text, like socktop's JSON-form replies.
    assert isinstance(json_form, str) and json_form.encode() == body


def test_get_services_runit_small_reply_is_text():
    with Statd("--root", os.path.join(SERVICES, "runit")) as d:
        (reply,) = exchange(d.url(), ["get_services"])
    assert isinstance(reply, str) and len(reply.encode()) <= 768
    assert reply == (
        '{"manager":"runit","services":['
        '{"name":"crond","state":"stopped","enabled":true},'
        '{"name":"dnsmasq","state":"stopped","enabled":false},'
        '{"name":"ntpd","state":"stopping","enabled":true},'
        '{"name":"oldrunsv","state":"running","enabled":true},'
        '{"name":"sshd","state":"running","enabled":true},'
        '{"name":"syslogd","state":"stopping","enabled":true},'
        '{"name":"udhcpc","state":"unknown","enabled":true}]}')


def test_get_services_systemd_and_no_init_system():
    with Statd("--root", os.path.join(SERVICES, "systemd")) as d:
        (reply,) = exchange(d.url(), ["get_services"])
    assert json.loads(reply) == {"manager": "systemd", "services": [
        svc("cron", "stopped"), svc("dbus", "running", False), svc("docker", "running"),
        svc("getty@tty1", "running"), svc("sshd", "running")]}
    with Statd("--root", os.path.join(FIXTURES, "pc")) as d:
        (reply,) = exchange(d.url(), ["get_services"])
    assert reply == '{"manager":"none","services":[]}'


def test_get_services_near_misses_get_no_reply():
    # Unknown requests keep socktop's behaviour: silence, the connection stays usable.
    async def go(url):
        async with websockets.connect(url) as ws:
            for junk in ["get_service", "get_services ", "GET_SERVICES", "get_services:1",
                         '{"type":"service"}', '{"type":"get_services"}']:
                await ws.send(junk)
            await ws.send(b"get_services")  # Binary input is ignored
            await expect_silence(ws, 1.0)
            reply = await request(ws, "get_services")
            assert json.loads(reply)["manager"] == "runit"
    with Statd("--root", os.path.join(SERVICES, "runit")) as d:
        run(go(d.url()))
