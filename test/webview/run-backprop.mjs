// Headless tests of the backprop graph panel's webview (webview/backprop/), in Debian's Chromium.
//
// 1. esbuild bundles the test page (a fake acquireVsCodeApi, then the real
//    webview/backprop/main.ts) into test-output/webview-backprop/backprop.js
//    (+ .css), with KaTeX's CSS and fonts;
// 2. payloads are REAL engine output: backprop/samples.ts calls core/backprop's
//    backpropGraph (bundled for node) and wraps the result as the host does;
// 3. a localhost server serves the page built by extension/common/html.ts, so the
//    page has exactly the panel's CSP; every CSP violation, console error and
//    page error fails the run;
// 4. node:test drives Chromium through playwright-core.
//
// Usage: node test/webview/run-backprop.mjs   (exits non-zero on failure)
/* global window, document, sessionStorage */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildPage, importNode, launchBrowser, servePage, freshPage, messages } from './harness.mjs';

/** CSP violations, console errors and page errors seen so far. */
const problems = [];

// ------------------------------------------------------------------ build and serve

const out = await buildPage({ outName: 'webview-backprop', name: 'backprop', entry: 'test/webview/backprop/page.ts' });
const html = await importNode(out, 'test/webview/helpers.ts', 'helpers.mjs');
const { panelCsp } = html;
const S = await importNode(out, 'test/webview/backprop/samples.ts', 'samples.mjs');
const F = await importNode(out, 'webview/backprop/format.ts', 'format.mjs');
const { server, base } = await servePage({ out, name: 'backprop', title: 'MathLens: Backprop Graph', html, problems });

// ------------------------------------------------------------------ browser

let page;
let closeBrowser;

before(async () => {
  ({ page, close: closeBrowser } = await launchBrowser({ viewport: { width: 1280, height: 960 }, problems }));
});

after(async () => {
  await closeBrowser?.();
  server.close();
});

beforeEach(() => freshPage(page, base));

const post = (message) => messages(page).post(message);
const posted = () => messages(page).posted();
const clearPosted = () => messages(page).clearPosted();
const savedState = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('mathlens-test-state')));
/** The saved state once the coalesced save has run. */
const settledState = async () => {
  await page.waitForTimeout(250);
  return savedState();
};
const tid = (id) => `[data-testid="${id}"]`;
const node = (id) => `${tid('node')}[data-id="${id}"]`;

async function assertClean() {
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), [], 'CSP violations');
  assert.deepEqual(problems, [], 'console/page errors');
}

/** Posts a graph message and waits until its graph is drawn. */
async function showGraph(message) {
  await post(message);
  await page.waitForSelector(`${tid('graph-svg')} ${tid('node')}`);
}

/** The text of the KaTeX annotation (the LaTeX source) inside `selector`. */
const annotation = (selector) => page.textContent(`${selector} annotation[encoding="application/x-tex"]`);
const currentNodes = () => page.$$eval(`${tid('node')}.current`, (els) => els.map((e) => Number(e.dataset.id)));
const nodeText = (id, part) => page.textContent(`${node(id)} ${tid(`node-${part}`)}`);
const reveals = async () => (await posted()).filter((m) => m.type === 'reveal');
const nameOf = (r, id) => r.nodes[id].name ?? r.nodes[id].label;

// ------------------------------------------------------------------ tests

