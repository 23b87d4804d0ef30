"""Chaos: a stdout that nobody reads, for the logger and for the fake PLC.

A pipe whose reader never reads fills up (here shrunk to one page so it fills in moments). Before,
the logger wrote its LOG lines on the sampling thread and the fake PLC its lines on the network
thread: both froze, and SIGTERM waited for the pipe. Now a writer thread drops what does not fit.
"""
import fcntl
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import unittest

import harness

F_SETPIPE_SZ = 1031  # fcntl.h (Linux)


def blocked_stdout():
    """A pipe of one page whose read end we hold and never read: (read_fd, write_fd)."""
    r, w = os.pipe()
    fcntl.fcntl(w, F_SETPIPE_SZ, 4096)
    return r, w


def rows_of(path):
    with open(path, newline="") as f:
        return [l for l in f.read().split("\r\n") if l][1:]


class BlockedStdout(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.tmp.cleanup()

    def spawn(self, args, stdout):
        p = subprocess.Popen([harness.S7LOG] + args, cwd=self.tmp.name, stdin=subprocess.DEVNULL,
                             stdout=stdout, stderr=subprocess.DEVNULL)
        self.procs.append(p)
        return p

    def test_logger_keeps_sampling_and_stops_on_sigterm(self):
        plc, port = harness.start_fakeplc()
        try:
            r, w = blocked_stdout()
            stats = os.path.join(self.tmp.name, "stats.json")
            p = self.spawn(["run", "--port", str(port), "--interval", "20ms",
                            "--stats-json", stats], stdout=w)
            os.close(w)
            csv = os.path.join(self.tmp.name, "log.csv")
            # Far more LOG lines than the pipe holds: at 20 ms, 150 rows of ~100 bytes.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if os.path.exists(csv) and len(rows_of(csv)) >= 150:
                    break
                time.sleep(0.1)
            self.assertGreaterEqual(len(rows_of(csv)), 150, "sampling stalled behind stdout")
            p.send_signal(signal.SIGTERM)
            try:
                code = p.wait(timeout=20)  # before: waited for the pipe to drain, i.e. forever
            except subprocess.TimeoutExpired:
                self.fail("SIGTERM did not stop the logger while its stdout was blocked")
            os.close(r)
            self.assertEqual(code, 0)
            with open(stats) as f:
                st = json.load(f)
            rows = rows_of(csv)
            self.assertEqual(len(rows), st["samples_written"])  # every row of the run is there
            self.assertGreater(st["console_lines_dropped"], 0)  # and the drops are counted
            self.assertLess(st["skipped_samples"], len(rows) // 4, st)  # sampling went on
        finally:
            plc.stop()

    def test_csv_on_a_pipe_that_stalls_waits_in_memory_and_arrives_whole(self):
        # --out -: the CSV itself on a pipe whose reader pauses. Rows wait in memory (sampling
        # goes on), then arrive in order, whole, each once, when the reader reads again.
        plc, port = harness.start_fakeplc()
        try:
            r, w = blocked_stdout()
            stats = os.path.join(self.tmp.name, "stats.json")
            p = self.spawn(["run", "--port", str(port), "--interval", "20ms", "--out", "-",
                            "--stats-json", stats], stdout=w)
            os.close(w)
            time.sleep(4)  # ~200 rows of ~50 bytes: far more than the one-page pipe holds
            chunks = []
            reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: os.read(r, 65536), b"")))
            reader.start()
            time.sleep(2)
            p.send_signal(signal.SIGTERM)
            self.assertEqual(p.wait(timeout=20), 0)
            reader.join(timeout=20)
            os.close(r)
            lines = b"".join(chunks).decode().split("\r\n")
            self.assertEqual(lines[0], "ts,counter,temperature,pressure,alarm,mode_ro")
            self.assertEqual(lines[-1], "")  # ends with a whole row
            rows = lines[1:-1]
            with open(stats) as f:
                st = json.load(f)
            self.assertEqual(len(rows), st["samples_written"])
            stamps = [row.split(",")[0] for row in rows]
            self.assertEqual(stamps, sorted(set(stamps)))  # in order, each once
            for row in rows:
                self.assertEqual(len(row.split(",")), 6, row)
            self.assertGreater(len(rows), 150)
            self.assertLess(st["skipped_samples"], len(rows) // 4, st)  # sampling went on
        finally:
            plc.stop()

    def test_fake_plc_keeps_serving_and_stops_on_sigterm(self):
        r, w = blocked_stdout()
        port = harness.free_port()
        plc = self.spawn(["fakeplc", "--port", str(port), "-v"], stdout=w)
        os.close(w)
        # Wait until it listens (its ready line went into the pipe): try to read until it answers.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if harness.run(["read", "--port", str(port), "DB1.DBW4"]).returncode == 0:
                break
            time.sleep(0.1)
        # -v prints a line per request: thousands of lines into a one-page pipe.
        load = harness.run(["bench", "--port", str(port), "--duration", "1s", "--no-verify"],
                           timeout=60)
        self.assertEqual(load.returncode, 0, load.stderr)
        # A healthy client is still served, every time.
        for _ in range(20):
            got = harness.run(["read", "--port", str(port), "--timeout", "5s", "DB1.DBW4"])
            self.assertEqual(got.returncode, 0, got.stderr)
            self.assertEqual(got.stdout.strip(), "DB1.DBW4 = 25")
        plc.send_signal(signal.SIGTERM)
        try:
            self.assertEqual(plc.wait(timeout=20), 0)
        except subprocess.TimeoutExpired:
            self.fail("SIGTERM did not stop the fake PLC while its stdout was blocked")
        os.close(r)


if __name__ == "__main__":
    harness.main()
