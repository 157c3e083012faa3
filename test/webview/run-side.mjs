// Headless tests of the side view's webview (webview/side/), in Debian's Chromium.
//
// 1. esbuild bundles the test page (a fake acquireVsCodeApi, then the real
//    webview/side/main.ts) into test-output/webview-side/side.js (+ .css), with
//    KaTeX's CSS and fonts;
// 2. payloads are the hand-made samples in side/samples.ts (typed with the
//    protocol, bundled for node);
// 3. a localhost server serves the page built by extension/common/html.ts, so the page
//    has exactly the webview's CSP; every CSP violation, console error and page
//    error fails the run;
// 4. node:test drives Chromium (device scale factor 2) through playwright-core;
//    canvases are read back pixel by pixel.
//
// It prints the measured frame times of the playground animation and the time
// to render a `plot` message.
//
// Usage: node test/webview/run-side.mjs   (exits non-zero on failure)
/* global window, document, sessionStorage, requestAnimationFrame, DOMParser, Event */
import { Buffer } from 'node:buffer';
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildPage, importNode, launchBrowser, servePage, freshPage, messages } from './harness.mjs';

/** CSP violations, console errors and page errors seen so far. */
const problems = [];
const DPR = 2;
/** Measurements, printed at the end. */
const measured = {};

// ------------------------------------------------------------------ build and serve

const out = await buildPage({ outName: 'webview-side', name: 'side', entry: 'test/webview/side/page.ts' });
const html = await importNode(out, 'test/webview/helpers.ts', 'helpers.mjs');
const { panelCsp } = html;
const { SAMPLES: S } = await importNode(out, 'test/webview/side/samples.ts', 'samples.mjs');
const { server, base } = await servePage({ out, name: 'side', title: 'MathLens', html, problems });

// ------------------------------------------------------------------ browser

let page;
let closeBrowser;

before(async () => {
  ({ page, close: closeBrowser } = await launchBrowser({ viewport: { width: 420, height: 900 }, deviceScaleFactor: DPR, problems }));
});

after(async () => {
  await closeBrowser?.();
  server.close();
  const f = (x) => (typeof x === 'number' ? x.toFixed(2) : String(x));
  if (measured.frames) {
    console.log(
      `# playground animation (6 optimisers × 500 steps, ${measured.frames.n} frames, 420 px wide at DPR ${DPR}): frame draw median ${f(measured.frames.median)} ms, p95 ${f(measured.frames.p95)} ms; rAF interval median ${f(measured.frames.intervalMedian)} ms`,
    );
    console.log(`# playground full draw (heat map + contours + arrows into the cached base layer): ${f(measured.boardDraw)} ms`);
  }
  if (measured.plot) console.log(`# plot message → drawn: render ${f(measured.plot.render)} ms in the handler, ${f(measured.plot.toFrame)} ms to the next frame (median of ${measured.plot.n})`);
});

/** Fresh page (and fresh webview state) for each test. */
beforeEach(() => freshPage(page, base));

const post = (message) => messages(page).post(message);
const posted = () => messages(page).posted();
const clearPosted = () => messages(page).clearPosted();

/** The saved webview state (saves are coalesced over 50 ms: wait for them). */
const savedState = async () => {
  await sleep(80);
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('mathlens-test-state')));
};
const tid = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function assertClean() {
  assert.deepEqual(await page.evaluate(() => window.__csp ?? []), [], 'CSP violations');
  assert.deepEqual(problems, [], 'console/page errors');
}

/** Waits until a message of `type` (matching `pred`, run here in node) has been posted, and returns the last such. */
async function waitPosted(type, pred = () => true, timeout = 5000) {
  const end = Date.now() + timeout;
  for (;;) {
    const all = (await posted()).filter((m) => m.type === type && pred(m));
    if (all.length) return all[all.length - 1];
    if (Date.now() > end) throw new Error(`no ${type} message posted; posted: ${JSON.stringify(await posted()).slice(0, 600)}`);
    await sleep(25);
  }
}

const drawn = (id) => page.locator(tid(id)).evaluate((c) => Number(c.dataset.drawn ?? 0));
async function waitDrawn(id, after = 0) {
  await page.waitForFunction(([i, n]) => Number(document.querySelector(`[data-testid="${i}"]`)?.dataset.drawn ?? 0) > n, [id, after]);
}

async function tab(key) {
  await page.click(tid(`tab-${key}`));
  await page.waitForFunction((k) => document.querySelector(`[data-testid="panel-${k}"]`)?.checkVisibility(), key);
}

/**
 * Counts the canvas's device pixels within `tol` of `rgb`, in a rectangle
 * given in CSS px (default: the whole canvas).
 */
async function countColor(id, rgb, tol = 60, rect = null) {
  return page.evaluate(
    ([i, c, t, r]) => {
      const canvas = document.querySelector(`[data-testid="${i}"]`);
      const dpr = canvas.width / canvas.getBoundingClientRect().width;
      const [x, y, w, h] = r ? r.map((v) => Math.round(v * dpr)) : [0, 0, canvas.width, canvas.height];
      const x0 = Math.max(0, x);
      const y0 = Math.max(0, y);
      const W = Math.max(1, Math.min(canvas.width - x0, w));
      const H = Math.max(1, Math.min(canvas.height - y0, h));
      const d = canvas.getContext('2d').getImageData(x0, y0, W, H).data;
      let n = 0;
      for (let k = 0; k < d.length; k += 4) if (Math.hypot(d[k] - c[0], d[k + 1] - c[1], d[k + 2] - c[2]) <= t) n++;
      return n;
    },
    [id, rgb, tol, rect],
  );
}

