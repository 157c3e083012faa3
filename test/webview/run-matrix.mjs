// Headless tests of the matrix panel's webview (webview/matrix/), in Debian's Chromium.
//
// 1. esbuild bundles the test page (a fake acquireVsCodeApi, then the real
//    webview/matrix/main.ts) into test-output/webview-matrix/matrix.js (+ .css),
//    with KaTeX's CSS and fonts;
// 2. payloads are the hand-made samples in matrix/samples.ts (typed with the
//    protocol, bundled for node);
// 3. a localhost server serves the page built by extension/common/html.ts, so the
//    page has exactly the panel's CSP; every CSP violation, console error and
//    page error fails the run;
// 4. node:test drives Chromium (device scale factor 2, to check HiDPI
//    canvases) through playwright-core.
//
// Usage: node test/webview/run-matrix.mjs   (exits non-zero on failure)
/* global window, document, sessionStorage, getComputedStyle, structuredClone */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildPage, importNode, launchBrowser, servePage, freshPage, messages } from './harness.mjs';

/** CSP violations, console errors and page errors seen so far. */
const problems = [];
const DPR = 2;

// ------------------------------------------------------------------ build and serve

const out = await buildPage({ outName: 'webview-matrix', name: 'matrix', entry: 'test/webview/matrix/page.ts' });
const html = await importNode(out, 'test/webview/helpers.ts', 'helpers.mjs');
const { panelCsp } = html;
const { SAMPLES, bigValue, cubeValue } = await importNode(out, 'test/webview/matrix/samples.ts', 'samples.mjs');
const { server, base } = await servePage({ out, name: 'matrix', html, problems });

// ------------------------------------------------------------------ browser

let page;
let closeBrowser;

before(async () => {
  ({ page, close: closeBrowser } = await launchBrowser({ viewport: { width: 820, height: 900 }, deviceScaleFactor: DPR, problems }));
});

after(async () => {
  await closeBrowser?.();
  server.close();
});

/** Fresh page (and fresh webview state) for each test. */
beforeEach(() => freshPage(page, base));

const post = (message) => messages(page).post(message);
const posted = () => messages(page).posted();
const clearPosted = () => messages(page).clearPosted();

const savedState = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('mathlens-test-state')));
const tid = (id) => `[data-testid="${id}"]`;

async function assertClean() {
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), [], 'CSP violations');
  assert.deepEqual(problems, [], 'console/page errors');
}

/** Posts a matrix and waits until its heatmap has been drawn at least once. */
async function showMatrix(message) {
  await post(message);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="heatmap-canvas"]')?.dataset.drawn ?? 0) > 0);
}

/** The colour at the centre of heatmap cell (row, col), read back from the canvas. */
async function cellPixel(row, col) {
  return page.evaluate(
    ([r, c]) => {
      const canvas = document.querySelector('[data-testid="heatmap-canvas"]');
      const { rows, cols } = canvas.dataset;
      const x = Math.floor(((c + 0.5) * canvas.width) / Number(cols));
      const y = Math.floor(((r + 0.5) * canvas.height) / Number(rows));
      return [...canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)];
    },
    [row, col],
  );
}

/** Moves the mouse over the centre of heatmap cell (row, col). */
async function hoverCell(row, col, rows, cols) {
  const box = await page.locator(tid('heatmap-canvas')).boundingBox();
  await page.mouse.move(box.x + ((col + 0.5) * box.width) / cols, box.y + ((row + 0.5) * box.height) / rows);
}

const hue = ([r, g, b]) => {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return null;
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
};
const distance = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

// ------------------------------------------------------------------ tests

