"""A private mosquitto broker for tests: free loopback port, temporary folder, stop()/start().

Works with any python: collecting messages runs `mosquitto_sub` as a child process (no paho).

    with PrivateMosquitto() as broker:            # GTEST-style skip: PrivateMosquitto.available()
        with broker.collect("s7log/#") as sub:   # subscribed when this returns
            ...                                  # run s7log with url = broker.url
            msgs = sub.wait(3)                   # [(topic, payload bytes), ...]
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

MOSQUITTO = "/usr/sbin/mosquitto"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateMosquitto:
    """mosquitto -c <tmp>/mosquitto.conf on 127.0.0.1:<free port>. users: {name: password} turns
    anonymous access off (password_file made with mosquitto_passwd); extra: more conf lines."""

    @staticmethod
    def available():
        return os.access(MOSQUITTO, os.X_OK) and shutil.which("mosquitto_sub") is not None

    def __init__(self, users=None, extra=""):
        self.dir = tempfile.mkdtemp(prefix="s7log_mosquitto_")
        self.port = _free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.proc = None
        conf = [f"listener {self.port} 127.0.0.1",
                "persistence true",
                f"persistence_location {self.dir}/",
                f"log_dest file {os.path.join(self.dir, 'mosquitto.log')}",
                "log_type all"]
        if os.geteuid() == 0:
            conf.append("user root")  # else it switches to the mosquitto user and cannot write here
        if users:
            pw = os.path.join(self.dir, "passwd")
            for i, (name, password) in enumerate(users.items()):
                subprocess.run(["mosquitto_passwd", "-b"] + (["-c"] if i == 0 else []) +
                               [pw, name, password], check=True, capture_output=True)
            conf += ["allow_anonymous false", f"password_file {pw}"]
        else:
            conf.append("allow_anonymous true")
        with open(os.path.join(self.dir, "mosquitto.conf"), "w") as f:
            f.write("\n".join(conf) + "\n" + extra)
        self.start()

    def log(self):
        try:
            with open(os.path.join(self.dir, "mosquitto.log")) as f:
                return f.read()
        except OSError:
            return ""

    def start(self, timeout=10.0):
        """Runs the broker (same port and folder) and waits until its port accepts."""
        if self.proc is not None and self.proc.poll() is None:
            return
        err = open(os.path.join(self.dir, "stderr.txt"), "ab")
        self.proc = subprocess.Popen([MOSQUITTO, "-c", os.path.join(self.dir, "mosquitto.conf")],
                                     stdin=subprocess.DEVNULL, stdout=err, stderr=err)
        err.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"mosquitto exited at start:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.01)
        self.stop()
        raise AssertionError(f"mosquitto did not listen on port {self.port}:\n{self.log()}")

    def stop(self, timeout=5.0):
        """SIGTERM (SIGKILL after `timeout`) and wait."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def collect(self, topic_filter, user=None, password=None, persistent=False):
        """A Collector of the messages on topic_filter, subscribed when this returns. persistent:
        a durable session (clean session off), so the broker keeps the messages that come while
        the collector reconnects after a broker restart."""
        return Collector(self, topic_filter, user, password, persistent=persistent)

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Collector:
    """`mosquitto_sub -v -F '%t %x'` as a child: every message as (topic, payload bytes).
    (Topics with spaces are not supported; s7log's are never.) Subscribed at QoS 2."""

    def __init__(self, broker, topic_filter, user=None, password=None, timeout=10.0,
                 persistent=False):
        args = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port), "-t", topic_filter,
                "-q", "2", "-F", "%t %x", "-i", f"s7log-test-sub-{os.getpid()}-{id(self)}"]
        if persistent:
            args.append("-c")  # clean session off: mosquitto_sub reconnects to the same session
        if user:
            args += ["-u", user, "-P", password or ""]
        self.messages = []
        self._cv = threading.Condition()
        self._p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, bufsize=1)
        self._t = threading.Thread(target=self._pump, daemon=True)
        self._t.start()
        # Subscribed once a probe message on the same filter's own topic comes back: publish to
        # a topic under the filter when it has no wildcard-free prefix we can use, skip the probe.
        probe = self._probe_topic(topic_filter)
        if probe is None:
            time.sleep(0.2)  # no safe probe topic: give the subscription a moment
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker.port), "-t", probe,
                            "-m", "probe"] + (["-u", user, "-P", password or ""] if user else []),
                           capture_output=True, timeout=10)
            with self._cv:
                if self._cv.wait_for(lambda: any(t == probe for t, _ in self.messages), 0.2):
                    self.messages = [m for m in self.messages if m[0] != probe]
                    return
        self.close()
        raise AssertionError(f"mosquitto_sub did not subscribe to {topic_filter}")

    @staticmethod
    def _probe_topic(topic_filter):
        parts = topic_filter.split("/")
        if parts and parts[-1] == "#" and all(p not in ("+", "#") for p in parts[:-1]):
            return "/".join(parts[:-1] + ["_s7log_probe_"])
        return None

    def _pump(self):
        for line in self._p.stdout:
            line = line.rstrip("\n")
            topic, _, hexpayload = line.partition(" ")
            with self._cv:
                self.messages.append((topic, bytes.fromhex(hexpayload)))
                self._cv.notify_all()

    def wait(self, n, timeout=10.0):
        """Waits until n messages have come (or timeout); returns a copy of all so far."""
        with self._cv:
            self._cv.wait_for(lambda: len(self.messages) >= n, timeout)
            return list(self.messages)

    def close(self):
        if self._p.poll() is None:
            self._p.terminate()
            try:
                self._p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._p.kill()
                self._p.wait()
        self._t.join(timeout=2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
