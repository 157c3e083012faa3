/* global document, sessionStorage, window */ // (in init scripts, which run in the page)
// What the headless webview runners share: building a test page (a fake acquireVsCodeApi + a real
// webview bundle) with KaTeX's assets, serving it with exactly the panel's HTML and CSP from
// extension/common/html.ts, and launching Debian's Chromium with every CSP violation, console error and
// page error collected into `problems` (a runner fails its run when any is left).
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds `entry` (a test page) as `<name>.js`/`.css` into test-output/<outName>/, with KaTeX's CSS and fonts. */
export async function buildPage({ outName, name, entry }) {
  const out = join(ROOT, 'test-output', outName);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'fonts'), { recursive: true });
  copyFileSync(join(ROOT, 'node_modules/katex/dist/katex.min.css'), join(out, 'katex.min.css'));
  for (const f of readdirSync(join(ROOT, 'node_modules/katex/dist/fonts'))) {
    if (f.endsWith('.woff2')) copyFileSync(join(ROOT, 'node_modules/katex/dist/fonts', f), join(out, 'fonts', f));
  }
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { [name]: entry },
    outdir: out,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
  return out;
}

/** Bundles a TypeScript module for node into `out` and imports it. */
export async function importNode(out, entry, outfile) {
  await esbuild.build({ absWorkingDir: ROOT, entryPoints: [entry], outfile: join(out, outfile), bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' });
  return import(pathToFileURL(join(out, outfile)).href);
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.map': 'application/json' };

/**
 * Serves the page built into `out` at / with the panel's HTML and CSP (`panelHtml` from
 * extension/common/html.ts, passed in already bundled), and its files; a missing file is a problem.
 */
export async function servePage({ out, name, title, html, problems }) {
  const { panelHtml, makeNonce } = html;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const origin = `http://${req.headers.host}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(panelHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/${name}.js`, styleUris: [`${origin}/katex.min.css`, `${origin}/${name}.css`], ...(title ? { title } : {}) }));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(out, decodeURIComponent(url.pathname)));
    if (!file.startsWith(out) || !existsSync(file) || !TYPES[extname(file)]) {
      problems.push(`404: ${url.pathname}`);
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Headless Chromium with CSP violations (window.__csp), console errors and page errors recorded. */
export async function launchBrowser({ viewport, deviceScaleFactor = 1, problems }) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'mathlens-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    deviceScaleFactor,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp ??= []).push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Reloads the test page with fresh webview state and waits for the webview's `ready`. */
export async function freshPage(page, base) {
  await page.goto(base);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(base);
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
}

/** Talking to the page as the extension would: post a message, read and clear what the webview posted. */
export function messages(page) {
  return {
    post: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted: () => page.evaluate(() => window.__posted),
    clearPosted: () => page.evaluate(() => (window.__posted.length = 0)),
  };
}
