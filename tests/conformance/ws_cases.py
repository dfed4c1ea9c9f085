"""The WebSocket conformance cases (RFC 6455), grouped like the Autobahn
testsuite's groups 1-7 and 9, written for statd's endpoints, where nothing
echoes: whether a message was taken is shown by a probe (a request the
endpoint answers) sent after the case's bytes, and by Pongs, which echo.

A case is data: the client bytes to send (`send`, a list whose items are
bytes, a Chop (bytes sent in pieces), or PROBE / ProbeFragments (the
endpoint's own request, which the runner renders)), and the outcome expected:

  Ok(pongs)        the connection stays open; after the case's bytes the
                   runner sends the probe and every probe is answered; the
                   Pongs received are exactly `pongs`, in order.
  CloseWith(code)  the server sends a Close frame carrying `code` (None: an
                   empty Close) and then closes the TCP connection;
                   `replies` probe answers may come before it (probes sent
                   before the fault), none after.

Design decision, RFC 6455 §5.2: "the minimal number of bytes MUST be used to
encode the length". That MUST binds the sender, like "the most significant
bit MUST be 0" of the 64-bit length; a frame breaking either is not a valid
frame, so both are protocol errors (1002), and statd treats them alike.
"""

MASK = b"\x37\xfa\x21\x3d"


class Chop:
    """`data` (bytes or PROBE) sent in pieces of `size` bytes, each its own send()."""

    def __init__(self, data, size):
        self.data, self.size = data, size


class _Probe:
    def __repr__(self):
        return "PROBE"


PROBE = _Probe()  # the endpoint's request as one masked frame


class ProbeFragments:
    """The endpoint's request split into `pieces` fragments (None: one byte
    each), with a Ping carrying `ping` between every two fragments (None: no
    pings); the runner expects the Pongs of those Pings."""

    def __init__(self, pieces, ping=None):
        self.pieces, self.ping = pieces, ping


class Ok:
    def __init__(self, pongs=()):
        self.pongs = list(pongs)

    def __str__(self):
        return "reply" + (f" + {len(self.pongs)} pong" if self.pongs else "")


class CloseWith:
    def __init__(self, code, replies=0):
        self.code, self.replies = code, replies

    def __str__(self):
        return "close " + ("(empty)" if self.code is None else str(self.code))


class Case:
    def __init__(self, case_id, description, send, expect):
        self.id, self.description, self.send, self.expect = case_id, description, send, expect
        self.group = int(case_id.split(".")[0])


