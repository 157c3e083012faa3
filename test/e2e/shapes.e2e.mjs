/* global document */ // (in page.evaluate callbacks, which run in the browser)
// Tensor shapes in a real VS Code (issue 3): a hover on a name shows its shape and how
// it was derived, an inlay hint shows the shape at the end of an assignment line, and
// a broken nn.Sequential is listed in the Problems panel, all on examples/shapes_*.py.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';
import { goTo as goToIn, hoverText as hoverTextIn, locate as locateIn, problems as problemsOf, screenshotOf as shotOf } from './editor.mjs';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'shapes', extension: 'folder' });
});
after(async () => {
  await vs?.close();
});


const screenshotOf = (name, selectors) => shotOf(vs, name, selectors);
const problems = () => problemsOf(vs);
const locate = (text, opts) => locateIn(vs, text, opts);
const goTo = (at) => goToIn(vs, at);
const hoverText = (expected) => hoverTextIn(vs, expected);

/** The texts of the inlay hints rendered on the editor line that contains `lineText`. */
async function inlayHintsOnLine(lineText) {
  return vs.page.evaluate((lineText) => {
    const lines = [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line')];
    const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(lineText));
    if (!line) return null;
    // Inlay hints are injected text with a dynamic class (dyn-rule-…); the padding is an empty one.
    return [...line.querySelectorAll('span[class*="dyn-rule-"]')].map((s) => s.textContent.replace(/\u00a0/g, ' ').trim()).filter((t) => t);
  }, lineText);
}

test('a hover on a name shows its shape, how it was derived, and where it came from', async () => {
  await vs.openFile('shapes_cnn.py');
  // c1 = F.relu(self.conv1(x)) with x: (B, 3, 32, 32) and Conv2d(3, 16, 3, padding=1)
  await goTo(locate('c1', { after: 'def forward' }));
  const text = await hoverText('(B, 16, 32, 32)');
  assert.match(text, /PyTorch tensor/);
  // The convolution formula ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 with the layer's values.
  assert.ok(text.includes('⌊(32 + 2·1 − 1·(3 − 1) − 1)/1⌋ + 1 = 32'), `the derivation shows the conv formula with values: ${text}`);
  assert.match(text, /Conv2d output size/);
  assert.ok(text.includes(`From line ${locate('c1 = F.relu').line}`), `the hover names the line c1 comes from (${locate('c1 = F.relu').line}): ${JSON.stringify(text)}`);
  await vs.screenshot('shapes-hover-window');
  updateDocs(await screenshotOf('shapes-hover', ['.part.editor']), 'shapes-hover.png');
  await vs.page.keyboard.press('Escape');
});

test('the hover of a use links to the line the shape came from', async () => {
  await vs.openFile('shapes_cnn.py');
  const origin = locate('c1 = F.relu').line;
  await goTo(locate('c1', { after: 'p1 = self.pool(' })); // the use of c1, one line below its assignment
  const text = await hoverText(`From line ${origin}`);
  assert.ok(text.includes('(B, 16, 32, 32)'), `the use has the assignment's shape: ${text}`);
  await vs.page.locator('.monaco-hover:not(.hidden) a', { hasText: `line ${origin}` }).first().click();
  const status = vs.page.locator('#status\\.editor\\.selection');
  await waitFor(`the cursor on line ${origin} after following the link`, async () => ((await status.textContent({ timeout: 2000 })) ?? '').includes(`Ln ${origin},`), {
    timeout: 10_000,
  });
});

test('a NumPy broadcast: the hover names the rule with both shapes', async () => {
  await vs.openFile('shapes_cnn.py');
  await goTo(locate('table', { after: 'col = np.arange' }));
  const text = await hoverText('(4, 5)');
  assert.match(text, /NumPy array/);
  assert.match(text, /\(4, 1\)/, `the derivation shows the column's shape (4, 1): ${text}`);
  assert.match(text, /\(5,\)/, `the derivation shows the row's shape (5,): ${text}`);
  await vs.page.keyboard.press('Escape');
});

