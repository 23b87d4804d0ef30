"""`s7log demo`: the fake PLC, the logger and the live page in one process, driven like a user."""
import json
import re
import signal
import tempfile
import time
import unittest
import urllib.request

import harness
from harness import Proc, run, free_port


class DemoTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def start(self, *extra):
        plc_port = free_port()
        p = Proc(["demo", "--plc-port", str(plc_port), "--live", "127.0.0.1:0", "--interval", "200ms"]
                 + list(extra), cwd=self.tmp.name)
        self.addCleanup(p.stop)
        url = re.search(r"http://127\.0\.0\.1:\d+/", p.wait_line("live chart :", timeout=15)).group(0)
        return p, plc_port, url

    def test_prints_url_and_next_steps_and_serves_live_data(self):
        p, plc_port, url = self.start()
        p.wait_line(f"s7log write --port {plc_port} DB1.DBW20:INT=123")
        p.wait_line("log.csv")
        p.wait_line("LOG: ", timeout=10)
        with urllib.request.urlopen(url + "api/latest", timeout=5) as r:
            latest = json.load(r)
        self.assertEqual(latest["values"]["temperature"], 25)
        self.assertAlmostEqual(latest["values"]["pressure"], 1.23, places=6)

    def test_write_from_another_process_prints_write_line(self):
        p, plc_port, _ = self.start()
        r = run(["write", "--port", str(plc_port), "DB1.DBW20:INT=123"])
        self.assertEqual(r.returncode, 0, r.stderr)
        line = p.wait_line("WRITE: ", timeout=5)
        self.assertIn("'setpoint_int': 123", line)

    def test_duration_stops_by_itself_and_leaves_the_course_csv(self):
        p, _, _ = self.start("--duration", "1500ms")
        p.p.wait(timeout=20)
        self.assertEqual(p.p.returncode, 0, "\n".join(p.err))
        p.stop()
        with open(f"{self.tmp.name}/log.csv", newline="") as f:
            rows = f.read().split("\r\n")
        self.assertEqual(rows[0], "ts,counter,temperature,pressure,alarm,mode_ro")
        self.assertGreaterEqual(len([r for r in rows[1:] if r]), 3)
        self.assertTrue(any("stopped:" in l for l in p.out), "\n".join(p.out))

    def test_ctrl_c_stops_everything_cleanly(self):
        p, plc_port, _ = self.start()
        p.wait_line("LOG: ", timeout=10)
        self.assertEqual(p.stop(signal.SIGINT), 0)
        self.assertTrue(any("s7log demo: stopped" in l for l in p.out))
        # the fake PLC's port is free again
        r = run(["read", "--port", str(plc_port), "--timeout", "1s", "DB1.DBW4"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("refused", r.stderr)


if __name__ == "__main__":
    harness.main()
