"""s7log bench against the real fake PLC with bench/fakeplc.toml: JSON fields present, data checked."""
import json
import os
import unittest

import harness

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                      "fakeplc.toml")


class BenchAgainstFakePlc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plc, cls.port = harness.start_fakeplc(["--config", CONFIG])

    @classmethod
    def tearDownClass(cls):
        cls.plc.stop()

    def bench(self, *args):
        r = harness.run(["bench", "--port", str(self.port), "--duration", "0.5"] + list(args))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        return json.loads(lines[0])

    def test_each_workload_prints_rates_and_verified_data(self):
        for test, size, bytes_per_read in (("seq", 4096, 12), ("multi", 4096, 40),
                                           ("large", 4096, 4096), ("large", 65536, 65536)):
            with self.subTest(test=test, size=size):
                d = self.bench("--test", test, "--size", str(size))
                for key in ("reads_per_s", "p50_us", "p99_us"):
                    self.assertIn(key, d)
                self.assertGreater(d["reads"], 0)
                self.assertEqual(d["bytes_per_read"], bytes_per_read)
                self.assertTrue(d["verified"], d)
                self.assertEqual(d["bad_data"], 0)

    def test_several_connections_add_up(self):
        d = self.bench("--connections", "4")
        self.assertEqual(d["connections"], 4)
        self.assertEqual(d["errors"], 0)
        self.assertTrue(d["verified"], d)

    def assert_pattern_check_fails(self, *extra):
        # The course's fake PLC has generator values in DB1, not byte i = i mod 256.
        plc, port = harness.start_fakeplc()
        try:
            r = harness.run(["bench", "--port", str(port), "--duration", "0.2", "--test", "seq"]
                            + list(extra))
            self.assertEqual(r.returncode, 1, r.stdout)
            d = json.loads(r.stdout.strip().splitlines()[-1])
            self.assertFalse(d["verified"])
            self.assertGreater(d["bad_data"], 0)
        finally:
            plc.stop()

    def test_data_that_is_not_the_pattern_fails_the_check(self):
        self.assert_pattern_check_fails()

    def test_raw_load_generator_checks_every_answer(self):
        # One connection takes the blocking path (no epoll), several the epoll loop.
        for connections in (1, 8):
            for test, bytes_per_read in (("seq", 12), ("multi", 40)):
                with self.subTest(test=test, connections=connections):
                    d = self.bench("--raw", "--connections", str(connections), "--test", test)
                    self.assertTrue(d["raw"])
                    self.assertEqual(d["connections"], connections)
                    self.assertEqual(d["bytes_per_read"], bytes_per_read)
                    self.assertEqual(d["errors"], 0)
                    self.assertGreater(d["reads"], 8)
                    self.assertTrue(d["verified"], d)

    def test_raw_single_connection_gives_up_on_a_server_that_stops_answering(self):
        plc, port = harness.start_fakeplc(["--config", CONFIG, "--delay", "3s@0.5s..60s"])
        try:
            r = harness.run(["bench", "--port", str(port), "--duration", "2", "--raw",
                             "--timeout", "300ms"])
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            d = json.loads(r.stdout.strip().splitlines()[-1])
            self.assertEqual(d["errors"], 1, d)
            self.assertIn("no answer", r.stderr)
        finally:
            plc.stop()

    def test_raw_load_generator_notices_wrong_data_and_refusals(self):
        self.assert_pattern_check_fails("--raw")
        r = harness.run(["bench", "--port", str(self.port), "--duration", "0.2", "--raw",
                         "--slot", "3"])
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn(f"127.0.0.1:{self.port}", r.stderr)
        self.assertIn("slot 3", r.stderr)
        r = harness.run(["bench", "--port", str(self.port), "--raw", "--test", "large"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--raw", r.stderr)

    def test_unknown_workload_is_a_usage_error(self):
        r = harness.run(["bench", "--port", str(self.port), "--test", "random"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--test random", r.stderr)


if __name__ == "__main__":
    harness.main()
