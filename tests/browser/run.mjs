#!/usr/bin/env node
// Browser tests of the site-gen preview server: search, facets, the language
// switcher, right-to-left layout, live reload, the error overlay, screenshots,
// and a public corpus of XSS payloads published by site-gen build and opened
// in Chromium (see "XSS corpus" below).
//
//   node tests/browser/run.mjs [path/to/site-gen]
//
// Serves a copy of the bundled site (site.yaml + content/) from a temp dir and
// drives Debian's /usr/bin/chromium with playwright-core (no browser download).
// Prints "ok - name" / "not ok - name" per check and "N passed, M failed";
// exits 1 if any check failed. Screenshots go to $SCREENSHOT_DIR, by default
// <dir of the binary>/screenshots.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from './install.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, '..', '..');
const binary = path.resolve(process.argv[2] || '/work/main/build/site-gen');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(path.dirname(binary), 'screenshots'));
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // The XSS payloads name hosts on the internet: resolve none of them.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];
const SERVER_START_MS = 60_000;
const LIVE_EDIT_MS = 15_000;
const NAV_MS = 30_000;
const CHECK_MS = 90_000;
// Below CTest's TIMEOUT (180 s), so the runner always cleans up itself.
const WATCHDOG_MS = Number(process.env.BROWSER_TESTS_TIMEOUT_MS || 165_000);

// ---------------------------------------------------------------- cleanup

let server = null;
let browser = null;
let tmpDir = null;
let staticServers = [];  // serve published trees (the XSS site, the bundled one)

function cleanupSync() {
  for (const s of staticServers) {
    s.closeAllConnections?.();
    s.close();
  }
  staticServers = [];
  if (server && server.exitCode === null && server.signalCode === null) {
    try { server.kill('SIGKILL'); } catch { /* already gone */ }
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
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) {
      server.kill('SIGKILL');
      await Promise.race([exited, sleep(5_000)]);
    }
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

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Like mkdirSync(dir, {recursive: true}), which can loop forever (e.g. under /proc).
function makeDirs(dir) {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  let at = path.sep;
  for (const part of parts) {
    at = path.join(at, part);
    if (!fs.existsSync(at)) fs.mkdirSync(at);
  }
  assert.ok(fs.statSync(at).isDirectory(), `${at} is not a directory`);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- setup

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

function copySite() {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-gen-browser-'));
  fs.copyFileSync(path.join(sourceDir, 'site.yaml'), path.join(tmpDir, 'site.yaml'));
  fs.cpSync(path.join(sourceDir, 'content'), path.join(tmpDir, 'content'), { recursive: true });
  return tmpDir;
}

let serverLog = '';

function startServer(site, port) {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ['serve', '--site', site, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      reject(new Error(`no "serving" line within ${SERVER_START_MS / 1000} s; output:\n${serverLog}`));
    }, SERVER_START_MS);
    const onData = (chunk) => {
      serverLog += chunk.toString();
      if (serverLog.length > 200_000) serverLog = serverLog.slice(-100_000);
      const m = /site-gen: serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(serverLog);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('error', (e) => { clearTimeout(timer); reject(e); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before serving; output:\n${serverLog}`));
    });
  });
}

// ---------------------------------------------------------------- helpers

let base = '';
const url = (p) => new URL(p, base).href;

// Runs fn(page) in a fresh browser context; uncaught page errors fail the check.
async function withPage(fn, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, ...options });
  context.setDefaultTimeout(NAV_MS);
  context.setDefaultNavigationTimeout(NAV_MS);
  // Records whether the live-reload event stream is open, so an edit is made
  // only once the page is listening for it.
  await context.addInitScript(() => {
    const Native = window.EventSource;
    if (!Native) return;
    window.__sgStreams = [];
    window.EventSource = function (...args) {
      const es = new Native(...args);
      window.__sgStreams.push(es);
      return es;
    };
    window.EventSource.prototype = Native.prototype;
    Object.assign(window.EventSource, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  try {
    await fn(page);
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
  } finally {
    await context.close().catch(() => {});
  }
}

// Polls fn in the page until it returns a truthy value, surviving reloads.
async function pollPage(page, fn, arg, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = e; // the page is navigating (its own reload); try again
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}` +
        (last instanceof Error ? ` (last error: ${last.message})` : ''));
    }
    await sleep(100);
  }
}

async function waitForReloadStream(page) {
  await pollPage(page, () => (window.__sgStreams || []).some((s) => s.readyState === 1), null,
    LIVE_EDIT_MS, 'the live-reload event stream to open');
}

// The state of a search results page.
async function searchState(page) {
  return page.evaluate(() => {
    const total = document.querySelector('p.total bdi');
    return {
      total: total ? Number(total.textContent.trim()) : NaN,
      results: [...document.querySelectorAll('ol.result-list > li.result a.doc-title')].map((a) => a.getAttribute('href')),
      marks: [...document.querySelectorAll('ol.result-list mark')].map((m) => m.textContent),
      facets: [...document.querySelectorAll('aside.facets section.facet')].map((s) => ({
        name: s.querySelector('h3')?.textContent.trim(),
        items: [...s.querySelectorAll('li')].map((li) => ({
          href: li.querySelector('a')?.getAttribute('href'),
          label: li.querySelector('a')?.textContent.trim(),
          selected: li.querySelector('a')?.getAttribute('aria-current') === 'true',
          count: Number(li.querySelector('.count bdi')?.textContent.trim()),
        })),
      })),
    };
  });
}

// Waits until /js/search.js has shown the answer to its last request.
async function idle(page) {
  await page.waitForFunction(() => !document.getElementById('main').hasAttribute('aria-busy'), null, { timeout: NAV_MS });
}

// Marks the document so that a check can tell an in-place update from a page load.
async function markDocument(page) {
  await page.evaluate(() => { window.__samePage = true; });
}
async function samePage(page) {
  return page.evaluate(() => window.__samePage === true);
}

async function settle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => document.fonts.ready.then(() => true));
}

