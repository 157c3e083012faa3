/* global document */ // (in frame.evaluate callbacks, which run in the webview)
// MathLens in a real VS Code: select an expression in examples/activations.py, run
// "MathLens: Compute Gradient of Selection" and read the panel (a webview).
// The extension is loaded from the built dist/ (copied into the extensions dir as
// mathlens.mathlens-<version>); `npm test` builds it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';
import { PANEL_TITLE, COMMAND, readPanel, isSigmoidDerivative } from './panel.mjs';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'gradient', extension: 'folder' });
});
after(async () => {
  await vs?.close();
});

test('the gradient of the sigmoid is rendered with KaTeX', async () => {
  await vs.openFile('activations.py');
  await vs.selectText('1 / (1 + np.exp(-x))', { after: 'def sigmoid' });
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const panel = await readPanel(frame, { expect: 'partial-x' }).catch((e) => {
    throw new Error(`${e.message}\n${vs.diagnostics()}`);
  });
  assert.ok(panel.katexCount > 0, 'the panel has rendered KaTeX (.katex elements)');
  assert.ok(panel.error === null, `no error is shown (got: ${panel.error})`);
  assert.ok(panel.partialTex, 'partial-x has a KaTeX annotation (application/x-tex)');
  assert.ok(isSigmoidDerivative(panel.partialTex), `∂/∂x is the sigmoid's derivative; got: ${panel.partialTex}`);
  if (panel.checkBadge !== null) assert.equal(panel.checkBadge, 'pass', `the numeric check passes: ${panel.check}`);

  const png = await vs.screenshot('gradient-panel', await vs.webviewElement(frame));
  await vs.screenshot('gradient-window');
  updateDocs(png, 'gradient-panel.png');
});


test('an incomplete selection shows an error in the panel', async () => {
  await vs.openFile('activations.py');
  await vs.selectText('1 / (1 + np.exp(-x)', { after: 'def sigmoid' }); // one ")" short
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const panel = await readPanel(frame, { expect: 'error' }).catch((e) => {
    throw new Error(`${e.message}\n${vs.diagnostics()}`);
  });
  assert.ok(panel.error && panel.error.trim().length > 0, 'data-testid="error" has a message');
  // The message names the missing ")" and the panel marks where the problem is in the selection.
  assert.match(panel.error, /\)/, `the error names the missing ")": ${panel.error}`);
  const mark = await frame.locator('[data-testid="error-mark"]').count();
  assert.ok(mark > 0, 'the problem is marked in the selection (data-testid="error-mark")');
  const png = await vs.screenshot('gradient-error-panel', await vs.webviewElement(frame));
  updateDocs(png, 'gradient-error.png');
  await waitFor('the panel to keep showing the error', async () => (await frame.locator('[data-testid="error"]').count()) > 0, { timeout: 5000 });
});

test('the panel survives a window reload (webview serializer + saved state)', async () => {
  // The previous test left the panel showing an error. Reload the window as a user does.
  await vs.runCommand('Developer: Reload Window');
  await new Promise((r) => setTimeout(r, 3000));
  await waitFor('the workbench after reload', () => vs.page.locator('.monaco-workbench').isVisible(), { timeout: 90_000 });
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const panel = await readPanel(frame, { expect: 'error', timeout: 60_000 }).catch((e) => {
    throw new Error(`${e.message}\n${vs.diagnostics()}`);
  });
  assert.match(panel.error, /\)/, `the restored panel shows the same error: ${panel.error}`);
});

test('the panel is up to date after a browser refresh of VS Code for the Web', async () => {
  // The panel shows the error (saved by the window reload above); compute a new result, then refresh
  // the page at once. The webview's own saved state can lag behind; the extension's copy catches up.
  await vs.openFile('activations.py');
  await vs.selectText('1 / (1 + np.exp(-x))', { after: 'def sigmoid' });
  await vs.runCommand(COMMAND);
  await readPanel(await vs.webviewFrame(PANEL_TITLE), { expect: 'partial-x' });
  await vs.page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitFor('the workbench after the refresh', () => vs.page.locator('.monaco-workbench').isVisible(), { timeout: 90_000 });
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const panel = await readPanel(frame, { expect: 'partial-x', timeout: 60_000 }).catch((e) => {
    throw new Error(`${e.message}\n${vs.diagnostics()}`);
  });
  assert.ok(isSigmoidDerivative(panel.partialTex), `the refreshed panel shows the latest result; got ${panel.partialTex}`);
});

// Last: it clicks inside the panel, which takes keyboard focus from the workbench.
test('a network loss: one partial per weight, chain-rule steps, and Insert NumPy below the selection', async () => {
  await vs.openFile('tiny_network.py');
  await vs.selectText('(w2 * np.tanh(w1 * x + b1) + b2 - y) ** 2', { after: 'def neuron_loss' });
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  await readPanel(frame, { expect: 'partial-w1' }).catch((e) => {
    throw new Error(`${e.message}\n${vs.diagnostics()}`);
  });
  const shown = await frame.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const tex = (id) => q(id)?.querySelector('.partial-result annotation[encoding="application/x-tex"]')?.textContent ?? null;
    return {
      partials: [...document.querySelectorAll('[data-testid^="partial-"]')].map((e) => e.getAttribute('data-testid')),
      w2: tex('partial-w2'),
      w1: tex('partial-w1'),
      steps: q('steps-w1')?.textContent ?? '',
      badge: q('check-badge')?.textContent?.trim() ?? null,
    };
  });
  assert.deepEqual(shown.partials, ['partial-b1', 'partial-b2', 'partial-w1', 'partial-w2', 'partial-x', 'partial-y']);
  // ∂/∂w2 = 2 tanh(w1 x + b1) (w2 tanh(w1 x + b1) + b2 − y): the residual stays factored.
  assert.ok(shown.w2 && /^2 \\tanh\(w_\{1\} x \+ b_\{1\}\)/.test(shown.w2), `∂/∂w2 starts with 2 tanh(w1 x + b1); got ${shown.w2}`);
  assert.ok(shown.w1 && shown.w1.includes('1 - \\tanh^{2}'), `∂/∂w1 contains tanh's derivative 1 − tanh²; got ${shown.w1}`);
  assert.match(shown.steps.toLowerCase(), /chain rule/);
  assert.equal(shown.badge, 'pass');
  const png = await vs.screenshot('gradient-network-panel', await vs.webviewElement(frame));
  updateDocs(png, 'gradient-network.png');

  // Insert NumPy: the partials appear as code below the selected line, in the editor.
  await frame.locator('[data-testid="insert-numpy"]').click();
  await waitFor('the inserted NumPy code in the editor', async () => {
    const text = await vs.page.locator('.monaco-editor .view-lines').first().innerText();
    return text.includes('dloss_dw1') || text.includes('df_dw1');
  }, { timeout: 10_000 });
  await vs.screenshot('gradient-network-inserted');
});
