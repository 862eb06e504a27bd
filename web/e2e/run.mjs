// Browser tests of the dashboard: headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM)
// driven by playwright-core.
//
//   node web/e2e/run.mjs http://127.0.0.1:PORT/ SCREENSHOT_DIR
//
// Every view must load without console errors; a filter must change what is shown; a click on an
// event must show its sentence with source, trigger and target highlighted; the analyze box must
// code a pasted paragraph. A screenshot of each view is saved. Exit status 0 = all passed.

import { chromium } from 'playwright-core';
import { mkdirSync, existsSync, rmSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node web/e2e/run.mjs URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`);
  process.exit(3);
}

const profile = mkdtempSync(join(tmpdir(), 'dyad-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = context.pages()[0] || (await context.newPage());
const problems = [];
page.on('console', (msg) => {
  if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
});
page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));

let failures = 0;
async function step(name, fn) {
  const before = problems.length;
  try {
    await fn();
    if (problems.length > before) throw new Error(problems.slice(before).join('\n'));
    console.log(`ok   ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}: ${err.message}`);
    await page.screenshot({ path: join(shots, `FAILED-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
  }
}
function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function open(hash) {
  await page.goto(new URL('/' + hash, base).href);
  await ready();
}
async function ready() {
  // ready for the route now in the address bar, not the one before it
  await page.waitForFunction(
    () => {
      const v = document.querySelector('#view');
      return v?.dataset.ready === 'true' && (v.dataset.route || '') === location.hash;
    },
    null,
    { timeout: 20000 },
  );
  const err = await page.$('#view .error');
  if (err) throw new Error('the view shows an error: ' + (await err.textContent()));
}
const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });

await step('overview loads', async () => {
  await open('#/overview');
  const events = Number(await page.textContent('[data-testid=stat-events]').then((t) => t.replace(/\D/g, '')));
  check(events > 0, 'no events counted');
  await page.waitForSelector('[data-testid=timeline] canvas');
  check((await page.$$('[data-testid=top-actors] tbody tr')).length > 0, 'no top actors');
  check((await page.$$('[data-testid=top-dyads] tbody tr')).length > 0, 'no top dyads');
  await shot('overview');
});

await step('actor filter changes what is shown (kept in the URL)', async () => {
  await open('#/overview');
  const all = Number(await page.getAttribute('[data-testid=timeline]', 'data-events'));
  await page.fill('#filters input[name=actor]', 'RUS');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('actor=RUS'));
  await ready();
  const rus = Number(await page.getAttribute('[data-testid=timeline]', 'data-events'));
  check(rus > 0 && rus < all, `timeline total ${all} → ${rus} with actor=RUS`);
  const rows = await page.$$eval('[data-testid=events-table] tbody tr', (trs) => trs.map((tr) => [tr.dataset.source, tr.dataset.target]));
  check(rows.length > 0 && rows.every((r) => r.includes('RUS')), 'events not filtered by RUS: ' + JSON.stringify(rows.slice(0, 3)));
  // The period filter too.
  await page.fill('#filters input[name=since]', '2021');
  await page.fill('#filters input[name=until]', '2021');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('since=2021'));
  await ready();
  const periods = await page.$$eval('[data-testid=events-table] tbody td:first-child', (tds) => tds.map((t) => t.textContent));
  check(periods.every((d) => d.startsWith('2021')), 'dates outside 2021: ' + periods.join(' '));
  await shot('overview-filtered');
});

await step('network view', async () => {
  await open('#/network');
  await page.waitForSelector('[data-testid=network] canvas');
  const nodes = Number(await page.getAttribute('[data-testid=network]', 'data-nodes'));
  check(nodes > 3, `only ${nodes} nodes`);
  await page.waitForTimeout(300);
  await shot('network');
  // A click on a node filters by that actor (simulated through Cytoscape: the canvas has no DOM nodes).
  await page.evaluate(() => document.querySelector('[data-testid=network]').cy.$('node#ARM').emit('tap'));
  await page.waitForFunction(() => location.hash.includes('actor=ARM'));
  await ready();
  const ego = Number(await page.getAttribute('[data-testid=network]', 'data-nodes'));
  check(ego < nodes, `the ARM network has ${ego} nodes, the whole ${nodes}`);
});