// ---------------------------------------------------------------- checks

const QUERY = 'mine';
const AR_QUERY = 'الألغام';
const ABOUT = () => path.join(tmpDir, 'content', 'pages', 'about.en.md');

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('without JavaScript, a query submitted from the search form shows results with <mark> highlights', () => withPage(async (page) => {
  await page.goto(url('/en/search/'));
  assert.equal(await page.locator('ol.result-list > li').count(), 0, 'results before any query');
  await page.fill('input#q', QUERY);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/en/search/' && u.searchParams.get('q') === QUERY),
    page.click('form.search-form button[type="submit"]'),
  ]);
  await settle(page);
  const s = await searchState(page);
  assert.ok(s.total > 0, `total shown is ${s.total}`);
  assert.ok(s.results.length > 0, 'no result items');
  assert.ok(s.results.length <= s.total, `${s.results.length} items shown for a total of ${s.total}`);
  assert.ok(s.marks.length > 0, 'no <mark> in the results');
  assert.ok(s.marks.some((m) => m.toLowerCase().includes(QUERY)), `no mark matches "${QUERY}": ${s.marks.join(', ')}`);
  assert.equal(await page.inputValue('input#q'), QUERY, 'the form keeps the query');
  assert.equal(await page.textContent('#search-status'), '', 'the live region is empty without the script');
}, { javaScriptEnabled: false }));

check('"/" focuses the header search box, which searches in the page\'s language; the title names the query', () => withPage(async (page) => {
  await page.goto(url('/fr/meetings/'));
  await settle(page);
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'header-search-q', 'focus after "/"');
  assert.equal(await page.inputValue('#header-search-q'), '', 'the "/" is not typed into the box');
  await page.keyboard.type(QUERY);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/fr/search/' && u.searchParams.get('q') === QUERY),
    page.keyboard.press('Enter'),
  ]);
  await settle(page);
  const title = await page.title();
  assert.ok(title.startsWith(`« ${QUERY} » – Recherche`), `title "${title}"`);
  // On the results page "/" goes to the page's own box; typed in a box, it is a character.
  await page.locator('h1').click();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'focus on the results page');
  await page.keyboard.press('End');
  await page.keyboard.type('/');
  assert.equal(await page.inputValue('#q'), `${QUERY}/`, '"/" typed inside the box');
}));

check('a facet link narrows the results in place and adds its parameter to the URL; Back restores them', () => withPage(async (page) => {
  await page.goto(url(`/en/search/?q=${encodeURIComponent(QUERY)}`));
  await settle(page);
  await markDocument(page);
  const startUrl = page.url();
  const before = await searchState(page);
  assert.ok(before.total > 0 && before.facets.length > 0, `total ${before.total}, ${before.facets.length} facets`);
  // The unselected item, other than a language, that narrows the most.
  const beforeParams = new URL(page.url()).searchParams;
  const candidates = before.facets.flatMap((f) => f.items.map((i) => ({ ...i, facet: f.name })))
    .filter((i) => i.href && !i.selected)
    .map((i) => {
      const added = [...new URL(i.href, base).searchParams].filter(([k, v]) => beforeParams.get(k) !== v);
      return { ...i, added };
    })
    .filter((i) => i.added.length > 0 && !i.added.some(([k]) => k === 'lang'))
    .sort((a, b) => a.count - b.count);
  assert.ok(candidates.length > 0, `no facet item to click: ${JSON.stringify(before.facets)}`);
  const item = candidates[0];
  await Promise.all([
    page.waitForURL((u) => item.added.every(([k, v]) => u.searchParams.get(k) === v)),
    page.locator(`aside.facets a[href=${JSON.stringify(item.href)}]`).click(),
  ]);
  await idle(page);
  assert.ok(await samePage(page), 'the facet link loaded a new page');
  const after = await searchState(page);
  const u = new URL(page.url());
  assert.equal(u.searchParams.get('q'), QUERY, 'the query is kept');
  for (const [k, v] of item.added) assert.equal(u.searchParams.get(k), v, `URL parameter ${k}`);
  assert.ok(after.total <= before.total, `total rose from ${before.total} to ${after.total}`);
  assert.equal(after.total, item.count, `the ${item.facet} facet "${item.label}" announced ${item.count}`);
  assert.ok(after.results.length > 0, 'no results after the facet');
  assert.ok(after.marks.length > 0, 'no <mark> after the facet');
  if (before.results.length === before.total) {
    const missing = after.results.filter((r) => !before.results.includes(r));
    assert.deepEqual(missing, [], 'results that were not among the unfiltered ones');
  }
  const selected = after.facets.flatMap((f) => f.items).filter((i) => i.selected).map((i) => i.label);
  assert.ok(selected.includes(item.label), `"${item.label}" is not marked selected (selected: ${selected.join(', ')})`);
  // The filter chip is a link too, and Back returns to the unfiltered list.
  assert.ok(await page.locator('#active-filters .chip-remove').count() > 0, 'no filter chip');
  await page.goBack();
  await page.waitForURL(startUrl);
  await idle(page);
  assert.ok(await samePage(page), 'Back loaded a new page');
  const back = await searchState(page);
  assert.equal(back.total, before.total, 'total after Back');
  assert.deepEqual(back.results, before.results, 'results after Back');
  assert.equal(await page.locator('#active-filters').count(), 0, 'a filter chip is left after Back');
}));

