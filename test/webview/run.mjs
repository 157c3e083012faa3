// Headless tests of the MathLens panel (the webview), in Debian's Chromium.
//
// 1. esbuild bundles the test page (a fake acquireVsCodeApi, then the real
//    webview/main.ts) into test-output/webview/, with KaTeX's CSS and fonts;
// 2. results come from the real engine (core/computeGradient, bundled for
//    node) for the selections in cases.ts;
// 3. a localhost server serves the page built by extension/html.ts, so the
//    page has exactly the panel's CSP; every CSP violation, console error and
//    page error fails the run;
// 4. node:test drives Chromium through playwright-core.
//
// Usage: node test/webview/run.mjs   (exits non-zero on failure)
/* global window, document, getComputedStyle, structuredClone */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildPage, importNode, launchBrowser, servePage, freshPage, messages } from './harness.mjs';

/** CSP violations, console errors and page errors seen so far. */
const problems = [];

// ------------------------------------------------------------------ build

const out = await buildPage({ outName: 'webview', name: 'main', entry: 'test/webview/page.ts' });
const html = await importNode(out, 'test/webview/helpers.ts', 'helpers.mjs');
const { panelCsp } = html;

// Results from the real engine, for the selections in cases.ts.
const { CASES, engineResults } = await importNode(out, 'test/webview/cases.ts', 'cases.mjs');
/** name → GradientResult */
const results = engineResults();

const TEXTS = {
  poly: 'x**2 * y + np.sin(x)',
  relu: 'np.maximum(w * x, 0)',
  forward: 'z = w*x + b\na = sigmoid(z)\nloss = (a - y)**2',
  parseError: 'x = 1\ny = 2\nz = x **  * y',
  xss: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>',
};
for (const c of CASES) assert.equal(TEXTS[c.name], c.text, `case ${c.name} text`);

/** A `result` message as the extension sends it (source at line 10, column 4 of a Python file). */
function resultMessage(name, view = { showSteps: true }) {
  const result = results[name];
  const text = TEXTS[name];
  const start = { line: 10, character: 4 };
  const lines = text.split('\n');
  const source = { text, lang: name === 'xss' ? 'math' : 'python', languageId: 'python', uri: 'file:///work/example.py', start, endLine: start.line + lines.length - 1 };
  if (!result.ok) {
    const before = text.slice(0, result.error.offset).split('\n');
    source.errorPosition =
      before.length === 1
        ? { line: start.line, character: start.character + before[0].length }
        : { line: start.line + before.length - 1, character: before.at(-1).length };
  }
  return { type: 'result', result, source, view };
}

// ------------------------------------------------------------------ server

const { server, base } = await servePage({ out, name: 'main', html, problems });

// ------------------------------------------------------------------ browser

let page;
let closeBrowser;

before(async () => {
  ({ page, close: closeBrowser } = await launchBrowser({ viewport: { width: 760, height: 900 }, problems }));
});

after(async () => {
  await closeBrowser?.();
  server.close();
});

async function cspViolations() {
  return page.evaluate(() => window.__csp ?? []);
}

/** Fresh page (and fresh webview state) for each test. */
beforeEach(() => freshPage(page, base));

const post = (message) => messages(page).post(message);
const posted = () => messages(page).posted();
const clearPosted = () => messages(page).clearPosted();

function assertClean(violations) {
  assert.deepEqual(violations, [], 'CSP violations');
  assert.deepEqual(problems, [], 'console/page errors');
}

// ------------------------------------------------------------------ tests

test('the page is served with the panel CSP and starts empty', async () => {
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /^default-src 'none'; style-src http:\/\/127\.0\.0\.1:\d+ 'nonce-[A-Za-z0-9+/=]+'; font-src http:\/\/127\.0\.0\.1:\d+; script-src 'nonce-[A-Za-z0-9+/=]+'; img-src http:\/\/127\.0\.0\.1:\d+ data:$/);
  assert.equal(csp, panelCsp(new URL(base).origin, csp.match(/'nonce-([^']+)'/)[1]));
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  await page.waitForSelector('[data-testid="empty"]');
  assert.deepEqual(await posted(), [{ type: 'ready' }]);
  assertClean(await cspViolations());
});

