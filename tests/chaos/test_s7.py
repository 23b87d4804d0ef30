"""Chaos on the S7 side: clients that never finish the handshake, byte-a-second clients, mutated
frames, and a client that stops the CPU, against the real `s7log fakeplc` on loopback."""
import random
import socket
import threading
import time
import unittest

import harness

CR = bytes.fromhex("03 00 00 16 11 E0 00 00 00 01 00 C0 01 0A C1 02 01 00 C2 02 01 01")
SETUP = bytes.fromhex("03 00 00 19 02 F0 80 32 01 00 00 00 01 00 08 00 00 F0 00 00 01 00 01 01 E0")
READ12 = bytes.fromhex("03 00 00 1F 02 F0 80 32 01 00 00 00 02 00 0E 00 00 04 01 12 0A 10 02 00 0C "
                       "00 01 84 00 00 00")
PLC_STOP = bytes.fromhex("03 00 00 21 02 F0 80 32 01 00 00 00 0B 00 10 00 00 29 00 00 00 00 00 09 "
                         "50 5F 50 52 4F 47 52 41 4D")


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def closed_by_server(s, timeout):
    """True when the server closes `s` (EOF or reset) within `timeout` seconds."""
    s.settimeout(timeout)
    try:
        while True:
            data = s.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def read_ok(port):
    r = harness.run(["read", "--port", str(port), "--timeout", "5s", "DB1.DBW4"], timeout=30)
    return r.returncode == 0 and r.stdout.strip() == "DB1.DBW4 = 25"


class HostileS7Clients(unittest.TestCase):
    def setUp(self):
        self.plc, self.port = harness.start_fakeplc(
            ["--max-connections", "16", "--handshake-timeout", "1s"])

    def tearDown(self):
        self.assertEqual(self.plc.stop(), 0)

    def test_handshake_less_clients_cannot_hold_the_slots(self):
        silent = [connect(self.port) for _ in range(16)]  # every slot taken, nothing sent
        # Each is closed by the server once its handshake time is up: the slots come back.
        for s in silent:
            self.assertTrue(closed_by_server(s, 20), "a handshake-less connection was kept")
            s.close()
        self.assertTrue(read_ok(self.port))

    def test_byte_a_second_clients_are_closed_too(self):
        slow = [connect(self.port) for _ in range(8)]
        closed = [False] * len(slow)
        for i in range(len(CR)):  # one byte per 0.3 s each: the deadline is not extended
            for k, s in enumerate(slow):
                if closed[k]:
                    continue
                try:
                    s.sendall(CR[i:i + 1])
                except OSError:
                    closed[k] = True
            time.sleep(0.3)
            if all(closed):
                break
        for k, s in enumerate(slow):
            self.assertTrue(closed[k] or closed_by_server(s, 20))
            s.close()
        self.assertTrue(read_ok(self.port))

    def test_mutated_frames_only_close_their_own_connection(self):
        rng = random.Random(1207)
        failures = []
        done = threading.Event()

        def healthy():
            for _ in range(15):
                if not read_ok(self.port):
                    failures.append("a healthy read failed")
            done.set()

        t = threading.Thread(target=healthy)
        t.start()
        sent = 0
        while not done.is_set() and sent < 3000:
            s = connect(self.port)
            try:
                s.sendall(CR)
                s.recv(64)
                s.sendall(SETUP)
                s.recv(64)
                for _ in range(20):
                    frame = bytearray(rng.choice([READ12, SETUP, CR]))
                    for _ in range(rng.randint(1, 4)):
                        frame[rng.randrange(len(frame))] = rng.randrange(256)
                    if rng.random() < 0.2:
                        frame = frame[:rng.randrange(1, len(frame))]
                    s.sendall(bytes(frame))
                    sent += 1
            except OSError:
                pass  # the server closed this one: that is what it should do with garbage
            finally:
                s.close()
        t.join(timeout=120)
        self.assertFalse(t.is_alive())
        self.assertEqual(failures, [])
        self.assertGreater(sent, 100)
        self.assertTrue(read_ok(self.port))

    def test_a_client_stopping_the_cpu_is_always_named(self):
        s = connect(self.port)
        s.sendall(CR)
        s.recv(64)
        s.sendall(SETUP)
        s.recv(64)
        s.sendall(PLC_STOP)
        self.assertEqual(s.recv(64)[-1], 0x29)
        local = "127.0.0.1:%d" % s.getsockname()[1]
        line = self.plc.wait_line("put the CPU into STOP")  # without -v
        self.assertIn(local, line)
        s.close()


if __name__ == "__main__":
    harness.main()
