/* global document */ // (in page.evaluate callbacks, which run in the browser)
// End-to-end harness: a real VS Code (code-server from .tools/) with MathLens loaded,
// driven by Playwright (playwright-core + Debian's /usr/bin/chromium).
//
//   const vs = await launchVSCode({ name: 'gradient' });   // code-server + browser, examples/ open
//   try {
//     await vs.openFile('activations.py');
//     await vs.selectText('1 / (1 + np.exp(-x))');
//     await vs.runCommand('MathLens: Compute Gradient of Selection');
//     const frame = await vs.webviewFrame('Gradient');    // the panel's content frame
//     await vs.screenshot('gradient');                    // test-output/e2e/gradient.png
//   } finally {
//     await vs.close();                                   // always kills code-server
//   }
//
// Every wait is bounded and fails with a message that says what was awaited.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  ROOT,
  EXAMPLES_DIR,
  assertToolsInstalled,
  installExtensionFolder,
  installVsix,
  startCodeServer,
  writeUserSettings,
} from '../../scripts/code-server.mjs';

export const OUTPUT_DIR = join(ROOT, 'test-output', 'e2e');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Sessions still open: killed if this process is interrupted (Ctrl+C, the runner's timeout).
const openSessions = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const s of openSessions) s.server.stop();
    setTimeout(() => process.exit(sig === 'SIGINT' ? 130 : 143), 1000).unref();
    console.error(`e2e: ${sig}: stopping ${openSessions.size} code-server instance(s)`);
  });
}