test('loading state', async () => {
  await post({ type: 'loading', text: 'x**2 <b>bold</b>', lang: 'python' });
  await page.waitForSelector('[data-testid="loading"] vscode-progress-ring');
  assert.match(await page.textContent('[data-testid="loading"]'), /x\*\*2 <b>bold<\/b>/);
  assert.equal(await page.locator('[data-testid="loading"] b').count(), 0);
});

test('a result renders with KaTeX: expression, gradient, one section per variable, steps, check', async () => {
  const msg = resultMessage('poly');
  const r = msg.result;
  assert.ok(r.ok, `engine result for poly: ${JSON.stringify(r)}`);
  await post(msg);
  await page.waitForSelector('[data-testid="expression"] .katex');

  const annotation = (sel) => page.textContent(`${sel} annotation[encoding="application/x-tex"]`);
  assert.ok((await annotation('[data-testid="expression"]')).includes(r.expression.latex), 'expression LaTeX in the annotation');
  const grad = await annotation('[data-testid="gradient"]');
  assert.ok(grad.startsWith('\\nabla f'), grad);
  for (const p of r.gradient) assert.ok(grad.includes(p.latex), `gradient includes ∂/∂${p.wrt}`);

  assert.equal(await page.locator('vscode-collapsible[data-testid^="partial-"]').count(), r.variables.length);
  for (const p of r.gradient) {
    const section = page.locator(`[data-testid="partial-${p.wrt}"]`);
    assert.equal(await section.getAttribute('heading'), `∂f/∂${p.wrt}`);
    assert.equal(await section.evaluate((el) => el.open), true, 'expanded when showSteps');
    assert.ok((await section.locator('.partial-result annotation').textContent()).includes(p.latex));
    assert.equal(await section.locator('.step').count(), Math.max(1, p.steps.length));
    if (p.steps.length) assert.equal(await section.locator('.step .rule').first().textContent(), p.steps[0].rule);
  }
  assert.match(await page.textContent('[data-testid="lang"]'), /Python/);

  const check = await page.textContent('[data-testid="check-summary"]');
  assert.match(check, r.check.maxRelError === null ? /no valid point/ : /^max relative error \S+ at \d+ points?$/);
  assert.equal(await page.textContent('[data-testid="check-badge"]'), r.check.passed ? 'pass' : 'fail');

  // Case is preserved in the collapsible's heading (its stock style upper-cases it).
  const transform = await page.locator('[data-testid="partial-x"]').evaluate((el) => getComputedStyle(el.shadowRoot.querySelector('.title')).textTransform);
  assert.equal(transform, 'none');

  await page.screenshot({ path: join(out, 'panel.png'), fullPage: true });
  assertClean(await cspViolations());
});

test('showSteps false: sections start collapsed and render steps when opened', async () => {
  await post(resultMessage('poly', { showSteps: false }));
  const x = page.locator('[data-testid="partial-x"]');
  await x.waitFor();
  assert.equal(await x.evaluate((el) => el.open), false);
  assert.equal(await x.locator('.step').count(), 0);
  await x.evaluate((el) => el.shadowRoot.querySelector('.collapsible-header').click());
  assert.equal(await x.evaluate((el) => el.open), true);
  assert.ok((await x.locator('.step .katex').count()) > 0);
});