test('the page is served with the panel CSP, starts empty and says ready', async () => {
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(csp, panelCsp(new URL(base).origin, csp.match(/'nonce-([^']+)'/)[1]));
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  await page.waitForSelector(tid('empty'));
  assert.deepEqual(await posted(), [{ type: 'ready' }]);
  await assertClean();
});

test('loading shows a progress ring and the selection as text; malformed messages are ignored', async () => {
  await post({ type: 'backprop', result: { ok: true }, source: { text: 'x' } });
  await post({ type: 'nonsense' });
  await page.waitForTimeout(50);
  assert.equal(await page.locator(tid('empty')).count(), 1, 'still empty after invalid messages');
  await post({ type: 'backpropLoading', text: 'loss = <b>x</b>**2' });
  await page.waitForSelector(`${tid('loading')} vscode-progress-ring`);
  assert.match(await page.textContent(tid('loading')), /loss = <b>x<\/b>\*\*2/);
  assert.equal(await page.locator(`${tid('loading')} b`).count(), 0);
  await assertClean();
});

test('scalar pass: one box per engine node, one arrow per edge, labels, values and gradients', async () => {
  const msg = S.scalar();
  const r = msg.result;
  assert.equal(r.ok, true);
  await showGraph(msg);
  assert.equal(await page.locator(tid('node')).count(), r.nodes.length, 'node count = result.nodes.length');
  assert.equal(await page.locator(tid('edge')).count(), r.edges.length);
  assert.equal(await page.textContent(tid('node-count')), `${r.nodes.length} nodes`);
  // Boxes at the engine's layout.
  for (const n of r.nodes) {
    const rect = await page.$eval(`${node(n.id)} rect`, (e) => ['x', 'y', 'width', 'height'].map((a) => Number(e.getAttribute(a))));
    assert.deepEqual(rect, [n.x, n.y, n.width, n.height], `layout of node ${n.id}`);
    assert.equal(await nodeText(n.id, 'label'), n.label);
  }
  // Everything is shown at first: values and gradients.
  const a = r.nodes.find((n) => n.name === 'a');
  assert.equal(await nodeText(a.id, 'value'), `a = ${F.fmtShort(a.value)}`);
  assert.equal(await nodeText(a.id, 'grad'), `∂ ${F.fmtShort(a.grad)}`);
  const two = r.nodes.find((n) => n.op === 'const');
  assert.equal(await nodeText(two.id, 'grad'), '', 'a constant has no gradient');
  // Edge polylines end in arrowheads.
  const markers = await page.$$eval(tid('edge'), (els) => els.map((e) => e.getAttribute('marker-end')));
  assert.ok(markers.every((m) => /^url\(#bp-arrow-\d+\)$/.test(m)), markers.join());
  assert.equal(await page.textContent(tid('numpy')), r.numpy);
  assert.deepEqual(await page.locator(`${tid('notes')} li`).allTextContents(), r.notes);
  assert.equal(await page.locator('.math-fallback').count(), 0);
  await page.screenshot({ path: join(out, 'scalar.png'), fullPage: true });
  await assertClean();
});

test('click on a node: reveal with its span, detail pane with expression, value, gradient, local derivative', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  const z = r.nodes.find((n) => n.name === 'z');
  await clearPosted();
  await page.click(node(z.id));
  assert.deepEqual(await reveals(), [{ type: 'reveal', from: z.from, to: z.to }]);
  assert.equal(msg.source.text.slice(z.from, z.to), 'w*x + b');
  await page.waitForSelector(tid('detail'));
  assert.equal(await page.textContent(tid('detail-title')), 'z = w*x + b');
  assert.equal(await page.textContent(tid('detail-source')), 'w*x + b');
  assert.equal(await page.textContent(tid('detail-value')), F.fmtLong(z.value));
  assert.equal(await page.textContent(tid('detail-grad')), F.fmtLong(z.grad));
  assert.equal(await annotation(tid('detail-local')), z.local);
  assert.equal(await page.getAttribute(node(z.id), 'aria-pressed'), 'true');
  assert.ok(await page.$eval(node(z.id), (e) => e.classList.contains('selected')));
  // The host answers; the answer is shown.
  await post({ type: 'revealed', ok: true, text: 'Line 5: w*x + b' });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Line 5: w*x + b');
  await assertClean();
});

test('detail pane: upstream, local and product on each incoming edge (the chain rule), and fan-out contributions', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  const mul = r.nodes.find((n) => n.op === 'mul');
  await page.click(node(mul.id));
  const rows = page.locator(tid('detail-edge'));
  const incoming = r.edges.map((e, k) => ({ e, k })).filter(({ e }) => e.to === mul.id);
  assert.equal(await rows.count(), incoming.length);
  for (let i = 0; i < incoming.length; i++) {
    const { e, k } = incoming[i];
    const row = rows.nth(i);
    assert.equal(await row.getAttribute('data-index'), String(k));
    assert.equal(await row.locator(tid('edge-input')).textContent(), nameOf(r, e.from));
    assert.equal(await row.locator(tid('edge-upstream')).textContent(), F.fmtLong(e.upstream));
    assert.equal(await row.locator(tid('edge-local')).textContent(), F.fmtLong(e.local));
    assert.equal(await row.locator(tid('edge-product-value')).textContent(), F.fmtLong(e.product));
    assert.equal(await row.locator('.local-latex annotation').textContent(), e.localLatex);
  }
  const chains = await page.locator(`${tid('edge-chain')} annotation[encoding="application/x-tex"]`).allTextContents();
  assert.deepEqual(chains, incoming.map(({ e }) => e.chain));
  // Clicking an input in the table selects it.
  await clearPosted();
  await rows.nth(0).locator(tid('edge-input')).click();
  const w = r.nodes[incoming[0].e.from];
  assert.deepEqual(await reveals(), [{ type: 'reveal', from: w.from, to: w.to }]);
  assert.equal(await page.textContent(tid('detail-title')), w.label);

  // Fan-out: x is used twice; its gradient lists both contributions.
  const fan = S.fanout();
  await showGraph(fan);
  const x = fan.result.nodes.find((n) => n.name === 'x');
  await page.click(node(x.id));
  const uses = fan.result.edges.filter((e) => e.from === x.id);
  assert.equal(uses.length, 2);
  assert.deepEqual(await page.locator(tid('contribution-value')).allTextContents(), uses.map((e) => F.fmtLong(e.product)));
  assert.ok(Math.abs(uses[0].product + uses[1].product - x.grad) < 1e-12);
  await assertClean();
});

test('stepping: reset, step forward and back move the highlight and the step LaTeX; values appear as the forward pass reaches them', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  await page.click(tid('step-reset'));
  assert.match(await page.textContent(tid('step-counter')), /^Step 0 of 11/);
  assert.deepEqual(await currentNodes(), []);
  const firstOp = r.steps[0].node;
  assert.equal(await nodeText(firstOp, 'value'), '', 'not computed before its step');
  assert.equal(await nodeText(r.leaves[0].id, 'value'), F.fmtShort(r.leaves[0].value), 'leaves are known from the start');

  await page.click(tid('step-forward'));
  assert.deepEqual(await currentNodes(), [r.steps[0].node]);
  assert.equal(await annotation(tid('step-latex')), r.steps[0].latex);
  assert.equal(await nodeText(firstOp, 'value'), `= ${F.fmtShort(r.nodes[firstOp].value)}`);
  assert.equal(await page.locator(`${tid('edge')}.active-fwd`).count(), r.steps[0].edges.length);
  await page.click(tid('step-forward'));
  assert.deepEqual(await currentNodes(), [r.steps[1].node]);
  assert.equal(await annotation(tid('step-latex')), r.steps[1].latex);
  assert.match(await page.textContent(tid('step-counter')), /^Step 2 of 11 · forward pass/);
  await page.click(tid('step-back'));
  assert.deepEqual(await currentNodes(), [r.steps[0].node]);
  assert.equal(await annotation(tid('step-latex')), r.steps[0].latex);

  // Keyboard: → and ← (focus on the page, not in a field).
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await currentNodes(), [r.steps[2].node]);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await currentNodes(), [r.steps[1].node]);
  await page.keyboard.press('Home');
  assert.match(await page.textContent(tid('step-counter')), /^Step 0 of/);
  assert.equal((await settledState()).step, 0);
  await assertClean();
});

