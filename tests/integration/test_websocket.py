"""RFC 6455 framing of the real statd on /ws, with hand-made frames: what
Python's websockets will not send (fragments around a ping, bad UTF-8,
unmasked frames, reserved bits)."""
from harness import Statd, ws_frame, ws_handshake


def read_frame(s):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = s.recv(n - len(data))
            if not chunk:
                raise AssertionError(f"closed after {data!r}")
            data += chunk
        return data
    b0, b1 = exactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = int.from_bytes(exactly(2), "big")
    elif n == 127:
        n = int.from_bytes(exactly(8), "big")
    assert not b1 & 0x80, "server frames are never masked"
    return b0 & 0x0F, bool(b0 & 0x80), exactly(n)


def test_fragmented_request_with_ping_in_between():
    with Statd() as d:
        s = ws_handshake(d.port)
        s.sendall(ws_frame("get_", fin=False) + ws_frame("ping!", opcode=9) +
                  ws_frame("disks", opcode=0))
        assert read_frame(s) == (0xA, True, b"ping!")
        opcode, fin, payload = read_frame(s)
        assert fin and opcode in (1, 2)
        s.sendall(ws_frame(b"\x03\xe8", opcode=8))
        assert read_frame(s) == (8, True, b"\x03\xe8")
        s.close()


def close_code_for(frames):
    with Statd() as d:
        s = ws_handshake(d.port)
        s.sendall(frames)
        opcode, _, payload = read_frame(s)
        s.close()
        assert opcode == 8
        return int.from_bytes(payload[:2], "big")


def test_protocol_errors_get_the_right_close_code():
    assert close_code_for(ws_frame(b"\xc0\xaf")) == 1007                 # invalid UTF-8
    assert close_code_for(ws_frame(b"\xe2\x82", fin=False) + ws_frame(b"\x28", opcode=0)) == 1007
    unmasked = b"\x81\x0bget_metrics"
    assert close_code_for(unmasked) == 1002
    rsv = bytearray(ws_frame("get_metrics"))
    rsv[0] |= 0x40
    assert close_code_for(bytes(rsv)) == 1002
    assert close_code_for(ws_frame("x", opcode=3)) == 1002               # reserved opcode
    assert close_code_for(ws_frame("x", opcode=0)) == 1002               # continuation first
    assert close_code_for(ws_frame(b"\x03\xe8x" * 50, opcode=9)) == 1002  # ping > 125 bytes


def test_other_clients_are_served_while_one_misbehaves():
    with Statd() as d:
        bad = ws_handshake(d.port)
        good = ws_handshake(d.port)
        bad.sendall(b"\x81\x05hello")  # unmasked
        good.sendall(ws_frame("get_metrics"))
        opcode, fin, payload = read_frame(good)
        assert fin and opcode in (1, 2) and payload
        assert read_frame(bad)[0] == 8
        bad.close()
        good.close()
