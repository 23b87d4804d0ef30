"""Symbolic tags from the PLC program's sources (docs/symbols.md), with the real binary: the
member table and [[tag]] tables of `s7log symbols`, read/write by symbol, a logger config written
with symbols giving the course's CSV, and the fake PLC given the same source serving its layout
and BEGIN values."""
import csv
import os
import signal
import tempfile
import time
import tomllib
import unittest

import harness
from harness import Proc, run, start_fakeplc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "symbols")
TELEMETRY = os.path.join(EXAMPLES, "Telemetry.db")

# The course's table (seed README): member -> address. The sums from the layout rules:
# counter DInt 0..3; temperature Int 4..5; pressure Real 6..9; alarm Bool 10.0; mode_ro Byte 11;
# reserved Array[12..19] of Byte 12..19; setpoint_int Int 20; setpoint_real Real 22..25;
# cmd_start 26.0, cmd_stop 26.1; mode Byte 27; spare Array[28..63] of Byte 28..63: 64 bytes.
COURSE = {
    "counter": "DB1.DBD0:DINT", "temperature": "DB1.DBW4:INT", "pressure": "DB1.DBD6:REAL",
    "alarm": "DB1.DBX10.0:BOOL", "mode_ro": "DB1.DBB11:BYTE", "setpoint_int": "DB1.DBW20:INT",
    "setpoint_real": "DB1.DBD22:REAL", "cmd_start": "DB1.DBX26.0:BOOL",
    "cmd_stop": "DB1.DBX26.1:BOOL", "mode": "DB1.DBB27:BYTE",
}


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