test('an inlay hint shows the shape at the end of an assignment line', async () => {
  await vs.openFile('shapes_cnn.py');
  await goTo(locate('Z = X @ W + b'));
  const hints = await waitFor('an inlay hint "(64, 3)" on the line "Z = X @ W + b"', async () => {
    const h = await inlayHintsOnLine('Z = X @ W + b');
    return h && h.some((t) => t.includes('(64, 3)')) ? h : null;
  }, { timeout: 20_000 }).catch(async (e) => {
    throw new Error(`${e.message}; the line has hints ${JSON.stringify(await inlayHintsOnLine('Z = X @ W + b'))}\n${vs.diagnostics()}`);
  });
  assert.ok(hints.length >= 1);
  await vs.screenshot('shapes-inlay-hints');

  // The setting mathlens.shapes.inlayHints turns them off and on again (the provider re-reads it).
  const hasHint = async () => ((await inlayHintsOnLine('Z = X @ W + b')) ?? []).some((t) => t.includes('(64, 3)'));
  await vs.runCommand('MathLens: Toggle Shape Inlay Hints');
  await waitFor('the inlay hints to go away after "Toggle Shape Inlay Hints"', async () => !(await hasHint()), { timeout: 15_000 });
  await vs.runCommand('MathLens: Toggle Shape Inlay Hints');
  await waitFor('the inlay hints to come back after a second toggle', hasHint, { timeout: 15_000 });
});

test('a broken nn.Sequential is listed in the Problems panel', async () => {
  await vs.openFile('shapes_errors.py').catch(async (e) => {
    await vs.screenshot('shapes-open-failure');
    throw e;
  });
  // The error is found where the model is applied to a known input: the diagnostic is on model(digits).
  const call = locate('model(digits)');
  await goTo(call); // shows the squiggle in the screenshot
  await vs.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  let shown = [];
  const row = await waitFor('a MathLens diagnostic for the Linear layer (400 in_features, 256 received) in the Problems panel', async () => {
    shown = await problems();
    return shown.find((t) => /MathLens/.test(t) && /nn\.Linear/.test(t) && /400/.test(t) && /256/.test(t)) ?? null;
  }, { timeout: 20_000 }).catch((e) => {
    throw new Error(`${e.message}; the panel lists ${JSON.stringify(shown)}\n${vs.diagnostics()}`);
  });
  assert.match(row, /nn\.Sequential/, `the message names the Sequential: ${row}`);
  assert.match(row, /sequential/, `the code is "sequential": ${row}`);
  assert.match(row, new RegExp(`Ln ${call.line}, Col ${call.column}\\]`), `the diagnostic points at model(digits) (line ${call.line}): ${row}`);
  // Related information: the offending layer's own line, one click away under the diagnostic.
  const layer = locate('nn.Linear(16 * 5 * 5, 120)');
  const rel = await waitFor('the related row pointing at the Linear layer', async () => {
    shown = await problems();
    return shown.find((t) => /is made here/.test(t)) ?? null;
  }, { timeout: 10_000 }).catch((e) => {
    throw new Error(`${e.message}; the panel lists ${JSON.stringify(shown)}`);
  });
  assert.match(rel, new RegExp(`Ln ${layer.line}\\b`), `the related row points at the layer's line ${layer.line}: ${rel}`);
  // The NumPy bug in the same file: (100, 16) @ (8, 1).
  assert.ok(shown.some((t) => /MathLens/.test(t) && /matmul/.test(t) && /16/.test(t) && /8/.test(t)), `the matmul error is listed too: ${JSON.stringify(shown)}`);
  await vs.screenshot('shapes-diagnostic-window');
  updateDocs(await screenshotOf('shapes-diagnostic', ['.part.editor', '.part.panel']), 'shapes-diagnostic.png');
});

test('fixing the bug clears the diagnostic (debounced re-analysis)', async () => {
  // shapes_errors.py is still the active editor; the Problems panel has the focus.
  await vs.runCommand('View: Focus Active Editor Group');
  const at = locate('5 * 5, 120)');
  await goTo(at);
  for (let i = 0; i < '5 * 5'.length; i++) await vs.page.keyboard.press('Shift+ArrowRight');
  await vs.page.keyboard.type('4 * 4', { delay: 20 });
  let shown = [];
  await waitFor('the Linear diagnostic to leave the Problems panel, the matmul one to stay', async () => {
    shown = await problems();
    return !shown.some((t) => /MathLens/.test(t) && /400/.test(t)) && shown.some((t) => /MathLens/.test(t) && /matmul/.test(t));
  }, { timeout: 20_000 }).catch((e) => {
    throw new Error(`${e.message}; the panel lists ${JSON.stringify(shown)}\n${vs.diagnostics()}`);
  });
});

test('a shape comment with several names (# X: (n, d), w: (d,), y: (n,)) gives each name its shape in the hover', async () => {
  await vs.openFile('matrix_calculus.py');
  await goTo(locate('w', { after: 'least_squares = ' }));
  const w = await hoverText('(d,)');
  assert.ok(!w.includes('(n, d)'), `w is a vector: ${w}`);
  await vs.page.keyboard.press('Escape');
  await goTo(locate('y', { after: 'least_squares = ' }));
  await hoverText('(n,)');
  await vs.page.keyboard.press('Escape');
});
