/* global document */ // (in page.evaluate callbacks, which run in the browser)
// Issue 12 in a real VS Code, on a course-style project (examples/course/): data loaded from .npy
// files, layers defined in another file and kept in a list by a Network class, a try/except
// demonstration whose failing calls are caught on purpose, and a forward pass written with a dict
// of parameters and indexed data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor, updateDocs } from './harness.mjs';
import { goTo, hoverText, locate, problems } from './editor.mjs';
import { COMMAND, PANEL_TITLE } from './panel.mjs';

let vs;
before(async () => {
  vs = await launchVSCode({ name: 'course', extension: 'folder' });
});
after(async () => {
  await vs?.close();
});

test('np.load: the hover shows the shape read from the .npy header, and the file it came from', async () => {
  await vs.openFile('course/network.py');
  await goTo(vs, locate(vs, 'x_train', { after: 'from layers import' }));
  const text = await hoverText(vs, '(4, 2)');
  assert.match(text, /x_train\.npy/, `the hover names the file: ${text}`);
  await vs.page.keyboard.press('Escape');
});

test('a method of a layer defined in the other file, called through the Network\'s list of layers, has its shape', async () => {
  await vs.openFile('course/network.py');
  await goTo(vs, locate(vs, 'out', { after: 'net.add(Sigmoid())\n\n' }));
  await hoverText(vs, '(4, 1)');
  await vs.page.keyboard.press('Escape');
});

test('errors caught on purpose by try/except are information, never errors, in the Problems panel', async () => {
  await vs.openFile('course/dot_products.py');
  await vs.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  let rows = [];
  // The demonstration's failing calls are listed as information (one entry for np.dot's line).
  await waitFor('a MathLens information row for the caught np.dot error', async () => {
    rows = await problems(vs);
    return rows.some((t) => /MathLens/.test(t) && /caught/i.test(t));
  }, { timeout: 20_000 }).catch((e) => {
    throw new Error(`${e.message}; the panel lists ${JSON.stringify(rows)}\n${vs.diagnostics()}`);
  });
  const severities = await vs.page.evaluate(() =>
    [...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .filter((r) => /MathLens/.test(r.textContent ?? ''))
      .map((r) => (r.querySelector('.codicon-error') ? 'error' : r.querySelector('.codicon-warning') ? 'warning' : 'info')),
  );
  assert.ok(severities.length > 0, 'MathLens lists the caught calls');
  assert.deepEqual(severities.filter((s) => s !== 'info'), [], `no MathLens error or warning: ${JSON.stringify(rows)}`);
  await vs.runCommand('View: Focus Active Editor Group');
});

test('Compute Gradient on a forward pass written with a dict of parameters and indexed data: the partials in the pass\'s own names, the data apart', async () => {
  await vs.runCommand('View: Focus Active Editor Group');
  await vs.openFile('course/neuron.py');
  await vs.selectLines('h = p["w1"]', 3);
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  let shown = null;
  await waitFor('the named form of the partials', async () => {
    shown = await frame.evaluate(() => {
      const tex = (el) => el?.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? null;
      const named = [...document.querySelectorAll('[data-testid^="named-"]')].map((e) => [e.getAttribute('data-testid'), tex(e)]);
      const data = document.querySelector('[data-testid="data-partials"]');
      return { named, data: data?.textContent ?? null, error: document.querySelector('[data-testid="error"]')?.textContent ?? null };
    });
    return shown.error !== null || shown.named.some(([, t]) => t);
  }, { timeout: 30_000 }).catch((e) => {
    throw new Error(`${e.message}; the panel shows ${JSON.stringify(shown)}\n${vs.diagnostics()}`);
  });
  assert.equal(shown.error, null, `no error: ${shown.error}`);
  const byWrt = Object.fromEntries(shown.named.map(([id, t]) => [id.slice('named-'.length), t]));
  // ∂out/∂p["w1"] = p["v"] · s(1 − s) · X[i,0]: the course's form, with the user's sigmoid recognised as σ.
  const w1 = byWrt['p["w1"]'];
  assert.ok(w1, `a named partial for p["w1"]: ${JSON.stringify(Object.keys(byWrt))}`);
  assert.match(w1, /s\b.*\(1 - s\)|\(1 - s\).*\bs\b/, `the sigmoid's local derivative in the pass's own name s: ${w1}`);
  assert.match(w1, /X_\{i,\s*0\}/, `the data entry X[i,0] as X_{i,0}: ${w1}`);
  assert.ok(shown.data && /X/.test(shown.data), `the partials with respect to the data (X[i, 0], X[i, 1]) are in their own section: ${shown.data}`);
  const png = await vs.screenshot('course-gradient-named', await vs.webviewElement(frame));
  updateDocs(png, 'gradient-named.png');
});

