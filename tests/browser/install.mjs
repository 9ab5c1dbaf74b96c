#!/usr/bin/env node
// Installs the browser tests' npm packages, as package-lock.json pins them,
// when one is missing or at another version; does nothing otherwise.
//
//   node tests/browser/install.mjs
//
// CTest runs it once before the tests that need the packages (a fixture), so
// that two of them never run `npm ci` in the same folder at once. The tests
// call it too, for a run by hand. --ignore-scripts: vnu-jar's install script
// would download a Java runtime; the tests use Debian's (scripts/setup-deps).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function stalePackages() {
  const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
  return Object.keys(lock.packages['']?.dependencies || {}).filter((name) => {
    const installed = path.join(here, 'node_modules', name, 'package.json');
    if (!fs.existsSync(installed)) return true;
    return JSON.parse(fs.readFileSync(installed, 'utf8')).version !== lock.packages[`node_modules/${name}`]?.version;
  });
}

export function ensurePackages() {
  const stale = stalePackages();
  if (!stale.length) return;
  process.stderr.write(`install.mjs: npm ci in ${here} (${stale.join(', ')})\n`);
  const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: here, stdio: ['ignore', process.stderr, process.stderr],
  });
  if (npm.status !== 0) throw new Error(`npm ci failed in ${here} (status ${npm.status})`);
  const still = stalePackages();
  if (still.length) throw new Error(`npm ci left ${still.join(', ')} missing in ${here}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensurePackages();
  } catch (e) {
    console.error(String(e.message || e));
    process.exit(1);
  }
}
