/* global document */ // (in frame.evaluate callbacks, which run in the webview)
// Matrix calculus in a real VS Code: gradients over shaped variables (shapes from a comment
// above the selection, or from the shape analysis of the code), the Jacobian of a layer and
// the Hessian of the Rosenbrock function, each shown in the MathLens gradient panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';
import { PANEL_TITLE, COMMAND } from './panel.mjs';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'matcalc', extension: 'folder' });
});
after(async () => {
  await vs?.close();
});

/** Waits for the matrix-calculus view and returns what it shows. */
async function readMatcalc(frame, wrt) {
  const entry = `[data-testid="mat-entry-${wrt}"]`;
  await waitFor(`the panel to show ${entry} with KaTeX`, async () => (await frame.locator(`${entry} .katex`).count()) > 0, { timeout: 30_000 }).catch(async (e) => {
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${e.message}; the panel shows: ${JSON.stringify(text.slice(0, 600))}\n${vs.diagnostics()}`);
  });
  return frame.evaluate((w) => {
    const txt = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
    const tex = document.querySelector(`[data-testid="mat-latex-${w}"] annotation[encoding="application/x-tex"]`);
    return {
      kind: txt('mat-kind'),
      layout: txt('mat-layout'),
      shapes: txt('mat-shapes'),
      numpy: txt(`mat-numpy-${w}`),
      shape: txt(`mat-shape-${w}`),
      latex: tex ? tex.textContent : null,
      check: txt(`mat-check-badge-${w}`) ?? txt(`mat-check-${w}`),
      failed: document.querySelector('[data-testid="mat-check-failed"]') !== null,
      steps: document.querySelectorAll(`[data-testid="mat-steps-${w}"] li, [data-testid="mat-steps-${w}"] .step`).length,
      text: document.body.innerText.slice(0, 3000),
    };
  }, wrt);
}

test('the gradient of least squares over shaped variables is 2Xᵀ(Xw − y), with shapes from the comment', async () => {
  await vs.openFile('matrix_calculus.py');
  await vs.selectText('np.sum((X @ w - y) ** 2)', { after: 'least_squares =' });
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const p = await readMatcalc(frame, 'w');
  assert.match(p.kind, /gradient/i);
  assert.equal(p.numpy, '2 * (X.T @ (X @ w - y))');
  assert.match(p.shape, /d/, `∇_w f has w's shape (d,): ${p.shape}`);
  assert.match(p.layout, /denominator/i, 'the layout is stated');
  assert.match(p.shapes, /X.*\(n, d\).*comment/s, `the shapes line names the comment: ${p.shapes}`);
  assert.equal(p.failed, false, 'the numeric check passed');
  assert.ok(p.latex && /\^\{?\\top\}?|\^T/.test(p.latex), `the LaTeX has a transpose: ${p.latex}`);
  const png = await vs.screenshot('matcalc-panel', await vs.webviewElement(frame));
  updateDocs(png, 'matcalc-panel.png');
});

test('a shape taken from the code: data = np.random.randn(100, 3)', async () => {
  await vs.openFile('matrix_calculus.py');
  await vs.selectText('np.sum((data @ v) ** 2)', { after: 'penalty =' });
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const p = await readMatcalc(frame, 'v');
  assert.equal(p.numpy, '2 * (data.T @ (data @ v))');
  assert.match(p.shapes, /data.*\(100, 3\).*code/s, `the shapes line says the code: ${p.shapes}`);
});

test('Compute Jacobian of Selection shows the Jacobian of tanh(Mx + b) in numerator layout', async () => {
  await vs.openFile('matrix_calculus.py');
  await vs.selectText('np.tanh(M @ x + b)', { after: 'layer =' });
  await vs.runCommand('MathLens: Compute Jacobian of Selection');
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const p = await readMatcalc(frame, 'x');
  assert.match(p.kind, /jacobian/i);
  assert.match(p.layout, /numerator/i);
  assert.equal(p.numpy, '(1 - np.tanh(M @ x + b) ** 2)[:, None] * M');
  assert.match(p.shape, /k.*d/s, `J_x has shape (k, d): ${p.shape}`);
  assert.equal(p.failed, false);
  const png = await vs.screenshot('jacobian-panel', await vs.webviewElement(frame));
  updateDocs(png, 'jacobian-panel.png');
});

test('Compute Hessian of Selection shows the Hessian of the Rosenbrock function', async () => {
  await vs.openFile('matrix_calculus.py');
  await vs.selectText('(1 - a) ** 2 + 100 * (c - a ** 2) ** 2', { after: 'rosenbrock =' });
  await vs.runCommand('MathLens: Compute Hessian of Selection');
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const p = await readMatcalc(frame, 'a,c');
  assert.match(p.kind, /hessian/i);
  assert.match(p.numpy, /-400 \* a/, `the mixed partial −400a is in the Hessian: ${p.numpy}`);
  assert.match(p.numpy, /200/);
  assert.match(p.shape, /2.*2/s);
  assert.equal(p.failed, false);
});