class SymbolsCommandTest(unittest.TestCase):
    def test_member_table_gives_the_course_offsets(self):
        r = run(["symbols", TELEMETRY, "--db-number", "1"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('"Telemetry" = DB1: 64 bytes', r.stdout)
        lines = {l.split()[0]: l.split()[1] for l in r.stdout.splitlines()[2:] if l.strip()}
        for name, address in COURSE.items():
            self.assertEqual(lines[name], address, r.stdout)

    def test_toml_tables_load_into_a_logger_config_with_the_course_addresses(self):
        r = run(["symbols", TELEMETRY, "--db-number", "Telemetry=1", "--toml"])
        self.assertEqual(r.returncode, 0, r.stderr)
        tags = tomllib.loads(r.stdout)["tag"]
        got = {t["name"]: t["address"] for t in tags}
        for name, address in COURSE.items():
            self.assertEqual(got[name], address)
        self.assertEqual(got["reserved"], "DB1.DBB12:BYTE[8]")
        # The same text is a config `s7log run --check-config` accepts.
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "tags.toml")
            with open(cfg, "w") as f:
                f.write(r.stdout)
            c = run(["run", "--config", cfg, "--check-config"])
            self.assertEqual(c.returncode, 0, c.stderr)

    def test_step7_source_carries_its_number(self):
        r = run(["symbols", os.path.join(EXAMPLES, "Telemetry.awl"), "--toml"])
        self.assertEqual(r.returncode, 0, r.stderr)
        got = {t["name"]: t["address"] for t in tomllib.loads(r.stdout)["tag"]}
        for name, address in COURSE.items():
            self.assertEqual(got[name], address)

    def test_a_tia_source_without_a_number_says_how_to_give_one(self):
        r = run(["symbols", TELEMETRY])
        self.assertEqual(r.returncode, 2)
        self.assertIn("Telemetry", r.stderr)
        self.assertIn("db_numbers", r.stderr)
        self.assertIn("--db-number", r.stderr)

    def test_an_optimized_db_is_refused_with_how_to_switch_it_off(self):
        path = os.path.join(HERE, "Optimized.db")
        r = run(["symbols", path, "--db-number", "3"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("Optimized.db:2", r.stderr)
        self.assertIn("Optimized block access", r.stderr)
        self.assertIn("PUT/GET", r.stderr)

    def test_a_struct_array_of_a_udt_is_laid_out_by_hand_sums(self):
        r = run(["symbols", os.path.join(HERE, "Line.db"), os.path.join(HERE, "Motor.udt"),
                 "--db-number", "7", "--toml"])
        self.assertEqual(r.returncode, 0, r.stderr)
        got = {t["name"]: t["address"] for t in tomllib.loads(r.stdout)["tag"]}
        # Line.db's comment has the sums: motor[i] starts at 24 + 8 (i - 1); a Motor is
        # speed Real 0, running Bool 4.0, faults Int 6: 8 bytes.
        self.assertEqual(got["batch"], "DB7.DBD0:DINT")
        self.assertEqual(got["recipe"], "DB7.DBB4:STRING[16]")
        self.assertEqual(got["ready"], "DB7.DBX22.0:BOOL")
        self.assertEqual(got["heater"], "DB7.DBX22.1:BOOL")
        self.assertEqual(got["motor[2].speed"], "DB7.DBD32:REAL")
        self.assertEqual(got["motor[3].running"], "DB7.DBX44.0:BOOL")
        self.assertEqual(got["motor[3].faults"], "DB7.DBW46:INT")
        self.assertEqual(got["levels"], "DB7.DBW48:INT[4]")
        self.assertEqual(got["limits.high"], "DB7.DBD60:REAL")


class CourseBySymbolsTest(unittest.TestCase):
    """Against the course's fake PLC: symbols read and write the course's DB1."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        # STOP freezes the generators, so two loggers see the same values.
        cfg = os.path.join(cls.dir.name, "plc.toml")
        with open(cfg, "w") as f:
            f.write('[plc]\nstate = "stop"\n')
        cls.plc, cls.port = start_fakeplc(["--config", cfg])

    @classmethod
    def tearDownClass(cls):
        cls.plc.stop()
        cls.dir.cleanup()

    def sym(self):
        return ["--port", str(self.port), "--symbols", TELEMETRY, "--db-number", "1"]

    def test_read_and_write_by_symbol(self):
        w = run(["write"] + self.sym() + ['"Telemetry".setpoint_real=2.5',
                                          '"Telemetry".cmd_stop=true'])
        self.assertEqual(w.returncode, 0, w.stderr)
        # The bytes went where the course's table says.
        r = run(["read", "--port", str(self.port), "DB1.DBD22:REAL", "DB1.DBX26.1"])
        self.assertEqual(r.stdout.splitlines(), ["DB1.DBD22:REAL = 2.5", "DB1.DBX26.1 = true"])
        r = run(["read"] + self.sym() + ['"Telemetry".mode_ro', "Telemetry.setpoint_real"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(),
                         ['"Telemetry".mode_ro = 7', "Telemetry.setpoint_real = 2.5"])

    def test_unknown_member_suggests_the_closest_and_connects_to_nothing(self):
        r = run(["read"] + ["--port", "1", "--symbols", TELEMETRY, "--db-number", "1",
                            '"Telemetry".presure'])
        self.assertEqual(r.returncode, 2)
        self.assertIn("pressure", r.stderr)

    def test_a_symbol_without_sources_says_to_give_them(self):
        r = run(["read", "--port", "1", '"Telemetry".pressure'])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--symbols", r.stderr)

    def test_run_takes_tags_by_symbol_on_the_command_line(self):
        w = run(["write", "--port", str(self.port), "DB1.DBW20:INT=-3", "DB1.DBX26.0=true"])
        self.assertEqual(w.returncode, 0, w.stderr)
        out = os.path.join(self.dir.name, "cli.csv")
        r = run(["run", "--port", str(self.port), "--out", out, "--count", "2",
                 "--interval", "200ms"] + self.sym()[2:] +
                ["--tag", 'sp="Telemetry".setpoint_int', "--tag", "start=Telemetry.cmd_start"],
                timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = csv_rows(out)
        self.assertEqual(rows[0][-2:], ["sp", "start"])
        self.assertEqual(rows[-1][-2:], ["-3", "True"])
        # Without --symbols a quoted symbol says what to give.
        r = run(["run", "--port", str(self.port), "--count", "1", "--out", out,
                 "--tag", 'sp="Telemetry".setpoint_int'])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--symbols FILE", r.stderr)

    def test_a_config_written_with_symbols_gives_the_default_csv(self):
        # Values of our own in the course's bytes (mode_ro, byte 11, is read-only: 7).
        w = run(["write", "--port", str(self.port), "DB1.DBD0:DINT=4242", "DB1.DBW4:INT=-17",
                 "DB1.DBD6:REAL=2.75", "DB1.DBX10.0=false"])
        self.assertEqual(w.returncode, 0, w.stderr)
        d = self.dir.name
        sym_cfg = os.path.join(d, "symbols.toml")
        with open(sym_cfg, "w") as f:
            f.write(f'symbols = ["{TELEMETRY}"]\n'
                    'db_numbers = { Telemetry = 1 }\n\n'
                    f'[plc]\nport = {self.port}\n\n'
                    f'[log]\nout = "{os.path.join(d, "by_symbols.csv")}"\n\n'
                    '[[tag]]\naddress = \'"Telemetry".counter\'\n\n'
                    '[[tag]]\nname = "temperature"\naddress = \'"Telemetry".temperature\'\n\n'
                    '[[tag]]\naddress = "Telemetry.pressure"\n\n'
                    '[[tag]]\naddress = \'"Telemetry".alarm\'\n\n'
                    '[[tag]]\naddress = \'"Telemetry".mode_ro\'\n')
        # The plan is the same: one item over bytes 0..11.
        p1 = run(["plan"])
        p2 = run(["plan", "--config", sym_cfg])
        self.assertEqual(p1.returncode, 0, p1.stderr)
        self.assertEqual(p2.returncode, 0, p2.stderr)
        self.assertEqual(p1.stdout, p2.stdout)
        default = Proc(["run", "--port", str(self.port), "--out", os.path.join(d, "default.csv")])
        by_sym = Proc(["run", "--config", sym_cfg])
        for p in (default, by_sym):
            p.wait_line("LOG:", timeout=15)
        time.sleep(2.5)
        self.assertEqual(default.stop(signal.SIGINT), 0, "\n".join(default.err))
        self.assertEqual(by_sym.stop(signal.SIGINT), 0, "\n".join(by_sym.err))
        a = csv_rows(os.path.join(d, "default.csv"))
        b = csv_rows(os.path.join(d, "by_symbols.csv"))
        self.assertEqual(a[0], ["ts", "counter", "temperature", "pressure", "alarm", "mode_ro"])
        self.assertEqual(a[0], b[0])
        self.assertGreaterEqual(min(len(a), len(b)), 3)
        for row in a[1:] + b[1:]:
            self.assertEqual(row[1:], ["4242", "-17", "2.75", "False", "7"])


class FakePlcFromSourceTest(unittest.TestCase):
    """The fake PLC given Line.db and Motor.udt: its DB7 has their layout and BEGIN values, and a
    logger config with the same sources reads them back."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cfg = os.path.join(cls.dir.name, "plc.toml")
        with open(cfg, "w") as f:
            f.write(f'symbols = ["{os.path.join(HERE, "Line.db")}", '
                    f'"{os.path.join(HERE, "Motor.udt")}"]\n'
                    'db_numbers = { Line = 7 }\n')
        cls.plc, cls.port = start_fakeplc(["--config", cfg])

    @classmethod
    def tearDownClass(cls):
        cls.plc.stop()
        cls.dir.cleanup()

    def test_begin_values_are_in_the_bytes_the_layout_says(self):
        r = run(["read", "--port", str(self.port), "DB7.DBD0:DINT", "DB7.DBB4:STRING[16]",
                 "DB7.DBX22.0", "DB7.DBX22.1", "DB7.DBD32:REAL", "DB7.DBX32.4", "DB7.DBW46:INT",
                 "DB7.DBW48:INT[4]", "DB7.DBD56:REAL", "DB7.DBD60:REAL", "DB7.DBB0:BYTE[64]"])
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:10], [
            "DB7.DBD0:DINT = 1001", "DB7.DBB4:STRING[16] = IPA-70", "DB7.DBX22.0 = true",
            "DB7.DBX22.1 = true", "DB7.DBD32:REAL = 1450", "DB7.DBX32.4 = false",
            "DB7.DBW46:INT = 3", "DB7.DBW48:INT[4] = [0, 40, 0, -7]", "DB7.DBD56:REAL = 1.5",
            "DB7.DBD60:REAL = 9.5"])
        # 64 bytes: the DB is as long as the layout.
        self.assertEqual(lines[10].count(",") + 1, 64)

    def test_a_logger_config_with_symbols_reads_the_begin_values(self):
        d = self.dir.name
        cfg = os.path.join(d, "logger.toml")
        out = os.path.join(d, "line.csv")
        with open(cfg, "w") as f:
            f.write(f'symbols = ["{os.path.join(HERE, "Line.db")}", '
                    f'"{os.path.join(HERE, "Motor.udt")}"]\n'
                    'db_numbers = { Line = 7 }\n\n'
                    f'[plc]\nport = {self.port}\n\n'
                    f'[log]\nout = "{out}"\ninterval = "200ms"\n\n'
                    '[[tag]]\naddress = \'"Line".batch\'\n\n'
                    '[[tag]]\naddress = \'"Line".recipe\'\n\n'
                    '[[tag]]\nname = "m"\naddress = \'"Line".motor\'\n\n'
                    '[[tag]]\naddress = \'"Line".levels\'\n\n'
                    '[[tag]]\naddress = \'"Line".limits\'\n')
        logger = Proc(["run", "--config", cfg])
        logger.wait_line("LOG:", timeout=15)
        time.sleep(0.6)
        self.assertEqual(logger.stop(signal.SIGINT), 0, "\n".join(logger.err))
        rows = csv_rows(out)
        header = rows[0]
        self.assertEqual(header, [
            "ts", "batch", "recipe",
            "m[1].speed", "m[1].running", "m[1].faults",
            "m[2].speed", "m[2].running", "m[2].faults",
            "m[3].speed", "m[3].running", "m[3].faults",
            "levels[0]", "levels[1]", "levels[2]", "levels[3]", "limits.low", "limits.high"])
        row = dict(zip(header, rows[-1]))
        self.assertEqual(row["batch"], "1001")
        self.assertEqual(row["recipe"], "IPA-70")
        self.assertEqual((row["m[2].speed"], row["m[2].running"]), ("1450", "True"))
        self.assertEqual((row["m[1].speed"], row["m[3].faults"]), ("0", "3"))
        self.assertEqual([row[f"levels[{i}]"] for i in range(4)], ["0", "40", "0", "-7"])
        self.assertEqual((row["limits.low"], row["limits.high"]), ("1.5", "9.5"))
        # One struct or array member is read as one item, not one per column.
        plan = run(["plan", "--config", cfg])
        self.assertEqual(plan.returncode, 0, plan.stderr)
        self.assertIn("1 item", plan.stdout)

    def test_read_by_symbol_from_the_fake_plc(self):
        r = run(["read", "--port", str(self.port), "--symbols", os.path.join(HERE, "Line.db"),
                 "--symbols", os.path.join(HERE, "Motor.udt"), "--db-number", "Line=7",
                 '"Line".motor[2]'])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ['"Line".motor[2].speed = 1450',
                                                 '"Line".motor[2].running = true',
                                                 '"Line".motor[2].faults = 0'])


if __name__ == "__main__":
    harness.main()
