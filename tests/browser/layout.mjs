#!/usr/bin/env node
// Layout and accessibility of the published site in Chromium: axe-core's
// WCAG 2.1 AA rules, reflow (WCAG 1.4.10: nothing wider than the screen, in
// either direction), tables that fit their column, the phone header's menu,
// Arabic and Chinese type, and screenshots of every page kind.
//
//   node tests/browser/layout.mjs [path/to/site-gen]
//
// Builds the bundled site (site.yaml + content/) fresh into a temp dir and
// serves it as it is deployed, `site-gen search-server --static` (pages and
// search from one published tree, no live-reload script), to Debian's
// /usr/bin/chromium driven by playwright-core. Prints "ok - name" /
// "not ok - name" per check and "N passed, M failed"; exits 1 if any check
// failed. Screenshots go to $SCREENSHOT_DIR/layout, by default
// <dir of the binary>/screenshots/layout. LAYOUT_ALL_PAGES=0 skips the
// reflow check of every page (the page kinds are always checked);
// LAYOUT_ONLY=text runs only the checks whose names contain it (CTest runs
// the check of every page as a test of its own).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from './install.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, '..', '..');
const binary = path.resolve(process.argv[2] || path.join(sourceDir, 'build', 'site-gen'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(path.dirname(binary), 'screenshots'), 'layout');
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
const NAV_MS = 30_000;
// Below CTest's TIMEOUT for this test (CMakeLists.txt), so the runner always
// cleans up itself.
const WATCHDOG_MS = Number(process.env.LAYOUT_TESTS_TIMEOUT_MS || 400_000);
const ALL_PAGES = process.env.LAYOUT_ALL_PAGES !== '0';

const LANGS = ['en', 'fr', 'es', 'ar', 'ru', 'zh'];
const WIDTHS = [320, 390, 768, 1024, 1280, 1440];
const AXE_WIDTHS = [390, 1280];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SHOT_LANGS = ['en', 'ar', 'zh'];
// A word every language's documents have, so the results page has results.
const QUERY = { en: 'mine', fr: 'mines', es: 'minas', ar: 'الألغام', ru: 'мин', zh: '地雷' };
// One page of each kind (docs/templates.md, "Layouts"): the State and the
// document are the ones with the most in them (an extensions table, bare URLs
// in a body shown in another language's page).
const KINDS = [
  ['home', (l) => `/${l}/`],
  ['membership', (l) => `/${l}/membership/`],
  ['country', (l) => `/${l}/membership/angola/`],
  ['meetings', (l) => `/${l}/meetings/`],
  ['meeting', (l) => `/${l}/meetings/msp22/`],
  ['document', (l) => `/${l}/documents/aplc-msp-22-2025-wp-3/`],
  ['topics', (l) => `/${l}/topics/`],
  ['topic', (l) => `/${l}/topics/mine-clearance/`],
  ['page', (l) => `/${l}/convention/`],
  ['search', (l) => `/${l}/search/`],
  ['results', (l) => `/${l}/search/?q=${encodeURIComponent(QUERY[l])}`],
  ['404', (l) => `/${l}/no-such-page/`],
];
const pageKinds = (langs) => langs.flatMap((lang) => KINDS.map(([kind, at]) => ({ kind, lang, path: at(lang) })));

// ---------------------------------------------------------------- setup and cleanup

let tmpDir = null;
let service = null;
let browser = null;
let base = '';
let publicDir = '';

function cleanupSync() {
  if (service && service.exitCode === null && service.signalCode === null) {
    try { service.kill('SIGKILL'); } catch { /* already gone */ }
  }
  if (tmpDir) {
    try { fs.rmSync(tmpDir, { recursive: true, force: true }); } catch { /* best effort */ }
    tmpDir = null;
  }
}

async function cleanup() {
  if (browser) {
    const b = browser;
    browser = null;
    await Promise.race([b.close().catch(() => {}), sleep(10_000)]);
  }
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    await Promise.race([new Promise((r) => service.once('exit', r)), sleep(5_000)]);
  }
  cleanupSync();
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(128 + os.constants.signals[signal]);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function makeDirs(dir) {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let at = path.sep;
  for (const part of parts) {
    at = path.join(at, part);
    if (!fs.existsSync(at)) fs.mkdirSync(at);
  }
}

async function loadPlaywright() {
  ensurePackages();
  return import('playwright-core');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The bundled site built into a temp dir and served by the search service.
async function publishSite() {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-gen-layout-'));
  fs.copyFileSync(path.join(sourceDir, 'site.yaml'), path.join(tmpDir, 'site.yaml'));
  fs.cpSync(path.join(sourceDir, 'content'), path.join(tmpDir, 'content'), { recursive: true });
  const out = path.join(tmpDir, 'public');
  const r = spawnSync(binary, ['build', '--site', tmpDir, '--out', out, '--jobs', '2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `site-gen build failed:\n${r.stdout}${r.stderr}`);
  publicDir = fs.realpathSync(out);
  const port = await freePort();
  service = spawn(binary, ['search-server', '--out', out, '--static', '--port', String(port)], { stdio: 'ignore' });
  for (let i = 0; ; ++i) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.ok, () => false);
    if (up) break;
    assert.ok(i < 200 && service.exitCode === null, 'the search service did not start');
    await sleep(50);
  }
  base = `http://127.0.0.1:${port}`;
}

// Every published page, as a URL path (each page's file is its folder's index.html).
function publishedPages() {
  const pages = [];
  const walk = (dir, rel) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
      else if (e.name === 'index.html') pages.push(rel);
      else if (e.name.endsWith('.html')) pages.push(rel + e.name);
    }
  };
  walk(publicDir, '/');
  return pages.sort();
}

