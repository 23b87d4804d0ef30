#!/usr/bin/env python3
"""The plant benchmark (`make bench-plant`): the release `s7log run` logging many fake PLCs served
by one `s7log fakeplc --plcs N` process, on loopback. Measures, for the logger process only: CPU
(share of one core over the measured window, from /proc/PID/stat), RSS and its high-water mark,
points written (rows x tags, counted in the CSV files), skipped slots and the lateness per group
(the logger's own histogram, --stats-json). Prints one JSON line per case.

Cases (each can be picked with --case):
  plant     100 PLCs x 1,000 tags (REAL, INT, DINT, BOOL over 4 DBs) at 1 s = 100,000 points/s
  big       1 PLC x 10,000 tags at 100 ms = 100,000 points/s
  isolation 3 PLCs x 200 tags at 100 ms: all healthy, then one dead (nothing listens), then one
            answering every request 2 s late; the healthy PLCs' lateness and skipped slots
  plant-nodes7, big-nodes7: the same load read by nodes7 (bench/nodes7_plant.js, one connection
            per PLC, readAllItems per interval, a CSV row per read), measured the same way
            (needs `npm ci` in bench/npm, as `make bench` does)
Stops every process it starts."""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES = [("REAL", "DBD", 4), ("INT", "DBW", 2), ("DINT", "DBD", 4), ("BOOL", "DBX", 1)]
CLK = os.sysconf("SC_CLK_TCK")


