// The office's shared service in a real browser, three people at once, each
// in their own browser context: the Tajik translator signs in (in Tajik),
// clicks a Tajik sentence, edits and saves it — a git commit authored by
// them holding only Tajik files; the Russian translator sees the Tajik text
// read-only (no Save) and a forged save from their page is refused (403);
// the press officer builds the finals and publishes from the desk, and sees
// the others' work in the audit log.
//
// usage: node scripts/browser/team-test.mjs <pressroom binary> [artifacts dir]

import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checks, copyProject, launch, read, REFERENCE, removeProject } from './harness.mjs';

const binary = resolve(process.argv[2] || 'target/debug/pressroom');
const artifacts = resolve(process.argv[3] || 'ci-artifacts/browser');
mkdirSync(artifacts, { recursive: true });
const { check, failed, finish } = checks();
const PASSWORD = 'a long office password';

const freePort = () =>
  new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

const root = copyProject();
const state = mkdtempSync(join(tmpdir(), 'pressroom-state-'));
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
appendFileSync(join(root, 'pressroom.toml'), `\n[server]\nlisten = "127.0.0.1:${port}"\nstate = "${state}"\n`);
// A second release repeating a paragraph of the first: the memory offers its translation.
const SECOND = '2015-06-10-second-dialogue';
const firstBody = read(join(root, 'locales', 'en', 'releases', `${REFERENCE}.ftl`)).split('\nbody =\n')[1].split('\n\n');
const repeated = firstBody[1].trim();
writeFileSync(join(root, 'releases', `${SECOND}.toml`), 'date = 2015-06-10\nplace = "dushanbe"\nkind = "press-release"\ncontacts = ["press"]\n');
writeFileSync(join(root, 'locales', 'en', 'releases', `${SECOND}.ftl`), `title = A second dialogue\nbody =\n    ${repeated}\n`);
writeFileSync(join(root, '.gitignore'), 'out/\n');
const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=setup', '-c', 'user.email=setup@example.eu', ...args], { cwd: root, encoding: 'utf8' });
git('init', '-q');
git('add', '-A');
git('commit', '-qm', "the office's sources");
for (const [name, role] of [['mahbuba', 'office'], ['nigora', 'translator:tg'], ['olga', 'translator:ru'], ['rustam', 'reviewer:tg']]) {
  execFileSync(binary, ['--root', root, 'user', 'add', name, '--email', `${name}@example.eu`, '--role', role], {
    env: { ...process.env, PRESSROOM_PASSWORD: PASSWORD },
  });
}
const server = spawn(binary, ['--root', root, '--color', 'never', 'serve', '--team'], { stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
server.stdout.on('data', (c) => (output += c));
server.stderr.on('data', (c) => (output += c));
await new Promise((done, fail) => {
  const timer = setTimeout(() => fail(new Error(`serve --team did not start:\n${output}`)), 60000);
  server.stdout.on('data', () => {
    if (output.includes('watching')) {
      clearTimeout(timer);
      done();
    }
  });
});

const browser = await launch();
const problems = [];

async function person(name, locale) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    problems.push(`${name}: page error: ${error.message}`);
    console.log(`     ${name}: page error: ${error.message}`);
  });
  await page.goto(`${origin}/release/${REFERENCE}`);
  check(page.url().startsWith(`${origin}/signin?next=`), `${name}: a page without a session leads to the sign-in`);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${origin}/release/${REFERENCE}`), page.click('button[type=submit]')]);
  return page;
}

async function rendered(page) {
  await page.waitForFunction(() => window.pressroom && window.pressroom.connected && window.pressroom.editor);
  await page.waitForFunction(
    () =>
      ['en', 'tg'].every((l) => {
        const o = window.pressroom.output(l);
        return o && o.pages && o.pages.length && o.pages[0].regions.length;
      }),
    null,
    { timeout: 90000 },
  );
  await page.waitForFunction(() => [...document.querySelectorAll('figure.page[data-lang="tg"] img')].every((i) => i.complete));
}

async function clickTitle(page) {
  await clickMessage(page, 'title');
}

// Clicks message `msg` on the Tajik page. A save elsewhere rebuilds the
// pages while they are being clicked, moving what is where: a click that
// opened another message is tried again on the pages as they are now.
async function clickMessage(page, msg) {
  let seen = null;
  for (let attempt = 0; attempt < 4; attempt++) {
    await rendered(page);
    const at = await page.evaluate((msg) => {
      const pageData = window.pressroom.output('tg').pages[0];
      const region = pageData.regions.find((r) => r.msg === msg);
      const image = document.querySelector('.row.pages figure.page[data-lang="tg"] img');
      const box = image.getBoundingClientRect();
      const [x, y, , h] = region.rects[0];
      return { x: box.left + ((x + 6) / pageData.width) * box.width, y: box.top + ((y + h / 2) / pageData.height) * box.height };
    }, msg);
    await page.mouse.click(at.x, at.y);
    try {
      await page.waitForFunction(
        (msg) => window.pressroom.editor.open?.id === msg && document.querySelector('#editor .fields .flow'),
        msg,
        { timeout: 10000 },
      );
      return;
    } catch {
      seen = { at, open: await page.evaluate(() => window.pressroom.editor.open?.id) };
      await page.waitForTimeout(1000);
    }
  }
  await page.screenshot({ path: join(artifacts, `team-click-${msg}.png`) });
  throw new Error(`clicking \`${msg}\` on the Tajik page opened ${JSON.stringify(seen)}`);
}

