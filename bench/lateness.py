#!/usr/bin/env python3
"""Logger timing from a CSV written with --interval <ms>: lateness of each row's ts against its slot
(start + k * interval, the start taken as the earliest row offset), drift (least-squares slope of
the offsets, in ms per minute), plus the CPU share and RSS measured by bench/run.sh. The ts column
has millisecond resolution, so lateness is known to +-1 ms. Prints one JSON line."""
import argparse
import csv
import datetime
import json


def parse_ts(text):
    return datetime.datetime.fromisoformat(text.replace(",", ".").replace(" ", "T")).timestamp()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("interval_ms", type=float)
    ap.add_argument("--cpu-ticks", type=float, default=0)
    ap.add_argument("--seconds", type=float, default=0)
    ap.add_argument("--hz", type=float, default=100)
    ap.add_argument("--rss-kib", type=int, default=0)
    a = ap.parse_args()
    with open(a.csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    ts = [parse_ts(r[0]) for r in rows[1:] if r and r[0]]
    iv = a.interval_ms / 1000.0
    offsets = [t - k * iv for k, t in enumerate(ts)]
    out = {"rows": len(ts), "interval_ms": a.interval_ms}
    if len(ts) > 1:
        base = min(offsets)
        late = sorted((o - base) * 1000 for o in offsets)
        n = len(late)
        k_mean = (n - 1) / 2
        o_mean = sum(offsets) / n
        num = sum((k - k_mean) * (o - o_mean) for k, o in enumerate(offsets))
        den = sum((k - k_mean) ** 2 for k in range(n))
        slope = num / den if den else 0.0  # seconds per row
        out.update({
            "span_s": round(ts[-1] - ts[0], 3),
            "lateness_p50_ms": round(late[n // 2], 3),
            "lateness_p99_ms": round(late[min(n - 1, int(0.99 * n))], 3),
            "lateness_max_ms": round(late[-1], 3),
            "drift_ms_per_min": round(slope / iv * 60 * 1000, 4),
            "end_offset_ms": round((offsets[-1] - offsets[0]) * 1000, 3),
        })
    if a.seconds > 0:
        out["slow_cpu_percent"] = round(a.cpu_ticks / a.hz / a.seconds * 100, 4)
        out["slow_cpu_seconds"] = a.seconds
    out["slow_rss_kib"] = a.rss_kib
    print(json.dumps(out))


if __name__ == "__main__":
    main()
