// MathLens in a real VS Code: select an expression in examples/activations.py, run
// "MathLens: Compute Gradient of Selection" and read the panel (a webview).
// The extension is loaded from the built dist/ (copied into the extensions dir as
// mathlens.mathlens-<version>); `npm test` builds it first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/code-server.mjs';
import { launchVSCode, waitFor } from './harness.mjs';
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
  if (process.env.MATHLENS_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(png, join(ROOT, 'docs', 'screenshots', 'gradient-panel.png'));
    console.log(`# copied ${png} to docs/screenshots/gradient-panel.png`);
  }
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
  await vs.screenshot('gradient-error-panel', await vs.webviewElement(frame));
  await waitFor('the panel to keep showing the error', async () => (await frame.locator('[data-testid="error"]').count()) > 0, { timeout: 5000 });
});
