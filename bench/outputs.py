#!/usr/bin/env python3
"""The network outputs benchmark (`make bench-outputs`): PostgreSQL and MQTT on loopback, against
a private PostgreSQL cluster (tests/integration/private_postgres.py: fsync off) and a private
mosquitto (tests/integration/private_mosquitto.py), both started and stopped here.

Parts (each can be picked with --case):
  pg      s7log_sink_throughput (bench/sink_throughput.cpp) delivering a group of 1,000 tags in
          batches of 100 rows and one of 100 tags in batches of 1,000 to PostgresDelivery (COPY
          into a staging table + INSERT ... ON CONFLICT DO NOTHING, a transaction per batch); the
          bound: `psql -c "\\copy TABLE FROM FILE"` of the same COPY text into an identical fresh
          table (one COPY, no staging); and psql running the delivery's own SQL on all rows at
          once (temp table, \\copy, INSERT ... ON CONFLICT), to tell SQL from client cost.
  mqtt    the same program delivering JSON messages (10 and 100 tags, QoS 0 and 1) to
          MqttDelivery; the bound: `mosquitto_pub -l -q Q` reading the same payloads, one per
          line, from a file. Each with and without a subscriber (mosquitto_sub writing one byte
          per message to a file, so the messages that arrived are counted).
  plant   `s7log run` on 100 fake PLCs x 1,000 tags at 1 s (bench/plant.py's plant) with
          outputs = ["csv", "postgres", "mqtt"] (a table per PLC, JSON at QoS 1): the logger's
          CPU and RSS, skipped slots, points/s reaching each output in the measured window,
          the spool at the end, and the CPU of postgres, mosquitto and the subscriber.
Prints a summary table, writes every result as JSON to --json. Stops every process it starts."""
import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in bench/ or tests/ from the imports below
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import plant  # noqa: E402  (bench/plant.py: fake PLCs, plant config, /proc readers)
from private_mosquitto import PrivateMosquitto  # noqa: E402
from private_postgres import PrivatePostgres  # noqa: E402

CLK = os.sysconf("SC_CLK_TCK")


# --- CPU of other processes --------------------------------------------------------------------

def tree_cpu_s(pid):
    """CPU seconds of `pid` and its children, the reaped ones included (PostgreSQL's backends)."""
    def stat(p):
        with open(f"/proc/{p}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    total = 0
    try:
        s = stat(pid)
        total = sum(int(x) for x in s[11:15])  # utime stime cutime cstime
    except OSError:
        return 0.0
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == pid:
            continue
        try:
            s = stat(d)
        except OSError:
            continue
        if int(s[1]) == pid:
            total += int(s[11]) + int(s[12])
    return total / CLK


def machine_busy():
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


def busy_pct(b0, b1):
    return round(100.0 * (b1[0] - b0[0]) / max(1, b1[1] - b0[1]), 1)


def postmaster_pid(pg):
    with open(os.path.join(pg.data, "postmaster.pid")) as f:
        return int(f.readline())


# --- PostgreSQL --------------------------------------------------------------------------------

def psql_timed(pg, args, stdin_sql=None):
    psql = os.path.join(pg.bindir, "psql")
    pm = postmaster_pid(pg)
    c0, t0 = tree_cpu_s(pm), time.monotonic()
    p = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg.url] + args,
                       input=stdin_sql, capture_output=True, text=True, timeout=900)
    t1 = time.monotonic()
    if p.returncode != 0:
        raise RuntimeError(f"psql failed: {p.stderr}")
    return t1 - t0, tree_cpu_s(pm) - c0