// The test theme's chart colours (test/webview/matrix/theme.css).
const BLUE = [55, 148, 255];
const ORANGE = [209, 134, 22];
const GREEN = [137, 209, 133];
const PURPLE = [177, 128, 215];
const RED = [241, 76, 76];

const plotView = () => page.locator(tid('plot-canvas')).evaluate((c) => JSON.parse(c.dataset.view));
/** CSS px of data (x, y) in the function plot. */
const toPx = (v, x, y) => [v.left + ((x - v.x0) / (v.x1 - v.x0)) * v.w, v.top + ((v.y1 - y) / (v.y1 - v.y0)) * v.h];

async function showPlot(msg = S.plotRecip()) {
  // Every plot message builds a new chart: wait for a canvas that was not there before to be drawn.
  await page.evaluate(() => document.querySelectorAll('[data-testid="plot-canvas"]').forEach((c) => (c.dataset.old = '1')));
  await post(msg);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="plot-canvas"]:not([data-old])')?.dataset.drawn ?? 0) > 0);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
};

// ------------------------------------------------------------------ tests

test('the page is served with the webview CSP, shows five tabs and empty states, and says ready once', async () => {
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(csp, panelCsp(new URL(base).origin, csp.match(/'nonce-([^']+)'/)[1]));
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  assert.deepEqual(await page.locator('vscode-tab-header').allTextContents(), ['Plot', 'Optimize', 'Statistics', 'Distributions', 'History']);
  await page.waitForSelector(tid('plot-empty'));
  assert.deepEqual(await posted(), [{ type: 'ready' }]);
  assert.equal(await page.locator(`${tid('history-empty')}`).count(), 1);
  await assertClean();
});

test('plot: f and f′ drawn in their colours, KaTeX formulas, values at the point; nothing drawn across the pole of 1/x', async () => {
  await showPlot();
  await page.waitForSelector(`${tid('plot-latex-f')} .katex`);
  assert.equal(await page.textContent(`${tid('plot-latex-f')} annotation`), "f(x) = \\frac{1}{x}");
  assert.equal(await page.locator(`${tid('plot-latex-df')} .katex`).count(), 1);
  assert.equal(await page.locator('.math-fallback').count(), 0);
  assert.equal(await page.textContent(tid('value-x')), '1');
  assert.equal(await page.textContent(tid('value-f')), '1');
  assert.equal(await page.textContent(tid('value-df')), '-1');

  const v = await plotView();
  assert.ok(await countColor('plot-canvas', BLUE, 40) > 200, 'f is drawn in charts.blue');
  assert.ok(await countColor('plot-canvas', ORANGE, 40) > 200, 'f′ is drawn in charts.orange');
  // The tangent at x = 1 (slope −1) passes through (0, 2) and (2, 0): green there.
  const [tx, ty] = toPx(v, 2, 0);
  assert.ok(await countColor('plot-canvas', GREEN, 50, [tx - 3, ty - 3, 6, 6]) > 0, 'tangent through (2, 0)');

  // The pole at x = 0: no pixel of f's colour in that column across the middle of the plot (|y| < 3).
  const [px] = toPx(v, 0, 0);
  const [, top] = toPx(v, 0, 3);
  const [, bottom] = toPx(v, 0, -3);
  const column = [px - 1.5, top, 3, bottom - top];
  assert.equal(await countColor('plot-canvas', BLUE, 60, column), 0, 'no line across the pole');
  // …where a host that joined the branches would have drawn one (the check can fail).
  await showPlot(S.plotRecipJoined());
  assert.ok(await countColor('plot-canvas', BLUE, 60, column) > 20, 'the negative control draws across the pole');
  await page.screenshot({ path: join(out, 'plot.png'), fullPage: true });
  await assertClean();
});

test('plot: a plot message renders within 100 ms (measured)', async () => {
  const msg = S.plotRecip();
  const runs = [];
  for (let i = 0; i < 7; i++) {
    msg.data.source.text = `1/x #${i}`;
    runs.push(
      await page.evaluate(
        (m) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            window.postMessage(m, '*');
            const wait = () => {
              const app = document.getElementById('app');
              const c = document.querySelector('[data-testid="plot-canvas"]');
              if (c && app.dataset.plotRenderMs && c.dataset.drawn && document.querySelector('[data-testid="plot-source"]')?.textContent === m.data.source.text) {
                requestAnimationFrame(() => resolve({ render: Number(app.dataset.plotRenderMs), toFrame: performance.now() - t0 }));
              } else setTimeout(wait, 0);
            };
            setTimeout(wait, 0);
          }),
        msg,
      ),
    );
  }
  const render = median(runs.slice(1).map((r) => r.render));
  const toFrame = median(runs.slice(1).map((r) => r.toFrame));
  measured.plot = { render, toFrame, n: runs.length - 1 };
  assert.ok(render < 100, `render ${render} ms`);
  assert.ok(toFrame < 100, `to frame ${toFrame} ms`);
  await assertClean();
});

