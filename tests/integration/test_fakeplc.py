"""The real `s7log fakeplc` on loopback (one PLC or a plant of several in one process), observed by our
own client (`s7log read/write/info`) and raw sockets."""
import json
import os
import signal
import socket
import struct
import tempfile
import time
import unittest

import harness
from harness import Proc, free_port, free_port_run, run, start_fakeplc, wait_plant_ready

COURSE = ["DB1.DBD0", "DB1.DBW4", "DB1.DBD6:REAL", "DB1.DBX10.0", "DB1.DBB11"]


def read_json(port, *addresses, extra=()):
    """`s7log read --json`; returns (exit code, dict or None, stderr)."""
    r = run(["read", "--port", str(port), "--json", *extra, *addresses])
    data = json.loads(r.stdout) if r.stdout.strip() else None
    return r.returncode, data, r.stderr


def poll(fn, timeout=10.0, interval=0.1):
    """Calls fn until it returns a truthy value; returns that value or raises."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")


def write_config(text):
    fd, path = tempfile.mkstemp(suffix=".toml", prefix="plc_")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def raw_s7_session(port, slot=1):
    """Opens a TCP connection and does COTP CR/CC + setup communication by hand (long-lived client)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    tsap = 0x0100 | slot  # PG, rack 0
    cotp = bytes([0x11, 0xE0, 0, 0, 0, 1, 0, 0xC0, 1, 0x0A, 0xC1, 2, 0x01, 0x00, 0xC2, 2]) + struct.pack(">H", tsap)
    s.sendall(bytes([3, 0]) + struct.pack(">H", 4 + len(cotp)) + cotp)
    cc = s.recv(1024)
    assert len(cc) >= 7 and cc[5] == 0xD0, cc
    setup = bytes([0x32, 1, 0, 0, 0, 1, 0, 8, 0, 0, 0xF0, 0, 0, 1, 0, 1, 0x01, 0xE0])
    s.sendall(bytes([3, 0]) + struct.pack(">H", 7 + len(setup)) + bytes([2, 0xF0, 0x80]) + setup)
    ack = s.recv(1024)
    assert len(ack) > 8 and ack[8] == 3, ack
    return s


