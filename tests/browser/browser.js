// Shared helpers of the browser tests: Debian's Chromium via playwright-core, console watching,
// spawning a server process and reading its URL.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// A fresh profile per run (user-data-dir in a new temp dir), removed by close().
async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 's7log-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 },
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // An EventSource torn down by navigation/reload is not a page problem.
    if (!r.url().endsWith('/events')) problems.push(`request failed: ${r.url()} ${r.failure().errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
  return {
    page, problems,
    async close() { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); },
  };
}

// Starts a process and resolves with {proc, url} once a line of its output holds http://...
function startServer(cmd, args, { urlPattern = /(http:\/\/[\d.]+:\d+\/)/, timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`no URL from ${cmd} within ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(urlPattern);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1], output: () => out }); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited (${code}) before serving:\n${out}`)); });
  });
}

// Sends SIGTERM and resolves with the exit code (rejects if it takes longer than timeoutMs).
function stopServer(proc, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    if (proc.exitCode !== null) return resolve(proc.exitCode);
    proc.removeAllListeners('exit');
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('server did not stop on SIGTERM')); }, timeoutMs);
    proc.on('exit', (code, signal) => { clearTimeout(timer); resolve(code === null ? signal : code); });
    proc.kill('SIGTERM');
  });
}

function artifactsDir() {
  const dir = process.env.S7LOG_ARTIFACTS || path.join(process.cwd(), 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

// Runs an async test body; prints PASS/FAIL and sets the exit code.
function run(name, body) {
  body().then(() => { console.log(`PASS ${name}`); process.exit(0); },
    (e) => { console.error(`FAIL ${name}: ${e.stack || e}`); process.exit(1); });
}

module.exports = { launch, startServer, stopServer, artifactsDir, check, run };
