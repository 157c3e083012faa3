// Editor helpers shared by the e2e tests that read hovers and the Problems panel: where a text is in
// the open file, going to a line and column, the hover's text, the Problems panel's rows.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_DIR, waitFor } from './harness.mjs';

/** A PNG of the part of the window covered by the elements matching `selectors` (their bounding union). */
export async function screenshotOf(vs, name, selectors) {
  const boxes = [];
  for (const sel of selectors) {
    const box = await vs.page.locator(sel).first().boundingBox().catch(() => null);
    if (box) boxes.push(box);
  }
  if (boxes.length === 0) return vs.screenshot(name);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const clip = { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await vs.page.screenshot({ path, clip, timeout: 15_000 });
  return path;
}

/** The rows of the Problems panel (its message, source, code and position). */
export async function problems(vs) {
  return vs.page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** 1-based line and column of the `occurrence`-th `text` after `after` in the open file (on disk). */
export function locate(vs, text, { after, occurrence = 1 } = {}) {
  const content = readFileSync(join(vs.workspace, vs.currentFile), 'utf8');
  let idx = after === undefined ? -1 : content.indexOf(after);
  if (after !== undefined && idx < 0) throw new Error(`${JSON.stringify(after)} not found in ${vs.currentFile}`);
  for (let i = 0; i < occurrence; i++) {
    idx = content.indexOf(text, idx + 1);
    if (idx < 0) throw new Error(`${JSON.stringify(text)} not found in ${vs.currentFile}`);
  }
  const before = content.slice(0, idx).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Puts the cursor at line:column with Go to Line (Ctrl+G), which also scrolls it into view. */
export async function goTo(vs, { line, column }) {
  const page = vs.page;
  // Keyboard only: a click could land on the sticky scroll or a hover. The editor has focus after openFile.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await waitFor('Go to Line to open', () => page.locator('.quick-input-widget input').isVisible(), { timeout: 10_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(`:${line}:${column}`, { delay: 10 });
  await page.keyboard.press('Enter');
  const status = page.locator('#status\\.editor\\.selection');
  await waitFor(`the cursor at Ln ${line}, Col ${column}`, async () => ((await status.textContent({ timeout: 2000 })) ?? '').includes(`Ln ${line}, Col ${column}`), {
    timeout: 10_000,
  });
}

/** Shows the hover at the cursor ("Show or Focus Hover") and returns its text once it contains `expected`. */
export async function hoverText(vs, expected) {
  const hover = vs.page.locator('.monaco-editor .monaco-hover:not(.hidden)');
  let last = '';
  return waitFor(
    `a hover containing ${JSON.stringify(expected)}`,
    async () => {
      if (!(await hover.first().isVisible().catch(() => false))) {
        await vs.runCommand('Show or Focus Hover');
      }
      last = ((await hover.first().innerText({ timeout: 2000 }).catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
      return last.includes(expected) ? last : null;
    },
    { timeout: 20_000, interval: 500 },
  ).catch((e) => {
    throw new Error(`${e.message}; the hover shows ${JSON.stringify(last)}\n${vs.diagnostics()}`);
  });
}

