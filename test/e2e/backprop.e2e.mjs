/* global document */ // (in frame.evaluate callbacks, which run in the webview)
// "MathLens: Show Backprop Graph" in a real VS Code: select a forward pass in
// examples/backprop.py, run the command, and check the graph renders with the right
// gradients, that stepping plays the passes, and that clicking a node selects its code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';
import { EXAMPLES_DIR } from '../../scripts/code-server.mjs';

const COMMAND = 'MathLens: Show Backprop Graph';
const TITLE = 'MathLens: Backprop';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'backprop', extension: 'folder', viewport: { width: 1600, height: 1000 } });
});
after(async () => {
  await vs?.close();
});

const tid = (id) => `[data-testid="${id}"]`;
const text = (frame, id) => frame.locator(tid(id)).first().textContent().then((t) => t?.trim() ?? '');

async function graphFrame() {
  const frame = await vs.webviewFrame(TITLE);
  await waitFor('the graph to render', async () => (await frame.locator(`${tid('node')}`).count()) > 0, { timeout: 30_000 }).catch(async (e) => {
    const shown = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${e.message}; the panel shows: ${JSON.stringify(shown.slice(0, 600))}\n${vs.diagnostics()}`);
  });
  return frame;
}

/** The one-neuron pass of examples/backprop.py, computed here by hand (the chain rule written out). */
function neuron() {
  const w = -1.2, x = 0.5, b = 0.3, y = 1.0;
  const z = w * x + b;
  const a = 1 / (1 + Math.exp(-z));
  const dA = 2 * (a - y);
  const dZ = dA * a * (1 - a);
  return { loss: (a - y) ** 2, w: dZ * x, x: dZ * w, b: dZ, y: -dA };
}

const num = (s) => Number(String(s).replace(/[−–]/g, '-').match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/i)?.[0]);

test('the graph of a scalar forward pass renders with values and every gradient', async () => {
  await vs.openFile('backprop.py');
  await vs.selectLines('w, x, b, y = -1.2, 0.5, 0.3, 1.0', 4);
  await vs.runCommand(COMMAND);
  const frame = await graphFrame();
  const expected = neuron();
  const nodes = await frame.locator(tid('node')).count();
  assert.equal(nodes, num(await text(frame, 'node-count')), 'one box per node of the graph');
  assert.ok(nodes >= 12, `one node per operation and leaf: ${nodes}`);
  assert.ok(Math.abs(num(await text(frame, 'output-value')) - expected.loss) < 1e-4, `loss = ${expected.loss}: ${await text(frame, 'output-value')}`);
  for (const name of ['w', 'x', 'b', 'y']) {
    const shown = num(await text(frame, `input-grad-${name}`));
    assert.ok(Math.abs(shown - expected[name]) <= 1e-4 * Math.max(1, Math.abs(expected[name])), `∂loss/∂${name} = ${expected[name]}, shown ${shown}`);
  }
  // For the README: the whole graph, and the chain rule at the sigmoid.
  await frame.locator(tid('node')).filter({ has: frame.locator(tid('node-label'), { hasText: /^1 \/ \(1 \+ np\.exp\(-z\)\)$/ }) }).first().click();
  await waitFor('the detail pane of the sigmoid', async () => (await frame.locator(tid('detail-edge')).count()) > 0);
  const png = await vs.screenshot('backprop-panel', await vs.webviewElement(frame));
  await vs.screenshot('backprop-window');
  updateDocs(png, 'backprop-panel.png');
});

test('stepping plays the forward pass, then the backward pass', async () => {
  const frame = await graphFrame();
  const step = () => frame.evaluate(() => document.getElementById('app')?.dataset.step ?? null);
  await frame.locator(tid('step-reset')).click();
  await waitFor('step 0 after reset', async () => (await step()) === '0');
  assert.equal(await frame.locator(`${tid('node')}.has-grad`).count(), 0, 'no gradient is known before the backward pass');
  await frame.locator(tid('step-forward')).click();
  await waitFor('step 1', async () => (await step()) === '1');
  const first = await frame.locator(`${tid('node')}.current`).getAttribute('data-id');
  assert.ok(first !== null, 'the current node is highlighted');
  assert.match(await text(frame, 'step-text'), /=/, 'the step says what is computed');
  await frame.locator(tid('step-forward')).click();
  await waitFor('step 2', async () => (await step()) === '2');
  assert.notEqual(await frame.locator(`${tid('node')}.current`).getAttribute('data-id'), first, 'the next step highlights the next node');
  await frame.locator(tid('step-back')).click();
  await waitFor('back to step 1', async () => (await step()) === '1');
  await frame.locator(tid('step-all')).click();
  await waitFor('all steps', async () => (await step()) === 'all');
  assert.ok((await frame.locator(`${tid('node')}.has-grad`).count()) >= 10, 'after the backward pass every node that depends on an input has its gradient');
});

test('clicking a node selects the code it came from', async () => {
  const frame = await graphFrame();
  const node = frame.locator(tid('node')).filter({ has: frame.locator(tid('node-label'), { hasText: /^w \* x$/ }) }).first();
  await node.click();
  await waitFor('the detail pane of w * x', async () => (await frame.locator(tid('detail')).count()) > 0);
  assert.match(await text(frame, 'detail-local'), /\S/, 'the local derivatives are shown');
  const content = readFileSync(join(EXAMPLES_DIR, 'backprop.py'), 'utf8');
  const line = content.slice(0, content.indexOf('z = w * x + b')).split('\n').length;
  await waitFor('the panel to say where the code is', async () => /Line \d+/.test(await text(frame, 'status')));
  // The panel keeps the focus; give it back to the editor (its selection stays) to read the status bar.
  await vs.runCommand('View: Focus First Editor Group');
  await waitFor('the editor to select "w * x"', async () => {
    const s = (await vs.page.locator('#status\\.editor\\.selection').textContent().catch(() => '')) ?? '';
    return s.includes('(5 selected)') && s.includes(`Ln ${line},`);
  }, { timeout: 10_000 });
});

test('values written above the selection are used (select only the three lines of the pass)', async () => {
  await vs.runCommand('View: Focus First Editor Group');
  await vs.openFile('backprop.py');
  await vs.selectLines('z = w * x + b', 3);
  await vs.runCommand(COMMAND);
  const frame = await graphFrame();
  await waitFor('three lines: no "a = 1 / …" input, the graph of z, a, loss', async () => (await frame.locator(tid('input-source-w')).count()) > 0);
  assert.match(await text(frame, 'input-source-w'), /code/, 'w comes from the code above');
  const expected = neuron();
  assert.ok(Math.abs(num(await text(frame, 'input-grad-w')) - expected.w) < 1e-4, `∂loss/∂w = ${expected.w}`);
  assert.ok(Math.abs(num(await text(frame, 'output-value')) - expected.loss) < 1e-4);
});

test('a shaped forward pass: a two-layer network on a batch', async () => {
  await vs.runCommand('View: Focus First Editor Group');
  await vs.openFile('backprop.py');
  await vs.selectLines('# X: (4, 3), W1: (3, 5)', 4);
  await vs.runCommand(COMMAND);
  const frame = await graphFrame();
  await waitFor('the W1 input', async () => (await frame.locator(tid('input-shape-W1')).count()) > 0, { timeout: 20_000 });
  assert.match(await text(frame, 'input-shape-W1'), /3\D+5/, 'W1 is 3×5');
  assert.match(await text(frame, 'output-value'), /\d/, 'the loss has a value');
  assert.equal(await frame.locator(tid('error')).count(), 0, 'no error');
  // The matrix product's local derivatives are vector–Jacobian rules: X̄ = Z̄ W1ᵀ, W̄1 = Xᵀ Z̄.
  await frame.locator(tid('node')).filter({ has: frame.locator(tid('node-label'), { hasText: /^X @ W1$/ }) }).first().click();
  await waitFor('the detail pane of X @ W1', async () => (await frame.locator(`${tid('detail-local')} .katex`).count()) > 0);
  const local = await frame.locator(`${tid('detail-local')} annotation[encoding="application/x-tex"]`).first().textContent();
  assert.match(local, /\\top/, `the rules use transposes: ${local}`);
  const png = await vs.screenshot('backprop-shaped', await vs.webviewElement(frame));
  updateDocs(png, 'backprop-shaped.png');
});

/** erf by its Maclaurin series (|x| < 3 here): the test's own, sharing nothing with the engine. */
function erf(x) {
  let sum = x;
  let term = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

test('torch.nn.functional activations (GELU, softplus, log-sigmoid) are nodes with PyTorch gradients', async () => {
  await vs.runCommand('View: Focus First Editor Group');
  await vs.openFile('backprop.py');
  await vs.selectLines('u = 0.7', 3);
  await vs.runCommand(COMMAND);
  const frame = await graphFrame();
  await waitFor('the u input', async () => (await frame.locator(tid('input-grad-u')).count()) > 0, { timeout: 20_000 });
  assert.equal(await frame.locator(tid('error')).count(), 0, 'no error');
  // out = softplus(gelu(u)) − log σ(u), by hand: gelu(u) = u Φ(u), gelu′ = Φ(u) + u φ(u).
  const u = 0.7;
  const Phi = 0.5 * (1 + erf(u / Math.SQRT2));
  const phi = Math.exp(-u * u / 2) / Math.sqrt(2 * Math.PI);
  const g = u * Phi;
  const sigma = (t) => 1 / (1 + Math.exp(-t));
  const out = Math.log1p(Math.exp(g)) - Math.log(sigma(u));
  const dU = sigma(g) * (Phi + u * phi) - (1 - sigma(u));
  assert.ok(Math.abs(num(await text(frame, 'output-value')) - out) < 1e-4, `out = ${out}: ${await text(frame, 'output-value')}`);
  const shown = num(await text(frame, 'input-grad-u'));
  assert.ok(Math.abs(shown - dU) < 1e-4, `∂out/∂u = ${dU}, shown ${shown}`);
  // The GELU node's local derivative is the catalogue's rule, rendered by KaTeX.
  await frame.locator(tid('node')).filter({ has: frame.locator(tid('node-label'), { hasText: /^F\.gelu\(u\)$/ }) }).first().click();
  await waitFor('the detail pane of F.gelu', async () => (await frame.locator(`${tid('detail-local')} .katex`).count()) > 0);
  const local = await frame.locator(`${tid('detail-local')} annotation[encoding="application/x-tex"]`).first().textContent();
  assert.match(local, /erf|GELU|\\Phi/, `GELU's local derivative: ${local}`);
});