check('typing updates the results and the announced count without a page load; stale answers are dropped', () => withPage(async (page) => {
  await page.goto(url('/en/search/'));
  await settle(page);
  await markDocument(page);
  // The answer for a prefix of the query arrives after the answer for the
  // whole query: shown, it would replace the final list with its own.
  const stale = QUERY.slice(0, -1);
  let delayed = 0;
  await page.route((u) => u.pathname === '/en/search/' && u.searchParams.get('q') === stale, async (route) => {
    delayed++;
    await sleep(1500);
    await route.continue().catch(() => {});
  });
  await page.locator('#q').pressSequentially(QUERY, { delay: 200 });
  await page.waitForURL((u) => u.searchParams.get('q') === QUERY);
  await idle(page);
  await sleep(2000); // the late answer has arrived by now
  assert.ok(delayed > 0, `no request for "${stale}": not typed one key at a time`);
  assert.ok(await samePage(page), 'typing loaded a new page');
  const s = await searchState(page);
  assert.ok(s.total > 0 && s.results.length > 0, `total ${s.total}, ${s.results.length} results`);
  assert.ok(s.marks.some((m) => m.toLowerCase().includes(QUERY)), `no mark matches "${QUERY}": ${s.marks.join(', ')}`);
  // The same list as the server's own page for the final query.
  const direct = await page.context().newPage();
  await direct.goto(url(`/en/search/?q=${QUERY}`));
  assert.deepEqual(s.results, (await searchState(direct)).results, 'the list differs from the page for the final query');
  await direct.close();
  const announced = await page.textContent('#search-status');
  assert.ok(announced.includes(String(s.total)) && announced.startsWith('Number of results'), `live region says "${announced}"`);
  assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
  assert.ok((await page.title()).includes(QUERY), `title "${await page.title()}"`);
}));

check('ArrowDown moves from the box through the results and Enter opens one', () => withPage(async (page) => {
  await page.goto(url(`/en/search/?q=${QUERY}`));
  await settle(page);
  const s = await searchState(page);
  assert.ok(s.results.length >= 2, `${s.results.length} results`);
  await page.focus('#q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), s.results[1], 'focus after two ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'ArrowUp from the first result returns to the box');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForURL((u) => u.pathname === s.results[0]), page.keyboard.press('Enter')]);
}));

check('instant search works on an Arabic page, right to left', () => withPage(async (page) => {
  await page.goto(url('/ar/search/'));
  await settle(page);
  await markDocument(page);
  await page.locator('#q').pressSequentially(AR_QUERY, { delay: 20 });
  await page.waitForURL((u) => u.searchParams.get('q') === AR_QUERY);
  await idle(page);
  assert.ok(await samePage(page), 'typing loaded a new page');
  const s = await searchState(page);
  assert.ok(s.total > 0 && s.results.length > 0, `total ${s.total}`);
  const dirs = await page.evaluate(() => ['search-results', 'search-facets', 'search-status']
    .map((id) => getComputedStyle(document.getElementById(id)).direction));
  assert.deepEqual(dirs, ['rtl', 'rtl', 'rtl'], 'direction of the results, facets and live region');
  const announced = await page.textContent('#search-status');
  assert.ok(announced.includes('عدد') || /[\u0600-\u06FF]/.test(announced), `live region says "${announced}"`);
}));

check('the language switcher leads from /en/membership/angola/ to the French page', () => withPage(async (page) => {
  await page.goto(url('/en/membership/angola/'));
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/fr/membership/angola/'),
    page.click('nav.lang-switcher a[hreflang="fr"]'),
  ]);
  await settle(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr', '<html lang>');
  assert.equal(await page.getAttribute('nav.lang-switcher a[hreflang="fr"]', 'aria-current'), 'page',
    'French is the current language in the switcher');
  const h1 = (await page.textContent('h1')).trim();
  assert.match(h1, /Angola/, 'the French page is about Angola');
}));