def frame(payload=b"", opcode=1, fin=True, rsv=0, mask=MASK, length_bytes=None):
    """One client frame. `length_bytes` forces a length encoding: 0 (7-bit),
    2 (16-bit) or 8 (64-bit), minimal or not; `mask=None` sends it unmasked."""
    if isinstance(payload, str):
        payload = payload.encode()
    n = len(payload)
    if length_bytes is None:
        length_bytes = 0 if n < 126 else 2 if n < 65536 else 8
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if mask else 0
    if length_bytes == 0:
        head += bytes([mask_bit | n])
    elif length_bytes == 2:
        head += bytes([mask_bit | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([mask_bit | 127]) + n.to_bytes(8, "big")
    if not mask:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def text(payload, fin=True, **kw):
    return frame(payload, 1, fin, **kw)


def binary(payload, fin=True, **kw):
    return frame(payload, 2, fin, **kw)


def cont(payload, fin=True, **kw):
    return frame(payload, 0, fin, **kw)


def ping(payload=b"", **kw):
    return frame(payload, 9, **kw)


def pong(payload=b"", **kw):
    return frame(payload, 10, **kw)


def close(code=None, reason=b"", **kw):
    payload = b"" if code is None else code.to_bytes(2, "big") + reason
    return frame(payload, 8, **kw)


def _bytes_of(n):
    """n bytes of printable ASCII (valid UTF-8)."""
    return (b"0123456789abcdefghijklmnopqrstuvwxyz" * (n // 36 + 1))[:n]


BINARY_PAYLOAD = bytes([0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF, 0x80, 0x7F])


def _group1():
    cases = []
    for kind, build, num in (("text", text, 1), ("binary", binary, 2)):
        for i, n in enumerate((0, 125, 126, 127, 128, 65535, 65536), 1):
            cases.append(Case(f"1.{num}.{i}", f"{kind} message, {n} bytes",
                              [build(_bytes_of(n)), PROBE], Ok()))
        cases.append(Case(f"1.{num}.8", f"{kind} message, 65535 bytes sent in 997-byte chops",
                          [Chop(build(_bytes_of(65535)), 997), PROBE], Ok()))
        cases.append(Case(f"1.{num}.9", f"{kind} message, 0 bytes, then the probe in 1-byte chops",
                          [build(b""), Chop(PROBE, 1)], Ok()))
    # Length encodings: the three forms at their boundaries, and non-minimal ones.
    enc = [
        ("1.3.1", "125 bytes in the 7-bit length form", text(_bytes_of(125), length_bytes=0), Ok()),
        ("1.3.2", "126 bytes in the 16-bit form (its smallest)", text(_bytes_of(126), length_bytes=2), Ok()),
        ("1.3.3", "65535 bytes in the 16-bit form (its largest)", text(_bytes_of(65535), length_bytes=2), Ok()),
        ("1.3.4", "65536 bytes in the 64-bit form (its smallest)", text(_bytes_of(65536), length_bytes=8), Ok()),
        ("1.3.5", "5 bytes in the 16-bit form (non-minimal)", text(b"hello", length_bytes=2), CloseWith(1002)),
        ("1.3.6", "5 bytes in the 64-bit form (non-minimal)", text(b"hello", length_bytes=8), CloseWith(1002)),
        ("1.3.7", "125 bytes in the 16-bit form (non-minimal)", text(_bytes_of(125), length_bytes=2), CloseWith(1002)),
        ("1.3.8", "65535 bytes in the 64-bit form (non-minimal)", text(_bytes_of(65535), length_bytes=8), CloseWith(1002)),
        ("1.3.9", "0 bytes in the 16-bit form (non-minimal)", binary(b"", length_bytes=2), CloseWith(1002)),
        ("1.3.10", "64-bit length with the most significant bit set",
         b"\x82\xff\x80" + b"\x00" * 6 + b"\x05" + MASK, CloseWith(1002)),
        ("1.3.11", "ping of 5 bytes in the 16-bit form (control frames use the 7-bit form)",
         ping(b"hello", length_bytes=2), CloseWith(1002)),
    ]
    for case_id, desc, data, expect in enc:
        send = [data] if isinstance(expect, CloseWith) else [data, PROBE]
        cases.append(Case(case_id, desc, send, expect))
    # Masking: a client MUST mask every frame (§5.1); the server MUST close.
    cases += [
        Case("1.4.1", "unmasked text frame", [text(b"get_metrics", mask=None)], CloseWith(1002)),
        Case("1.4.2", "unmasked empty binary frame", [binary(b"", mask=None)], CloseWith(1002)),
        Case("1.4.3", "unmasked ping", [ping(b"hi", mask=None)], CloseWith(1002)),
        Case("1.4.4", "unmasked close 1000", [close(1000, mask=None)], CloseWith(1002)),
        Case("1.4.5", "masked probe, then an unmasked continuation of a masked fragment",
             [PROBE, text(b"ab", fin=False), cont(b"cd", mask=None)], CloseWith(1002, replies=1)),
        Case("1.4.6", "all-zero mask key (still masked)", [text(b"abc", mask=b"\0\0\0\0"), PROBE], Ok()),
    ]
    return cases


def _group2():
    p125 = bytes(range(125))
    return [
        Case("2.1", "ping without payload", [ping(), PROBE], Ok([b""])),
        Case("2.2", "ping with a text payload", [ping(b"Hello, world!"), PROBE], Ok([b"Hello, world!"])),
        Case("2.3", "ping with a binary payload, echoed exactly",
             [ping(BINARY_PAYLOAD), PROBE], Ok([BINARY_PAYLOAD])),
        Case("2.4", "ping with 125 bytes of payload (the maximum)", [ping(p125), PROBE], Ok([p125])),
        Case("2.5", "ping with 126 bytes of payload", [ping(bytes(126))], CloseWith(1002)),
        Case("2.6", "unsolicited pong without payload: ignored", [pong(), PROBE], Ok()),
        Case("2.7", "unsolicited pong with payload: ignored", [pong(b"unsolicited"), PROBE], Ok()),
        Case("2.8", "unsolicited pong, then ping: only the ping answered",
             [pong(b"p1"), ping(b"p2"), PROBE], Ok([b"p2"])),
        Case("2.9", "10 pings in a row, each answered in order",
             [b"".join(ping(b"ping-%d" % i) for i in range(10)), PROBE],
             Ok([b"ping-%d" % i for i in range(10)])),
        Case("2.10", "ping with 125 bytes sent in 1-byte chops", [Chop(ping(p125), 1), PROBE], Ok([p125])),
        Case("2.11", "ping with a 126-byte payload in the 16-bit form",
             [ping(bytes(126), length_bytes=2)], CloseWith(1002)),
        Case("2.12", "ping with 65535 bytes announced (16-bit form), no payload sent",
             [b"\x89\xfe\xff\xff" + MASK], CloseWith(1002)),
        Case("2.13", "ping with a payload of invalid UTF-8 (pings carry any bytes)",
             [ping(b"\xc0\xaf\xed\xa0\x80"), PROBE], Ok([b"\xc0\xaf\xed\xa0\x80"])),
    ]


def _group3():
    cases = []
    rsv_frames = [
        ("RSV1 on a text frame", text(b"Hello", rsv=4)),
        ("RSV2 on a text frame", text(b"Hello", rsv=2)),
        ("RSV3 on a text frame", text(b"Hello", rsv=1)),
        ("RSV1+RSV3 on a binary frame", binary(BINARY_PAYLOAD, rsv=5)),
        ("RSV1+2+3 on a binary frame", binary(BINARY_PAYLOAD, rsv=7)),
        ("RSV2 on a ping", ping(b"Hello", rsv=2)),
        ("RSV3 on a pong", pong(b"Hello", rsv=1)),
        ("RSV1 on a close", close(1000, rsv=4)),
        ("RSV2 on an empty text frame", text(b"", rsv=2)),
    ]
    for i, (desc, data) in enumerate(rsv_frames, 1):
        cases.append(Case(f"3.{i}", desc, [data], CloseWith(1002)))
    n = len(rsv_frames)
    cases += [
        Case(f"3.{n + 1}", "probe, then RSV1 on a text frame: the probe answered, then close",
             [PROBE, text(b"Hello", rsv=4)], CloseWith(1002, replies=1)),
        Case(f"3.{n + 2}", "RSV3 on the continuation of a fragmented text",
             [text(b"Hel", fin=False), cont(b"lo", rsv=1)], CloseWith(1002)),
        Case(f"3.{n + 3}", "RSV1 on a text frame sent in 1-byte chops", [Chop(text(b"Hello", rsv=4), 1)],
             CloseWith(1002)),
    ]
    return cases


def _group4():
    cases = []
    i = 0
    for opcode in (3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF):
        kind = "non-control" if opcode < 8 else "control"
        i += 1
        cases.append(Case(f"4.{i}", f"reserved {kind} opcode {opcode:#x}, no payload",
                          [frame(b"", opcode)], CloseWith(1002)))
        i += 1
        cases.append(Case(f"4.{i}", f"probe, then reserved opcode {opcode:#x} with payload",
                          [PROBE, frame(b"reserved", opcode)], CloseWith(1002, replies=1)))
    i += 1
    cases.append(Case(f"4.{i}", "reserved opcode 0x5 in the middle of a fragmented text",
                      [text(b"ab", fin=False), frame(b"x", 5), cont(b"cd")], CloseWith(1002)))
    return cases


def _group5():
    frags = [text(b"fragment1", fin=False), cont(b"fragment2")]
    return [
        Case("5.1", "ping in two fragments", [frame(b"pi", 9, fin=False), cont(b"ng")], CloseWith(1002)),
        Case("5.2", "pong in two fragments", [frame(b"po", 10, fin=False), cont(b"ng")], CloseWith(1002)),
        Case("5.3", "close in two fragments", [frame(b"\x03", 8, fin=False), cont(b"\xe8")],
             CloseWith(1002)),
        Case("5.4", "text in two fragments", frags + [PROBE], Ok()),
        Case("5.5", "text in two fragments, each sent in 1-byte chops", [Chop(b"".join(frags), 1), PROBE], Ok()),
        Case("5.6", "text in two fragments with a ping between",
             [frags[0], ping(b"between"), frags[1], PROBE], Ok([b"between"])),
        Case("5.7", "text in two fragments with a pong between", [frags[0], pong(b"x"), frags[1], PROBE], Ok()),
        Case("5.8", "text in two fragments with a ping between, all in 1-byte chops",
             [Chop(frags[0] + ping(b"chopped") + frags[1], 1), PROBE], Ok([b"chopped"])),
        Case("5.9", "the probe in 3 fragments", [ProbeFragments(3)], Ok()),
        Case("5.10", "the probe in 1-byte fragments with a ping between each two",
             [ProbeFragments(None, ping=b"in between")], Ok()),
        Case("5.11", "continuation (FIN) with no message started", [cont(b"orphan")], CloseWith(1002)),
        Case("5.12", "continuation (no FIN) with no message started", [cont(b"orphan", fin=False)],
             CloseWith(1002)),
        Case("5.13", "continuation (no FIN), then text (FIN), no message started",
             [cont(b"orphan", fin=False), text(b"text")], CloseWith(1002)),
        Case("5.14", "probe, then continuation with no message started",
             [PROBE, cont(b"orphan")], CloseWith(1002, replies=1)),
        Case("5.15", "text (no FIN), then a new text (FIN) before the message ended",
             [text(b"first", fin=False), text(b"second")], CloseWith(1002)),
        Case("5.16", "text (no FIN), then binary (no FIN)",
             [text(b"first", fin=False), binary(b"second", fin=False)], CloseWith(1002)),
        Case("5.17", "binary (no FIN), then text (FIN)", [binary(b"first", fin=False), text(b"x")],
             CloseWith(1002)),
        Case("5.18", "text from three empty fragments", [text(b"", fin=False), cont(b"", fin=False), cont(b""), PROBE],
             Ok()),
        Case("5.19", "binary in 3 fragments with pings between",
             [binary(b"ab", fin=False), ping(b"1"), cont(b"cd", fin=False), ping(b"2"), cont(b"ef"), PROBE],
             Ok([b"1", b"2"])),
        Case("5.20", "close 1000 in the middle of a fragmented text: answered",
             [text(b"unfinished", fin=False), close(1000)], CloseWith(1000)),
    ]


# UTF-8 sequences: (description, bytes)
UTF8_VALID = [
    ("ASCII and Latin-1 letters", "Hello-µ@ßöäüàá-UTF-8!!".encode()),
    ("Greek 'kosme'", "κόσμε".encode()),
    ("U+0080, the first 2-byte code point", b"\xc2\x80"),
    ("U+07FF, the last 2-byte code point", b"\xdf\xbf"),
    ("U+0800, the first 3-byte code point", b"\xe0\xa0\x80"),
    ("U+D7FF, just below the surrogates", b"\xed\x9f\xbf"),
    ("U+E000, just above the surrogates", b"\xee\x80\x80"),
    ("U+FEFF (byte order mark)", b"\xef\xbb\xbf"),
    ("U+FFFE and U+FFFF (noncharacters are valid)", b"\xef\xbf\xbe\xef\xbf\xbf"),
    ("U+10000, the first 4-byte code point", b"\xf0\x90\x80\x80"),
    ("U+10FFFF, the last code point", b"\xf4\x8f\xbf\xbf"),
    ("NUL and DEL", b"a\x00b\x7f"),
]
UTF8_INVALID = [
    ("lone continuation byte 0x80", b"\x80"),
    ("lone continuation byte 0xBF", b"a\xbfb"),
    ("2-byte start followed by a space", b"\xc2 "),
    ("3-byte sequence missing its last byte, then ASCII", b"\xe2\x82("),
    ("truncated 2-byte sequence at the end", b"abc\xc2"),
    ("truncated 4-byte sequence at the end", "κόσμε".encode() + b"\xf0\x90\x80"),
    ("overlong '/' in 2 bytes (C0 AF)", b"\xc0\xaf"),
    ("overlong '/' in 3 bytes (E0 80 AF)", b"\xe0\x80\xaf"),
    ("overlong '/' in 4 bytes (F0 80 80 AF)", b"\xf0\x80\x80\xaf"),
    ("overlong U+007F (C1 BF)", b"\xc1\xbf"),
    ("overlong U+07FF (E0 9F BF)", b"\xe0\x9f\xbf"),
    ("overlong U+FFFF (F0 8F BF BF)", b"\xf0\x8f\xbf\xbf"),
    ("surrogate U+D800", b"\xed\xa0\x80"),
    ("surrogate U+DFFF", b"\xed\xbf\xbf"),
    ("surrogate pair U+D800 U+DC00 (CESU-8)", b"\xed\xa0\x80\xed\xb0\x80"),
    ("U+110000, above the last code point", b"\xf4\x90\x80\x80"),
    ("F5 start byte (above U+10FFFF)", b"\xf5\x80\x80\x80"),
    ("5-byte sequence (F8)", b"\xf8\x88\x80\x80\x80"),
    ("6-byte sequence (FC)", b"\xfc\x84\x80\x80\x80\x80"),
    ("bytes FE and FF", b"\xfe\xff"),
    ("valid text, then a surrogate", "κόσμε".encode() + b"\xed\xa0\x80edited"),
]


def _group6():
    cases = [Case("6.1.1", "empty text message", [text(b""), PROBE], Ok())]
    for i, (desc, data) in enumerate(UTF8_VALID, 1):
        cases.append(Case(f"6.2.{i}", f"valid: {desc}", [text(data), PROBE], Ok()))
    for i, (desc, data) in enumerate(UTF8_INVALID, 1):
        cases.append(Case(f"6.3.{i}", f"invalid: {desc}", [text(data)], CloseWith(1007)))
    kosme = "κόσμε".encode()
    u10000 = b"\xf0\x90\x80\x80"
    cases += [
        Case("6.4.1", "'kosme' split inside a 2-byte code point",
             [text(kosme[:3], fin=False), cont(kosme[3:]), PROBE], Ok()),
        Case("6.4.2", "U+10000 as 4 fragments of 1 byte", [text(u10000[:1], fin=False),
                                                           cont(u10000[1:2], fin=False),
                                                           cont(u10000[2:3], fin=False),
                                                           cont(u10000[3:]), PROBE], Ok()),
        Case("6.4.3", "U+20AC (3 bytes) split after its first byte, a ping between",
             [text(b"\xe2", fin=False), ping(b"mid"), cont(b"\x82\xac"), PROBE], Ok([b"mid"])),
        Case("6.4.4", "'kosme' as one fragment per byte", [
            b"".join(frame(kosme[i:i + 1], 1 if i == 0 else 0, fin=i == len(kosme) - 1)
                     for i in range(len(kosme))), PROBE], Ok()),
        Case("6.5.1", "split: E2 82 | 28 (bad continuation in the 2nd fragment)",
             [text(b"\xe2\x82", fin=False), cont(b"\x28")], CloseWith(1007)),
        Case("6.5.2", "split: F4 | 90 80 80 (above U+10FFFF across fragments)",
             [text(b"\xf4", fin=False), cont(b"\x90\x80\x80")], CloseWith(1007)),
        Case("6.5.3", "split: ED | A0 80 (surrogate across fragments)",
             [text(b"\xed", fin=False), cont(b"\xa0\x80")], CloseWith(1007)),
        Case("6.5.4", "split: E0 | 80 AF (overlong across fragments)",
             [text(b"\xe0", fin=False), cont(b"\x80\xaf")], CloseWith(1007)),
        Case("6.5.5", "message ends inside a code point (F0 90 | 80, FIN)",
             [text(b"\xf0\x90", fin=False), cont(b"\x80")], CloseWith(1007)),
        # Fail fast: the server must not wait for the end of the message.
        Case("6.6.1", "fail fast: first fragment invalid (C0 AF), no more sent",
             [text(b"ok\xc0\xaf", fin=False)], CloseWith(1007)),
        Case("6.6.2", "fail fast: valid first fragment, invalid second, message never finished",
             [text(kosme, fin=False), cont(b"\xed\xa0\x80", fin=False)], CloseWith(1007)),
        Case("6.6.3", "fail fast: a fragment ending in F5 (can start nothing)",
             [text(b"abc\xf5", fin=False)], CloseWith(1007)),
        Case("6.6.4", "probe, then invalid text: the probe answered, then close",
             [PROBE, text(b"\xff")], CloseWith(1007, replies=1)),
        Case("6.7.1", "invalid UTF-8 in a binary message: not validated", [binary(b"\xc0\xaf\xff"), PROBE], Ok()),
    ]
    return cases


def _group7():
    cases = [
        Case("7.1.1", "close without payload: answered with an empty close", [close()], CloseWith(None)),
        Case("7.1.2", "close 1000 without reason", [close(1000)], CloseWith(1000)),
        Case("7.1.3", "close 1000 with a reason", [close(1000, b"bye")], CloseWith(1000)),
        Case("7.1.4", "close 1000 with a 123-byte reason (125 bytes: the maximum)",
             [close(1000, b"r" * 123)], CloseWith(1000)),
        Case("7.1.5", "close with a 124-byte reason (126 bytes)", [close(1000, b"r" * 124)], CloseWith(1002)),
        Case("7.1.6", "close with a 1-byte payload", [frame(b"\x03", 8)], CloseWith(1002)),
        Case("7.1.7", "close with a valid UTF-8 reason", [close(1000, "κόσμε".encode())], CloseWith(1000)),
        Case("7.1.8", "close with an invalid UTF-8 reason", [close(1000, b"\xce\xba\xed\xa0\x80")],
             CloseWith(1007)),
        Case("7.1.9", "close with a truncated UTF-8 reason", [close(1000, b"ok\xe2\x82")], CloseWith(1007)),
        Case("7.2.1", "close 1000, then a text message: ignored", [close(1000), PROBE], CloseWith(1000)),
        Case("7.2.2", "close 1000, then a ping: not answered", [close(1000), ping(b"late")], CloseWith(1000)),
        Case("7.2.3", "close 1000, then garbage: ignored", [close(1000), b"\xff" * 64], CloseWith(1000)),
        Case("7.2.4", "probe, then close: the probe answered first", [PROBE, close(1000)],
             CloseWith(1000, replies=1)),
        Case("7.2.5", "close 1000 then another close 1001", [close(1000), close(1001)], CloseWith(1000)),
    ]
    valid = (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999)
    for i, code in enumerate(valid, 1):
        cases.append(Case(f"7.3.{i}", f"close with valid code {code}: echoed", [close(code)], CloseWith(code)))
    invalid = (0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535)
    for i, code in enumerate(invalid, 1):
        cases.append(Case(f"7.4.{i}", f"close with invalid code {code}", [close(code)], CloseWith(1002)))
    return cases


def _group9():
    cap = 64 * 1024
    return [
        Case("9.1.1", "text message of 65535 bytes (cap - 1)", [text(_bytes_of(cap - 1)), PROBE], Ok()),
        Case("9.1.2", "text message of 65536 bytes (the cap)", [text(_bytes_of(cap)), PROBE], Ok()),
        Case("9.1.3", "text message of 65537 bytes (cap + 1)", [text(_bytes_of(cap + 1))], CloseWith(1009)),
        Case("9.1.4", "binary message of 65537 bytes (cap + 1)", [binary(_bytes_of(cap + 1))], CloseWith(1009)),
        Case("9.1.5", "binary message of 1 MiB", [binary(bytes(1 << 20))], CloseWith(1009)),
        Case("9.1.6", "a header announcing 2^40 bytes, no payload: refused at once",
             [b"\x82\xff" + (1 << 40).to_bytes(8, "big") + MASK], CloseWith(1009)),
        Case("9.2.1", "65536 bytes in 64 fragments of 1 KiB", [
            b"".join(frame(_bytes_of(1024), 1 if i == 0 else 0, fin=i == 63) for i in range(64)), PROBE], Ok()),
        Case("9.2.2", "65537 bytes in 65 fragments: the last one is over the cap", [
            b"".join(frame(_bytes_of(1024), 1 if i == 0 else 0, fin=False) for i in range(64)),
            cont(b"x")], CloseWith(1009)),
        Case("9.2.3", "65536 one-byte fragments (the cap), sent in 64 KiB chops", [
            Chop(text(b"a", fin=False) + cont(b"a", fin=False) * (cap - 2) + cont(b"a"), 65536), PROBE], Ok()),
        Case("9.2.4", "4096 fragments of 16 bytes with a ping every 1024",
             [b"".join(frame(_bytes_of(16), 1 if i == 0 else 0, fin=i == 4095) +
                       (ping(b"%d" % i) if i % 1024 == 1023 else b"") for i in range(4096)), PROBE],
             Ok([b"1023", b"2047", b"3071", b"4095"])),
        Case("9.3.1", "1000 small text messages, then the probe", [text(b"small") * 1000, PROBE], Ok()),
        Case("9.3.2", "1000 empty binary messages, then the probe", [binary(b"") * 1000, PROBE], Ok()),
        Case("9.3.3", "100 pings of 125 bytes: 100 pongs", [ping(bytes(125)) * 100, PROBE], Ok([bytes(125)] * 100)),
    ]


def all_cases():
    return _group1() + _group2() + _group3() + _group4() + _group5() + _group6() + _group7() + _group9()
