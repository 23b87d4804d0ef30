// Browser test of the time axis: 24-hour local time and ISO dates, with ticks that suit the span,
// on the live page fed a 1 s signal and in `s7log plot` reports spanning a minute and two days;
// the hover readout and the "last sample" time too.
// Usage: node time_axis.test.js LIVE_PAGE_SERVER S7LOG
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { launch, startServer, stopServer, artifactsDir, check, run, TIME_ZONE, xTicks,
  checkTimeTicks } = require('./browser');

const [liveServer, s7log] = process.argv.slice(2);
// The server writes /api ts in its local time: the same zone as the browser's.
process.env.TZ = TIME_ZONE;

// Hovers the middle of the first chart; returns the readout beside its value ('at ...').
async function hoverReadout(page) {
  const over = page.locator('.chart').first().locator('.u-over');
  const box = await over.boundingBox();
  await over.hover({ position: { x: Math.round(box.width / 2), y: Math.round(box.height / 2) } });
  const at = page.locator('.chart').first().locator('.chart-at');
  await page.waitForFunction((el) => el.textContent !== '', await at.elementHandle(), { timeout: 5000 });
  const text = await at.textContent();
  await page.mouse.move(0, 0);
  return text;
}

// The times of the samples the live server holds, from /api/history: 'YYYY-MM-DD HH:MM:SS'.
async function sampleStamps(url) {
  const history = await (await fetch(url + 'api/history?last=600')).json();
  return history.samples.map((s) => s.ts.replace('T', ' ').replace(/\.000$/, ''));
}

function csv(file, from, count, stepSeconds) {
  const lines = ['ts,counter,temperature,pressure,alarm,mode_ro'];
  for (let i = 0; i < count; i++) {
    const ts = new Date((from + i * stepSeconds) * 1000).toISOString().slice(0, 19);
    lines.push([ts, i, 25, (1 + (i % 10) / 10).toFixed(2), i % 4 < 2 ? 'True' : 'False', 7].join(','));
  }
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
}

async function checkLivePage(page) {
  const server = await startServer(liveServer, ['--interval-ms', '1000', '--history', '60']);
  try {
    await page.goto(server.url + '?window=60');
    await page.waitForFunction(() => Number(document.body.dataset.points) === 60, null, { timeout: 15000 });
    // The pinned zone is in force, and the page's formatter gives Copenhagen's wall time for known
    // instants in summer (UTC+2) and winter (UTC+1).
    const known = await page.evaluate(() => [Date.UTC(2026, 6, 1, 8, 0, 0),
      Date.UTC(2026, 11, 7, 9, 15, 3, 500)].map((ms) => S7Time.stamp(ms / 1000)));
    check(known[0] === '2026-07-01 10:00:00' && known[1] === '2026-12-07 10:15:03.500',
      `not ${TIME_ZONE} wall time: ${known}`);

    // Sixty 1 s samples: whole-second ticks (not .500), in Copenhagen time.
    let ticks = await xTicks(page);
    let shown = checkTimeTicks(ticks, TIME_ZONE, 'live page, 60 samples at 1 s');
    console.log(`live, 60 s: ${shown}`);
    check(ticks.splits.every((t) => Number.isInteger(t)) && ticks.labels.every((l) => !/\.\d/.test(l)),
      `live page, 60 samples at 1 s: sub-second ticks ${shown}`);

    // Three samples (2 s): still no ticks between the samples' whole seconds.
    await page.fill('#window', '3');
    await page.waitForFunction(() => Number(document.body.dataset.points) === 3, null, { timeout: 5000 });
    ticks = await xTicks(page);
    shown = checkTimeTicks(ticks, TIME_ZONE, 'live page, 3 samples at 1 s');
    console.log(`live, 2 s: ${shown}`);
    check(ticks.splits.every((t) => Number.isInteger(t)) && ticks.labels.every((l) => !/\.\d/.test(l)),
      `live page, 3 samples at 1 s: sub-second ticks ${shown}`);
    await page.fill('#window', '60');
    await page.waitForFunction(() => Number(document.body.dataset.points) === 60, null, { timeout: 5000 });

    // The hovered time is one of the samples, in ISO form and the same wall time the server's
    // /api writes.
    const hovered = await hoverReadout(page);
    const m = /^at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})$/.exec(hovered);
    check(m, `hover readout '${hovered}' is not 'at YYYY-MM-DD HH:MM:SS'`);
    let stamps = await sampleStamps(server.url);
    check(stamps.includes(m[1]),
      `hovered '${m[1]}' is none of the samples' times ${stamps[0]} .. ${stamps[stamps.length - 1]}`);
    console.log(`live hover: ${hovered}`);

    const last = await page.textContent('#last');
    stamps = await sampleStamps(server.url);
    const lm = /^last sample (\d{2}:\d{2}:\d{2})( \(\d+ s ago\))?$/.exec(last);
    check(lm && stamps.some((s) => s.endsWith(' ' + lm[1])),
      `status '${last}' is not 'last sample HH:MM:SS' of a sample`);
    await page.screenshot({ path: path.join(artifactsDir(), 'time_axis_live.png'), fullPage: true });
    await page.goto('about:blank');  // closes the stream before the server stops
  } finally {
    await stopServer(server.proc).catch(() => {});
  }
}

