// Keystroke-to-page latency of the translators' editor: from a key pressed
// in the editor's field (the Tajik title of the reference release) to the
// browser showing the page drawn from the unsaved text. Three runs, each on
// a fresh server and browser, 20 keystrokes each (a translator's pace: each
// key after the last one's page is shown). Side by side, on the same server
// and browser: a save from a text editor (a rename) to the page, the path a
// translator had before the editor. The budget is p90 < 150 ms.
//
// usage: node scripts/browser/editor-latency.mjs [pressroom binary] [--keys N] [--runs N]
// Build the binary with `cargo build --release` first (the default path).

import { join, resolve } from 'node:path';
import { REFERENCE, REPO, copyProject, launch, read, removeProject, saveByRename, serve } from './harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const keys = option('--keys', 20);
const runs = option('--runs', 3);
const binary = resolve(
  args[0] || join(process.env.CARGO_TARGET_DIR || join(REPO, 'target'), 'release', 'pressroom'),
);
const BUDGET_MS = 150;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function run() {
  const root = copyProject();
  const server = await serve(binary, root);
  const browser = await launch();
  const tg = join(root, 'locales', 'tg', 'releases', `${REFERENCE}.ftl`);
  try {
    const page = await browser.newPage({ viewport: { width: 1700, height: 1000 } });
    await page.goto(server.editUrl);
    await page.goto(`${server.url}release/${REFERENCE}`);
    await page.waitForFunction(() => window.pressroom && window.pressroom.connected && window.pressroom.editor);
    await page.waitForFunction(
      () => document.images.length >= 6 && [...document.images].every((img) => img.complete),
      null,
      { timeout: 30000 },
    );
    await page.evaluate(() => window.pressroom.editor.openMessage('tg', 'title'));
    await page.waitForSelector('#editor .fields .flow');
    await page.click('#editor .fields .flow');
    await page.keyboard.press('Control+End');
    // When each key reached the field, as the page saw it (`beforeinput`:
    // a Tajik letter arrives as text input, without a keydown).
    await page.evaluate(() => {
      window.keyTimes = [];
      document.addEventListener('beforeinput', () => window.keyTimes.push(Date.now()), true);
    });
    const typed = [];
    const letters = 'абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя';
    for (let i = -2; i < keys; i++) {
      const before = await page.evaluate(() => window.pressroom.editor.drafts.length);
      await page.keyboard.type(letters[(i + 2) % letters.length]);
      // The draft that holds this key, shown.
      await page.waitForFunction(
        (n) => {
          const pressed = window.keyTimes.at(-1);
          const drafts = window.pressroom.editor.drafts.slice(n);
          return drafts.some((d) => d.sent >= pressed && d.shown);
        },
        before,
        { timeout: 20000, polling: 5 },
      );
      const latency = await page.evaluate((n) => {
        const pressed = window.keyTimes.at(-1);
        const draft = window.pressroom.editor.drafts.slice(n).find((d) => d.sent >= pressed && d.shown);
        return draft.shown - pressed;
      }, before);
      if (i >= 0) typed.push(latency);
    }

    // The baseline: a text editor's save to the page.
    const original = read(tg);
    const saved = [];
    for (let i = -2; i < keys; i++) {
      const before = await page.evaluate(() => window.pressroom.swaps.length);
      const marker = `№${2000 + i}`;
      const started = Date.now();
      saveByRename(tg, original.replace('Имрӯз дар Душанбе', `Имрӯз дар Душанбе ${marker}`));
      await page.waitForFunction(
        ([n, marker]) =>
          window.pressroom.swaps.length > n &&
          document.querySelector('figure.page[data-lang="tg"] img').alt.includes(marker),
        [before, marker],
        { timeout: 20000, polling: 5 },
      );
      const shown = await page.evaluate(() => window.pressroom.swaps.at(-1).at);
      if (i >= 0) saved.push(shown - started);
    }
    return { typed, saved };
  } finally {
    await browser.close();
    server.stop();
    removeProject(root);
  }
}

const all = [];
console.log(`keystroke → page, ${keys} keys per run (save → page beside it, the baseline)`);
for (let r = 1; r <= runs; r++) {
  const { typed, saved } = await run();
  all.push(...typed);
  const [t50, t90, s50, s90] = [quantile(typed, 0.5), quantile(typed, 0.9), quantile(saved, 0.5), quantile(saved, 0.9)];
  console.log(
    `run ${r}: keystroke p50 ${t50} ms, p90 ${t90} ms | save p50 ${s50} ms, p90 ${s90} ms | ` +
      `keystroke/save p90 ${(t90 / s90).toFixed(2)}x`,
  );
}
const p90 = quantile(all, 0.9);
console.log(
  `all runs: keystroke p90 ${p90} ms, ${(p90 / BUDGET_MS).toFixed(2)}x the ${BUDGET_MS} ms budget ` +
    `(${p90 < BUDGET_MS ? 'within' : 'OVER'})`,
);