test('the page is served with the panel CSP, starts empty and says ready', async () => {
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(csp, panelCsp(new URL(base).origin, csp.match(/'nonce-([^']+)'/)[1]));
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  await page.waitForSelector(tid('empty'));
  assert.deepEqual(await posted(), [{ type: 'ready' }]);
  await assertClean();
});

test('loading shows a progress ring and the title as text', async () => {
  await post({ type: 'matrixLoading', title: 'A <b>bold</b>' });
  await page.waitForSelector(`${tid('loading')} vscode-progress-ring`);
  assert.match(await page.textContent(tid('loading')), /A <b>bold<\/b>/);
  assert.equal(await page.locator(`${tid('loading')} b`).count(), 0);
});

test('3×3 symmetric: header, KaTeX matrix, properties, HiDPI heatmap with a diverging map centred on 0, colour bar', async () => {
  const msg = SAMPLES.sym3();
  const d = msg.data;
  await showMatrix(msg);
  assert.equal(await page.textContent(tid('title')), 'A');
  assert.equal(await page.textContent(tid('shape')), '3 × 3');
  assert.equal(await page.textContent(`${tid('notes')} li`), d.notes[0]);

  // KaTeX rendered the matrix (its annotation holds our LaTeX), with no fallback anywhere.
  await page.waitForSelector(`${tid('matrix-latex')} .katex`);
  assert.equal(await page.textContent(`${tid('matrix-latex')} annotation[encoding="application/x-tex"]`), d.latex);
  assert.equal(await page.locator('.math-fallback').count(), 0);

  // Properties: one row per property, the hint as a tooltip.
  const props = page.locator(`${tid('properties')} tr`);
  assert.equal(await props.count(), d.properties.length);
  assert.equal(await props.nth(1).locator('th').textContent(), 'positive definite');
  assert.equal(await props.nth(1).locator('td').first().textContent(), 'yes');
  assert.equal(await props.nth(1).getAttribute('title'), 'every eigenvalue > 0');

  // HiDPI: the backing store has devicePixelRatio × the CSS size.
  const size = await page.locator(tid('heatmap-canvas')).evaluate((c) => ({ w: c.width, h: c.height, cw: c.getBoundingClientRect().width, ch: c.getBoundingClientRect().height, rows: c.dataset.rows, cols: c.dataset.cols }));
  assert.ok(Math.abs(size.w - size.cw * DPR) <= 1 && Math.abs(size.h - size.ch * DPR) <= 1, JSON.stringify(size));
  assert.ok(size.cw >= 100, `cells are large for a 3 × 3 matrix: ${JSON.stringify(size)}`);
  assert.deepEqual([size.rows, size.cols], ['3', '3']);

  // Colours: 0 is the editor background (#1f1f1f); +2 and −1 differ from it and from each other in hue.
  const zero = await cellPixel(0, 2);
  const pos = await cellPixel(0, 0);
  const neg = await cellPixel(0, 1);
  assert.ok(distance(zero, [31, 31, 31]) <= 3, `0 is the background: ${zero}`);
  assert.ok(distance(pos, zero) > 100, `positive differs from 0: ${pos}`);
  assert.ok(distance(neg, zero) > 40, `negative differs from 0: ${neg}`);
  assert.ok(pos[0] > pos[2] + 100, `positive is red: ${pos}`);
  assert.ok(neg[2] > neg[0] + 40, `negative is blue: ${neg}`);
  const dh = Math.abs(hue(pos) - hue(neg));
  assert.ok(Math.min(dh, 360 - dh) > 90, `hues differ: ${hue(pos)} vs ${hue(neg)}`);
  // +2 is the end of the scale (absMax): the theme's red itself.
  assert.ok(distance(pos, [241, 76, 76]) <= 3, `+absMax is charts.red: ${pos}`);
  // −1 is half way between the background and the blue.
  assert.ok(distance(neg, [(31 + 55) / 2, (31 + 148) / 2, (31 + 255) / 2]) <= 4, `−absMax/2 is half blue: ${neg}`);

  // Colour bar: ticks at ±absMax, ±absMax/2 and 0, its top red and bottom blue.
  assert.deepEqual(await page.locator(`${tid('colorbar-ticks')} .tick`).allTextContents(), ['2', '1', '0', '-1', '-2']);
  const [top, bottom] = await page.locator(tid('colorbar-canvas')).evaluate((c) => {
    const ctx = c.getContext('2d');
    return [[...ctx.getImageData(c.width / 2, 1, 1, 1).data.slice(0, 3)], [...ctx.getImageData(c.width / 2, c.height - 2, 1, 1).data.slice(0, 3)]];
  });
  assert.ok(top[0] > top[2] + 100 && bottom[2] > bottom[0] + 100, `bar from red to blue: ${top} ${bottom}`);
  assert.equal(await page.locator(tid('nan-legend')).count(), 0, 'no NaN legend without NaN');
  assert.equal(await page.locator(tid('heatmap-note')).count(), 0, 'not downsampled');
  await page.screenshot({ path: join(out, 'sym3.png'), fullPage: true });
  await assertClean();
});

test('heatmap readout: hover shows value and index; arrow keys move a cursor announced in an aria-live region', async () => {
  await showMatrix(SAMPLES.sym3());
  await hoverCell(1, 2, 3, 3);
  assert.equal(await page.textContent(tid('heatmap-readout')), '[1, 2] = -1');
  await hoverCell(2, 2, 3, 3);
  assert.equal(await page.textContent(tid('heatmap-readout')), '[2, 2] = 2');

  const live = page.locator(tid('heatmap-live'));
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement?.blur());
  // Tab reaches the canvas.
  for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.dataset?.testid)) !== 'heatmap-canvas'; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'heatmap-canvas');
  assert.equal(await live.textContent(), '[0, 0] = 2');
  const before = await cellPixel(0, 1);
  await page.keyboard.press('ArrowRight');
  assert.equal(await live.textContent(), '[0, 1] = -1');
  await page.keyboard.press('ArrowDown');
  assert.equal(await live.textContent(), '[1, 1] = 2');
  await page.keyboard.press('End');
  assert.equal(await live.textContent(), '[1, 2] = -1');
  await page.keyboard.press('ArrowRight');
  assert.equal(await live.textContent(), '[1, 2] = -1', 'stops at the edge');
  await page.keyboard.press('Control+Home');
  assert.equal(await live.textContent(), '[0, 0] = 2');
  await page.keyboard.press('Control+End');
  assert.equal(await live.textContent(), '[2, 2] = 2');
  assert.equal(await page.textContent(tid('heatmap-readout')), '[2, 2] = 2');

  // The cursor is drawn: the edge of the cursor cell takes the focus colour (#0078d4), the cell centre keeps its value.
  const edge = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="heatmap-canvas"]');
    const x = Math.floor((2.5 * c.width) / 3);
    const y = Math.ceil((2 * c.height) / 3) + 3;
    return [...c.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)];
  });
  assert.ok(distance(edge, [0, 120, 212]) <= 3, `cursor outline: ${edge}`);
  assert.deepEqual(await cellPixel(0, 1), before, 'cells away from the cursor unchanged');
  await assertClean();
});

