// pressroom's translators' editor, on a release's preview page. Clicking
// text on a page opens the message it was made from; the panel edits it a
// field per value and attribute (placeables as chips that cannot be typed
// into, a field per plural category of the language), draws the pages from
// the unsaved text as one types, and saves only that message. Everything
// goes through the JSON API the guide documents (guide/src/office-it/api.md); text from the server goes
// in with textContent only.
'use strict';

(() => {
  // The launch's token comes in the URL `pressroom serve` prints. It is kept
  // for this tab only (sessionStorage, never shared with other tabs or kept
  // after them), taken out of the address bar, and only when the server
  // said (marking the page) that it is this launch's: a link from another
  // site carrying some other token changes nothing.
  const params = new URLSearchParams(location.search);
  const offered = params.get('token');
  if (params.has('token')) {
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? `?${rest}` : '') + location.hash);
  }
  // The server marks the page when the address held this launch's token.
  if (offered && document.body.dataset.token === 'valid') {
    sessionStorage.setItem('pressroom-token', offered);
  }
  if (document.body.dataset.page !== 'release') return;
  const preview = window.pressroom;
  const release = document.body.dataset.release;
  const panel = document.getElementById('editor');
  const columns = document.getElementById('columns');
  if (!preview || !panel || !columns) return;
  // The team service puts the session's token in the page instead.
  const token = () => document.body.dataset.csrf || sessionStorage.getItem('pressroom-token') || '';
  const listButton = document.getElementById('messages');
  // Keystroke to request: just long enough to take a burst of keys (a
  // paste, a held key) as one; a request in flight is never doubled, the
  // keys typed meanwhile go in the next.
  const DEBOUNCE_MS = 8;

  const editor = (preview.editor = {
    open: null, // { lang, id, message, editable, raw }
    drafts: [], // { seq, sent, shown } per draft sent, for tests and the benchmark
    saves: [],
    errors: [],
  });

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('data-')) node.setAttribute(key, value);
      else node[key] = value;
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };

  // ---- the interface's own words, in the translator's language ----
  // From /assets/ui.json (ui/*.ftl): the language the translator chose, else
  // the browser's (what Accept-Language says), else English.
  let words = {};
  let ui = 'en';
  const UI_KEY = 'pressroom-ui';
  function pickUi() {
    const chosen = localStorage.getItem(UI_KEY);
    if (chosen && words[chosen]) return chosen;
    for (const tag of navigator.languages || [navigator.language]) {
      const primary = String(tag).split('-')[0].toLowerCase();
      if (words[primary]) return primary;
    }
    return 'en';
  }
  const t = (key, args = {}) =>
    ((words[ui] && words[ui][key]) || (words.en && words.en[key]) || key).replace(/\{\$([\w-]+)\}/g, (_, name) =>
      args[name] === undefined ? '' : String(args[name]),
    );
  const wordsLoaded = fetch('/assets/ui.json', { cache: 'no-store' })
    .then((r) => r.json())
    .then((all) => {
      words = all;
      ui = pickUi();
      document.documentElement.dataset.interface = ui;
      if (listButton) listButton.textContent = t('ui-messages');
      relabelPage();
    })
    .catch(() => {})
    // Each language by its name in itself (its `web-language`), not its code.
    .then(() =>
      Promise.all(
        preview.languages.map(async (lang) => {
          const answer = await api('GET', `/api/release/${release}/${lang}/message/web-language`);
          const name = answer.ok && plain(answer.data.text);
          if (name) languageNames[lang] = name;
        }),
      ),
    );
  const languageNames = {};
  const languageName = (lang) => languageNames[lang] || lang;
  editor.t = t;
  // The page's own words (column heads, links, the connection) in the
  // interface's language too.
  function relabelPage() {
    preview.say = (key) => t(key);
    preview.statusLabel = (row) => {
      if (row.lang === preview.languages[0]) return t('status-source');
      if (row.done) return t('status-done');
      const parts = [];
      if (row.missing > 0) parts.push(t('status-missing', { count: row.missing }));
      if (row.stale > 0) parts.push(t('status-stale', { count: row.stale }));
      if (row.unreviewed > 0) parts.push(t('status-unreviewed', { count: row.unreviewed }));
      return parts.join(', ');
    };
    for (const node of document.querySelectorAll('[data-ui]')) node.textContent = t(node.dataset.ui);
    const connection = document.getElementById('connection');
    if (connection && preview.connected) connection.textContent = t('ui-live');
    if (preview.relabel) preview.relabel();
  }
  // A message named for people, in the interface's language.
  const nameOf = (m) => (m.kind ? t(`kind-${m.kind}`, { name: m.name }) : m.label || m.id);
  const stateWord = (state) => t(`state-${state}`);
  // Numbers each plural category takes, by the edited language (CLDR's
  // examples), so a translator sees which field is for which count.
  const PLURAL_EXAMPLES = {
    en: { one: '1', other: '0, 2, 3, 10…' },
    ru: { one: '1, 21, 31…', few: '2–4, 22–24…', many: '0, 5–20, 25…', other: '1,5…' },
    tg: { one: '0, 1', other: '2, 3, 10…' },
    fr: { one: '0, 1', many: '1000000…', other: '2, 3, 10…' },
    fa: { one: '0, 1', other: '2, 3, 10…' },
  };
  // A variant's key named for people: a plural category (with the numbers
  // it takes in the edited language) or a case.
  function keyName(key, plural) {
    if (plural && words.en && words.en[`plural-${key}`]) {
      const lang = editor.open ? editor.open.lang.split('-')[0] : '';
      const examples = PLURAL_EXAMPLES[lang] && PLURAL_EXAMPLES[lang][key];
      return examples ? `${t(`plural-${key}`)} (${examples})` : t(`plural-${key}`);
    }
    if (words.en && words.en[`case-${key}`]) return t(`case-${key}`);
    return key;
  }
  function uiChooser() {
    const select = el('select', { class: 'ui-language' });
    select.setAttribute('aria-label', t('ui-interface'));
    for (const tag of Object.keys(words)) {
      select.append(el('option', { value: tag, text: words[tag]['ui-language'] || tag }));
    }
    select.value = ui;
    select.addEventListener('change', () => {
      localStorage.setItem(UI_KEY, select.value);
      ui = select.value;
      document.documentElement.dataset.interface = ui;
      if (listButton) listButton.textContent = t('ui-messages');
      relabelPage();
      if (editor.open) render();
      else showList(editor.list.lang);
    });
    return select;
  }

  // ---- unsaved text, kept in this browser ----
  // Per message, until it is saved or discarded: it survives switching
  // message, language or release, a reload and a restart of pressroom.
  const draftKey = (lang, id) => `pressroom-draft:${location.host}:${release}:${lang}:${id}`;
  function keepDraft(open) {
    try {
      localStorage.setItem(draftKey(open.lang, open.id), JSON.stringify({ edit: currentEdit(), base: open.base, at: Date.now() }));
    } catch (_) {
      /* storage full or off: the panel still holds the text */
    }
  }
  function keptDraft(lang, id) {
    try {
      const kept = JSON.parse(localStorage.getItem(draftKey(lang, id)));
      return kept && kept.edit ? kept : null;
    } catch (_) {
      return null;
    }
  }
  function dropDraft(lang, id) {
    try {
      localStorage.removeItem(draftKey(lang, id));
    } catch (_) {
      /* nothing kept */
    }
  }
  window.addEventListener('beforeunload', (event) => {
    if (editor.open && editor.open.dirty) {
      keepDraft(editor.open);
      event.preventDefault();
      event.returnValue = '';
    }
  });

  async function api(method, path, body) {
    const init = { method, cache: 'no-store', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.headers['X-Pressroom-Token'] = token();
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (_) {
      // pressroom stopped, the laptop slept, the network went: said, and
      // the text stays where it is.
      return { status: 0, ok: false, data: { error: t('ui-not-answering') } };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = { error: `${response.status} ${response.statusText}` };
    }
    return { status: response.status, ok: response.ok, data };
  }

  // ---- where messages print ----

  function figureAt(lang, index) {
    const row = columns.querySelectorAll('.row.pages')[index];
    return row ? [...row.children].find((f) => f.dataset.lang === lang) : null;
  }

  // The message printed at a click, from the page's regions (points from the
  // page's top left corner).
  function messageAt(figure, event) {
    const lang = figure.dataset.lang;
    const row = figure.parentElement;
    const index = [...columns.querySelectorAll('.row.pages')].indexOf(row);
    const output = preview.output(lang);
    const page = output && output.pages && output.pages[index];
    const image = figure.querySelector('img');
    if (!page || !image || !page.regions) return null;
    const box = image.getBoundingClientRect();
    const x = ((event.clientX - box.left) * page.width) / box.width;
    const y = ((event.clientY - box.top) * page.height) / box.height;
    // The tightest box holding the point: a term inside a message wins.
    let best = null;
    for (const region of page.regions) {
      for (const [rx, ry, rw, rh] of region.rects) {
        const slack = 1.5;
        if (x >= rx - slack && x <= rx + rw + slack && y >= ry - slack && y <= ry + rh + slack) {
          const area = rw * rh;
          if (!best || area < best.area) best = { msg: region.msg, area };
        }
      }
    }
    return best ? best.msg : null;
  }

  // Calls `visit(lang, figure, page)` for every page shown with its regions.
  function eachPage(visit) {
    for (const lang of preview.languages) {
      const output = preview.output(lang);
      if (!output || !output.pages) continue;
      output.pages.forEach((page, index) => {
        const figure = figureAt(lang, index);
        if (figure && page.regions) visit(lang, figure, page);
      });
    }
  }

  // Puts `node` over a box of a page (points from its top left corner).
  function over(node, [x, y, w, h], page) {
    node.style.left = `${(x / page.width) * 100}%`;
    node.style.top = `${(y / page.height) * 100}%`;
    node.style.width = `${(w / page.width) * 100}%`;
    node.style.height = `${(h / page.height) * 100}%`;
    return node;
  }

  // Outlines where the open message prints, on every language's pages.
  function highlight() {
    for (const old of columns.querySelectorAll('.mark')) old.remove();
    if (!editor.open) return;
    eachPage((lang, figure, page) => {
      for (const region of page.regions) {
        if (region.msg !== editor.open.id) continue;
        for (const [x, y, w, h] of region.rects) {
          figure.append(over(el('div', { class: 'mark', 'data-msg': region.msg }), [x, y, w, h], page));
        }
      }
    });
  }
  preview.shown.push(highlight);

  // Every message printed on a page, reachable from the keyboard: a button
  // over where it first prints on each page (in the tab order; Enter opens).
  function regionButtons() {
    for (const old of columns.querySelectorAll('button.region')) old.remove();
    eachPage((lang, figure, page) => {
      const seen = new Set();
      for (const region of page.regions) {
        if (seen.has(region.msg) || !region.rects.length) continue;
        seen.add(region.msg);
        const [x, y, w, h] = region.rects[0];
        const known = editor.list.lang === lang && editor.list.messages.find((m) => m.id === region.msg);
        const button = el('button', { type: 'button', class: 'region', 'data-msg': region.msg });
        button.setAttribute('aria-label', `${known ? nameOf(known) : region.msg} (${languageName(lang)})`);
        over(button, [x, y, w, h], page);
        button.addEventListener('click', (event) => {
          event.stopPropagation();
          openMessage(lang, region.msg);
        });
        figure.append(button);
      }
    });
  }
  preview.shown.push(regionButtons);

  // ---- reading while editing: focus on one language, zoom, hide others ----
  const view = { focus: false, zoom: 1, hidden: new Set() };
  // A constructed style sheet: the page's CSP allows no inline <style>.
  const viewSheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, viewSheet];
  function applyView() {
    const rules = [];
    const shownLang = editor.open ? editor.open.lang : editor.list.lang;
    for (const lang of preview.languages) {
      const hide = view.hidden.has(lang) || (view.focus && shownLang && lang !== shownLang);
      if (hide) rules.push(`.row > [data-lang="${lang}"] { display: none; }`);
    }
    // Larger than the free width: the rows grow and the pages scroll sideways.
    if (view.zoom > 1) rules.push(`.row { width: ${Math.round(view.zoom * 100)}%; }`);
    viewSheet.replaceSync(rules.join('\n'));
    document.body.classList.toggle('zoomed', view.zoom > 1);
    for (const box of document.querySelectorAll('#view input[data-lang]')) box.checked = !view.hidden.has(box.dataset.lang);
    const focus = document.querySelector('#view button.focus');
    if (focus) focus.setAttribute('aria-pressed', view.focus ? 'true' : 'false');
  }
  editor.view = view;
  editor.applyView = applyView;
  async function viewBar() {
    await wordsLoaded;
    const header = document.querySelector('body > header');
    if (!header || document.getElementById('view')) return;
    const bar = el('div', { id: 'view', role: 'group' });
    bar.setAttribute('aria-label', t('ui-view'));
    const focus = el('button', { type: 'button', class: 'focus', text: t('ui-focus') });
    focus.setAttribute('aria-pressed', 'false');
    focus.addEventListener('click', () => {
      view.focus = !view.focus;
      applyView();
    });
    const smaller = el('button', { type: 'button', class: 'zoom-out', text: '−' });
    smaller.setAttribute('aria-label', t('ui-zoom-out'));
    smaller.addEventListener('click', () => {
      view.zoom = Math.max(1, view.zoom - 0.5);
      applyView();
    });
    const larger = el('button', { type: 'button', class: 'zoom-in', text: '+' });
    larger.setAttribute('aria-label', t('ui-zoom-in'));
    larger.addEventListener('click', () => {
      view.zoom = Math.min(3, view.zoom + 0.5);
      applyView();
    });
    bar.append(focus, smaller, larger);
    for (const lang of preview.languages) {
      const box = el('input', { type: 'checkbox', checked: true, 'data-lang': lang });
      box.addEventListener('change', () => {
        if (box.checked) view.hidden.delete(lang);
        else view.hidden.add(lang);
        applyView();
      });
      bar.append(el('label', {}, box, ` ${languageName(lang)}`));
    }
    header.insertBefore(bar, listButton || null);
  }
  viewBar();

  columns.addEventListener('click', (event) => {
    const figure = event.target.closest('figure.page');
    if (!figure) return;
    const id = messageAt(figure, event);
    if (id) openMessage(figure.dataset.lang, id);
  });

  // ---- fields ----

  // A value's pieces as an editable line: text as typed, placeables as
  // chips the caret passes over.
  function chip(expr) {
    return el('span', { class: 'chip', contentEditable: 'false', 'data-expr': expr, text: `{ ${expr} }` });
  }

  function flowField(pieces, editable, label) {
    const field = el('div', { class: 'flow', contentEditable: editable ? 'true' : 'false' });
    field.setAttribute('role', 'textbox');
    field.setAttribute('aria-multiline', 'true');
    field.setAttribute('aria-label', label);
    field.spellcheck = true;
    for (const piece of pieces) {
      if (piece.kind === 'text') field.append(document.createTextNode(piece.text));
      else if (piece.kind === 'chip') field.append(chip(piece.expr));
    }
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        document.execCommand('insertLineBreak');
      }
    });
    // Pasted text stays text: no markup from elsewhere.
    field.addEventListener('paste', (event) => {
      event.preventDefault();
      document.execCommand('insertText', false, event.clipboardData.getData('text/plain'));
    });
    return field;
  }

  // A field's pieces back: text nodes and chips, in order.
  function readFlow(field) {
    const pieces = [];
    const pushText = (text) => {
      if (!text) return;
      const last = pieces[pieces.length - 1];
      if (last && last.kind === 'text') last.text += text;
      else pieces.push({ kind: 'text', text });
    };
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) pushText(child.textContent);
        else if (child.dataset && child.dataset.expr) pieces.push({ kind: 'chip', expr: child.dataset.expr });
        else if (child.nodeName === 'BR') pushText('\n');
        else {
          if (child.nodeName === 'DIV' && pieces.length) pushText('\n');
          walk(child);
        }
      }
    };
    walk(field);
    return pieces;
  }

  // A value: its plain pieces in one field; a choice's variants one field
  // each, named by the language's own plural categories.
  function valueEditor(pieces, editable, label) {
    const box = el('div', { class: 'value' });
    let run = [];
    const flush = () => {
      box.append(flowField(run, editable, label));
      run = [];
    };
    for (const piece of pieces) {
      if (piece.kind !== 'select') {
        run.push(piece);
        continue;
      }
      if (run.length) flush();
      const choice = el('fieldset', { class: 'choice', 'data-selector': piece.selector });
      choice.dataset.plural = piece.plural ? '1' : '';
      choice.append(el('legend', { text: t('ui-choice', { selector: piece.selector }) }));
      for (const variant of piece.variants) {
        const row = el('div', { class: 'variant', 'data-key': variant.key });
        row.dataset.default = variant.default ? '1' : '';
        row.append(
          el('span', {
            class: 'key',
            title: variant.key,
            text: variant.default ? t('ui-default', { key: keyName(variant.key, piece.plural) }) : keyName(variant.key, piece.plural),
          }),
          flowField(variant.value, editable, `${label}, ${keyName(variant.key, piece.plural)}`),
        );
        choice.append(row);
      }
      box.append(choice);
    }
    if (run.length || !box.children.length) flush();
    return box;
  }

  // Text (and chips) split where a blank line separates paragraphs.
  function paragraphs(pieces) {
    const out = [[]];
    for (const piece of pieces || []) {
      if (piece.kind !== 'text') {
        out[out.length - 1].push(piece);
        continue;
      }
      piece.text.split(/\n\n+/).forEach((part, i) => {
        if (i > 0) out.push([]);
        if (part) out[out.length - 1].push({ kind: 'text', text: part });
      });
    }
    return out;
  }
  const prose = (pieces) => Array.isArray(pieces) && pieces.every((p) => p.kind !== 'select');

  // A long text beside its source, paragraph by paragraph: each paragraph
  // of the translation its own field under the source's.
  function pairedEditor(pieces, source, editable, label) {
    const box = el('div', { class: 'value paired' });
    const ours = paragraphs(pieces);
    const theirs = paragraphs(source);
    const count = Math.max(ours.length, theirs.length);
    for (let i = 0; i < count; i++) {
      box.append(
        el('div', { class: 'pair' },
          el('div', { class: 'from', lang: open_source_lang() }, flowField(theirs[i] || [], false, `${label} ¶${i + 1}`)),
          flowField(ours[i] || [], editable, `${label} ¶${i + 1}`)),
      );
    }
    return box;
  }
  const open_source_lang = () => (editor.open ? editor.open.sourceLang : '');

  function readValue(box) {
    const pieces = [];
    for (const part of box.children) {
      if (part.classList.contains('pair')) {
        // Paragraphs joined by a blank line, as Fluent holds them.
        if (pieces.length) pieces.push({ kind: 'text', text: '\n\n' });
        pieces.push(...readFlow(part.querySelector(':scope > .flow')));
      } else if (part.classList.contains('flow')) pieces.push(...readFlow(part));
      else if (part.classList.contains('choice')) {
        pieces.push({
          kind: 'select',
          selector: part.dataset.selector,
          plural: part.dataset.plural === '1',
          variants: [...part.querySelectorAll(':scope > .variant')].map((row) => ({
            key: row.dataset.key,
            default: row.dataset.default === '1',
            value: readFlow(row.querySelector('.flow')),
          })),
        });
      }
    }
    // Neighbouring texts as one: the lines of a text are indented as Fluent
    // wants only within one piece.
    const merged = [];
    for (const piece of pieces) {
      const last = merged[merged.length - 1];
      if (piece.kind === 'text' && last && last.kind === 'text') last.text += piece.text;
      else merged.push(piece.kind === 'text' ? { ...piece } : piece);
    }
    return merged;
  }

  // The placeables the English uses: a chip dropped from a field can be put
  // back at the caret from here.
  function palette(source) {
    const exprs = new Set();
    const collect = (pieces) => {
      for (const piece of pieces || []) {
        if (piece.kind === 'chip') exprs.add(piece.expr);
        if (piece.kind === 'select') piece.variants.forEach((v) => collect(v.value));
      }
    };
    if (source) {
      collect(source.value);
      source.attributes.forEach((a) => collect(a.value));
    }
    if (!exprs.size) return null;
    const bar = el('div', { class: 'palette' }, el('span', { text: `${t('ui-insert')} ` }));
    for (const expr of exprs) {
      const button = el('button', { type: 'button', class: 'chip', text: `{ ${expr} }` });
      // Keeps the caret where it is in the field.
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', () => {
        const selection = getSelection();
        if (!selection.rangeCount) return;
        const range = selection.getRangeAt(0);
        const at = range.startContainer;
        const field = (at.nodeType === Node.ELEMENT_NODE ? at : at.parentElement).closest('.flow');
        if (!field || !panel.contains(field) || field.contentEditable !== 'true') return;
        range.deleteContents();
        const node = chip(expr);
        range.insertNode(node);
        range.setStartAfter(node);
        range.collapse(true);
        selection.removeAllRanges();
        selection.addRange(range);
        changed();
      });
      bar.append(button);
    }
    return bar;
  }

  // ---- the panel ----

  function currentEdit() {
    const open = editor.open;
    const edit = { release, lang: open.lang, id: open.id };
    if (open.raw) {
      edit.source = panel.querySelector('textarea.raw').value;
    } else {
      const fields = { id: open.id, value: null, attributes: [] };
      const value = panel.querySelector('.field[data-part="value"] .value');
      if (value) fields.value = readValue(value);
      for (const part of panel.querySelectorAll('.field[data-part="attribute"]')) {
        fields.attributes.push({ name: part.dataset.name, value: readValue(part.querySelector('.value')) });
      }
      edit.fields = fields;
    }
    return edit;
  }

  // A finding in the interface's language where its words exist (by its
  // phrase: which Fluent error, which typographic slip), else as pressroom
  // said it. Its specifics come from the English: the first `quoted` part,
  // a character's code, what follows its last colon.
  function sayFinding(finding) {
    const key = `finding-${finding.phrase || finding.code}`;
    if (!(words[ui] && words[ui][key])) return { message: finding.message, hints: finding.hints || [] };
    const text = finding.message || '';
    const quoted = text.match(/`([^`]*)`/);
    const code = text.match(/U\+[0-9A-F]{4,6}/);
    const args = {
      q1: quoted ? quoted[1] : '',
      u: code ? code[0] : '',
      list: text.includes(':') ? text.slice(text.lastIndexOf(':') + 1).trim() : '',
    };
    const hint = words[ui][`${key}-hint`] ? [t(`${key}-hint`, args)] : finding.hints || [];
    return { message: t(key, args), hints: hint };
  }

  function findingsList(findings, errors) {
    const list = panel.querySelector('.findings');
    if (!list) return;
    // An error marks the fields it is about, where the translator types.
    const wrong = [...(findings || []), ...(errors || [])].some((f) => f.severity !== 'warning');
    for (const field of panel.querySelectorAll('.fields .flow[contenteditable="true"], .fields textarea.raw')) {
      field.setAttribute('aria-invalid', wrong ? 'true' : 'false');
    }
    list.replaceChildren();
    // A build error that repeats a finding is said once.
    const said = new Set((findings || []).map((f) => f.message));
    const all = [...(findings || []), ...(errors || []).filter((e) => !said.has(e.message))];
    list.hidden = all.length === 0;
    for (const finding of all) {
      const { message, hints } = sayFinding(finding);
      list.append(
        el(
          'li',
          { class: finding.severity === 'warning' ? 'warning' : 'error' },
          el('div', { class: 'message', text: finding.line ? t('ui-line', { line: finding.line, message }) : message }),
          ...hints.map((hint) => el('div', { class: 'hint', text: t('ui-hint', { hint }) })),
        ),
      );
    }
  }

  function say(text, kind = '') {
    const line = panel.querySelector('.said');
    if (line) {
      line.textContent = text;
      line.className = `said ${kind}`;
    }
  }

  function render() {
    const open = editor.open;
    panel.replaceChildren();
    panel.hidden = !open;
    document.body.classList.toggle('editing', !!open);
    if (!open) return highlight();
    const m = open.message;
    const tabs = el('nav', { class: 'langs' });
    for (const lang of preview.languages) {
      const tab = el('button', { type: 'button', text: languageName(lang), title: lang, 'data-lang': lang });
      if (lang === open.lang) tab.setAttribute('aria-current', 'true');
      tab.addEventListener('click', () => openMessage(lang, open.id));
      tabs.append(tab);
    }
    const all = el('button', { type: 'button', class: 'all', text: t('ui-all-messages') });
    all.addEventListener('click', () => showList(open.lang));
    panel.append(all);
    const close = el('button', { type: 'button', class: 'close', text: '×', title: t('ui-close-editor') });
    close.setAttribute('aria-label', t('ui-close-editor'));
    close.addEventListener('click', () => {
      // Unsaved text stays kept for this message; the pages show what is saved.
      if (editor.open && editor.open.dirty) {
        keepDraft(editor.open);
        preview.showSaved();
      }
      editor.open = null;
      render();
    });
    const offline = el('p', {
      class: 'offline',
      role: 'alert',
      text: t('ui-offline'),
    });
    offline.hidden = editor.connected !== false;
    panel.append(offline);
    if (open.restored) {
      const discard = el('button', { type: 'button', class: 'discard', text: t('ui-discard') });
      discard.addEventListener('click', () => {
        dropDraft(open.lang, open.id);
        preview.showSaved();
        openMessage(open.lang, open.id);
      });
      panel.append(
        el('p', { class: 'restored', role: 'status' },
          `${t('ui-restored', { time: new Date(open.restored).toLocaleString(ui) })} `, discard),
      );
    }
    panel.append(
      el('header', {}, el('h2', { text: nameOf(m) }), tabs, close),
      el('p', { class: 'where' },
        el('span', { class: `state ${m.state}`, 'data-state': m.state, text: stateWord(m.state) }), ' ',
        el('code', { class: 'file', text: m.file })),
    );
    // A stale translation: the source is shown once, its change marked in
    // place (what was removed, what was added), not the source and then
    // the source again as a diff.
    const staleDiff = m.state === 'stale' && m.changes;
    // Prose of several paragraphs: shown beside its source, paragraph by
    // paragraph, in place of the source above it.
    const paired =
      !open.raw &&
      open.lang !== open.sourceLang &&
      m.fields &&
      open.sourceFields &&
      prose(m.fields.value) &&
      prose(open.sourceFields.value) &&
      paragraphs(open.sourceFields.value).length > 1;
    if (open.sourceText !== null && open.lang !== open.sourceLang && !staleDiff && !paired) {
      panel.append(
        el('section', { class: 'source' }, el('h3', { text: t('ui-source', { lang: languageName(open.sourceLang) }) }),
          open.sourceFields && open.sourceFields.value
            ? valueEditor(open.sourceFields.value, false, t('ui-source', { lang: languageName(open.sourceLang) }))
            : el('pre', { text: plain(open.sourceText) })),
      );
    }
    if (m.state === 'stale') {
      const note = el('section', { class: 'changes source' });
      if (m.changes) {
        note.append(el('h3', { text: `${t('ui-source', { lang: languageName(open.sourceLang) })} — ${t('ui-changes')}` }));
        note.append(diffLine(m.changes));
      } else {
        note.append(el('p', { text: t('ui-changed') }));
      }
      panel.append(note);
    }
    // Edited since a reviewer approved it: what changed since, for the
    // reviewer to read before approving again.
    if (m.review && m.review.since_approved) {
      panel.append(
        el('section', { class: 'changes since-approved' },
          el('h3', { text: t('ui-since-approved') }),
          diffLine(m.review.since_approved)),
      );
    }
    if (m.terms && m.terms.length) panel.append(termList(m.terms));
    if (!open.editable) {
      panel.append(el('p', { class: 'readonly', text: open.why }));
    }
    const form = el('section', { class: 'fields' });
    if (open.raw || !m.fields) {
      open.raw = true;
      const raw = el('textarea', { class: 'raw', spellcheck: false, readOnly: !open.editable });
      raw.setAttribute('aria-label', t('ui-source-label', { message: nameOf(m) }));
      raw.value = open.rawText;
      raw.addEventListener('input', changed);
      form.append(raw);
    } else {
      const sourcePalette = palette(open.sourceFields);
      if (sourcePalette && open.editable) form.append(sourcePalette);
      if (m.fields.value) {
        const field = el('div', { class: 'field', 'data-part': 'value' }, el('label', { text: t('ui-text') }));
        field.append(
          paired
            ? pairedEditor(m.fields.value, open.sourceFields.value, open.editable, nameOf(m))
            : valueEditor(m.fields.value, open.editable, nameOf(m)),
        );
        form.append(field);
      }
      for (const attribute of m.fields.attributes) {
        const field = el('div', { class: 'field', 'data-part': 'attribute', 'data-name': attribute.name });
        field.append(el('label', { text: `.${attribute.name}` }), valueEditor(attribute.value, open.editable, `${open.id}.${attribute.name}`));
        form.append(field);
      }
      form.addEventListener('input', changed);
    }
    panel.append(form);
    const actions = el('div', { class: 'actions' });
    const mode = el('button', { type: 'button', class: 'mode', text: open.raw ? t('ui-mode-fields') : t('ui-mode-source') });
    mode.addEventListener('click', toggleMode);
    actions.append(mode);
    if (m.review && m.review.state === 'approved') {
      panel.append(el('p', { class: 'review approved', text: t('ui-approved-by', { name: m.review.approved_by }) }));
    }
    if (open.approvable && m.review && m.review.state === 'translated') {
      const approve = el('button', { type: 'button', class: 'approve', text: t('ui-approve') });
      approve.addEventListener('click', approveMessage);
      actions.append(approve);
    }
    if (open.editable) {
      const save = el('button', { type: 'button', class: 'save', text: t('ui-save') });
      save.addEventListener('click', saveMessage);
      actions.append(save);
      if (m.state === 'stale') {
        const accept = el('button', { type: 'button', class: 'accept', text: t('ui-accept') });
        accept.addEventListener('click', acceptMessage);
        actions.append(accept);
      }
    }
    panel.append(actions, el('p', { class: 'said', role: 'status' }), el('ul', { class: 'findings' }), el('div', { class: 'conflict', hidden: true }));
    if (open.editable && open.suggestions) panel.append(suggestionList(open.suggestions));
    if (open.history && open.history.length > 1) panel.append(historyList(open.history));
    findingsList(m.findings, []);
    if (open.dirty) say(t('ui-unsaved'), 'unsaved');
    markTerms(m.terms || []);
    highlight();
    applyView();
  }

  // A word diff's runs: what was removed struck, what was added marked.
  function diffLine(runs) {
    const diff = el('p', { class: 'diff' });
    for (const run of runs) {
      const tag = run.op === 'added' ? 'ins' : run.op === 'removed' ? 'del' : 'span';
      diff.append(el(tag, { text: run.text }));
    }
    return diff;
  }

  // ---- the office's terminology: the glossary's terms in the English ----
  const termTitle = (term) =>
    [t('ui-term-write', { renderings: term.renderings.join(' / ') }),
      ...(term.forbidden.length ? [t('ui-term-avoid', { forbidden: term.forbidden.join(' / ') })] : [])]
      .join('; ');

  function termList(terms) {
    const list = el('ul');
    for (const term of terms) {
      list.append(el('li', {},
        el('span', { class: 'term', lang: open_source_lang(), text: term.term }),
        ` — ${termTitle(term)}`));
    }
    // A long list folds away: the underlines and their titles stay.
    const box = el('details', { class: 'terms' }, el('summary', { text: t('ui-terms', { count: terms.length }) }), list);
    box.open = terms.length <= 3;
    return box;
  }

  // Underlines the glossary's terms where the English shows (never in the
  // translation being typed), each titled with its renderings.
  function markTerms(terms) {
    if (!terms.length) return;
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const byWords = new Map(terms.map((term) => [term.term.toLowerCase(), term]));
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])(${terms.map((term) => escape(term.term).replace(/ +/g, '\\s+')).sort((a, b) => b.length - a.length).join('|')})(?![\\p{L}\\p{N}])`,
      'giu',
    );
    const places = panel.querySelectorAll('.source .flow, .pair > .from .flow, .source .diff, .source pre');
    for (const place of places) {
      const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => (node.parentElement.closest('.chip, .term') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      for (const node of nodes) {
        const text = node.textContent;
        pattern.lastIndex = 0;
        if (!pattern.test(text)) continue;
        pattern.lastIndex = 0;
        const parts = document.createDocumentFragment();
        let at = 0;
        for (const match of text.matchAll(pattern)) {
          const term = byWords.get(match[1].toLowerCase().replace(/\s+/g, ' '));
          if (!term) continue;
          parts.append(text.slice(at, match.index));
          parts.append(el('mark', { class: 'term', title: termTitle(term), text: match[1] }));
          at = match.index + match[1].length;
        }
        parts.append(text.slice(at));
        node.replaceWith(parts);
      }
    }
  }

  // Between fields and Fluent source, through the server, which writes
  // Fluent as a save would and reads it back into fields.
  // ---- a message's history, from git: who changed it, when and how ----
  async function loadHistory(open) {
    const answer = await api('GET', `/api/release/${release}/${open.lang}/history/${encodeURIComponent(open.id)}`);
    if (!answer.ok || editor.open !== open) return;
    open.history = answer.data.versions;
    if (open.history.length > 1) placeSection('history', historyList(open.history));
  }

  // Adds (or replaces) a section under the open message without drawing
  // the panel again: what the translator is typing stays as it is.
  function placeSection(name, node) {
    const old = panel.querySelector(`:scope > .${name}`);
    if (old) old.replaceWith(node);
    else panel.append(node);
  }

  function historyList(versions) {
    const box = el('details', { class: 'history' }, el('summary', { text: t('ui-history', { count: versions.length }) }));
    versions.forEach((v, i) => {
      const diff = diffLine(v.changes);
      const row = el('div', { class: 'version' },
        el('span', { class: 'who', text: t('ui-version-by', { name: v.author, date: v.at.slice(0, 16).replace('T', ' ') }) }),
        diff);
      // The newest is what is saved now; the others can come back.
      if (i > 0 && v.text && editor.open.editable) {
        const restore = el('button', { type: 'button', class: 'restore', text: t('ui-restore') });
        restore.addEventListener('click', () => {
          // Unsaved typing is the translator's: never replaced unasked.
          if (editor.open.dirty && !window.confirm(t('ui-restore-unsaved'))) return;
          editor.open.rawText = v.text.endsWith('\n') ? v.text : `${v.text}\n`;
          editor.open.raw = true;
          render();
          changed();
        });
        row.append(restore);
      }
      box.append(row);
    });
    return box;
  }

  // ---- the translation memory: the archive's translations of like English ----
  async function loadSuggestions(open) {
    const answer = await api('GET', `/api/release/${release}/${open.lang}/suggest/${encodeURIComponent(open.id)}`);
    if (!answer.ok || editor.open !== open) return;
    open.suggestions = answer.data.paragraphs.filter((p) => p.suggestions.length);
    if (open.suggestions.length && open.editable) placeSection('suggestions', suggestionList(open.suggestions));
  }

  function suggestionList(paragraphs) {
    const box = el('section', { class: 'suggestions' }, el('h3', { text: t('ui-suggestions') }));
    for (const p of paragraphs) {
      for (const s of p.suggestions) {
        const insert = el('button', { type: 'button', class: 'insert', text: t('ui-insert-suggestion') });
        insert.addEventListener('click', () => insertSuggestion(p.paragraph, s.text));
        box.append(
          el('div', { class: 'suggestion' },
            el('span', { class: 'score', text: `${s.score} %` }),
            el('span', { class: 'text', text: plain(`x = ${s.text}`) }),
            el('span', { class: 'from', text: t('ui-suggestion-from', { release: s.release }) }),
            insert),
        );
      }
    }
    return box;
  }

  // Puts a suggestion in place of paragraph `index` of the text being
  // edited, through the server's Fluent (placeables stay placeables), and
  // shows the result as Fluent source, unsaved.
  async function insertSuggestion(index, text) {
    const open = editor.open;
    const answer = await api('POST', '/api/draft', currentEdit());
    if (!answer.ok) {
      say(answer.data.error, 'error');
      return;
    }
    const entry = answer.data.entry;
    const eq = entry.indexOf('=');
    const head = entry.slice(0, eq + 1);
    const lines = entry.slice(eq + 1).split('\n');
    const attributes = [];
    const paragraphs = [[]];
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed.startsWith('.')) attributes.push(line);
      else if (!trimmed) {
        if (paragraphs[paragraphs.length - 1].length) paragraphs.push([]);
      } else paragraphs[paragraphs.length - 1].push(trimmed);
    }
    if (!paragraphs[paragraphs.length - 1].length) paragraphs.pop();
    while (paragraphs.length <= index) paragraphs.push([]);
    paragraphs[index] = [text];
    const body = paragraphs.map((p) => p.map((l) => `    ${l}`).join('\n')).join('\n\n');
    open.rawText = `${head}\n${body}\n${attributes.map((a) => `${a}\n`).join('')}`;
    open.raw = true;
    render();
    changed();
  }

  async function toggleMode() {
    const open = editor.open;
    const answer = await api('POST', '/api/draft', currentEdit());
    if (!answer.ok) {
      say(answer.data.error, 'error');
      return;
    }
    if (!open.raw) {
      open.rawText = answer.data.entry;
      open.raw = true;
    } else if (answer.data.fields) {
      open.message.fields = answer.data.fields;
      open.rawText = answer.data.entry;
      open.raw = false;
    } else {
      say(t('ui-not-fields'), 'error');
      return;
    }
    render();
    if (open.dirty) say(t('ui-unsaved'), 'unsaved');
  }

  async function openMessage(lang, id) {
    await wordsLoaded;
    const leaving = editor.open;
    if (leaving && leaving.dirty && !(leaving.lang === lang && leaving.id === id)) {
      // Kept in this browser, and back when the message is opened again;
      // the pages show what is saved, as the panel no longer holds it.
      keepDraft(leaving);
      preview.showSaved();
    }
    const [target, source] = await Promise.all([
      api('GET', `/api/release/${release}/${lang}/message/${encodeURIComponent(id)}`),
      api('GET', `/api/release/${release}/${preview.languages[0]}/message/${encodeURIComponent(id)}`),
    ]);
    if (!target.ok) {
      editor.errors.push(target.data);
      return;
    }
    const list = await api('GET', `/api/release/${release}/${lang}/messages`);
    const sourceLang = preview.languages[0];
    let editable = list.ok && list.data.editable;
    let why = '';
    if (!token()) {
      editable = false;
      why = t('ui-no-token');
    } else if (!editable) {
      // In the team service a person's roles decide, not how serve started.
      why = document.body.dataset.person
        ? t('team-not-yours', { lang: languageName(lang) })
        : lang === sourceLang
          ? t('ui-source-language', { lang: languageName(lang) })
          : t('ui-read-only');
    }
    const m = target.data;
    editor.open = {
      lang,
      id,
      message: m,
      editable,
      // A reviewer of this language may approve a translation as it is.
      approvable: !!(list.ok && list.data.approvable && token()),
      why,
      raw: false,
      rawText: m.text || `${id} = \n`,
      base: m.base,
      sourceLang,
      sourceText: source.ok ? source.data.text : null,
      sourceFields: source.ok ? source.data.fields : null,
      seq: 0,
      inFlight: false,
      pending: false,
      timer: null,
      dirty: false,
      failed: false,
      restored: null,
    };
    if (editable && lang !== sourceLang) loadSuggestions(editor.open);
    loadHistory(editor.open);
    const kept = editable ? keptDraft(lang, id) : null;
    if (kept) {
      if (kept.edit.source !== undefined) {
        editor.open.raw = true;
        editor.open.rawText = kept.edit.source;
      } else if (kept.edit.fields) {
        editor.open.message = { ...m, fields: kept.edit.fields };
      }
      // Saved against the file as it was then: a change on disk since is
      // a conflict, shown, never overwritten.
      editor.open.base = kept.base;
      editor.open.dirty = true;
      editor.open.restored = kept.at;
    }
    render();
    if (kept) {
      sendDraft();
    }
  }

  // ---- drafts as one types ----

  function changed() {
    const open = editor.open;
    if (!open || !open.editable) return;
    open.dirty = true;
    keepDraft(open);
    say(t('ui-unsaved'), 'unsaved');
    clearTimeout(open.timer);
    open.timer = setTimeout(sendDraft, DEBOUNCE_MS);
  }

  async function sendDraft() {
    const open = editor.open;
    if (!open) return;
    if (open.inFlight) {
      open.pending = true;
      return;
    }
    open.inFlight = true;
    const seq = ++open.seq;
    const record = { seq, sent: Date.now(), shown: null, lang: open.lang };
    editor.drafts.push(record);
    const answer = await api('POST', '/api/draft', currentEdit());
    open.inFlight = false;
    if (editor.open === open) {
      if (answer.ok) {
        findingsList(answer.data.findings, answer.data.errors);
        if (answer.data.pages) {
          await preview.showDraft(open.lang, answer.data.pages, seq);
          record.shown = Date.now();
        }
      } else {
        findingsList([{ severity: 'error', message: answer.data.error }], []);
      }
    }
    if (open.pending) {
      open.pending = false;
      sendDraft();
    }
  }

  // ---- save, conflicts, accept ----

  function showConflict(data, edit) {
    const box = panel.querySelector('.conflict');
    box.hidden = false;
    const overwrite = el('button', { type: 'button', class: 'overwrite', text: t('ui-overwrite') });
    const reload = el('button', { type: 'button', class: 'reload', text: t('ui-take-disk') });
    box.replaceChildren(
      el('h3', { text: t('ui-conflict', { file: data.file }) }),
      el('div', { class: 'versions' },
        el('section', {}, el('h4', { text: t('ui-on-disk') }), el('pre', { class: 'disk', text: data.disk || '—' })),
        el('section', {}, el('h4', { text: t('ui-yours') }), el('pre', { class: 'yours', text: data.yours || '' })),
      ),
      el('div', { class: 'actions' }, overwrite, reload),
    );
    overwrite.addEventListener('click', () => {
      editor.open.base = data.base;
      box.hidden = true;
      saveMessage(edit);
    });
    reload.addEventListener('click', () => {
      // The translator chose the version on disk: theirs is let go.
      editor.open.dirty = false;
      dropDraft(editor.open.lang, editor.open.id);
      openMessage(editor.open.lang, editor.open.id);
    });
  }

  async function saveMessage(again) {
    const open = editor.open;
    const edit = again && again.release ? again : currentEdit();
    const answer = await api('POST', '/api/save', { ...edit, base: open.base });
    editor.saves.push({ status: answer.status, data: answer.data });
    if (answer.ok) {
      open.base = answer.data.base;
      open.dirty = false;
      open.failed = false;
      dropDraft(open.lang, open.id);
      say(`${t('ui-saved')}: ${answer.data.file}`, 'saved');
      // Its state (stale, missing) may have changed with the save.
      const fresh = await api('GET', `/api/release/${release}/${open.lang}/message/${encodeURIComponent(open.id)}`);
      if (fresh.ok && editor.open === open) {
        open.message.state = fresh.data.state;
        const state = panel.querySelector('.state');
        if (state) {
          state.textContent = stateWord(fresh.data.state);
          state.dataset.state = fresh.data.state;
          state.className = `state ${fresh.data.state}`;
        }
        findingsList(fresh.data.findings, []);
      }
    } else if (answer.status === 409) {
      say(t('ui-not-saved-conflict'), 'error');
      showConflict(answer.data, edit);
    } else {
      open.failed = true;
      keepDraft(open);
      say(t('ui-not-saved', { error: answer.data.error }), 'error');
      const retry = el('button', { type: 'button', class: 'retry', text: t('ui-retry') });
      retry.addEventListener('click', () => saveMessage());
      const line = panel.querySelector('.said');
      if (line) line.append(' ', retry);
    }
  }

  // Approve and accept: the open message as it is, then shown anew.
  async function markMessage(path, done, refused) {
    const open = editor.open;
    const answer = await api('POST', path, { release, lang: open.lang, id: open.id });
    if (answer.ok) {
      await openMessage(open.lang, open.id);
      say(t(done), 'saved');
    } else {
      say(t(refused, { error: answer.data.error }), 'error');
    }
  }
  function approveMessage() {
    return markMessage('/api/approve', 'ui-approved', 'ui-not-approved');
  }
  function acceptMessage() {
    return markMessage('/api/accept', 'ui-accepted', 'ui-not-accepted');
  }

  // ---- every message, listed ----
  // The release's texts and the office's words (terms, dates, labels, web
  // and e-mail words): searchable in any language, filtered to what is
  // missing or stale, each saying where it prints.
  editor.list = { lang: null, filter: 'all', query: '', messages: [], source: {} };

  async function loadList(lang) {
    const sourceLang = preview.languages[0];
    const [target, source] = await Promise.all([
      api('GET', `/api/release/${release}/${lang}/messages`),
      lang === sourceLang ? null : api('GET', `/api/release/${release}/${sourceLang}/messages`),
    ]);
    if (!target.ok) {
      say(target.data.error, 'error');
      return false;
    }
    editor.list.lang = lang;
    editor.list.messages = target.data.messages || [];
    editor.list.source = {};
    for (const m of (source && source.ok ? source.data.messages : target.data.messages) || []) {
      editor.list.source[m.id] = m;
    }
    return true;
  }

  // A message's text as a line to read, not Fluent: placeables as `{…}`.
  function plain(entry) {
    if (!entry) return '';
    const at = entry.indexOf('=');
    return entry.slice(at + 1).split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  }

  function unfinished(m) {
    return m.state === 'missing' || m.state === 'stale';
  }

  function listed() {
    const { messages, filter, query, source } = editor.list;
    const q = query.trim().toLocaleLowerCase();
    return messages.filter((m) => {
      if (filter === 'todo' && !unfinished(m)) return false;
      if (filter === 'review' && !(m.review && m.review.state === 'translated')) return false;
      if (!q) return true;
      const haystack = [m.id, m.label, plain(m.text), plain(source[m.id] && source[m.id].source)].join(' ');
      return haystack.toLocaleLowerCase().includes(q);
    });
  }

  async function showList(lang) {
    await wordsLoaded;
    const open = editor.open;
    if (open && open.dirty) keepDraft(open);
    const wanted = lang || (open && open.lang) || editor.list.lang || preview.languages[preview.languages.length - 1];
    // Fresh each time: states change with every save and source edit.
    if (!(await loadList(wanted))) return;
    editor.open = null;
    document.body.classList.add('editing');
    panel.hidden = false;
    panel.replaceChildren();
    const tabs = el('nav', { class: 'langs' });
    for (const l of preview.languages) {
      const tab = el('button', { type: 'button', text: languageName(l), title: l, 'data-lang': l });
      if (l === editor.list.lang) tab.setAttribute('aria-current', 'true');
      tab.addEventListener('click', () => showList(l));
      tabs.append(tab);
    }
    const close = el('button', { type: 'button', class: 'close', text: '×', title: t('ui-close-list') });
    close.setAttribute('aria-label', t('ui-close-list'));
    close.addEventListener('click', () => {
      panel.hidden = true;
      document.body.classList.remove('editing');
    });
    const search = el('input', { type: 'search', class: 'search', value: editor.list.query, placeholder: t('ui-search') });
    search.setAttribute('aria-label', t('ui-search'));
    const filter = el('select', { class: 'filter' },
      el('option', { value: 'all', text: t('ui-filter-all') }),
      el('option', { value: 'todo', text: t('ui-filter-todo') }),
      el('option', { value: 'review', text: t('ui-filter-review') }));
    filter.value = editor.list.filter;
    filter.setAttribute('aria-label', t('ui-filter'));
    const items = el('ul', { class: 'messages' });
    const fill = () => {
      items.replaceChildren();
      for (const m of listed()) {
        const source = editor.list.source[m.id];
        const button = el('button', { type: 'button', class: `message ${m.state}`, 'data-id': m.id },
          el('span', { class: 'label', text: nameOf(m) }),
          el('span', { class: `state ${m.state}`, 'data-state': m.state, text: stateWord(m.state) }),
          el('span', { class: 'text', text: plain(m.text) || plain(source && source.source) }),
          el('span', { class: 'shows', text: (m.shows || []).map((w) => t(`shows-${w}`)).join(', ') }));
        button.addEventListener('click', () => openMessage(editor.list.lang, m.id));
        items.append(el('li', {}, button));
      }
      count.textContent = t('ui-count', { shown: items.children.length, all: editor.list.messages.length });
    };
    const count = el('span', { class: 'count' });
    search.addEventListener('input', () => {
      editor.list.query = search.value;
      fill();
    });
    filter.addEventListener('change', () => {
      editor.list.filter = filter.value;
      fill();
    });
    panel.append(
      el('header', {}, el('h2', { text: t('ui-messages') }), tabs, close),
      el('div', { class: 'listbar' }, search, filter, count),
      el('p', { class: 'keys' }, t('ui-keys'), ' ', uiChooser()),
      items,
    );
    fill();
    highlight();
    applyView();
    regionButtons();
  }
  editor.showList = showList;

  // The next (or previous) missing or stale message of the language open,
  // as Pontoon moves: Alt+↓, Alt+↑.
  async function step(direction) {
    const lang = (editor.open && editor.open.lang) || editor.list.lang || preview.languages[preview.languages.length - 1];
    if (!(await loadList(lang))) return;
    const todo = editor.list.messages.filter(unfinished);
    if (!todo.length) {
      say(t('ui-nothing-todo'), 'saved');
      return;
    }
    const ids = editor.list.messages.map((m) => m.id);
    const here = editor.open ? ids.indexOf(editor.open.id) : -1;
    const order = direction > 0 ? todo : [...todo].reverse();
    const next =
      order.find((m) => (direction > 0 ? ids.indexOf(m.id) > here : ids.indexOf(m.id) < here || here < 0)) || order[0];
    openMessage(lang, next.id);
  }
  document.addEventListener('keydown', (event) => {
    if (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      step(event.key === 'ArrowDown' ? 1 : -1);
    }
  });
  if (listButton) {
    listButton.hidden = false;
    listButton.addEventListener('click', () => showList());
  }

  // Losing and regaining pressroom, said in the panel.
  preview.onConnection.push((connected) => {
    editor.connected = connected;
    const banner = panel.querySelector('.offline');
    if (banner) banner.hidden = connected;
    if (connected && editor.open && editor.open.failed) {
      say(t('ui-back'), 'unsaved');
    }
  });

  editor.openMessage = openMessage;
})();