/** Bounded wait: polls `fn` until it returns a truthy value; throws `what` on timeout. */
/** With `--screenshots` (MATHLENS_UPDATE_SCREENSHOTS=1): copies a screenshot to docs/screenshots/ for the README. */
export function updateDocs(png, name) {
  if (process.env.MATHLENS_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
  copyFileSync(png, join(ROOT, 'docs', 'screenshots', name));
  console.log(`# copied ${png} to docs/screenshots/${name}`);
}

export async function waitFor(what, fn, { timeout = 15_000, interval = 200 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message.split('\n')[0]})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Rejects with `what` if `promise` does not settle within `ms`. */
export function withTimeout(what, promise, ms) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts code-server (fresh profile under test-output/e2e/<name>/) with the extension,
 * opens Chromium on it with `examples/` as the workspace, and waits for the workbench.
 *
 * options.extension: 'folder' (default: the built dist/ copied into the extensions dir as
 *   mathlens.mathlens-<version>), 'vsix' (installs options.vsix with --install-extension),
 *   or 'none'.
 */
export async function launchVSCode({ name = 'session', extension = 'folder', vsix, workspace = EXAMPLES_DIR, viewport = { width: 1400, height: 900 } } = {}) {
  assertToolsInstalled();
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  const dir = join(OUTPUT_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir);
  if (extension === 'folder') installExtensionFolder(extensionsDir);
  else if (extension === 'vsix') installVsix(vsix, { extensionsDir, userDataDir });

  // Tests edit files (Insert NumPy) and VS Code may save them: work on a copy, never on examples/ itself.
  const copy = join(dir, 'workspace');
  cpSync(workspace, copy, { recursive: true });
  workspace = copy;
  const server = await startCodeServer({ userDataDir, extensionsDir, workspace, logFile: join(dir, 'code-server.log') });
  const vs = new VSCodeSession({ name, dir, server, workspace });
  openSessions.add(vs);
  try {
    await vs._open(viewport);
  } catch (e) {
    await vs.screenshot(`${name}-launch-failure`).catch(() => {});
    await vs.close();
    throw e;
  }
  return vs;
}

export class VSCodeSession {
  constructor({ name, dir, server, workspace }) {
    this.name = name;
    this.dir = dir;
    this.server = server;
    this.workspace = workspace;
    this.browser = null;
    this.page = null;
    this.currentFile = null;
    this.consoleLines = [];
  }

  async _open(viewport = { width: 1400, height: 900 }) {
    // A persistent context on a fresh profile folder under test-output/e2e/<name>/.
    this.browser = await withTimeout(
      `launching ${CHROMIUM}`,
      chromium.launchPersistentContext(join(this.dir, 'chromium-profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS.filter((a) => a !== '--headless'),
        viewport,
      }),
      60_000,
    );
    this.page = this.browser.pages()[0] ?? (await this.browser.newPage());
    this.page.setDefaultTimeout(15_000);
    this.page.on('console', (m) => {
      this.consoleLines.push(`[${m.type()}] ${m.text()}`);
      if (this.consoleLines.length > 300) this.consoleLines.shift();
    });
    const url = `${this.server.url}/?folder=${encodeURIComponent(this.workspace)}`;
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitFor('the VS Code workbench (.monaco-workbench) to load', () => this.page.locator('.monaco-workbench').isVisible(), { timeout: 90_000 });
    // The explorer lists the workspace once the remote file system is connected.
    await waitFor('the Explorer to list the workspace files', () => this.page.locator('.explorer-folders-view .monaco-list-row').first().isVisible(), {
      timeout: 60_000,
    });
  }

  /** Opens a workspace file by name via Quick Open (Ctrl+P) and waits for its editor. */
  /** Opens a workspace file with Quick Open; `{ textEditor: false }` for files shown by a custom editor. */
  async openFile(name, { textEditor = true } = {}) {
    const page = this.page;
    await this._dismissNotifications();
    await this._quickInput('Control+P');
    await page.keyboard.type(name, { delay: 10 });
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name.split('/').pop() }).first();
    await waitFor(`Quick Open to list "${name}"`, () => row.isVisible(), { timeout: 15_000 });
    await page.keyboard.press('Enter');
    const base = name.split('/').pop();
    await waitFor(`the editor tab "${base}" to become active`, () => page.locator(`.tabs-container .tab.active[aria-label*="${base}"]`).isVisible(), {
      timeout: 15_000,
    });
    if (textEditor) {
      await waitFor(`the text editor of "${base}"`, () => page.locator('.editor-group-container.active .monaco-editor .view-lines').isVisible(), {
        timeout: 15_000,
      });
    }
    this.currentFile = name;
    return this;
  }

  /**
   * Selects the first occurrence of `text` (single line) in the active editor, or the
   * `occurrence`-th one, counted from the first `after` string if given: finds its
   * line and column in the file on disk, puts the cursor there with Go to Line (":line:col")
   * and extends the selection with Shift+Right, then checks the status bar's "(N selected)".
   */
  async selectText(text, { occurrence = 1, after } = {}) {
    if (!this.currentFile) throw new Error('selectText: open a file first (openFile)');
    if (text.includes('\n')) throw new Error('selectText: only single-line text is supported');
    const content = readFileSync(join(this.workspace, this.currentFile), 'utf8');
    let idx = -1;
    if (after !== undefined) {
      idx = content.indexOf(after);
      if (idx < 0) throw new Error(`selectText: ${JSON.stringify(after)} (the 'after' anchor) not found in ${this.currentFile}`);
    }
    for (let i = 0; i < occurrence; i++) {
      idx = content.indexOf(text, idx + 1);
      if (idx < 0) throw new Error(`selectText: ${JSON.stringify(text)} (occurrence ${occurrence}) not found in ${this.currentFile}`);
    }
    const before = content.slice(0, idx).split('\n');
    const line = before.length;
    const col = before[before.length - 1].length + 1;
    const page = this.page;
    await this._focusEditor();
    await this._quickInput('Control+G'); // opens pre-filled with ":"
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`:${line}:${col}`, { delay: 10 });
    await page.keyboard.press('Enter');
    await waitFor(`the cursor at Ln ${line}, Col ${col}`, () => this._statusSelection().then((s) => s.includes(`Ln ${line}, Col ${col}`)), { timeout: 10_000 });
    for (let i = 0; i < text.length; i++) await page.keyboard.press('Shift+ArrowRight');
    await waitFor(`the status bar to show "(${text.length} selected)"`, () => this._statusSelection().then((s) => s.includes(`(${text.length} selected)`)), {
      timeout: 10_000,
    });
    return this;
  }

  /**
   * Selects `count` whole lines starting at the line that holds `text` (first occurrence, after
   * `after` if given): the cursor goes to the start of that line and Shift+Down extends the
   * selection to the start of the line below the last one.
   */
  async selectLines(text, count, { after } = {}) {
    if (!this.currentFile) throw new Error('selectLines: open a file first (openFile)');
    const content = readFileSync(join(this.workspace, this.currentFile), 'utf8');
    const from = after !== undefined ? content.indexOf(after) : 0;
    if (from < 0) throw new Error(`selectLines: ${JSON.stringify(after)} (the 'after' anchor) not found in ${this.currentFile}`);
    const idx = content.indexOf(text, from);
    if (idx < 0) throw new Error(`selectLines: ${JSON.stringify(text)} not found in ${this.currentFile}`);
    const line = content.slice(0, idx).split('\n').length;
    const lines = content.split('\n');
    const chars = lines.slice(line - 1, line - 1 + count).reduce((n, l) => n + l.length + 1, 0);
    const page = this.page;
    await this._focusEditor();
    await this._quickInput('Control+G');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`:${line}:1`, { delay: 10 });
    await page.keyboard.press('Enter');
    await waitFor(`the cursor at Ln ${line}, Col 1`, () => this._statusSelection().then((s) => s.includes(`Ln ${line}, Col 1`)), { timeout: 10_000 });
    for (let i = 0; i < count; i++) await page.keyboard.press('Shift+ArrowDown');
    await waitFor(`the status bar to show "(${chars} selected)"`, () => this._statusSelection().then((s) => s.includes(`(${chars} selected)`)), { timeout: 10_000 });
    return this;
  }

  /** Runs a command by its full title from the Command Palette (F1), e.g. "View: Toggle Zen Mode". */
  async runCommand(title) {
    const page = this.page;
    await this._dismissNotifications();
    await this._quickInput('F1');
    await page.keyboard.type(title, { delay: 5 });
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: title }) });
    const exact = async () => {
      const n = await row.count();
      for (let i = 0; i < n; i++) {
        const label = (await row.nth(i).locator('.label-name').first().textContent())?.trim();
        if (label === title) return row.nth(i);
      }
      return null;
    };
    const hit = await waitFor(`the Command Palette to list "${title}"`, exact, { timeout: 15_000 }).catch(async (e) => {
      const shown = await page.locator('.quick-input-widget .monaco-list-row .label-name').allTextContents().catch(() => []);
      await page.keyboard.press('Escape');
      throw new Error(`${e.message}; it listed: ${JSON.stringify(shown.slice(0, 10))}`);
    });
    await hit.click();
    await waitFor('the Command Palette to close', async () => !(await page.locator('.quick-input-widget').isVisible()), { timeout: 10_000 });
    return this;
  }

  /**
   * The content frame of the visible webview whose editor tab title, document title or
   * extension id contains `titleSubstring`. Webviews are nested iframes: an outer
   * iframe (…/webview/browser/pre/index.html?…&extensionId=…) that holds the extension's
   * document in an inner one (fake.html). Hidden webviews (background tabs) are skipped.
   */
  async webviewFrame(titleSubstring, { timeout = 20_000 } = {}) {
    const page = this.page;
    const tabSel = `.editor-group-container .tab.active[aria-label*="${titleSubstring.replace(/"/g, '\\"')}"]`;
    return waitFor(
      `a visible webview titled "${titleSubstring}"`,
      async () => {
        const visible = [];
        for (const frame of page.frames()) {
          const parent = frame.parentFrame();
          if (!parent || !/\/webview\/.*index\.html/.test(parent.url())) continue;
          const outer = await parent.frameElement().catch(() => null);
          if (!outer || !(await outer.isVisible().catch(() => false))) continue;
          const ready = await frame.evaluate(() => document.readyState === 'complete' && !!document.body).catch(() => false);
          if (!ready) continue;
          const docTitle = await frame.title().catch(() => '');
          const extensionId = new URL(parent.url()).searchParams.get('extensionId') ?? '';
          if (docTitle.includes(titleSubstring) || extensionId.includes(titleSubstring)) return frame;
          // a webview with another title is another panel (e.g. the matrix panel beside a custom editor)
          if (!docTitle) visible.push(frame);
        }
        if (visible.length === 1 && (await page.locator(tabSel).count()) > 0) return visible[0];
        return null;
      },
      { timeout },
    );
  }

  /** The outer <iframe> element of a webview content frame, e.g. for an element screenshot. */
  async webviewElement(frame) {
    return frame.parentFrame().frameElement();
  }

  /** Saves a PNG of the page (or of `element`) to test-output/e2e/<name>.png; returns the path. */
  async screenshot(name, element) {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const path = join(OUTPUT_DIR, `${name}.png`);
    if (!this.page) return null;
    if (element) await element.screenshot({ path, timeout: 15_000 });
    else await this.page.screenshot({ path, timeout: 15_000 });
    return path;
  }

  /** Closes the browser and kills code-server (idempotent, never throws). */
  async close() {
    try {
      if (this.browser) await withTimeout('closing Chromium', this.browser.close(), 15_000);
    } catch {
      /* killed below with the process group at worst */
    }
    this.browser = null;
    await this.server.stop();
    openSessions.delete(this);
  }

  /** Last lines of code-server's output and the browser console, for failure messages. */
  diagnostics() {
    return `--- code-server log (tail) ---\n${this.server.log()}\n--- browser console (tail) ---\n${this.consoleLines.slice(-30).join('\n')}`;
  }

  async _statusSelection() {
    return (await this.page.locator('#status\\.editor\\.selection').textContent({ timeout: 2000 }).catch(() => '')) ?? '';
  }

  async _focusEditor() {
    // The editor's frame, not .view-lines: that element scrolls with the text, so its corner can be off screen.
    const frame = this.page.locator('.editor-group-container.active .monaco-editor .overflow-guard').first();
    await frame.click({ position: { x: 80, y: 12 } });
  }

  async _quickInput(key) {
    const page = this.page;
    await page.keyboard.press(key);
    await waitFor(`the quick input to open after ${key}`, () => page.locator('.quick-input-widget input').isVisible(), { timeout: 10_000 });
  }

  async _dismissNotifications() {
    const toasts = this.page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close');
    const n = await toasts.count().catch(() => 0);
    for (let i = n - 1; i >= 0; i--) await toasts.nth(i).click({ timeout: 2000 }).catch(() => {});
  }
}