test('decomposition tabs: switch with mouse and keyboard, bar charts, the open tab is saved and restored after a reload', async () => {
  const msg = SAMPLES.sym3();
  const d = msg.data;
  await showMatrix(msg);
  const headers = page.locator('vscode-tab-header');
  assert.deepEqual(await headers.allTextContents(), d.decompositions.map((x) => x.label));
  assert.equal(await page.locator(tid('tab-lu')).evaluate((el) => el.active), true);
  assert.equal(await page.locator(tid('panel-lu')).isVisible(), true);
  await page.waitForSelector(`${tid('decomposition-lu')} .katex`);
  assert.equal(await page.locator(`${tid('decomposition-lu')} .block`).count(), 3);
  assert.equal(await page.locator(tid('decomposition-svd')).count(), 0, 'hidden tabs are built when first shown');

  await page.click(tid('tab-svd'));
  await page.waitForSelector(`${tid('decomposition-svd')} .katex`);
  assert.equal(await page.locator(tid('panel-svd')).isVisible(), true);
  assert.equal(await page.locator(tid('panel-lu')).isVisible(), false);
  assert.equal((await savedState()).tab, 'svd');

  // The singular values as bars: one per value, heights proportional, labelled.
  const bars = page.locator(`${tid('bars-svd')} rect.bar`);
  assert.equal(await bars.count(), 3);
  const heights = await bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
  const sv = d.decompositions.find((x) => x.key === 'svd').bars.values;
  for (let i = 1; i < 3; i++) assert.ok(Math.abs(heights[i] / heights[0] - sv[i] / sv[0]) < 0.01, `bar ${i}: ${heights}`);
  assert.deepEqual(await page.locator(`${tid('bars-svd')} .tick-label.x`).allTextContents(), ['σ₁', 'σ₂', 'σ₃']);
  assert.ok((await page.locator(`${tid('bars-svd')} .axis-title`).allTextContents()).includes('singular value'));
  assert.equal(await bars.first().locator('title').textContent(), `σ₁: ${Number((2 + Math.SQRT2).toPrecision(6))}`);

  // Keyboard: arrows move between headers, Space (and Enter) select.
  await page.focus(tid('tab-svd'));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press(' ');
  await page.waitForSelector(`${tid('decomposition-pinv')} .katex`);
  assert.equal(await page.locator(tid('panel-pinv')).isVisible(), true);
  assert.equal((await savedState()).tab, 'pinv');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForSelector(tid('decomposition-lowRank'));
  assert.equal((await savedState()).tab, 'lowRank');
  assert.equal(await page.textContent(tid('note-lowRank')), d.decompositions.find((x) => x.key === 'lowRank').note);

  await page.click(tid('tab-eigen'));
  await page.waitForSelector(tid('bars-eigen'));
  await clearPosted();
  await page.reload();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="heatmap-canvas"]')?.dataset.drawn ?? 0) > 0);
  assert.equal(await page.locator(tid('tab-eigen')).evaluate((el) => el.active), true, 'the eigen tab is restored');
  assert.equal(await page.locator(tid('panel-eigen')).isVisible(), true);
  assert.equal(await page.locator(tid('panel-lu')).isVisible(), false);
  await page.waitForSelector(`${tid('decomposition-eigen')} .katex`);
  assert.deepEqual(await posted(), [{ type: 'ready' }], 'asks for nothing but says ready');
  // The restored matrix is drawn again.
  assert.ok(distance(await cellPixel(0, 0), [241, 76, 76]) <= 3);

  // A new matrix keeps the open tab when it has it.
  await showMatrix(SAMPLES.rot2());
  assert.equal(await page.locator(tid('tab-eigen')).evaluate((el) => el.active), true);
  await assertClean();
});