await step('dyad view with the events behind a point', async () => {
  await open('#/dyad?a=ARM&b=AZE&by=month');
  await page.waitForSelector('[data-testid=dyad-chart] canvas');
  check(Number(await page.getAttribute('[data-testid=dyad-chart]', 'data-periods')) > 1, 'one period only');
  await page.click('[data-testid=dyad-table] tbody tr:first-child');
  await page.waitForSelector('[data-testid=dyad-events] [data-testid=events-table] tbody tr');
  const pairs = await page.$$eval('[data-testid=dyad-events] tbody tr', (trs) => trs.map((tr) => [tr.dataset.source, tr.dataset.target].sort().join('-')));
  check(pairs.every((p) => p === 'ARM-AZE'), 'events of another dyad: ' + pairs.join(' '));
  await shot('dyad');
});

await step('map view', async () => {
  await open('#/map');
  // the country shapes outside the view are drawn empty ("M0 0"): wait for one in view, then
  // for the event markers (dots or clusters)
  await page.waitForSelector('[data-testid=map] .leaflet-overlay-pane svg path:visible');
  await page.waitForSelector('[data-testid=map] .leaflet-marker-pane > :visible');
  check(Number(await page.getAttribute('[data-testid=map]', 'data-markers')) > 0, 'no geocoded events on the map');
  await page.waitForTimeout(300);
  await shot('map');
});

await step('a click on an event shows its sentence highlighted', async () => {
  await open('#/events?dyad=ARM,AZE');
  const sentence = await page.textContent('[data-testid=events-table] tbody tr:first-child td.sentence');
  await page.click('[data-testid=events-table] tbody tr:first-child');
  await page.waitForFunction(() => location.hash.startsWith('#/event/'));
  await ready();
  const shown = await page.textContent('[data-testid=event-sentence]');
  check(shown.trim() === sentence.trim(), `sentence differs:\n${shown}\n${sentence}`);
  const marks = await page.$$eval('[data-testid=event-sentence] mark', (ms) => ms.map((m) => [m.className, m.textContent]));
  for (const cls of ['src', 'trg', 'trig']) check(marks.some(([c, t]) => c.split(' ').includes(cls) && t.trim()), `no ${cls} highlight: ${JSON.stringify(marks)}`);
  check((await page.textContent('[data-testid=event-rule]')).trim().length > 0, 'no rule shown');
  await shot('event');
  await page.click('[data-testid=event-document]');
  await ready();
  check((await page.$$('[data-testid=document-text] mark.trig')).length > 0, 'document without marked triggers');
  const meta = await page.textContent('[data-testid=document-meta]');
  check(/read from corpus\/south-caucasus\.jsonl:\d+/.test(meta), `document without its provenance: ${meta}`);
  await shot('document');
});

await step('events list filters', async () => {
  await open('#/events');
  await page.fill('[data-testid=events-filters] input[name=root]', '19');
  await page.click('[data-testid=events-filters] button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('root=19'));
  await ready();
  const codes = await page.$$eval('[data-testid=events-table] tbody .quad', (s) => s.map((x) => x.textContent));
  check(codes.length > 0 && codes.every((c) => c.startsWith('19')), 'root filter: ' + codes.join(' '));
  await shot('events');
});

await step('documents list', async () => {
  await open('#/documents');
  check((await page.$$('[data-testid=documents-table] tbody tr')).length > 0, 'no documents');
  await shot('documents');
});

await step('the analyze box codes a pasted paragraph', async () => {
  await open('#/analyze');
  await page.fill('[data-testid=analyze-text]', 'Russian Foreign Minister Sergei Lavrov met his Armenian counterpart Ararat Mirzoyan in Moscow on Tuesday. Azerbaijan accused Armenia of violating the ceasefire.');
  await page.click('[data-testid=analyze-run]');
  await page.waitForSelector('[data-testid=analyze-marked]');
  const n = Number(await page.getAttribute('[data-testid=analyze-marked]', 'data-events'));
  check(n >= 2, `${n} events coded`);
  for (const cls of ['src', 'trg', 'trig']) check((await page.$$(`[data-testid=analyze-marked] mark.${cls}`)).length > 0, `no ${cls} marks`);
  await shot('analyze');
});

await context.close();
rmSync(profile, { recursive: true, force: true });
if (failures) {
  console.log(`${failures} browser check(s) failed; screenshots in ${shots}`);
  process.exit(1);
}
console.log(`all browser checks passed; screenshots in ${shots}`);