test('plot: wheel, buttons and keys zoom and pan, post samplePlot (debounced), stale replies are ignored and a current one redraws', async () => {
  await showPlot();
  await clearPosted();
  const v = await plotView();
  const box = await page.locator(tid('plot-canvas')).boundingBox();
  // Wheel over x = 2.5: zoom in about that point.
  const [wx, wy] = toPx(v, 2.5, 0);
  await page.mouse.move(box.x + wx, box.y + wy);
  await page.mouse.wheel(0, -200);
  const m1 = await waitPosted('samplePlot');
  assert.ok(m1.xmin > -5 && m1.xmax < 5 && m1.xmin < 2.5 && m1.xmax > 2.5, JSON.stringify(m1));
  assert.ok(Math.abs((2.5 - m1.xmin) / (m1.xmax - m1.xmin) - (2.5 + 5) / 10) < 0.02, 'zoom keeps the point under the cursor');
  assert.equal((await posted()).filter((m) => m.type === 'samplePlot').length, 1, 'one request for one gesture (debounced)');
  // The old samples are shown scaled meanwhile (the view changed, the curve is still drawn).
  const v1 = await plotView();
  assert.ok(Math.abs(v1.x0 - m1.xmin) < 1e-9 && Math.abs(v1.x1 - m1.xmax) < 1e-9);
  assert.ok(await countColor('plot-canvas', BLUE, 40) > 100);

  // The + button zooms in about the centre, the arrow keys pan.
  await clearPosted();
  await page.click(tid('plot-zoom-in'));
  const m2 = await waitPosted('samplePlot');
  assert.ok(Math.abs((m2.xmax - m2.xmin) - (m1.xmax - m1.xmin) / 1.25) < 1e-9, 'zoom in by 1.25');
  await clearPosted();
  await page.focus(tid('plot-canvas'));
  await page.keyboard.press('ArrowRight');
  const m3 = await waitPosted('samplePlot');
  assert.ok(Math.abs(m3.xmin - (m2.xmin + 0.1 * (m2.xmax - m2.xmin))) < 1e-9, 'arrow pans by a tenth');
  await clearPosted();
  await page.keyboard.press('-');
  const m4 = await waitPosted('samplePlot');
  assert.ok(m4.xmax - m4.xmin > m3.xmax - m3.xmin, 'minus zooms out');
  await clearPosted();
  // Drag pans.
  const v4 = await plotView();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 50, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const m5 = await waitPosted('samplePlot');
  assert.ok(Math.abs(m5.xmin - (v4.x0 + (50 / v4.w) * (v4.x1 - v4.x0))) < 1e-6, `drag pans: ${JSON.stringify(m5)}`);

  // A stale reply (an earlier requestId) is ignored; the current one redraws with the new samples.
  const n = await drawn('plot-canvas');
  await post(S.flatSamples(m5.xmin, m5.xmax, 0.5, m4.requestId));
  await sleep(100);
  assert.equal(await drawn('plot-canvas'), n, 'stale reply ignored');
  await post(S.flatSamples(m5.xmin, m5.xmax, 0.5, m5.requestId));
  await waitDrawn('plot-canvas', n);
  const v5 = await plotView();
  const [, fy] = toPx(v5, 0, 0.5);
  assert.ok(await countColor('plot-canvas', BLUE, 40, [v5.left + 5, fy - 2, v5.w - 10, 4]) > v5.w, 'the flat line y = 0.5 is drawn across');
  await sleep(100);
  assert.equal((await savedState()).plot.samples.f.length, 1, 'the new samples are saved');
  await assertClean();
});

test('plot: dragging the point posts pointAt; the reply moves the point and its tangent; arrow keys on the focused point', async () => {
  await showPlot();
  await clearPosted();
  const v = await plotView();
  const handle = await page.locator(tid('plot-point')).boundingBox();
  const box = await page.locator(tid('plot-canvas')).boundingBox();
  assert.ok(Math.abs(handle.x + handle.width / 2 - (box.x + toPx(v, 1, 1)[0])) < 2, 'the handle sits on the point');
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  const [x2] = toPx(v, 2, 0);
  await page.mouse.move(box.x + x2, handle.y + handle.height / 2, { steps: 6 });
  await page.mouse.up();
  const m = await waitPosted('pointAt', (m) => Math.abs(m.x - 2) < 0.05);
  assert.ok(Number.isInteger(m.requestId));
  assert.equal((await posted()).filter((p) => p.type === 'samplePlot').length, 0, 'dragging the point does not pan');
  await post(S.pointValues(2, m.requestId));
  await page.waitForFunction(() => document.querySelector('[data-testid="value-x"]')?.textContent === '2');
  assert.equal(await page.textContent(tid('value-f')), '0.5');
  assert.equal(await page.textContent(tid('value-df')), '-0.25');
  // The tangent at x = 2: y = 0.5 − 0.25 (x − 2) passes through (4, 0).
  const [tx, ty] = toPx(v, 4, 0);
  assert.ok(await countColor('plot-canvas', GREEN, 50, [tx - 3, ty - 3, 6, 6]) > 0, 'tangent through (4, 0)');
  assert.match(await page.textContent(tid('plot-live')), /At x = 2: f = 0\.5, slope -0\.25/);
  // Keyboard: the point is focusable, arrows move it by 1/100 of the view.
  await clearPosted();
  await page.focus(tid('plot-point'));
  await page.keyboard.press('ArrowLeft');
  const k = await waitPosted('pointAt');
  assert.ok(Math.abs(k.x - (2 - 0.1)) < 1e-9, JSON.stringify(k));
  await assertClean();
});