test('copy buttons post the right messages; "copied" shows a transient status', async () => {
  const msg = SAMPLES.sym3();
  await showMatrix(msg);
  await clearPosted();
  await page.click(tid('copy-latex'));
  await page.click(tid('copy-numpy'));
  await page.click(tid('tab-svd'));
  await page.click(tid('copy-latex-svd'));
  const svd = msg.data.decompositions.find((x) => x.key === 'svd');
  assert.deepEqual(await posted(), [
    { type: 'copy', text: msg.data.latex, what: { format: 'latex' } },
    { type: 'copy', text: msg.data.numpy, what: { format: 'numpy' } },
    { type: 'copy', text: svd.blocks.map((b) => `% ${b.title}\n${b.latex}`).join('\n\n'), what: { format: 'latex', wrt: 'svd' } },
  ]);
  await post({ type: 'copied', what: { format: 'latex', wrt: 'svd' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Copied LaTeX of the SVD.');
  await post({ type: 'copied', what: { format: 'numpy' } });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Copied NumPy of the matrix.');
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === '', null, { timeout: 5000 });

  // Keyboard: Enter on the focused button copies too.
  await clearPosted();
  await page.focus(tid('copy-latex'));
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted()).map((m) => m.what), [{ format: 'latex' }]);

  // numpy null: the button is disabled, says why, and posts nothing.
  await showMatrix(SAMPLES.data100());
  await clearPosted();
  assert.equal(await page.locator(tid('copy-numpy')).evaluate((b) => b.disabled), true);
  assert.match(await page.getAttribute(tid('copy-numpy-wrap'), 'title'), /Too large/);
  await page.locator(tid('copy-numpy')).click({ force: true });
  assert.deepEqual(await posted(), []);
  await assertClean();
});

test('3×3 geometry: transformed cube, wire ellipsoid, three eigenvector lines, det = volume', async () => {
  const msg = SAMPLES.sym3();
  await showMatrix(msg);
  assert.equal(await page.locator(`${tid('geometry-svg')}.geometry-3d`).count(), 1);
  assert.equal(await page.locator(tid('geometry-eigen')).count(), 3);
  assert.equal(await page.textContent(tid('geometry-det')), 'det = volume = 4');
  assert.equal(await page.locator(`${tid('geometry-ellipse')} path`).count(), 11, '5 parallels + 6 meridians');
  assert.equal(await page.locator(`${tid('geometry-image')} path.face.det-pos`).count(), 6);
  for (const i of [1, 2, 3]) assert.equal(await page.locator(tid(`geometry-e${i}`)).count(), 1);
  // Every drawn coordinate is a number.
  const ds = await page.locator(`${tid('geometry-svg')} path`).evaluateAll((ps) => ps.map((p) => p.getAttribute('d')));
  assert.ok(ds.every((d) => d === null || !/NaN|Infinity/.test(d)), 'finite paths');
  assert.match(await page.textContent(tid('geometry-caption')), /λ = 3\.414/);
  await assertClean();
});