test('backward steps: the seed, gradients arriving edge by edge (partial at a fan-out), products on the active edges', async () => {
  const msg = S.fanout();
  const r = msg.result;
  await showGraph(msg);
  const seed = r.steps.findIndex((s) => s.phase === 'backward');
  await page.click(tid('step-reset'));
  for (let i = 0; i < seed; i++) await page.click(tid('step-forward'));
  assert.ok(r.nodes.every((n) => n.grad === null || true));
  assert.equal(await nodeText(r.outputId, 'grad'), '', 'no gradient before the seed');
  await page.click(tid('step-forward'));
  assert.match(await page.textContent(tid('step-counter')), /backward pass/);
  assert.equal(await nodeText(r.outputId, 'grad'), '∂ 1');
  assert.equal(await annotation(tid('step-latex')), r.steps[seed].latex);
  // Step until x has received one of its two contributions: partial.
  const x = r.nodes.find((n) => n.name === 'x');
  let k = seed + 1;
  const contributes = (s) => s.edges.some((e) => r.edges[e].from === x.id);
  while (!contributes(r.steps[k])) {
    await page.click(tid('step-forward'));
    k++;
  }
  await page.click(tid('step-forward'));
  const step = r.steps[k];
  assert.deepEqual(await currentNodes(), [step.node]);
  assert.equal(await page.locator(`${tid('edge')}.active-bwd`).count(), step.edges.length);
  const labels = await page.$$eval(tid('edge-product'), (els) => els.map((e) => [Number(e.dataset.index), e.textContent]));
  assert.deepEqual(labels.sort(), step.edges.map((e) => [e, F.fmtLong(r.edges[e].product)]).sort());
  assert.equal(await nodeText(x.id, 'grad'), '∂ … 1/2');
  await page.click(node(x.id));
  await page.screenshot({ path: join(out, 'backward-step.png'), fullPage: true });
  await page.click(tid('step-all'));
  assert.equal(await nodeText(x.id, 'grad'), `∂ ${F.fmtShort(x.grad)}`);
  await assertClean();
});

