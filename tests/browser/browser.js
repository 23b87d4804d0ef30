// Shared helpers of the browser tests: Debian's Chromium via playwright-core, console watching,
// spawning a server process and reading its URL, checking the charts' time axis.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The browser runs in the course's time zone (as CI does) and in a US locale, whose own time
// formats ('3:03 AM', '12/7/26') the pages must not use.
const TIME_ZONE = 'Europe/Copenhagen';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

// A fresh profile per run (user-data-dir in a new temp dir), removed by close().
async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 's7log-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 },
    env: { ...process.env, TZ: TIME_ZONE }, timezoneId: TIME_ZONE, locale: 'en-US',
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // An EventSource torn down by navigation/reload (or a switch of group) is not a page problem.
    if (new URL(r.url()).pathname !== '/events') problems.push(`request failed: ${r.url()} ${r.failure().errorText}`);
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

// The wall-clock time of t (Unix seconds) in timeZone, by Node's Intl (not the page's code):
// {date: 'YYYY-MM-DD', time: 'HH:MM:SS.mmm'}.
function wallClock(t, timeZone) {
  const d = new Date(Math.round(t * 1000));
  const parts = {};
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric',
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  for (const p of fmt.formatToParts(d)) parts[p.type] = p.value;
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  return { date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}.${ms}` };
}

// The x ticks the first chart on the page drew: {splits: [Unix seconds], labels: [text]}.
async function xTicks(page) {
  const json = await page.locator('.chart').first().getAttribute('data-xticks');
  check(json, 'the chart records no x ticks (data-xticks)');
  return JSON.parse(json);
}

const CLOCK = /^\d{2}:\d{2}(:\d{2}(\.\d{3})?)?$/;  // 10:15, 10:15:03, 10:15:03.500
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;          // 2026, 2026-12, 2026-12-07

// Checks tick labels against the wall clock of their ticks in timeZone: 24-hour HH:MM[:SS[.mmm]]
// or an ISO date, never am/pm or M/D/Y; a label leaves out only zeros (10:15 is at 10:15:00);
// the first tick and each tick on a new day carry the ISO date. Returns the labels on one line.
function checkTimeTicks(ticks, timeZone, what) {
  const { splits, labels } = ticks;
  const shown = labels.map((l) => JSON.stringify(l)).join(' ');
  check(Array.isArray(labels) && labels.length >= 3 && labels.length === splits.length,
    `${what}: expected 3 or more x ticks, got ${shown}`);
  let prevDate = null;
  labels.forEach((label, i) => {
    const want = wallClock(splits[i], timeZone);
    const bad = (why) => new Error(`${what}: tick ${i} '${label}' at ${want.date} ${want.time} ` +
      `(${timeZone}): ${why}; all ticks: ${shown}`);
    if (typeof label !== 'string') throw bad('no label');
    if (/am|pm/i.test(label) || label.includes('/')) throw bad('am/pm or a US date');
    const [first, date, ...more] = label.split('\n');
    if (more.length) throw bad('more than two lines');
    if (CLOCK.test(first)) {
      if (!want.time.startsWith(first) || !/^[:.0]*$/.test(want.time.slice(first.length))) {
        throw bad(`not the tick's ${timeZone} time`);
      }
      const newDay = want.date !== prevDate;
      if (newDay && date !== want.date) throw bad(`the first tick of a day must show ${want.date}`);
      if (!newDay && date !== undefined) throw bad('a date where the day did not change');
    } else if (DATE.test(first)) {
      if (!want.date.startsWith(first) || want.time !== '00:00:00.000' || date !== undefined) {
        throw bad(`not the tick's ${timeZone} date at midnight`);
      }
    } else {
      throw bad('neither HH:MM[:SS[.mmm]] nor an ISO date');
    }
    prevDate = want.date;
  });
  return shown;
}

module.exports = { launch, startServer, stopServer, artifactsDir, check, run, TIME_ZONE, xTicks,
  checkTimeTicks };
