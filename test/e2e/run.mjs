#!/usr/bin/env node
// `npm run test:e2e`: runs test/e2e/*.e2e.mjs (node:test, one file at a time) against
// code-server from .tools/ and Chromium. Builds nothing: `npm test` builds first.
//
//   node test/e2e/run.mjs                    all e2e tests
//   node test/e2e/run.mjs gradient           only files whose name contains "gradient"
//   node test/e2e/run.mjs --screenshots      also copy the panel screenshot to docs/screenshots/
//
// Output (screenshots, code-server logs, profiles): test-output/e2e/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, assertToolsInstalled } from '../../scripts/code-server.mjs';
import { CHROMIUM, OUTPUT_DIR } from './harness.mjs';

const TOTAL_TIMEOUT_MS = Number(process.env.MATHLENS_E2E_TIMEOUT_MS ?? 20 * 60_000);
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const env = { ...process.env };
if (args.includes('--screenshots')) env.MATHLENS_UPDATE_SCREENSHOTS = '1';

function die(msg) {
  console.error(`test:e2e: ${msg}`);
  process.exit(1);
}

try {
  assertToolsInstalled();
} catch (e) {
  die(e.message);
}
if (!existsSync(CHROMIUM)) die(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
  console.error('test:e2e: warning: dist/extension.js is missing (run `npm run build`); the MathLens tests will fail.');
}

const dir = join(ROOT, 'test', 'e2e');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.e2e.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => (a.startsWith('workbench') ? -1 : b.startsWith('workbench') ? 1 : a.localeCompare(b)))
  .map((f) => join('test', 'e2e', f));
if (files.length === 0) die(`no test file matches ${JSON.stringify(filters)}`);
mkdirSync(OUTPUT_DIR, { recursive: true });

const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=300000', ...files], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
  detached: true, // its own process group: a timeout or Ctrl+C reaches every test file
});
const killGroup = (sig) => {
  try {
    process.kill(-child.pid, sig);
  } catch {
    /* already gone */
  }
};
const timer = setTimeout(() => {
  console.error(`test:e2e: still running after ${TOTAL_TIMEOUT_MS / 1000} s: stopping`);
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
}, TOTAL_TIMEOUT_MS);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => killGroup(sig));
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  console.log(`test:e2e: screenshots and logs in ${OUTPUT_DIR}`);
  process.exit(code ?? (signal ? 1 : 0));
});
