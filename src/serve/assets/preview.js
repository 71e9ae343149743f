// pressroom's preview: keeps the page live. The server sends an event for
// each rebuilt output, naming its pages by content hash; only the pages that
// changed are fetched, decoded off-screen and swapped in, so the scroll
// position stays. Text from the server goes in with textContent only.
'use strict';

(() => {
  const kind = document.body.dataset.page;
  if (!kind) return;
  const release = document.body.dataset.release;
  const connection = document.getElementById('connection');
  // For tests and the latency benchmark: when each output's pages landed.
  const record = (window.pressroom = { events: [], swaps: [], connected: false, shown: [] });

  let lastRows = [];
  function applyStatus(rows) {
    lastRows = rows;
    const byKey = new Map(rows.map((row) => [`${row.release}/${row.lang}`, row]));
    for (const cell of document.querySelectorAll('[data-status]')) {
      const row = byKey.get(cell.dataset.status);
      if (!row) continue;
      // In the interface's language once the editor has its words.
      cell.textContent = record.statusLabel ? record.statusLabel(row) : row.label;
      cell.className = `status ${row.done ? 'done' : 'todo'}`;
    }
  }

  async function refreshIndex() {
    const response = await fetch('/', { cache: 'no-store' });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.getElementById('releases');
    const table = document.getElementById('releases');
    if (fresh && table) table.replaceWith(document.adoptNode(fresh));
  }

  // The release page.
  const columns = document.getElementById('columns');
  const overlay = document.getElementById('overlay');
  const stateNode = document.getElementById('state');
  const state = stateNode ? JSON.parse(stateNode.textContent) : null;
  const languages = state ? state.languages : [];
  const outputs = state ? state.outputs : {};
  let problems = state ? state.problems : [];
  // An output's newest event; an older one still decoding must not win.
  const latest = {};

  const rows = () => [...columns.querySelectorAll('.row.pages')];

  function addRow() {
    const row = document.createElement('div');
    row.className = 'row pages';
    for (const lang of languages) {
      const figure = document.createElement('figure');
      figure.className = 'page empty';
      figure.dataset.lang = lang;
      // The page's alternative text is read in its own language.
      figure.lang = lang;
      row.append(figure);
    }
    columns.append(row);
    return row;
  }

  function trimRows() {
    for (const row of rows().reverse()) {
      if (row.querySelector('img')) break;
      row.remove();
    }
  }

  function head(lang) {
    return [...columns.querySelectorAll('.row.heads .head')].find((h) => h.dataset.lang === lang);
  }

  function renderOverlay() {
    // One entry per distinct error, naming every language it concerns.
    const seen = new Map();
    const all = [...problems, ...languages.flatMap((lang) => (outputs[lang] ? outputs[lang].errors : []))];
    for (const error of all) {
      const entry = seen.get(error.text);
      if (entry) {
        if (error.language && !entry.languages.includes(error.language)) entry.languages.push(error.language);
      } else {
        seen.set(error.text, { error, languages: error.language ? [error.language] : [] });
      }
    }
    overlay.replaceChildren();
    overlay.hidden = seen.size === 0;
    if (seen.size === 0) return;
    const title = document.createElement('h2');
    title.textContent =
      seen.size === 1 ? 'The last save does not build' : `The last save does not build: ${seen.size} errors`;
    const note = document.createElement('p');
    note.textContent = 'The pages below are the last good build. Fix the source and save: this clears itself.';
    overlay.append(title, note);
    for (const { error, languages: langs } of seen.values()) {
      const item = document.createElement('article');
      item.className = 'error';
      const where = document.createElement('div');
      where.className = 'where';
      let place = error.file || '';
      if (error.file && error.line) place += `:${error.line}:${error.column}`;
      if (langs.length) place += ` [${langs.join(', ')}]`;
      where.textContent = place;
      const message = document.createElement('div');
      message.className = 'message';
      message.textContent = error.message;
      const detail = document.createElement('pre');
      detail.textContent = error.text;
      item.append(where, message, detail);
      overlay.append(item);
    }
  }

  // An output's updates run one after another: a newer one waits for the
  // one in progress (which stops early once it sees it is outdated), so two
  // never work on the same figures at once.
  const queues = {};
  // The newest build of each output seen: an older one arriving later (a
  // resync's state fetched before the last event) is ignored.
  const seen = {};
  function showOutput(output) {
    if (!output || languages.indexOf(output.lang) < 0) return Promise.resolve();
    if ((output.version || 0) < (seen[output.lang] || 0)) return Promise.resolve();
    seen[output.lang] = output.version || 0;
    const mine = (latest[output.lang] = (latest[output.lang] || 0) + 1);
    const queued = (queues[output.lang] || Promise.resolve()).then(() =>
      latest[output.lang] === mine ? show(output, mine) : undefined,
    );
    queues[output.lang] = queued.catch(() => {});
    return queued;
  }

  async function show(output, mine) {
    const column = languages.indexOf(output.lang);
    outputs[output.lang] = output;
    const cell = head(output.lang);
    // Pages drawn from the editor's unsaved text say so until the next build.
    if (cell) cell.classList.toggle('unsaved', !!output.draft);
    const link = cell && cell.querySelector('a.pdf');
    if (link) {
      link.hidden = !output.pdf;
      if (output.pdf) link.href = output.pdf;
    }
    renderOverlay();
    while (rows().length < output.pages.length) addRow();
    // Pages shown as a raster, to be sharpened once all are shown.
    const sharpen = [];
    const swaps = rows().map(async (row, index) => {
      const figure = row.children[column];
      const page = output.pages[index];
      // The page shown, not one still decoding for an older event (which
      // will be dropped).
      const current = figure.querySelector('img:not(.incoming)');
      if (!page) {
        if (current) current.remove();
        figure.classList.add('empty');
        return;
      }
      if (current && (current.dataset.page || current.getAttribute('src')) === page.src) {
        current.alt = page.text;
        return;
      }
      // A changed page is shown first as a raster, which the browser decodes
      // in a few milliseconds, then sharpened: its SVG replaces it once
      // decoded. Each is laid over the old one at its final size.
      if (!page.raster) await swapIn(figure, page, page.src, mine, output.lang);
      else if (await swapIn(figure, page, page.raster, mine, output.lang)) sharpen.push([figure, page]);
    });
    await Promise.all(swaps);
    if (latest[output.lang] !== mine) return;
    trimRows();
    // Recorded at the next frame: when the browser shows the new pages.
    // Sharpening waits until that frame is painted: an SVG page decodes on
    // the main thread for ~100 ms and would hold the frame back.
    await new Promise((painted) =>
      requestAnimationFrame(() => {
        record.swaps.push({
          lang: output.lang,
          at: Date.now(),
          draft: !!output.draft,
          seq: output.seq,
          pages: output.pages.map((p) => p.src),
        });
        for (const hook of record.shown) hook(output.lang);
        setTimeout(painted, 0);
      }),
    );
    if (latest[output.lang] !== mine) return;
    // The bitmap is drawn at about screen resolution: sharpen a page only
    // where the screen has more pixels than it (a high-density display, a
    // zoom), and only once saves pause, so the next change is not held up.
    const blurred = sharpen.filter(([figure]) => {
      const shown = figure.getBoundingClientRect().width * window.devicePixelRatio;
      const image = figure.querySelector('img');
      return image && shown > image.naturalWidth * 1.05;
    });
    if (blurred.length > 0) sharpenLater(blurred, mine, output.lang);
  }

  // Not awaited: the next update of this output need not wait for it.
  async function sharpenLater(blurred, mine, lang) {
    await new Promise((idle) => setTimeout(idle, 400));
    if (latest[lang] !== mine) return;
    await Promise.all(blurred.map(([figure, page]) => swapIn(figure, page, page.src, mine, lang)));
  }

  // Lays image `src` of `page` over what `figure` shows and, once decoded,
  // removes the rest; false when a newer build came first.
  async function swapIn(figure, page, src, mine, lang) {
    const image = new Image(Math.round(page.width), Math.round(page.height));
    image.alt = page.text;
    image.dataset.page = page.src;
    image.className = 'incoming';
    figure.append(image);
    image.src = src;
    try {
      await image.decode();
    } catch (_) {
      // Shown anyway: the browser draws what it can.
    }
    if (latest[lang] !== mine) {
      image.remove();
      return false;
    }
    // The editor's outlines over the page stay.
    for (const old of [...figure.children]) if (old !== image && !old.classList.contains('mark')) old.remove();
    image.className = '';
    figure.classList.remove('empty');
    return true;
  }

  async function resync() {
    if (kind === 'index') return refreshIndex();
    const response = await fetch(`/release/${release}/state.json`, { cache: 'no-store' });
    if (!response.ok) return;
    const fresh = await response.json();
    problems = fresh.problems;
    applyStatus(fresh.status);
    await Promise.all(languages.map((lang) => showOutput(fresh.outputs[lang])));
    renderOverlay();
  }

  // For the editor: the pages shown now, and a way to show a draft's.
  record.output = (lang) => outputs[lang];
  record.languages = languages;
  // The status words again, once they can be said in another language.
  record.relabel = () => applyStatus(lastRows);
  // Back to the saved pages, once the panel no longer holds a draft's text.
  record.showSaved = () => resync();
  // Told when the connection to pressroom is lost and regained.
  record.onConnection = [];
  record.showDraft = (lang, pages, seq) =>
    showOutput({ ...(outputs[lang] || {}), lang, release, pages, draft: true, seq, version: seen[lang] || 0 });

  if (kind === 'release') renderOverlay();
  // A release page's stream also tells the server a tab shows it: only
  // releases someone looks at are rendered.
  const events = new EventSource(kind === 'release' ? `/release/${release}/events` : '/events');
  events.addEventListener('open', () => {
    connection.textContent = record.say ? record.say('ui-live') : 'live';
    connection.className = 'live';
    record.connected = true;
    for (const hook of record.onConnection) hook(true);
    // Perhaps another server (restarted): its builds count from zero.
    for (const lang of Object.keys(seen)) delete seen[lang];
    // Whatever happened while not connected (or before this page loaded).
    resync();
  });
  events.addEventListener('error', () => {
    connection.textContent = record.say ? record.say('ui-reconnecting') : 'reconnecting…';
    connection.className = 'lost';
    record.connected = false;
    for (const hook of record.onConnection) hook(false);
  });
  events.addEventListener('output', (event) => {
    const output = JSON.parse(event.data);
    record.events.push({ release: output.release, lang: output.lang, at: Date.now() });
    if (kind === 'release' && output.release === release) showOutput(output);
  });
  events.addEventListener('settled', (event) => {
    const data = JSON.parse(event.data);
    applyStatus(data.status);
    if (kind === 'index') {
      refreshIndex();
    } else {
      problems = data.problems.filter((p) => !p.release || p.release === release);
      renderOverlay();
    }
  });
})();
