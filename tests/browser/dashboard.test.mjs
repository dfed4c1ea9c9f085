// End-to-end test of statd's dashboard (GET /) in headless Chromium.
// Run by tests/integration/test_dashboard.py, which passes:
//   STATD_BIN             the statd to test
//   CHROMIUM              the browser (Debian's /usr/bin/chromium)
//   DASHBOARD_SCREENSHOTS where to save the two-column screenshot (":"-separated)
// Starts its own statd instances on free loopback ports; every request the page
// makes is checked to stay on 127.0.0.1. Prints "ok <step>" per step; exits 1 on
// the first failure.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';

const STATD = process.env.STATD_BIN;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = (process.env.DASHBOARD_SCREENSHOTS || '').split(':').filter(Boolean);
const children = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startStatd(port, ...args) {
  const child = spawn(STATD, ['-l', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  children.add(child);
  child.on('exit', () => children.delete(child));
  // Ready when it accepts a connection (5 s at most).
  for (let i = 0; i < 250; i++) {
    if (child.exitCode !== null) throw new Error(`statd exited: ${stderr}`);
    const ok = await new Promise((resolve) => {
      const s = new Socket();
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return child;
    await sleep(20);
  }
  throw new Error('statd did not start listening');
}

function killStatd(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
}

async function main() {
  check(STATD, 'STATD_BIN is set');
  const [portA, portB, portT] = [await freePort(), await freePort(), await freePort()];
  await startStatd(portA);
  let statdB = await startStatd(portB);
  await startStatd(portT, '--token', 'secret');

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root (CI containers) Chromium needs --no-sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-default-apps', '--disable-sync'],
    timeout: 30000,
  });
  const offLoopback = [];
  const pageErrors = [];
  const loopback = (url) => {
    const u = new URL(url);
    return u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1';
  };
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    // Every HTTP request goes through here: anything not on 127.0.0.1 fails the test.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (!loopback(url)) {
        offLoopback.push(url);
        return route.abort();
      }
      return route.continue();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20000);
    page.on('request', (req) => { if (!loopback(req.url())) offLoopback.push(req.url()); });
    page.on('websocket', (ws) => { if (!loopback(ws.url())) offLoopback.push(ws.url()); });
    page.on('pageerror', (err) => pageErrors.push(String(err)));

    const card = (id) => `.server[data-id="${id}"]`;
    const waitState = (id, state, timeout = 20000) => page.waitForFunction(
      ([sel, s]) => { const el = document.querySelector(sel); return el && el.dataset.state === s; },
      [card(id), state], { timeout });
    const text = (sel) => page.locator(sel).first().textContent();
    const layout = () => page.evaluate(() => [...document.querySelectorAll('#columns .column')]
      .map((col) => [...col.querySelectorAll('.server')].map((s) => s.dataset.id)));
    const stored = () => page.evaluate(() => localStorage.getItem('statdDashboard'));

    // 1. The page from a live statd; the default config watches that statd.
    await page.goto(`http://127.0.0.1:${portA}/`, { waitUntil: 'load' });
    await waitState('local', 'live');
    check((await text(`${card('local')} .v-cpu`)).match(/^\d+(\.\d)?%$/), 'CPU percent shown');
    check((await text(`${card('local')} .v-mem`)).match(/\d.* \/ \d/), 'memory shown');
    check((await text(`${card('local')} .v-host`)).length > 0, 'hostname shown');
    check((await page.getAttribute(`${card('local')} .v-cpu`, 'aria-label')).startsWith('CPU total '), 'CPU aria-label');
    const time1 = await text(`${card('local')} .v-time`);
    const points1 = Number(await page.getAttribute(`${card('local')} .c-cpu`, 'data-points'));
    await page.waitForFunction(([sel, t]) => document.querySelector(sel).textContent !== t,
      [`${card('local')} .v-time`, time1], { timeout: 5000 });
    const points2 = Number(await page.getAttribute(`${card('local')} .c-cpu`, 'data-points'));
    check(points2 > points1, `CPU history grows (${points1} -> ${points2})`);
    check(await page.locator(`${card('local')} .top tbody tr`).count() > 0, 'top processes listed');
    check(await page.locator(`${card('local')} .fs .row`).count() > 0, 'filesystems listed');
    console.log('ok page loads from statd, numbers appear and change');

    // 2. Two statd instances in two columns (B given in rt-stat's config shape).
    const two = { columns: [
      { servers: [{ id: 'a', name: 'Server A', url: `ws://127.0.0.1:${portA}/`, interval: 1, autoStart: true }] },
      { servers: [{ id: 'b', name: 'Server B', host: `127.0.0.1:${portB}`, interval: 1, autoStart: true }] },
    ] };
    await page.setInputFiles('#import', { name: 'two.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(two)) });
    await waitState('a', 'live');
    await waitState('b', 'live');
    check(JSON.stringify(await layout()) === '[["a"],["b"]]', 'two columns a | b');
    const boxA = await page.locator(card('a')).boundingBox();
    const boxB = await page.locator(card('b')).boundingBox();
    check(boxB.x > boxA.x + boxA.width - 1 && Math.abs(boxA.y - boxB.y) < 2, 'columns side by side');
    check((await text(`${card('b')} .v-cpu`)).endsWith('%'), 'B shows CPU');
    check(!(await page.isVisible(`${card('a')} form.token`)), 'no token asked while live');
    await page.waitForTimeout(6000);  // some points of history for the picture
    for (const path of SHOTS) {
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: false });
    }
    console.log('ok two statd instances in two columns');

    // 3. One instance killed shows down, and recovers when restarted on its port.
    await killStatd(statdB);
    await waitState('b', 'down', 15000);
    check((await text(`${card('a')} .state`)) === 'live', 'A unaffected');
    statdB = await startStatd(portB);
    await waitState('b', 'live', 20000);
    console.log('ok killed instance shows down and recovers');

    // 4. Export, clear (reset), import: the same layout and configuration.
    const before = await stored();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const exported = readFileSync(await download.path(), 'utf8');
    check(JSON.stringify(JSON.parse(exported)) === before, 'export equals the stored config');
    check(download.suggestedFilename() === 'statd-dashboard.json', 'export file name');
    await page.click('#reset');
    check(JSON.stringify(await layout()) === '[["local"]]', 'reset to the default');
    await page.setInputFiles('#import', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    // The page reads the file asynchronously (File.text()): give it a bounded moment.
    for (let i = 0; i < 50 && JSON.stringify(await layout()) !== '[["a"],["b"]]'; i++) await page.waitForTimeout(100);
    check(JSON.stringify(await layout()) === '[["a"],["b"]]', 'import restores the layout');
    check(await stored() === before, 'import restores the config');
    await waitState('b', 'live');
    console.log('ok export, clear, import');

    // 5. Invalid imports: a clear message, nothing changed.
    const bad = JSON.stringify({ columns: [{ servers: [{ id: 'x', url: 'ftp://nope' }] }] });
    await page.setInputFiles('#import', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
    await page.waitForSelector('#notice:not([hidden])');
    const message = await text('#notice');
    check(message.includes('columns[0].servers[0].url') && message.includes('Nothing was changed'), `message: ${message}`);
    await page.setInputFiles('#import', { name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{nope') });
    await page.waitForFunction(() => document.querySelector('#notice').textContent.includes('not JSON'));
    check(await stored() === before && JSON.stringify(await layout()) === '[["a"],["b"]]', 'unchanged after bad imports');
    console.log('ok invalid import refused with a message');

    // 6. Reorder, stop and start.
    await page.click(`${card('a')} .move[data-move="right"]`);
    check(JSON.stringify(await layout()) === '[["b","a"]]', 'moved right');
    await page.click(`${card('a')} .move[data-move="up"]`);
    check(JSON.stringify(await layout()) === '[["a","b"]]', 'moved up');
    await page.click(`${card('b')} .move[data-move="right"]`);
    check(JSON.stringify(await layout()) === '[["a"],["b"]]', 'moved back right');
    await page.click(`${card('a')} .toggle`);
    await waitState('a', 'stopped');
    await page.click(`${card('a')} .toggle`);
    await waitState('a', 'live');
    console.log('ok reorder, stop, start');

    // 7. A wrong token shows "unauthorized"; the right one, not saved, connects.
    await page.click('#add');
    await page.fill('#editor-form [name=name]', 'Locked');
    await page.fill('#editor-form [name=url]', `ws://127.0.0.1:${portT}/`);
    await page.fill('#editor-form [name=interval]', '1');
    await page.fill('#editor-form [name=token]', 'wrong');
    await page.check('#editor-form [name=saveToken]');
    await page.click('#editor-form button[type=submit]');
    await waitState('s1', 'unauthorized');
    check((await text(`${card('s1')} .state`)) === 'unauthorized', 'state text unauthorized');
    check(await page.isVisible(`${card('s1')} form.token`), 'token asked');
    await page.fill(`${card('s1')} form.token [name=token]`, 'secret');
    await page.click(`${card('s1')} form.token button`);
    await waitState('s1', 'live');
    check(!(await stored()).includes('secret'), 'an unsaved token is not stored');
    console.log('ok wrong token shows unauthorized, right token connects');

    // 8. Narrow screens stack the columns; dark mode changes the colours.
    await page.setViewportSize({ width: 420, height: 900 });
    const narrowA = await page.locator(card('a')).boundingBox();
    const narrowB = await page.locator(card('b')).boundingBox();
    check(Math.abs(narrowA.x - narrowB.x) < 2 && narrowB.y > narrowA.y, 'columns stack on a phone');
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(light !== dark, `dark mode (${light} vs ${dark})`);
    console.log('ok responsive and dark mode');

    check(pageErrors.length === 0, 'no JavaScript errors: ' + pageErrors.join('; '));
    check(offLoopback.length === 0, 'no request left loopback: ' + offLoopback.join(' '));
    console.log('ok no request left loopback');
  } catch (err) {
    // What the page showed when a step failed, for the log.
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages.length) {
      const state = await pages[0].evaluate(() => [...document.querySelectorAll('.server')]
        .map((s) => s.dataset.id + ':' + s.dataset.state).join(' ') + ' | notice: ' +
        document.querySelector('#notice').textContent + ' | editor error: ' +
        document.querySelector('#editor .error').textContent).catch((e) => String(e));
      console.log('page state: ' + state);
    }
    throw err;
  } finally {
    await browser.close();
  }
}

let failed = false;
try {
  await main();
} catch (err) {
  failed = true;
  console.log('FAIL ' + (err && err.stack ? err.stack : err));
} finally {
  await Promise.all([...children].map(killStatd));
}
process.exit(failed ? 1 : 0);