test('play and pause: the timer advances the steps; pause stops it; the play button says which', async () => {
  const msg = S.scalar();
  await showGraph(msg);
  await page.click(tid('play'));
  assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'true');
  await page.waitForFunction(() => Number(document.getElementById('app').dataset.step) >= 2, null, { timeout: 5000 });
  await page.click(tid('play'));
  assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'false');
  const at = await page.evaluate(() => document.getElementById('app').dataset.step);
  await page.waitForTimeout(1300);
  assert.equal(await page.evaluate(() => document.getElementById('app').dataset.step), at, 'paused');
  // Space toggles play from the keyboard.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press(' ');
  assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'true');
  await page.keyboard.press(' ');
  assert.equal(await page.getAttribute(tid('play'), 'aria-pressed'), 'false');
  await assertClean();
});

test('all steps: every gradient is on the graph', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  await page.click(tid('step-reset'));
  await page.click(tid('step-all'));
  assert.match(await page.textContent(tid('step-counter')), /^All 11 steps/);
  for (const n of r.nodes) assert.equal(await nodeText(n.id, 'grad'), n.grad === null ? '' : `∂ ${F.fmtShort(n.grad)}`, `grad of ${n.id}`);
  assert.equal((await settledState()).step, undefined);
  await assertClean();
});

test('inputs: the leaves with their sources; recompute posts parsed values; invalid text is rejected inline and never posted', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  for (const l of r.leaves) {
    assert.equal(await page.locator(`${tid(`input-${l.name}`)} input`).inputValue(), String(l.value));
    assert.equal(await page.textContent(tid(`input-source-${l.name}`)), 'default');
  }
  await clearPosted();
  await page.locator(`${tid('input-w')} input`).fill('abc');
  await page.locator(`${tid('input-b')} input`).fill('1e400');
  await page.click(tid('recompute'));
  assert.equal(await page.isVisible(tid('input-error-w')), true);
  assert.match(await page.textContent(tid('input-error-w')), /not a number/);
  assert.match(await page.textContent(tid('input-error-b')), /too large/);
  assert.match(await page.textContent(tid('inputs-status')), /2 values are not valid/);
  assert.deepEqual(await posted(), [], 'nothing posted');
  await page.locator(`${tid('input-w')} input`).fill(' 2 ');
  assert.equal(await page.isVisible(tid('input-error-w')), false, 'typing clears the message');
  await page.locator(`${tid('input-b')} input`).fill('-0.25');
  await page.locator(`${tid('input-b')} input`).press('Enter');
  assert.deepEqual(await posted(), [{ type: 'recompute', at: { w: 2, b: -0.25 } }]);

  // The host answers with the graph at those values: sources say so, selection and position are kept.
  await page.click(node(r.outputId));
  await page.click(tid('step-back'));
  const again = S.scalar({ w: 2, b: -0.25 });
  await post(again);
  await page.waitForFunction(() => document.querySelector('[data-testid="input-source-w"]')?.textContent === 'entered');
  assert.equal(await page.textContent(tid('input-source-x')), 'default');
  assert.equal(await page.locator(`${tid('input-w')} input`).inputValue(), '2');
  assert.equal(await page.textContent(tid('detail-value')), F.fmtLong(again.result.nodes[again.result.outputId].value));
  assert.equal(await page.evaluate(() => document.getElementById('app').dataset.step), String(again.result.steps.length - 1));
  // A second recompute keeps the entered values; "Use code values" forgets them.
  await clearPosted();
  await page.locator(`${tid('input-x')} input`).fill('3');
  await page.click(tid('recompute'));
  await page.click(tid('reset-inputs'));
  assert.deepEqual(await posted(), [
    { type: 'recompute', at: { w: 2, b: -0.25, x: 3 } },
    { type: 'recompute', at: {} },
  ]);
  await assertClean();
});

