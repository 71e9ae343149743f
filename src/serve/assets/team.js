// pressroom's team service in the browser: the sign-in form, the press
// office desk (finals, signatures, publication), and on the preview pages
// who is signed in with a way out. Every change goes as JSON with the
// session's token (the page carries it as data-csrf); text from the server
// goes in with textContent only. Without a signed-in person (the local
// `pressroom serve`), it does nothing on the preview pages.
'use strict';

(() => {
  const body = document.body;
  const csrf = body.dataset.csrf || '';

  async function send(path, data) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Pressroom-Token': csrf },
      body: JSON.stringify(data),
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (_) {
      answer = null;
    }
    return { ok: response.ok, status: response.status, data: answer, response };
  }

  async function signOut() {
    await send('/api/signout', {});
    location.href = '/signin';
  }

  // ---- the sign-in form ----
  if (body.dataset.page === 'signin') {
    const form = document.getElementById('signin');
    const error = document.getElementById('signin-error');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const answer = await send('/api/signin', {
        name: form.elements.name.value,
        password: form.elements.password.value,
      });
      if (answer.ok) {
        // Only a path of this site: never a link elsewhere.
        const next = new URLSearchParams(location.search).get('next') || '/';
        location.href = next.startsWith('/') && !next.startsWith('//') ? next : '/';
        return;
      }
      form.elements.password.value = '';
      if (answer.status === 429) {
        const seconds = answer.response.headers.get('Retry-After') || '30';
        error.textContent = body.dataset.wait.replace('{$seconds}', seconds);
      } else {
        error.textContent = body.dataset.wrong;
      }
      form.elements.password.focus();
    });
    return;
  }

  // ---- the press office desk ----
  if (body.dataset.page === 'desk') {
    const result = document.getElementById('desk-result');
    const buttons = [...document.querySelectorAll('button.build, #publish')];
    function show(answer) {
      result.replaceChildren();
      const data = answer.data || {};
      const head = document.createElement('p');
      head.className = data.ok ? 'done' : 'refused';
      head.textContent = data.ok ? body.dataset.done : body.dataset.refused;
      result.append(head);
      const list = (items, cls) => {
        if (!items || !items.length) return;
        const ul = document.createElement('ul');
        ul.className = cls;
        for (const item of items) {
          const li = document.createElement('li');
          li.textContent = item;
          ul.append(li);
        }
        result.append(ul);
      };
      list(data.problems || (data.error ? [data.error] : []), 'problems');
      if (data.written && data.written.length) {
        const label = document.createElement('p');
        label.textContent = body.dataset.written;
        result.append(label);
        list(data.written, 'written');
      }
    }
    async function act(path, data) {
      for (const b of buttons) b.disabled = true;
      result.replaceChildren();
      const working = document.createElement('p');
      working.className = 'working';
      working.textContent = body.dataset.working;
      result.append(working);
      try {
        show(await send(path, data));
      } catch (_) {
        show({ data: { ok: false, problems: ['—'] } });
      } finally {
        for (const b of buttons) b.disabled = false;
      }
    }
    for (const button of document.querySelectorAll('button.build')) {
      button.addEventListener('click', () =>
        act('/api/office/build', { release: button.dataset.release, sign: button.dataset.sign === 'true' }),
      );
    }
    document.getElementById('publish').addEventListener('click', () =>
      act('/api/office/publish', { email: document.getElementById('publish-email').checked }),
    );
    document.getElementById('signout').addEventListener('click', signOut);
    const syncNow = document.getElementById('sync-now');
    if (syncNow) {
      syncNow.addEventListener('click', async () => {
        syncNow.disabled = true;
        await send('/api/office/sync', {});
        location.reload();
      });
    }
    return;
  }

  // ---- the preview pages: who is signed in ----
  const person = body.dataset.person;
  const header = document.querySelector('header');
  if (!person || !header) return;
  fetch('/assets/ui.json', { cache: 'no-store' })
    .then((r) => r.json())
    .catch(() => ({}))
    .then((words) => {
      const chosen = localStorage.getItem('pressroom-ui');
      let ui = chosen && words[chosen] ? chosen : 'en';
      if (!chosen) {
        for (const tag of navigator.languages || [navigator.language]) {
          const primary = String(tag).split('-')[0].toLowerCase();
          if (words[primary]) {
            ui = primary;
            break;
          }
        }
      }
      const t = (key) => (words[ui] && words[ui][key]) || (words.en && words.en[key]) || key;
      const bar = document.createElement('span');
      bar.className = 'person';
      bar.textContent = t('team-signed-in').replace('{$name}', person);
      header.append(bar);
      if (body.dataset.office === 'true') {
        const desk = document.createElement('a');
        desk.href = '/desk';
        desk.id = 'desk-link';
        desk.textContent = t('team-desk');
        header.append(desk);
      }
      const out = document.createElement('button');
      out.type = 'button';
      out.id = 'signout';
      out.textContent = t('team-signout');
      out.addEventListener('click', signOut);
      header.append(out);
    });
})();
