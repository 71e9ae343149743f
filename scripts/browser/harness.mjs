// What the browser tests and the latency benchmark share: their checks, a throwaway copy of
// the shipped project, `pressroom serve` on it, Debian's chromium, and saves
// the way editors make them (write a temporary file, rename it over).

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// A script's checks, each printed as it is made; `failed` records an error
// thrown on the way; `finish` exits 1 if any check failed, else prints `done`.
export function checks() {
  const failures = [];
  return {
    check(ok, what) {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
      if (!ok) failures.push(what);
    },
    failed(error, detail = '') {
      failures.push(String(error && error.stack ? error.stack : error));
      console.log(`FAIL ${error}${detail}`);
    },
    finish(done) {
      if (failures.length) {
        console.log(`${failures.length} failure(s)`);
        process.exit(1);
      }
      if (done) console.log(done);
    },
  };
}

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REFERENCE = '2015-03-11-eu-central-asia-security-dialogue';

export function copyProject() {
  const dir = mkdtempSync(join(tmpdir(), 'pressroom-browser-'));
  for (const item of ['pressroom.toml', 'releases', 'locales', 'layouts']) {
    cpSync(join(REPO, item), join(dir, item), { recursive: true });
  }
  return dir;
}

export function saveByRename(path, text) {
  const tmp = join(dirname(path), `.${basename(path)}.swp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export const read = (path) => readFileSync(path, 'utf8');

// Starts `pressroom serve --port 0` and resolves with its URL once the
// first build is done.
export function serve(binary, root, args = [], port = 0) {
  const child = spawn(binary, ['--root', root, '--color', 'never', 'serve', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolveUrl, reject) => {
    let url = null;
    const timer = setTimeout(() => reject(new Error(`pressroom serve did not start:\n${output}`)), 60000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const found = output.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)(?:\?token=([0-9a-f]+))?/);
      if (found) url = found[1];
      if (url && output.includes('watching')) {
        clearTimeout(timer);
        // The editor's token, and the address with it (what `serve` prints).
        const token = found ? found[2] : null;
        const editUrl = token ? `${url}?token=${token}` : url;
        resolveUrl({ url, token, editUrl, stop: () => child.kill('SIGINT'), output: () => output });
      }
    });
    child.on('exit', (code) => reject(new Error(`pressroom serve exited (${code}):\n${output}`)));
  });
}

// Debian's chromium, as a root user on a closed network may run it.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function removeProject(dir) {
  rmSync(dir, { recursive: true, force: true });
}