test('copy and insert: the NumPy code, the insert target from the source; insert is disabled without a document', async () => {
  const msg = S.scalar();
  await showGraph(msg);
  await clearPosted();
  await page.click(tid('copy-numpy'));
  await page.click(tid('insert-numpy'));
  assert.deepEqual(await posted(), [
    { type: 'copy', text: msg.result.numpy, what: { format: 'numpy' } },
    { type: 'insert', code: msg.result.numpy, target: { uri: msg.source.uri, startLine: msg.source.start.line, endLine: msg.source.endLine } },
  ]);
  await post({ type: 'copied', what: { format: 'numpy' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Copied the NumPy code.');
  await post({ type: 'inserted', ok: true, text: 'Inserted below line 5.' });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Inserted below line 5.');
  // Copy LaTeX of the selected node.
  await page.click(node(msg.result.outputId));
  await clearPosted();
  await page.click(tid('copy-node-latex'));
  const [copy] = await posted();
  assert.equal(copy.type, 'copy');
  assert.deepEqual(copy.what, { format: 'latex' });
  assert.ok(copy.text.includes(msg.result.nodes[msg.result.outputId].local));

  await showGraph(S.scalarNoUri());
  assert.equal(await page.getAttribute(tid('insert-numpy'), 'disabled'), '');
  assert.match(await page.getAttribute(tid('insert-numpy-wrap'), 'title'), /did not come from a document/);
  await clearPosted();
  await page.click(tid('insert-numpy'), { force: true });
  assert.deepEqual(await posted(), []);
  await assertClean();
});

test('state: a reload re-renders from the saved state with the step and the selection; a tampered state is ignored', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  await page.click(tid('step-reset'));
  for (let i = 0; i < 3; i++) await page.click(tid('step-forward'));
  const sel = r.nodes.find((n) => n.name === 'a').id;
  await page.click(node(sel));
  const s = await settledState();
  assert.equal(s.version, 1);
  assert.equal(s.step, 3);
  assert.equal(s.selected, sel);
  assert.deepEqual(s.last, msg);
  await page.reload();
  await page.waitForSelector(tid('graph-svg'));
  assert.deepEqual(await currentNodes(), [r.steps[2].node]);
  assert.equal(await annotation(tid('step-latex')), r.steps[2].latex);
  assert.ok(await page.$eval(node(sel), (e) => e.classList.contains('selected')));
  assert.equal(await page.textContent(tid('detail-title')), 'a = sigmoid(z)');
  assert.ok((await posted()).some((m) => m.type === 'ready'));
  assert.equal((await reveals()).length, 0, 'a restore does not move the editor');

  await page.evaluate(() => sessionStorage.setItem('mathlens-test-state', JSON.stringify({ version: 1, step: -3, last: { type: 'backprop', result: { ok: true } } })));
  await page.reload();
  await page.waitForSelector(tid('empty'));
  await assertClean();
});

test('collapsed view of a 20-layer chain: folded ×k node, members reveal their spans, toggle back to every node', async () => {
  const msg = S.chain(20);
  const r = msg.result;
  assert.ok(r.collapsed, 'the engine folds this chain');
  await showGraph(msg);
  // Collapsed by default when the engine offers it.
  assert.equal(await page.getAttribute(tid('graph'), 'data-view'), 'collapsed');
  assert.equal(await page.locator(tid('node')).count(), r.collapsed.nodes.length);
  const folded = r.collapsed.nodes.find((v) => v.count > 1);
  const item = page.locator(`${tid('node')}[data-item="${folded.id}"]`);
  assert.equal(await item.locator(tid('node-label')).textContent(), folded.label);
  await clearPosted();
  await item.click();
  const first = r.nodes[folded.members[0]];
  assert.deepEqual(await reveals(), [{ type: 'reveal', from: first.from, to: first.to }]);
  assert.equal(await page.locator(tid('folded-member')).count(), Math.min(200, folded.members.length));
  await clearPosted();
  await page.locator(tid('folded-member')).nth(2).click();
  const third = r.nodes[folded.members[2]];
  assert.deepEqual(await reveals(), [{ type: 'reveal', from: third.from, to: third.to }]);

  // Stepping in the collapsed view highlights the folded node when the step is inside it.
  await page.click(tid('step-reset'));
  await page.click(tid('step-forward'));
  const s0 = r.steps[0].node;
  assert.equal(await page.$eval(`${tid('node')}.current`, (e) => Number(e.dataset.item)), r.nodes[s0].view);

  await page.screenshot({ path: join(out, 'collapsed.png'), fullPage: true });
  await page.click(tid('collapsed-toggle'));
  await page.waitForFunction(() => document.querySelector('[data-testid="graph"]').dataset.view === 'full');
  assert.equal(await page.locator(tid('node')).count(), r.nodes.length);
  assert.equal((await settledState()).collapsed, false);
  assert.ok(await page.$eval(node(first.id), (e) => e.classList.contains('selected')), 'the selection survives the toggle');
  // Zoom: buttons change the SVG's size.
  const w0 = Number(await page.getAttribute(tid('graph-svg'), 'width'));
  await page.click(tid('zoom-out'));
  const w1 = Number(await page.getAttribute(tid('graph-svg'), 'width'));
  assert.ok(Math.abs(w1 - w0 / 1.25) < 1, `${w0} → ${w1}`);
  await page.click(tid('zoom-fit'));
  const fitW = Number(await page.getAttribute(tid('graph-svg'), 'width'));
  const boxW = await page.$eval(tid('graph-scroll'), (e) => e.clientWidth);
  assert.ok(fitW <= boxW, `fit: ${fitW} ≤ ${boxW}`);
  await page.screenshot({ path: join(out, 'chain.png'), fullPage: true });
  await assertClean();
});

test('a large graph (a 400-layer chain, 2,000 nodes): drawn in full, stepped and selected, playback and selection kept in view', async () => {
  const msg = S.chain(400);
  const r = msg.result;
  assert.ok(r.nodes.length > 1900, `${r.nodes.length} nodes`);
  await page.evaluate(() => sessionStorage.setItem('mathlens-test-state', JSON.stringify({ version: 1, collapsed: false })));
  await page.reload();
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  const t0 = Date.now();
  await showGraph(msg);
  const drawMs = Date.now() - t0;
  assert.equal(await page.locator(tid('node')).count(), r.nodes.length);
  const t1 = Date.now();
  for (let i = 0; i < 5; i++) await page.click(tid('step-back'));
  const stepMs = (Date.now() - t1) / 5;
  assert.deepEqual(await currentNodes(), [r.steps[r.steps.length - 6].node]);
  // Playback keeps its node in view: the first forward step is at the far left, the output at the far right.
  const inView = (id) =>
    page.evaluate((sel) => {
      const n = document.querySelector(sel).getBoundingClientRect();
      const v = document.querySelector('[data-testid="graph-scroll"]').getBoundingClientRect();
      return n.left >= v.left - 1 && n.right <= v.right + 1 && n.top >= v.top - 1 && n.bottom <= v.bottom + 1;
    }, node(id));

  // The output is scrolled to and selected from the keyboard.
  await page.locator(node(r.outputId)).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent(tid('detail-title')), `loss = ${r.nodes[r.outputId].label}`);
  assert.equal(await inView(r.outputId), true, 'the selected output is scrolled into view');
  assert.ok(await page.evaluate(() => document.querySelector('[data-testid="graph-scroll"]').scrollLeft > 0), 'the graph scrolled right');
  await page.click(tid('step-reset'));
  await page.click(tid('step-forward'));
  assert.equal(await inView(r.steps[0].node), true, 'the first step (far left) is scrolled into view');
  const times = await page.evaluate(() => ({ ...document.getElementById('app').dataset }));
  console.log(`# 400-layer chain: ${r.nodes.length} nodes drawn in ${drawMs} ms (graph ${times.graphMs}, inputs ${times.inputsMs}, render ${times.renderMs}), ${stepMs.toFixed(0)} ms a step (update ${times.updateMs})`);
  await assertClean();
});

test('error: the message and the problem marked in the source, all as text (no HTML from the selection)', async () => {
  const msg = S.xss();
  assert.equal(msg.result.ok, false);
  await post(msg);
  await page.waitForSelector(tid('error'));
  const e = msg.result.error;
  assert.equal(await page.textContent(tid('error-message')), e.message);
  assert.equal(await page.textContent(tid('error-source')), msg.source.text);
  assert.equal(await page.textContent(tid('error-mark')), msg.source.text.slice(e.offset, e.offset + e.length));
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator(`${tid('error')} *:not(h2):not(p):not(pre):not(mark)`).count(), 0);
  assert.match(await page.textContent(tid('error-where')), new RegExp(`^Line ${msg.source.errorPosition.line + 1}, column ${msg.source.errorPosition.character + 1}`));
  await assertClean();
});

