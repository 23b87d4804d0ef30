"""Shared helpers for integration tests: run the real s7log binary on loopback ports it picks."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import queue

S7LOG = os.environ.get("S7LOG_BIN", "")


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A running s7log process whose stdout/stderr lines are collected in the background."""

    def __init__(self, args, cwd=None, env=None, exe=None):
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self.args = [exe or S7LOG] + list(args)
        self.p = subprocess.Popen(self.args, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  bufsize=1)
        self.lines = queue.Queue()
        self.out = []
        self.err = []
        self._threads = [threading.Thread(target=self._pump, args=(self.p.stdout, self.out), daemon=True),
                         threading.Thread(target=self._pump, args=(self.p.stderr, self.err), daemon=True)]
        for t in self._threads:
            t.start()

    def _pump(self, stream, sink):
        for line in stream:
            line = line.rstrip("\n")
            sink.append(line)
            self.lines.put(line)

    def wait_line(self, predicate, timeout=10.0):
        """Waits for an output line (stdout or stderr) matching predicate (str or callable)."""
        match = (lambda l: predicate in l) if isinstance(predicate, str) else predicate
        for line in list(self.out) + list(self.err):
            if match(line):
                return line
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if match(line):
                return line
        raise AssertionError(f"no line matching {predicate!r} within {timeout}s from {self.args}\n"
                             f"stdout:\n" + "\n".join(self.out) + "\nstderr:\n" + "\n".join(self.err))

    def stop(self, sig=signal.SIGTERM, timeout=10.0):
        """Sends sig and waits; returns the exit code."""
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        for t in self._threads:
            t.join(timeout=2)
        return self.p.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run(args, timeout=30, cwd=None, input=None, exe=None, env=None):
    """Runs s7log (or `exe`) to completion; returns CompletedProcess with text stdout/stderr."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([exe or S7LOG] + list(args), cwd=cwd, input=input, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


def free_port_run(n, tries=50):
    """A port P such that P..P+n-1 on 127.0.0.1 were all free a moment ago."""
    for _ in range(tries):
        base = free_port()
        if base + n - 1 > 65535:
            continue
        socks = []
        try:
            for p in range(base, base + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError(f"no run of {n} free ports found")


def wait_plant_ready(proc, names, timeout=15):
    """Waits for the ready line of each named PLC of a plant ("NAME: fake PLC listening on
    HOST:PORT ..."); returns {name: port}."""
    ports = {}
    for name in names:
        line = proc.wait_line(lambda l, n=name: l.startswith(f"{n}: fake PLC listening on "),
                              timeout=timeout)
        ports[name] = int(line.split(" listening on ", 1)[1].split(" ", 1)[0].rsplit(":", 1)[1])
    return ports


def start_fakeplc(extra=(), port=None):
    """Starts `s7log fakeplc` on a free port and waits for its ready line. Returns (proc, port)."""
    port = port or free_port()
    proc = Proc(["fakeplc", "--port", str(port)] + list(extra))
    proc.wait_line(str(port), timeout=15)
    return proc, port


def main():
    """Entry point for test modules: unittest with the binary path from argv[1] or S7LOG_BIN."""
    import unittest
    global S7LOG
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        S7LOG = sys.argv.pop(1)
    os.environ["S7LOG_BIN"] = S7LOG
    unittest.main(module="__main__", verbosity=2)
