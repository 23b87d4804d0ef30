"""The live page's server is a module (s7log-live.so) loaded only by `run --live` and `demo`:
without --live the logger maps none of the HTTP server's code, with --live it serves; a binary
without its module says where it looked."""
import json
import os
import re
import shutil
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import harness
from harness import Proc, run, start_fakeplc

WEB_STACK = ("libcpp-httplib", "libssl", "libcrypto", "libbrotli", "s7log-live.so")


def mapped_libraries(pid):
    with open(f"/proc/{pid}/maps") as f:
        return {line.split()[-1] for line in f if "/" in line}


class LiveModuleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.procs = []
        proc, self.port = start_fakeplc()
        self.procs.append(proc)
        self.module = os.path.join(os.path.dirname(harness.S7LOG), "s7log-live.so")

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop()
        self.tmp.cleanup()

    def logger(self, *extra, exe=None, env=None):
        p = Proc(["run", "--port", str(self.port), "--interval", "200ms"] + list(extra),
                 cwd=self.dir, exe=exe, env=env)
        self.procs.append(p)
        return p

    def lonely_binary(self):
        """A copy of s7log in a directory without s7log-live.so."""
        d = os.path.join(self.dir, "bin-only")
        os.mkdir(d)
        exe = os.path.join(d, "s7log")
        shutil.copy2(harness.S7LOG, exe)
        return exe

    def get_latest(self, url, timeout=10):
        # The console's LOG: line and the live feed are fed by separate queues: the feed may
        # get the first sample a moment after the line was printed.
        deadline = time.monotonic() + timeout
        while True:
            with urllib.request.urlopen(url + "api/latest", timeout=10) as r:
                latest = json.loads(r.read())
            if latest.get("values") or time.monotonic() > deadline:
                return latest
            time.sleep(0.05)

    def test_logger_without_live_maps_no_web_stack(self):
        p = self.logger("--out", "plain.csv")
        p.wait_line("LOG: ")
        libs = mapped_libraries(p.p.pid)
        for name in WEB_STACK:
            self.assertFalse(any(name in lib for lib in libs), f"{name} is mapped: {sorted(libs)}")

    def test_live_loads_the_module_and_serves(self):
        p = self.logger("--out", "live.csv", "--live", "127.0.0.1:0")
        url = re.search(r"http://\S+/", p.wait_line("live chart at")).group(0)
        p.wait_line("LOG: ")
        self.assertTrue(any(lib.endswith("/s7log-live.so") for lib in mapped_libraries(p.p.pid)))
        latest = self.get_latest(url)
        self.assertEqual(latest["values"]["temperature"], 25)
        self.assertEqual(latest["values"]["mode_ro"], 7)

    def test_live_host_names_are_answered_and_others_refused(self):
        p = self.logger("--out", "hosts.csv", "--live", "127.0.0.1:0", "--live-host",
                        "logger.plant.local", "--live-host", "Logger")
        url = re.search(r"http://\S+/", p.wait_line("live chart at")).group(0)
        p.wait_line("LOG: ")

        def status(host):
            req = urllib.request.Request(url + "api/latest", headers={"Host": host})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        self.assertEqual(status("logger.plant.local:8080"), 200)
        self.assertEqual(status("logger"), 200)
        self.assertEqual(status("evil.example"), 421)

    def test_binary_without_module_says_where_it_looked_and_logs_without_live(self):
        exe = self.lonely_binary()
        r = run(["run", "--port", str(self.port), "--live", "127.0.0.1:0", "--out", "x.csv"],
                cwd=self.dir, exe=exe, timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("s7log-live.so", r.stderr)
        self.assertIn(os.path.join(os.path.dirname(exe), "s7log-live.so") + " (not there)", r.stderr)
        self.assertIn("S7LOG_LIVE_MODULE", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.csv")), "nothing starts")
        r = run(["run", "--port", str(self.port), "--count", "1", "--out", "y.csv"], cwd=self.dir,
                exe=exe, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.dir, "y.csv")) as f:
            self.assertEqual(len(f.read().splitlines()), 2)

    def test_environment_variable_names_the_module(self):
        exe = self.lonely_binary()
        p = self.logger("--out", "env.csv", "--live", "127.0.0.1:0", exe=exe,
                        env={"S7LOG_LIVE_MODULE": self.module})
        url = re.search(r"http://\S+/", p.wait_line("live chart at")).group(0)
        p.wait_line("LOG: ")
        self.assertEqual(self.get_latest(url)["values"]["temperature"], 25)

    def test_a_library_that_is_not_the_module_is_refused(self):
        exe = self.lonely_binary()
        other = next(p for p in ("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1")
                     if os.path.exists(p))
        r = run(["run", "--port", str(self.port), "--live", "127.0.0.1:0", "--out", "z.csv"],
                cwd=self.dir, exe=exe, env={"S7LOG_LIVE_MODULE": other}, timeout=30)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(other + " (not an s7log live module)", r.stderr)


if __name__ == "__main__":
    harness.main()