test('keyboard: Tab reaches the graph, arrows move between nodes, Enter selects and reveals', async () => {
  const msg = S.scalar();
  const r = msg.result;
  await showGraph(msg);
  await page.evaluate(() => document.activeElement?.blur());
  const focusedId = () => page.evaluate(() => (document.activeElement?.dataset?.testid === 'node' ? Number(document.activeElement.dataset.id) : null));
  for (let i = 0; i < 40 && (await focusedId()) === null; i++) await page.keyboard.press('Tab');
  assert.equal(await focusedId(), r.outputId, 'the graph is one tab stop, starting at the output');
  assert.equal(await page.locator(`${tid('node')}[tabindex="0"]`).count(), 1);
  const outNode = r.nodes[r.outputId];
  await page.keyboard.press('ArrowLeft');
  const left = await focusedId();
  assert.ok(outNode.inputs.includes(left), `← goes to an input of the output: ${left}`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await focusedId(), r.outputId, '→ goes back to a consumer');
  await page.keyboard.press('ArrowLeft');
  const column = r.nodes.filter((n) => n.x === r.nodes[left].x).sort((a, b) => a.y - b.y);
  const up = column.findIndex((n) => n.id === left) > 0;
  await page.keyboard.press(up ? 'ArrowUp' : 'ArrowDown');
  const moved = await focusedId();
  assert.notEqual(moved, left);
  assert.equal(r.nodes[moved].x, r.nodes[left].x, '↑/↓ stay in the column');
  assert.ok(up ? r.nodes[moved].y < r.nodes[left].y : r.nodes[moved].y > r.nodes[left].y);
  await page.keyboard.press('Home');
  assert.equal(await focusedId(), 0);
  await clearPosted();
  await page.keyboard.press('Enter');
  assert.deepEqual(await reveals(), [{ type: 'reveal', from: r.nodes[0].from, to: r.nodes[0].to }]);
  assert.equal(await page.textContent(tid('detail-title')), r.nodes[0].label);
  // Arrow keys in the graph navigate; they do not step.
  assert.equal(await page.evaluate(() => document.getElementById('app').dataset.step), 'all');
  // Tooltips document the shortcuts.
  assert.match(await page.getAttribute(tid('step-forward'), 'title'), /→/);
  assert.match(await page.getAttribute(tid('step-back'), 'title'), /←/);
  assert.match(await page.getAttribute(tid('play'), 'title'), /Space/);
  await assertClean();
});

