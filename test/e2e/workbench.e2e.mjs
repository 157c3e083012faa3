// The harness against VS Code itself (no MathLens needed): open a file, select text,
// run built-in commands, read a built-in webview (the Markdown preview, which renders
// the KaTeX of examples/calculus.md). If this fails, the harness or code-server is at
// fault, not the extension.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor } from './harness.mjs';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'workbench', extension: 'none' });
});
after(async () => {
  await vs?.close();
});

test('open a file and select text', async () => {
  await vs.openFile('activations.py');
  await vs.selectText('1 / (1 + np.exp(-x))');
  const status = await vs.page.locator('#status\\.editor\\.selection').textContent();
  assert.match(status, /\(20 selected\)/);
});

test('run "View: Toggle Zen Mode" from the Command Palette', async () => {
  const statusBar = vs.page.locator('.part.statusbar');
  assert.equal(await statusBar.isVisible(), true, 'the status bar is visible before Zen Mode');
  await vs.runCommand('View: Toggle Zen Mode');
  await waitFor('Zen Mode to hide the status bar', async () => !(await statusBar.isVisible()), { timeout: 10_000 });
  await vs.runCommand('View: Toggle Zen Mode');
  await waitFor('leaving Zen Mode to show the status bar again', () => statusBar.isVisible(), { timeout: 10_000 });
});

test('read a built-in webview: the Markdown preview renders KaTeX', async () => {
  await vs.openFile('calculus.md');
  await vs.runCommand('Markdown: Open Preview');
  const frame = await vs.webviewFrame('Preview calculus.md');
  await waitFor('KaTeX in the Markdown preview', async () => (await frame.locator('.katex').count()) > 0, { timeout: 20_000 });
  const heading = await frame.locator('h1').first().textContent();
  assert.equal(heading.trim(), 'Calculus for deep learning');
  const tex = await frame.locator('annotation[encoding="application/x-tex"]').allTextContents();
  assert.ok(tex.some((s) => s.includes('\\sigma(x)')), `a KaTeX annotation contains \\sigma(x): ${JSON.stringify(tex.slice(0, 3))}`);
  await vs.screenshot('markdown-preview');
});
