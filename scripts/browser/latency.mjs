// Save-to-browser latency of `pressroom serve`: from an editor's save (a
// rename) of the Tajik text to the browser showing the new page, over 20
// saves, median and p90. Side by side with a baseline on the same server and
// browser: a full page reload on every change (what a preview that only
// says "reload" gives, e.g. typst-kit's live server).
//
// usage: node scripts/browser/latency.mjs [pressroom binary] [--saves N]
// Build the binary with `cargo build --release` first (the default path).

import { join, resolve } from 'node:path';
import { REFERENCE, REPO, copyProject, launch, read, removeProject, saveByRename, serve } from './harness.mjs';

const args = process.argv.slice(2);
const savesAt = args.indexOf('--saves');
const saves = savesAt >= 0 ? Number(args.splice(savesAt, 2)[1]) : 20;
const binary = resolve(
  args[0] || join(process.env.CARGO_TARGET_DIR || join(REPO, 'target'), 'release', 'pressroom'),
);

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const root = copyProject();
const server = await serve(binary, root);
const browser = await launch();
const tg = join(root, 'locales', 'tg', 'releases', `${REFERENCE}.ftl`);
const original = read(tg);
let edits = 0;
// A different number each save, so every save changes the first page.
function save() {
  edits += 1;
  const marker = `№${1000 + edits}`;
  saveByRename(tg, original.replace('Имрӯз дар Душанбе', `Имрӯз дар Душанбе ${marker}`));
  return marker;
}

const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
await page.goto(`${server.url}release/${REFERENCE}`);
await page.waitForFunction(() => window.pressroom && window.pressroom.connected);
// Rendered on demand: wait for the pages the open tab asked for.
await page.waitForFunction(
  () => document.images.length >= 6 && [...document.images].every((img) => img.complete),
  null,
  { timeout: 20000 },
);

const shows = (marker) => {
  const first = document.querySelector('figure.page[data-lang="tg"] img');
  return first && first.alt.includes(marker);
};

// pressroom: the page swaps in only the changed pages.
const seen = new Set(await page.$$eval('figure.page img', (imgs) => imgs.map((img) => img.getAttribute('src'))));
const swap = [];
const toEvent = [];
const changed = [];
for (let i = -2; i < saves; i++) {
  const before = await page.evaluate(() => window.pressroom.swaps.length);
  const started = Date.now();
  const marker = save();
  await page.waitForFunction(shows, marker, { timeout: 20000 });
  await page.waitForFunction((n) => window.pressroom.swaps.length > n, before, { timeout: 20000 });
  const [shown, event, pages] = await page.evaluate(() => [
    window.pressroom.swaps.at(-1).at,
    window.pressroom.events.at(-1).at,
    window.pressroom.swaps.at(-1).pages,
  ]);
  if (i >= 0) {
    swap.push(shown - started);
    toEvent.push(event - started);
    changed.push(pages.filter((src) => !seen.has(src)).length);
  }
  pages.forEach((src) => seen.add(src));
}

// Baseline: on the change event, reload the whole page and wait for every
// page image to be decoded.
const reload = [];
for (let i = -2; i < saves; i++) {
  const before = await page.evaluate(() => window.pressroom.events.length);
  const started = Date.now();
  save();
  await page.waitForFunction((n) => window.pressroom.events.length > n, before, { timeout: 20000 });
  await page.reload();
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  const shown = await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => done(Date.now()))),
  );
  if (i >= 0) reload.push(shown - started);
}

async function pageCount() {
  return page.$$eval('figure.page[data-lang="tg"] img', (imgs) => imgs.length);
}
const total = await pageCount();
await browser.close();
server.stop();
removeProject(root);

const row = (name, values) =>
  `${name.padEnd(40)} ${median(values).toFixed(0).padStart(6)} ms ${quantile(values, 0.9).toFixed(0).padStart(6)} ms`;
console.log(`save -> browser shows the new Tajik page, ${saves} saves (${binary})`);
console.log(`${''.padEnd(40)} ${'median'.padStart(9)} ${'p90'.padStart(9)}`);
console.log(row('pressroom serve (changed pages swapped)', swap));
console.log(row('  of which save -> event', toEvent));
console.log(row('baseline: full page reload on change', reload));
console.log(`ratio pressroom / baseline (median): ${(median(swap) / median(reload)).toFixed(2)}`);
console.log(`pages re-fetched per save: ${median(changed)} of ${total} Tajik pages (median)`);