check('the Arabic pages lay out right to left', () => withPage(async (page) => {
  await page.goto(url('/ar/'));
  await settle(page);
  const r = await page.evaluate(() => {
    const links = [...document.querySelectorAll('nav.main-nav a')].map((a) => {
      const b = a.getBoundingClientRect();
      return { x: b.x, width: b.width, text: a.textContent.trim() };
    });
    return {
      dir: document.documentElement.dir,
      lang: document.documentElement.lang,
      bodyDirection: getComputedStyle(document.body).direction,
      width: document.documentElement.clientWidth,
      links,
    };
  });
  assert.equal(r.lang, 'ar');
  assert.equal(r.dir, 'rtl', 'document.documentElement.dir');
  assert.equal(r.bodyDirection, 'rtl', 'computed direction of <body>');
  assert.ok(r.links.length >= 2, `${r.links.length} links in nav.main-nav`);
  const first = r.links[0];
  const last = r.links[r.links.length - 1];
  assert.ok(first.x > last.x, `first nav link "${first.text}" at x=${first.x}, last "${last.text}" at x=${last.x}`);
  assert.ok(first.x + first.width / 2 > r.width / 2,
    `first nav link "${first.text}" is not on the right side (x=${first.x}, viewport ${r.width})`);
}));

check('a live edit reloads the open page', () => withPage(async (page) => {
  await page.goto(url('/en/about/'));
  await waitForReloadStream(page);
  const word = `Zyxlivecheck${Date.now().toString(36)}`;
  await page.evaluate(() => { window.__sgBeforeEdit = true; });
  assert.ok(!(await page.textContent('main')).includes(word));
  fs.appendFileSync(ABOUT(), `\nThe live edit adds ${word} here.\n`);
  await pollPage(page, (w) => document.querySelector('main')?.textContent.includes(w), word,
    LIVE_EDIT_MS, `"${word}" to appear on /en/about/`);
  assert.equal(new URL(page.url()).pathname, '/en/about/');
  assert.equal(await page.evaluate(() => window.__sgBeforeEdit), undefined,
    'the page was not reloaded (the old document is still there)');
}));

check('a broken edit shows the error overlay, and fixing it removes it', () => withPage(async (page) => {
  const file = ABOUT();
  const good = fs.readFileSync(file, 'utf8');
  await page.goto(url('/en/about/'));
  await waitForReloadStream(page);
  assert.equal(await page.locator('#site-gen-errors').count(), 0, 'an overlay before the broken edit');
  try {
    // Front matter that is never closed.
    fs.writeFileSync(file, '---\ntitle: About the Convention\nweight: 1\n');
    await pollPage(page, () => {
      const box = document.getElementById('site-gen-errors');
      return box && box.getBoundingClientRect().height > 0 && box.textContent;
    }, null, LIVE_EDIT_MS, 'the error overlay #site-gen-errors');
    const text = await page.textContent('#site-gen-errors');
    assert.match(text, /about\.en\.md/, `the overlay names the file: ${JSON.stringify(text)}`);
    assert.ok(await page.locator('#site-gen-errors').isVisible(), 'the overlay is visible');
    // The last good page is still there behind it.
    assert.match(await page.textContent('h1'), /About the Convention/);
    await page.evaluate(() => { window.__sgBeforeFix = true; });
  } finally {
    const word = `Zyxfixed${Date.now().toString(36)}`;
    fs.writeFileSync(file, `${good}\nFixed with ${word}.\n`);
    await pollPage(page, (w) => !document.getElementById('site-gen-errors') &&
      document.querySelector('main')?.textContent.includes(w) && document.readyState === 'complete',
    word, LIVE_EDIT_MS, `the overlay to go and "${word}" to appear`);
  }
  assert.equal(await page.evaluate(() => window.__sgBeforeFix), undefined, 'the page was not reloaded after the fix');
  const status = await (await fetch(url('/__site-gen/status'))).json();
  assert.deepEqual(status.errors, [], '/__site-gen/status after the fix');
  // Stays gone (the page asks for the status when it loads).
  await page.evaluate(() => fetch('/__site-gen/status').then((r) => r.json()));
  assert.equal(await page.locator('#site-gen-errors').count(), 0, 'the overlay came back');
}));

check('screenshots of the home and search pages in English and Arabic', () => withPage(async (page) => {
  makeDirs(screenshotDir);
  const shots = [
    ['en-home.png', '/en/', null],
    ['ar-home.png', '/ar/', null],
    ['en-search.png', `/en/search/?q=${encodeURIComponent(QUERY)}`, QUERY],
    ['ar-search.png', `/ar/search/?q=${encodeURIComponent(AR_QUERY)}`, AR_QUERY],
  ];
  for (const [file, target, query] of shots) {
    await page.goto(url(target));
    await settle(page);
    if (query) {
      const s = await searchState(page);
      assert.ok(s.total > 0 && s.marks.length > 0, `${target}: total ${s.total}, ${s.marks.length} marks`);
    }
    const out = path.join(screenshotDir, file);
    await page.screenshot({ path: out, fullPage: true });
    const size = fs.statSync(out).size;
    assert.ok(size > 10_000, `${out} is only ${size} bytes`);
  }
}));

