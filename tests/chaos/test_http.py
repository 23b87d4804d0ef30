"""Hostile and slow HTTP peers against the live page of `s7log run --live` (docs/live.md,
"Limits and security"): a 1 GiB request body is refused without being read (the logger's peak
RSS stays small), 200 SSE clients plus 30 clients that send their request a byte a second leave
/api/latest and /metrics answering, every worker is free again after the attack, and the logger
writes every row all along.

Usage: python3 tests/chaos/test_http.py build/dev/apps/s7log/s7log  (PYTHONPATH=tests/integration)
"""
import http.client
import os
import re
import selectors
import signal
import socket
import sys
import tempfile
import threading
import time
import unittest

import harness
from harness import Proc, start_fakeplc

# The logger's peak resident memory (VmHWM) may grow at most this much over its RSS before the
# attack (relative, so that the bound holds for ASan builds too, which start near 140 MiB).
RSS_GROWTH_KIB = 64 * 1024
GIB = 1 << 30
SSE_CLIENTS = 200
SLOW_CLIENTS = 30
MAX_STREAMS = 16  # docs/live.md: at most 16 streams at once
ANSWER_TIMEOUT = 10.0  # generous: the test asserts that answers come, not how fast


def proc_status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def status_of(answer):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return int(m.group(1)) if m else None


def read_answer(sock, timeout=ANSWER_TIMEOUT):
    """Reads until the server closes the connection (or timeout); returns the bytes."""
    sock.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
    return data


class Attack(threading.Thread):
    """SSE clients that read whatever comes, and slow clients that send their request head a byte
    a second (and connect again when the server cuts them off), all on one selector."""

    def __init__(self, port, streams, slow):
        super().__init__(daemon=True)
        self.port = port
        self.sel = selectors.DefaultSelector()
        self.halt = threading.Event()
        self.lock = threading.Lock()
        self.stream_status = {}  # socket -> first status code seen
        self.slow_socks = set()
        self.slow_cutoffs = 0  # slow clients the server closed
        self.slow_408 = 0  # ... after answering 408
        self.slow_other = []  # any other answer a slow client got (must stay empty)
        self.retry_after = 0
        self.sse_refused_closed = 0
        for _ in range(streams):
            s = self._connect()
            s.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                      "Accept: text/event-stream\r\n\r\n".encode())
            self.stream_status[s] = None
            self.sel.register(s, selectors.EVENT_READ, ("sse", bytearray()))
        for _ in range(slow):
            self._new_slow()

    def _connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=ANSWER_TIMEOUT)
        s.setblocking(False)
        return s

    def _new_slow(self):
        s = self._connect()
        # The request line at once, then the headers a byte a second, never finished.
        s.sendall(f"GET /api/latest HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n".encode())
        self.slow_socks.add(s)
        self.sel.register(s, selectors.EVENT_READ, ("slow", bytearray()))

    def _drop(self, s):
        self.sel.unregister(s)
        s.close()

    def counts(self):
        with self.lock:
            statuses = list(self.stream_status.values())
            return {"streams": statuses.count(200), "refused": statuses.count(503),
                    "pending": statuses.count(None),
                    "other": [x for x in statuses if x not in (None, 200, 503)],
                    "retry_after": self.retry_after, "slow_cutoffs": self.slow_cutoffs,
                    "slow_408": self.slow_408, "slow_other": list(self.slow_other)}

    def run(self):
        next_byte = time.monotonic() + 1.0
        while not self.halt.is_set():
            for key, _ in self.sel.select(timeout=0.1):
                s = key.fileobj
                kind, buf = key.data
                try:
                    data = s.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                with self.lock:
                    if kind == "sse":
                        if self.stream_status[s] is None and data:
                            buf += data
                            if b"\r\n" in buf:
                                self.stream_status[s] = status_of(bytes(buf))
                                if self.stream_status[s] == 503 and b"\r\nRetry-After: " in buf:
                                    self.retry_after += 1
                                buf.clear()
                        if not data:  # refused streams end (kept-alive socket times out)
                            if self.stream_status[s] == 503:
                                self.sse_refused_closed += 1
                            self._drop(s)
                    else:
                        buf += data
                        if not data:
                            self.slow_cutoffs += 1
                            code = status_of(bytes(buf))
                            if code == 408:
                                self.slow_408 += 1
                            elif code is not None:
                                self.slow_other.append(code)
                            self.slow_socks.discard(s)
                            self._drop(s)
                            self._new_slow()
            if time.monotonic() >= next_byte:
                next_byte += 1.0
                with self.lock:
                    for s in list(self.slow_socks):
                        try:
                            s.send(b"X" if s.fileno() % 2 else b"-")
                        except OSError:
                            pass  # cut off: its EOF arrives through the selector
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()
        self.sel.close()

    def stop(self):
        self.halt.set()
        self.join(timeout=10)