test('copy and insert buttons post the right messages; "copied" shows feedback', async () => {
  const msg = resultMessage('poly');
  const r = msg.result;
  await post(msg);
  await page.waitForSelector('[data-testid="copy-latex"]');
  await clearPosted();

  await page.click('[data-testid="copy-latex"]');
  await page.click('[data-testid="copy-numpy"]');
  await page.click('[data-testid="copy-numpy-x"]');
  await page.click('[data-testid="copy-latex-y"]');
  await page.click('[data-testid="insert-numpy"]');
  const [latex, numpy, numpyX, latexY, insert] = await posted();

  assert.equal(latex.type, 'copy');
  assert.deepEqual(latex.what, { format: 'latex' });
  assert.equal(latex.text, `\\nabla f = \\begin{pmatrix} ${r.gradient.map((p) => p.latex).join(' \\\\ ')} \\end{pmatrix}`);
  assert.deepEqual(numpy.what, { format: 'numpy' });
  const px = r.gradient.find((p) => p.wrt === 'x');
  const py = r.gradient.find((p) => p.wrt === 'y');
  assert.equal(numpy.text, `# ∂f/∂x\ndf_dx = ${px.numpy}\n# ∂f/∂y\ndf_dy = ${py.numpy}`);
  assert.deepEqual(numpyX, { type: 'copy', text: `df_dx = ${px.numpy}`, what: { format: 'numpy', wrt: 'x' } });
  assert.deepEqual(latexY, { type: 'copy', text: `\\frac{\\partial f}{\\partial y} = ${py.latex}`, what: { format: 'latex', wrt: 'y' } });
  assert.deepEqual(insert, { type: 'insert', code: numpy.text, target: { uri: 'file:///work/example.py', startLine: 10, endLine: 10 } });

  await post({ type: 'copied', what: { format: 'numpy', wrt: 'x' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Copied NumPy of ∂f/∂x.');
  await post({ type: 'inserted', ok: true, text: 'Inserted 4 lines below line 11.' });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent.startsWith('Inserted 4 lines'));
});

test('keyboard: Tab reaches the buttons, Enter and Space trigger them, Space/Enter toggle sections', async () => {
  await post(resultMessage('poly'));
  await page.waitForSelector('[data-testid="copy-latex"]');
  await clearPosted();
  await page.evaluate(() => document.activeElement?.blur());

  const active = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  const tabTo = async (testid) => {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if ((await active()) === testid) return;
    }
    assert.fail(`Tab never reached ${testid}`);
  };

  await tabTo('copy-latex');
  // The focused button draws a visible outline.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement.shadowRoot.querySelector('.base')).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.press('Enter');
  await tabTo('copy-numpy');
  await page.keyboard.press(' ');
  const msgs = await posted();
  assert.deepEqual(msgs.map((m) => m.type), ['copy', 'copy']);
  assert.deepEqual(msgs.map((m) => m.what.format), ['latex', 'numpy']);

  // The section header of ∂f/∂x is reachable and toggles with Space and Enter.
  await tabTo('partial-x');
  const isOpen = () => page.locator('[data-testid="partial-x"]').evaluate((el) => el.open);
  assert.equal(await isOpen(), true);
  await page.keyboard.press(' ');
  assert.equal(await isOpen(), false);
  await page.keyboard.press('Enter');
  assert.equal(await isOpen(), true);

  await tabTo('copy-numpy-x');
  await clearPosted();
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted())[0].what, { format: 'numpy', wrt: 'x' });
  assertClean(await cspViolations());
});

test('kinks are listed with a warning; a forward pass shows its target', async () => {
  await post(resultMessage('relu'));
  const r = results.relu;
  assert.ok(r.ok, JSON.stringify(r));
  await page.waitForSelector('[data-testid="expression"] .katex');
  const withKinks = r.gradient.filter((p) => p.kinks.length);
  assert.ok(withKinks.length > 0, 'relu has kinks');
  for (const p of withKinks) {
    const items = page.locator(`[data-testid="kinks-${p.wrt}"] li`);
    assert.equal(await items.count(), p.kinks.length);
    assert.ok((await items.first().textContent()).includes('⚠'));
    assert.ok((await items.first().textContent()).includes(p.kinks[0].text));
  }

  await post(resultMessage('forward'));
  const f = results.forward;
  assert.ok(f.ok, JSON.stringify(f));
  await page.waitForSelector('[data-testid="target"]');
  assert.equal(await page.textContent('[data-testid="target"]'), `target: ${f.target}`);
  const first = f.gradient[0];
  assert.equal(await page.getAttribute(`[data-testid="partial-${first.wrt}"]`, 'heading'), `∂${f.target}/∂${first.wrt}`);
  assert.ok((await page.textContent('[data-testid="gradient"] annotation')).startsWith('\\nabla \\mathit{loss}'));
  assertClean(await cspViolations());
});

