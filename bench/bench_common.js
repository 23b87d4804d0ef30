// Shared helpers of the node benchmark scripts: argument parsing, latency statistics, the
// bench data pattern (byte i of DB1/DB2 = i mod 256) and the one-line JSON report.
'use strict';

function parseArgs(argv) {
  const a = { host: '127.0.0.1', port: 1102, test: 'seq', duration: 5, size: 4096, connections: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    const v = argv[i + 1];
    if (k === 'host' || k === 'test' || k === 'mode') a[k] = v;
    else a[k] = Number(v);
  }
  return a;
}

function patternOk(bytes, offset, length) {
  if (!bytes || bytes.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== ((offset + i) & 0xff)) return false;
  return true;
}

class Stats {
  constructor(args) {
    this.args = args;
    this.lat = [];
    this.errors = 0;
    this.badData = 0;
  }
  start() { this.t0 = process.hrtime.bigint(); }
  add(ns) { this.lat.push(Number(ns)); }
  merge(other) {
    for (const x of other.lat) this.lat.push(x);
    this.errors += other.errors;
    this.badData += other.badData;
  }
  pct(sorted, p) {
    if (!sorted.length) return 0;
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return Math.round(sorted[idx] / 100) / 10;
  }
  print(extra) {
    const elapsed = Number(process.hrtime.bigint() - this.t0) / 1e9;
    const s = Float64Array.from(this.lat).sort();
    const out = Object.assign({ test: this.args.test }, extra, {
      connections: this.args.connections || 1,
      duration_s: Math.round(elapsed * 1000) / 1000,
      reads: s.length,
      reads_per_s: Math.round((s.length / elapsed) * 10) / 10,
      p50_us: this.pct(s, 0.5),
      p90_us: this.pct(s, 0.9),
      p99_us: this.pct(s, 0.99),
      errors: this.errors,
      bad_data: this.badData,
      verified: this.errors === 0 && this.badData === 0 && s.length > 0,
    });
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

module.exports = { parseArgs, patternOk, Stats };