def free_port_run(n):
    """P such that P..P+n-1 on 127.0.0.1 were free a moment ago."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n > 65535:
            continue
        socks = []
        try:
            for p in range(base, base + n):
                k = socket.socket()
                socks.append(k)
                k.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for k in socks:
                k.close()
    raise SystemExit(f"no {n} free ports in a row")


def tags(n, dbs=4):
    """n tags spread over DB1..DBdbs, types in turn, packed with small gaps."""
    out = []
    per_db = (n + dbs - 1) // dbs
    for db in range(1, dbs + 1):
        off = 0
        for i in range(per_db):
            if len(out) == n:
                break
            name, mnem, size = TYPES[(i + db) % len(TYPES)]
            if name == "BOOL":
                addr = f"DB{db}.DBX{off}.{i % 8}"
            else:
                addr = f"DB{db}.{mnem}{off}:{name}"
            out.append((f"db{db}_t{i}", addr))
            off += size + (2 if i % 5 == 0 else 0)
    return out


def fake_plc_config(path, db_size):
    with open(path, "w") as f:
        f.write('[plc]\nhost = "127.0.0.1"\nport = 1102\nmax_pdu = 960\nmax_parallel = 8\n'
                'tick = "1s"\n')
        for db in range(1, 5):
            f.write(f'\n[[areas]]\narea = "DB"\nnumber = {db}\nsize = {db_size}\n'
                    'init = "pattern"\n')


def plant_config(path, ports, n_tags, interval, out_dir):
    tl = tags(n_tags)
    with open(path, "w") as f:
        f.write(f'[log]\nout = "{out_dir}/{{plc}}.csv"\n\n')
        for i, port in enumerate(ports):
            f.write(f'[[plc]]\nname = "plc{i + 1}"\nport = {port}\ntimeout = "5s"\n\n')
        for i, _ in enumerate(ports):
            f.write(f'[[group]]\nname = "g"\nplc = "plc{i + 1}"\ninterval = "{interval}"\n')
            for name, addr in tl:
                f.write(f'  [[group.tag]]\n  name = "{name}"\n  address = "{addr}"\n')
            f.write("\n")
    return len(tl)


def proc_cpu_ns(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1e9 / CLK


def proc_mem_kib(pid):
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def wait_ports(ports, timeout=30):
    deadline = time.monotonic() + timeout
    for p in ports:
        while True:
            with socket.socket() as s:
                s.settimeout(0.2)
                if s.connect_ex(("127.0.0.1", p)) == 0:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"fake PLC port {p} never opened")
            time.sleep(0.05)


def count_rows(path):
    with open(path, "rb") as f:
        return max(0, f.read().count(b"\n") - 1)


def measure(p, seconds, warmup):
    """CPU (share of one core over `seconds` after `warmup`) and memory of process `p`, then
    SIGINT and wait; returns (measurements, stdout text)."""
    try:
        time.sleep(warmup)
        c0, t0 = proc_cpu_ns(p.pid), time.monotonic()
        time.sleep(seconds)
        c1, t1 = proc_cpu_ns(p.pid), time.monotonic()
        rss, hwm = proc_mem_kib(p.pid)
    finally:
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate(timeout=30)
    return {"cpu_pct_of_one_core": round((c1 - c0) / ((t1 - t0) * 1e9) * 100, 2),
            "rss_mib": round(rss / 1024, 1), "hwm_mib": round(hwm / 1024, 1),
            "exit_code": p.returncode, "window_s": round(t1 - t0, 1)}, out or ""


def run_logger(s7log, cfg, seconds, warmup, work):
    """Runs the logger on `cfg`; returns its measurements and --stats-json."""
    stats = os.path.join(work, "stats.json")
    with open(os.path.join(work, "logger.err"), "w") as log:
        p = subprocess.Popen([s7log, "run", "--config", cfg, "--stats-json", stats],
                             stdout=subprocess.DEVNULL, stderr=log, cwd=work)
        m, _ = measure(p, seconds, warmup)
    with open(stats) as f:
        return m, json.load(f)


def start_fakeplc(s7log, work, n, db_size, extra=()):
    base = free_port_run(n)
    fcfg = os.path.join(work, "fakeplc.toml")
    fake_plc_config(fcfg, db_size)
    f = subprocess.Popen([s7log, "fakeplc", "--config", fcfg, "--plcs", str(n), "--base-port",
                          str(base)] + list(extra),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ports(range(base, base + n))
    return f, list(range(base, base + n))


def stop(p):
    if p and p.poll() is None:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def group_summary(st):
    groups = st.get("groups", [])
    return {
        "groups": len(groups),
        "skipped_slots": sum(g["skipped_samples"] for g in groups),
        "lateness_p99_ms_max_over_groups": round(max((g["lateness_p99_ms"] for g in groups),
                                                     default=0), 3),
        "lateness_p50_ms_median_group": round(sorted(g["lateness_p50_ms"] for g in groups)[
            len(groups) // 2], 3) if groups else 0,
        "lateness_max_ms": round(st.get("lateness_max_ms", 0), 3),
    }


def case_load(s7log, label, n_plcs, n_tags, interval, seconds, warmup):
    with tempfile.TemporaryDirectory() as work:
        db_size = max(64, 2 * n_tags)
        fake, ports = start_fakeplc(s7log, work, n_plcs, db_size)
        try:
            cfg = os.path.join(work, "plant.toml")
            nt = plant_config(cfg, ports, n_tags, interval, work)
            m, st = run_logger(s7log, cfg, seconds, warmup, work)
        finally:
            stop(fake)
        rows = sum(count_rows(os.path.join(work, f"plc{i + 1}.csv")) for i in range(n_plcs))
        out = {"case": label, "plcs": n_plcs, "tags_per_plc": nt, "interval": interval,
               "points_written": rows * nt, "rows": rows,
               "points_per_s_nominal": round(n_plcs * nt / (float(interval[:-2]) / 1000
                                                             if interval.endswith("ms")
                                                             else float(interval[:-1])))}
        out.update(m)
        out.update(group_summary(st))
        return out


def run_nodes7(cfg_tags, ports, interval_ms, seconds, warmup, work):
    """The nodes7 peer on the same PLCs and tags; measured like s7log (CPU, RSS of the process)."""
    tj = os.path.join(work, "tags.json")
    with open(tj, "w") as f:
        json.dump(cfg_tags, f)
    p = subprocess.Popen(["node", os.path.join(ROOT, "bench", "nodes7_plant.js"), "--tags-json", tj,
                          "--base-port", str(ports[0]), "--plcs", str(len(ports)),
                          "--interval-ms", str(interval_ms), "--out", work],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    m, out = measure(p, seconds, warmup)
    res = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
    m.update({"skipped_slots": res.get("skipped_slots"), "read_errors": res.get("errors")})
    return m


def case_peer(s7log, label, n_plcs, n_tags, interval, seconds, warmup):
    with tempfile.TemporaryDirectory() as work:
        fake, ports = start_fakeplc(s7log, work, n_plcs, max(64, 2 * n_tags))
        try:
            tl = tags(n_tags)
            iv_ms = float(interval[:-2]) if interval.endswith("ms") else float(interval[:-1]) * 1000
            m = run_nodes7(tl, ports, iv_ms, seconds, warmup, work)
        finally:
            stop(fake)
        rows = sum(count_rows(os.path.join(work, f"plc{i + 1}.csv")) for i in range(n_plcs))
        out = {"case": label, "peer": "nodes7 0.3.18 (Node.js)", "plcs": n_plcs,
               "tags_per_plc": len(tl), "interval": interval, "rows": rows,
               "points_written": rows * len(tl)}
        out.update(m)
        return out


def case_isolation(s7log, seconds, warmup):
    """3 PLCs at 100 ms; PLC 3 healthy, dead, or delayed by 2 s. Reports PLC 1 and 2 only."""
    results = []
    for mode in ("all healthy", "plc3 dead", "plc3 answers 2 s late"):
        with tempfile.TemporaryDirectory() as work:
            fake, ports = start_fakeplc(s7log, work, 2, 1024)
            slow = None
            try:
                third = free_port_run(1)  # "dead": nothing listens there
                if mode != "plc3 dead":
                    extra = ["--delay", "2s"] if mode.endswith("late") else []
                    fcfg = os.path.join(work, "fakeplc.toml")
                    slow = subprocess.Popen([s7log, "fakeplc", "--config", fcfg, "--port",
                                             str(third)] + extra,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    wait_ports([third])
                cfg = os.path.join(work, "plant.toml")
                plant_config(cfg, ports + [third], 200, "100ms", work)
                m, st = run_logger(s7log, cfg, seconds, warmup, work)
            finally:
                stop(fake)
                stop(slow)
            healthy = [g for g in st["groups"] if g["plc"] in ("plc1", "plc2")]
            third_g = [g for g in st["groups"] if g["plc"] == "plc3"]
            results.append({
                "case": "isolation", "mode": mode,
                "healthy_skipped": sum(g["skipped_samples"] for g in healthy),
                "healthy_rows": sum(g["samples_written"] for g in healthy),
                "healthy_lateness_p50_ms": [round(g["lateness_p50_ms"], 3) for g in healthy],
                "healthy_lateness_p99_ms": [round(g["lateness_p99_ms"], 3) for g in healthy],
                "healthy_lateness_max_ms": [round(g["lateness_max_ms"], 3) for g in healthy],
                "plc3_rows": sum(g["samples_written"] for g in third_g),
                "plc3_skipped": sum(g["skipped_samples"] for g in third_g),
                "cpu_pct_of_one_core": m["cpu_pct_of_one_core"], "exit_code": m["exit_code"]})
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--s7log", default=os.path.join(ROOT, "build/release/apps/s7log/s7log"))
    ap.add_argument("--case", action="append",
                    choices=["plant", "big", "isolation", "plant-nodes7", "big-nodes7"])
    ap.add_argument("--seconds", type=float, default=300, help="measured window per case")
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--plcs", type=int, default=100)
    ap.add_argument("--tags", type=int, default=1000)
    a = ap.parse_args()
    cases = a.case or ["plant", "big", "isolation"]
    if "plant" in cases:
        print(json.dumps(case_load(a.s7log, "plant", a.plcs, a.tags, "1s", a.seconds, a.warmup)),
              flush=True)
    if "big" in cases:
        print(json.dumps(case_load(a.s7log, "big", 1, 10 * a.tags, "100ms", a.seconds,
                                   a.warmup)), flush=True)
    if "plant-nodes7" in cases:
        print(json.dumps(case_peer(a.s7log, "plant", a.plcs, a.tags, "1s", a.seconds, a.warmup)),
              flush=True)
    if "big-nodes7" in cases:
        print(json.dumps(case_peer(a.s7log, "big", 1, 10 * a.tags, "100ms", a.seconds,
                                   a.warmup)), flush=True)
    if "isolation" in cases:
        for r in case_isolation(a.s7log, min(a.seconds, 60), a.warmup):
            print(json.dumps(r), flush=True)


if __name__ == "__main__":
    sys.exit(main())
