// The translators' editor in a real browser: Debian's chromium driven by
// playwright-core. Clicks a Tajik word on the page and expects the editor on
// that message, outlined on the English page too; types (the page changes
// before saving), saves and expects the .ftl to differ in exactly that
// message; changes the file behind the editor's back and expects the
// conflict shown with nothing lost; types a broken placeable in the source
// mode and expects the finding. Requests without the token, or from another
// site's page, must be refused. The web page serve shows must follow a
// save by itself. Nothing typed is lost: text typed and left for another
// message is back when it is reopened; a save while pressroom is stopped
// says so and keeps the text, which a restarted pressroom then saves.
// Screenshots go to the artifacts folder.
//
// usage: node scripts/browser/editor-test.mjs <pressroom binary> [artifacts dir]

import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { checks, copyProject, launch, read, REFERENCE, removeProject, saveByRename, serve } from './harness.mjs';

const binary = resolve(process.argv[2] || 'target/debug/pressroom');
const artifacts = resolve(process.argv[3] || 'ci-artifacts/browser');
mkdirSync(artifacts, { recursive: true });

const { check, failed, finish } = checks();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Where on the screen a word of message `msg` prints on `lang`'s first
// page (its `index`th box), as the page's regions say.
function wordOn(page, lang, msg, index) {
  return page.evaluate(
    ({ lang, msg, index }) => {
      const pageData = window.pressroom.output(lang).pages[0];
      const region = pageData.regions.find((r) => r.msg === msg);
      const image = document.querySelector(`.row.pages figure.page[data-lang="${lang}"] img`);
      const box = image.getBoundingClientRect();
      const [x, y, , h] = region.rects[index] || region.rects[0];
      return {
        x: box.left + ((x + 6) / pageData.width) * box.width,
        y: box.top + ((y + h / 2) / pageData.height) * box.height,
      };
    },
    { lang, msg, index },
  );
}

// axe-core's WCAG 2.1 AA rules on the page as it is now.
async function axe(page, what) {
  // Evaluated through the DevTools protocol: the editor's CSP allows no
  // inline script, and rightly.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const violations = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes[0].target}`);
  check(violations.length === 0, `axe WCAG 2.1 AA: ${what}${violations.length ? `\n    ${violations.join('\n    ')}` : ''}`);
}

const root = copyProject();
const ftl = join(root, 'locales', 'tg', 'releases', `${REFERENCE}.ftl`);
let server = await serve(binary, root);
const browser = await launch();
const problems = [];
const ADDED = ' — санҷиш';

// The file's lines, with the entry `id` (its first line and indented ones)
// taken out: what must stay byte-identical.
function without(text, id) {
  const lines = text.split('\n');
  const out = [];
  let inside = false;
  for (const line of lines) {
    if (line.startsWith(`${id} =`)) inside = true;
    else if (inside && !/^\s/.test(line)) inside = false;
    if (!inside) out.push(line);
  }
  return out.join('\n');
}