// ---------------------------------------------------------------- helpers

async function newPage(width, options = {}) {
  const context = await browser.newContext({
    viewport: { width, height: width < 768 ? 844 : 900 }, deviceScaleFactor: 1, ...options,
  });
  context.setDefaultTimeout(NAV_MS);
  context.setDefaultNavigationTimeout(NAV_MS);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

async function open(page, at) {
  await page.goto(base + at, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => true));
}

// Runs fn(item) over items with `workers` pages of `width` at a time.
async function onPages(items, width, workers, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, async () => {
    const page = await newPage(width);
    try {
      while (next < items.length) await fn(page, items[next++]);
    } finally {
      await page.context().close().catch(() => {});
    }
  }));
}

// In the page: what sticks out of the viewport (left or right, so the
// start edge of a right-to-left page too), and every scroller whose content
// is wider than it (a table behind a scroll bar). Elements inside a
// scroller are the scroller's business; visually hidden ones are skipped.
function layoutProblems() {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => {
    let s = el.localName;
    if (el.id) s += `#${el.id}`;
    else if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ');
    return text ? `${s} "${text.slice(0, 50)}${text.length > 50 ? '…' : ''}"` : s;
  };
  const sw = document.documentElement.scrollWidth;
  if (sw > vw) problems.push(`the page is ${sw} px wide in a ${vw} px viewport`);
  const out = [];
  const range = document.createRange();
  const visit = (el) => {
    if (el.classList.contains('visually-hidden') || el.classList.contains('skip-link')) return;
    const style = getComputedStyle(el);
    if (style.display === 'none') return;
    const r = el.getBoundingClientRect();
    const outside = (b) => b.width > 0 && (b.left < -1 || b.right > vw + 1);
    if (outside(r)) out.push({ el, text: `${name(el)} spans x ${Math.round(r.left)}…${Math.round(r.right)} of 0…${vw}` });
    // Text that overflows its element's box (a word that does not wrap).
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.data.trim()) continue;
      range.selectNodeContents(node);
      const b = range.getBoundingClientRect();
      if (outside(b) && !outside(r))
        out.push({ el, text: `text of ${name(el)} spans x ${Math.round(b.left)}…${Math.round(b.right)} of 0…${vw}` });
    }
    if (style.overflowX !== 'visible') {
      if (el.scrollWidth > el.clientWidth + 1) {
        const inner = el.firstElementChild ? ` (${el.firstElementChild.localName})` : '';
        problems.push(`${name(el).split(' ')[0]}${inner} holds ${el.scrollWidth} px in ${el.clientWidth} px`);
      }
      return;
    }
    for (const child of el.children) visit(child);
  };
  for (const child of document.body.children) visit(child);
  // The innermost element that sticks out says what does (a URL, a cell).
  for (const o of out)
    if (!out.some((p) => p !== o && o.el.contains(p.el))) problems.push(o.text);
  return problems.slice(0, 8);
}