test('plot: the f″ checkbox toggles the third curve and its formula', async () => {
  await showPlot();
  assert.equal(await countColor('plot-canvas', PURPLE, 30), 0, 'no f″ at first');
  assert.equal(await page.locator(tid('plot-latex-d2f')).isVisible(), false);
  const n = await drawn('plot-canvas');
  // Keyboard: Space on the focused checkbox.
  await page.focus(tid('plot-d2f'));
  await page.keyboard.press(' ');
  await waitDrawn('plot-canvas', n);
  assert.ok(await countColor('plot-canvas', PURPLE, 30) > 100, 'f″ drawn in charts.purple');
  assert.equal(await page.locator(tid('plot-latex-d2f')).isVisible(), true);
  assert.equal(await page.textContent(tid('value-d2f')), '2');
  assert.equal((await savedState()).ui.showD2f, true);
  const n2 = await drawn('plot-canvas');
  await page.click(`${tid('plot-d2f')} label`);
  await waitDrawn('plot-canvas', n2);
  assert.equal(await countColor('plot-canvas', PURPLE, 30), 0, 'f″ hidden again');
  await assertClean();
});

test('gallery: asks once, shows eight activations with their derivative, KaTeX formulas and where they saturate', async () => {
  await page.click(tid('plot-mode-gallery'));
  await waitPosted('gallery');
  await page.click(tid('plot-mode-function'));
  await page.click(tid('plot-mode-gallery'));
  assert.equal((await posted()).filter((m) => m.type === 'gallery').length, 1, 'asked once');
  const msg = S.gallery();
  await post(msg);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-item"]').length === 8);
  assert.deepEqual(await page.locator(`${tid('gallery-item')} h3`).allTextContents(), msg.items.map((i) => i.name));
  assert.equal(await page.locator(`${tid('gallery-item')} .katex`).count(), 16, 'f and f′ of each in KaTeX');
  assert.equal(await page.locator('.math-fallback').count(), 0);
  for (let i = 0; i < 8; i++) {
    await waitDrawn(`gallery-canvas-${i}`);
    assert.ok(await countColor(`gallery-canvas-${i}`, BLUE, 40) > 30, `activation ${i} drawn`);
    assert.ok(await countColor(`gallery-canvas-${i}`, ORANGE, 40) > 30, `derivative ${i} drawn`);
  }
  assert.equal(await page.textContent(tid('gallery-saturation-0')), 'Saturates (|f′| < 0.01) for x < -4.6 and x > 4.6: gradients vanish there.');
  assert.match(await page.textContent(tid('gallery-saturation-3')), /Does not saturate/);
  await page.screenshot({ path: join(out, 'gallery.png'), fullPage: true });
  // Kept in the state: a reload shows it without asking again.
  await sleep(120);
  await clearPosted();
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-item"]').length === 8);
  assert.equal((await posted()).filter((m) => m.type === 'gallery').length, 0);
  await assertClean();
});

/** Shows the playground and waits for its canvas. */
async function showOptimize(msg = S.optimize()) {
  await tab('optimize');
  await post(msg);
  await waitDrawn('opt-canvas');
  return msg;
}