test('2×2 geometry: images of e1 and e2, shaded det area; complex eigenvalues draw no eigenvector lines', async () => {
  await showMatrix(SAMPLES.rot2());
  assert.equal(await page.locator(`${tid('geometry-svg')}.geometry-2d`).count(), 1);
  assert.equal(await page.locator(tid('geometry-eigen')).count(), 0);
  assert.match(await page.textContent(tid('geometry-caption')), /No real eigenvectors/);
  assert.equal(await page.textContent(tid('geometry-det')), 'det = 2');
  assert.match(await page.getAttribute(tid('geometry-det-area'), 'class'), /det-pos/);
  await page.locator(tid('geometry')).screenshot({ path: join(out, 'rot2-geometry.png') });
  // [[1, −1], [1, 1]]: e1 → (1, 1) points up-right, e2 → (−1, 1) up-left (SVG y grows downwards).
  const seg = (id) =>
    page.locator(tid(id)).evaluate((p) =>
      p
        .getAttribute('d')
        .match(/-?[\d.]+/g)
        .map(Number),
    );
  const [ax, ay, bx, by] = await seg('geometry-e1');
  assert.ok(bx > ax && by < ay && Math.abs(bx - ax - (ay - by)) < 0.5, `Ae1 = (1, 1): ${[ax, ay, bx, by]}`);
  const [cx, cy, dx, dy] = await seg('geometry-e2');
  assert.ok(dx < cx && dy < cy && Math.abs(cx - dx - (cy - dy)) < 0.5, `Ae2 = (−1, 1): ${[cx, cy, dx, dy]}`);

  // A reflection: det < 0 is shaded differently, and its two real eigenvectors are drawn.
  await showMatrix(SAMPLES.swap2());
  assert.equal(await page.locator(tid('geometry-eigen')).count(), 2);
  assert.equal(await page.textContent(tid('geometry-det')), 'det = -1');
  assert.match(await page.getAttribute(tid('geometry-det-area'), 'class'), /det-neg/);
  await page.locator(tid('geometry')).screenshot({ path: join(out, 'swap2-geometry.png') });
  const fills = await page.evaluate(() => ['det-pos', 'det-neg'].map((c) => {
    const el = document.querySelector('[data-testid="geometry-det-area"]');
    el.setAttribute('class', `det-area ${c}`);
    return getComputedStyle(el).fill;
  }));
  assert.notEqual(fills[0], fills[1], 'sign of det has its own colour');
  await assertClean();
});

test('data matrix: PCA scatter with one dot per sample, principal axes as arrows, axis labels', async () => {
  const msg = SAMPLES.data100();
  await showMatrix(msg);
  assert.equal(await page.textContent(tid('shape')), '100 × 2');
  const d = await page.getAttribute(tid('scatter-points'), 'd');
  assert.equal(d.match(/M/g).length, 100);
  assert.equal(await page.locator(tid('scatter-axis')).count(), 2);
  assert.deepEqual(await page.locator(`${tid('scatter-svg')} .pc-label`).allTextContents(), ['PC1', 'PC2']);
  assert.equal(await page.textContent(tid('scatter-x-label')), 'PC1 (93%)');
  assert.equal(await page.textContent(tid('scatter-y-label')), 'PC2 (7%)');
  assert.equal(await page.textContent(tid('scatter-note')), msg.data.scatter.note);
  await page.screenshot({ path: join(out, 'data100.png'), fullPage: true });
  // Equal scale: the PC1 arrow (length 3) is 3/0.8 times the PC2 arrow (length 0.8).
  const lengths = await page.locator(tid('scatter-axis')).evaluateAll((ps) =>
    ps.map((p) => {
      const [a, b, c, e] = p.getAttribute('d').match(/-?[\d.]+/g).map(Number);
      return Math.hypot(c - a, e - b);
    }),
  );
  assert.ok(Math.abs(lengths[0] / lengths[1] - 3 / 0.8) < 0.05, `${lengths}`);
  // The heatmap of a 100 × 2 matrix keeps usable cells.
  const size = await page.locator(tid('heatmap-canvas')).evaluate((c) => c.getBoundingClientRect());
  assert.ok(size.width >= 20 && size.height >= 200, JSON.stringify(size));
  await assertClean();
});

