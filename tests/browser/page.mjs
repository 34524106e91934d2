// Loads one report in Debian's Chromium through playwright-core and prints, as JSON, what
// tests/browser.rs asserts on, on a phone (390 px) and on a desktop (1280 px), first as the page
// opens, then with every <details> open:
//   axe    axe-core's violations: [{id, impact, help, state, nodes: [{target, summary}]}]
//   widths how wide the document scrolls: {phone: {viewport, closed, open}, desktop: {...}}
//   first  the first screen of a 1280 × 720 window: where the key messages and the overview
//          chart are ({messages, chart}: {top, bottom, left, right}), and its screenshot, saved
//          beside the page as PAGE.html.first.png
//
// usage: node page.mjs axe|widths|first NODE_MODULES CHROMIUM PAGE.html
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, modules, executablePath, page] = process.argv.slice(2);
if (!['axe', 'widths', 'first'].includes(mode) || !page) {
  process.stderr.write('usage: node page.mjs axe|widths|first NODE_MODULES CHROMIUM PAGE.html\n');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = require.resolve('axe-core/axe.min.js');

// A busy CI machine may take minutes where a laptop takes seconds; nothing here measures time.
const PATIENCE = 600_000;

const browser = await chromium.launch({
  executablePath,
  timeout: PATIENCE,
  // The machine has no network: without these Chromium keeps trying to reach its services.
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

async function open(viewport, isMobile) {
  // The report's CSP forbids every script, axe-core's too: the test's own context bypasses it.
  const context = await browser.newContext({ viewport, isMobile, bypassCSP: true });
  const tab = await context.newPage();
  tab.setDefaultTimeout(PATIENCE);
  await tab.goto(pathToFileURL(path.resolve(page)).href, { waitUntil: 'load', timeout: PATIENCE });
  return { context, tab };
}

const openDetails = (tab) =>
  tab.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
const scrollWidth = (tab) => tab.evaluate(() => document.documentElement.scrollWidth);

async function axe(tab, state) {
  const result = await tab.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    state,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
  }));
}

async function firstScreen() {
  const { context, tab } = await open({ width: 1280, height: 720 }, false);
  const box = (selector) =>
    tab.evaluate((s) => {
      const element = document.querySelector(s);
      if (!element) return null;
      const r = element.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    }, selector);
  const result = {
    messages: await box('#key ul.messages'),
    chart: await box('#key figure svg'),
  };
  await tab.screenshot({ path: `${page}.first.png` });
  await context.close();
  return result;
}

if (mode === 'first') {
  process.stdout.write(JSON.stringify(await firstScreen()));
  await browser.close();
  process.exit(0);
}

const out = mode === 'axe' ? [] : {};
for (const [name, viewport, isMobile] of [
  ['phone', { width: 390, height: 844 }, true],
  ['desktop', { width: 1280, height: 900 }, false],
]) {
  const { context, tab } = await open(viewport, isMobile);
  if (mode === 'axe') {
    await tab.addScriptTag({ path: axeSource });
    // Hidden tables and scroll boxes are out of axe-core's sight until their <details> opens.
    out.push(...(await axe(tab, `${name}, details closed`)));
    await openDetails(tab);
    out.push(...(await axe(tab, `${name}, details open`)));
  } else {
    const closed = await scrollWidth(tab);
    await openDetails(tab);
    out[name] = { viewport: viewport.width, closed, open: await scrollWidth(tab) };
  }
  await context.close();
}
await browser.close();
process.stdout.write(JSON.stringify(out));