try {
  check(server.token && /^[0-9a-f]{32}$/.test(server.token), 'serve prints a URL with a 128-bit token');
  // A Russian translator's browser: the interface speaks Russian.
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The refused requests below are logged by the browser; nothing else may be.
    if (message.type() === 'error' && !/403|409|422|CORS|Failed to load resource|blocked/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });

  await page.goto(server.editUrl);
  check(!page.url().includes('token='), 'the token is taken out of the address bar');
  await page.waitForFunction(() => window.pressroom && window.pressroom.connected);
  await axe(page, 'the index of releases');
  await page.goto(`${server.url}release/${REFERENCE}`);
  await page.waitForFunction(() => window.pressroom && window.pressroom.connected && window.pressroom.editor);
  await page.waitForFunction(
    () => ['en', 'tg'].every((l) => {
      const o = window.pressroom.output(l);
      return o && o.pages && o.pages.length && o.pages[0].regions.length;
    }),
    null,
    { timeout: 60000 },
  );
  await page.waitForFunction(() => [...document.querySelectorAll('figure.page[data-lang="tg"] img')].every((i) => i.complete));

  // A Tajik word of the title, where the page says it prints.
  const target = await wordOn(page, 'tg', 'title', 0);
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction(() => window.pressroom.editor.open && document.querySelector('#editor .fields .flow'));
  const opened = await page.evaluate(() => ({
    id: window.pressroom.editor.open.id,
    lang: window.pressroom.editor.open.lang,
    heading: document.querySelector('#editor h2').textContent,
    english: document.querySelectorAll('figure.page[data-lang="en"] .mark[data-msg="title"]').length,
    tajik: document.querySelectorAll('figure.page[data-lang="tg"] .mark[data-msg="title"]').length,
    source: document.querySelector('#editor .source')?.textContent || '',
  }));
  check(opened.id === 'title' && opened.lang === 'tg' && opened.heading === 'Заголовок', `clicking the Tajik title opens its message, named for people in the interface's Russian (${opened.lang} ${opened.id}: ${opened.heading})`);
  const speaks = await page.evaluate(() => ({
    save: document.querySelector('#editor button.save')?.textContent,
    tabs: [...document.querySelectorAll('#editor nav.langs button')].map((b) => b.textContent).join(' '),
    source: document.querySelector('#editor .source h3')?.textContent,
  }));
  check(speaks.save === 'Сохранить', `the editor speaks Russian (${speaks.save})`);
  const chrome = await page.evaluate(() => ({
    web: document.querySelector('.head[data-lang="tg"] a.web')?.textContent,
    status: document.querySelector('.head[data-lang="tg"] .status')?.textContent,
  }));
  check(chrome.web === 'Веб-страница' && chrome.status === 'готово', `the page's own words too (${chrome.web}, ${chrome.status})`);
  check(speaks.tabs === 'English Русский Тоҷикӣ', `languages by their names (${speaks.tabs})`);
  check(!/=|\{ -eu \}/.test(speaks.source || ''), `the source is shown as text, not Fluent (${speaks.source})`);
  check(opened.english > 0, `the message is outlined on the English page (${opened.english} boxes)`);
  check(opened.tajik > 0, `and on the Tajik page (${opened.tajik} boxes)`);
  check(opened.source.includes('Dushanbe hosts'), 'the English source is shown beside it');
  await page.screenshot({ path: join(artifacts, 'editor-open.png') });

  // Typing: the page changes before anything is saved.
  const before = read(ftl);
  await page.click('#editor .fields .flow');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(ADDED, { delay: 20 });
  await page.waitForFunction(
    (added) =>
      [...document.querySelectorAll('figure.page[data-lang="tg"] img')].some((i) => i.alt.includes(added.trim())),
    ADDED,
    { timeout: 10000 },
  );
  const unsaved = await page.evaluate(() =>
    document.querySelector('.head[data-lang="tg"]').classList.contains('unsaved'),
  );
  check(true, 'the Tajik page shows the typed text before saving');
  check(unsaved, 'and is marked unsaved');
  check(read(ftl) === before, 'typing writes nothing');
  await page.screenshot({ path: join(artifacts, 'editor-draft.png') });

  // Saving writes exactly that message.
  await page.click('#editor button.save');
  await page.waitForFunction(() => window.pressroom.editor.saves.length === 1);
  const saved = read(ftl);
  const oldTitle = before.split('\n').find((l) => l.startsWith('title ='));
  const newTitle = saved.split('\n').find((l) => l.startsWith('title ='));
  check(newTitle === oldTitle + ADDED, `the saved title is the typed one (${newTitle})`);
  check(without(saved, 'title') === without(before, 'title'), 'every other byte of the file is as it was');
  // The rebuild after the save replaces the draft.
  await page.waitForFunction(() => !document.querySelector('.head[data-lang="tg"]').classList.contains('unsaved'), null, {
    timeout: 15000,
  });
  check(true, 'the rebuild after the save clears the unsaved mark');

  // Someone else changes the file: the save is refused, with both versions.
  const behind = saved.replace(newTitle, `${oldTitle} (дигар)`);
  saveByRename(ftl, behind);
  await page.click('#editor .fields .flow');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' мавҷуд');
  await page.click('#editor button.save');
  await page.waitForFunction(() => window.pressroom.editor.saves.length === 2);
  const conflict = await page.evaluate(() => ({
    status: window.pressroom.editor.saves[1].status,
    shown: !document.querySelector('#editor .conflict').hidden,
    disk: document.querySelector('#editor .conflict .disk')?.textContent || '',
    yours: document.querySelector('#editor .conflict .yours')?.textContent || '',
  }));
  check(conflict.status === 409 && conflict.shown, `a save over a file changed on disk is refused and shown (${conflict.status})`);
  check(conflict.disk.includes('(дигар)'), 'the conflict shows the version on disk');
  check(conflict.yours.includes('мавҷуд'), 'and the translator’s, still in the editor');
  check(read(ftl) === behind, 'nothing on disk was overwritten');
  await page.screenshot({ path: join(artifacts, 'editor-conflict.png') });
  await page.click('#editor .conflict button.reload');
  await page.waitForFunction(() => document.querySelector('#editor .fields .flow')?.textContent.includes('(дигар)'));

  // A broken placeable, typed in the source mode: the finding shows before any save.
  await page.click('#editor button.mode');
  await page.waitForSelector('#editor textarea.raw');
  await page.fill('#editor textarea.raw', 'title = Муколама { -eu');
  await page.waitForFunction(() => document.querySelectorAll('#editor .findings li.error').length > 0, null, {
    timeout: 10000,
  });
  const finding = await page.textContent('#editor .findings li.error');
  check(/не закрыта/.test(finding), `the broken placeable is a finding, in plain Russian words: ${finding.trim().slice(0, 80)}`);
  check(
    (await page.getAttribute('#editor textarea.raw', 'aria-invalid')) === 'true',
    'the field with the error is marked',
  );
  await page.click('#editor button.save');
  await page.waitForFunction(() => window.pressroom.editor.saves.length === 3);
  check(read(ftl) === behind, 'broken Fluent is never saved');
  await page.screenshot({ path: join(artifacts, 'editor-finding.png') });

  // The English changes: the Russian title (which nobody touched here) is
  // stale, the panel shows what changed word by word, and "Mark up to
  // date" accepts it.
  const english = join(root, 'locales', 'en', 'releases', `${REFERENCE}.ftl`);
  saveByRename(english, read(english).replace('title = Dushanbe hosts', 'title = Dushanbe hosted'));
  await page.waitForFunction(
    () => [...document.querySelectorAll('figure.page[data-lang="en"] img')].some((i) => i.alt.includes('Dushanbe hosted')),
    null,
    { timeout: 15000 },
  );
  await page.evaluate(() => window.pressroom.editor.openMessage('ru', 'title'));
  await page.waitForSelector('#editor .changes');
  const diff = await page.evaluate(() => ({
    removed: [...document.querySelectorAll('#editor .changes del')].map((d) => d.textContent),
    added: [...document.querySelectorAll('#editor .changes ins')].map((d) => d.textContent),
    state: document.querySelector('#editor .state').dataset.state,
  }));
  check(diff.state === 'stale', `the Russian title is stale once the English changed (${diff.state})`);
  check(
    diff.removed.join() === 'hosts' && diff.added.join() === 'hosted',
    `the word diff shows what changed in the English (−${diff.removed} +${diff.added})`,
  );
  await page.screenshot({ path: join(artifacts, 'editor-stale.png') });
  await page.click('#editor button.accept');
  await page.waitForFunction(() => document.querySelector('#editor .state')?.dataset.state === 'current');
  check(read(join(root, 'locales', 'ru', 'translation-state.toml')).includes('Dushanbe hosted'), '"Mark up to date" records it');

  // Refusals: no token, another Origin, another site's page.
  const body = JSON.stringify({ release: REFERENCE, lang: 'tg', id: 'title', source: 'title = X', base: 'absent' });
  const noToken = await page.evaluate(async (body) => {
    const r = await fetch('/api/save', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    return r.status;
  }, body);
  check(noToken === 403, `a save without the token is refused (${noToken})`);
  const api = page.context().request;
  const otherOrigin = await api.post(`${server.url}api/save`, {
    headers: { Origin: 'http://evil.example', 'X-Pressroom-Token': server.token, 'Content-Type': 'application/json' },
    data: body,
  });
  check(otherOrigin.status() === 403, `a save from another Origin is refused, token or not (${otherOrigin.status()})`);

  const evil = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise((done) => evil.listen(0, '127.0.0.1', done));
  const other = await browser.newPage();
  await other.goto(`http://127.0.0.1:${evil.address().port}/`);
  const crossSite = await other.evaluate(
    async ({ url, token, body }) => {
      const outcome = [];
      try {
        await fetch(`${url}api/save`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Pressroom-Token': token },
          body,
        });
        outcome.push('json answered');
      } catch (_) {
        outcome.push('json blocked');
      }
      await fetch(`${url}api/save`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
      outcome.push('form sent');
      return outcome;
    },
    { url: server.url, token: server.token, body },
  );
  evil.close();
  check(crossSite[0] === 'json blocked', `another site's page cannot post JSON to the editor (${crossSite[0]})`);
  check(read(ftl) === behind, 'nothing another site sent was written');

  // The web edition as serve shows it: the Tajik page, styled, reloads
  // itself once a translator's save is rebuilt.
  const web = await browser.newPage();
  web.on('pageerror', (error) => problems.push(`web page error: ${error.message}`));
  await web.goto(`${server.url}web/tg/${REFERENCE}.html`);
  const styled = await web.evaluate(() => [...document.styleSheets].some((s) => s.cssRules.length > 0));
  check(styled, 'the web page loads its style sheet');
  check((await web.getAttribute('html', 'lang')) === 'tg', 'the web page is in Tajik');
  saveByRename(ftl, read(ftl).replace(/^(title = .*?)Душанбе/m, '$1шаҳри Душанбе'));
  const reloaded = await web
    .waitForFunction(() => document.querySelector('h1').textContent.includes('шаҳри Душанбе'), null, { timeout: 20000 })
    .then(() => true, () => false);
  check(reloaded, 'the web page shows the save without a reload by hand');
  await web.close();

  // Every message is reachable: the list, its search, a web word and a
  // case form of a term, and the next unfinished one from the keyboard.
  await page.click('#messages');
  await page.waitForSelector('#editor ul.messages button.message');
  const listedCount = await page.evaluate(() => document.querySelectorAll('#editor ul.messages button.message').length);
  check(listedCount > 40, `the list holds every message of the release and the office (${listedCount})`);
  await page.click('#editor nav.langs button[data-lang="ru"]');
  await page.waitForFunction(() => document.querySelector('#editor nav.langs button[aria-current="true"]')?.dataset.lang === 'ru');
  await page.fill('#editor .listbar .search', 'Европейского союза');
  await page.waitForFunction(() => [...document.querySelectorAll('#editor ul.messages button.message')].map((b) => b.dataset.id).includes('-eu'));
  check(true, 'searching the Russian text finds the term -eu by a case form');
  await page.click('#editor ul.messages button.message[data-id="-eu"]');
  await page.waitForFunction(() => window.pressroom.editor.open?.id === '-eu');
  const cases = await page.evaluate(() => [...document.querySelectorAll('#editor .fields .variant .key')].map((k) => k.textContent));
  check(cases.length >= 5 && cases.some((k) => k.startsWith('родительный')), `the term opens with a field per case, each named (${cases.slice(0, 2).join(', ')}…)`);
  await page.click('#editor button.all');
  await page.fill('#editor .listbar .search', 'web');
  await page.waitForFunction(() => document.querySelector('#editor ul.messages button.message[data-id="web-archive"]'));
  await page.click('#editor ul.messages button.message[data-id="web-archive"]');
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'web-archive');
  check(true, 'a web page word opens from the list');
  // Tajik writes its dates its own way: that message is in its list too.
  await page.evaluate(() => window.pressroom.editor.showList('tg'));
  await page.fill('#editor .listbar .search', 'date');
  await page.waitForFunction(() => document.querySelector('#editor ul.messages button.message[data-id="date-long"]'));
  check(true, "Tajik's own date format is in its list");
  await page.evaluate(() => window.pressroom.editor.openMessage('ru', 'web-archive'));
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'web-archive' && window.pressroom.editor.open?.lang === 'ru');
  await axe(page, 'the release page with a message open in the editor');
  await page.click('#editor button.all');
  await page.waitForSelector('#editor ul.messages button.message');
  await axe(page, 'the release page with the message list');
  // From the keyboard: a region of the page is in the tab order, Enter opens it.
  const region = await page.evaluate(() => {
    const button = document.querySelector('figure.page[data-lang="ru"] button.region[data-msg="title"]');
    button.focus();
    return document.activeElement === button;
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'title' && window.pressroom.editor.open?.lang === 'ru');
  check(region, 'where a message prints is in the tab order, and Enter opens it');
  // Focus mode: the language edited alone, large; the others back on request.
  await page.click('#view button.focus');
  const focused = await page.evaluate(() => ({
    shown: [...document.querySelectorAll('.row.pages')][0].querySelectorAll('figure.page:not([style*="none"])').length,
    visible: [...document.querySelectorAll('.row.pages figure.page')].filter((f) => f.getBoundingClientRect().width > 0).map((f) => f.dataset.lang),
    width: document.querySelector('.row.pages figure.page[data-lang="ru"]').getBoundingClientRect().width,
  }));
  check(focused.visible.every((l) => l === 'ru') && focused.width > 600, `focus mode shows the Russian pages alone, large (${Math.round(focused.width)} px wide)`);
  await page.screenshot({ path: join(artifacts, 'editor-focus.png') });
  await page.click('#view button.focus');
  await page.screenshot({ path: join(artifacts, 'editor-list.png') });
  // Russian title is current again (accepted above); make one stale and step to it.
  saveByRename(english, read(english).replace('title = Dushanbe hosted', 'title = Dushanbe hosts'));
  await page.waitForFunction(
    () => [...document.querySelectorAll('figure.page[data-lang="en"] img')].some((i) => i.alt.includes('Dushanbe hosts')),
    null,
    { timeout: 15000 },
  );
  await page.evaluate(() => window.pressroom.editor.showList('ru'));
  await page.waitForSelector('#editor ul.messages button.message');
  await page.keyboard.press('Alt+ArrowDown');
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'title' && window.pressroom.editor.open?.lang === 'ru', null, { timeout: 10000 });
  check(true, 'Alt+↓ opens the next stale message (the Russian title)');

  // A long text beside its source, paragraph by paragraph; an unchanged
  // save of it changes no byte.
  const tgBefore = read(ftl);
  await page.evaluate(() => window.pressroom.editor.openMessage('tg', 'body'));
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'body' && document.querySelector('#editor .paired .pair'));
  const pairs = await page.evaluate(() => document.querySelectorAll('#editor .paired .pair').length);
  check(pairs >= 4, `the Tajik body sits beside the English paragraph by paragraph (${pairs} pairs)`);
  await page.click('#editor button.save');
  await page.waitForFunction(() => document.querySelector('#editor .said.saved, #editor .said.error'));
  check(read(ftl) === tgBefore, 'saving the paired paragraphs unchanged writes the same bytes');
  await page.screenshot({ path: join(artifacts, 'editor-paired.png') });

  // Nothing typed is lost. Typed into the title, then the body opened:
  // the title's text is back when it is opened again, said so.
  const KEPT = ' нигоҳ дошта шуд';
  await page.evaluate(() => window.pressroom.editor.openMessage('tg', 'title'));
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'title');
  // The broken source typed above, never saved, is kept too: brought back
  // with a note, and discarded here.
  const keptBroken = await page.evaluate(() => !!document.querySelector('#editor .restored'));
  check(keptBroken, 'the unsaved broken source typed earlier is kept and brought back');
  await page.click('#editor .restored button.discard');
  await page.waitForFunction(() => !document.querySelector('#editor .restored') && document.querySelector('#editor .fields .flow'));
  await page.click('#editor .fields .flow');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(KEPT, { delay: 10 });
  // A click on a word of the body, on the Tajik page.
  const bodyWord = await wordOn(page, 'tg', 'body', 1);
  await page.mouse.click(bodyWord.x, bodyWord.y);
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'body');
  check(true, 'a click on the body, with the title unsaved, opens the body');
  await page.evaluate(() => window.pressroom.editor.openMessage('tg', 'title'));
  await page.waitForFunction(() => window.pressroom.editor.open?.id === 'title' && document.querySelector('#editor .fields .flow'));
  const back = await page.evaluate(() => ({
    text: document.querySelector('#editor .fields .flow').textContent,
    note: !!document.querySelector('#editor .restored'),
  }));
  check(back.text.includes(KEPT.trim()) && back.note, `text typed before switching message is back, said so (${back.note})`);
  await page.screenshot({ path: join(artifacts, 'editor-restored.png') });

  // pressroom stops: the panel says so, a save says it failed, the text stays.
  const port = new URL(server.url).port;
  server.stop();
  await page.waitForFunction(() => document.querySelector('#editor .offline') && !document.querySelector('#editor .offline').hidden, null, { timeout: 10000 });
  check(true, 'losing pressroom is shown in the panel');
  await page.click('#editor button.save');
  await page.waitForFunction(() => document.querySelector('#editor .said.error'));
  const failedSave = await page.evaluate(() => ({
    said: document.querySelector('#editor .said').textContent,
    retry: !!document.querySelector('#editor .said button.retry'),
    text: document.querySelector('#editor .fields .flow').textContent,
  }));
  check(/не отвечает/.test(failedSave.said) && failedSave.retry, `a save without pressroom says so and offers to retry (${failedSave.said.slice(0, 60)})`);
  check(failedSave.text.includes(KEPT.trim()), 'the text stays in the panel');
  await page.screenshot({ path: join(artifacts, 'editor-offline.png') });

  // pressroom starts again (a new launch, a new token): the text is back
  // in the message, and saves.
  server = await serve(binary, root, [], Number(port));
  await page.goto(server.editUrl);
  await page.goto(`${server.url}release/${REFERENCE}`);
  await page.waitForFunction(() => window.pressroom && window.pressroom.connected && window.pressroom.editor);
  await page.waitForFunction(() => sessionStorage.getItem('pressroom-token'));
  await page.evaluate(() => window.pressroom.editor.openMessage('tg', 'title'));
  await page.waitForFunction(() => document.querySelector('#editor .restored'));
  await page.click('#editor button.save');
  await page.waitForFunction(() => document.querySelector('#editor .said.saved'), null, { timeout: 10000 });
  check(read(ftl).includes(KEPT), 'after a restart the kept text is saved');
} catch (error) {
  for (const problem of problems) console.log(`  (seen before: ${problem})`);
  failed(error);
} finally {
  await browser.close();
  server.stop();
  removeProject(root);
}
for (const problem of problems) check(false, problem);
finish('editor: all checks passed');
