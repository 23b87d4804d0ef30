#!/usr/bin/env python3
"""python-snap7 peer for the benchmarks: one workload (seq, multi, large) against --host/--port,
one request in flight, every byte checked against the bench pattern (byte i = i mod 256), one JSON
line like `s7log bench`.

python-snap7 is not in Debian and PyPI is not reachable from this project's machines, so it is
not installed by the project: point PYTHONPATH (or `make bench`'s BENCH_PYSNAP7) at a checkout of
its sources (pure Python since 3.0). Without it, bench/run.sh skips this peer and the report
falls back to the issue's table figures.
"""
import argparse
import json
import math
import sys
import time


def pattern_ok(data, offset, length):
    return len(data) == length and all(b == (offset + i) & 0xFF for i, b in enumerate(data))


def percentile_us(sorted_ns, p):
    if not sorted_ns:
        return 0.0
    idx = min(len(sorted_ns) - 1, max(0, math.ceil(p * len(sorted_ns)) - 1))
    return round(sorted_ns[idx] / 100) / 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=1102)
    ap.add_argument("--test", choices=("seq", "multi", "large"), default="seq")
    ap.add_argument("--duration", type=float, default=5)
    ap.add_argument("--size", type=int, default=4096)
    a = ap.parse_args()

    import snap7  # from PYTHONPATH
    from snap7.type import Area

    client = snap7.Client()
    client.connect(a.host, 0, 1, a.port)
    if a.test == "seq":
        checks = [(0, 12)]
        read = lambda: [client.db_read(1, 0, 12)]
    elif a.test == "multi":
        checks = [(i * 100, 4) for i in range(10)]
        items = [{"area": Area.DB, "db_number": 2, "start": off, "size": n} for off, n in checks]
        read = lambda: client.read_multi_vars(items)[1]
    else:
        checks = [(0, a.size)]
        read = lambda: [client.db_read(2, 0, a.size)]

    lat, errors, bad = [], 0, 0
    t0 = time.perf_counter_ns()
    deadline = t0 + int(a.duration * 1e9)
    while time.perf_counter_ns() < deadline:
        s = time.perf_counter_ns()
        try:
            data = read()
        except Exception as e:  # a failed read counts, the run goes on
            errors += 1
            if errors == 1:
                print(f"pysnap7_bench: {e}", file=sys.stderr)
            continue
        e = time.perf_counter_ns()
        if len(data) != len(checks) or not all(
                pattern_ok(d, off, n) for d, (off, n) in zip(data, checks)):
            bad += 1
            continue
        lat.append(e - s)
    elapsed = (time.perf_counter_ns() - t0) / 1e9
    client.disconnect()
    lat.sort()
    print(json.dumps({
        "test": a.test, "peer": "python-snap7", "bytes_per_read": sum(n for _, n in checks),
        "connections": 1, "duration_s": round(elapsed, 3), "reads": len(lat),
        "reads_per_s": round(len(lat) / elapsed, 1), "p50_us": percentile_us(lat, 0.5),
        "p90_us": percentile_us(lat, 0.9), "p99_us": percentile_us(lat, 0.99),
        "errors": errors, "bad_data": bad, "verified": errors == 0 and bad == 0 and bool(lat),
    }))


if __name__ == "__main__":
    main()
