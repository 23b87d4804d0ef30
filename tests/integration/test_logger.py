"""The real `s7log run` against the real `s7log fakeplc` on loopback: course defaults, faults, crashes."""
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import harness
from harness import Proc, run, start_fakeplc, free_port

HEADER = "ts,counter,temperature,pressure,alarm,mode_ro"
ROW_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3},-?\d+,25,1\.23,(True|False),7$")
ROW_S = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,-?\d+,25,1\.23,(True|False),7$")


def read_rows(path):
    with open(path, newline="") as f:
        text = f.read()
    assert text.endswith("\r\n"), "the file must end with a whole row"
    return text[:-2].split("\r\n")


def count_lines(proc, prefix):
    return sum(1 for l in list(proc.out) + list(proc.err) if prefix in l)


class LoggerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.procs = []

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop()
        self.tmp.cleanup()

    def plc(self, *extra, port=None):
        proc, port = start_fakeplc(list(extra), port=port)
        self.procs.append(proc)
        return port

    def logger(self, port, *extra):
        p = Proc(["run", "--port", str(port)] + list(extra), cwd=self.dir)
        self.procs.append(p)
        return p

    def wait_rows(self, p, n, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if count_lines(p, "LOG: ") >= n:
                return
            time.sleep(0.05)
        self.fail(f"fewer than {n} LOG lines\nstdout:\n" + "\n".join(p.out) + "\nstderr:\n" + "\n".join(p.err))

    def test_course_defaults_one_second_rows_and_clean_stop(self):
        port = self.plc()
        p = self.logger(port)
        self.wait_rows(p, 2, timeout=10)
        self.assertEqual(p.stop(signal.SIGTERM), 0)
        self.assertTrue(any(l.startswith("stopped: ") and "read errors" in l and "reconnects" in l
                            and "skipped samples" in l for l in p.out), p.out)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertEqual(rows[0], HEADER)
        self.assertGreaterEqual(len(rows), 3)
        for r in rows[1:]:
            self.assertRegex(r, ROW_S)
        log = [l for l in p.out if l.startswith("LOG: ")]
        self.assertRegex(log[0], r"^LOG: \{'ts': '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d', 'counter': \d+, "
                                 r"'temperature': 25, 'pressure': 1\.23, 'alarm': (True|False), 'mode_ro': 7\}$")

    def test_sub_second_interval_has_milliseconds_and_steady_rows(self):
        port = self.plc()
        p = self.logger(port, "--interval", "0.2s")
        self.wait_rows(p, 6)
        self.assertEqual(p.stop(signal.SIGINT), 0)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertEqual(rows[0], HEADER)
        for r in rows[1:]:
            self.assertRegex(r, ROW_MS)
        stamps = [r.split(",")[0] for r in rows[1:]]
        self.assertEqual(stamps, sorted(set(stamps)))  # one row per slot, in order

    def test_plc_down_at_start_then_up(self):
        port = free_port()
        p = self.logger(port, "--interval", "0.1s")
        said = p.wait_line("cannot reach the PLC", timeout=10)
        # A refused TCP connection: nothing listens on the port, so say that and name the port;
        # PUT/GET (a PLC setting) cannot be the cause yet; no doubled punctuation.
        self.assertIn("127.0.0.1:%d (rack 0, slot 1)" % port, said)
        self.assertIn("nothing listens on port %d at 127.0.0.1" % port, said)
        self.assertIn("a real PLC listens on 102, the course's fake PLC on 1102", said)
        self.assertNotIn("PUT/GET", said)
        self.assertNotRegex(said, r"[.?!,;:]\s*[.?!,;:]")
        time.sleep(1.0)
        self.plc(port=port)
        p.wait_line("connected again", timeout=40)
        self.wait_rows(p, 2)
        self.assertEqual(p.stop(), 0)
        self.assertEqual(count_lines(p, "cannot reach the PLC"), 1)  # once per outage
        self.assertIn("rack 0, slot 1", p.wait_line("cannot reach the PLC"))

    def test_dropped_connections_reconnect_with_gap_rows(self):
        port = self.plc("--drop-every", "1s")
        p = self.logger(port, "--interval", "0.1s", "--quality")
        p.wait_line("lost the connection", timeout=10)
        p.wait_line("connected again", timeout=15)
        self.wait_rows(p, count_lines(p, "LOG: ") + 3)
        self.assertEqual(p.stop(), 0)
        summary = [l for l in p.out if l.startswith("stopped: ")][0]
        self.assertRegex(summary, r"[1-9]\d* reconnects")
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertEqual(rows[0], HEADER + ",quality")
        self.assertTrue(any(r.endswith(",ok") for r in rows[1:]))
        for r in rows[1:]:
            if r.endswith(",comm_error"):
                self.assertRegex(r, r"^[0-9T:.-]+,,,,,,comm_error$")  # never a stale value

    def test_item_error_empties_one_cell_and_says_so_once(self):
        port = self.plc("--item-error", "pressure=0x0A")
        p = self.logger(port, "--interval", "0.1s")
        self.wait_rows(p, 5)
        self.assertEqual(p.stop(), 0)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        for r in rows[1:]:
            self.assertRegex(r, r"^[0-9T:.-]+,-?\d+,25,,(True|False),7$")
        self.assertEqual(count_lines(p, "tag 'pressure'"), 1)

    def test_slow_plc_skips_slots_instead_of_bursting(self):
        port = self.plc("--delay", "350ms")
        p = self.logger(port, "--interval", "0.1s")
        self.wait_rows(p, 4)
        self.assertEqual(p.stop(), 0)
        summary = [l for l in p.out if l.startswith("stopped: ")][0]
        skipped = int(re.search(r"(\d+) skipped samples", summary).group(1))
        self.assertGreater(skipped, 0)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        stamps = [r.split(",")[0] for r in rows[1:]]
        self.assertEqual(len(stamps), len(set(stamps)))  # no two reads for one slot

    def test_plc_stop_keeps_logging(self):
        port = self.plc("--stop-at", "0.5s", "--stop-for", "1s")
        p = self.logger(port, "--interval", "0.1s", "--quality")
        time.sleep(2.5)
        self.wait_rows(p, 5)
        self.assertEqual(p.stop(), 0)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertTrue(rows[-1].endswith(",ok"), rows[-5:])

    def test_kill_9_then_restart_appends_without_torn_row(self):
        port = self.plc()
        p = self.logger(port, "--interval", "0.05s")
        self.wait_rows(p, 10)
        p.p.kill()
        p.p.wait()
        p2 = self.logger(port, "--interval", "0.05s")
        self.wait_rows(p2, 5)
        self.assertEqual(p2.stop(), 0)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertEqual(rows.count(HEADER), 1)
        self.assertEqual(rows[0], HEADER)
        for r in rows[1:]:
            self.assertRegex(r, ROW_MS)
        self.assertGreaterEqual(len(rows), 15)

    def test_other_header_starts_a_new_file_beside_it(self):
        port = self.plc()
        with open(os.path.join(self.dir, "log.csv"), "w") as f:
            f.write("a,b\n1,2\n")
        p = self.logger(port, "--interval", "0.1s")
        self.wait_rows(p, 2)
        self.assertEqual(p.stop(), 0)
        with open(os.path.join(self.dir, "log.csv")) as f:
            self.assertEqual(f.read(), "a,b\n1,2\n")
        self.assertEqual(read_rows(os.path.join(self.dir, "log.1.csv"))[0], HEADER)
        p.wait_line("writing to log.1.csv")

    def test_unwritable_file_keeps_sampling_and_reports(self):
        port = self.plc()
        with open(os.path.join(self.dir, "blocker"), "w") as f:
            f.write("a file, so blocker/log.csv cannot be created")
        p = self.logger(port, "--interval", "0.1s", "--out", "blocker/log.csv")
        p.wait_line("cannot create the folder blocker (for blocker/log.csv)")
        self.wait_rows(p, 3)
        # Rows that never reached the file are lost: the run says which file and why, and its
        # exit code says so too (3, never 0).
        self.assertEqual(p.stop(), 3)
        summary = [l for l in p.out if l.startswith("stopped: ")][0]
        self.assertIn("rows not written", summary)
        lost = p.wait_line("and are lost")
        self.assertRegex(lost, r"\d+ rows could not be written to blocker/log.csv and are lost "
                               r"\(cannot create the folder blocker \(for blocker/log.csv\): ")

    def test_folders_named_by_the_out_pattern_are_created(self):
        # The docs' own pattern: data/%Y/log_%Y%m%d.csv, with folders that do not exist yet.
        port = self.plc()
        r = harness.run(["run", "--port", str(port), "--interval", "0.1s", "--count", "3",
                         "--out", "data/%Y/log_%Y%m%d.csv"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("cannot", r.stderr)
        found = []
        for root, _, files in os.walk(os.path.join(self.dir, "data")):
            found += [os.path.join(root, f) for f in files]
        self.assertEqual(len(found), 1, found)
        self.assertRegex(os.path.relpath(found[0], self.dir), r"^data/\d{4}/log_\d{8}\.csv$")
        rows = read_rows(found[0])
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(len(rows), 4)

    def write_config(self, port, tags, interval="0.2s"):
        path = os.path.join(self.dir, "logger.toml")
        with open(path, "w") as f:
            f.write(f'[plc]\nport = {port}\n\n[log]\ninterval = "{interval}"\nout = "log.csv"\n')
            for name, address in tags:
                f.write(f'\n[[tag]]\nname = "{name}"\naddress = "{address}"\n')
        return path

    def test_sighup_reloads_the_config_without_losing_a_row(self):
        port = self.plc()
        course = [("counter", "DB1.DBD0:DINT"), ("temperature", "DB1.DBW4:INT")]
        config = self.write_config(port, course)
        p = Proc(["run", "--config", config], cwd=self.dir)
        self.procs.append(p)
        self.wait_rows(p, 3)
        # A broken file: said, and the running configuration goes on.
        with open(config, "a") as f:
            f.write('\n[[tag]]\nname = "bad"\naddress = "DB1.DBQ4"\n')
        p.p.send_signal(signal.SIGHUP)
        said = p.wait_line("reload failed")
        self.assertIn("logger.toml:", said)
        self.assertIn("DB1.DBQ4", said)
        n = count_lines(p, "LOG: ")
        self.wait_rows(p, n + 2)
        # Unchanged columns: the same file goes on.
        self.write_config(port, course)
        p.p.send_signal(signal.SIGHUP)
        p.wait_line("reloaded")
        n = count_lines(p, "LOG: ")
        self.wait_rows(p, n + 2)
        # A changed tag list: a new file beside the old one, as a header change does at start.
        self.write_config(port, course + [("mode_ro", "DB1.DBB11:BYTE")])
        p.p.send_signal(signal.SIGHUP)
        self.assertIn("new columns", p.wait_line(lambda l: "reloaded" in l and "3 tags" in l))
        p.wait_line("writing to log.1.csv")
        n = count_lines(p, "LOG: ")
        self.wait_rows(p, n + 3)
        self.assertEqual(p.stop(), 0)
        old = read_rows(os.path.join(self.dir, "log.csv"))
        new = read_rows(os.path.join(self.dir, "log.1.csv"))
        self.assertEqual(old[0], "ts,counter,temperature")
        self.assertEqual(new[0], "ts,counter,temperature,mode_ro")
        self.assertTrue(all(r.endswith(",7") for r in new[1:]), new)
        # Every row logged (a LOG line) is in one of the files, and the sample grid has no hole
        # at the reloads: one row in each 200 ms slot.
        logged = count_lines(p, "LOG: ")
        self.assertEqual(len(old) - 1 + len(new) - 1, logged)
        stamps = [r.split(",")[0] for r in old[1:] + new[1:]]
        times = [time.mktime(time.strptime(t[:19], "%Y-%m-%dT%H:%M:%S")) + int(t[20:23]) / 1000
                 for t in stamps]
        slots = [round(t / 0.2) for t in times]  # ts is the read time: a few ms after the slot
        self.assertEqual(slots, list(range(slots[0], slots[0] + len(slots))), stamps)

    def test_closing_the_terminal_stops_the_logger_instead_of_reloading(self):
        # The kernel's SIGHUP when the terminal goes away is not a reload request: the logger
        # stops cleanly (before SIGHUP meant reload, a closed window left it running unseen).
        import pty
        port = self.plc()
        pid, master = pty.fork()
        if pid == 0:  # child: session leader with the pty as its controlling terminal
            os.chdir(self.dir)
            os.execv(harness.S7LOG, [harness.S7LOG, "run", "--port", str(port), "--interval",
                                     "0.1s"])
        out = b""
        deadline = time.monotonic() + 15
        while out.count(b"LOG: ") < 3 and time.monotonic() < deadline:
            try:
                out += os.read(master, 4096)
            except OSError:
                break
        self.assertGreaterEqual(out.count(b"LOG: "), 3, out)
        os.close(master)  # hang up: the kernel sends SIGHUP to the terminal's processes
        deadline = time.monotonic() + 10
        status = None
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.fail("s7log run kept running after its terminal was closed")
        self.assertTrue(os.WIFEXITED(status), status)
        self.assertEqual(os.WEXITSTATUS(status), 0)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertGreaterEqual(len(rows), 4)

    def test_closing_the_terminal_stops_a_background_logger_too(self):
        # `s7log run &` in an interactive shell: when the window closes, the shell passes SIGHUP
        # on to its jobs with kill() (not from the kernel). The terminal is gone, so that too is
        # a stop, not a reload.
        import pty
        port = self.plc()
        pid, master = pty.fork()
        if pid == 0:
            os.chdir(self.dir)
            os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
        os.write(master, ("%s run --port %d --interval 0.1s > run.out 2>&1 & echo PID=$!\n"
                          % (harness.S7LOG, port)).encode())
        out = b""
        deadline = time.monotonic() + 15
        while b"PID=" not in out.replace(b"PID=$!", b"") and time.monotonic() < deadline:
            out += os.read(master, 4096)
        logger_pid = int(re.search(rb"PID=(\d+)", out.replace(b"PID=$!", b"")).group(1))
        rows = os.path.join(self.dir, "log.csv")
        while time.monotonic() < deadline and not (os.path.exists(rows) and len(read_rows(rows)) > 3):
            time.sleep(0.1)
        os.close(master)  # the window closes: bash gets SIGHUP and passes it on to the job
        os.waitpid(pid, 0)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(logger_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(logger_pid, signal.SIGKILL)
            self.fail("a background s7log run kept running after its terminal was closed")
        with open(os.path.join(self.dir, "run.out")) as f:
            self.assertIn("stopped:", f.read())

    def test_service_option_is_for_windows_and_points_to_systemd(self):
        config = self.write_config(free_port(), [("counter", "DB1.DBD0:DINT")])
        r = run(["run", "--service", "line1", "--config", config], cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--service is for Windows services", r.stderr)
        self.assertIn("docs/service.md", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "log.csv")))  # nothing started
        # A service runs a config file: without one it is a usage error on every platform.
        r = run(["run", "--service", "line1"], cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--service needs --config FILE", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "log.csv")))

    def test_check_config_validates_and_exits(self):
        port = free_port()
        config = self.write_config(port, [("counter", "DB1.DBD0:DINT")])
        r = run(["run", "--check-config", "--config", config], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("logger.toml: ok, logging 1 tags from 127.0.0.1:%d" % port, r.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "log.csv")))  # nothing written
        with open(config, "a") as f:
            f.write('\n[[tag]]\nname = "bad"\naddress = "DB1.DBQ4"\n')
        r = run(["run", "--check-config", "--config", config], cwd=self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"logger\.toml:\d+: .*DB1\.DBQ4")

    def test_course_alarm_exercise_in_the_readme_shows_edges(self):
        # The README's alarm exercise, as written there. The fake PLC ticks every 0.5 s: sampled
        # every second alarm (counter even) never changes; every 0.75 s the counter goes up by
        # 1 and 2 in turn and alarm changes every other sample.
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
        with open(readme) as f:
            line = next(l for l in f if "s7log run " in l and "--on-change alarm" in l)
        args = line.split("s7log run ", 1)[1].split("#", 1)[0].split()
        port = self.plc()
        p = self.logger(port, *args, "--count", "9")
        self.assertEqual(p.p.wait(timeout=30), 0)
        p.stop()
        rows = read_rows(os.path.join(self.dir, "log.csv"))[1:]
        alarms = [r.split(",")[4] for r in rows]
        self.assertGreaterEqual(len(rows), 4, rows)  # the first row, then an edge every 1.5 s
        self.assertLess(len(rows), 9, rows)  # rows without a change were left out
        for a, b in zip(alarms, alarms[1:]):
            self.assertNotEqual(a, b, rows)

    def test_extra_tag_and_excel_dialect(self):
        port = self.plc()
        p = self.logger(port, "--interval", "0.1s", "--tag", "setpoint_int=DB1.DBW20:INT",
                        "--csv-dialect", "excel-da")
        self.wait_rows(p, 2)
        self.assertEqual(p.stop(), 0)
        with open(os.path.join(self.dir, "log.csv"), "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbfts;counter;temperature;pressure;alarm;mode_ro;setpoint_int\r\n"))
        row = data.split(b"\r\n")[1].decode()
        self.assertRegex(row, r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3};-?\d+;25;1,23;(True|False);7;-?\d+$")

    def test_print_config_parses_back(self):
        r = run(["run", "--print-config"])
        self.assertEqual(r.returncode, 0)
        cfg = os.path.join(self.dir, "logger.toml")
        with open(cfg, "w") as f:
            f.write(r.stdout)
        port = self.plc()
        r2 = run(["run", "--config", cfg, "--port", str(port), "--once"], cwd=self.dir)
        self.assertEqual(r2.returncode, 0, r2.stderr)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(len(rows), 2)

    def test_scaled_tag_is_written_in_engineering_units(self):
        # temperature (DB1.DBW4) is 25 on the course's fake PLC: 0..100 raw -> 0..2.5 scaled.
        cfg = os.path.join(self.dir, "scaled.toml")
        with open(cfg, "w") as f:
            f.write('[[tag]]\nname = "raw"\naddress = "DB1.DBW4:INT"\n\n'
                    '[[tag]]\nname = "scaled"\naddress = "DB1.DBW4:INT"\n'
                    'raw = [0, 100]\neng = [0.0, 2.5]\n')
        port = self.plc()
        r = run(["run", "--config", cfg, "--port", str(port), "--once"], cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_rows(os.path.join(self.dir, "log.csv"))
        self.assertEqual(rows[0], "ts,raw,scaled")
        self.assertRegex(rows[1], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,25,0\.625$")

    def test_out_dash_writes_the_csv_to_stdout_and_everything_else_to_stderr(self):
        port = self.plc()
        # Bytes, not text: the rows end in CRLF exactly as in a file.
        r = subprocess.run([harness.S7LOG, "run", "--port", str(port), "--out", "-", "--count",
                            "3", "--interval", "0.1s"], cwd=self.dir, capture_output=True,
                           timeout=30)
        err = r.stderr.decode()
        self.assertEqual(r.returncode, 0, err)
        self.assertTrue(r.stdout.endswith(b"\r\n"))
        rows = r.stdout.decode()[:-2].split("\r\n")
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(len(rows), 4, r.stdout)
        for row in rows[1:]:
            self.assertRegex(row, ROW_MS)
        self.assertEqual(err.count("LOG: "), 3)
        self.assertIn("to standard output", err)
        self.assertIn("stopped: 3 rows", err)
        self.assertEqual(os.listdir(self.dir), [])  # no file written
        r = run(["run", "--port", str(port), "--out", "-", "--rotate", "daily"], cwd=self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("standard output cannot rotate", r.stderr)

    def test_config_error_names_file_line_and_key_and_nothing_starts(self):
        cfg = os.path.join(self.dir, "bad.toml")
        with open(cfg, "w") as f:
            f.write("[log]\ninterval = \"soon\"\n")
        r = run(["run", "--config", cfg], cwd=self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn(cfg + ":2: log.interval:", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "log.csv")))

    def test_plan_shows_items_and_requests_per_pdu(self):
        r = run(["plan", "--tag", "setpoint_int=DB1.DBW20:INT"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("6 tags in 2 items", r.stdout)
        self.assertIn("DB1 bytes 0..11 (12 bytes): counter", r.stdout)
        for pdu in ("PDU 240: 1 request", "PDU 480: 1 request", "PDU 960: 1 request"):
            self.assertIn(pdu, r.stdout)

    def test_live_beyond_loopback_asks_for_the_printed_token(self):
        def get(port, path, headers=None):
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode()

        plc = self.plc()
        live = free_port()
        # All addresses (not loopback): a new token, shown only in the URL on stderr.
        p = self.logger(plc, "--out", "tok.csv", "--live", f"0.0.0.0:{live}")
        line = p.wait_line("live chart at", timeout=15)
        m = re.search(rf"http://127\.0\.0\.1:{live}/\?token=([0-9a-f]{{32,}})$", line)
        self.assertTrue(m, line)
        token = m.group(1)
        self.assertEqual(get(live, "/api/latest")[0], 401)
        self.assertEqual(get(live, "/api/latest?token=" + token)[0], 200)
        self.assertEqual(get(live, "/api/groups", {"Authorization": "Bearer " + token})[0], 200)
        status, text = get(live, "/metrics")  # stays open for scrapers
        self.assertEqual(status, 200)
        self.assertIn('s7log_plc_link_state{plc="",state="connected"}', text)
        self.assertEqual(p.stop(), 0)
        # [live] auth = "none" in the config: served openly, and the line says so.
        cfg = os.path.join(self.dir, "open.toml")
        with open(cfg, "w") as f:
            f.write('[live]\nauth = "none"\n')
        live = free_port()
        p = self.logger(plc, "--config", cfg, "--out", "open.csv", "--live", f"0.0.0.0:{live}")
        line = p.wait_line("live chart at", timeout=15)
        self.assertNotIn("token=", line)
        self.assertIn('auth = "none"', line)
        self.assertEqual(get(live, "/api/latest")[0], 200)


if __name__ == "__main__":
    harness.main()