test('playground: heat map, contours and arrows, six trajectories in their colours, KaTeX update rules, loss chart on a log scale', async () => {
  const msg = await showOptimize();
  await page.waitForSelector(`${tid('opt-objective')} .katex`);
  assert.equal(await page.locator(`${tid('opt-equations')} .katex`).count(), 6);
  assert.equal(await page.locator('.math-fallback').count(), 0);
  assert.equal(await page.textContent(tid('opt-step-text')), 'Step 500 of 500');
  // The heat map: the high corners are far from the background; the minimum's surroundings close to it.
  const corner = await page.locator(tid('opt-canvas')).evaluate((c) => [...c.getContext('2d').getImageData(100, 40, 1, 1).data.slice(0, 3)]);
  assert.ok(Math.hypot(corner[0] - 24, corner[1] - 24, corner[2] - 24) > 40, `heat in the corner: ${corner}`);
  for (const [name, rgb] of [
    ['gd', BLUE],
    ['momentum', ORANGE],
    ['nesterov', GREEN],
    ['adagrad', RED],
    ['rmsprop', [204, 167, 0]],
  ]) {
    assert.ok(await countColor('opt-canvas', rgb, 35) > 20, `${name} trajectory drawn`);
  }
  assert.equal(await page.locator(`${tid('opt-status')} li`).count(), 6);
  assert.equal(await page.locator(tid('loss-canvas')).evaluate((c) => c.dataset.log), 'true', 'losses span decades: log scale');
  assert.ok(await countColor('loss-canvas', BLUE, 40) > 20);
  // Preset select lists the presets; choosing one posts {type: 'preset'}.
  await clearPosted();
  await page.locator(tid('opt-preset')).evaluate((s) => {
    s.value = 'rosenbrock';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  assert.deepEqual(await posted(), [{ type: 'preset', key: 'rosenbrock' }]);
  measured.boardDraw = Number(await page.locator(tid('opt-canvas')).evaluate((c) => c.dataset.drawMs));
  assert.equal(msg.data.trajectories.length, 6);
  await page.screenshot({ path: join(out, 'optimize.png'), fullPage: true });
  await assertClean();
});

test('playground: play animates 6 × 500 steps frame by frame from the cached background (frame times measured), pause, step and reset', async () => {
  await showOptimize();
  const fullDraws = await drawn('opt-canvas');
  await page.click(tid('opt-reset'));
  assert.equal(await page.textContent(tid('opt-step-text')), 'Step 0 of 500');
  await page.click(tid('opt-step'));
  assert.equal(await page.textContent(tid('opt-step-text')), 'Step 1 of 500');
  await page.click(tid('opt-reset'));
  // rAF intervals, recorded in the page while the animation runs.
  await page.evaluate(() => {
    window.__intervals = [];
    let last = 0;
    const f = (t) => {
      if (last) window.__intervals.push(t - last);
      last = t;
      if (document.querySelector('[data-testid="opt-canvas"]').dataset.playing !== 'false') requestAnimationFrame(f);
    };
    requestAnimationFrame(f);
  });
  await page.click(tid('opt-play'));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="opt-canvas"]').dataset.step) > 20);
  const s1 = Number(await page.locator(tid('opt-canvas')).evaluate((c) => c.dataset.step));
  await sleep(150);
  const s2 = Number(await page.locator(tid('opt-canvas')).evaluate((c) => c.dataset.step));
  assert.ok(s2 > s1, `frames advance: ${s1} → ${s2}`);
  // Runs to the end and stops by itself.
  await page.waitForFunction(() => document.querySelector('[data-testid="opt-canvas"]').dataset.playing === 'false', null, { timeout: 20000 });
  assert.equal(await page.textContent(tid('opt-step-text')), 'Step 500 of 500');
  assert.equal(await drawn('opt-canvas'), fullDraws, 'frames never redraw the background');
  const times = (await page.locator(tid('opt-canvas')).evaluate((c) => c.dataset.frameTimes)).split(',').map(Number);
  const frames = Number(await page.locator(tid('opt-canvas')).evaluate((c) => c.dataset.frames));
  const intervals = await page.evaluate(() => window.__intervals);
  measured.frames = { n: times.length, median: median(times), p95: quantile(times, 0.95), intervalMedian: median(intervals) };
  assert.ok(times.length >= 60 && frames >= times.length, `${times.length} frames`);
  assert.ok(measured.frames.p95 < 16.7, `p95 frame draw ${measured.frames.p95} ms fits a 60 fps frame`);
  // Pause mid-way.
  await page.click(tid('opt-play'));
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="opt-canvas"]').dataset.step) > 30);
  await page.click(tid('opt-play'));
  const p1 = await page.textContent(tid('opt-step-text'));
  await sleep(150);
  assert.equal(await page.textContent(tid('opt-step-text')), p1, 'paused');
  assert.equal(await page.locator(tid('opt-play')).textContent(), 'Play');
  await assertClean();
});

test('playground: controls and dragging the start point post runOptimizers with the right settings (debounced); replies update, stale ones are ignored', async () => {
  await showOptimize();
  await clearPosted();
  await page.locator(`${tid('opt-lr')} input`).fill('0.05');
  await page.locator(`${tid('opt-steps')} input`).fill('200');
  await page.locator(tid('opt-momentum')).fill('0.5');
  await page.locator(tid('opt-beta2')).fill('0.99');
  // the adaptive methods have their own learning rate (a step length)
  await page.locator(`${tid('opt-lr-rmsprop')} input`).fill('0.1');
  await page.click(`${tid('opt-enable-adam')} label`);
  const m = await waitPosted('runOptimizers', (m) => m.settings.enabled.length === 5 && m.settings.beta2 === 0.99);
  assert.deepEqual(m.settings, {
    lr: 0.05,
    lrs: { adagrad: 0.02, rmsprop: 0.1, adam: 0.02 },
    momentum: 0.5,
    beta1: 0.9,
    beta2: 0.99,
    steps: 200,
    start: [-2.5, 1.5],
    enabled: ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop'],
  });
  assert.equal((await posted()).filter((x) => x.type === 'runOptimizers').length, 1, 'debounced into one request');
  assert.equal(await page.textContent(tid('opt-momentum-value')), '0.5');

  // An invalid learning rate is refused with a message, nothing is posted.
  await clearPosted();
  await page.locator(`${tid('opt-lr')} input`).fill('-1');
  await sleep(400);
  assert.equal((await posted()).length, 0);
  assert.match(await page.textContent(tid('opt-form-error')), /learning rate must be a positive number/);
  await page.locator(`${tid('opt-lr')} input`).fill('0.05');
  await waitPosted('runOptimizers');

  // Drag the start point to (1, −1) (the learning-rate fields are further down: bring the plot back into view).
  await clearPosted();
  await page.locator(tid('opt-canvas')).scrollIntoViewIfNeeded();
  const handle = await page.locator(tid('opt-start')).boundingBox();
  const box = await page.locator(tid('opt-canvas')).boundingBox();
  const hx = handle.x + handle.width / 2;
  const hy = handle.y + handle.height / 2;
  const v = await page.locator(tid('opt-canvas')).evaluate((c) => JSON.parse(c.dataset.view));
  assert.ok(Math.abs(box.x + toPx(v, -2.5, 1.5)[0] - hx) < 1.5 && Math.abs(box.y + toPx(v, -2.5, 1.5)[1] - hy) < 1.5, 'the handle sits on the start point');
  await page.mouse.move(hx, hy);
  await page.mouse.down();
  const [tx, ty] = toPx(v, 1, -1);
  await page.mouse.move(box.x + tx, box.y + ty, { steps: 8 });
  await page.mouse.up();
  const d = await waitPosted('runOptimizers').catch(async (e) => {
    throw new Error(`${e.message}; form error: ${await page.textContent(tid('opt-form-error'))}`);
  });
  assert.ok(Math.abs(d.settings.start[0] - 1) < 0.05 && Math.abs(d.settings.start[1] + 1) < 0.05, JSON.stringify(d.settings.start));
  assert.equal(d.settings.lr, 0.05);

  // Stale reply ignored, current one drawn.
  const s = { ...d.settings };
  const n = await page.locator(tid('opt-canvas')).evaluate((c) => Number(c.dataset.drawn));
  await post(S.trajectories(s, d.requestId - 1));
  await sleep(100);
  assert.equal(await page.locator(tid('opt-canvas')).evaluate((c) => Number(c.dataset.drawn)), n, 'stale reply ignored');
  await post(S.trajectories(s, d.requestId));
  await waitDrawn('opt-canvas', n);
  assert.equal(await page.locator(`${tid('opt-status')} li`).count(), 5);
  assert.equal(await page.textContent(tid('opt-step-text')), 'Step 200 of 200');
  // Keyboard: the focused start point moves with the arrow keys.
  await clearPosted();
  await page.focus(tid('opt-start'));
  await page.keyboard.press('ArrowUp');
  const k = await waitPosted('runOptimizers');
  assert.ok(Math.abs(k.settings.start[1] - (s.start[1] + 0.08)) < 1e-9, JSON.stringify(k.settings.start));
  assert.equal((await savedState()).optimize.settings.steps, 200);
  await assertClean();
});