test('shaped values: shape badges, small matrices elided beyond 6 × 6, vector–Jacobian rules, JSON inputs', async (t) => {
  const msg = S.shaped();
  if (!msg.result.ok) {
    t.skip(`the engine refuses shaped values for now: ${msg.result.error.message}`);
    return;
  }
  const r = msg.result;
  await showGraph(msg);
  assert.equal(await page.locator(tid('node')).count(), r.nodes.length);
  // W is 8 × 7: its box shows the shape; the detail pane an elided 6 × 6 grid with the shape badge.
  const W = r.nodes.find((n) => n.name === 'W');
  assert.deepEqual(W.shape, [8, 7]);
  assert.equal(await nodeText(W.id, 'value'), '8×7');
  assert.equal(await nodeText(W.id, 'grad'), '∂ 8×7');
  await page.click(node(W.id));
  assert.equal(await page.textContent(tid('detail-value-shape')), '8×7');
  assert.equal(await page.locator(`${tid('detail-value-matrix')} tr`).count(), 6);
  assert.equal(await page.locator(`${tid('detail-value-matrix')} tr`).first().locator('td').count(), 6);
  const firstRow = await page.locator(`${tid('detail-value-matrix')} tr`).first().locator('td').allTextContents();
  assert.deepEqual(firstRow, [...W.value[0].slice(0, 3).map(F.fmtShort), '⋯', ...W.value[0].slice(5).map(F.fmtShort)]);
  assert.equal(await page.textContent(tid('detail-grad-shape')), '8×7');
  assert.equal(await annotation(tid('detail-tex')), `${W.tex} \\in \\mathbb{R}^{8 \\times 7}`);
  // The matmul: each incoming edge gives its vector–Jacobian rule (no scalar local derivative).
  const mm = r.nodes.find((n) => n.op === 'matmul');
  await page.click(node(mm.id));
  const rows = page.locator(tid('detail-edge'));
  const incoming = r.edges.filter((e) => e.to === mm.id);
  assert.equal(await rows.count(), incoming.length);
  for (let i = 0; i < incoming.length; i++) {
    assert.equal(incoming[i].local, null);
    assert.equal(await rows.nth(i).locator(`${tid('edge-local')} annotation`).textContent(), incoming[i].localLatex);
    assert.equal(await rows.nth(i).locator(tid('edge-upstream-shape')).textContent(), F.valueShort(incoming[i].upstream));
    assert.equal(await rows.nth(i).locator(tid('edge-product-value-shape')).textContent(), F.valueShort(incoming[i].product));
  }
  assert.equal(await page.locator('.math-fallback').count(), 0, 'every LaTeX renders');
  // Shaped inputs are JSON arrays of their shape.
  const x = r.leaves.find((l) => l.name === 'x');
  assert.equal(await page.textContent(tid('input-shape-x')), '(7,)');
  assert.equal(await page.locator(`${tid('input-x')} input`).inputValue(), JSON.stringify(x.value));
  await clearPosted();
  await page.locator(`${tid('input-x')} input`).fill('[1, 2, 3]');
  await page.click(tid('recompute'));
  assert.match(await page.textContent(tid('input-error-x')), /shape \(7,\)/);
  assert.deepEqual(await posted(), []);
  await page.locator(`${tid('input-x')} input`).fill('[1, 2, 3, 4, 5, 6, 7]');
  await page.click(tid('recompute'));
  assert.deepEqual(await posted(), [{ type: 'recompute', at: { x: [1, 2, 3, 4, 5, 6, 7] } }]);
  // Stepping shows the engine's array LaTeX.
  await page.click(tid('step-reset'));
  await page.click(tid('step-forward'));
  assert.equal(await annotation(tid('step-latex')), r.steps[0].latex);
  await page.click(node(mm.id));
  await page.screenshot({ path: join(out, 'shaped.png'), fullPage: true });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal page overflow: wide arrays scroll in their own box');
  await assertClean();
});

