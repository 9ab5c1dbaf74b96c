#!/usr/bin/env node
// Pagefind's own search, in Node, for bench/quality: the pagefind.js that
// `pagefind --site` wrote (the same code and WebAssembly a browser runs), with
// its index read from disk.
//
//   node bench/pagefind-search.mjs PAGEFIND_DIR < queries.json > answers.json
//
// queries.json: [{"lang": "fr", "q": "..."}...]; answers.json: one
// {"total": N, "urls": [the first 10 results' URLs]} per query, in order.
// Also: `node bench/pagefind-search.mjs --segment < texts.json` prints the
// words of each text as ICU's word break iterator cuts them (Intl.Segmenter),
// which bench/quality uses to draw Chinese words from the corpus.
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const input = JSON.parse(fs.readFileSync(0, 'utf8'));

if (process.argv[2] === '--segment') {
  const seg = new Intl.Segmenter('zh', { granularity: 'word' });
  const out = input.map((t) => [...seg.segment(t)].filter((s) => s.isWordLike).map((s) => s.segment));
  // No process.exit here: it would cut the output short on a pipe.
  process.stdout.write(JSON.stringify(out));
} else {
  await search(process.argv[2]);
}

async function search(dir) {
  // pagefind.js fetches its entry file, WebAssembly and index chunks relative
  // to its own URL, which is a file: URL here; Node's fetch does not read
  // files, so answer those from disk.
  const netFetch = globalThis.fetch;
  globalThis.fetch = async (resource, init) => {
    const url = String(resource instanceof Request ? resource.url : resource);
    if (!url.startsWith('file:')) return netFetch(resource, init);
    try {
      return new Response(fs.readFileSync(fileURLToPath(url)));
    } catch {
      return new Response(null, { status: 404 });
    }
  };
  // One instance per language, each from its own copy of the module: the
  // module keeps one WebAssembly instance for all its instances, and each
  // language has its own WebAssembly (its stemmer), so a second language
  // loaded into the same module silently changes the first one's answers.
  // Pagefind picks the language from the page's <html lang>, which is all it
  // reads of the document.
  const instances = new Map();
  async function instance(lang) {
    if (!instances.has(lang)) {
      const url = `${pathToFileURL(`${dir}/pagefind.js`).href}?lang=${encodeURIComponent(lang)}`;
      const pagefind = await import(url);
      globalThis.document = { querySelector: () => ({ getAttribute: () => lang }) };
      const inst = pagefind.createInstance({});
      // Results' URLs as the site serves them, not under the file: base.
      await inst.options({ baseUrl: '/' });
      await inst.init();
      delete globalThis.document;
      instances.set(lang, inst);
    }
    return instances.get(lang);
  }

  const answers = [];
  for (const { lang, q } of input) {
    const found = await (await instance(lang)).search(q);
    const results = found?.results ?? [];
    const data = await Promise.all(results.slice(0, 10).map((r) => r.data()));
    answers.push({ total: results.length, urls: data.map((d) => d.url) });
  }
  process.stdout.write(JSON.stringify(answers));
}
