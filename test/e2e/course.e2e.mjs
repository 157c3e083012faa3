/* global document */ // (in page.evaluate callbacks, which run in the browser)
// Issue 12 in a real VS Code, on a course-style project (examples/course/): data loaded from .npy
// files, layers defined in another file and kept in a list by a Network class, a try/except
// demonstration whose failing calls are caught on purpose, and a forward pass written with a dict
// of parameters and indexed data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchVSCode, waitFor } from './harness.mjs';
import { goTo, hoverText, locate, problems } from './editor.mjs';

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
