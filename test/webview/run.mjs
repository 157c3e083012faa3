// Headless tests of the MathLens panel (the webview), in Debian's Chromium.
//
// 1. esbuild bundles the test page (a fake acquireVsCodeApi, then the real
//    webview/main.ts) into test-output/webview/, with KaTeX's CSS and fonts;
// 2. results come from the real engine (core/computeGradient, bundled for
//    node) for the selections in cases.ts;
// 3. a localhost server serves the page built by extension/common/html.ts, so the
//    page has exactly the panel's CSP; every CSP violation, console error and
//    page error fails the run;
// 4. node:test drives Chromium through playwright-core.
//
// Usage: node test/webview/run.mjs   (exits non-zero on failure)
/* global window, document, getComputedStyle, structuredClone, Node */
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
const { CASES, engineResults, MAT_CASES, matcalcResults } = await importNode(out, 'test/webview/cases.ts', 'cases.mjs');
/** name → GradientResult */
const results = engineResults();
/** name → MatResult (core/matcalc) */
const matResults = matcalcResults();

const TEXTS = {
  poly: 'x**2 * y + np.sin(x)',
  relu: 'np.maximum(w * x, 0)',
  clip: 'np.clip(x, 0, 1)',
  forward: 'z = w*x + b\na = sigmoid(z)\nloss = (a - y)**2',
  named: 'z = w*x + b\nh = np.tanh(z)\nout = v*h + c\nloss = (out - y)**2',
  parseError: 'x = 1\ny = 2\nz = x **  * y',
  xss: '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>',
};
for (const c of CASES) assert.equal(TEXTS[c.name], c.text, `case ${c.name} text`);

/** The source of a result as the extension sends it (line 10, column 4 of a Python file), with the error's position. */
function sourceFor(text, result, lang = 'python') {
  const start = { line: 10, character: 4 };
  const lines = text.split('\n');
  const source = { text, lang, languageId: 'python', uri: 'file:///work/example.py', start, endLine: start.line + lines.length - 1 };
  if (!result.ok) {
    const before = text.slice(0, result.error.offset).split('\n');
    source.errorPosition =
      before.length === 1
        ? { line: start.line, character: start.character + before[0].length }
        : { line: start.line + before.length - 1, character: before.at(-1).length };
  }
  return source;
}

/** A `result` message as the extension sends it. */
function resultMessage(name, view = { showSteps: true }) {
  const result = results[name];
  return { type: 'result', result, source: sourceFor(TEXTS[name], result, name === 'xss' ? 'math' : 'python'), view };
}

