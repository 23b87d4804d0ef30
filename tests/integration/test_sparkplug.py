"""The real `s7log run` as a Sparkplug B edge node: two fake PLCs (devices), a private mosquitto,
every payload decoded by the independent Python decoder (sparkplug_decode.py: Google's protobuf
runtime over the same .proto, compiled by protoc) and compared with the CSV files written beside.

One run goes through: births, DDATA of changes only, a PLC that goes away and comes back (DDEATH,
DBIRTH), a rebirth request (NCMD), the broker stopped for a while (the samples of the outage come
as historical DDATA), and s7log's stop (NDEATH)."""
import datetime
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import unittest

import harness
from harness import Proc, free_port
from private_mosquitto import PrivateMosquitto

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-protobuf
HERE = os.path.dirname(os.path.abspath(__file__))
OUTAGE_S = 5.0

# The course's fake PLC: counter DINT +1 every 0.5 s, temperature INT 25, pressure REAL 1.23,
# alarm BOOL (counter even).
GROUPS = {  # (plc, group): (interval, [(tag, address, Sparkplug datatype)])
    ("p1", "fast"): ("100ms", [("counter", "DB1.DBD0:DINT", "Int32"),
                               ("pressure", "DB1.DBD6:REAL", "Float"),
                               ("alarm", "DB1.DBX10.0", "Boolean")]),
    ("p1", "slow"): ("200ms", [("temperature", "DB1.DBW4:INT", "Int16"),
                               ("counter", "DB1.DBD0:DINT", "Int32")]),
    ("p2", "main"): ("200ms", [("counter", "DB1.DBD0:DINT", "Int32"),
                               ("pressure", "DB1.DBD6:REAL", "Float"),
                               ("alarm", "DB1.DBX10.0", "Boolean")]),
}
PREFIX = "spBv1.0/plant/"
NODE = "line1"


def build_dir():
    # The binary is <build>/apps/s7log/s7log.
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(harness.S7LOG))))


def pb2_dir():
    return os.path.join(build_dir(), "libs", "sinks", "mqtt", "python")


def decoder_problem():
    """Why the Python decoder cannot run here (None: it can)."""
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is not there"
    if not os.path.exists(os.path.join(pb2_dir(), "sparkplug_b_pb2.py")):
        return f"no {pb2_dir()}/sparkplug_b_pb2.py (build the sink_mqtt_python target; needs protoc)"
    r = subprocess.run([SYSTEM_PYTHON, "-c", "import google.protobuf"], capture_output=True)
    if r.returncode != 0:
        return f"{SYSTEM_PYTHON} has no google.protobuf (apt-get install python3-protobuf)"
    return None


_DECODE_ALL = """
import json, sys
sys.path.insert(0, sys.argv[1])
import sparkplug_decode
sparkplug_decode.load_pb2(sys.argv[2])
out = []
for h in json.load(sys.stdin):
    try:
        out.append(sparkplug_decode.decode(bytes.fromhex(h)))
    except Exception as e:
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
"""

_REBIRTH = """
import sys, time
sys.path.insert(0, sys.argv[1])
import sparkplug_b_pb2 as pb
p = pb.Payload()
p.timestamp = int(time.time() * 1000)
m = p.metrics.add()
m.name = "Node Control/Rebirth"
m.datatype = pb.DataType.Value("Boolean")
m.boolean_value = True
sys.stdout.buffer.write(p.SerializeToString())
"""


