// Interop: the third-party nodes7 client (pure JS) reads the course telemetry from `s7log fakeplc`
// and writes setpoints; the fake PLC must print the matching WRITE line. Then, against a fake PLC
// with I and Q bytes, nodes7 reads a peripheral input (PIW, area 0x80) and writes a peripheral
// output (PQW), which must land in the Q bytes. Exits non-zero on any mismatch.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const nodes7 = require('nodes7');

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node nodes7_fakeplc.js <path to s7log>');
  process.exit(2);
}

function fail(message) {
  console.error('FAIL: ' + message);
  cleanup(1);
}

let plc = null;
let output = [];
const waiters = [];

function cleanup(code) {
  if (plc && plc.exitCode === null) {
    plc.once('exit', () => process.exit(code));
    plc.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5000).unref();
  } else {
    process.exit(code);
  }
}

// Resolves with the first output line matching `pred` (already seen or future).
function waitLine(pred, ms, what) {
  return new Promise((resolve, reject) => {
    const hit = output.find(pred);
    if (hit) return resolve(hit);
    const timer = setTimeout(() => reject(new Error('timed out waiting for ' + what +
      '\noutput so far:\n' + output.join('\n'))), ms);
    waiters.push({ pred, resolve: (l) => { clearTimeout(timer); resolve(l); } });
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

function startPlc(port, extra = []) {
  output = [];
  plc = spawn(binary, ['fakeplc', '--port', String(port), ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let buffer = '';
  const onData = (chunk) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      output.push(line);
      for (let i = waiters.length - 1; i >= 0; --i) {
        if (waiters[i].pred(line)) waiters.splice(i, 1)[0].resolve(line);
      }
    }
  };
  plc.stdout.on('data', onData);
  plc.stderr.on('data', onData);
}

const tags = {
  counter: 'DB1,DINT0',
  temperature: 'DB1,INT4',
  pressure: 'DB1,REAL6',
  alarm: 'DB1,X10.0',
  mode_ro: 'DB1,BYTE11',
  setpoint_int: 'DB1,INT20',
  setpoint_real: 'DB1,REAL22',
  cmd_start: 'DB1,X26.0',
};

function connect(conn, port) {
  return new Promise((resolve, reject) => {
    // nodes7 defaults to slot 2; the course's PLC is rack 0, slot 1.
    conn.initiateConnection({ port, host: '127.0.0.1', rack: 0, slot: 1, timeout: 5000, silent: true },
      (err) => (err ? reject(new Error('connect: ' + err)) : resolve()));
  });
}

function readAll(conn) {
  return new Promise((resolve, reject) => {
    conn.readAllItems((bad, values) => (bad ? reject(new Error('read reported bad quality: ' +
      JSON.stringify(values))) : resolve(values)));
  });
}

function write(conn, names, values) {
  return new Promise((resolve, reject) => {
    conn.writeItems(names, values, (bad) => (bad ? reject(new Error('write failed')) : resolve()));
  });
}

async function main() {
  const port = await freePort();
  startPlc(port);
  await waitLine((l) => l.includes('listening') && l.includes(String(port)), 15000, 'ready line');

  const conn = new nodes7({ silent: true });
  await connect(conn, port);
  conn.setTranslationCB((tag) => tags[tag]);
  conn.addItems(['counter', 'temperature', 'pressure', 'alarm', 'mode_ro']);
  const v = await readAll(conn);
  console.log('read:', JSON.stringify(v));
  if (v.temperature !== 25) fail('temperature ' + v.temperature + ' != 25');
  if (Math.abs(v.pressure - 1.23) > 1e-6) fail('pressure ' + v.pressure + ' != 1.23');
  if (v.mode_ro !== 7) fail('mode_ro ' + v.mode_ro + ' != 7');
  if (!Number.isInteger(v.counter) || v.counter < 0) fail('counter ' + v.counter);
  if (v.alarm !== (v.counter % 2 === 0)) fail('alarm ' + v.alarm + ' with counter ' + v.counter);

  // The counter keeps counting.
  await new Promise((r) => setTimeout(r, 1200));
  const later = await readAll(conn);
  if (!(later.counter > v.counter)) fail('counter did not advance: ' + v.counter + ' -> ' + later.counter);

  await write(conn, ['setpoint_int', 'setpoint_real', 'cmd_start'], [321, 4.5, true]);
  const line = await waitLine((l) => l.startsWith('WRITE:'), 5000, 'WRITE line');
  console.log('fake PLC said:', line);
  const expected = "WRITE: {'setpoint_int': 321, 'setpoint_real': 4.5, 'cmd_start': True, " +
    "'cmd_stop': False, 'mode': 0}";
  if (line !== expected) fail('WRITE line was\n  ' + line + '\nexpected\n  ' + expected);

  conn.removeItems(['counter', 'temperature', 'pressure', 'alarm', 'mode_ro']);
  conn.addItems(['setpoint_int', 'setpoint_real', 'cmd_start']);
  const back = await readAll(conn);
  if (back.setpoint_int !== 321 || back.setpoint_real !== 4.5 || back.cmd_start !== true) {
    fail('setpoints read back as ' + JSON.stringify(back));
  }
  await stopPlc(conn);
  console.log('OK: nodes7 read the course telemetry and its write produced the WRITE line');

  await periphery();
  console.log('OK: nodes7 read PIW and wrote PQW (area 0x80) on the fake PLC');
  process.exit(0);
}

// Drops nodes7's connection, stops the fake PLC and checks it exited cleanly.
function stopPlc(conn) {
  return new Promise((resolve, reject) => {
    conn.dropConnection(() => {
      plc.once('exit', (code) => (code === 0 ? resolve()
        : reject(new Error('fake PLC exited with ' + code))));
      plc.kill('SIGTERM');
    });
  });
}

async function periphery() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's7log-interop-'));
  const config = path.join(dir, 'io.toml');
  fs.writeFileSync(config, '[[areas]]\narea = "I"\nsize = 512\n\n[[areas]]\narea = "Q"\n' +
    'size = 512\n\n[fields.flow]\naddress = "PIW256"\ngenerator = "constant"\nvalue = 1234\n');
  try {
    const port = await freePort();
    startPlc(port, ['--config', config]);
    await waitLine((l) => l.includes('listening') && l.includes(String(port)), 15000, 'ready line');
    const conn = new nodes7({ silent: true });
    await connect(conn, port);
    const io = { flow: 'PIW256', valve: 'PQW2', valve_image: 'QW2' };
    conn.setTranslationCB((tag) => io[tag]);
    conn.addItems(['flow']);
    const v = await readAll(conn);
    if (v.flow !== 1234) fail('PIW256 read as ' + v.flow + ', expected 1234');
    await write(conn, ['valve'], [0xBEEF]);
    conn.removeItems(['flow']);
    conn.addItems(['valve_image']);
    const q = await readAll(conn);
    if (q.valve_image !== 0xBEEF) fail('QW2 after writing PQW2 reads ' + q.valve_image);
    await stopPlc(conn);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const guard = setTimeout(() => fail('test took longer than 60 s'), 60000);
guard.unref();
main().catch((e) => fail(e.message));
