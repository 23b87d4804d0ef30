// Browser test of `s7log plot`: rotated CSVs (both dialects) become one offline HTML whose charts
// show every row; a non-s7log CSV is refused naming the file. Usage: node plot_report.test.js S7LOG
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { launch, artifactsDir, check, run } = require('./browser');

const s7log = process.argv[2];

function rows(day, from, count, dialect) {
  const lines = [];
  for (let i = 0; i < count; i++) {
    const s = from + i;
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    const alarm = s % 4 < 2 ? 'True' : 'False';
    const p = (1 + (s % 10) / 10).toFixed(2);
    if (dialect === 'excel-da') {
      const q = s % 15 === 7 ? 'comm_error' : 'ok';
      const cells = q === 'ok' ? [s, 25, p.replace('.', ','), alarm, 7] : ['', '', '', '', ''];
      lines.push([`${day} ${hh}:${mm}:${ss},000`, ...cells, q].join(';'));
    } else {
      lines.push([`${day}T${hh}:${mm}:${ss}`, s, 25, p, alarm, 7].join(','));
    }
  }
  return lines;
}

run('plot_report', async () => {
  const dir = path.join(artifactsDir(), 'plot_input');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const header = 'ts,counter,temperature,pressure,alarm,mode_ro';
  // Written out of order on purpose: the report sorts by time.
  fs.writeFileSync(path.join(dir, 'log_20261124_11.csv'), [header, ...rows('2026-11-24', 39600, 30)].join('\r\n') + '\r\n');
  fs.writeFileSync(path.join(dir, 'log_20261124_10.csv'), [header, ...rows('2026-11-24', 39540, 30)].join('\r\n') + '\r\n');
  const out = path.join(artifactsDir(), 'plot_report.html');
  let r = spawnSync(s7log, ['plot', path.join(dir, 'log_*.csv'), '-o', out], { encoding: 'utf8' });
  check(r.status === 0, `s7log plot failed (${r.status}): ${r.stderr}`);
  check(/60 rows/.test(r.stdout), `unexpected summary: ${r.stdout}`);

  const da = path.join(dir, 'excel_da.csv');
  fs.writeFileSync(da, '\ufeff' + ['ts;counter;temperature;pressure;alarm;mode_ro;quality',
    ...rows('2026-11-24', 39540, 30, 'excel-da')].join('\r\n') + '\r\n');
  const outDa = path.join(artifactsDir(), 'plot_report_excel_da.html');
  r = spawnSync(s7log, ['plot', da, '-o', outDa], { encoding: 'utf8' });
  check(r.status === 0, `s7log plot (excel-da) failed (${r.status}): ${r.stderr}`);

  const bad = path.join(dir, 'not_s7log.csv');
  fs.writeFileSync(bad, 'time,value\n1,2\n');
  r = spawnSync(s7log, ['plot', bad, '-o', path.join(dir, 'bad.html')], { encoding: 'utf8' });
  check(r.status !== 0 && r.stderr.includes('not_s7log.csv') && r.stderr.includes('not an s7log CSV'),
    `a foreign CSV must be refused naming the file, got ${r.status}: ${r.stderr}`);

  const html = fs.readFileSync(out, 'utf8');
  check(!/(src|href)="https?:/.test(html), 'the report references the network');

  const browser = await launch();
  try {
    const { page, problems } = browser;
    // Offline: every request other than the file itself is refused.
    await page.route('**/*', (route) => route.request().url().startsWith('file:') ? route.continue() : route.abort());
    for (const [file, rowsWanted, shotName] of [[out, 60, 'plot_report.png'], [outDa, 30, 'plot_report_excel_da.png']]) {
      await page.goto('file://' + file);
      await page.waitForSelector('body[data-done="1"]', { timeout: 15000 });
      const pts = await page.evaluate(() => Number(document.body.dataset.points));
      check(pts === rowsWanted, `${file}: charted ${pts} points, expected ${rowsWanted}`);
      const canvases = await page.locator('.chart canvas').count();
      check(canvases === 5, `${file}: expected 5 charts, found ${canvases}`);
      const shot = path.join(artifactsDir(), shotName);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`screenshot: ${shot}`);
    }
    check(problems.length === 0, `page problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
  }
});