test('playground: a diverged trajectory is said plainly, with its step, and marked on the plot', async () => {
  await showOptimize();
  await clearPosted();
  await page.locator(`${tid('opt-lr')} input`).fill('0.03');
  const m = await waitPosted('runOptimizers');
  const before = await countColor('opt-canvas', RED, 30);
  const n = await drawn('opt-canvas');
  await post(S.trajectories(m.settings, m.requestId, { divergeGdAt: 6 }));
  await waitDrawn('opt-canvas', n);
  await page.waitForSelector(tid('opt-diverged-gd'));
  assert.equal(await page.textContent(tid('opt-diverged-gd')), 'GD diverged at step 6: the loss grew past 10¹⁰ (the learning rate is too large for this curvature)');
  assert.equal(await page.locator('[data-testid^="opt-diverged-"]').count(), 1);
  assert.ok((await countColor('opt-canvas', RED, 30)) > before, 'the divergence is marked in red');
  await assertClean();
});

test('statistics: tables with formulas, histogram with the normal curve, box plot, scatter with the regression line, test cards in KaTeX', async () => {
  await tab('statistics');
  const msg = S.statistics();
  await post(msg);
  await waitDrawn('stats-hist-0');
  assert.equal(await page.locator(`${tid('stats-table-0')} tr`).count(), 5);
  assert.equal(await page.locator(`${tid('stats-table-0')} .katex`).count(), 2, 'mean and std with their formulas');
  assert.equal(await page.locator(`${tid('stats-column-1')} h2`).textContent(), 'after (n = 61)');
  assert.ok(await countColor('stats-hist-0', BLUE, 60) > 500, 'histogram bars');
  assert.ok(await countColor('stats-hist-0', ORANGE, 40) > 50, 'normal curve');
  await waitDrawn('stats-box-0');
  assert.ok(await countColor('stats-box-0', ORANGE, 40) > 10, 'median line');
  assert.ok(await countColor('stats-box-0', RED, 60) > 5, 'the outlier (14) is marked');
  await waitDrawn('stats-scatter');
  assert.ok(await countColor('stats-scatter', BLUE, 40) > 200, 'scatter points');
  assert.ok(await countColor('stats-scatter', ORANGE, 40) > 100, 'regression line');
  assert.equal(await page.textContent(tid('stats-regression')), 'Regression line: after = 1.5 · before + 1, R² = 0.93');
  assert.equal(await page.locator('[data-testid^="stats-test-"] h3').count(), 2);
  assert.equal(await page.locator(`${tid('stats-test-0')} .katex-display`).count(), 2);
  assert.equal(await page.locator(`${tid('stats-test-1')} .katex-display`).count(), 1);
  assert.match(await page.textContent(tid('stats-test-rows-0')), /p-value< 0\.0001/);
  assert.equal(await page.locator('.math-fallback').count(), 0);
  await page.screenshot({ path: join(out, 'statistics.png'), fullPage: true });
  await assertClean();
});