// ---------------------------------------------------------------- XSS corpus

// A public corpus of XSS payloads: the vectors of the OWASP XSS Filter Evasion
// Cheat Sheet as xss-filters (BSD licence, Yahoo) publishes them in its npm
// package, tests/fuzz/bin/seed.xss, one a line; installed by `npm ci` with
// playwright-core and pinned in package-lock.json. $XSS_CORPUS may name more:
// a JSON array of payloads, or a file of one a line (run so by hand with the
// 149 vectors of cure53's HTML5 Security Cheatsheet as well, 303 payloads in
// all on 48 pages: none ran).
// Every payload is published as part of an HTML document body and as raw HTML
// in a Markdown body, XSS_PER_PAGE to a page, the pages spread over four
// languages, by `site-gen build` of a site of their own; each page is opened in
// Chromium, every element is hovered, focused and clicked (the events that
// cheat-sheet vectors wait for), and any sign of a script of the payload's
// fails the check: a dialog or a call of alert/confirm/prompt/print/open, a
// console message or an uncaught error, a navigation or a popup, a request for
// a script, frame, style sheet or connection that the page without payloads
// does not make, or, in the document's body, an element or attribute that can
// run code or a link whose URL is not http(s), mailto or tel.
const XSS_PER_PAGE = 13;
const XSS_LANGS = ['en', 'fr', 'ar', 'zh'];
const XSS_SETTLE_MS = 300;

function xssPayloads() {
  const seeds = path.join(here, 'node_modules', 'xss-filters', 'tests', 'fuzz', 'bin', 'seed.xss');
  const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');
  const list = lines(fs.readFileSync(seeds, 'utf8'));
  if (process.env.XSS_CORPUS) {
    const text = fs.readFileSync(process.env.XSS_CORPUS, 'utf8');
    list.push(...(text.trimStart().startsWith('[') ? JSON.parse(text) : lines(text)));
  }
  return [...new Set(list)];
}