const i18n = (lang, key) => {
  const text = fs.readFileSync(path.join(sourceDir, 'themes', 'default', 'i18n', `${lang}.yaml`), 'utf8');
  const m = new RegExp(`^${key}: "(.*)"$`, 'm').exec(text);
  assert.ok(m, `no ${key} in i18n/${lang}.yaml`);
  return m[1];
};

// ---------------------------------------------------------------- checks

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('axe-core finds a violation put in a page (the detector works)', async () => {
  const page = await newPage(1280);
  try {
    await open(page, '/en/convention/');
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/nothing.png';
      document.querySelector('main').append(img);
      document.querySelector('h1').style.color = '#ddd';
    });
    const ids = (await runAxe(page)).map((v) => v.id);
    assert.ok(ids.includes('image-alt') && ids.includes('color-contrast'), `axe found ${ids.join(', ') || 'nothing'}`);
  } finally {
    await page.context().close();
  }
});

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object')))
    await page.addScriptTag({ path: path.join(here, 'node_modules', 'axe-core', 'axe.min.js') });
  return page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    count: v.nodes.length,
  }))), AXE_TAGS);
}

// One pass over the page kinds: each page is opened once and the window
// resized through WIDTHS (the media queries and the layout follow), axe-core
// run at AXE_WIDTHS. The checks below report from it.
let survey = null;
function surveyPageKinds() {
  survey ??= (async () => {
    const axe = Object.fromEntries(AXE_WIDTHS.map((w) => [w, []]));
    const layout = [];
    const served = [];
    await onPages(pageKinds(LANGS), WIDTHS[0], 2, async (page, { kind, lang, path: at }) => {
      await page.setViewportSize({ width: WIDTHS[0], height: 844 });
      const res = await page.goto(base + at, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => true));
      if (res.status() !== (kind === '404' ? 404 : 200)) served.push(`${at}: status ${res.status()}`);
      if (await page.getAttribute('html', 'lang') !== lang) served.push(`${at}: <html lang> is not ${lang}`);
      if (kind === 'results' && await page.locator('ol.result-list > li').count() === 0) served.push(`${at}: no results`);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width < 768 ? 844 : 900 });
        const problems = await page.evaluate(layoutProblems);
        if (problems.length) layout.push(`${at} at ${width} px:\n      ${problems.join('\n      ')}`);
        // On a phone, with the header's menu open too.
        const menu = page.locator('.site-header button.menu-toggle');
        if (width < 768 && await menu.isVisible()) {
          await menu.click();
          const open = await page.evaluate(layoutProblems);
          if (open.length) layout.push(`${at} at ${width} px, menu open:\n      ${open.join('\n      ')}`);
          await menu.click();
        }
        if (AXE_WIDTHS.includes(width))
          for (const v of await runAxe(page))
            axe[width].push(`${at}: ${v.id} (${v.impact}, ${v.count} elements): ${v.help}\n      ${v.nodes.join('\n      ')}`);
      }
      assert.deepEqual(page.errors, [], `${at}: uncaught errors`);
    });
    return { axe, layout, served };
  })();
  return survey;
}

function noFailures(failures, what) {
  if (failures.length) assert.fail(`${failures.length} ${what}:\n  ${failures.join('\n  ')}`);
}

check('every page kind is served in six languages (a 404 for the missing page), the results pages with results', async () => {
  noFailures((await surveyPageKinds()).served, 'pages not as expected');
});

