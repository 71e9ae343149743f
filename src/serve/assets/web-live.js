// The web edition as the preview shows it: reload the page once what it
// is made from has been rebuilt. A release's page waits for that release;
// the archive, feeds' pages and front door for any change.
(() => {
  'use strict';
  const script = document.currentScript;
  const release = script.dataset.release;
  const events = new EventSource(release ? `/release/${release}/events` : '/events');
  let changed = false;
  events.addEventListener('output', (event) => {
    const output = JSON.parse(event.data);
    if (!release || output.release === release) changed = true;
  });
  events.addEventListener('settled', () => {
    if (changed || !release) {
      events.close();
      window.location.reload();
    }
  });
})();
