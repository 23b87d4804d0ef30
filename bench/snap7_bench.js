// node-snap7 peer for the benchmarks. --mode server: Snap7's S7Server on --port with DB1 (64 bytes)
// and DB2 (65,535 bytes: node-snap7's maximum) holding byte i = i mod 256, until SIGTERM. --mode client: Snap7's client
// runs one workload (seq, multi, large) against --host/--port with blocking calls (one request in
// flight), checks the data and prints one JSON line like `s7log bench`.
'use strict';
const path = require('path');
const common = require('./bench_common');

const args = common.parseArgs(process.argv.slice(2));
const snap7 = require(path.join(__dirname, 'npm', 'node_modules', 'node-snap7'));

function pattern(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = i & 0xff;
  return b;
}

if (args.mode === 'server') {
  const server = new snap7.S7Server();
  server.SetParam(server.LocalPort, args.port);
  server.SetParam(server.MaxClients, 1024);
  server.RegisterArea(server.srvAreaDB, 1, pattern(64));
  server.RegisterArea(server.srvAreaDB, 2, pattern(65535));
  // No events: node-snap7 otherwise posts every request to node's JS thread (a mutex, a queue and
  // a wake-up of that thread per read), which a Snap7 server in a C program would not do.
  server.SetEventMask(0);
  server.StartTo(args.host, (err) => {
    if (err) {
      console.error('snap7 server: ' + server.ErrorText(err));
      process.exit(1);
    }
    console.log(`snap7 server listening on ${args.host}:${args.port}`);
  });
  const stop = () => {
    server.Stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setInterval(() => {}, 1 << 30);
} else {
  const client = new snap7.S7Client();
  client.SetParam(client.RemotePort, args.port);
  if (!client.ConnectTo(args.host, 0, 1)) {
    console.error('snap7 client: ' + client.ErrorText(client.LastError()));
    process.exit(1);
  }
  let call;
  let check;
  let bytes;
  if (args.test === 'seq') {
    bytes = 12;
    call = () => client.DBRead(1, 0, 12);
    check = (r) => common.patternOk(r, 0, 12);
  } else if (args.test === 'multi') {
    const vars = [];
    for (let i = 0; i < 10; i++)
      vars.push({ Area: client.S7AreaDB, WordLen: client.S7WLByte, DBNumber: 2, Start: i * 100, Amount: 4 });
    bytes = 40;
    call = () => client.ReadMultiVars(vars);
    check = (r) => r.every((it, i) => it.Result === 0 && common.patternOk(it.Data, i * 100, 4));
  } else {
    bytes = args.size;
    call = () => client.DBRead(2, 0, args.size);
    check = (r) => common.patternOk(r, 0, args.size);
  }
  const stats = new common.Stats(args);
  const deadline = process.hrtime.bigint() + BigInt(Math.round(args.duration * 1e9));
  stats.start();
  for (;;) {
    const t0 = process.hrtime.bigint();
    const r = call();
    const t1 = process.hrtime.bigint();
    if (r === false) {
      stats.errors++;
      if (!client.Connected()) break;
    } else {
      stats.add(t1 - t0);
      if (!check(r)) stats.badData++;
    }
    if (t1 >= deadline) break;
  }
  stats.print({ peer: 'snap7-client', bytes_per_read: bytes, pdu_length: client.PDULength() });
  client.Disconnect();
}