test('2048 × 2048 as 256 × 256 block means: note, block readout, NaN hatching, draw time', async () => {
  const msg = SAMPLES.big();
  await showMatrix(msg);
  assert.equal(await page.textContent(tid('heatmap-note')), '2048 × 2048 shown as 256 × 256 block means (8 × 8 entries per cell).');
  assert.equal(await page.locator(tid('nan-legend')).count(), 1);
  await page.screenshot({ path: join(out, 'big.png') });

  const fmt = (v) => String(Number(v.toPrecision(6)));
  await hoverCell(0, 1, 256, 256);
  assert.equal(await page.textContent(tid('heatmap-readout')), `[0:8, 8:16] block mean = ${fmt(bigValue(0, 1))} (rows 0–7, cols 8–15)`);
  await hoverCell(200, 255, 256, 256);
  assert.equal(await page.textContent(tid('heatmap-readout')), `[1600:1608, 2040:2048] block mean = ${fmt(bigValue(200, 255))} (rows 1600–1607, cols 2040–2047)`);
  await hoverCell(11, 21, 256, 256);
  assert.match(await page.textContent(tid('heatmap-readout')), /^\[88:96, 168:176\] block mean = NaN/);

  // Keyboard on the big grid: Page Down jumps 32 rows.
  await page.focus(tid('heatmap-canvas'));
  await page.keyboard.press('PageDown');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent(tid('heatmap-live')), `[256:264, 8:16] block mean = ${fmt(bigValue(32, 1))} (rows 256–263, cols 8–15)`);
  await page.evaluate(() => document.activeElement?.blur());

  // NaN cells are hatched in neutral greys: two different, unsaturated colours, unlike any value colour.
  const nan = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="heatmap-canvas"]');
    const ctx = c.getContext('2d');
    const x0 = Math.floor((20 * c.width) / 256);
    const y0 = Math.floor((10 * c.height) / 256);
    const seen = new Set();
    const data = ctx.getImageData(x0 + 1, y0 + 1, 8, 8).data;
    for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return [...seen].map((s) => s.split(',').map(Number));
  });
  assert.equal(nan.length, 2, `two stripe colours: ${JSON.stringify(nan)}`);
  for (const c of nan) assert.ok(Math.max(...c) - Math.min(...c) <= 2, `grey: ${c}`);
  // Cell (0, 0) holds 0: the background.
  assert.ok(distance(await cellPixel(0, 0), [31, 31, 31]) <= 3);

  // Draw time of the 256 × 256 grid on a HiDPI canvas (fill + putImageData), over several redraws.
  const times = [];
  for (const width of [700, 760, 720, 800, 740, 780, 820]) {
    const n = await page.locator(tid('heatmap-canvas')).evaluate((c) => Number(c.dataset.drawn));
    await page.setViewportSize({ width, height: 900 });
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid="heatmap-canvas"]').dataset.drawn) > k, n);
    times.push(Number(await page.locator(tid('heatmap-canvas')).evaluate((c) => c.dataset.drawMs)));
  }
  const size = await page.locator(tid('heatmap-canvas')).evaluate((c) => `${c.width}×${c.height}`);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`# heatmap draw 256×256 grid on a ${size} device-pixel canvas: median ${median.toFixed(2)} ms (min ${times[0].toFixed(2)}, max ${times.at(-1).toFixed(2)}) over ${times.length} draws`);
  assert.ok(median < 50, `draw median ${median} ms`);
  await page.setViewportSize({ width: 820, height: 900 });
  await assertClean();
});

