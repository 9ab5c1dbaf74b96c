#!/usr/bin/env node
// The Nu Html Checker (vnu.jar, npm's vnu-jar, run by Debian's Java) over
// every page of the bundled site, built fresh into a temp dir: any error
// fails, and each is printed as file:line.column: message, with the markup.
//
//   node tests/browser/html-check.mjs [path/to/site-gen]
//
// A page with a known error is put beside the site's pages first, and the
// checker must report it: a checker that ran over nothing would pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from './install.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, '..', '..');
const binary = path.resolve(process.argv[2] || path.join(sourceDir, 'build', 'site-gen'));
const vnuJar = path.join(here, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const PROBE = '__html-check-probe__.html';

function htmlFiles(dir) {
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;  // the search page's parts (.site-gen/), not pages
    const p = path.join(dir, e.name);
    if (e.isDirectory()) found.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) found.push(p);
  }
  return found;
}

function main() {
  const started = Date.now();
  ensurePackages();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'site-gen-html-check-'));
  try {
    fs.copyFileSync(path.join(sourceDir, 'site.yaml'), path.join(tmp, 'site.yaml'));
    fs.cpSync(path.join(sourceDir, 'content'), path.join(tmp, 'content'), { recursive: true });
    const out = path.join(tmp, 'public');
    const build = spawnSync(binary, ['build', '--site', tmp, '--out', out, '--jobs', '2', '--no-index'], { encoding: 'utf8' });
    assert.equal(build.status, 0, `site-gen build failed:\n${build.stdout}${build.stderr}`);
    const tree = fs.realpathSync(out);
    const pages = htmlFiles(tree);
    assert.ok(pages.length > 1000, `only ${pages.length} pages published`);
    fs.writeFileSync(path.join(tree, PROBE),
      '<!DOCTYPE html><html lang="en"><head><title>probe</title></head><body><p><div></p></body></html>\n');
    // Each file by name (not the folder): the checker then says nothing of
    // files it skipped, and the count of files is ours.
    const files = [...pages, path.join(tree, PROBE)];
    const args = ['-Xss4m', '-jar', vnuJar, '--errors-only', '--format', 'json', ...files];
    const r = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.ok(r.status !== null, `java did not run: ${r.error || r.signal}`);
    let report;
    try {
      report = JSON.parse(r.stderr || r.stdout);
    } catch {
      assert.fail(`vnu gave no JSON report (status ${r.status}):\n${(r.stderr || r.stdout).slice(0, 4000)}`);
    }
    const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    const probe = errors.filter((m) => m.url && m.url.endsWith(PROBE));
    assert.ok(probe.length > 0, `the checker did not report the page with an error: ${JSON.stringify(report).slice(0, 2000)}`);
    const real = errors.filter((m) => !(m.url && m.url.endsWith(PROBE)));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (real.length) {
      for (const m of real) {
        const file = m.url ? path.relative(tree, fileURLToPath(m.url)) : '(no file)';
        console.log(`${file}:${m.lastLine ?? '?'}.${m.firstColumn ?? '?'}: ${m.message}` +
          (m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : ''));
      }
      console.log(`not ok - the Nu Html Checker found ${real.length} errors in ${new Set(real.map((m) => m.url)).size} of ${pages.length} pages (${seconds} s)`);
      process.exitCode = 1;
    } else {
      console.log(`ok - the Nu Html Checker found no error in ${pages.length} pages (${seconds} s)`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.log(`not ok - ${String(e && e.message || e)}`);
  process.exitCode = 1;
}
