#!/usr/bin/env python3
"""How long `s7log symbols` takes, and how much memory, for PLC program sources of growing size
(`make bench-symbols`): a TIA Portal DB of N members (a mix of elementary members, strings,
arrays of INT, structs, arrays of a UDT of five members) written here, laid out and printed as
[[tag]] tables (--toml, every elementary member) and as the member table. Wall time and peak RSS
of the process (os.wait4), best of --repeat runs. No peer: no open tool reads these sources."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

UDT = """TYPE "Motor"
VERSION : 0.1
   STRUCT
      speed : Real;
      current : Real;
      running : Bool;
      fault : Bool;
      starts : DInt;
   END_STRUCT;

END_TYPE
"""


def source(members):
    """A DB of about `members` elementary members (a group of 8 lines gives 26 values)."""
    lines = ['DATA_BLOCK "Plant"', "{ S7_Optimized_Access := 'FALSE' }", "VERSION : 0.1",
             "NON_RETAIN", "   STRUCT"]
    n = 0
    i = 0
    while n < members:
        lines += [f"      level_{i} : Real := 1.5;   // tank {i}",
                  f"      on_{i} : Bool;",
                  f"      mode_{i} : Byte := 16#07;",
                  f"      name_{i} : String[16] := 'tank {i}';",
                  f"      temps_{i} : Array[1..4] of Int;",
                  f"      pump_{i} : Struct",
                  "         speed : Real;", "         on : Bool;", "      END_STRUCT;",
                  f'      motors_{i} : Array[1..3] of "Motor";']
        n += 4 + 4 + 2 + 15
        i += 1
    lines += ["   END_STRUCT;", "", "", "BEGIN", "   level_0 := 2.5;", "", "END_DATA_BLOCK", ""]
    return "\n".join(lines)


def measure(exe, args, repeat):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.Popen([exe] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        err = p.stderr.read().decode()
        p.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{args}: failed: {err}")
        rss_mib = usage.ru_maxrss / 1024
        if best is None or wall < best[0]:
            best = (wall, rss_mib)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--s7log", default=os.path.join(ROOT, "build/release/apps/s7log/s7log"))
    ap.add_argument("--members", type=int, action="append",
                    help="elementary members per DB (repeatable; default 1000, 10000, 100000)")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    sizes = a.members or [1000, 10000, 100000]
    print(f"{'members':>8} {'source':>10} {'--toml s':>9} {'RSS MiB':>8} {'table s':>8} "
          f"{'RSS MiB':>8} {'members/s':>10}")
    with tempfile.TemporaryDirectory() as d:
        udt = os.path.join(d, "Motor.udt")
        with open(udt, "w") as f:
            f.write(UDT)
        for n in sizes:
            db = os.path.join(d, f"Plant_{n}.db")
            text = source(n)
            with open(db, "w") as f:
                f.write(text)
            base = ["symbols", db, udt, "--db-number", "Plant=10"]
            toml = measure(a.s7log, base + ["--toml"], a.repeat)
            table = measure(a.s7log, base, a.repeat)
            print(f"{n:>8} {len(text) / 1e6:>8.2f}MB {toml[0]:>9.3f} {toml[1]:>8.1f} "
                  f"{table[0]:>8.3f} {table[1]:>8.1f} {n / toml[0]:>10.0f}")


if __name__ == "__main__":
    main()