test('distributions: asks for a first distribution, sliders from its params post (debounced) and the reply redraws; discrete shows bars', async () => {
  await tab('distributions');
  const first = await waitPosted('distribution');
  assert.deepEqual({ name: first.name, params: first.params }, { name: 'normal', params: {} });
  const b = await waitPosted('bayes');
  assert.deepEqual([b.prior, b.likelihood, b.likelihoodNot], [0.01, 0.9, 0.05]);
  await post(S.normal(0, 1, first.requestId));
  await waitDrawn('dist-pdf');
  assert.equal(await page.locator('[data-testid^="dist-param-"][type="range"]').count(), 2);
  assert.equal(await page.textContent(tid('dist-mean')), 'mean 0');
  assert.equal(await page.textContent(tid('dist-variance')), 'variance 1');
  await page.waitForSelector(`${tid('dist-latex-pdf')} .katex`);
  assert.ok(await countColor('dist-pdf', BLUE, 40) > 100);
  assert.ok(await countColor('dist-cdf', GREEN, 40) > 100);

  await clearPosted();
  await page.locator(tid('dist-param-sigma')).fill('2');
  const m = await waitPosted('distribution');
  assert.deepEqual(m.params, { mu: 0, sigma: 2 });
  assert.equal(m.name, 'normal');
  assert.equal(await page.textContent(tid('dist-param-sigma-value')), '2');
  const n = await drawn('dist-pdf');
  await post(S.normal(0, 2, m.requestId));
  await waitDrawn('dist-pdf', n);
  assert.equal(await page.textContent(tid('dist-variance')), 'variance 4');

  // Another distribution: the select posts it; a discrete one is drawn as bars.
  await clearPosted();
  await page.locator(tid('dist-select')).evaluate((s) => {
    s.value = 'binomial';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const bm = await waitPosted('distribution');
  assert.equal(bm.name, 'binomial');
  const n2 = await drawn('dist-pdf');
  await post(S.binomial(10, 0.3, bm.requestId));
  await waitDrawn('dist-pdf', n2);
  assert.equal(await page.textContent(tid('dist-mean')), 'mean 3');
  assert.ok(await countColor('dist-pdf', BLUE, 60) > 300, 'PMF bars');
  assert.equal(await page.locator('[data-testid^="dist-param-"][type="range"]').count(), 2);
  assert.equal((await savedState()).distribution.name, 'binomial');
  await assertClean();
});

test("Bayes' rule: the inputs post, the reply updates the picture and the posterior", async () => {
  await tab('distributions');
  const first = await waitPosted('bayes');
  await post(S.bayes(0.01, 0.9, 0.05, first.requestId));
  await waitDrawn('bayes-canvas');
  const green1 = await countColor('bayes-canvas', GREEN, 50);
  assert.match(await page.textContent(tid('bayes-result')), /posterior P\(H \| E\) = 0\.1538/);
  await clearPosted();
  await page.locator(`${tid('bayes-prior')} input`).fill('0.3');
  const m = await waitPosted('bayes');
  assert.deepEqual([m.prior, m.likelihood, m.likelihoodNot], [0.3, 0.9, 0.05]);
  const n = await drawn('bayes-canvas');
  await post(S.bayes(0.3, 0.9, 0.05, m.requestId));
  await waitDrawn('bayes-canvas', n);
  const green2 = await countColor('bayes-canvas', GREEN, 50);
  assert.ok(green2 > green1 * 10, `the H ∧ E area grows with the prior: ${green1} → ${green2}`);
  assert.match(await page.textContent(tid('bayes-result')), /posterior P\(H \| E\) = 0\.8852/);
  await page.waitForSelector(`${tid('bayes-formula')} .katex`);
  await page.locator(tid('bayes-likelihood-range')).fill('0.5');
  const m2 = await waitPosted('bayes', (m) => m.likelihood === 0.5);
  assert.equal(m2.prior, 0.3);
  await page.screenshot({ path: join(out, 'distributions.png'), fullPage: true });
  await assertClean();
});

test('export: PNG posts valid base64 PNG, SVG posts a parseable SVG with paths (function plot and playground)', async () => {
  await showPlot();
  await clearPosted();
  await page.click(tid('plot-canvas-export-png'));
  const png = await waitPosted('export');
  assert.equal(png.format, 'png');
  assert.equal(png.name, 'mathlens-plot');
  assert.doesNotMatch(png.data, /^data:/);
  const bytes = Buffer.from(png.data, 'base64');
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.ok(bytes.length > 2000);
  await clearPosted();
  await page.click(tid('plot-canvas-export-svg'));
  const svg = await waitPosted('export');
  assert.equal(svg.format, 'svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.localName, paths: doc.getElementsByTagName('path').length, dashed: doc.querySelectorAll('path[stroke-dasharray]').length, title: doc.querySelector('title')?.textContent };
  }, svg.data);
  assert.deepEqual({ error: parsed.error, root: parsed.root }, { error: 0, root: 'svg' });
  assert.ok(parsed.paths >= 4, `paths: ${parsed.paths}`);
  assert.ok(parsed.dashed >= 1, 'the asymptote is dashed');
  await post({ type: 'exported', ok: true, text: 'Saved plot.svg' });
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').textContent === 'Saved plot.svg');

  await showOptimize();
  await clearPosted();
  await page.click(tid('opt-canvas-export-svg'));
  const osvg = await waitPosted('export');
  const o = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.getElementsByTagName('parsererror').length, images: doc.getElementsByTagName('image').length, paths: doc.getElementsByTagName('path').length };
  }, osvg.data);
  assert.equal(o.error, 0);
  assert.equal(o.images, 1, 'the heat map as an embedded image');
  assert.ok(o.paths >= 8, 'contours, arrows and trajectories as paths');
  await assertClean();
});