test('a batch too large to send whole: corners with the true shape, gaps where rows were cut, a read-only input', async () => {
  const { msg, full } = S.batch();
  assert.equal(msg.result.sampled, true);
  await showGraph(msg);
  const X = msg.result.leaves.find((l) => l.name === 'X');
  const Xfull = full.leaves.find((l) => l.name === 'X');
  await page.click(node(X.id));
  assert.equal(await page.textContent(tid('detail-value-shape')), '300×40');
  const rows = page.locator(`${tid('detail-value-matrix')} tr`);
  assert.equal(await rows.count(), 6);
  const cells = async (i) => rows.nth(i).locator('td').allTextContents();
  // Rows 0, 1, 2, a gap, rows 298 and 299; in each, columns 0, 1, 2, a gap, 38 and 39: the true entries.
  assert.deepEqual(await cells(0), [...Xfull.value[0].slice(0, 3).map(F.fmtShort), '⋯', ...Xfull.value[0].slice(38).map(F.fmtShort)]);
  assert.deepEqual(await cells(3), ['⋮', '⋮', '⋮', '⋱', '⋮', '⋮']);
  assert.deepEqual(await cells(5), [...Xfull.value[299].slice(0, 3).map(F.fmtShort), '⋯', ...Xfull.value[299].slice(38).map(F.fmtShort)]);
  // The node labels keep the true shapes; the input cannot be edited from its corners.
  const z = msg.result.nodes.find((n) => n.name === 'z');
  assert.equal(await nodeText(z.id, 'value'), 'z = (300,)');
  assert.equal(await page.locator(`${tid('input-X')}[readonly]`).count(), 1);
  assert.match(await page.locator(`${tid('input-X')} input`).inputValue(), /300×40 array: too large to edit here/);
  await clearPosted();
  await page.click(tid('recompute'));
  const sent = await posted();
  assert.ok(sent.every((m) => m.type !== 'recompute' || !('X' in m.at)), 'the corners are never sent back as a value');
  assert.match(await page.textContent(tid('notes')), /shown by their corners/);
  await assertClean();
});

test('format (node): grids elided to 6 × 6, shapes, input parsing', () => {
  const m = Array.from({ length: 8 }, (_, i) => Array.from({ length: 7 }, (_, j) => i * 10 + j));
  const g = F.gridOf(m);
  assert.deepEqual(g.shape, [8, 7]);
  assert.equal(g.elided, true);
  assert.equal(g.rows.length, 6);
  assert.deepEqual(g.rows[0].map((c) => c.text), ['0', '1', '2', '⋯', '5', '6']);
  assert.deepEqual(g.rows[3].map((c) => c.text), ['⋮', '⋮', '⋮', '⋱', '⋮', '⋮']);
  assert.deepEqual(g.rows[5].map((c) => c.text), ['70', '71', '72', '⋯', '75', '76']);
  assert.deepEqual(F.gridOf([1, 2, 3]).rows.map((r) => r.map((c) => c.text)), [['1', '2', '3']]);
  assert.equal(F.gridOf([[[1, 2]], [[3, 4]]]).slice.join(), '0');
  assert.equal(F.shapeText([3]), '(3,)');
  assert.equal(F.valueShort([[1, 2, 3], [4, 5, 6]]), '2×3');
  assert.deepEqual(F.parseInput(' -1.5e-3 ', undefined), { ok: true, value: -0.0015 });
  assert.equal(F.parseInput('', undefined).ok, false);
  assert.equal(F.parseInput('0x10', undefined).ok, false);
  assert.equal(F.parseInput('Infinity', undefined).ok, false);
  assert.deepEqual(F.parseInput('[[1, 2], [3, 4]]', [2, 2]), { ok: true, value: [[1, 2], [3, 4]] });
  assert.equal(F.parseInput('[1, 2, 3]', [2, 2]).ok, false);
  assert.equal(F.parseInput('[1, "2"]', [2]).ok, false);
  assert.match(F.parseInput('nope', [2, 3]).message, /shape \(2, 3\)/);
  assert.equal(F.fmtShort(0.3775406687981454), '0.3775');
  assert.equal(F.fmtShort(-1.5e-7), '-1.5e-7');
});
