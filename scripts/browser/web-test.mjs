// The web edition in a real browser: `pressroom publish` on a copy of a
// project, the site served over HTTP, every page opened in Debian's
// chromium and checked by axe-core for WCAG 2.1 AA (no violation allowed).
// A right-to-left page must say so and mirror: its language switcher sits
// on the left. Each e-mail's HTML part must fit a phone: no sideways scroll
// at 320, 375 and 414 px. Screenshots go to the artifacts folder.
//
// usage: node scripts/browser/web-test.mjs <pressroom binary> [artifacts dir] [overlay dir]
// An overlay's files are laid over the copy of the shipped project (more
// languages, say: tests/editions/more-languages).

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { checks, launch, removeProject, REPO } from './harness.mjs';

const binary = resolve(process.argv[2] || 'target/debug/pressroom');
const artifacts = resolve(process.argv[3] || 'ci-artifacts/browser');
const overlay = process.argv[4] ? resolve(process.argv[4]) : null;
mkdirSync(artifacts, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const { check, failed, finish } = checks();

const root = mkdtempSync(join(tmpdir(), 'pressroom-web-'));
for (const item of ['pressroom.toml', 'releases', 'locales', 'layouts', 'fonts']) {
  if (existsSync(join(REPO, item))) cpSync(join(REPO, item), join(root, item), { recursive: true });
}
if (overlay) cpSync(overlay, root, { recursive: true });
execFileSync(binary, ['--root', root, '--color', 'never', '-q', 'publish', '--email'], { stdio: 'inherit' });
const site = join(root, 'out', 'site');

// Each e-mail's HTML part, as a mail client gets it (Python's email package
// reads the MIME).
const mails = join(root, 'out', 'email');
const emailParts = JSON.parse(
  execFileSync('python3', ['-c', `
import base64, email, email.policy, json, pathlib, sys
parts = {}
for eml in sorted(pathlib.Path(sys.argv[1]).glob('*.eml')):
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    html = message.get_body(preferencelist=('html',)).get_content()
    # What a mail client does with cid: links: the related part's image.
    for part in message.walk():
        cid = (part['Content-ID'] or '').strip('<>')
        if cid:
            data = base64.b64encode(part.get_content()).decode()
            html = html.replace('cid:' + cid, 'data:' + part.get_content_type() + ';base64,' + data)
    parts[eml.name] = html
print(json.dumps(parts))
`, mails], { encoding: 'utf8', maxBuffer: 64 << 20 }),
);

const pages = [];
(function walk(dir, rel) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, `${rel}${name}/`);
    else if (name.endsWith('.html')) pages.push(`${rel}${name}`);
  }
})(site, '');

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.json': 'application/json', '.xml': 'application/xml', '.pdf': 'application/pdf' };
const server = createServer((request, response) => {
  const path = join(site, decodeURIComponent(new URL(request.url, 'http://x').pathname));
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  if (!file.startsWith(site) || !existsSync(file) || statSync(file).isDirectory()) {
    response.writeHead(404);
    response.end();
    return;
  }
  response.writeHead(200, { 'Content-Type': types[extname(file)] || 'application/octet-stream' });
  response.end(readFileSync(file));
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const rel of pages.sort()) {
    await page.goto(base + rel);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    );
    const violations = result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help}`);
    check(violations.length === 0, `axe WCAG 2.1 AA: ${rel}${violations.length ? `\n    ${violations.join('\n    ')}` : ''}`);
    const layout = await page.evaluate(() => {
      const nav = document.querySelector('nav.languages');
      const brand = document.querySelector('.letterhead .office');
      return {
        dir: document.documentElement.dir,
        computed: getComputedStyle(document.body).direction,
        nav: nav ? nav.getBoundingClientRect().left : null,
        brand: brand ? brand.getBoundingClientRect().left : null,
      };
    });
    const emblem = await page.evaluate(() => {
      const img = document.querySelector('.letterhead img.flag');
      return img ? img.complete && img.naturalWidth > 0 : null;
    });
    check(emblem === true, `${rel}: the emblem shows`);
    // Every letter in the office's faces, shipped with the site: the
    // platform fonts Chromium used for the text are web fonts only.
    await page.evaluate(() => document.fonts.ready);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root: dom } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
      nodeId: dom.nodeId,
      selector: 'main h1, main h2, main p, main li, main address, .letterhead .office span, nav.languages a',
    });
    const system = new Set();
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const font of fonts) if (!font.isCustomFont) system.add(font.familyName);
    }
    check(nodeIds.length > 0 && system.size === 0, `${rel}: ${nodeIds.length} texts in the shipped faces only${system.size ? ` (system fallback: ${[...system].join(', ')})` : ''}`);
    await cdp.detach();
    if (layout.dir === 'rtl') {
      check(layout.computed === 'rtl', `${rel}: laid out right to left`);
      if (layout.nav !== null) check(layout.nav < layout.brand, `${rel}: the letterhead mirrors (languages on the left)`);
    }
    if (/\/[^/]+\.html$/.test(rel) && !rel.endsWith('index.html') && !/page-\d+\.html$/.test(rel)) {
      await page.screenshot({ path: join(artifacts, `web-${rel.replace(/[/.]/g, '-')}.png`), fullPage: true });
    }
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => {
      const nav = document.querySelector('nav.languages');
      return !nav || getComputedStyle(nav).display === 'none';
    });
    check(printed, `${rel}: print style hides the navigation`);
    await page.emulateMedia({ media: 'screen' });
  }
  check(pages.length > 0, `${pages.length} pages checked`);

  // The e-mails on phones: as wide as the screen, never wider.
  for (const [name, html] of Object.entries(emailParts)) {
    for (const width of [320, 375, 414]) {
      await page.setViewportSize({ width, height: 800 });
      await page.setContent(html);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      check(wide <= width, `${name} at ${width} px: no sideways scroll (content ${wide} px wide)`);
      if (width === 320) {
        await page.screenshot({ path: join(artifacts, `email-${name.replace(/[/.]/g, '-')}-320.png`), fullPage: true });
      }
    }
  }
  check(Object.keys(emailParts).length > 0, `${Object.keys(emailParts).length} e-mails checked on phones`);
} catch (error) {
  failed(error);
} finally {
  await browser.close();
  server.close();
  removeProject(root);
}
finish('web edition: all checks passed');