try {
  // The sign-in speaks the browser's language.
  const look = await browser.newPage({ locale: 'tg-TJ' });
  await look.goto(`${origin}/signin`);
  check((await look.textContent('h1')) === 'Ворид шудан ба pressroom', 'the sign-in page speaks Tajik to a Tajik browser');
  await look.fill('#name', 'nigora');
  await look.fill('#password', 'not the password');
  await look.click('button[type=submit]');
  await look.waitForFunction(() => document.getElementById('signin-error').textContent.length > 0);
  check((await look.textContent('#signin-error')) === 'Номи корбар ё рамз нодуруст аст.', 'a wrong password is said in Tajik');
  await look.close();

  // The Tajik translator edits and saves.
  const nigora = await person('nigora', 'tg-TJ');
  await rendered(nigora);
  check(
    (await nigora.textContent('header .person')) === 'Шумо ҳамчун nigora ворид шудед',
    'the page says who is signed in, in Tajik',
  );
  check((await nigora.$('#desk-link')) === null, 'a translator has no desk link');
  await clickTitle(nigora);
  check(await nigora.evaluate(() => window.pressroom.editor.open.editable === true), 'the Tajik title is editable for the Tajik translator');
  await nigora.click('#editor .fields .flow');
  await nigora.keyboard.press('Control+End');
  await nigora.keyboard.type(' — санҷиш', { delay: 15 });
  await nigora.click('#editor button.save');
  await nigora.waitForFunction(() => window.pressroom.editor.saves.length === 1);
  const save = await nigora.evaluate(() => window.pressroom.editor.saves[0]);
  check(save.status === 200 && /^[0-9a-f]{40}$/.test(save.data.commit || ''), `the save is committed (${save.status} ${save.data.commit})`);
  const [author, subject] = git('log', '-1', '--format=%an <%ae>%n%s').trim().split('\n');
  check(author === 'nigora <nigora@example.eu>', `the commit's author is the translator (${author})`);
  check(subject === `tg: title — ${REFERENCE}`, `its message names language, message and release (${subject})`);
  const files = git('show', '--name-only', '--format=', 'HEAD').trim().split('\n');
  check(files.every((f) => f.startsWith('locales/tg/')), `it holds only Tajik files (${files.join(', ')})`);
  check(git('status', '--porcelain').trim() === '', 'the working tree is clean after it');
  await nigora.screenshot({ path: join(artifacts, 'team-translator.png') });

  // The Tajik reviewer approves the translator's save from the page.
  const rustam = await person('rustam', 'tg-TJ');
  await rendered(rustam);
  await clickTitle(rustam);
  const offered = await rustam.evaluate(() => ({
    approve: !!document.querySelector('#editor button.approve'),
    save: !!document.querySelector('#editor button.save'),
  }));
  check(offered.approve && !offered.save, 'the reviewer is offered Approve, not Save');
  await rustam.click('#editor button.approve');
  await rustam.waitForSelector('#editor .review.approved');
  const approvedBy = await rustam.textContent('#editor .review.approved');
  check(approvedBy === 'Тасдиқкунанда: rustam', `the message now says who approved it, in Tajik (${approvedBy})`);
  const [approver, approval] = git('log', '-1', '--format=%an%n%s').trim().split('\n');
  check(approver === 'rustam' && approval.endsWith('(approved)'), `the approval is a commit by the reviewer (${approver}: ${approval})`);
  check(/approved-by = "rustam"/.test(read(join(root, 'locales', 'tg', 'translation-state.toml'))), 'the state records the approval');

  // The translator changes the approved title again: the reviewer reads
  // what changed since the version approved, before approving again.
  await nigora.reload();
  await rendered(nigora);
  await clickTitle(nigora);
  await nigora.click('#editor .fields .flow');
  await nigora.keyboard.press('Control+End');
  await nigora.keyboard.type(' дубора', { delay: 15 });
  await nigora.click('#editor button.save');
  await nigora.waitForFunction(() => window.pressroom.editor.saves.length === 1);
  await rustam.reload();
  await rendered(rustam);
  await clickTitle(rustam);
  await rustam.waitForSelector('#editor .since-approved ins');
  const since = await rustam.evaluate(() => ({
    heading: document.querySelector('#editor .since-approved h3').textContent,
    added: [...document.querySelectorAll('#editor .since-approved ins')].map((n) => n.textContent).join(''),
  }));
  check(since.heading === 'Пас аз нусхаи тасдиқшуда чӣ тағйир ёфт', `the change since approval is headed in Tajik (${since.heading})`);
  check(since.added.includes('дубора'), `and shows the words added since (${since.added})`);

  // The office's terms are underlined in the English, their Tajik in the title.
  await clickMessage(rustam, 'body');
  await rustam.waitForSelector('#editor mark.term');
  const bomca = await rustam.evaluate(() =>
    [...document.querySelectorAll('#editor mark.term')].find((m) => m.textContent === 'BOMCA')?.title || '',
  );
  check(bomca.includes('«БОМКА»'), `BOMCA is underlined in the English with its Tajik rendering (${bomca})`);
  const listed = await rustam.textContent('#editor .terms summary');
  check(/^Истилоҳоти Намояндагӣ \(\d+\)$/.test(listed), `the terms are listed under a Tajik heading (${listed})`);
  await rustam.screenshot({ path: join(artifacts, 'team-terms.png') });

  // The Russian translator reads Tajik but cannot write it.
  const olga = await person('olga', 'ru-RU');
  await rendered(olga);
  await clickTitle(olga);
  const readOnly = await olga.evaluate(() => ({
    editable: window.pressroom.editor.open.editable,
    save: !!document.querySelector('#editor button.save'),
    why: document.querySelector('#editor .readonly')?.textContent || '',
  }));
  check(!readOnly.editable && !readOnly.save, 'the Russian translator gets no Save for Tajik');
  check(readOnly.why.startsWith('Ваша роль не позволяет'), `and is told why, in Russian (${readOnly.why})`);
  const forged = await olga.evaluate(async (release) => {
    const base = (await (await fetch(`/api/release/${release}/tg/message/title`)).json()).base;
    const answer = await fetch('/api/save', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pressroom-Token': document.body.dataset.csrf },
      body: JSON.stringify({ release, lang: 'tg', id: 'title', source: 'title = подделка\n', base }),
    });
    return answer.status;
  }, REFERENCE);
  check(forged === 403, `a forged Tajik save from the Russian translator's page is refused (${forged})`);
  check(!read(join(root, 'locales', 'tg', 'releases', `${REFERENCE}.ftl`)).includes('подделка'), 'and writes nothing');

  // The memory: on the second release, the Tajik body's suggestion goes in with one click.
  await nigora.goto(`${origin}/release/${SECOND}`);
  await rendered(nigora);
  await nigora.evaluate(() => window.pressroom.editor.openMessage && 0);
  const atBody = await nigora.evaluate(() => {
    const pageData = window.pressroom.output('tg').pages[0];
    const region = pageData.regions.find((r) => r.msg === 'body');
    const image = document.querySelector('.row.pages figure.page[data-lang="tg"] img');
    const box = image.getBoundingClientRect();
    const [x, y, , h] = region.rects[0];
    return { x: box.left + ((x + 6) / pageData.width) * box.width, y: box.top + ((y + h / 2) / pageData.height) * box.height };
  });
  await nigora.mouse.click(atBody.x, atBody.y);
  await nigora.waitForSelector('#editor .suggestions .suggestion', { timeout: 30000 });
  const offeredText = await nigora.textContent('#editor .suggestion .score');
  check(offeredText === '100 %', `the repeated paragraph is offered at 100 % (${offeredText})`);
  await nigora.click('#editor .suggestion button.insert');
  await nigora.waitForSelector('#editor textarea.raw');
  const inserted = await nigora.inputValue('#editor textarea.raw');
  const tajikBody = read(join(root, 'locales', 'tg', 'releases', `${REFERENCE}.ftl`));
  const tajikParagraph = tajikBody.split('\nbody =\n')[1].split('\n\n')[1].trim().split('\n')[0].trim();
  check(inserted.includes(tajikParagraph), 'Insert puts the archive\'s Tajik paragraph in the editor, unsaved');

  // The press officer builds and publishes from the desk.
  const mahbuba = await person('mahbuba', 'en-GB');
  await mahbuba.waitForSelector('#desk-link');
  await mahbuba.click('#desk-link');
  await mahbuba.waitForURL(`${origin}/desk`);
  await mahbuba.click(`button.build[data-release="${REFERENCE}"]:not([data-sign])`);
  await mahbuba.waitForSelector('#desk-result .done, #desk-result .refused', { timeout: 180000 });
  const built = await mahbuba.evaluate(() => ({
    done: !!document.querySelector('#desk-result .done'),
    text: document.getElementById('desk-result').textContent,
  }));
  check(built.done, `the finals are built from the desk (${built.text.slice(0, 200)})`);
  check(['en', 'ru', 'tg'].every((l) => existsSync(join(root, 'out', `${REFERENCE}.${l}.pdf`))), 'the three final PDFs are on disk');
  await mahbuba.click('#publish');
  await mahbuba.waitForSelector('#desk-result .done, #desk-result .refused', { timeout: 180000 });
  const published = await mahbuba.evaluate(() => document.getElementById('desk-result').textContent);
  check(/site\//.test(published) || existsSync(join(root, 'out', 'site')), `the web edition is published from the desk (${published.slice(0, 160)})`);
  await mahbuba.reload();
  const audit = await mahbuba.evaluate(() => [...document.querySelectorAll('#audit tbody tr')].map((r) => r.textContent));
  check(audit.some((r) => r.includes('nigora') && r.includes('saved')), 'the audit log shows the translator’s save');
  check(audit.some((r) => r.includes('mahbuba') && r.includes('published')), 'and the publication');
  await mahbuba.screenshot({ path: join(artifacts, 'team-desk.png') });
  check(problems.length === 0, `no page errors${problems.length ? `:\n    ${problems.join('\n    ')}` : ''}`);
} catch (error) {
  failed(error, `\n${output.slice(-2000)}`);
} finally {
  await browser.close();
  server.kill('SIGINT');
  removeProject(root);
  removeProject(state);
}
finish('team: done');