def run_tool(tool, args, server_pid, extra_pids=()):
    """Runs s7log_sink_throughput; its JSON plus the server's CPU seconds during the run."""
    c0 = tree_cpu_s(server_pid)
    e0 = [tree_cpu_s(p) for p in extra_pids]
    p = subprocess.run([tool] + args, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise RuntimeError(f"{tool} {' '.join(args)} failed: {p.stderr}")
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["server_cpu_s"] = round(tree_cpu_s(server_pid) - c0, 3)
    if extra_pids:
        r["subscriber_cpu_s"] = round(sum(tree_cpu_s(p) for p in extra_pids) - sum(e0), 3)
    return r


def case_pg(tool, pg, work, sizes):
    out = []
    pm = postmaster_pid(pg)
    for i, (tags, rows, batch) in enumerate(sizes):
        table, bound, staged = f"s{i}_t{tags}", f"s{i}_t{tags}_copy", f"s{i}_t{tags}_copy_staged"
        data, ddl = os.path.join(work, f"{table}.copy"), os.path.join(work, f"{table}.sql")
        r = run_tool(tool, ["--postgres", pg.url, "--table", table, "--bound-table", bound,
                            "--tags", str(tags), "--rows", str(rows), "--batch", str(batch),
                            "--file", data, "--ddl", ddl], pm)
        stored = int(pg.psql(f'SELECT count(*) FROM "{table}"')[0][0])
        r.update({"case": "pg", "who": "s7log PostgresDelivery", "rows_stored": stored})
        out.append(r)
        print(json.dumps(r), flush=True)
        # The bound: one \copy of the same text into a fresh identical table.
        psql_timed(pg, ["-f", ddl])
        wall, cpu = psql_timed(pg, ["-c", f"\\copy public.\"{bound}\" FROM '{data}'"])
        stored = int(pg.psql(f'SELECT count(*) FROM "{bound}"')[0][0])
        b = {"case": "pg", "who": "psql \\copy (bound)", "tags": tags, "rows": rows,
             "batch": rows, "deliver_s": round(wall, 4), "rows_per_s": round(rows / wall, 1),
             "points_per_s": round(rows * tags / wall), "server_cpu_s": round(cpu, 3),
             "rows_stored": stored, "file_bytes": os.path.getsize(data)}
        out.append(b)
        print(json.dumps(b), flush=True)
        # The delivery's SQL, run by psql on all rows in one transaction.
        with open(ddl) as f:
            psql_timed(pg, [], f.read().replace(f'"{bound}"', f'"{staged}"'))
        script = ("BEGIN;\n"
                  f'CREATE TEMP TABLE stage (LIKE public."{staged}" INCLUDING DEFAULTS) '
                  "ON COMMIT DELETE ROWS;\n"
                  f"\\copy stage FROM '{data}'\n"
                  f'INSERT INTO public."{staged}" SELECT * FROM stage ON CONFLICT DO NOTHING;\n'
                  "COMMIT;\n")
        wall, cpu = psql_timed(pg, [], script)
        stored = int(pg.psql(f'SELECT count(*) FROM "{staged}"')[0][0])
        s = {"case": "pg", "who": "psql, the delivery's SQL in one batch", "tags": tags,
             "rows": rows, "batch": rows, "deliver_s": round(wall, 4),
             "rows_per_s": round(rows / wall, 1), "points_per_s": round(rows * tags / wall),
             "server_cpu_s": round(cpu, 3), "rows_stored": stored}
        out.append(s)
        print(json.dumps(s), flush=True)
        os.remove(data)
        pg.psql(f'DROP TABLE "{table}", "{bound}", "{staged}"')
    return out


# --- MQTT --------------------------------------------------------------------------------------

class Counter:
    """mosquitto_sub on `topic` writing one byte per message to a file: count() is the messages
    that arrived."""

    def __init__(self, broker, topic, qos, work, name):
        self.path = os.path.join(work, f"{name}.count")
        self.f = open(self.path, "wb")
        self.p = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port),
                                   "-t", topic, "-q", str(qos), "-N", "-F", "x",
                                   "-i", f"s7log-bench-sub-{os.getpid()}-{name}"],
                                  stdin=subprocess.DEVNULL, stdout=self.f,
                                  stderr=subprocess.DEVNULL)
        # Subscribed once a probe on the filter comes back.
        probe = topic.rstrip("#") + "_probe"
        deadline = time.monotonic() + 10
        while self.count() == 0:
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError("mosquitto_sub did not subscribe")
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker.port), "-t",
                            probe, "-m", "p"], capture_output=True, timeout=10)
            time.sleep(0.1)
        time.sleep(0.3)  # late probes
        self.base = self.count()

    def count(self):
        return os.path.getsize(self.path)

    def received(self):
        return self.count() - self.base

    def wait(self, n, quiet=2.0):
        """Waits until n messages came or none came for `quiet` s; returns the time it did."""
        last, at = self.received(), time.monotonic()
        while self.received() < n:
            time.sleep(0.01)
            c = self.received()
            if c != last:
                last, at = c, time.monotonic()
            elif time.monotonic() - at > quiet:
                break
        return at if self.received() < n else time.monotonic()

    def close(self):
        plant.stop(self.p)
        self.f.close()


