// nodes7 client benchmark: the same workloads as `s7log bench` (seq, multi, large), one request
// cycle in flight, data checked against the bench pattern (byte i = i mod 256); prints one JSON line.
// Usage: node nodes7_bench.js --port P --test seq|multi|large [--duration S] [--size N]
'use strict';
const path = require('path');
const common = require('./bench_common');

const args = common.parseArgs(process.argv.slice(2));
const NodeS7 = require(path.join(__dirname, 'npm', 'node_modules', 'nodes7'));

function workload(test, size) {
  // nodes7 address syntax: DB<n>,BYTE<offset>.<count>
  if (test === 'seq') return [{ tag: 'DB1,BYTE0.12', offset: 0, length: 12 }];
  if (test === 'multi') {
    const items = [];
    for (let i = 0; i < 10; i++) items.push({ tag: `DB2,BYTE${i * 100}.4`, offset: i * 100, length: 4 });
    return items;
  }
  return [{ tag: `DB2,BYTE0.${size}`, offset: 0, length: size }];
}

const items = workload(args.test, args.size);
const conn = new NodeS7({ silent: true });
conn.initiateConnection({ host: args.host, port: args.port, rack: 0, slot: 1, timeout: 5000 }, (err) => {
  if (err) {
    console.error('nodes7: connect failed', err);
    process.exit(1);
  }
  conn.setTranslationCB((t) => t);
  conn.addItems(items.map((i) => i.tag));
  const stats = new common.Stats(args);
  const deadline = process.hrtime.bigint() + BigInt(Math.round(args.duration * 1e9));
  let t0 = 0n;
  const once = () => {
    t0 = process.hrtime.bigint();
    conn.readAllItems(done);
  };
  const done = (bad, values) => {
    const t1 = process.hrtime.bigint();
    if (bad) stats.errors++;
    else {
      stats.add(t1 - t0);
      for (const it of items) {
        const v = values[it.tag];
        const arr = Array.isArray(v) ? v : [v];
        if (!common.patternOk(arr, it.offset, it.length)) stats.badData++;
      }
    }
    if (t1 < deadline) setImmediate(once);
    else {
      stats.print({ peer: 'nodes7', bytes_per_read: items.reduce((a, i) => a + i.length, 0) });
      conn.dropConnection(() => process.exit(0));
      setTimeout(() => process.exit(0), 500);
    }
  };
  stats.start();
  once();
});