class HttpChaosTest(unittest.TestCase):
    def setUp(self):
        harness.S7LOG = os.path.abspath(harness.S7LOG)  # the logger runs in a temporary folder
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.plc, plc_port = start_fakeplc()
        self.addCleanup(self.stop_proc, self.plc)
        self.csv = os.path.join(self.tmp.name, "log.csv")
        self.logger = Proc(["run", "--port", str(plc_port), "--live", "127.0.0.1:0",
                            "--interval", "0.1s", "--out", self.csv], cwd=self.tmp.name,
                           env={"S7LOG_LIVE_ALLOWED_HOSTS": "logger.test, other.test"})
        self.addCleanup(self.stop_proc, self.logger)
        line = self.logger.wait_line("live chart at", timeout=15)
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        self.host, self.port = m.group(1), int(m.group(2))
        self.logger.wait_line("LOG: ", timeout=15)
        self.pid = self.logger.p.pid

    @staticmethod
    def stop_proc(proc):
        proc.stop()
        proc.p.stdout.close()
        proc.p.stderr.close()

    def get(self, path, headers=None, full=False):
        c = http.client.HTTPConnection(self.host, self.port, timeout=ANSWER_TIMEOUT)
        try:
            c.request("GET", path, headers=headers or {})
            r = c.getresponse()
            body = r.read()
            return (r.status, body, r.getheaders()) if full else (r.status, body)
        finally:
            c.close()

    def open_stream(self):
        """GET /events: the answer's head, and for a 200 up to its first event (hello)."""
        s = socket.create_connection((self.host, self.port), timeout=ANSWER_TIMEOUT)
        try:
            s.sendall(f"GET /events HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data
                data += chunk
                if b"\r\n\r\n" in data and (status_of(data) != 200 or b"event: hello" in data):
                    return data
        finally:
            s.close()

    def huge_body(self, chunked):
        """Streams a 1 GiB body until the answer arrives; returns (answer, body bytes sent)."""
        s = socket.create_connection((self.host, self.port), timeout=ANSWER_TIMEOUT)
        head = f"POST / HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {GIB}\r\n\r\n"
        s.sendall(head.encode())
        block = b"\0" * (64 * 1024)
        if chunked:
            block = b"%x\r\n" % len(block) + block + b"\r\n"
        sent = 0
        sel = selectors.DefaultSelector()
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
        try:
            while sent < GIB:
                events = sel.select(timeout=ANSWER_TIMEOUT)
                if not events or any(mask & selectors.EVENT_READ for _, mask in events):
                    break  # the answer (or nothing at all for a long time): stop sending
                try:
                    sent += s.send(block)
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    break
            answer = read_answer(s)
        finally:
            sel.close()
            s.close()
        return answer, sent

    def test_hostile_and_slow_peers(self):
        rss_start = proc_status_kib(self.pid, "VmRSS")

        # 0. Host check (names from S7LOG_LIVE_ALLOWED_HOSTS pass), nosniff, no CORS headers.
        for host, want in ((f"127.0.0.1:{self.port}", 200), ("localhost", 200),
                           (f"logger.test:{self.port}", 200), ("evil.example", 421),
                           (f"evil.example:{self.port}", 421)):
            status, body, headers = self.get("/api/latest", {"Host": host,
                                                             "Origin": "http://evil.example"},
                                             full=True)
            self.assertEqual(status, want, f"{host}: {body[:200]!r}")
            names = {k.lower(): v for k, v in headers}
            self.assertEqual(names.get("x-content-type-options"), "nosniff", host)
            self.assertFalse([k for k in names if k.startswith("access-control-")], headers)

        # 1. A 1 GiB body, announced by Content-Length and chunked: 413 at once, body unread.
        for chunked in (False, True):
            answer, sent = self.huge_body(chunked)
            self.assertEqual(status_of(answer), 413, answer[:300])
            self.assertIn(b"Connection: close", answer)
            self.assertLess(sent, GIB, "the whole body was taken before the answer")
            print(f"1 GiB {'chunked ' if chunked else ''}POST: 413 after {sent} body bytes sent",
                  file=sys.stderr)
        peak = proc_status_kib(self.pid, "VmHWM")
        print(f"logger RSS {rss_start} KiB at start, peak {peak} KiB", file=sys.stderr)
        self.assertLess(peak, rss_start + RSS_GROWTH_KIB)
        self.assertEqual(self.get("/api/latest")[0], 200)

        # 2. 200 SSE clients and 30 byte-a-second clients; a healthy client is still answered.
        attack = Attack(self.port, SSE_CLIENTS, SLOW_CLIENTS)
        attack.start()
        try:
            deadline = time.monotonic() + 20
            while attack.counts()["pending"] and time.monotonic() < deadline:
                time.sleep(0.05)
            counts = attack.counts()
            self.assertEqual(counts["pending"], 0, counts)
            self.assertEqual(counts["streams"], MAX_STREAMS, counts)
            self.assertEqual(counts["refused"], SSE_CLIENTS - MAX_STREAMS, counts)
            self.assertEqual(counts["retry_after"], SSE_CLIENTS - MAX_STREAMS, counts)
            self.assertEqual(counts["other"], [], counts)
            # The healthy client, spread over 7 s so that it meets the slow clients being cut
            # off (head deadline 5 s) and connecting again.
            slowest = 0.0
            for i in range(20):
                for path in ("/api/latest", "/metrics"):
                    t0 = time.monotonic()
                    status, body = self.get(path)
                    slowest = max(slowest, time.monotonic() - t0)
                    self.assertEqual(status, 200, f"{path} #{i}: {body[:200]!r}")
                    if path == "/metrics":
                        self.assertIn(b"s7log_live_clients 16\n", body)
                time.sleep(0.35)
            status, body = self.get("/events")  # streams are full: refused, not queued
            self.assertEqual(status, 503, body)
            deadline = time.monotonic() + 15  # the head deadline (5 s) has passed for most by now
            while attack.counts()["slow_408"] < SLOW_CLIENTS and time.monotonic() < deadline:
                time.sleep(0.1)
            counts = attack.counts()
            print(f"under attack: {counts['streams']} streams, {counts['refused']} refused "
                  f"(503), 40 healthy GETs all 200, slowest {slowest * 1000:.0f} ms; slow "
                  f"clients cut off {counts['slow_cutoffs']} times ({counts['slow_408']} with "
                  f"408)", file=sys.stderr)
            # Each byte-a-second client was cut off at the head deadline, with a 408.
            self.assertGreaterEqual(counts["slow_408"], SLOW_CLIENTS, counts)
            self.assertEqual(counts["slow_other"], [], counts)
        finally:
            attack.stop()

        # 3. After the attack every worker is free again.
        for i in range(20):
            self.assertEqual(self.get("/api/latest")[0], 200, i)
        deadline = time.monotonic() + 10
        while True:  # the stream workers notice their clients are gone at their next write
            first = self.open_stream()
            if status_of(first) == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(status_of(first), 200, first[:300])
        self.assertIn(b"event: hello", first)
        peak = proc_status_kib(self.pid, "VmHWM")
        print(f"logger peak RSS after everything: {peak} KiB", file=sys.stderr)
        self.assertLess(peak, rss_start + RSS_GROWTH_KIB)

        # 4. The logger wrote every row throughout.
        rc = self.logger.stop(signal.SIGTERM)
        self.assertEqual(rc, 0, "\n".join(self.logger.err[-20:]))
        summary = next(l for l in self.logger.out + self.logger.err if l.startswith("stopped: "))
        rows = int(re.match(r"stopped: (\d+) rows", summary).group(1))
        with open(self.csv) as f:
            csv_rows = len(f.read().splitlines()) - 1
        print(f"logger: {summary}; {csv_rows} rows in the CSV", file=sys.stderr)
        self.assertEqual(csv_rows, rows, summary)
        self.assertGreater(rows, 0)
        self.assertNotIn("dropped", summary)
        self.assertNotIn("not written", summary)


if __name__ == "__main__":
    harness.main()
