// The preview in a real browser: Debian's chromium driven by playwright-core.
// Loads a release page, checks its language columns and that every page
// image decoded; writes a syntax error and expects the overlay to name the
// file and line; fixes it and expects the new text to appear. Screenshots of
// each state go to the artifacts folder.
//
// usage: node scripts/browser/preview-test.mjs <pressroom binary> [artifacts dir]

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checks, copyProject, launch, read, REFERENCE, removeProject, saveByRename, serve } from './harness.mjs';

const binary = resolve(process.argv[2] || 'target/debug/pressroom');
const artifacts = resolve(process.argv[3] || 'ci-artifacts/browser');
mkdirSync(artifacts, { recursive: true });

const { check, failed, finish } = checks();

const root = copyProject();
const server = await serve(binary, root);
const browser = await launch();
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Any script error or refused resource (the CSP forbids everything not
  // ours) fails the test.
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // Leaving a page aborts its event stream; anything else is a failure.
    const left = request.url().endsWith('/events') && request.failure().errorText === 'net::ERR_ABORTED';
    if (!left) problems.push(`request failed: ${request.url()} (${request.failure().errorText})`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url)) problems.push(`external request: ${request.url()}`);
  });

  await page.goto(server.url);
  const rows = await page.$$eval('#releases tbody tr', (trs) => trs.map((tr) => tr.textContent));
  check(rows.some((row) => row.includes(REFERENCE)), 'the index lists the reference release');
  await page.click(`a[href="/release/${REFERENCE}"]`);
  await page.waitForFunction(() => window.pressroom && window.pressroom.connected);
  // Rendered on demand: the pages arrive once the tab shows the release.
  await page.waitForFunction(
    () => document.images.length >= 6 && [...document.images].every((img) => img.complete),
    null,
    { timeout: 20000 },
  );

  const heads = await page.$$eval('.row.heads .head', (cells) => cells.map((c) => c.dataset.lang));
  check(JSON.stringify(heads) === '["en","ru","tg"]', `language columns, source first: ${heads}`);
  const images = await page.$$eval('figure.page img', (imgs) =>
    imgs.map((img) => ({ lang: img.closest('figure').dataset.lang, ok: img.complete && img.naturalWidth > 0 })),
  );
  check(images.length === 6, `six page images (two per language): ${images.length}`);
  check(images.every((image) => image.ok), 'every page image decoded');
  const rowLangs = await page.$$eval('.row.pages', (rs) =>
    rs.map((r) => [...r.children].map((f) => f.dataset.lang).join(',')),
  );
  check(rowLangs.every((langs) => langs === 'en,ru,tg'), `pages aligned row by row: ${rowLangs}`);
  await page.screenshot({ path: join(artifacts, '1-release.png'), fullPage: false });

  // A syntax error in the Russian text.
  const ru = join(root, 'locales', 'ru', 'releases', `${REFERENCE}.ftl`);
  const rel = `locales/ru/releases/${REFERENCE}.ftl`;
  const good = read(ru);
  await page.evaluate(() => window.scrollTo(0, 400));
  saveByRename(ru, good.replace('title =', 'title'));
  await page.waitForSelector('#overlay:not([hidden])', { timeout: 20000 });
  const overlay = await page.textContent('#overlay');
  check(overlay.includes(`${rel}:1:`), `the overlay names the file and line (${rel}:1:…)`);
  const kept = await page.$$eval('figure.page[data-lang="ru"] img', (imgs) => imgs.length);
  check(kept === 2, 'the last good Russian pages stay under the overlay');
  await page.screenshot({ path: join(artifacts, '2-error-overlay.png') });

  // Fixed, with new text: the overlay goes, the new text shows, the scroll stays.
  const swapsBefore = await page.evaluate(() => window.pressroom.swaps.length);
  saveByRename(ru, good.replace('Сегодня в Душанбе', 'Сегодня в столице, Душанбе,'));
  await page.waitForSelector('#overlay', { state: 'hidden', timeout: 20000 });
  await page.waitForFunction(
    (n) => window.pressroom.swaps.slice(n).some((swap) => swap.lang === 'ru'),
    swapsBefore,
    { timeout: 20000 },
  );
  const first = await page.$eval('figure.page[data-lang="ru"] img', (img) => ({
    alt: img.alt,
    ok: img.complete && img.naturalWidth > 0,
  }));
  check(first.alt.includes('Сегодня в столице, Душанбе,'), 'the new Russian text appears');
  check(first.ok, 'the new page image decoded');

  // A changed page comes first as a bitmap a column wide. A screen with
  // twice the pixels (a second tab, device scale 2) swaps in the SVG once
  // saves pause; the first tab, whose column the bitmap fills, keeps it.
  const dense = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 2 });
  await dense.goto(`${server.url}release/${REFERENCE}`);
  await dense.waitForFunction(() => window.pressroom && window.pressroom.connected);
  const shown = (src) =>
    (document.querySelector('figure.page[data-lang="ru"] img:not(.incoming)')?.getAttribute('src') || '').endsWith(src);
  saveByRename(ru, good.replace('Сегодня в Душанбе', 'Сегодня в городе Душанбе'));
  await dense.waitForFunction(shown, '.bmp', { timeout: 20000 });
  check(true, 'a changed page shows first as a bitmap');
  const shownSrc = () => document.querySelector('figure.page[data-lang="ru"] img:not(.incoming)').getAttribute('src');
  await dense.waitForFunction(shown, '.svg', { timeout: 5000 });
  check(true, 'on a dense screen it is sharpened with its SVG once saves pause');
  await page.waitForTimeout(1000);
  check((await page.evaluate(shownSrc)).endsWith('.bmp'), 'where the bitmap fills the column it stays');
  await dense.close();
  const scroll = await page.evaluate(() => window.scrollY);
  check(scroll === 400, `the scroll position is kept (${scroll})`);
  await page.screenshot({ path: join(artifacts, '3-fixed.png') });
  check(problems.length === 0, `no script errors or outside requests${problems.length ? `:\n  ${problems.join('\n  ')}` : ''}`);
} catch (error) {
  failed(error, `\n${server.output()}`);
} finally {
  await browser.close();
  server.stop();
  removeProject(root);
}
console.log(`screenshots in ${artifacts}`);
finish();
