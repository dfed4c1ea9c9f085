"""Limits that protect a small host: request deadline, unread replies,
oversized WebSocket messages."""
import socket
import time

from harness import Statd, metric_value, ws_frame, ws_handshake


def test_slow_request_is_dropped_at_the_deadline():
    with Statd() as d:
        s = socket.create_connection(("127.0.0.1", d.port), timeout=1)
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        start = time.monotonic()
        closed_after = None
        while time.monotonic() - start < 16:  # a header line every 2 s never finishes
            try:
                s.sendall(b"X-Slow: 1\r\n")
                data = s.recv(4096)
                if data == b"":
                    closed_after = time.monotonic() - start
                    break
            except socket.timeout:
                time.sleep(1)
            except OSError:
                closed_after = time.monotonic() - start
                break
        s.close()
        assert closed_after is not None and 8 <= closed_after <= 13, closed_after
        assert d.get("/healthz")[0] == 200


def test_client_that_never_reads_is_dropped():
    with Statd("--send-timeout", "1") as d:
        s = ws_handshake(d.port, rcvbuf=4096)
        s.setblocking(False)
        sent = 0
        frame = ws_frame("get_processes")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and sent < 20000:
            try:
                s.send(frame)
                sent += 1
            except BlockingIOError:
                break  # statd stopped reading: its replies are queued
            except OSError:
                break
        time.sleep(3)
        # Only the scrape's own connection is left.
        assert metric_value(d, "statd_connected_clients") == 1
        s.close()


def test_oversized_websocket_message_gets_1009():
    with Statd() as d:
        s = ws_handshake(d.port)
        s.sendall(ws_frame(b"x" * (64 * 1024 + 1), opcode=2))
        data = b""
        while len(data) < 4:
            chunk = s.recv(64)
            if not chunk:
                break
            data += chunk
        assert data[:4] == b"\x88\x02\x03\xf1", data  # Close, 1009
        s.close()