// Writes the site: one meeting, a clean document (the baseline) and the
// payload documents. Returns the pages to open, each with the payloads it holds
// and the file lines they start on.
function writeXssSite(dir, payloads) {
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => {
    makeDirs(path.dirname(path.join(dir, rel)));
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('site.yaml', `title: XSS corpus\nlanguages: [${XSS_LANGS.join(', ')}]\n`);
  const meeting = 'content/meetings/xss';
  write(`${meeting}/meeting.yaml`, 'kind: msp\ntitle: { en: Payloads }\nstart: 2025-01-01\nend: 2025-01-02\n');
  const frontMatter = (symbol) => `---\nsymbol: ${symbol}\ntitle: ${symbol}\ndate: 2025-01-01\ntype: other\n---\n`;
  write(`${meeting}/clean.en.md`, `${frontMatter('XSS/CLEAN')}A document without payloads.\n`);
  const pages = [];
  for (let g = 0; g * XSS_PER_PAGE < payloads.length; ++g) {
    const first = g * XSS_PER_PAGE;
    const indices = payloads.slice(first, first + XSS_PER_PAGE).map((_, k) => first + k);
    const lang = XSS_LANGS[g % XSS_LANGS.length];
    for (const [kind, ext, separator] of [['html', 'html', '\n<hr>\n'], ['md', 'md', '\n\n']]) {
      const symbol = `XSS/${kind.toUpperCase()}/${g}`;
      let text = frontMatter(symbol);
      const lines = [];
      indices.forEach((i, k) => {
        if (k > 0) text += separator;
        lines.push(text.split('\n').length);
        text += payloads[i];
      });
      const file = `${meeting}/${kind}-${g}.${lang}.${ext}`;
      write(file, `${text}\n`);
      pages.push({ file, kind, url: `/${lang}/documents/xss-${kind}-${g}/`, indices, lines });
    }
  }
  return pages;
}

// The payload of `page` written on `line` of its file.
function payloadAt(page, line) {
  let k = 0;
  while (k + 1 < page.lines.length && page.lines[k + 1] <= line) k++;
  return page.indices[k];
}

// What closes a construct that the build reports as left open.
function closerOf(what) {
  if (what === '<!-- comment') return '-->';
  if (what === '<![CDATA[') return ']]>';
  if (what === '<?') return '?>';
  const tag = /^<([A-Za-z][\w:-]*)>$/.exec(what);
  return tag ? `</${tag[1]}>` : null;
}

// Builds the site. A payload's relative link to a page that does not exist is
// a broken link that stops the build (as it should): its URL is made a
// fragment of the same page ("x" becomes "#x", which still fails to load as an
// image, so an onerror would still fire). A payload that leaves a <script>,
// a comment or the like open is refused too (the rest of the page would be
// lost): it is closed after the payload, so that what it holds is still
// sanitized and opened. Returns how many were changed so.
function buildXssSite(dir, out, payloads) {
  const changed = new Set();
  for (let round = 0; round < 6; ++round) {
    const pages = writeXssSite(dir, payloads);
    const r = spawnSync(binary, ['build', '--site', dir, '--out', out, '--jobs', '2'], { encoding: 'utf8' });
    const output = `${r.stdout}${r.stderr}`;
    if (r.status === 0) return { pages, changed: changed.size };
    let fixed = 0;
    for (const m of output.matchAll(/^(content\/\S+):(\d+): broken link "(.*)": nothing is published at /gm)) {
      const page = pages.find((p) => p.file === m[1]);
      const i = page && payloadAt(page, Number(m[2]));
      if (i === undefined || !payloads[i].includes(m[3]) || m[3].startsWith('#')) continue;
      payloads[i] = payloads[i].split(m[3]).join(`#${m[3]}`);
      changed.add(i);
      fixed++;
    }
    for (const m of output.matchAll(/^(content\/\S+):(\d+): unclosed (.*) \(everything after it would be lost\)$/gm)) {
      const page = pages.find((p) => p.file === m[1]);
      const i = page && payloadAt(page, Number(m[2]));
      const closer = closerOf(m[3]);
      if (i === undefined || !closer || payloads[i].endsWith(closer)) continue;
      payloads[i] += closer;
      changed.add(i);
      fixed++;
    }
    if (!fixed) throw new Error(`site-gen build of the XSS site failed (status ${r.status}):\n${output.slice(0, 4000)}`);
  }
  throw new Error('site-gen build of the XSS site still fails after 6 rounds of fixes');
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.xml': 'application/xml', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

// A plain static server over the published tree, as any host would serve it
// (on `port`, or any free one).
function serveStatic(root, port = 0) {
  return new Promise((resolve, reject) => {
    const staticServer = http.createServer((req, res) => {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.join(root, path.normalize(rel));
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    staticServers.push(staticServer);
    staticServer.on('error', reject);
    staticServer.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${staticServer.address().port}/`));
  });
}

// Opens `target` and returns every sign of a script that the page showed.
async function xssSignals(context, target, baseline) {
  const page = await context.newPage();
  const signals = [];
  const origin = new URL(target).origin;
  page.on('dialog', (d) => { signals.push(`a ${d.type()} dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => {
    const text = m.text();
    // Chromium's own report of a payload image that did not load.
    if (m.type() === 'error' && text.startsWith('Failed to load resource')) return;
    if (!baseline.console.has(text)) signals.push(`console ${m.type()}: ${text}`);
  });
  page.on('pageerror', (e) => signals.push(`uncaught error: ${e}`));
  page.on('popup', (p) => signals.push(`a popup: ${p.url()}`));
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame() && f.url() !== target) signals.push(`navigation to ${f.url()}`);
    else if (f !== page.mainFrame()) signals.push(`a frame loaded ${f.url()}`);
  });
  await page.route('**/*', (route) => {
    const req = route.request();
    const u = req.url();
    const type = req.resourceType();
    if (u.startsWith(origin + '/')) {
      const mainDocument = type === 'document' && req.frame() === page.mainFrame() && u === target;
      if (!mainDocument && type !== 'image' && !baseline.requests.has(`${type} ${u}`))
        signals.push(`a request the page without payloads does not make: ${type} ${u}`);
      return route.continue();
    }
    // Off this machine: never sent. An image is passive (the sanitizer keeps
    // http(s) images); anything else would be a payload's.
    if (type !== 'image') signals.push(`a request for ${type} ${u}`);
    return route.abort();
  });
  await page.goto(target, { waitUntil: 'load' });
  const found = await page.evaluate(async (settleMs) => {
    const out = [];
    const body = document.querySelector('.document-body');
    if (!body) return ['no .document-body on the page'];
    for (const el of body.querySelectorAll('*')) {
      const name = el.localName;
      if (['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link',
        'style', 'form', 'svg', 'math', 'template', 'noscript'].includes(name))
        out.push(`a <${name}> in the body`);
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on') || ['style', 'srcdoc', 'formaction', 'action', 'xlink:href'].includes(n))
          out.push(`<${name} ${n}="${a.value.slice(0, 60)}"> in the body`);
      }
      if (name === 'a' && el.hasAttribute('href') && !['http:', 'https:', 'mailto:', 'tel:'].includes(el.protocol))
        out.push(`a link to ${el.href.slice(0, 80)}`);
      if (name === 'img' && el.hasAttribute('src')) {
        const src = el.src;
        if (!/^(https?:|data:image\/(png|gif|jpeg|webp)[;,])/i.test(src)) out.push(`an image from ${src.slice(0, 80)}`);
      }
    }
    // The events the cheat sheet's vectors wait for; an anchor is not
    // clicked (its URL was checked above), so the page stays.
    for (const el of body.querySelectorAll('*')) {
      for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'focus', 'blur',
        'focusin', 'animationstart', 'transitionend', 'scroll', 'error', 'load'])
        el.dispatchEvent(new Event(type, { bubbles: type !== 'mouseenter' }));
      if (el.localName !== 'a' && !el.closest('a')) el.click();
    }
    await new Promise((r) => setTimeout(r, settleMs));
    out.push(...(window.__xssCalls || []));
    return out;
  }, XSS_SETTLE_MS);
  signals.push(...found);
  await page.close();
  return signals;
}