async function checkReports(page) {
  const dir = path.join(artifactsDir(), 'time_axis_input');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // CSV times are wall-clock times; the report shows them as written, whatever the browser's zone
  // (so the oracle reads them as UTC).
  const minuteFrom = Date.UTC(2026, 10, 24, 10, 15, 0) / 1000;
  const daysFrom = Date.UTC(2026, 10, 24, 12, 0, 0) / 1000;
  const cases = [
    { name: 'minute', from: minuteFrom, count: 60, step: 1,
      info: '60 rows, 2026-11-24 10:15:00 to 2026-11-24 10:15:59', hover: /^at 2026-11-24 10:15:\d{2}$/ },
    { name: 'two_days', from: daysFrom, count: 289, step: 600,
      info: '289 rows, 2026-11-24 12:00:00 to 2026-11-26 12:00:00',
      hover: /^at 2026-11-2[456] \d{2}:\d0:00$/, dates: ['2026-11-25', '2026-11-26'] },
  ];
  await page.route('**/*',
    (route) => route.request().url().startsWith('file:') ? route.continue() : route.abort());
  for (const c of cases) {
    const input = path.join(dir, `${c.name}.csv`);
    csv(input, c.from, c.count, c.step);
    const out = path.join(artifactsDir(), `time_axis_${c.name}.html`);
    const r = spawnSync(s7log, ['plot', input, '-o', out], { encoding: 'utf8' });
    check(r.status === 0, `s7log plot ${c.name} failed (${r.status}): ${r.stderr}`);
    await page.goto('file://' + out);
    await page.waitForSelector('body[data-done="1"]', { timeout: 15000 });
    const what = `report spanning ${c.name.replace('_', ' ')}`;
    const ticks = await xTicks(page);
    const shown = checkTimeTicks(ticks, 'UTC', what);
    console.log(`${c.name}: ${shown}`);
    check(ticks.labels.every((l) => !/\.\d/.test(l)), `${what}: sub-second ticks ${shown}`);
    check(ticks.labels[0].endsWith('\n2026-11-24'), `${what}: first tick '${ticks.labels[0]}' lacks its date`);
    for (const d of c.dates || []) {
      check(ticks.labels.some((l) => l.split('\n').includes(d)), `${what}: no tick shows ${d}: ${shown}`);
    }
    const info = await page.textContent('#info');
    check(info.startsWith(c.info), `${what}: info '${info}', expected '${c.info} ...'`);
    const hovered = await hoverReadout(page);
    check(c.hover.test(hovered), `${what}: hover readout '${hovered}' does not match ${c.hover}`);
    await page.screenshot({ path: path.join(artifactsDir(), `time_axis_${c.name}.png`), fullPage: true });
  }
}

run('time_axis', async () => {
  const browser = await launch();
  try {
    await checkLivePage(browser.page);
    await checkReports(browser.page);
    check(browser.problems.length === 0, `page problems:\n${browser.problems.join('\n')}`);
  } finally {
    await browser.close();
  }
});