def case_mqtt(tool, broker, work, sizes, subscriber_modes, qos0_factor):
    out = []
    bpid = broker.proc.pid
    for tags, rows1 in sizes:
        for qos in (0, 1):
            rows = rows1 * qos0_factor if qos == 0 else rows1
            for with_sub in subscriber_modes:
                name = f"t{tags}_q{qos}_{'sub' if with_sub else 'nosub'}"
                topic_root = f"bench/{name}/"
                data = os.path.join(work, f"{name}.jsonl")
                for who in ("s7log MqttDelivery", "mosquitto_pub -l (bound)"):
                    sub = Counter(broker, topic_root + "#", qos, work, f"{name}_{len(out)}") \
                        if with_sub else None
                    try:
                        t0 = time.monotonic()
                        if who.startswith("s7log"):
                            r = run_tool(tool, ["--mqtt", broker.url, "--qos", str(qos),
                                                "--topic", topic_root + "{plc}/{group}",
                                                "--tags", str(tags), "--rows", str(rows),
                                                "--batch", "1000", "--file", data], bpid,
                                         [sub.p.pid] if sub else ())
                        else:
                            c0 = tree_cpu_s(bpid)
                            e0 = tree_cpu_s(sub.p.pid) if sub else 0
                            with open(data, "rb") as f:
                                p = subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p",
                                                    str(broker.port), "-t",
                                                    topic_root + "plc1/g", "-q", str(qos), "-l"],
                                                   stdin=f, capture_output=True, timeout=900)
                            wall = time.monotonic() - t0
                            if p.returncode != 0:
                                raise RuntimeError(f"mosquitto_pub failed: {p.stderr}")
                            r = {"output": "mqtt", "qos": qos, "tags": tags, "rows": rows,
                                 "deliver_s": round(wall, 4), "rows_per_s": round(rows / wall, 1),
                                 "points_per_s": round(rows * tags / wall),
                                 "server_cpu_s": round(tree_cpu_s(bpid) - c0, 3),
                                 "file_bytes": os.path.getsize(data)}
                            if sub:
                                r["subscriber_cpu_s"] = round(tree_cpu_s(sub.p.pid) - e0, 3)
                        r.update({"case": "mqtt", "who": who, "subscriber": with_sub})
                        if sub:
                            done = sub.wait(rows)
                            r["received"] = sub.received()
                            # From the tool's connect() or mosquitto_pub's start.
                            start = r.get("t_start_mono", t0)
                            r["until_all_received_s"] = round(done - start, 3)
                            r["received_per_s"] = round(r["received"] / (done - start), 1)
                    finally:
                        if sub:
                            sub.close()
                    out.append(r)
                    print(json.dumps(r), flush=True)
                os.remove(data)
    return out


def quiet_broker():
    """The tests' broker with no limit on queued messages (a slow subscriber gets every message)
    and logging cut from "all" (a line per message) to errors, warnings and notices."""
    broker = PrivateMosquitto(extra="max_queued_messages 0\n")
    broker.stop()
    conf = os.path.join(broker.dir, "mosquitto.conf")
    with open(conf) as f:
        text = f.read()
    with open(conf, "w") as f:
        f.write(text.replace("log_type all", "log_type error\nlog_type warning\nlog_type notice"))
    broker.start()
    return broker


# --- the plant with every output ---------------------------------------------------------------