check('a public XSS corpus, published as HTML and Markdown bodies, runs no script in Chromium', async () => {
  const payloads = xssPayloads();
  const dir = path.join(tmpDir, 'xss-site');
  const out = path.join(tmpDir, 'xss-public');
  const { pages, changed } = buildXssSite(dir, out, payloads);
  const xssBase = await serveStatic(out);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  context.setDefaultTimeout(NAV_MS);
  context.setDefaultNavigationTimeout(NAV_MS);
  // What a payload's script would call: recorded, so that nothing blocks.
  await context.addInitScript(() => {
    window.__xssCalls = [];
    for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
      const record = (...args) => { window.__xssCalls.push(`${name}(${args.map(String).join(', ').slice(0, 60)})`); };
      try {
        Object.defineProperty(window, name, { value: record, writable: false, configurable: false });
      } catch { /* already defined as not configurable */ }
    }
  });
  try {
    // The page without payloads, in each language: its own scripts, style
    // sheets and messages.
    const baseline = { console: new Set(), requests: new Set() };
    for (const lang of XSS_LANGS) {
      const page = await context.newPage();
      page.on('console', (m) => baseline.console.add(m.text()));
      page.on('request', (r) => baseline.requests.add(`${r.resourceType()} ${r.url()}`));
      await page.goto(new URL(`/${lang}/documents/xss-clean/`, xssBase).href, { waitUntil: 'load' });
      await page.close();
    }
    // The detector itself: the clean page with two scripts put in its body
    // behind the sanitizer's back must be caught.
    const clean = fs.readFileSync(path.join(out, 'en', 'documents', 'xss-clean', 'index.html'), 'utf8');
    assert.ok(clean.includes('A document without payloads.'), 'the clean document\'s text is not on its page');
    makeDirs(path.join(out, 'detector-probe'));
    fs.writeFileSync(path.join(out, 'detector-probe', 'index.html'), clean.replace('A document without payloads.',
      '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">x</a>'));
    const probe = await xssSignals(context, new URL('/detector-probe/', xssBase).href, baseline);
    assert.ok(probe.some((s) => s.startsWith('alert(1)')) && probe.some((s) => s.includes('javascript:')),
      `the detector missed a script put in a page: ${JSON.stringify(probe)}`);
    const failures = [];
    for (const p of pages) {
      const target = new URL(p.url, xssBase).href;
      const signals = await xssSignals(context, target, baseline);
      if (signals.length) {
        failures.push(`${p.url} (${p.kind} body, payloads ${p.indices[0] + 1}-${p.indices.at(-1) + 1}):\n    ` +
          [...new Set(signals)].join('\n    ') + '\n  its payloads:\n    ' +
          p.indices.map((i) => `${i + 1}: ${payloads[i].replace(/\n/g, '\\n').slice(0, 160)}`).join('\n    '));
      }
    }
    assert.ok(pages.length >= 2 * Math.ceil(payloads.length / XSS_PER_PAGE), 'pages missing');
    assert.deepEqual(failures, [], `scripts ran on ${failures.length} of ${pages.length} pages`);
    process.stderr.write(`run.mjs: ${payloads.length} XSS payloads on ${pages.length} pages, none ran` +
      (changed ? ` (${changed} changed: a relative link made a fragment, or what they left open closed)` : '') + '\n');
  } finally {
    await context.close().catch(() => {});
  }
});

