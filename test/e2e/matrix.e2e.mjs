/* global document */ // (in frame.evaluate callbacks, which run in the webview)
// MathLens in a real VS Code: "MathLens: Visualize Matrix" on a literal selected in
// examples/matrices.py, and the .npy viewer on examples/arrays/image_batch.npy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'matrix', extension: 'folder' });
});
after(async () => {
  await vs?.close();
});


/** Waits for a data-testid in the webview, with what the page shows in the error. */
async function shown(frame, testid, timeout = 30_000) {
  const sel = `[data-testid="${testid}"]`;
  await waitFor(`the webview to show ${sel}`, async () => (await frame.locator(sel).count()) > 0, { timeout }).catch(async (e) => {
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${e.message}; the webview shows: ${JSON.stringify(text.slice(0, 600))}\n${vs.diagnostics()}`);
  });
  return frame.locator(sel).first();
}

/** How many distinct colours the canvas has (a drawn heatmap has several; a blank one has one). */
async function canvasColours(frame, testid) {
  return frame.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!c || !c.getContext) return 0;
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return seen.size;
  }, testid);
}

test('Visualize Matrix shows the heatmap, the matrix in KaTeX, its properties and decompositions', async () => {
  await vs.openFile('matrices.py');
  await vs.selectText('np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])', { after: 'S = ' });
  await vs.runCommand('MathLens: Visualize Matrix');
  const frame = await vs.webviewFrame('MathLens: Matrix');
  await shown(frame, 'heatmap-canvas');
  await waitFor('the KaTeX matrix', async () => (await frame.locator('[data-testid="matrix-latex"] .katex').count()) > 0, { timeout: 15_000 });
  const tex = await frame.locator('[data-testid="matrix-latex"] annotation[encoding="application/x-tex"]').first().textContent();
  assert.match(tex, /4 & 1 & 0\.5/, `the KaTeX matrix has the first row: ${tex}`);
  assert.ok((await canvasColours(frame, 'heatmap-canvas')) >= 3, 'the heatmap canvas is drawn (several colours)');
  const props = await (await shown(frame, 'properties')).innerText();
  assert.match(props, /positive definite\s*yes/i, `the properties say positive definite: ${props}`);
  assert.match(props, /symmetric\s*yes/i);
  assert.ok((await frame.locator('[data-testid="decompositions-tabs"]').count()) > 0, 'the decomposition tabs are there');
  assert.ok((await frame.locator('[data-testid="geometry"]').count()) > 0, 'a 3×3 matrix gets the linear-map drawing');
  const png = await vs.screenshot('matrix-panel', await vs.webviewElement(frame));
  updateDocs(png, 'matrix-panel.png');
});

test('a selection that is not a matrix shows the problem, marked', async () => {
  await vs.openFile('matrices.py');
  // a selection one bracket short
  await vs.selectText('[[1, 2], [3, 4', { after: 'L = ' });
  await vs.runCommand('MathLens: Visualize Matrix');
  const frame = await vs.webviewFrame('MathLens: Matrix');
  const err = await shown(frame, 'error-message');
  assert.ok((await err.innerText()).length > 0, 'an error message is shown');
  assert.ok((await frame.locator('[data-testid="error-mark"]').count()) > 0, 'the problem is marked in the selection');
});

test('a .npy file opens in the array viewer with its header, statistics and slicing', async () => {
  // Quick Open can lose the first Enter while the matrix panel beside takes the focus back: try twice.
  await vs.runCommand('View: Focus Active Editor Group');
  await vs.openFile('arrays/image_batch.npy', { textEditor: false }).catch(async () => {
    await vs.screenshot('npy-open-retry');
    await vs.page.keyboard.press('Escape');
    await vs.openFile('arrays/image_batch.npy', { textEditor: false });
  });
  const frame = await vs.webviewFrame('image_batch.npy');
  const header = await (await shown(frame, 'file-header')).innerText();
  assert.match(header, /float32/, `the header names the dtype: ${header}`);
  assert.match(header, /8\D+1\D+12\D+12/, `the header gives the shape (8, 1, 12, 12): ${header}`);
  await shown(frame, 'file-stats');
  await shown(frame, 'slice');
  await shown(frame, 'heatmap-canvas');
  assert.ok((await canvasColours(frame, 'heatmap-canvas')) >= 3, 'the slice is drawn');
  const png = await vs.screenshot('npy-viewer', await vs.webviewElement(frame));
  updateDocs(png, 'npy-viewer.png');
});