for (const width of AXE_WIDTHS) {
  check(`axe-core: no WCAG 2.1 AA violation on any page kind in six languages at ${width} px`, async () => {
    noFailures((await surveyPageKinds()).axe[width], 'violations');
  });
}

check(`no page kind is wider than the screen, nor a table than its column, at ${WIDTHS.join(', ')} px, in six languages`, async () => {
  noFailures((await surveyPageKinds()).layout, 'pages overflow');
});

if (ALL_PAGES) {
  check('reflow at 320 px: no page of the bundled site is wider than the screen', async () => {
    const pages = publishedPages();
    assert.ok(pages.length > 1000, `only ${pages.length} pages published`);
    const failures = [];
    const started = Date.now();
    await onPages(pages, 320, 3, async (page, at) => {
      await page.goto(base + at, { waitUntil: 'load' });
      const problems = await page.evaluate(layoutProblems);
      if (problems.length) failures.push(`${at}:\n      ${problems.join('\n      ')}`);
    });
    process.stderr.write(`layout.mjs: ${pages.length} pages at 320 px in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    noFailures(failures.slice(0, 30), `of ${failures.length} pages overflowing (of ${pages.length})`);
  });
}

check('the overflow check sees a bare URL that sticks out, past either edge', async () => {
  for (const lang of ['en', 'ar']) {
    const page = await newPage(320);
    try {
      await open(page, `/${lang}/convention/`);
      await page.evaluate(() => {
        const p = document.createElement('p');
        p.style.overflowWrap = 'normal';
        p.style.wordBreak = 'normal';
        p.dir = 'ltr';
        p.textContent = 'https://www.example.org/a/very/long/address/that/cannot/break/anywhere/at/all';
        document.querySelector('main').append(p);
      });
      const problems = await page.evaluate(layoutProblems);
      assert.ok(problems.some((p) => p.includes('very/long/address')), `${lang}: ${JSON.stringify(problems)}`);
    } finally {
      await page.context().close();
    }
  }
});

check('on a 390 × 844 phone the header takes at most 15 % of the screen; its menu button opens the navigation, by keyboard too', async () => {
  for (const lang of LANGS) {
    const page = await newPage(390);
    try {
      await open(page, `/${lang}/meetings/`);
      const button = page.locator('.site-header button.menu-toggle');
      assert.ok(await button.isVisible(), `${lang}: no menu button`);
      assert.equal((await button.textContent()).trim(), i18n(lang, 'menu_button'), `${lang}: the button's label`);
      assert.equal(await button.getAttribute('aria-expanded'), 'false', `${lang}: aria-expanded before`);
      const controls = (await button.getAttribute('aria-controls')).split(' ');
      const height = await page.evaluate(() => document.querySelector('.site-header').getBoundingClientRect().height);
      assert.ok(height <= 0.15 * 844, `${lang}: the header is ${height} px high (${(100 * height / 844).toFixed(1)} %)`);
      const nav = page.locator('nav.main-nav');
      assert.ok(!(await nav.isVisible()), `${lang}: the navigation shows before the button is pressed`);
      // By keyboard: Tab from the skip link and the site's name reaches the button.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'menu-toggle', `${lang}: focus after three Tabs`);
      await page.keyboard.press('Enter');
      assert.equal(await button.getAttribute('aria-expanded'), 'true', `${lang}: aria-expanded after Enter`);
      for (const id of controls) assert.ok(await page.locator(`#${id}`).isVisible(), `${lang}: #${id} hidden after Enter`);
      assert.ok(await nav.locator('a[aria-current="page"]').isVisible(), `${lang}: the current page's link`);
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement.closest('.site-header')), `${lang}: Tab leaves the open menu`);
      await page.keyboard.press('Escape');
      assert.equal(await button.getAttribute('aria-expanded'), 'false', `${lang}: Escape closes the menu`);
      assert.equal(await page.evaluate(() => document.activeElement.className), 'menu-toggle', `${lang}: focus back on the button`);
      assert.ok(!(await nav.isVisible()), `${lang}: the navigation shows after Escape`);
      assert.deepEqual(page.errors, [], 'uncaught errors');
    } finally {
      await page.context().close();
    }
  }
  // Without JavaScript the navigation is simply there; on a wide screen there is no button.
  for (const [width, javaScriptEnabled] of [[390, false], [1280, true]]) {
    const page = await newPage(width, { javaScriptEnabled });
    try {
      await open(page, '/fr/meetings/');
      assert.ok(await page.locator('nav.main-nav a[aria-current="page"]').isVisible(), `${width} px, JS ${javaScriptEnabled}: navigation`);
      assert.ok(await page.locator('#header-search-q').isVisible(), `${width} px, JS ${javaScriptEnabled}: search box`);
      assert.ok(!(await page.locator('button.menu-toggle').isVisible()), `${width} px, JS ${javaScriptEnabled}: a menu button`);
    } finally {
      await page.context().close();
    }
  }
});

