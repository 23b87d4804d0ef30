// nodes7 peer of the plant benchmark (bench/plant.py --peer nodes7): the same PLCs and tags as
// s7log's plant config, one nodes7 connection per PLC, readAllItems every interval (a cycle still
// running at the next tick counts as a skipped slot), one CSV row per read appended to a file per
// PLC through a write stream. Prints one JSON line at SIGINT/SIGTERM.
// Usage: node nodes7_plant.js --tags-json FILE --base-port P --plcs N --interval-ms MS --out DIR
'use strict';
const fs = require('fs');
const path = require('path');
const NodeS7 = require(path.join(__dirname, 'npm', 'node_modules', 'nodes7'));

function arg(name, dflt) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

// s7log addresses (DB1.DBD0:REAL, DB1.DBW4:INT, DB1.DBD8:DINT, DB1.DBX10.0) in nodes7's syntax.
function toNodes7(address) {
  let m = address.match(/^DB(\d+)\.DBX(\d+)\.(\d)$/);
  if (m) return `DB${m[1]},X${m[2]}.${m[3]}`;
  m = address.match(/^DB(\d+)\.DB[BWD](\d+):(REAL|INT|DINT)$/);
  if (m) return `DB${m[1]},${m[3]}${m[2]}`;
  throw new Error('no nodes7 form for ' + address);
}

const tags = JSON.parse(fs.readFileSync(arg('tags-json'), 'utf8'));
const basePort = Number(arg('base-port'));
const plcs = Number(arg('plcs', 1));
const intervalMs = Number(arg('interval-ms', 1000));
const outDir = arg('out', '.');
const items = tags.map((t) => toNodes7(t[1]));
const header = 'ts,' + tags.map((t) => t[0]).join(',') + '\r\n';

let rows = 0;
let skipped = 0;
let errors = 0;
const timers = [];
const streams = [];

for (let i = 0; i < plcs; i++) {
  const conn = new NodeS7({ silent: true });
  const out = fs.createWriteStream(path.join(outDir, `plc${i + 1}.csv`));
  streams.push(out);
  out.write(header);
  let busy = false;
  conn.initiateConnection({ host: '127.0.0.1', port: basePort + i, rack: 0, slot: 1, timeout: 5000 },
    (err) => {
      if (err) {
        console.error(`nodes7: plc${i + 1} connect failed`, err);
        return;
      }
      conn.setTranslationCB((t) => t);
      conn.addItems(items);
      // Aligned to the wall clock's interval grid, like s7log.
      const first = intervalMs - (Date.now() % intervalMs);
      setTimeout(() => {
        const tick = () => {
          if (busy) {
            skipped++;
            return;
          }
          busy = true;
          const ts = new Date();
          conn.readAllItems((bad, values) => {
            busy = false;
            if (bad) {
              errors++;
              return;
            }
            let line = ts.toISOString();
            for (const it of items) line += ',' + values[it];
            out.write(line + '\r\n');
            rows++;
          });
        };
        tick();
        timers.push(setInterval(tick, intervalMs));
      }, first);
    });
}

function finish() {
  for (const t of timers) clearInterval(t);
  let open = streams.length;
  const done = () => {
    if (--open > 0) return;
    console.log(JSON.stringify({ peer: 'nodes7', rows, skipped_slots: skipped, errors }));
    process.exit(0);
  };
  for (const s of streams) s.end(done);
  setTimeout(() => process.exit(0), 5000);
}
process.on('SIGINT', finish);
process.on('SIGTERM', finish);