def plant_outputs_config(cfg, ports, n_tags, work, pg_url, mqtt_url, qos):
    """bench/plant.py's plant config with outputs = ["csv", "postgres", "mqtt"], a PostgreSQL
    table per PLC and JSON on s7log/{plc}/{group}."""
    nt = plant.plant_config(cfg, ports, n_tags, "1s", work)
    with open(cfg) as f:
        text = f.read()
    text = text.replace("[log]\n", '[log]\noutputs = ["csv", "postgres", "mqtt"]\n', 1)
    text += (f'[output.postgres]\nurl = "{pg_url}"\ntable = "{{plc}}"\n\n'
             f'[output.mqtt]\nurl = "{mqtt_url}"\nformat = "json"\nqos = {qos}\n')
    with open(cfg, "w") as f:
        f.write(text)
    return nt


def pg_rows(pg):
    """Rows in the plant's tables (plc1, plc2, ...) that exist so far."""
    names = [r[0] for r in pg.psql("SELECT relname FROM pg_class WHERE relkind = 'r' AND "
                                    "relname ~ '^plc[0-9]+$'")]
    if not names:
        return 0
    sql = " UNION ALL ".join(f'SELECT count(*) AS n FROM "{n}"' for n in names)
    return int(pg.psql(f"SELECT sum(n) FROM ({sql}) c")[0][0])


def pg_commits(pg):
    """Transactions committed in the database so far (pg_stat_database)."""
    return int(pg.psql("SELECT xact_commit FROM pg_stat_database WHERE datname = "
                       "current_database()")[0][0])


def csv_rows(work, n_plcs):
    return sum(plant.count_rows(os.path.join(work, f"plc{i + 1}.csv")) for i in range(n_plcs)
               if os.path.exists(os.path.join(work, f"plc{i + 1}.csv")))


def dir_bytes(path):
    total = 0
    for f in glob.glob(os.path.join(path, "**"), recursive=True):
        if os.path.isfile(f):
            total += os.path.getsize(f)
    return total


