/* global document */ // (in frame.evaluate callbacks, which run in the webview)
// MathLens's side view in a real VS Code: open it, select a function of one variable and see its
// plot, select the Rosenbrock function and see the optimisers' trajectories, select numbers and see
// their statistics (examples/side_panel.py).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';

let vs;
let frame;
before(async () => {
  vs = await launchVSCode({ name: 'side', extension: 'folder' });
});
after(async () => {
  await vs?.close();
});


async function shown(testid, timeout = 30_000) {
  const sel = `[data-testid="${testid}"]`;
  await waitFor(`the side view to show ${sel}`, async () => (await frame.locator(sel).count()) > 0 && (await frame.locator(sel).first().isVisible()), { timeout }).catch(async (e) => {
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${e.message}; the view shows: ${JSON.stringify(text.slice(0, 600))}\n${vs.diagnostics()}`);
  });
  return frame.locator(sel).first();
}

/** Distinct colours in a canvas (sampled): a drawn plot has several. */
async function colours(testid) {
  return frame.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!c || !c.getContext || !c.width) return 0;
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 5) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return seen.size;
  }, testid);
}

test('the side view opens from the command', async () => {
  await vs.openFile('side_panel.py');
  await vs.runCommand('MathLens: Open Side Panel');
  frame = await vs.webviewFrame('MathLens');
  await shown('side-tabs');
});

test('selecting a function of one variable plots it with its derivative', async () => {
  await vs.selectText('x * (1 / (1 + np.exp(-x)))', { after: 'swish = ' });
  await shown('plot-canvas');
  await waitFor('the plot with KaTeX formulas', async () => (await frame.locator('[data-testid="plot-latex-f"] .katex').count()) > 0, { timeout: 20_000 });
  await waitFor('the plot canvas to be drawn', async () => (await colours('plot-canvas')) >= 3, { timeout: 10_000 });
  const df = await frame.locator('[data-testid="plot-latex-df"] annotation[encoding="application/x-tex"]').first().textContent();
  assert.ok(df && df.length > 0, 'f′ is shown');
  const png = await vs.screenshot('side-plot', await vs.webviewElement(frame));
  updateDocs(png, 'side-plot.png');
});

test('selecting the Rosenbrock function runs the six optimisers in the playground', async () => {
  await vs.selectText('(1 - x)**2 + 100*(y - x**2)**2', { after: 'rosenbrock = ' });
  await shown('opt-canvas');
  const objective = await (await shown('opt-objective')).innerText();
  assert.match(objective, /x|y/, `the objective is shown: ${objective}`);
  await waitFor('the contour plot to be drawn', async () => (await colours('opt-canvas')) >= 5, { timeout: 15_000 });
  // step through the animation: the status reports the step
  await (await shown('opt-step')).click();
  await (await shown('opt-step')).click();
  const status = await (await shown('opt-status')).innerText();
  assert.match(status, /GD|gradient descent|Adam|momentum/i, `the trajectories are listed: ${status}`);
  const equations = await frame.locator('[data-testid="opt-equations"] .katex').count();
  assert.ok(equations >= 6, `each optimiser's update equations in KaTeX (${equations})`);
  const png = await vs.screenshot('side-optimize', await vs.webviewElement(frame));
  updateDocs(png, 'side-optimize.png');
});

test('selecting numbers shows their statistics', async () => {
  await vs.selectText('[1.62, 1.75, 1.68, 1.80, 1.71, 1.66, 1.90, 1.73, 1.77, 1.69, 1.58, 1.84]', { after: 'heights = ' });
  const text = await waitFor('the statistics table', async () => {
    const t = await frame.evaluate(() => document.body?.innerText ?? '');
    return /mean/i.test(t) && /1\.7275/.test(t) ? t : null;
  }, { timeout: 20_000 }).catch(async (e) => {
    const t = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${e.message}; the view shows ${JSON.stringify(t.slice(0, 800))}`);
  });
  assert.match(text, /median/i);
  const png = await vs.screenshot('side-statistics', await vs.webviewElement(frame));
  updateDocs(png, 'side-statistics.png');
});

test('selecting a plotting call says why it is not plotted and marks the previous plot', async () => {
  await vs.openFile('side_panel.py');
  await vs.selectText('x * (1 / (1 + np.exp(-x)))', { after: 'swish = ' });
  await shown('plot-canvas');
  await vs.selectText("plt.plot(x, swish, color='#ff7f0e')");
  const notice = await shown('notice-plot');
  await waitFor('the notice to name the plotting call', async () => /plotting call/i.test(await notice.innerText()), { timeout: 20_000 }).catch(async (e) => {
    throw new Error(`${e.message}; the notice says ${JSON.stringify(await notice.innerText())}`);
  });
  assert.ok(!/unknown method/i.test(await notice.innerText()), 'not "unknown method .plot()"');
  await shown('stale-plot');
});