class CourseFakePlc(unittest.TestCase):
    def setUp(self):
        self.proc, self.port = start_fakeplc()

    def tearDown(self):
        self.proc.stop()

    def test_ready_line_names_address_and_rack_slot(self):
        line = self.proc.wait_line("listening")
        self.assertIn(f"127.0.0.1:{self.port}", line)
        self.assertIn("rack 0, slot 1", line)

    def test_course_values_read_back(self):
        rc, v, err = read_json(self.port, *COURSE)
        self.assertEqual(rc, 0, err)
        self.assertEqual(v["DB1.DBW4"], 25)
        self.assertAlmostEqual(v["DB1.DBD6:REAL"], 1.23, places=6)
        self.assertEqual(v["DB1.DBB11"], 7)
        self.assertEqual(v["DB1.DBX10.0"], v["DB1.DBD0"] % 2 == 0)
        # The counter goes up by one every 0.5 s.
        first = v["DB1.DBD0"]
        later = poll(lambda: (lambda r: r[1]["DB1.DBD0"] if r[1]["DB1.DBD0"] >= first + 2 else None)(
            read_json(self.port, "DB1.DBD0")))
        self.assertGreaterEqual(later, first + 2)

    def test_client_write_prints_one_write_line(self):
        r = run(["write", "--port", str(self.port), "DB1.DBW20:INT=123", "DB1.DBD22:REAL=2.5",
                 "DB1.DBX26.0=true"])
        self.assertEqual(r.returncode, 0, r.stderr)
        line = self.proc.wait_line("WRITE:")
        self.assertEqual(line, "WRITE: {'setpoint_int': 123, 'setpoint_real': 2.5, 'cmd_start': True, "
                               "'cmd_stop': False, 'mode': 0}")
        time.sleep(1.2)
        self.assertEqual(sum(1 for l in self.proc.out if l.startswith("WRITE:")), 1)
        rc, v, _ = read_json(self.port, "DB1.DBW20:INT", "DB1.DBX26.0", "DB1.DBX26.1")
        self.assertEqual(v, {"DB1.DBW20:INT": 123, "DB1.DBX26.0": True, "DB1.DBX26.1": False})

    def test_write_to_mode_ro_is_refused_and_byte_unchanged(self):
        r = run(["write", "--port", str(self.port), "DB1.DBB11=5"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("0x03", r.stderr)
        line = self.proc.wait_line("READ-ONLY:")
        self.assertIn("DB1.DBB11", line)
        self.assertIn("05", line)
        self.assertIn("127.0.0.1:", line)
        rc, v, _ = read_json(self.port, "DB1.DBB11")
        self.assertEqual(v["DB1.DBB11"], 7)

    def test_wrong_slot_is_refused_like_a_real_plc(self):
        rc, v, err = read_json(self.port, "DB1.DBB11", extra=["--slot", "2"])
        self.assertNotEqual(rc, 0)
        self.assertIn("rack and slot", err)

    def test_sigterm_stops_cleanly(self):
        self.assertEqual(self.proc.stop(signal.SIGTERM), 0)
        self.assertTrue(any("stopped" in l for l in self.proc.out), self.proc.out)

    def test_sigint_stops_cleanly(self):
        self.assertEqual(self.proc.stop(signal.SIGINT), 0)
        self.assertTrue(any("Ctrl+C" in l for l in self.proc.out), self.proc.out)


class Options(unittest.TestCase):
    def test_rack_and_slot_options(self):
        proc, port = start_fakeplc(["--rack", "0", "--slot", "2"])
        with proc:
            self.assertIn("slot 2", proc.wait_line("listening"))
            self.assertNotEqual(read_json(port, "DB1.DBB11")[0], 0)
            rc, v, err = read_json(port, "DB1.DBB11", extra=["--slot", "2"])
            self.assertEqual((rc, v), (0, {"DB1.DBB11": 7}), err)

    def test_verbose_logs_connections_and_requests(self):
        proc, port = start_fakeplc(["--verbose"])
        with proc:
            read_json(port, "DB1.DBB11")
            proc.wait_line(lambda l: "127.0.0.1:" in l and "listening" not in l)
            self.assertGreaterEqual(len(proc.out), 3, proc.out)

    def test_print_config_round_trips(self):
        r = run(["fakeplc", "--print-config"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("#"))
        path = write_config(r.stdout)
        try:
            again = run(["fakeplc", "--config", path, "--print-config"])
            self.assertEqual(again.stdout, r.stdout)
            proc, port = start_fakeplc(["--config", path])
            with proc:
                rc, v, err = read_json(port, "DB1.DBW4", "DB1.DBB11")
                self.assertEqual(v, {"DB1.DBW4": 25, "DB1.DBB11": 7}, err)
        finally:
            os.unlink(path)

    def test_config_error_names_file_line_key_and_exits_2(self):
        path = write_config('[[areas]]\narea = "DB"\nnumber = 1\nsize = 64\n\n[fields.pressure]\n'
                            'address = "DB1.DBD6:REAL"\ngenerator = "sinus"\n')
        try:
            r = run(["fakeplc", "--config", path, "--port", str(free_port())], timeout=10)
            self.assertEqual(r.returncode, 2)
            self.assertIn(f"{path}:8: fields.pressure.generator: unknown generator \"sinus\"", r.stderr)
            self.assertNotIn("listening", r.stdout)
        finally:
            os.unlink(path)

    def test_bad_fault_flag_exits_2(self):
        r = run(["fakeplc", "--port", str(free_port()), "--item-error", "nosuchfield=0x0A"], timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("nosuchfield", r.stderr)

    def test_example_config_serves(self):
        example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "fakeplc.toml")
        proc, port = start_fakeplc(["--config", example])
        with proc:
            rc, v, err = read_json(port, "DB1.DBW4", "DB2.DBB20:STRING[10]")
            self.assertEqual(v, {"DB1.DBW4": 25, "DB2.DBB20:STRING[10]": "PILSNER"}, err)


GENERATORS = """
[plc]
tick = "100ms"
[[areas]]
area = "M"
size = 64
[fields.count]
address = "MW0"
generator = "counter"
start = 1
step = 2
wrap = 9
[fields.level]
address = "MD2:REAL"
generator = "ramp"
from = 10
to = 20
period = "1s"
[fields.wave]
address = "MD6:REAL"
generator = "sine"
amplitude = 3
offset = 50
period = "1s"
[fields.pulse]
address = "MW10"
generator = "square"
low = 100
high = 200
period = "400ms"
duty = 0.5
[fields.walk]
address = "MD12:REAL"
generator = "random_walk"
seed = 11
start = 5
step = 1
min = 0
max = 10
[fields.blink]
address = "M16.2"
generator = "toggle"
period = "200ms"
[fields.fixed]
address = "MW18"
generator = "constant"
value = -42
[fields.echo]
address = "MW20"
generator = "copy"
source = "count"
"""


class Generators(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.path = write_config(GENERATORS)
        cls.proc, cls.port = start_fakeplc(["--config", cls.path])

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()
        os.unlink(cls.path)

    def samples(self, *addresses, n=12, gap=0.13):
        out = []
        for _ in range(n):
            rc, v, err = read_json(self.port, *addresses)
            self.assertEqual(rc, 0, err)
            out.append(v)
            time.sleep(gap)
        return out

    def test_counter_steps_and_wraps(self):
        values = [s["MW0"] for s in self.samples("MW0")]
        self.assertTrue(set(values) <= {1, 3, 5, 7, 9}, values)
        self.assertGreater(len(set(values)), 2, values)

    def test_ramp_stays_in_range_and_moves(self):
        values = [s["MD2:REAL"] for s in self.samples("MD2:REAL")]
        self.assertTrue(all(10 <= v < 20 for v in values), values)
        self.assertGreater(len(set(values)), 3, values)

    def test_sine_around_offset(self):
        values = [s["MD6:REAL"] for s in self.samples("MD6:REAL")]
        self.assertTrue(all(47 - 1e-4 <= v <= 53 + 1e-4 for v in values), values)
        self.assertGreater(len(set(values)), 3, values)

    def test_square_only_low_and_high(self):
        values = {s["MW10"] for s in self.samples("MW10", n=14, gap=0.11)}
        self.assertEqual(values, {100, 200})

    def test_random_walk_within_bounds_and_moving(self):
        values = [s["MD12:REAL"] for s in self.samples("MD12:REAL")]
        self.assertTrue(all(0 <= v <= 10 for v in values), values)
        self.assertGreater(len(set(values)), 3, values)

    def test_random_walk_follows_its_seeded_sequence(self):
        # The walk is a documented function of the seed (docs/fakeplc.md): recompute it here and
        # check every value a client sees is one of its first steps.
        M = (1 << 64) - 1

        def mix(x):
            x = (x + 0x9E3779B97F4A7C15) & M
            x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M
            return x ^ (x >> 31)

        seq, v = [5.0], 5.0
        for tick in range(1, 2000):
            unit = (mix(11 ^ mix(tick)) >> 11) * 2.0 ** -53 * 2.0 - 1.0
            v = min(10.0, max(0.0, v + unit * 1.0))
            seq.append(v)
        for s in self.samples("MD12:REAL", n=5):
            got = s["MD12:REAL"]
            self.assertTrue(any(abs(got - x) < 1e-5 for x in seq), got)

    def test_toggle_flips(self):
        values = {s["M16.2"] for s in self.samples("M16.2", n=10, gap=0.11)}
        self.assertEqual(values, {True, False})

    def test_constant(self):
        self.assertEqual(self.samples("MW18", n=1)[0]["MW18"], -42)

    def test_copy_follows_its_source(self):
        for s in self.samples("MW0", "MW20", n=6):
            self.assertEqual(s["MW0"], s["MW20"])


class Faults(unittest.TestCase):
    def test_delay_answers_still_succeed(self):
        proc, port = start_fakeplc(["--delay", "300ms"])
        with proc:
            proc.wait_line("FAULT start: delay answers by 300ms")
            t0 = time.monotonic()
            rc, v, err = read_json(port, "DB1.DBW4")
            self.assertEqual((rc, v), (0, {"DB1.DBW4": 25}), err)

    def test_refuse_window_then_connections_work(self):
        proc, port = start_fakeplc(["--refuse", "0s..3s"])
        with proc:
            proc.wait_line("FAULT start: refuse new connections")
            rc, v, err = read_json(port, "DB1.DBW4")
            if "FAULT end" not in "\n".join(proc.out):
                self.assertNotEqual(rc, 0)
            proc.wait_line("FAULT end: refuse new connections", timeout=10)
            rc, v, err = read_json(port, "DB1.DBW4")
            self.assertEqual((rc, v), (0, {"DB1.DBW4": 25}), err)

    def test_drop_closes_a_long_lived_connection(self):
        proc, port = start_fakeplc(["--drop-every", "1s"])
        with proc:
            s = raw_s7_session(port)
            s.settimeout(5)
            try:
                self.assertEqual(s.recv(100), b"")  # closed by the fake PLC
            except ConnectionResetError:
                pass
            finally:
                s.close()
            self.assertIn("FAULT: drop all connections", proc.wait_line("FAULT: drop"))
            rc, v, err = read_json(port, "DB1.DBW4")  # new connections still work
            self.assertEqual(rc, 0, err)

    def test_item_error_fails_that_field_only(self):
        proc, port = start_fakeplc(["--item-error", "pressure=0x0A"])
        with proc:
            rc, v, err = read_json(port, "DB1.DBD6:REAL", "DB1.DBW4")
            self.assertNotEqual(rc, 0)
            self.assertEqual(v, {"DB1.DBD6:REAL": None, "DB1.DBW4": 25})
            self.assertIn("0x0A", err)

    def test_stop_window_freezes_counter_and_info_says_stop(self):
        proc, port = start_fakeplc(["--stop-at", "1s", "--stop-for", "3s"])
        with proc:
            proc.wait_line("FAULT start: CPU in STOP")
            info = run(["info", "--port", str(port)])
            self.assertIn("STOP", info.stdout)
            a = read_json(port, "DB1.DBD0")[1]["DB1.DBD0"]
            time.sleep(1.0)
            b = read_json(port, "DB1.DBD0")[1]["DB1.DBD0"]
            if "FAULT end" not in "\n".join(proc.out):
                self.assertEqual(a, b)
            proc.wait_line("FAULT end: CPU in STOP", timeout=10)
            self.assertIn("RUN", poll(lambda: (lambda o: o if "RUN" in o else None)(
                run(["info", "--port", str(port)]).stdout)))
            poll(lambda: read_json(port, "DB1.DBD0")[1]["DB1.DBD0"] > b + 1)

    def test_config_state_stop(self):
        path = write_config('[plc]\nstate = "stop"\n')
        try:
            proc, port = start_fakeplc(["--config", path])
            with proc:
                self.assertIn("STOP", run(["info", "--port", str(port)]).stdout)
                a = read_json(port, "DB1.DBD0")[1]["DB1.DBD0"]
                time.sleep(1.1)
                self.assertEqual(read_json(port, "DB1.DBD0")[1]["DB1.DBD0"], a)
        finally:
            os.unlink(path)

    def test_faults_from_config_timeline(self):
        path = write_config('[[faults]]\nkind = "item_error"\nstart = "0s"\nduration = "2s"\n'
                            'field = "temperature"\ncode = 0x05\n')
        try:
            proc, port = start_fakeplc(["--config", path])
            with proc:
                proc.wait_line("FAULT start: item error 0x05 on temperature")
                rc, v, err = read_json(port, "DB1.DBW4", "DB1.DBB11")
                if "FAULT end" not in "\n".join(proc.out):
                    self.assertEqual(v, {"DB1.DBW4": None, "DB1.DBB11": 7}, err)
                proc.wait_line("FAULT end: item error 0x05 on temperature", timeout=10)
                rc, v, err = read_json(port, "DB1.DBW4")
                self.assertEqual((rc, v), (0, {"DB1.DBW4": 25}), err)
        finally:
            os.unlink(path)



PLANT = """
[[plc]]
name = "press1"
port = {p1}
# no memory of its own: the course's DB1

[[plc]]
name = "oven"
port = {p2}
tick = "100ms"

[[plc.areas]]
area = "DB"
number = 5
size = 16

[plc.fields.temp]
address = "DB5.DBW0:INT"
generator = "constant"
value = 180

[plc.fields.count]
address = "DB5.DBD2:DINT"
generator = "counter"
start = 1000

[[plc]]
name = "slow"
port = {p3}

[[plc.areas]]
area = "M"
size = 8

[plc.fields.marker]
address = "MW0"
generator = "constant"
value = -7

[[plc.faults]]
kind = "delay"
delay = "600ms"
"""


def timed_read(port, *addresses):
    t0 = time.monotonic()
    rc, v, err = read_json(port, *addresses)
    return rc, v, err, time.monotonic() - t0


class Plant(unittest.TestCase):
    """Three [[plc]] tables served by one process, each with its own port, memory and faults."""

    @classmethod
    def setUpClass(cls):
        cls.ports = {"press1": free_port(), "oven": free_port(), "slow": free_port()}
        cls.path = write_config(PLANT.format(p1=cls.ports["press1"], p2=cls.ports["oven"],
                                             p3=cls.ports["slow"]))
        cls.proc = Proc(["fakeplc", "--config", cls.path])
        cls.ready = wait_plant_ready(cls.proc, ["press1", "oven", "slow"])

    @classmethod
    def tearDownClass(cls):
        cls.proc.stop()
        os.unlink(cls.path)

    def test_ready_lines_name_each_plc_and_its_port(self):
        self.assertEqual(self.ready, self.ports)
        self.proc.wait_line("slow: fault scheduled at 0s: delay answers by 600ms")

    def test_each_plc_answers_with_its_own_memory(self):
        rc, v, err = read_json(self.ports["press1"], "DB1.DBW4", "DB1.DBB11")
        self.assertEqual((rc, v), (0, {"DB1.DBW4": 25, "DB1.DBB11": 7}), err)
        rc, v, err = read_json(self.ports["oven"], "DB5.DBW0:INT", "DB5.DBD2:DINT")
        self.assertEqual(rc, 0, err)
        self.assertEqual(v["DB5.DBW0:INT"], 180)
        first = v["DB5.DBD2:DINT"]
        self.assertGreaterEqual(first, 1000)
        poll(lambda: read_json(self.ports["oven"], "DB5.DBD2:DINT")[1]["DB5.DBD2:DINT"] > first)
        rc, v, err = read_json(self.ports["slow"], "MW0")
        self.assertEqual((rc, v), (0, {"MW0": -7}), err)
        # What one PLC has, the others do not.
        rc, v, err = read_json(self.ports["press1"], "DB5.DBW0:INT")
        self.assertNotEqual(rc, 0)
        self.assertIn("0x0A", err)
        rc, v, err = read_json(self.ports["oven"], "DB1.DBW4")
        self.assertNotEqual(rc, 0)

    def test_a_write_is_seen_by_its_plc_only(self):
        r = run(["write", "--port", str(self.ports["press1"]), "DB1.DBW20:INT=321"])
        self.assertEqual(r.returncode, 0, r.stderr)
        line = self.proc.wait_line("press1: WRITE:")
        self.assertIn("'setpoint_int': 321", line)
        self.assertFalse(any(l.startswith(("oven: WRITE", "slow: WRITE")) for l in self.proc.out))

    def test_the_delay_fault_slows_its_plc_only(self):
        fast = min(timed_read(self.ports["press1"], "DB1.DBW4")[3] for _ in range(2))
        rc, v, err, slow = timed_read(self.ports["slow"], "MW0")
        self.assertEqual((rc, v), (0, {"MW0": -7}), err)
        self.assertGreaterEqual(slow, 0.6)
        self.assertLess(fast, slow)
        rc, v, err, oven = timed_read(self.ports["oven"], "DB5.DBW0:INT")
        self.assertEqual(rc, 0, err)
        self.assertLess(oven, slow)


class PlantOptions(unittest.TestCase):
    def test_plcs_copies_on_consecutive_ports(self):
        base = free_port_run(3)
        proc = Proc(["fakeplc", "--plcs", "3", "--base-port", str(base)])
        with proc:
            ports = wait_plant_ready(proc, ["plc1", "plc2", "plc3"])
            self.assertEqual(ports, {"plc1": base, "plc2": base + 1, "plc3": base + 2})
            for port in ports.values():
                rc, v, err = read_json(port, "DB1.DBW4", "DB1.DBB11")
                self.assertEqual((rc, v), (0, {"DB1.DBW4": 25, "DB1.DBB11": 7}), err)
            # Each copy has its own memory.
            r = run(["write", "--port", str(base + 1), "DB1.DBW20:INT=111"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("'setpoint_int': 111", proc.wait_line("plc2: WRITE:"))
            self.assertEqual(read_json(base, "DB1.DBW20:INT")[1], {"DB1.DBW20:INT": 0})
            self.assertEqual(read_json(base + 1, "DB1.DBW20:INT")[1], {"DB1.DBW20:INT": 111})
            self.assertEqual(proc.stop(signal.SIGINT), 0)
            self.assertIn("Ctrl+C: stopping 3 fake PLCs", proc.out)
            for name in ("plc1", "plc2", "plc3"):
                self.assertIn(f"{name}: fake PLC stopped", proc.out)

    def test_plcs_with_base_port_0_pick_free_ports(self):
        proc = Proc(["fakeplc", "--plcs", "2", "--base-port", "0", "--item-error",
                     "pressure=0x05"])
        with proc:
            ports = wait_plant_ready(proc, ["plc1", "plc2"])
            self.assertNotEqual(ports["plc1"], ports["plc2"])
            for port in ports.values():
                rc, v, err = read_json(port, "DB1.DBD6:REAL", "DB1.DBW4")
                self.assertEqual(v, {"DB1.DBD6:REAL": None, "DB1.DBW4": 25}, err)

    def test_two_plcs_on_one_port_exit_2_with_file_line_key(self):
        port = free_port()
        path = write_config(f'[[plc]]\nname = "a"\nport = {port}\n\n'
                            f'[[plc]]\nname = "b"\nport = {port}\n')
        try:
            r = run(["fakeplc", "--config", path], timeout=10)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(f'{path}:7: plc[1].port: 127.0.0.1:{port} is already used by plc[0] '
                          f'("a"); give each PLC its own port (0 picks a free one)', r.stderr)
            self.assertNotIn("listening", r.stdout)
        finally:
            os.unlink(path)

    def test_a_port_in_use_stops_the_whole_plant(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            path = write_config(f'[[plc]]\nname = "a"\nport = 0\n\n[[plc]]\nname = "b"\nport = {port}\n')
            try:
                r = run(["fakeplc", "--config", path], timeout=10)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(f"b: cannot listen on 127.0.0.1:{port}", r.stderr)
                self.assertNotIn("listening", r.stdout)
            finally:
                os.unlink(path)

    def test_plcs_with_a_plant_file_is_a_usage_error(self):
        path = write_config('[[plc]]\nname = "a"\nport = 0\n')
        try:
            r = run(["fakeplc", "--config", path, "--plcs", "2"], timeout=10)
            self.assertEqual(r.returncode, 2)
            self.assertIn("--plcs", r.stderr)
        finally:
            os.unlink(path)

    def test_print_config_plant_round_trips(self):
        r = run(["fakeplc", "--print-config", "plant"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("# s7log fakeplc plant"), r.stdout[:100])
        self.assertEqual(r.stdout.count("\n[[plc]]\n"), 2)
        path = write_config(r.stdout)
        try:
            again = run(["fakeplc", "--config", path, "--print-config"])
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertEqual(again.stdout, r.stdout)
        finally:
            os.unlink(path)
        # Without a value: today's single-PLC file.
        single = run(["fakeplc", "--print-config"])
        self.assertTrue(single.stdout.startswith("# s7log fakeplc configuration"))
        self.assertNotIn("[[plc]]", single.stdout)

    def test_example_plant_serves(self):
        example = os.path.join(os.path.dirname(__file__), "..", "..", "examples",
                               "plant-fakeplc.toml")
        with open(example) as f:
            text = f.read()
        ports = {"press1": free_port(), "oven": free_port(), "conveyor": free_port()}
        for name, old in (("press1", 1102), ("oven", 1103), ("conveyor", 1104)):
            text = text.replace(f"port = {old}\n", f"port = {ports[name]}\n")
        path = write_config(text)
        try:
            proc = Proc(["fakeplc", "--config", path])
            with proc:
                self.assertEqual(wait_plant_ready(proc, list(ports)), ports)
                rc, v, err = read_json(ports["oven"], "DB10.DBW10:INT", extra=["--slot", "2"])
                self.assertEqual((rc, v), (0, {"DB10.DBW10:INT": 0}), err)
                rc, v, err = read_json(ports["conveyor"], "M4.0")
                self.assertEqual((rc, v), (0, {"M4.0": True}), err)
        finally:
            os.unlink(path)


if __name__ == "__main__":
    harness.main()