def case_plant(s7log, pg, broker, n_plcs, n_tags, seconds, warmup, qos):
    with tempfile.TemporaryDirectory() as work:
        fake, ports = plant.start_fakeplc(s7log, work, n_plcs, max(64, 2 * n_tags))
        sub = logger = None
        try:
            cfg = os.path.join(work, "plant.toml")
            nt = plant_outputs_config(cfg, ports, n_tags, work, pg.url, broker.url, qos)
            sub = Counter(broker, "s7log/#", qos, work, "plant")
            stats = os.path.join(work, "stats.json")
            err = open(os.path.join(work, "logger.err"), "w")
            t_start = time.monotonic()
            logger = subprocess.Popen([s7log, "run", "--config", cfg, "--stats-json", stats],
                                      stdout=subprocess.DEVNULL, stderr=err, cwd=work)
            err.close()
            # Warm-up: RSS every 5 s, and when the first rows reached PostgreSQL.
            series, pg_first = [], None
            while time.monotonic() - t_start < warmup:
                time.sleep(min(1.0, max(0.0, warmup - (time.monotonic() - t_start))))
                if pg_first is None and pg_rows(pg) > 0:
                    pg_first = round(time.monotonic() - t_start, 1)
                if not series or time.monotonic() - t_start >= 5 * len(series):
                    series.append(round(plant.proc_mem_kib(logger.pid)[0] / 1024, 1))
            pm, bpid = postmaster_pid(pg), broker.proc.pid
            x0 = pg_commits(pg)
            r0 = (csv_rows(work, n_plcs), pg_rows(pg), sub.received())
            cpu0 = (plant.proc_cpu_ns(logger.pid) / 1e9, tree_cpu_s(pm), tree_cpu_s(bpid),
                    tree_cpu_s(sub.p.pid))
            m0, t0 = machine_busy(), time.monotonic()
            while time.monotonic() - t0 < seconds:
                time.sleep(min(5.0, max(0.0, seconds - (time.monotonic() - t0))))
                series.append(round(plant.proc_mem_kib(logger.pid)[0] / 1024, 1))
            cpu1 = (plant.proc_cpu_ns(logger.pid) / 1e9, tree_cpu_s(pm), tree_cpu_s(bpid),
                    tree_cpu_s(sub.p.pid))
            m1, t1 = machine_busy(), time.monotonic()
            rss, hwm = plant.proc_mem_kib(logger.pid)
            spool_at_end_of_window = {o: dir_bytes(os.path.join(work, "s7log-spool", o))
                                      for o in ("postgres", "mqtt")}
            r1 = (csv_rows(work, n_plcs), pg_rows(pg), sub.received())
            x1 = pg_commits(pg)
            logger.send_signal(signal.SIGINT)
            logger.wait(timeout=120)
            t_stop = time.monotonic()
            sub.wait(r1[0] + 10 ** 9, quiet=2.0)  # let the last messages arrive
            final = (csv_rows(work, n_plcs), pg_rows(pg), sub.received())
            with open(stats) as f:
                st = json.load(f)
            with open(os.path.join(work, "logger.err")) as f:
                log_tail = f.read()[-2000:]
        finally:
            if logger:
                plant.stop(logger)
            if sub:
                sub.close()
            plant.stop(fake)
        win = t1 - t0

        def pps(a, b):
            return round((b - a) * nt / win)

        out = {"case": "plant", "plcs": n_plcs, "tags_per_plc": nt, "interval": "1s",
               "outputs": ["csv", "postgres", "mqtt"], "mqtt_qos": qos,
               "points_per_s_nominal": n_plcs * nt, "window_s": round(win, 1),
               "warmup_s": warmup, "run_s": round(t_stop - t_start, 1),
               "cpu_pct_of_one_core": round((cpu1[0] - cpu0[0]) / win * 100, 2),
               "rss_mib": round(rss / 1024, 1), "hwm_mib": round(hwm / 1024, 1),
               "rss_mib_every_5s": series, "first_postgres_row_after_s": pg_first,
               "postgres_cpu_pct": round((cpu1[1] - cpu0[1]) / win * 100, 1),
               "postgres_commits_per_s": round((x1 - x0) / win, 1),
               "mosquitto_cpu_pct": round((cpu1[2] - cpu0[2]) / win * 100, 1),
               "subscriber_cpu_pct": round((cpu1[3] - cpu0[3]) / win * 100, 1),
               "machine_busy_pct_of_all_cores": busy_pct(m0, m1),
               "points_per_s_csv": pps(r0[0], r1[0]),
               "points_per_s_postgres": pps(r0[1], r1[1]),
               "points_per_s_mqtt": pps(r0[2], r1[2]),
               "rows_total": {"csv": final[0], "postgres": final[1], "mqtt_received": final[2]},
               "spool_bytes_at_end_of_window": spool_at_end_of_window,
               "exit_code": logger.returncode,
               "outputs_stats": st.get("outputs", []),
               "rows_dropped": st.get("rows_dropped")}
        out.update(plant.group_summary(st))
        if logger.returncode != 0:
            out["logger_stderr_tail"] = log_tail
        return out


# --- summary -----------------------------------------------------------------------------------