check('where no search service answers, the search page says so in its language', async () => {
  // A copy of the published tree on a plain static host.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'site-gen-static-'));
  try {
    const r = spawnSync(binary, ['build', '--site', tmpDir, '--out', out, '--jobs', '2'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `site-gen build failed:\n${r.stdout}${r.stderr}`);
    const staticBase = await serveStatic(out);
    const expected = (lang) => /search_unavailable: "(.*)"/.exec(
      fs.readFileSync(path.join(sourceDir, 'themes', 'default', 'i18n', `${lang}.yaml`), 'utf8'))[1];
    await withPage(async (page) => {
      // Opened with a query (a shared link).
      await page.goto(new URL(`/fr/search/?q=${QUERY}`, staticBase).href);
      await settle(page);
      assert.equal(await page.textContent('#search-unavailable'), expected('fr'), 'message on a shared link');
      assert.equal(await page.inputValue('#q'), QUERY, 'the box shows the query asked');
      // Typed.
      await page.goto(new URL('/ar/search/', staticBase).href);
      await settle(page);
      await page.locator('#q').pressSequentially(AR_QUERY, { delay: 20 });
      await page.waitForSelector('#search-unavailable');
      await idle(page);
      assert.equal(await page.textContent('#search-unavailable'), expected('ar'), 'message after typing');
      assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('search-unavailable')).direction), 'rtl');
      assert.equal(await page.textContent('#search-status'), expected('ar'), 'the message is announced');
      assert.equal(await page.locator('#result-list').count(), 0, 'an empty result list is shown');
    });
    // A service that answers with an error.
    await withPage(async (page) => {
      await page.goto(url('/es/search/'));
      await settle(page);
      await page.route((u) => u.pathname === '/es/search/' && u.searchParams.has('q'),
        (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' }));
      await page.locator('#q').pressSequentially(QUERY, { delay: 20 });
      await page.waitForSelector('#search-unavailable');
      assert.equal(await page.textContent('#search-unavailable'), expected('es'), 'message on an HTTP error');
    });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

check('a search service on another host answers the pages of the site\'s origin, and no other\'s', async () => {
  // site.yaml names the service's host (search_url) and the pages' (base_url):
  // the service lets only base_url's origin read its answers (CORS).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-gen-cross-'));
  let service = null;
  try {
    const pagesPort = await freePort(), servicePort = await freePort();
    fs.cpSync(path.join(tmpDir, 'content'), path.join(dir, 'content'), { recursive: true });
    const yaml = fs.readFileSync(path.join(tmpDir, 'site.yaml'), 'utf8').replace(/^(base_url|search_url):.*\n/gm, '');
    fs.writeFileSync(path.join(dir, 'site.yaml'), yaml +
      `\nbase_url: http://127.0.0.1:${pagesPort}/\nsearch_url: http://127.0.0.1:${servicePort}/\n`);
    const out = path.join(dir, 'public');
    const r = spawnSync(binary, ['build', '--site', dir, '--out', out, '--jobs', '2'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `site-gen build failed:\n${r.stdout}${r.stderr}`);
    service = spawn(binary, ['search-server', '--out', out, '--port', String(servicePort)], { stdio: 'ignore' });
    for (let i = 0; ; ++i) {
      const up = await fetch(`http://127.0.0.1:${servicePort}/healthz`).then((res) => res.ok, () => false);
      if (up) break;
      assert.ok(i < 200, 'the search service did not start');
      await sleep(50);
    }
    const pages = await serveStatic(out, pagesPort);
    await withPage(async (page) => {
      await page.goto(new URL('/en/search/', pages).href);
      await settle(page);
      await page.locator('#q').pressSequentially(QUERY, { delay: 20 });
      await page.waitForSelector('#result-list li');
      assert.equal(await page.locator('#search-unavailable').count(), 0, 'no not-available message');
      assert.ok(new URL(page.url()).origin === new URL(pages).origin, 'the address bar stays on the pages\' host');
    });
    // The same pages read from another origin (another port is another origin).
    const elsewhere = await serveStatic(out);
    await withPage(async (page) => {
      await page.goto(new URL('/en/search/', elsewhere).href);
      await settle(page);
      await page.locator('#q').pressSequentially(QUERY, { delay: 20 });
      await page.waitForSelector('#search-unavailable');
      assert.equal(await page.locator('#result-list').count(), 0, 'no results from a refused origin');
    });
  } finally {
    if (service) service.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- main

async function main() {
  let passed = 0;
  let failed = 0;
  const watchdog = setTimeout(async () => {
    console.log(`not ok - the run took more than ${WATCHDOG_MS / 1000} s; stopping`);
    await Promise.race([cleanup(), sleep(15_000)]);
    cleanupSync();
    console.log(`${passed} passed, ${checks.length - passed} failed`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  try {
    assert.ok(fs.existsSync(binary), `no site-gen binary at ${binary}`);
    assert.ok(fs.existsSync(chromiumPath), `no chromium at ${chromiumPath}`);
    const { chromium } = await loadPlaywright();
    const site = copySite();
    const port = await freePort();
    base = await startServer(site, port);
    server.removeAllListeners('exit');
    server.on('exit', (code, signal) => {
      if (browser) process.stderr.write(`run.mjs: the server exited (code ${code}, signal ${signal})\n${serverLog}\n`);
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true, timeout: 60_000 });
  } catch (e) {
    console.log(`not ok - setup\n  ${String(e && e.stack || e).replace(/\n/g, '\n  ')}`);
    await cleanup();
    console.log(`0 passed, ${checks.length} failed`);
    process.exit(1);
  }

  for (const { name, fn } of checks) {
    try {
      await withTimeout(fn(), CHECK_MS, 'the check');
      passed++;
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${name}\n  ${String(e && e.message || e).replace(/\n/g, '\n  ')}`);
    }
  }
  await cleanup();
  if (failed) process.stderr.write(`server output (last part):\n${serverLog.slice(-4000)}\n`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(async (e) => {
  console.log(`not ok - runner\n  ${String(e && e.stack || e)}`);
  await cleanup();
  console.log('0 passed, 1 failed');
  process.exit(1);
});