def decode_all(payloads):
    """Every payload decoded by sparkplug_decode.py under the system python, in one process."""
    r = subprocess.run([SYSTEM_PYTHON, "-c", _DECODE_ALL, HERE, pb2_dir()],
                       input=json.dumps([p.hex() for p in payloads]), capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        raise AssertionError(f"the decoder failed: {r.stderr}")
    return json.loads(r.stdout)


def fakeplc_down(proc):
    proc.stop(signal.SIGTERM)


def csv_table(path, tags):
    """{ts_ms: {tag: text}} and the ts in file order of a CSV file written by s7log."""
    with open(path, newline="") as f:
        lines = [l for l in f.read().split("\r\n") if l]
    header = lines[0].split(",")
    assert header == ["ts"] + [t for t, _, _ in tags], header
    rows, order = {}, []
    for line in lines[1:]:
        cells = line.split(",")
        ms = int(round(datetime.datetime.fromisoformat(cells[0]).timestamp() * 1000))
        rows[ms] = dict(zip(header[1:], cells[1:]))
        order.append(ms)
    return rows, order


def same_value(decoded, text, datatype):
    """A decoded metric value equals the CSV cell (REAL: the same float32)."""
    if text == "":
        return decoded is None
    if decoded is None:
        return False
    if datatype == "Boolean":
        return decoded is (text.lower() in ("true", "1"))
    if datatype == "Float":
        return struct.pack("<f", float(text)) == struct.pack("<f", decoded)
    return int(text) == decoded


@unittest.skipUnless(PrivateMosquitto.available(), "needs mosquitto (scripts/install-deps.sh)")
class SparkplugTest(unittest.TestCase):
    def setUp(self):
        problem = decoder_problem()
        if problem:
            self.skipTest(f"cannot decode Sparkplug B in Python: {problem}")
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.procs = []
        self.collector = None
        # QoS 0 messages (all of Sparkplug's) are kept for the collector's persistent session
        # while it reconnects after the broker's restart.
        self.mq = PrivateMosquitto(extra="queue_qos0_messages true\n")
        self.ports = {"p1": free_port(), "p2": free_port()}
        self.fakes = {}
        for plc in ("p1", "p2"):
            self.start_plc(plc)

    def tearDown(self):
        if self.collector:
            self.collector.close()
        for p in reversed(self.procs):
            p.stop()
        for p in self.fakes.values():
            p.stop()
        self.mq.close()
        self.tmp.cleanup()

    def start_plc(self, plc):
        proc, _ = harness.start_fakeplc(port=self.ports[plc])
        self.fakes[plc] = proc

    def config(self):
        text = (f'[log]\noutputs = ["csv", "mqtt"]\nout = "{self.dir}/{{plc}}_{{group}}.csv"\n\n'
                f'[output.mqtt]\nurl = "{self.mq.url}"\nformat = "sparkplug"\n'
                f'group_id = "plant"\nedge_node = "{NODE}"\n\n')
        for plc, port in self.ports.items():
            text += (f'[[plc]]\nname = "{plc}"\nport = {port}\ntimeout = "1s"\n'
                     f'  [plc.reconnect]\n  initial = "200ms"\n  max = "500ms"\n\n')
        for (plc, group), (interval, tags) in GROUPS.items():
            text += f'[[group]]\nname = "{group}"\nplc = "{plc}"\ninterval = "{interval}"\n'
            for name, address, _ in tags:
                text += f'  [[group.tag]]\n  name = "{name}"\n  address = "{address}"\n'
            text += "\n"
        path = os.path.join(self.dir, "s7log.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    # --- waiting on the collected messages ---------------------------------------------------

    def topics(self):
        return [t for t, _ in list(self.collector.messages)]

    def wait_for(self, what, predicate, timeout=30.0):
        """Waits until predicate(topics) is true; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            got = predicate(self.topics())
            if got:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout} s; topics so far:\n" +
                                     "\n".join(self.topics()[-40:]))
            time.sleep(0.05)

    def wait_topic_after(self, topic, start, what=None, timeout=30.0):
        """Waits for `topic` at an index >= start; returns that index."""
        def find(topics):
            for i in range(start, len(topics)):
                if topics[i] == topic:
                    return i + 1  # truthy
            return None
        return self.wait_for(what or topic, find, timeout) - 1

    # --- the test ------------------------------------------------------------------------------

    def test_births_data_death_rebirth_outage_and_stop(self):
        self.collector = self.mq.collect(PREFIX + "#", persistent=True)
        logger = Proc(["run", "--config", self.config()], cwd=self.dir)
        self.procs.append(logger)
        logger.wait_line("connected to PLC 'p1'", timeout=15)
        logger.wait_line("connected to PLC 'p2'", timeout=15)
        nbirth, ddata = PREFIX + "NBIRTH/" + NODE, PREFIX + "DDATA/" + NODE
        dbirth, ddeath = PREFIX + "DBIRTH/" + NODE, PREFIX + "DDEATH/" + NODE
        self.wait_topic_after(nbirth, 0)
        for plc in ("p1", "p2"):
            self.wait_topic_after(ddata + "/" + plc, 0, timeout=15)

        # p2 goes away: DDEATH; back on the same port: a new DBIRTH, then its DDATA again.
        fakeplc_down(self.fakes["p2"])
        i = self.wait_topic_after(ddeath + "/p2", 0)
        logger.wait_line("lost the connection to PLC 'p2'", timeout=15)
        self.start_plc("p2")
        i = self.wait_topic_after(dbirth + "/p2", i)
        self.wait_topic_after(ddata + "/p2", i, "DDATA of p2 after its DBIRTH")

        # A host asks for a rebirth: NBIRTH and both DBIRTHs again.
        cmd = os.path.join(self.dir, "rebirth.bin")
        with open(cmd, "wb") as f:
            f.write(subprocess.run([SYSTEM_PYTHON, "-c", _REBIRTH, pb2_dir()],
                                   capture_output=True, check=True, timeout=30).stdout)
        start = len(self.topics())
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(self.mq.port), "-q", "1",
                        "-t", PREFIX + "NCMD/" + NODE, "-f", cmd], check=True, timeout=30)
        i = self.wait_topic_after(nbirth, start, "NBIRTH answering the rebirth request")
        self.wait_topic_after(dbirth + "/p1", i)
        self.wait_topic_after(dbirth + "/p2", i)
        self.wait_topic_after(ddata + "/p1", i)

        # The broker stops for a while; s7log spools, then sends the outage's samples as
        # historical DDATA after a new NBIRTH.
        before_restart = self.count_nbirths()
        self.mq.stop()
        self.broker_down_ms = int(time.time() * 1000)
        logger.wait_line(lambda l: "mqtt: " in l and "spool" in l, timeout=30)
        time.sleep(OUTAGE_S)  # the outage itself, not a wait for something
        self.broker_back_ms = int(time.time() * 1000)
        self.mq.start()
        logger.wait_line("mqtt: connected to", timeout=60)
        self.wait_for("NBIRTH after the broker's restart",
                      lambda t: t.count(nbirth) > before_restart)
        self.wait_for("live DDATA after the replay", lambda t: self.live_after_restart())

        # s7log stops: NDEATH (the explicit one) with the session's bdSeq.
        self.assertEqual(logger.stop(signal.SIGINT), 0, "\n".join(logger.err))
        self.wait_topic_after(PREFIX + "NDEATH/" + NODE, 0, "NDEATH at s7log's stop")
        self.collector.close()
        self.check_messages()

    def count_nbirths(self):
        return self.topics().count(PREFIX + "NBIRTH/" + NODE)

    def live_after_restart(self):
        """True once a DDATA not historical came after the last NBIRTH (decodes lazily: only the
        messages after it)."""
        msgs = list(self.collector.messages)
        last = max((i for i, (t, _) in enumerate(msgs) if t == PREFIX + "NBIRTH/" + NODE),
                   default=None)
        tail = [(t, p) for t, p in msgs[last + 1:] if "/DDATA/" in t] if last is not None else []
        if not tail:
            return False
        return any(not any(m["is_historical"] for m in d["metrics"])
                   for d in decode_all([p for _, p in tail]))

    # --- the checks ----------------------------------------------------------------------------

    def check_messages(self):
        msgs = [(t, p) for t, p in self.collector.messages if "/NCMD/" not in t]
        decoded = decode_all([p for _, p in msgs])
        dump = os.environ.get("S7LOG_SPB_DUMP")  # a folder: keep what came, for debugging
        if dump:
            os.makedirs(dump, exist_ok=True)
            with open(os.path.join(dump, "messages.json"), "w") as f:
                json.dump({"messages": [[t, d] for (t, _), d in zip(msgs, decoded)],
                           "broker_down_ms": self.broker_down_ms,
                           "broker_back_ms": self.broker_back_ms}, f)
            for name in os.listdir(self.dir):
                if name.endswith(".csv"):
                    shutil.copy(os.path.join(self.dir, name), os.path.join(dump, name))
        for (topic, _), d in zip(msgs, decoded):
            self.assertNotIn("error", d, f"{topic}: the Python decoder refused it: {d}")
        csv = {}
        for (plc, group), (_, tags) in GROUPS.items():
            csv[(plc, group)] = csv_table(os.path.join(self.dir, f"{plc}_{group}.csv"), tags)
            self.assertGreater(len(csv[(plc, group)][1]), 10, (plc, group))
        tag_types = {(plc, f"{g}/{t}"): dt for (plc, g), (_, tags) in GROUPS.items()
                     for t, _, dt in tags}

        first_topic = msgs[0][0]
        self.assertEqual(first_topic, PREFIX + "NBIRTH/" + NODE, "the first message")
        seq = None
        bd_seq = None
        bd_seqs = []
        born = set()
        dead_seen = {}
        last = {}  # (plc, metric): last live value told (births and live DDATA)
        covered = {}  # (plc, group) -> set of ts with a DDATA
        historical = {}  # (plc, group) -> set of ts with a historical DDATA
        rebirths = 0
        for (topic, _), d in zip(msgs, decoded):
            parts = topic[len(PREFIX):].split("/")
            kind, node = parts[0], parts[1]
            plc = parts[2] if len(parts) > 2 else None
            self.assertEqual(node, NODE, topic)
            metrics = {m["name"]: m for m in d["metrics"]}
            if kind == "NDEATH":
                self.assertEqual(metrics["bdSeq"]["value"], bd_seq, "NDEATH's bdSeq")
                self.assertNotIn("seq", d)
                seq = None  # until the next NBIRTH
                born.clear()
                continue
            self.assertIn("seq", d, topic)
            if kind == "NBIRTH":
                self.assertEqual(d["seq"], 0, "NBIRTH seq")
                self.assertEqual(metrics["bdSeq"]["datatype"], "UInt64")
                self.assertEqual(metrics["Node Control/Rebirth"]["datatype"], "Boolean")
                self.assertIs(metrics["Node Control/Rebirth"]["value"], False)
                if bd_seq is not None and metrics["bdSeq"]["value"] == bd_seq:
                    rebirths += 1  # a rebirth keeps the session's bdSeq
                elif bd_seq is not None:
                    self.assertEqual(metrics["bdSeq"]["value"], (bd_seq + 1) % 256,
                                     "the next session's bdSeq")
                bd_seq = metrics["bdSeq"]["value"]
                bd_seqs.append(bd_seq)
                seq = 0
                born.clear()
                continue
            self.assertIsNotNone(seq, f"{topic} outside a session (before NBIRTH)")
            self.assertEqual(d["seq"], (seq + 1) % 256, f"seq of {topic}")
            seq = d["seq"]
            self.assertIn(plc, ("p1", "p2"), topic)
            if kind == "DBIRTH":
                want = {name: dt for (p, name), dt in tag_types.items() if p == plc}
                self.assertEqual({n: m["datatype"] for n, m in metrics.items()}, want,
                                 f"DBIRTH of {plc}: every metric with its datatype")
                for name, m in metrics.items():
                    last[(plc, name)] = m["value"]
                    self.assertFalse(m["is_historical"])
                born.add(plc)
            elif kind == "DDEATH":
                self.assertEqual(d["metrics"], [])
                born.discard(plc)
                dead_seen[plc] = dead_seen.get(plc, 0) + 1
            elif kind == "DDATA":
                self.assertIn(plc, born, f"DDATA of {plc} without a DBIRTH before it")
                self.check_ddata(plc, d, csv, tag_types, last, covered, historical)
            else:
                self.fail(f"unexpected {topic}")

        self.assertGreaterEqual(dead_seen.get("p2", 0), 1, "no DDEATH of p2")
        self.assertGreaterEqual(rebirths, 1, "no NBIRTH answered the rebirth request")
        self.assertEqual(len(set(bd_seqs)), 2, f"two sessions, bdSeqs {bd_seqs}")

        # Every CSV row has a DDATA at its time, or nothing of it changed since the row before
        # (so nothing was to be sent); the rows taken while the broker was away came as
        # historical DDATA.
        for key, (rows, order) in csv.items():
            got = covered.get(key, set())
            self.assertIn(order[0], got, f"{key}: the first row has no DDATA")
            for prev, ts in zip(order, order[1:]):
                if ts not in got:
                    self.assertEqual(rows[ts], rows[prev],
                                     f"{key}: row {ts} changed but has no DDATA")
            outage = [ts for ts in order if self.broker_down_ms < ts < self.broker_back_ms]
            self.assertGreater(len(outage), 0, key)
            missing = [ts for ts in outage if ts not in historical.get(key, set())]
            self.assertEqual(missing, [], f"{key}: rows of the outage without a historical DDATA "
                                          f"(broker down {self.broker_down_ms}.."
                                          f"{self.broker_back_ms})")

    def check_ddata(self, plc, d, csv, tag_types, last, covered, historical):
        stamps = {m["timestamp"] for m in d["metrics"]}
        groups = {m["name"].split("/", 1)[0] for m in d["metrics"]}
        self.assertEqual(len(stamps), 1, f"one sample per DDATA: {d}")
        self.assertEqual(len(groups), 1, f"one group per DDATA: {d}")
        ts, group = stamps.pop(), groups.pop()
        self.assertEqual(d["timestamp"], ts)
        key = (plc, group)
        self.assertIn(key, csv, d)
        rows, _ = csv[key]
        self.assertIn(ts, rows, f"{key}: DDATA at {ts} has no CSV row")
        row = rows[ts]
        flags = {m["is_historical"] for m in d["metrics"]}
        self.assertEqual(len(flags), 1, f"all metrics of a DDATA historical or none: {d}")
        is_hist = flags.pop()
        covered.setdefault(key, set()).add(ts)
        names = set()
        for m in d["metrics"]:
            tag = m["name"].split("/", 1)[1]
            dt = tag_types[(plc, m["name"])]
            names.add(m["name"])
            self.assertEqual(m["datatype"], dt, m)
            self.assertTrue(same_value(m["value"], row[tag], dt),
                            f"{key} at {ts}: {tag} is {m['value']} in DDATA, {row[tag]!r} in the "
                            f"CSV")
        group_metrics = {n for (p, n) in tag_types if p == plc and n.startswith(group + "/")}
        if is_hist:
            historical.setdefault(key, set()).add(ts)
            self.assertEqual(names, group_metrics, f"historical DDATA carries every metric: {d}")
            return
        # Live: only what changed since the device's last birth or live DDATA.
        for name in group_metrics:
            tag = name.split("/", 1)[1]
            before = last.get((plc, name))
            unchanged = same_value(before, row[tag], tag_types[(plc, name)])
            if name in names:
                self.assertFalse(unchanged, f"{key} at {ts}: {name} did not change ({before}) "
                                            "but is in the DDATA")
            else:
                self.assertTrue(unchanged, f"{key} at {ts}: {name} changed from {before} to "
                                           f"{row[tag]!r} but is not in the DDATA")
        for m in d["metrics"]:
            last[(plc, m["name"])] = m["value"]


if __name__ == "__main__":
    harness.main()