test('an error result shows the message, the selection with the problem marked, and the position', async () => {
  const msg = resultMessage('parseError');
  const r = msg.result;
  assert.equal(r.ok, false);
  await post(msg);
  await page.waitForSelector('[data-testid="error"]');
  assert.equal(await page.textContent('[data-testid="error-message"]'), r.error.message);
  assert.equal(await page.textContent('[data-testid="error-source"]'), msg.source.text);
  const { offset, length } = r.error;
  assert.equal(await page.textContent('[data-testid="error-mark"]'), msg.source.text.slice(offset, offset + length));
  const where = await page.textContent('[data-testid="error-where"]');
  assert.ok(where.includes(`Line ${msg.source.errorPosition.line + 1}, column ${msg.source.errorPosition.character + 1}`), where);
  assert.ok(where.includes(`offset ${offset}`), where);
  // Error colors come from the theme.
  const color = await page.locator('[data-testid="error"] h2').evaluate((el) => getComputedStyle(el).color);
  assert.equal(color, 'rgb(248, 81, 73)');
  await page.screenshot({ path: join(out, 'panel-error.png') });
  assertClean(await cspViolations());
});

test('user text with <script> and <img onerror> is shown as text, never as HTML', async () => {
  const msg = resultMessage('xss');
  await post(msg);
  await page.waitForSelector('[data-testid="error"]');
  assert.equal(await page.textContent('[data-testid="error-source"]'), msg.source.text);

  // Also through every text field of a successful result.
  const evil = '<img src=x onerror="window.__xss=3"><script>window.__xss=4</script>';
  const ok = structuredClone(resultMessage('poly'));
  ok.result.notes = [evil];
  ok.result.gradient[0].kinks = [{ latex: 'x = 0', text: evil }];
  ok.result.gradient[0].steps = [{ rule: evil, latex: '\\text{<script>window.__xss=5</script>}', depth: 0 }];
  ok.source.text = evil;
  await post(ok);
  await page.waitForSelector('[data-testid="notes"]');
  assert.equal(await page.textContent('[data-testid="notes"] li'), evil);
  assert.equal(await page.locator('#app img, #app script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assertClean(await cspViolations());
});

test('LaTeX KaTeX cannot parse falls back to its source, without a CSP violation', async () => {
  const bad = structuredClone(resultMessage('poly'));
  bad.result.expression.latex = '\\frac{x';
  await post(bad);
  await page.waitForSelector('[data-testid="expression"] .math-fallback');
  assert.ok((await page.textContent('[data-testid="expression"] .math-fallback')).includes('\\frac{x'));
  assertClean(await cspViolations());
});

test('messages that do not match the protocol are ignored', async () => {
  await post({ type: 'result', result: { ok: true }, source: {} });
  await post({ type: 'nope' });
  await post('<b>hi</b>');
  await page.waitForSelector('[data-testid="empty"]');
});

test('state survives a reload (setState/getState), and user toggles are kept', async () => {
  const msg = resultMessage('poly');
  await post(msg);
  await page.waitForSelector('[data-testid="partial-x"]');
  await page.locator('[data-testid="partial-x"]').evaluate((el) => el.shadowRoot.querySelector('.collapsible-header').click());
  await clearPosted();

  await page.reload();
  await page.waitForSelector('[data-testid="expression"] .katex');
  assert.ok((await page.textContent('[data-testid="expression"] annotation')).includes(msg.result.expression.latex));
  assert.equal(await page.locator('[data-testid="partial-x"]').evaluate((el) => el.open), false, 'closed by the user before the reload');
  assert.equal(await page.locator('[data-testid="partial-y"]').evaluate((el) => el.open), true);
  assert.deepEqual(await posted(), [{ type: 'ready' }], 'asks for nothing but says ready');
  assertClean(await cspViolations());
});

test('no CSP violations or console errors over the whole run', () => {
  assert.deepEqual(problems, []);
});