// The font Chromium drew a node's text with (DevTools protocol), by its family.
async function renderedFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  assert.ok(nodeId, `no ${selector}`);
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts.map((f) => f.familyName);
}

check('Arabic is drawn in Noto Naskh Arabic, larger than Latin text and with room between lines and under links; Chinese has room between lines', async () => {
  const page = await newPage(1280);
  try {
    const measure = () => page.evaluate(() => {
      const p = document.querySelector('main .prose p');
      const a = document.querySelector('main .prose a') || document.querySelector('main a');
      const s = getComputedStyle(p), sa = getComputedStyle(a);
      return {
        size: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize),
        underlineOffset: sa.textUnderlineOffset, linkSize: parseFloat(sa.fontSize),
        nav: parseFloat(getComputedStyle(document.querySelector('nav.main-nav a')).fontSize),
      };
    });
    await open(page, '/en/convention/');
    const en = await measure();
    await open(page, '/ar/convention/');
    const ar = await measure();
    const fonts = await renderedFonts(page, 'main .prose p');
    assert.equal(fonts[0], 'Noto Naskh Arabic', `Arabic text drawn with ${fonts.join(', ')} (is fonts-noto-core installed?)`);
    assert.ok(ar.size >= 1.15 * en.size && ar.size <= 1.25 * en.size, `Arabic text ${ar.size} px, English ${en.size} px`);
    assert.ok(ar.nav >= 1.15 * en.nav, `Arabic navigation ${ar.nav} px, English ${en.nav} px`);
    assert.ok(ar.lineHeight >= 1.75, `Arabic line height ${ar.lineHeight.toFixed(2)}`);
    // Below the dots under Arabic letters: at least a third of the font size.
    const offset = parseFloat(ar.underlineOffset) / (ar.underlineOffset.endsWith('px') ? ar.linkSize : 1);
    assert.ok(offset >= 0.3, `Arabic links' underline offset ${ar.underlineOffset}`);
    // English inside an Arabic page (its language switcher) is not enlarged.
    const latin = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lang-switcher a[lang="en"]')).fontSize));
    const arabic = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lang-switcher a[lang="ar"]')).fontSize));
    assert.ok(Math.abs(latin * 1.15 - arabic) < 0.1 * arabic || arabic > latin * 1.1, `switcher: English ${latin} px, Arabic ${arabic} px`);
    await open(page, '/zh/convention/');
    const zh = await measure();
    assert.equal((await renderedFonts(page, 'main .prose p'))[0], 'Noto Sans CJK SC', 'Chinese font');
    assert.ok(zh.lineHeight >= 1.7, `Chinese line height ${zh.lineHeight.toFixed(2)}`);
  } finally {
    await page.context().close();
  }
});

