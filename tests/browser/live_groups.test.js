// Browser test of the live page with two PLCs and groups of other tags: the picker lists
// "plc / group", switching shows the other group's charts and puts it in the URL (which a reload
// and a link open again), and a badge per PLC shows its link state. The server asks for a token:
// the page works from the URL with ?token= (the cookie carries it to the page's own requests).
// Usage: node live_groups.test.js LIVE_PAGE_SERVER
'use strict';
const path = require('path');
const { launch, startServer, stopServer, artifactsDir, check, run } = require('./browser');

const [liveServer] = process.argv.slice(2);
const TOKEN = 'feedc0de0123456789abcdef01234567';

// The names of the charted tags, in page order.
function chartNames(page) {
  return page.evaluate(() => [...document.querySelectorAll('.chart .chart-name')].map((e) => e.textContent));
}

async function waitCharts(page, names) {
  await page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('.chart .chart-name')].map((e) => e.textContent);
    return JSON.stringify(got) === JSON.stringify(want) && Number(document.body.dataset.points) > 0;
  }, names, { timeout: 15000 });
}

run('live_groups', async () => {
  const server = await startServer(liveServer, ['--groups', '--token', TOKEN]);
  const browser = await launch();
  try {
    const { page, problems } = browser;
    // Without the token the server refuses (this answer is expected, not a page problem).
    const refused = await fetch(server.url + 'api/groups');
    check(refused.status === 401, `/api/groups without the token: ${refused.status}`);

    await page.goto(server.url + '?token=' + TOKEN);
    await page.waitForSelector('#conn[data-state="connected"]', { timeout: 15000 });
    await page.waitForSelector('#picker:not([hidden])', { timeout: 15000 });
    const options = await page.locator('#group option').allTextContents();
    check(JSON.stringify(options) === JSON.stringify(['press1 / line', 'press2 / tank']),
      `picker options: ${JSON.stringify(options)}`);
    await waitCharts(page, ['counter', 'temperature', 'alarm', 'mode_ro']);
    check(/[?&]plc=press1&group=line/.test(page.url()), `URL does not name the group: ${page.url()}`);

    // A badge per PLC with its link state.
    await page.waitForSelector('#plcs .badge[data-plc="press2"]', { timeout: 15000 });
    const badges = await page.locator('#plcs .badge').allTextContents();
    check(JSON.stringify(badges) === JSON.stringify(['press1: connected', 'press2: reconnecting']),
      `badges: ${JSON.stringify(badges)}`);
    check(await page.getAttribute('#plcs .badge[data-plc="press2"]', 'data-state') === 'reconnecting',
      'the press2 badge is not in the reconnecting state');

    // Switching shows the other group's tags, and the address names it.
    await page.selectOption('#group', { label: 'press2 / tank' });
    await waitCharts(page, ['level', 'valve_open', 'flow']);
    check(/[?&]plc=press2&group=tank/.test(page.url()), `URL after switching: ${page.url()}`);
    check(page.url().includes('token=' + TOKEN), `the token left the URL: ${page.url()}`);
    check(/PLC press2: reconnecting/.test(await page.textContent('#link')),
      `link of the group's PLC: '${await page.textContent('#link')}'`);
    const latest = await page.getAttribute('#latest-link', 'href');
    check(latest === '/api/latest?plc=press2&group=tank', `latest link: ${latest}`);
    // The page's own API request carries the cookie.
    const json = await page.evaluate(async (href) => (await fetch(href)).json(), latest);
    check(json.group === 'tank' && typeof json.values.level === 'number', `latest: ${JSON.stringify(json)}`);

    // A reload keeps the group (the URL names it).
    await page.reload();
    await waitCharts(page, ['level', 'valve_open', 'flow']);
    check(await page.inputValue('#group') === '1', 'the picker does not show the reloaded group');
    const shot = path.join(artifactsDir(), 'live_groups.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);

    // A link to the first group opens it.
    await page.goto(server.url + '?plc=press1&group=line');
    await waitCharts(page, ['counter', 'temperature', 'alarm', 'mode_ro']);
    check(await page.inputValue('#group') === '0', 'a link to press1/line shows another group');
    await page.goto('about:blank');  // closes the stream before the server stops
    check(problems.length === 0, `page problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    await stopServer(server.proc).catch(() => {});
  }
});