/** A `matcalc` message as the extension sends it, with the real engine's result for the case. */
function matMessage(name, view = { showSteps: true }) {
  const c = MAT_CASES.find((m) => m.name === name);
  assert.ok(c, `matcalc case ${name}`);
  const result = matResults[name];
  return { type: 'matcalc', result, source: sourceFor(c.text, result), view, shapes: c.origins };
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

test("a forward pass: the partials in its own names first, the substituted form one click away, the data in a collapsed section", async () => {
  const msg = resultMessage('named');
  const r = msg.result;
  assert.ok(r.ok, JSON.stringify(r));
  const dw = r.gradient.find((p) => p.wrt === 'w');
  assert.ok(dw.named, 'the engine gives ∂loss/∂w in the pass\'s names');
  await post(msg);
  const w = page.locator('[data-testid="partial-w"]');
  await w.waitFor();
  // The heading and the body show the named form; the substituted form is hidden behind a toggle.
  assert.ok((await w.locator('.partial-result annotation').textContent()).includes(dw.named.latex));
  assert.ok((await page.textContent('[data-testid="named-w"] annotation')).endsWith(`= ${dw.named.latex}`));
  const toggle = page.locator('[data-testid="substituted-toggle-w"]');
  const panel = page.locator('[data-testid="substituted-w"]');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await panel.isVisible(), false);
  await clearPosted();
  await page.click('[data-testid="copy-named-numpy-w"]');
  await page.click('[data-testid="copy-named-latex-w"]');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await panel.isVisible(), true);
  assert.ok((await panel.locator('annotation').first().textContent()).endsWith(`= ${dw.latex}`));
  await page.click('[data-testid="copy-numpy-w"]');
  const [namedNumpy, namedLatex, substitutedNumpy] = await posted();
  assert.deepEqual(namedNumpy, { type: 'copy', text: `dloss_dw = ${dw.named.numpy}`, what: { format: 'numpy', wrt: 'w' } });
  assert.equal(namedLatex.text, `\\frac{\\partial \\mathit{loss}}{\\partial w} = ${dw.named.latex}`);
  assert.deepEqual(substitutedNumpy, { type: 'copy', text: `dloss_dw = ${dw.numpy}`, what: { format: 'numpy', wrt: 'w' } });
  // Keyboard: the toggle is a button; Enter and Space work.
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await panel.isVisible(), false);
  await page.keyboard.press(' ');
  assert.equal(await panel.isVisible(), true);

  // Parameters first; the data (x, y) in a collapsed section, still computed.
  const order = await page.locator('vscode-collapsible[data-testid^="partial-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.deepEqual(order, r.gradient.map((p) => `partial-${p.wrt}`));
  assert.deepEqual(r.gradient.filter((p) => p.group === 'data').map((p) => p.wrt), ['x', 'y']);
  const data = page.locator('[data-testid="data-partials"]');
  assert.equal(await data.evaluate((el) => el.open), false);
  assert.match(await data.getAttribute('heading'), /^With respect to the data \(x, y\)$/);
  assert.equal(await data.locator('[data-testid="partial-x"]').count(), 1);
  assert.equal(await data.locator('[data-testid="partial-w"]').count(), 0);
  await data.evaluate((el) => el.shadowRoot.querySelector('.collapsible-header').click());
  assert.equal(await data.evaluate((el) => el.open), true);
  assert.equal(await page.locator('[data-testid="partial-x"]').isVisible(), true);
  await page.screenshot({ path: join(out, 'panel-named.png'), fullPage: true });

  // Both disclosures survive a reload (setState).
  await page.reload();
  await page.waitForSelector('[data-testid="partial-w"]');
  assert.equal(await page.locator('[data-testid="substituted-w"]').isVisible(), true);
  assert.equal(await page.getAttribute('[data-testid="substituted-toggle-w"]', 'aria-expanded'), 'true');
  assert.equal(await page.locator('[data-testid="substituted-b"]').isVisible(), false);
  assert.equal(await page.locator('[data-testid="data-partials"]').evaluate((el) => el.open), true);
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

test('a three-row cases brace (KaTeX draws it as an SVG with a style) renders without a CSP violation', async () => {
  await post(resultMessage('clip'));
  const r = results.clip;
  assert.ok(r.ok, JSON.stringify(r));
  assert.ok(r.gradient[0].latex.includes('\\begin{cases}'), r.gradient[0].latex);
  await page.waitForSelector('[data-testid="gradient"] .katex svg');
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

// ------------------------------------------------------------------ matrix calculus (matcalc messages)

const tex = (locator) => locator.locator('annotation[encoding="application/x-tex"]').first().textContent();
const byId = (id) => page.locator(`[data-testid="${id}"]`);

test('matcalc: least squares gradient — header (kind, expression, shape, variables, shapes, layout) and one section per variable', async () => {
  const msg = matMessage('leastSquares');
  const r = msg.result;
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.gradient.map((e) => e.wrt), ['X', 'w', 'y']);
  await post(msg);
  await page.waitForSelector('[data-testid="matcalc-result"] [data-testid="expression"] .katex');

  assert.equal(await byId('mat-kind').textContent(), 'Gradient');
  assert.equal(await tex(byId('expression')), `f = ${r.expression.latex}`);
  assert.equal(await tex(byId('mat-expression-shape')), 'f \\in \\mathbb{R}');
  assert.equal(await page.locator('[data-testid="mat-variables"] li').count(), 3);
  assert.equal(await tex(byId('mat-var-X')), 'X \\in \\mathbb{R}^{n \\times d}');
  assert.equal(await tex(byId('mat-var-w')), 'w \\in \\mathbb{R}^{d}');
  assert.equal(await byId('mat-var-X').getAttribute('data-role'), 'variable');
  for (const o of msg.shapes) assert.equal(await byId(`mat-shape-origin-${o.name}`).textContent(), `${o.name} ${o.shape} from a comment, line ${o.line}`);
  const layout = await byId('mat-layout').textContent();
  assert.ok(layout.includes(r.layoutText), layout);
  assert.match(layout, /denominator layout/);

  assert.equal(await page.locator('[data-testid^="mat-entry-"]').count(), 3);
  for (const e of r.gradient) {
    const label = e.wrt === 'X' ? '\\nabla_{X} f' : `\\nabla_{${e.wrt}} f`;
    assert.equal(await byId(`mat-title-${e.wrt}`).textContent(), `∇_${e.wrt} f`);
    assert.equal(await tex(byId(`mat-latex-${e.wrt}`)), `${label} = ${e.latex}`);
    assert.equal(await tex(byId(`mat-shape-${e.wrt}`)), `${label} \\in \\mathbb{R}^{${e.shapeLatex}}`);
    assert.equal(await byId(`mat-code-${e.wrt}`).textContent(), `df_d${e.wrt} = ${e.numpy}`);
    assert.equal(await byId(`mat-numpy-${e.wrt}`).textContent(), e.numpy);
    assert.equal(await byId(`mat-check-badge-${e.wrt}`).textContent(), 'passed');
    assert.match(await byId(`mat-check-summary-${e.wrt}`).textContent(), /^Numeric check: max relative error \S+ \(printed NumPy \S+\) at 2 points$/);
    assert.equal(await byId(`mat-check-warning-${e.wrt}`).count(), 0);
  }
  assert.equal(await tex(byId('mat-latex-w')), '\\nabla_{w} f = 2 X^\\top \\left(X w - y\\right)');
  assert.equal(await byId('mat-code-w').textContent(), 'df_dw = 2 * (X.T @ (X @ w - y))');
  assert.equal(await byId('mat-numpy-w').textContent(), '2 * (X.T @ (X @ w - y))');
  assert.equal(await byId('mat-check-failed').count(), 0);
  assert.equal(await byId('insert-numpy-w').count(), 1);

  // The derivation is open (showSteps): each step's rule, LaTeX, intermediate shape and depth.
  const e = r.gradient.find((x) => x.wrt === 'X');
  const derivation = byId('mat-derivation-X');
  assert.equal(await derivation.evaluate((el) => el.open), true);
  const steps = byId('mat-steps-X').locator('.step');
  assert.equal(await steps.count(), e.steps.length);
  for (let i = 0; i < e.steps.length; i++) {
    const s = e.steps[i];
    const li = steps.nth(i);
    assert.equal(await li.locator('.rule').textContent(), s.rule);
    assert.equal(await tex(li.locator('.step-math')), s.latex);
    const shape = li.locator('.step-shape');
    assert.equal(s.shape === 'scalar' ? await shape.textContent() : await tex(shape), s.shape);
    assert.equal(await li.evaluate((el) => el.style.getPropertyValue('--depth')), String(s.depth));
  }
  assert.ok(e.steps.some((s) => s.rule === 'product rule (matrix) and cyclic trace'));
  await page.screenshot({ path: join(out, 'panel-matcalc.png'), fullPage: true });
  assertClean(await cspViolations());
});

test('matcalc: softmax cross-entropy — target chip, labels marked as data and not differentiated, shapes from code and CLI', async () => {
  const msg = matMessage('softmaxCE');
  const r = msg.result;
  assert.ok(r.ok, JSON.stringify(r));
  await post(msg);
  await page.waitForSelector('[data-testid="mat-entry-W"]');
  assert.equal(await byId('target').textContent(), 'target: loss');
  assert.equal(await byId('mat-var-Y').getAttribute('data-role'), 'target');
  assert.match(await byId('mat-var-Y').textContent(), /data \(target\)/);
  assert.deepEqual(r.gradient.map((e) => e.wrt), ['X', 'W']);
  assert.equal(await byId('mat-entry-Y').count(), 0);
  assert.equal(await byId('mat-title-W').textContent(), '∇_W loss');
  const W = r.gradient.find((e) => e.wrt === 'W');
  assert.ok(W.latex.includes('\\operatorname{softmax}'), W.latex);
  assert.equal(await tex(byId('mat-latex-W')), `\\nabla_{W} \\mathit{loss} = ${W.latex}`);
  assert.equal(await byId('mat-code-W').textContent(), `dloss_dW = ${W.numpy}`);
  assert.equal(await byId('mat-numpy-W').textContent(), W.numpy);
  assert.equal(await byId('mat-shape-origin-X').textContent(), 'X (n, d) from the code, line 4');
  assert.equal(await byId('mat-shape-origin-Y').textContent(), 'Y (n, k) from the command line');
  assert.ok((await byId('notes').textContent()).includes('Targets (Y) are data'));
  assert.equal(await tex(byId('expression')), `\\mathit{loss} = ${r.expression.latex}`);
  assertClean(await cspViolations());
});

test('matcalc: the Jacobian of tanh(W x) is in numerator layout, with skipped matrix variables noted', async () => {
  const msg = matMessage('tanhJacobian');
  const r = msg.result;
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.kind, 'jacobian');
  await post(msg);
  await page.waitForSelector('[data-testid="mat-entry-x"]');
  assert.equal(await byId('mat-kind').textContent(), 'Jacobian');
  assert.match(await byId('mat-layout').textContent(), /numerator layout: J\[i, j\] = ∂f_i\/∂x_j/);
  assert.equal(await tex(byId('mat-expression-shape')), 'f \\in \\mathbb{R}^{m}');
  const [e] = r.gradient;
  assert.equal(await byId('mat-title-x').textContent(), 'J_x');
  assert.equal(await tex(byId('mat-latex-x')), `J_{x} = ${e.latex}`);
  assert.ok(e.latex.includes('\\operatorname{diag}'), e.latex);
  assert.equal(await tex(byId('mat-shape-x')), 'J_{x} \\in \\mathbb{R}^{m \\times n}');
  assert.equal(await byId('mat-code-x').textContent(), `J_x = ${e.numpy}`);
  assert.equal(await byId('mat-numpy-x').textContent(), e.numpy);
  assert.equal(await byId('mat-check-badge-x').textContent(), 'passed');
  assert.ok((await byId('notes').textContent()).includes('Matrix variables (W) skipped'));
  assert.equal(await byId('mat-steps-x').locator('.step').count(), e.steps.length);
  assertClean(await cspViolations());
});

test('matcalc: Hessians — the Rosenbrock function over scalars (H) and a quadratic form over a vector (H_x)', async () => {
  const ros = matMessage('rosenbrock');
  const r = ros.result;
  assert.ok(r.ok, JSON.stringify(r));
  await post(ros);
  await page.waitForSelector('[data-testid="mat-entry-x,y"]');
  assert.equal(await byId('mat-kind').textContent(), 'Hessian');
  assert.match(await byId('mat-layout').textContent(), /∂²f\/∂x_i∂x_j/);
  assert.equal(await byId('mat-shapes').count(), 0, 'no shapes declared: no Shapes line');
  const [e] = r.gradient;
  assert.equal(await byId('mat-title-x,y').textContent(), 'H');
  assert.equal(await tex(byId('mat-latex-x,y')), `H = ${e.latex}`);
  assert.ok(e.latex.includes('\\begin{pmatrix}') && e.latex.includes('-400 x'), e.latex);
  assert.equal(await tex(byId('mat-shape-x,y')), 'H \\in \\mathbb{R}^{2 \\times 2}');
  assert.equal(await byId('mat-code-x,y').textContent(), `H = ${e.numpy}`);
  assert.equal(await byId('mat-numpy-x,y').textContent(), e.numpy);
  assert.equal(await byId('mat-check-badge-x,y').textContent(), 'passed');
  const rules = await byId('mat-steps-x,y').locator('.step .rule').allTextContents();
  assert.deepEqual(rules, e.steps.map((s) => s.rule));
  assert.equal(rules.filter((x) => x === 'second partial').length, 4);

  const quad = matMessage('quadHessian');
  assert.ok(quad.result.ok, JSON.stringify(quad.result));
  await post(quad);
  await page.waitForSelector('[data-testid="mat-title-x"]');
  assert.equal(await byId('mat-title-x').textContent(), 'H_x');
  assert.equal(await tex(byId('mat-latex-x')), 'H_{x} = A + A^\\top');
  assert.equal(await byId('mat-code-x').textContent(), 'H_x = A + A.T');
  assert.equal(await byId('mat-numpy-x').textContent(), 'A + A.T');
  assertClean(await cspViolations());
});

test('matcalc: copy and insert post the right messages; "copied" names the entry (∇_w f, J_x, the gradient)', async () => {
  const msg = matMessage('leastSquares');
  const r = msg.result;
  await post(msg);
  await page.waitForSelector('[data-testid="copy-numpy-w"]');
  await clearPosted();
  const [X, w, y] = r.gradient;

  await page.click('[data-testid="copy-latex"]');
  await page.click('[data-testid="copy-numpy"]');
  await page.click('[data-testid="insert-numpy"]');
  await page.click('[data-testid="copy-latex-X"]');
  await page.click('[data-testid="copy-numpy-w"]');
  await page.click('[data-testid="insert-numpy-y"]');
  const [latex, numpy, insert, latexX, numpyW, insertY] = await posted();
  const target = { uri: 'file:///work/example.py', startLine: 10, endLine: 10 };

  assert.deepEqual(latex, {
    type: 'copy',
    what: { format: 'latex' },
    text: `\\begin{aligned} \\nabla_{X} f &= ${X.latex} \\\\ \\nabla_{w} f &= ${w.latex} \\\\ \\nabla_{y} f &= ${y.latex} \\end{aligned}`,
  });
  const block = `# ∇_X f, shape (n, d)\ndf_dX = ${X.numpy}\n# ∇_w f, shape (d,)\ndf_dw = ${w.numpy}\n# ∇_y f, shape (n,)\ndf_dy = ${y.numpy}`;
  assert.deepEqual(numpy, { type: 'copy', what: { format: 'numpy' }, text: block });
  assert.deepEqual(insert, { type: 'insert', code: block, target });
  assert.deepEqual(latexX, { type: 'copy', what: { format: 'latex', wrt: 'X' }, text: `\\nabla_{X} f = ${X.latex}` });
  assert.deepEqual(numpyW, { type: 'copy', what: { format: 'numpy', wrt: 'w' }, text: `df_dw = ${w.numpy}` });
  assert.deepEqual(insertY, { type: 'insert', code: `# ∇_y f, shape (n,)\ndf_dy = ${y.numpy}`, target });

  const status = () => page.textContent('[data-testid="status"]');
  await post({ type: 'copied', what: { format: 'numpy', wrt: 'w' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent !== '');
  assert.equal(await status(), 'Copied NumPy of ∇_w f.');
  await post({ type: 'copied', what: { format: 'latex' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent.startsWith('Copied LaTeX'));
  assert.equal(await status(), 'Copied LaTeX of the gradient.');

  await post(matMessage('tanhJacobian'));
  await page.waitForSelector('[data-testid="mat-entry-x"]');
  await post({ type: 'copied', what: { format: 'numpy', wrt: 'x' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Copied NumPy of J_x.');
  await post({ type: 'copied', what: { format: 'numpy' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Copied NumPy of the Jacobian.');

  // No insert button when the selection is not Python in a document.
  const noUri = matMessage('leastSquares');
  delete noUri.source.uri;
  await post(noUri);
  await page.waitForSelector('[data-testid="copy-numpy-w"]');
  assert.equal(await page.locator('[data-testid^="insert-numpy"]').count(), 0);
  assertClean(await cspViolations());
});

test('matcalc: a failed numeric check is a prominent warning not to trust the result; a cut check says unchecked', async () => {
  const msg = structuredClone(matMessage('leastSquares'));
  const w = msg.result.gradient.find((e) => e.wrt === 'w');
  w.check = { ...w.check, passed: false, maxRelError: 0.03125, numpyMaxRelError: 0.03125 };
  await post(msg);
  await page.waitForSelector('[data-testid="mat-check-failed"]');
  assert.equal(await byId('mat-check-failed').getAttribute('role'), 'alert');
  assert.equal(await byId('mat-check-failed').textContent(), '⚠ The numeric check failed for ∇_w f: do not trust this result.');
  const warning = await byId('mat-check-warning-w').textContent();
  assert.match(warning, /^Do not trust this result\. It does not agree with central finite differences \(max relative error 3\.1e-2 \(printed NumPy 3\.1e-2\) at 2 points\)\.$/);
  assert.equal(await byId('mat-check-badge-w').textContent(), 'FAILED');
  assert.equal(await byId('mat-check-badge-X').textContent(), 'passed');
  assert.equal(await byId('mat-check-warning-X').count(), 0);
  assert.ok(await byId('mat-check-warning-w').isVisible());
  // The warning comes before the result in the entry and is drawn in the theme's warning colors.
  const order = await byId('mat-entry-w').evaluate((el) => {
    const warn = el.querySelector('[data-testid="mat-check-warning-w"]');
    const eq = el.querySelector('[data-testid="mat-latex-w"]');
    return Boolean(warn.compareDocumentPosition(eq) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(order, 'the warning precedes the result');
  const border = await byId('mat-check-warning-w').evaluate((el) => getComputedStyle(el).borderLeftColor);
  assert.equal(border, 'rgb(204, 167, 0)');
  await page.screenshot({ path: join(out, 'panel-matcalc-failed.png') });

  const cut = structuredClone(matMessage('leastSquares'));
  cut.result.gradient[0].check = { maxRelError: null, numpyMaxRelError: null, points: 0, passed: false, cut: true };
  await post(cut);
  await page.waitForSelector('[data-testid="mat-check-warning-X"]');
  assert.equal(await byId('mat-check-failed').count(), 0);
  assert.equal(await byId('mat-check-badge-X').textContent(), 'unchecked');
  assert.match(await byId('mat-check-warning-X').textContent(), /cut by the time budget: the result is derived but unchecked/);

  const none = structuredClone(matMessage('quadForm'));
  none.result.gradient[0].check = { maxRelError: null, numpyMaxRelError: null, points: 0, passed: false };
  await post(none);
  await page.waitForSelector('[data-testid="mat-check-failed"]');
  assert.match(await byId(`mat-check-summary-${none.result.gradient[0].wrt}`).textContent(), /no point where the expression and the result are finite/);
  assertClean(await cspViolations());
});

test('matcalc: showSteps false collapses derivations; toggles (click, Space) persist through a reload', async () => {
  const msg = matMessage('quadForm', { showSteps: false });
  const r = msg.result;
  assert.ok(r.ok, JSON.stringify(r));
  await post(msg);
  const dx = byId('mat-derivation-x');
  await dx.waitFor();
  assert.equal(await dx.evaluate((el) => el.open), false);
  assert.equal(await byId('mat-steps-x').locator('.step').count(), 0, 'steps are rendered when first shown');
  await dx.evaluate((el) => el.shadowRoot.querySelector('.collapsible-header').click());
  assert.equal(await dx.evaluate((el) => el.open), true);
  assert.equal(await byId('mat-steps-x').locator('.step-math .katex').count(), r.gradient[0].steps.length);

  // Space on the header opens A's derivation.
  await byId('mat-derivation-A').evaluate((el) => el.shadowRoot.querySelector('.collapsible-header').focus());
  await page.keyboard.press(' ');
  assert.equal(await byId('mat-derivation-A').evaluate((el) => el.open), true);
  await page.keyboard.press(' ');
  assert.equal(await byId('mat-derivation-A').evaluate((el) => el.open), false);
  await clearPosted();

  await page.reload();
  await page.waitForSelector('[data-testid="matcalc-result"] [data-testid="expression"] .katex');
  assert.equal(await tex(byId('expression')), `f = ${r.expression.latex}`);
  assert.equal(await byId('mat-derivation-x').evaluate((el) => el.open), true, 'opened by the user before the reload');
  assert.equal(await byId('mat-derivation-A').evaluate((el) => el.open), false);
  assert.equal(await byId('mat-steps-x').locator('.step').count(), r.gradient[0].steps.length);
  assert.equal(await byId('mat-shape-origin-A').textContent(), 'A (n, n) from a comment, line 9');
  assert.deepEqual(await posted(), [{ type: 'ready' }], 'asks for nothing but says ready');
  assertClean(await cspViolations());
});

test('matcalc: a parse error is marked in the selection with its document position', async () => {
  const msg = matMessage('matParseError');
  const r = msg.result;
  assert.equal(r.ok, false);
  assert.equal(r.error.kind, 'parse');
  await post(msg);
  await page.waitForSelector('[data-testid="error"]');
  assert.equal(await byId('error-kind').textContent(), 'Could not parse the selection');
  assert.equal(await byId('error').getAttribute('data-kind'), 'parse');
  assert.equal(await byId('error-message').textContent(), r.error.message);
  assert.equal(await byId('error-source').textContent(), msg.source.text);
  assert.equal(await byId('error-mark').textContent(), msg.source.text.slice(r.error.offset, r.error.offset + r.error.length));
  const where = await byId('error-where').textContent();
  assert.equal(msg.source.errorPosition.line, 11);
  assert.ok(where.includes(`Line 12, column ${msg.source.errorPosition.character + 1}`), where);
  assert.ok(where.includes(`offset ${r.error.offset}`), where);
  assertClean(await cspViolations());
});

test('matcalc: unsupported constructs say so, with the kind and the whole selection marked', async () => {
  for (const name of ['matUnsupported', 'matJacobianOfMatrix']) {
    const msg = matMessage(name);
    const r = msg.result;
    assert.equal(r.ok, false, name);
    assert.equal(r.error.kind, 'unsupported', name);
    await post(msg);
    await page.waitForFunction((m) => document.querySelector('[data-testid="error-message"]')?.textContent === m, r.error.message);
    assert.equal(await byId('error-kind').textContent(), 'Not supported');
    assert.equal(await byId('error').getAttribute('data-kind'), 'unsupported');
    assert.equal(await byId('error-mark').textContent(), msg.source.text.slice(r.error.offset, r.error.offset + r.error.length));
  }
  assert.match(await byId('error-message').textContent(), /higher-order tensor/);
  // A MatFail with a kind the scalar engine does not have.
  const shape = matMessage('matUnsupported');
  shape.result = { ok: false, error: { ...shape.result.error, kind: 'shape', message: 'shapes (n, d) and (n,) do not align for @: d ≠ n' } };
  await post(shape);
  await page.waitForFunction(() => document.querySelector('[data-testid="error-kind"]')?.textContent === 'Shape error');
  assertClean(await cspViolations());
});

test('matcalc: user text (notes, steps, shape origins, the source) is shown as text, never as HTML', async () => {
  const evil = '<img src=x onerror="window.__xss=6"><script>window.__xss=7</script>';
  const msg = structuredClone(matMessage('leastSquares'));
  msg.result.notes = [evil];
  msg.result.layoutText = evil;
  msg.result.gradient[0].steps = [{ rule: evil, latex: '\\text{<script>window.__xss=8</script>}', shape: evil, depth: 0 }];
  msg.shapes = [{ name: evil, shape: evil, from: 'comment', line: 1 }];
  msg.source.text = evil;
  await post(msg);
  await page.waitForSelector('[data-testid="notes"]');
  assert.equal(await page.textContent('[data-testid="notes"] li'), evil);
  assert.ok((await byId('mat-layout').textContent()).includes(evil));
  assert.equal(await byId('mat-steps-X').locator('.rule').textContent(), evil);
  assert.equal(await page.locator('#app img, #app script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assertClean(await cspViolations());
});

test('no CSP violations or console errors over the whole run', () => {
  assert.deepEqual(problems, []);
});