def summary(results):
    lines = ["", f"{'case':6} {'who':40} {'tags':>5} {'qos':>3} {'sub':>3} {'rows':>8} "
             f"{'batch':>6} {'s':>7} {'rows/s':>10} {'points/s':>11} {'cli cpu':>7} "
             f"{'srv cpu':>7} {'recv':>8}"]
    for r in results:
        if r["case"] == "plant":
            continue
        lines.append(f"{r['case']:6} {r['who'][:40]:40} {r['tags']:>5} {str(r.get('qos', '')):>3} "
                     f"{('y' if r.get('subscriber') else '') if r['case'] == 'mqtt' else '':>3} "
                     f"{r['rows']:>8} {r.get('batch', ''):>6} {r['deliver_s']:>7.2f} "
                     f"{r['rows_per_s']:>10,.0f} {r['points_per_s']:>11,.0f} "
                     f"{r.get('deliver_cpu_s', ''):>7} {r.get('server_cpu_s', ''):>7} "
                     f"{r.get('received', ''):>8}")
    for r in results:
        if r["case"] != "plant":
            continue
        lines.append("")
        lines.append(f"plant {r['plcs']} x {r['tags_per_plc']} at 1 s, outputs csv+postgres+mqtt "
                     f"(QoS {r['mqtt_qos']}), {r['window_s']} s window:")
        for k in ("cpu_pct_of_one_core", "rss_mib", "hwm_mib", "rss_mib_every_5s",
                  "first_postgres_row_after_s", "skipped_slots",
                  "points_per_s_csv", "points_per_s_postgres", "points_per_s_mqtt",
                  "postgres_cpu_pct", "postgres_commits_per_s", "mosquitto_cpu_pct", "subscriber_cpu_pct",
                  "machine_busy_pct_of_all_cores", "spool_bytes_at_end_of_window", "rows_total",
                  "lateness_p99_ms_max_over_groups", "exit_code"):
            lines.append(f"  {k:32} {r.get(k)}")
        for o in r["outputs_stats"]:
            lines.append(f"  output {o['output']:8} delivered {o['delivered']} spooled "
                         f"{o['spooled']} spool_records {o['spool_records']} dropped "
                         f"{o['dropped']} failures {o['failures']}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build/release"),
                    help="build folder with apps/s7log/s7log and bench/s7log_sink_throughput")
    ap.add_argument("--case", action="append", choices=["pg", "mqtt", "plant"])
    ap.add_argument("--seconds", type=float, default=120, help="plant: measured window")
    ap.add_argument("--warmup", type=float, default=30, help="plant: before the window")
    ap.add_argument("--plcs", type=int, default=100)
    ap.add_argument("--tags", type=int, default=1000)
    ap.add_argument("--plant-qos", type=int, default=1, help="plant: MQTT QoS")
    ap.add_argument("--pg-wide-rows", type=int, default=10000, help="rows of 1,000 tags")
    ap.add_argument("--pg-narrow-rows", type=int, default=200000, help="rows of 100 tags")
    # mosquitto_pub -l (2.0.11) at QoS 1 stops early after 65,535 messages (its message ids wrap),
    # so the QoS 1 runs stay below that.
    ap.add_argument("--mqtt-rows-10", type=int, default=60000, help="QoS 1 messages of 10 tags")
    ap.add_argument("--mqtt-rows-100", type=int, default=50000, help="QoS 1 messages of 100 tags")
    ap.add_argument("--mqtt-qos0-factor", type=int, default=5, help="QoS 0: this many times more")
    ap.add_argument("--json", default=os.path.join(ROOT, "build", "bench-outputs.json"))
    a = ap.parse_args()
    cases = a.case or ["pg", "mqtt", "plant"]
    build = os.path.abspath(a.build)
    s7log = os.path.join(build, "apps/s7log/s7log")
    tool = os.path.join(build, "bench/s7log_sink_throughput")
    for exe in ([tool] if {"pg", "mqtt"} & set(cases) else []) + \
               ([s7log] if "plant" in cases else []):
        if not os.access(exe, os.X_OK):
            raise SystemExit(f"{exe} is missing: build it first (make bench-outputs does)")
    results = []
    work = tempfile.mkdtemp(prefix="s7log_bench_outputs_")
    pg = PrivatePostgres(db="bench")
    broker = None
    try:
        pg.start()
        broker = quiet_broker()
        if "pg" in cases:
            results += case_pg(tool, pg, work, [(1000, a.pg_wide_rows, 100),
                                                (100, a.pg_narrow_rows, 1000)])
        if "mqtt" in cases:
            results += case_mqtt(tool, broker, work, [(10, a.mqtt_rows_10),
                                                      (100, a.mqtt_rows_100)], (True, False),
                                 a.mqtt_qos0_factor)
        if "plant" in cases:
            r = case_plant(s7log, pg, broker, a.plcs, a.tags, a.seconds, a.warmup, a.plant_qos)
            print(json.dumps(r), flush=True)
            results.append(r)
    finally:
        if broker:
            broker.close()
        pg.close()
        shutil.rmtree(work, ignore_errors=True)
    print(summary(results))
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"machine": {"nproc": os.cpu_count(), "loadavg": os.getloadavg()},
                   "results": results}, f, indent=1)
    print(f"\nresults: {a.json}")


if __name__ == "__main__":
    sys.exit(main())
