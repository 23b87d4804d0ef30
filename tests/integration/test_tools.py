"""s7log read / write / info against the real `s7log fakeplc` on a loopback port."""
import json
import os
import tempfile
import unittest

import harness


class ToolsAgainstFakePlc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plc, cls.port = harness.start_fakeplc()

    @classmethod
    def tearDownClass(cls):
        cls.plc.stop()

    def tool(self, *args):
        return harness.run([args[0], "--port", str(self.port)] + list(args[1:]))

    def test_read_prints_the_course_values(self):
        r = self.tool("read", "DB1.DBW4", "DB1.DBD6:REAL", "DB1.DBB11")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(),
                         ["DB1.DBW4 = 25", "DB1.DBD6:REAL = 1.23", "DB1.DBB11 = 7"])

    def test_read_json_is_one_object_keyed_by_the_typed_addresses(self):
        r = self.tool("read", "--json", "DB1.DBW4", "db1.dbd6:real", "DB1.DBB11", "DB1.DBB0:BYTE[2]")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(r.stdout.strip().splitlines()), 1)
        obj = json.loads(r.stdout)
        self.assertEqual(list(obj), ["DB1.DBW4", "db1.dbd6:real", "DB1.DBB11", "DB1.DBB0:BYTE[2]"])
        self.assertEqual(obj["DB1.DBW4"], 25)
        self.assertIn('"db1.dbd6:real":1.23', r.stdout.replace(" ", ""))
        self.assertEqual(obj["DB1.DBB11"], 7)
        self.assertIsInstance(obj["DB1.DBB0:BYTE[2]"], list)

    def test_write_then_read_back(self):
        w = self.tool("write", "DB1.DBW20:INT=123")
        self.assertEqual(w.returncode, 0, w.stderr)
        r = self.tool("read", "DB1.DBW20:INT")
        self.assertEqual(r.stdout.strip(), "DB1.DBW20:INT = 123")

    def test_bit_write_keeps_the_neighbour_bit(self):
        self.assertEqual(self.tool("write", "DB1.DBX26.0:BOOL=true").returncode, 0)
        self.assertEqual(self.tool("write", "DB1.DBX26.1:BOOL=true").returncode, 0)
        r = self.tool("read", "--json", "DB1.DBX26.0", "DB1.DBX26.1")
        self.assertEqual(json.loads(r.stdout), {"DB1.DBX26.0": True, "DB1.DBX26.1": True})
        self.assertEqual(self.tool("write", "DB1.DBX26.1:BOOL=false").returncode, 0)
        r = self.tool("read", "--json", "DB1.DBX26.0", "DB1.DBX26.1")
        self.assertEqual(json.loads(r.stdout), {"DB1.DBX26.0": True, "DB1.DBX26.1": False})

    def test_write_to_the_read_only_byte_fails_with_access_denied(self):
        r = self.tool("write", "DB1.DBB11=9")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("DB1.DBB11", r.stderr)
        self.assertIn("access denied", r.stderr)
        self.assertEqual(self.tool("read", "DB1.DBB11").stdout.strip(), "DB1.DBB11 = 7")

    def test_missing_db_names_the_address(self):
        r = self.tool("read", "DB3.DBW0")
        self.assertEqual(r.returncode, 1)
        self.assertIn("DB3.DBW0: DB3 does not exist", r.stderr)

    def test_info_prints_identity_and_run_state(self):
        r = self.tool("info")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Order code:", r.stdout)
        self.assertRegex(r.stdout, r"State:\s+RUN")

    def test_info_json_is_one_object_with_identity_and_state(self):
        r = self.tool("info", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        d = json.loads(lines[0])
        self.assertEqual(d["state"], "RUN")
        self.assertEqual(d["pdu_length"], 960)
        self.assertIn(f":{self.port} (rack 0, slot 1)", d["plc"])
        self.assertRegex(d["order_code"], r"^6ES7 ")
        for key in ("module", "module_type", "firmware", "as_name", "plant_id", "serial",
                    "copyright", "parallel_jobs"):
            self.assertIn(key, d)

    def test_help_for_each_tool(self):
        for cmd in ("read", "write", "info"):
            r = harness.run([cmd, "--help"])
            self.assertEqual(r.returncode, 0)
            self.assertIn("--host", r.stdout)
            self.assertIn("--timeout", r.stdout)


class AgainstAServerThatConfirmsOneItemPerWrite(unittest.TestCase):
    """The course's python-snap7 server executes only the first item of a multi-item write; the
    fake PLC imitates it with --first-item-writes."""

    def test_multi_item_write_goes_through_one_item_at_a_time(self):
        plc, port = harness.start_fakeplc(["--first-item-writes"])
        try:
            w = harness.run(["write", "--port", str(port), "DB1.DBW20:INT=123",
                             "DB1.DBD22:REAL=2.5", "DB1.DBX26.0:BOOL=true", "DB1.DBB27=3"])
            self.assertEqual(w.returncode, 0, w.stderr)
            self.assertEqual(w.stderr.count("confirms only one item per write request"), 1,
                             w.stderr)
            self.assertEqual(len(w.stdout.splitlines()), 4, w.stdout)
            r = harness.run(["read", "--port", str(port), "--json", "DB1.DBW20:INT",
                             "DB1.DBD22:REAL", "DB1.DBX26.0", "DB1.DBB27"])
            self.assertEqual(json.loads(r.stdout), {"DB1.DBW20:INT": 123, "DB1.DBD22:REAL": 2.5,
                                                    "DB1.DBX26.0": True, "DB1.DBB27": 3})
            # A refused item is reported, not repeated, and the others still go through.
            w = harness.run(["write", "--port", str(port), "DB1.DBB11=5", "DB1.DBW20:INT=7"])
            self.assertEqual(w.returncode, 1, w.stderr)
            self.assertIn("DB1.DBB11", w.stderr)
            self.assertIn("DB1.DBW20:INT = 7 written", w.stdout)
            plc.wait_line("READ-ONLY")
            self.assertEqual(sum(1 for l in plc.out if "READ-ONLY" in l), 1)
        finally:
            plc.stop()


class InfoOfAConfiguredCpu(unittest.TestCase):
    """A fake PLC configured as another CPU reports that CPU in every identity record."""

    def test_module_type_follows_the_configured_module(self):
        with tempfile.TemporaryDirectory() as d:
            config = os.path.join(d, "s71200.toml")
            with open(config, "w") as f:
                f.write('[plc.identity]\norder_code = "6ES7 214-1AG40-0XB0"\n'
                        'module_name = "CPU 1214C DC/DC/DC"\n')
            plc, port = harness.start_fakeplc(["--config", config])
            try:
                r = harness.run(["info", "--port", str(port)])
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertRegex(r.stdout, r"Module type:\s+CPU 1214C DC/DC/DC")
                self.assertNotIn("315", r.stdout)
            finally:
                plc.stop()


class PeripheryAgainstFakePlc(unittest.TestCase):
    """PIW/PQW (area 0x80): the fake PLC reads its I bytes and writes its Q bytes."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        config = os.path.join(cls.dir.name, "io.toml")
        with open(config, "w") as f:
            f.write('[[areas]]\narea = "I"\nsize = 512\n\n[[areas]]\narea = "Q"\nsize = 512\n\n'
                    '[fields.flow]\naddress = "PIW256"\ngenerator = "constant"\nvalue = 1234\n')
        cls.plc, cls.port = harness.start_fakeplc(["--config", config])

    @classmethod
    def tearDownClass(cls):
        cls.plc.stop()
        cls.dir.cleanup()

    def tool(self, *args):
        return harness.run([args[0], "--port", str(self.port)] + list(args[1:]))

    def test_peripheral_input_reads_the_input_module(self):
        r = self.tool("read", "--json", "PIW256", "PEW256", "IW256")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"PIW256": 1234, "PEW256": 1234, "IW256": 1234})

    def test_peripheral_output_write_sets_the_output_module(self):
        w = self.tool("write", "PQD8:REAL=2.5", "PAW12:WORD=16#BEEF")
        self.assertEqual(w.returncode, 0, w.stderr)
        r = self.tool("read", "--json", "QD8:REAL", "QW12:WORD", "ID8:REAL")
        self.assertEqual(r.returncode, 0, r.stderr)
        obj = json.loads(r.stdout)
        self.assertEqual(obj["QD8:REAL"], 2.5)
        self.assertEqual(obj["QW12:WORD"], 0xBEEF)
        self.assertEqual(obj["ID8:REAL"], 0)  # the inputs are untouched

    def test_wrong_direction_is_a_usage_error_before_connecting(self):
        r = harness.run(["read", "--port", "1", "PQW4"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("PQW4: peripheral outputs can only be written; read QW4", r.stderr)
        r = harness.run(["write", "--port", "1", "PIW4=1"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("PIW4: peripheral inputs can only be read", r.stderr)
        r = harness.run(["read", "--port", "1", "PIW4.0"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("PIW4.0: column 5: the periphery has no bit addresses", r.stderr)


class ToolsWithoutPlc(unittest.TestCase):
    def test_bad_address_exits_2_naming_the_column_without_connecting(self):
        # Port 1 on loopback is closed: a connection attempt would give exit 1 instead.
        r = harness.run(["read", "--port", "1", "DB1.DBQ4"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("DB1.DBQ4", r.stderr)
        self.assertIn("column", r.stderr)
        self.assertNotIn("refused", r.stderr)

    def test_bad_write_value_exits_2(self):
        r = harness.run(["write", "--port", "1", "DB1.DBW20:INT=abc"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("DB1.DBW20", r.stderr)

    def test_unreachable_port_names_host_and_port(self):
        port = harness.free_port()
        r = harness.run(["read", "--port", str(port), "DB1.DBW4"])
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"127.0.0.1:{port}", r.stderr)
        self.assertIn("rack 0, slot 1", r.stderr)

    def test_bad_option_exits_2(self):
        r = harness.run(["info", "--port", "1", "--slot", "40"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--slot", r.stderr)

    def test_command_line_parse_errors_exit_2(self):
        for args, says in ((["read", "--rack", "x", "DB1.DBW0"], "--rack"),
                           (["read", "--no-such-option", "DB1.DBW0"], "--no-such-option"),
                           ([], "a command is required"),
                           (["nosuch"], "unknown command 'nosuch'")):
            with self.subTest(args=args):
                r = harness.run(args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(says, r.stderr)
        self.assertEqual(harness.run(["--help"]).returncode, 0)
        self.assertEqual(harness.run(["--version"]).returncode, 0)

    def test_unknown_options_and_commands_are_named_with_a_suggestion(self):
        for args, says in (
                (["run", "--intervall", "1s"],
                 "s7log run: unknown option --intervall (did you mean --interval?)"),
                (["run", "--intervall=1s"],
                 "s7log run: unknown option --intervall (did you mean --interval?)"),
                (["read", "--portt", "1102", "DB1.DBW0"],
                 "s7log read: unknown option --portt (did you mean --port?)"),
                (["run", "--zzzzzz"], "s7log run: unknown option --zzzzzz\n"),
                (["run", "stray"], "s7log run: unexpected argument 'stray'"),
                (["--verison"], "s7log: unknown option --verison (did you mean --version?)"),
                (["rnu"], "s7log: unknown command 'rnu' (did you mean run?)"),
                (["fakeplcc"], "s7log: unknown command 'fakeplcc' (did you mean fakeplc?)")):
            with self.subTest(args=args):
                r = harness.run(args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(says, r.stderr)
                self.assertNotIn("not expected", r.stderr)  # CLI11's wording

    def test_numeric_options_are_range_checked_in_our_words(self):
        for args, says in (
                (["read", "--port", "abc", "DB1.DBW0"],
                 "s7log read: --port: 'abc' is not a whole number (expected 1..65535)"),
                (["read", "--port", "70000", "DB1.DBW0"],
                 "s7log read: --port: 70000 is out of range (expected 1..65535)"),
                (["run", "--count", "-1"],
                 "s7log run: --count: -1 is out of range (expected at least 1)"),
                (["run", "--count", "0"],
                 "s7log run: --count: 0 is out of range (expected at least 1)"),
                (["run", "--buffer-rows", "1e3"],
                 "s7log run: --buffer-rows: '1e3' is not a whole number (expected at least 1)"),
                (["info", "--rack", "9"], "s7log info: --rack: 9 is out of range (expected 0..7)"),
                (["fakeplc", "--port", "-5"],
                 "s7log fakeplc: --port: -5 is out of range (expected 0..65535)"),
                (["fakeplc", "--max-connections", "0"],
                 "s7log fakeplc: --max-connections: 0 is out of range (expected 1..100000)"),
                (["demo", "--plc-port", "x"],
                 "s7log demo: --plc-port: 'x' is not a whole number (expected 0..65535)"),
                (["bench", "--connections", "99999"],
                 "s7log bench: --connections: 99999 is out of range (expected 1..4096)"),
                (["bench", "--pdu", "100"],
                 "s7log bench: --pdu: 100 is out of range (expected 240..65535)")):
            with self.subTest(args=args):
                r = harness.run(args, timeout=10)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(says, r.stderr)
                self.assertNotIn("Could not convert", r.stderr)

    def test_write_value_error_names_the_address_once(self):
        r = harness.run(["write", "--port", "1", "C1=1000"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr.count("C1"), 1, r.stderr)
        self.assertIn("C1: '1000' is out of range", r.stderr)


if __name__ == "__main__":
    harness.main()
