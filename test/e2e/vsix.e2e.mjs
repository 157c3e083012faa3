// The packaged extension installs and works: `npm run package` produces
// dist/mathlens.vsix, `code-server --install-extension` installs it into a fresh
// extensions dir, and its command renders the panel. (The detailed checks of the panel
// are in gradient.e2e.mjs, which loads the built folder instead.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, extensionManifest } from '../../scripts/code-server.mjs';
import { launchVSCode } from './harness.mjs';
import { PANEL_TITLE, COMMAND, readPanel } from './panel.mjs';

const VSIX = join(ROOT, 'dist', 'mathlens.vsix');
let vs;

before(() => {
  const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !existsSync(VSIX)) {
    throw new Error(`npm run package failed (${r.error?.message ?? `exit ${r.status}`}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  }
});
after(async () => {
  await vs?.close();
});

test('dist/mathlens.vsix installs into code-server and its command renders the panel', async () => {
  vs = await launchVSCode({ name: 'vsix', extension: 'vsix', vsix: VSIX });
  const { id, pkg } = extensionManifest();
  const installed = readdirSync(join(vs.dir, 'extensions')).filter((d) => d.startsWith(`${id}-`));
  assert.deepEqual(installed, [`${id}-${pkg.version}`], 'the vsix is installed as <publisher>.<name>-<version>');

  await vs.openFile('activations.py');
  await vs.selectText('1 / (1 + np.exp(-x))', { after: 'def sigmoid' });
  await vs.runCommand(COMMAND);
  const frame = await vs.webviewFrame(PANEL_TITLE);
  const panel = await readPanel(frame, { expect: 'partial-x' }).catch((e) => {
    throw new Error(`${e.message}\n${vs.diagnostics()}`);
  });
  assert.ok(panel.katexCount > 0, 'the panel has rendered KaTeX');
  await vs.screenshot('vsix-panel', await vs.webviewElement(frame));
});