check('empty table columns and labels of empty lists are not shown; narrow tables are stacked with each cell labelled', async () => {
  const page = await newPage(1280);
  try {
    await open(page, '/en/membership/angola/');
    const headers = await page.locator('table.extensions thead th').allTextContents();
    assert.ok(!headers.includes(i18n('en', 'extension_request')), `extensions table columns: ${headers.join(', ')}`);
    await open(page, '/en/documents/aplc-msp-22-2025-wp-3/');
    const labels = await page.locator('dl.facts dt').allTextContents();
    const values = await page.locator('dl.facts dd').allTextContents();
    assert.ok(!values.some((v) => v.trim() === i18n('en', 'none')), `facts: ${labels.join(', ')}`);
    // Every column of the membership table has a value somewhere.
    await open(page, '/ru/membership/');
    const empty = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('table.states tbody tr')];
      const cols = document.querySelectorAll('table.states thead th').length;
      return [...Array(cols).keys()].filter((k) => rows.every((r) => r.cells[k].textContent.trim() === ''));
    });
    assert.deepEqual(empty, [], 'membership columns empty in every row');
    await page.setViewportSize({ width: 390, height: 844 });
    const cards = await page.evaluate(() => {
      const row = document.querySelector('table.states tbody tr');
      return [...row.cells].filter((c) => getComputedStyle(c).display !== 'none' && c.localName === 'td')
        .map((c) => ({ label: getComputedStyle(c, '::before').content, display: getComputedStyle(c).display }));
    });
    assert.ok(cards.length > 0 && cards.every((c) => c.label.length > 2 && c.display === 'block'),
      `the first row's cells at 390 px: ${JSON.stringify(cards)}`);
  } finally {
    await page.context().close();
  }
});

check(`screenshots of every page kind in ${SHOT_LANGS.join(', ')} at 1280 and 390 px`, async () => {
  makeDirs(screenshotDir);
  for (const width of [1280, 390]) {
    await onPages(pageKinds(SHOT_LANGS), width, 2, async (page, { kind, lang, path: at }) => {
      await open(page, at);
      const out = path.join(screenshotDir, `${lang}-${kind}-${width}.png`);
      // The whole page, but at most 4,000 px of it (the membership list
      // stacked on a phone is ten times that).
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 4000) } });
      const size = fs.statSync(out).size;
      assert.ok(size > 5_000, `${out} is only ${size} bytes`);
    });
  }
  // Open on a phone: the menu.
  const page = await newPage(390);
  try {
    for (const lang of SHOT_LANGS) {
      await open(page, `/${lang}/`);
      await page.locator('button.menu-toggle').click();
      await page.screenshot({ path: path.join(screenshotDir, `${lang}-menu-390.png`) });
    }
  } finally {
    await page.context().close();
  }
});

// ---------------------------------------------------------------- main

async function main() {
  let passed = 0;
  let failed = 0;
  const watchdog = setTimeout(async () => {
    console.log(`not ok - the run took more than ${WATCHDOG_MS / 1000} s; stopping`);
    await Promise.race([cleanup(), sleep(15_000)]);
    console.log(`${passed} passed, ${checks.length - passed} failed`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  const started = Date.now();
  try {
    assert.ok(fs.existsSync(binary), `no site-gen binary at ${binary}`);
    assert.ok(fs.existsSync(chromiumPath), `no chromium at ${chromiumPath}`);
    const { chromium } = await loadPlaywright();
    await publishSite();
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true, timeout: 60_000 });
  } catch (e) {
    console.log(`not ok - setup\n  ${String(e && e.stack || e).replace(/\n/g, '\n  ')}`);
    await cleanup();
    console.log(`0 passed, ${checks.length} failed`);
    process.exit(1);
  }
  const only = process.env.LAYOUT_ONLY;  // a substring of the checks to run, while working on one
  for (const { name, fn } of checks) {
    if (only && !name.includes(only)) continue;
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      console.log(`ok - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n  ${String(e && e.message || e).replace(/\n/g, '\n  ')}`);
    }
  }
  await cleanup();
  console.log(`${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}

main().catch(async (e) => {
  console.log(`not ok - runner\n  ${String(e && e.stack || e)}`);
  await cleanup();
  console.log('0 passed, 1 failed');
  process.exit(1);
});
