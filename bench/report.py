#!/usr/bin/env python3
"""Turns bench/run.sh's results directory into the measured part of docs/benchmarks.md (between
the `results:begin` and `results:end` markers; the prose around them is kept)."""
import datetime
import json
import os
import re
import subprocess
import sys

# python-snap7 is measured when bench/run.sh had its sources (BENCH_PYSNAP7); otherwise its
# column shows the table figures, marked with "*".
PY_SNAP7 = {"seq": 15500, "multi": 3200, "large/4096": 1600}


def jsonl(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        line = line.strip()
        if line:
            d = json.loads(line)
            out[d.get("label", str(len(out)))] = d
    return out


def rate(d):
    return d.get("reads_per_s") if d and not d.get("failed") and d.get("verified", True) else None


def fmt(x, digits=0):
    if x is None:
        return "n/a"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


def machine():
    model = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = open("/proc/loadavg").read().split()[:3]
    return (f"{os.cpu_count()} cores, {model}; load average at the end {' '.join(load)}; "
            f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}; "
            f"{subprocess.run(['uname', '-sr'], capture_output=True, text=True).stdout.strip()}")


def main():
    res, doc = sys.argv[1], sys.argv[2]
    c = jsonl(os.path.join(res, "clients.jsonl"))
    s = jsonl(os.path.join(res, "servers.jsonl"))
    L = []
    L.append(f"Machine: {machine()}.")
    L.append("")
    ping = rate(c.get("pingpong"))
    measured_py = any(k.startswith("pysnap7/") for k in c)
    for server, title in (("fakeplc", "our fake PLC"), ("snap7", "Snap7's server (node-snap7)")):
        L.append(f"### Clients against {title}, one request in flight")
        L.append("")
        L.append("| workload | s7log | nodes7 | Snap7 client | python-snap7 | "
                 "s7log / nodes7 | s7log / python-snap7 | s7log p50 / p99 us |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for test, size, name in (("seq", 4096, "seq (12 bytes)"), ("multi", 4096, "multi (10 x 4)"),
                                 ("large", 4096, "large 4,096"), ("large", 65535, "large 65,535")):
            ours = c.get(f"s7log/{server}/{test}/{size}")
            n7 = c.get(f"nodes7/{server}/{test}/{size}")
            sn = c.get(f"snap7/{server}/{test}/{size}")
            key = test if test != "large" else f"large/{size}"
            if measured_py:
                py = rate(c.get(f"pysnap7/{server}/{test}/{size}"))
                py_text = fmt(py)
            else:
                py = PY_SNAP7.get(key) if server == "fakeplc" else None
                py_text = f"{fmt(py)}*" if py else "n/a"
            lat = f"{ours['p50_us']} / {ours['p99_us']}" if rate(ours) else "n/a"
            L.append(f"| {name} | {fmt(rate(ours))} | {fmt(rate(n7))} | {fmt(rate(sn))} | "
                     f"{py_text} | {ratio(rate(ours), rate(n7))} | "
                     f"{ratio(rate(ours), py)} | {lat} |")
        L.append("")
        if not measured_py and server == "fakeplc":
            L.append("\\* python-snap7 not measured in this run (its sources were not given in "
                     "BENCH_PYSNAP7): the issue's table figure.")
            L.append("")
    ping_t = rate(c.get("pingpong-thread"))
    seq = rate(c.get('s7log/fakeplc/seq/4096'))
    L.append(f"Bare TCP ping-pong (31-byte request, 37-byte answer, blocking sockets), client and "
             f"server in two processes like s7log and the fake PLC: "
             f"{fmt(ping)} round trips/s, p50 {c.get('pingpong', {}).get('p50_us', 'n/a')} us; "
             f"s7log seq against the fake PLC reaches **{ratio(seq, ping)}** of it. Both ends "
             f"as threads of one process (no address-space switch): {fmt(ping_t)} round trips/s, "
             f"p50 {c.get('pingpong-thread', {}).get('p50_us', 'n/a')} us; s7log reaches "
             f"{ratio(seq, ping_t)} of that.")
    L.append("")
    pinned = jsonl(os.path.join(res, "pinned.jsonl"))
    if pinned:
        rounds = max((int(m.group(1)) for m in (re.search(r"/r(\d+)$", k) for k in pinned) if m),
                     default=1)
        L.append("### The same with fixed placement")
        L.append("")
        L.append("Servers (fake PLC, Snap7's server, the ping-pong's server) pinned to CPU 0, every "
                 f"client to CPU 0 (\"one core\") or CPU 1 (\"two cores\"); reads/s are the median "
                 f"of {rounds} interleaved rounds. \"Bound\" is `s7log bench --raw` on one "
                 "connection (pre-encoded request, one blocking send and one recv per read): the "
                 "most any client can reach against that server, so bound / nodes7 is the highest "
                 "ratio possible there.")
        L.append("")
        L.append("| placement | bare ping-pong | server | s7log seq | bound seq | nodes7 seq | "
                 "s7log / nodes7 | bound / nodes7 | s7log / bound | s7log / ping-pong | "
                 "s7log multi | nodes7 multi | s7log / nodes7 |")
        L.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, title in (("same", "one core"), ("split", "two cores")):
            pp = pinned.get(f"pingpong/{name}")
            for server, stitle in (("fakeplc", "fake PLC"), ("snap7", "Snap7")):
                def g(peer, test):
                    rates = sorted(r for r in (rate(pinned.get(f"{peer}/{server}/{test}/{name}/r{k}"))
                                               for k in range(1, rounds + 1)) if r)
                    return rates[len(rates) // 2] if rates else None
                if g("s7log", "seq") is None and pp is None:
                    continue
                L.append(f"| {title} | {fmt(rate(pp))} | {stitle} | {fmt(g('s7log', 'seq'))} | "
                         f"{fmt(g('raw', 'seq'))} | {fmt(g('nodes7', 'seq'))} | "
                         f"{ratio(g('s7log', 'seq'), g('nodes7', 'seq'))} | "
                         f"{ratio(g('raw', 'seq'), g('nodes7', 'seq'))} | "
                         f"{ratio(g('s7log', 'seq'), g('raw', 'seq'))} | "
                         f"{ratio(g('s7log', 'seq'), rate(pp)) if server == 'fakeplc' else '-'} | "
                         f"{fmt(g('s7log', 'multi'))} | {fmt(g('nodes7', 'multi'))} | "
                         f"{ratio(g('s7log', 'multi'), g('nodes7', 'multi'))} |")
        L.append("")
    L.append("### Servers under load (seq; raw = `s7log bench --raw`: one epoll thread, pre-encoded frames)")
    L.append("")
    L.append("| connections | client | fake PLC reads/s | fake PLC p99 us | Snap7 server reads/s | "
             "Snap7 server p99 us | fake PLC / Snap7 |")
    L.append("|---:|---|---:|---:|---:|---:|---:|")
    for n in (1, 64):
        for suffix, client in (("", "raw (`--raw`)"), ("/threads", "threads (`s7::Client` each)")):
            f, sn = s.get(f"fakeplc/{n}{suffix}"), s.get(f"snap7/{n}{suffix}")
            if not f and not sn:
                continue
            L.append(f"| {n} | {client} | {fmt(rate(f))} | {f.get('p99_us') if f else 'n/a'} | "
                     f"{fmt(rate(sn))} | {sn.get('p99_us') if sn else 'n/a'} | "
                     f"{ratio(rate(f), rate(sn))} |")
    L.append("")
    mem = jsonl(os.path.join(res, "memory.jsonl"))
    for m in mem.values():
        L.append(f"Fake PLC memory: RSS {m['rss0_kib']} KiB idle, {m['rss1_kib']} KiB with "
                 f"{m['connections']} idle connections (CR/CC + setup done): "
                 f"**{m['kib_per_connection']} KiB per connection**.")
    L.append("")
    lg = jsonl(os.path.join(res, "logger.jsonl"))
    for m in lg.values():
        if "stats_lateness_p99_ms" in m:
            L.append(f"Logger at 100 Hz, its own lateness histogram (`run --stats-json`, deadline to "
                     f"start of the read, steady clock, {m.get('stats_lateness_count')} reads): "
                     f"**p50 {m.get('stats_lateness_p50_ms')} ms, p99 "
                     f"{m.get('stats_lateness_p99_ms')} ms**, max {m.get('stats_lateness_max_ms')} ms; "
                     f"{m.get('stats_skipped_samples')} slots skipped.")
            L.append("")
        # The CSV's ts has millisecond resolution, too coarse for lateness at 10 ms (the histogram
        # above measures that); over 6,000 rows it still gives the drift by regression.
        L.append(f"Logger at 100 Hz, from the CSV ({m.get('rows')} rows over {m.get('span_s')} s, "
                 f"ts with ms resolution): **drift {m.get('drift_ms_per_min')} ms/min** "
                 f"(least squares over all rows). Course tags at 1 s (no --live): CPU "
                 f"**{m.get('slow_cpu_percent')} % of a core** over {round(m.get('slow_cpu_seconds', 0))} s "
                 f"of steady logging ({m.get('slow_cpu_percent_with_start')} % including start-up, "
                 f"over its {round(m.get('slow_life_seconds', 0))} s), from the scheduler's "
                 f"nanosecond accounting (/proc/<pid>/task/*/schedstat); "
                 f"**RSS {m.get('slow_rss_kib')} KiB** (peak {m.get('slow_hwm_kib')} KiB).")
    L.append("")
    plan_txt = os.path.join(res, "plan500.txt")
    bound = json.load(open(os.path.join(res, "plan_bound.json"))) if os.path.exists(
        os.path.join(res, "plan_bound.json")) else {}
    if os.path.exists(plan_txt):
        txt = open(plan_txt).read()
        m = re.search(r"PDU 960: (\d+) request", txt)
        L.append(f"Plan of 500 tags over DB1..DB10 (`bench/plan_tags.py`): "
                 f"{m.group(1) if m else 'n/a'} requests per cycle at PDU 960; computed lower "
                 f"bound {bound.get('lower_bound_requests', 'n/a')}.")
        L.append("")
    codec = os.path.join(res, "codec.json")
    if os.path.exists(codec):
        L.append("### Micro-benchmarks (Google Benchmark, `s7log_codec_bench`)")
        L.append("")
        L.append("| benchmark | ns per op | throughput |")
        L.append("|---|---:|---:|")
        for b in json.load(open(codec)).get("benchmarks", []):
            tp = ""
            if "bytes_per_second" in b:
                tp = f"{b['bytes_per_second'] / 1e6:,.0f} MB/s"
            L.append(f"| {b['name']} | {b['cpu_time']:,.0f} | {tp} |")
        L.append("")
    body = "\n".join(L)
    text = open(doc).read() if os.path.exists(doc) else "<!-- results:begin -->\n<!-- results:end -->\n"
    new = re.sub(r"<!-- results:begin -->.*<!-- results:end -->",
                 lambda _: "<!-- results:begin -->\n" + body + "\n<!-- results:end -->", text,
                 flags=re.S)
    open(doc, "w").write(new)


if __name__ == "__main__":
    main()