test('.npy: header table, statistics, and a 3-D slice: the index field posts {type: "slice"} (debounced), out-of-range values are refused', async () => {
  const msg = SAMPLES.npy3d();
  await showMatrix(msg);
  assert.equal(await page.textContent(tid('file-dtype')), '<f8');
  assert.equal(await page.textContent(tid('file-shape')), '(4, 3, 5)');
  assert.equal(await page.textContent(tid('file-order')), 'C (row-major)');
  assert.equal(await page.textContent(tid('stat-count')), '60');
  assert.equal(await page.textContent(tid('stat-nan')), '0');
  assert.equal(await page.textContent(tid('stat-min')), '-12');
  assert.equal(await page.textContent(tid('stat-max')), '312');
  assert.equal(await page.textContent(tid('stat-std')), '111.8');
  assert.equal(await page.textContent(tid('input-shape')), 'input (4, 3, 5)');
  assert.equal(await page.textContent(tid('slice-chip')), 'slice [1, :, :]');
  assert.equal(await page.textContent(tid('slice-preview')), '[1, :, :]');
  await page.screenshot({ path: join(out, 'npy3d.png'), fullPage: true });

  // The readout carries the slice's leading index.
  await hoverCell(2, 4, 3, 5);
  assert.equal(await page.textContent(tid('heatmap-readout')), `[1, 2, 4] = ${cubeValue(1, 2, 4)}`);

  // One field (axis 0 of 4). Typing 0 then 3 quickly posts once, after the quiet time.
  assert.equal(await page.locator('[data-testid^="slice-axis-"]').count(), 1);
  const field = page.locator(`${tid('slice-axis-0')} input`);
  assert.equal(await field.inputValue(), '1');
  assert.equal(await field.getAttribute('max'), '3');
  await clearPosted();
  await field.fill('0');
  await field.fill('3');
  assert.deepEqual(await posted(), [], 'debounced');
  await page.waitForFunction(() => window.__posted.length > 0);
  await page.waitForTimeout(400);
  assert.deepEqual(await posted(), [{ type: 'slice', index: [3] }]);
  assert.equal(await page.textContent(tid('slice-preview')), '[3, :, :]');

  // Out of range: marked invalid, explained, nothing posted.
  await clearPosted();
  await field.fill('4');
  await page.waitForTimeout(450);
  assert.deepEqual(await posted(), []);
  assert.equal(await page.textContent(tid('slice-message')), 'Axis 0 takes an index from 0 to 3.');
  assert.equal(await page.locator(tid('slice-axis-0')).evaluate((f) => f.invalid), true);

  // Keyboard: ArrowDown in the field steps the index; Enter posts at once.
  await field.fill('3');
  await field.press('ArrowDown');
  await field.press('Enter');
  assert.deepEqual(await posted(), [{ type: 'slice', index: [2] }]);
  await assertClean();
});

test('.npz: the array select and two slice fields post {type: "slice"} with the array', async () => {
  await showMatrix(SAMPLES.npz4d());
  assert.equal(await page.textContent(tid('file-order')), 'Fortran (column-major)');
  assert.equal(await page.textContent(tid('stat-mean')), '—');
  assert.equal(await page.textContent(tid('stat-inf')), '1');
  assert.equal(await page.textContent(tid('slice-chip')), 'slice [1, 2, :, :]');
  assert.equal(await page.locator('[data-testid^="slice-axis-"]').count(), 2);
  await clearPosted();
  await page.locator(`${tid('slice-axis-1')} input`).fill('0');
  await page.locator(`${tid('slice-axis-1')} input`).press('Enter');
  assert.deepEqual(await posted(), [{ type: 'slice', index: [1, 0], array: 'acts' }]);

  await clearPosted();
  const select = page.locator(tid('npz-array'));
  assert.equal(await select.evaluate((s) => s.value), 'acts');
  await select.click();
  await page.locator('vscode-single-select li.option', { hasText: 'bias' }).click();
  await page.waitForFunction(() => window.__posted.length > 0);
  assert.deepEqual(await posted(), [{ type: 'slice', index: [], array: 'bias' }]);
  await assertClean();
});

test('an error shows the message and the selection with the problem marked at the right character and position', async () => {
  const msg = SAMPLES.parseError();
  await post(msg);
  await page.waitForSelector(tid('error'));
  assert.equal(await page.textContent(tid('error-message')), msg.error.message);
  assert.equal(await page.textContent(tid('error-source')), msg.source.text);
  assert.equal(await page.textContent(tid('error-mark')), '5');
  const before = await page.locator(tid('error-source')).evaluate((pre) => pre.firstChild.textContent);
  assert.equal(before, msg.source.text.slice(0, 17));
  assert.equal(await page.textContent(tid('error-where')), 'Line 6, column 9 (offset 17 in the selection).');
  const color = await page.locator(`${tid('error')} h2`).evaluate((el) => getComputedStyle(el).color);
  assert.equal(color, 'rgb(248, 81, 73)');
  // Saved, and shown again after a reload.
  await page.reload();
  await page.waitForSelector(tid('error-mark'));
  assert.equal(await page.textContent(tid('error-mark')), '5');

  // An error at the end of the text is a caret, not a character.
  const end = structuredClone(msg);
  end.error = { message: 'Unexpected end of input.', kind: 'parse', offset: end.source.text.length, length: 0 };
  await post(end);
  await page.waitForSelector(`${tid('error-mark')}.point`);
  assert.equal(await page.getAttribute(tid('error-mark'), 'title'), 'end of input');
  await assertClean();
});

