#!/usr/bin/env python3
"""Logger timing from a CSV written with --interval <ms>: lateness of each row's ts against its slot
(start + k * interval, k the slot boundary at or before the row, the start taken as the earliest offset), drift (least-squares slope of
the offsets, in ms per minute), plus the CPU share and RSS measured by bench/run.sh. The ts column
has millisecond resolution, so lateness is known to +-1 ms; --stats-json adds the logger's own
lateness histogram (deadline to start of the read, steady clock). Prints one JSON line."""
import argparse
import csv
import datetime
import json
import math


def parse_ts(text):
    """Seconds since the epoch as an exact multiple of 1 ms (integer ms / 1000 for the math below)."""
    d = datetime.datetime.fromisoformat(text.replace(",", ".").replace(" ", "T"))
    ms = (d - datetime.datetime(1970, 1, 1)) // datetime.timedelta(milliseconds=1)
    return ms / 1000.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("interval_ms", type=float)
    ap.add_argument("--cpu-ns", type=float, default=0, help="CPU time in the measured window")
    ap.add_argument("--seconds", type=float, default=0, help="length of that window")
    ap.add_argument("--cpu-ns-total", type=float, default=0, help="CPU time since start")
    ap.add_argument("--life-seconds", type=float, default=0, help="time since start")
    ap.add_argument("--rss-kib", type=int, default=0)
    ap.add_argument("--hwm-kib", type=int, default=0)
    ap.add_argument("--stats-json", default="",
                    help="s7log run --stats-json output: the logger's own lateness (steady clock)")
    a = ap.parse_args()
    with open(a.csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    ts = [parse_ts(r[0]) for r in rows[1:] if r and r[0]]
    iv = a.interval_ms / 1000.0
    # Slot of each row: the nearest slot boundary counted from the first row, so a first row that
    # is itself a little late does not shift every later row by one slot; lateness is then
    # measured from the earliest offset. Skipped slots leave no row, so the row number is not the
    # slot number.
    slots = [round((t - ts[0]) / iv) for t in ts]
    offsets = [t - k * iv for k, t in zip(slots, ts)]
    out = {"rows": len(ts), "interval_ms": a.interval_ms,
           "skipped_slots": (slots[-1] + 1 - len(ts)) if ts else 0}
    if len(ts) > 1:
        base = min(offsets)
        late = sorted((o - base) * 1000 for o in offsets)
        n = len(late)
        k_mean = sum(slots) / n
        o_mean = sum(offsets) / n
        num = sum((k - k_mean) * (o - o_mean) for k, o in zip(slots, offsets))
        den = sum((k - k_mean) ** 2 for k in slots)
        slope = num / den if den else 0.0  # seconds per slot
        out.update({
            "span_s": round(ts[-1] - ts[0], 3),
            "lateness_p50_ms": round(late[n // 2], 3),
            "lateness_p99_ms": round(late[min(n - 1, int(0.99 * n))], 3),
            "lateness_max_ms": round(late[-1], 3),
            "drift_ms_per_min": round(slope / iv * 60 * 1000, 4),
            "end_offset_ms": round((offsets[-1] - offsets[0]) * 1000, 3),
        })
    if a.seconds > 0:
        out["slow_cpu_percent"] = round(a.cpu_ns / 1e9 / a.seconds * 100, 4)
        out["slow_cpu_seconds"] = a.seconds
    if a.life_seconds > 0:
        out["slow_cpu_percent_with_start"] = round(a.cpu_ns_total / 1e9 / a.life_seconds * 100, 4)
        out["slow_life_seconds"] = a.life_seconds
    out["slow_rss_kib"] = a.rss_kib
    out["slow_hwm_kib"] = a.hwm_kib
    if a.stats_json:
        try:
            st = json.load(open(a.stats_json))
            for k in ("lateness_count", "lateness_p50_ms", "lateness_p99_ms", "lateness_max_ms",
                      "lateness_mean_ms", "skipped_samples"):
                out["stats_" + k] = round(st[k], 4) if isinstance(st[k], float) else st[k]
        except (OSError, ValueError, KeyError):
            pass
    print(json.dumps(out))


if __name__ == "__main__":
    main()
