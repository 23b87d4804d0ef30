// Browser test of the live page: the charted points grow over three samples, a reload gets the
// history first, one group shows no picker, no console errors; keeps a screenshot. Usage: node live_page.test.js NAME CMD ARGS...
// With S7LOG_FAKEPLC=<s7log binary>, `s7log fakeplc --port 0` runs first and {PLC_PORT} in ARGS
// becomes its port (the real `s7log run --live` against the fake PLC).
'use strict';
const path = require('path');
const { launch, startServer, stopServer, artifactsDir, check, run } = require('./browser');

const [name, cmd, ...rawArgs] = process.argv.slice(2);

run(name, async () => {
  let plc = null;
  let args = rawArgs;
  if (process.env.S7LOG_FAKEPLC) {
    plc = await startServer(process.env.S7LOG_FAKEPLC, ['fakeplc', '--port', '0'],
      { urlPattern: /listening on ([\d.]+:\d+)/ });
    const plcPort = plc.url.split(':')[1];
    args = rawArgs.map((a) => a.replace('{PLC_PORT}', plcPort));
  }
  let server;
  try {
    server = await startServer(cmd, args);
  } catch (e) {
    if (plc) await stopServer(plc.proc);
    throw e;
  }
  const browser = await launch();
  try {
    const { page, problems } = browser;
    const points = () => page.evaluate(() => Number(document.body.dataset.points));
    // A large window so the point count keeps growing during the test.
    await page.goto(server.url + '?window=600');
    await page.waitForSelector('#conn[data-state="connected"]', { timeout: 15000 });
    await page.waitForFunction(() => Number(document.body.dataset.points) > 0, null, { timeout: 15000 });
    let prev = await points();
    const seen = [prev];
    for (let i = 0; i < 3; i++) {
      await page.waitForFunction((p) => Number(document.body.dataset.points) > p, prev, { timeout: 15000 });
      prev = await points();
      seen.push(prev);
    }
    console.log(`charted points: ${seen.join(' -> ')}`);
    const charts = await page.locator('.chart canvas').count();
    check(charts >= 2, `expected a chart per numeric/boolean tag, found ${charts} canvases`);
    // One group: the page as it always was, no group picker, no PLC badges, a plain URL.
    check(await page.locator('#picker').isHidden() && await page.locator('#plcs').isHidden(),
      'a run with one group shows a group picker or PLC badges');
    check(!/[?&](plc|group)=/.test(page.url()), `the URL names a group: ${page.url()}`);
    const status = await page.textContent('#last');
    check(/last sample \d/.test(status), `status shows no last-sample time: '${status}'`);

    // A reload gets the recent history first: the count is back at least where it was at once.
    const before = await points();
    await page.reload();
    await page.waitForFunction((p) => Number(document.body.dataset.points) >= p, before, { timeout: 5000 });

    // The window size on the page is adjustable.
    await page.fill('#window', '5');
    await page.waitForFunction(() => Number(document.body.dataset.points) === 5, null, { timeout: 5000 });
    await page.fill('#window', '600');
    await page.waitForFunction((p) => Number(document.body.dataset.points) >= p, before, { timeout: 5000 });

    const shot = path.join(artifactsDir(), `${name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    check(problems.length === 0, `page problems:\n${problems.join('\n')}`);

    // Stopping the server with the page open (its SSE stream too) ends promptly and cleanly,
    // and the page says it is reconnecting.
    const code = await stopServer(server.proc);
    check(code === 0, `server exited with ${code} after SIGTERM:\n${server.output()}`);
    await page.waitForSelector('#conn[data-state="reconnecting"]', { timeout: 10000 });
  } finally {
    await browser.close();
    if (server.proc.exitCode === null) await stopServer(server.proc).catch(() => {});
    if (plc) await stopServer(plc.proc).catch(() => {});
  }
});