test('a theme change redraws the heatmap: 0 follows the editor background (light theme)', async () => {
  await showMatrix(SAMPLES.sym3());
  assert.ok(distance(await cellPixel(0, 2), [31, 31, 31]) <= 3);
  const n = await page.locator(tid('heatmap-canvas')).evaluate((c) => Number(c.dataset.drawn));
  await page.evaluate(() => {
    const s = document.documentElement.style;
    s.setProperty('--vscode-editor-background', '#ffffff');
    s.setProperty('--vscode-editor-foreground', '#3b3b3b');
    s.setProperty('--vscode-charts-blue', '#1a85ff');
    s.setProperty('--vscode-charts-red', '#e51400');
    s.setProperty('--vscode-foreground', '#3b3b3b');
    s.setProperty('--vscode-charts-foreground', '#3b3b3b');
    s.setProperty('--vscode-charts-lines', '#3b3b3b80');
    s.setProperty('--vscode-descriptionForeground', '#717171');
    s.setProperty('--vscode-panel-border', '#e5e5e5');
    s.setProperty('--vscode-focusBorder', '#005fb8');
    document.body.className = 'vscode-light';
  });
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid="heatmap-canvas"]').dataset.drawn) > k, n);
  assert.ok(distance(await cellPixel(0, 2), [255, 255, 255]) <= 3, 'white 0');
  assert.ok(distance(await cellPixel(0, 0), [229, 20, 0]) <= 3, 'light red +absMax');
  const neg = await cellPixel(0, 1);
  assert.ok(neg[2] > neg[0] + 40, `blue negative: ${neg}`);
  await page.screenshot({ path: join(out, 'light.png'), fullPage: true });
  await assertClean();
});

test('user text (title, notes, properties, labels) is shown as text, never as HTML; bad LaTeX falls back without a CSP violation', async () => {
  const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  const msg = structuredClone(SAMPLES.data100());
  msg.data.title = evil;
  msg.data.notes = [evil];
  msg.data.properties = [{ label: evil, value: evil, hint: evil }];
  msg.data.scatter.xLabel = evil;
  msg.data.decompositions[0].label = evil;
  msg.data.decompositions[0].blocks = [{ title: evil, latex: '\\text{<script>window.__xss=3</script>}', note: evil }];
  msg.data.decompositions[0].bars.names = [evil, evil];
  msg.data.latex = '\\frac{x';
  await showMatrix(msg);
  assert.equal(await page.textContent(tid('title')), evil);
  assert.equal(await page.textContent(`${tid('notes')} li`), evil);
  assert.equal(await page.textContent(tid('scatter-x-label')), evil);
  assert.equal(await page.textContent(tid('tab-pca')), evil);
  await page.waitForSelector(`${tid('matrix-latex')} .math-fallback`);
  assert.ok((await page.textContent(`${tid('matrix-latex')} .math-fallback`)).includes('\\frac{x'));
  assert.equal(await page.locator('#app img, #app script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await assertClean();
});

test('messages that do not match the protocol are ignored; a saved state that does not is not restored', async () => {
  await post({ type: 'matrix', data: { title: 'x' } });
  await post({ type: 'result', result: { ok: true } });
  await post('<b>hi</b>');
  await page.waitForSelector(tid('empty'));
  await page.evaluate(() => sessionStorage.setItem('mathlens-test-state', JSON.stringify({ version: 2, last: { type: 'matrix' } })));
  await page.reload();
  await page.waitForSelector(tid('empty'));
  await assertClean();
});

test('no CSP violations or console errors over the whole run', () => {
  assert.deepEqual(problems, []);
});