test('state: the open tab and the data are restored after a reload without asking the host; tabChanged on user switches only', async () => {
  await showPlot();
  await tab('statistics');
  assert.deepEqual((await posted()).filter((m) => m.type === 'tabChanged'), [{ type: 'tabChanged', tab: 'statistics' }]);
  await post(S.statistics());
  await waitDrawn('stats-hist-0');
  await post(S.history());
  await sleep(120);
  await clearPosted();
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="panel-statistics"]')?.checkVisibility());
  assert.equal(await page.locator(tid('tab-statistics')).evaluate((el) => el.active), true);
  await waitDrawn('stats-hist-0');
  assert.equal(await page.locator(tid('stats-table-0')).count(), 1);
  assert.deepEqual(await posted(), [{ type: 'ready' }], 'nothing asked, no tabChanged for the restore');
  await tab('plot');
  await waitDrawn('plot-canvas');
  assert.equal(await page.textContent(tid('value-f')), '1');
  assert.ok(await countColor('plot-canvas', BLUE, 40) > 200, 'the plot is drawn again');
  await tab('history');
  assert.equal(await page.locator(tid('history-entry')).count(), 3);
  // The host switches tabs with sideTab: no tabChanged echo.
  await clearPosted();
  await post({ type: 'sideTab', tab: 'optimize' });
  await page.waitForFunction(() => document.querySelector('[data-testid="panel-optimize"]')?.checkVisibility());
  assert.equal((await savedState()).tab, 'optimize');
  assert.equal((await posted()).filter((m) => m.type === 'tabChanged').length, 0);
  await assertClean();
});

test('history reopens entries; sideNotice shows a plain message in its tab, cleared by new data', async () => {
  await post(S.history());
  await tab('history');
  assert.deepEqual(await page.locator(`${tid('history-entry')} .history-title`).allTextContents(), ['x**2 * sin(x)', 'loss = (y - w*x)**2', 'A']);
  await clearPosted();
  await page.locator(tid('history-reopen')).nth(1).click();
  assert.deepEqual(await posted(), [{ type: 'reopen', id: 'h2' }]);
  await post({ type: 'sideNotice', tab: 'plot', message: 'Select an expression of one variable: this one has three (x, y, z).' });
  await tab('plot');
  assert.equal(await page.textContent(tid('notice-plot')), 'Select an expression of one variable: this one has three (x, y, z).');
  assert.equal(await page.locator(tid('notice-plot')).isVisible(), true);
  await showPlot();
  assert.equal(await page.locator(tid('notice-plot')).isVisible(), false);
  await assertClean();
});

test('a notice after a plot marks the plot below it as the previous selection; new data clears the mark', async () => {
  await showPlot();
  await tab('plot');
  assert.equal(await page.locator(tid('stale-plot')).isVisible(), false);
  await post({ type: 'sideNotice', tab: 'plot', message: 'plt.plot(x, z) is a plotting call, not an expression of numbers.' });
  await page.locator(tid('notice-plot')).waitFor({ state: 'visible', timeout: 5000 });
  await page.locator(tid('stale-plot')).waitFor({ state: 'visible', timeout: 5000 });
  assert.equal(await page.textContent(tid('stale-plot')), 'Below: the previous selection, not the current one.');
  await showPlot();
  await page.locator(tid('stale-plot')).waitFor({ state: 'hidden', timeout: 5000 });
  await page.locator(tid('notice-plot')).waitFor({ state: 'hidden', timeout: 5000 });
  await assertClean();
});

test('a theme change redraws the canvases in the new colours (light theme)', async () => {
  await showPlot();
  const bg = () => page.locator(tid('plot-canvas')).evaluate((c) => [...c.getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3)]);
  assert.deepEqual(await bg(), [24, 24, 24], 'the side bar background (#181818)');
  const n = await drawn('plot-canvas');
  await page.evaluate(() => {
    const s = document.documentElement.style;
    s.setProperty('--vscode-sideBar-background', '#f8f8f8');
    s.setProperty('--vscode-editor-background', '#ffffff');
    s.setProperty('--vscode-foreground', '#3b3b3b');
    s.setProperty('--vscode-charts-foreground', '#3b3b3b');
    s.setProperty('--vscode-charts-blue', '#1a85ff');
    s.setProperty('--vscode-descriptionForeground', '#717171');
    document.body.className = 'vscode-light';
  });
  await waitDrawn('plot-canvas', n);
  assert.deepEqual(await bg(), [248, 248, 248]);
  assert.ok(await countColor('plot-canvas', [26, 133, 255], 30) > 200, 'f in the light theme blue');
  await page.screenshot({ path: join(out, 'light.png'), fullPage: true });
  await assertClean();
});

test('user text is shown as text, never as HTML; bad LaTeX falls back without a CSP violation; bad messages and states are ignored', async () => {
  const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  const msg = S.plotRecip();
  msg.data.source.text = evil;
  msg.data.notes = [evil];
  msg.data.latex.f = '\\frac{x';
  await showPlot(msg);
  assert.equal(await page.textContent(tid('plot-source')), evil);
  assert.equal(await page.textContent(`${tid('plot-notes')} li`), evil);
  await page.waitForSelector(`${tid('plot-latex-f')} .math-fallback`);
  await post(S.history());
  await post({ type: 'history', entries: [{ id: 'x', kind: 'plot', title: evil, time: 0 }] });
  await post({ type: 'sideNotice', tab: 'plot', message: evil });
  assert.equal(await page.textContent(tid('notice-plot')), evil);
  assert.equal(await page.locator('#app img, #app script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // Not the protocol: ignored.
  await post({ type: 'plot' });
  await post({ type: 'sideTab', tab: 'nowhere' });
  await post('<b>hi</b>');
  await page.evaluate(() => sessionStorage.setItem('mathlens-test-state', JSON.stringify({ version: 2, tab: 'history' })));
  await page.reload();
  await page.waitForSelector(tid('plot-empty'));
  assert.equal(await page.locator(tid('tab-plot')).evaluate((el) => el.active), true);
  await assertClean();
});

test('no CSP violations or console errors over the whole run', () => {
  assert.deepEqual(problems, []);
});
