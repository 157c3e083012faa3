#!/usr/bin/env node
// `npm start`: VS Code in the browser (code-server from .tools/) with MathLens loaded
// on examples/. The npm script builds first. Runs until Ctrl+C.
//
//   npm start                      http://127.0.0.1:8080
//   npm start -- --port 9000       another port
//   npm start -- --host 0.0.0.0    listen on all interfaces (no password: trusted networks only)
//   npm start -- --folder PATH     another workspace
//
// The extension is symlinked into .tools/profile/extensions (package.json + dist), so
// after `npm run watch` rebuilds, "Developer: Reload Window" picks up the change.
// Settings and state persist in .tools/profile/ (delete it to start fresh).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXAMPLES_DIR, TOOLS_DIR, installExtensionFolder, startCodeServer, writeUserSettings } from './code-server.mjs';

function arg(name, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  return argv[i].includes('=') ? argv[i].split('=').slice(1).join('=') : argv[i + 1];
}

const port = Number(arg('port', process.env.PORT ?? 8080));
const host = arg('host', '127.0.0.1');
const folder = resolve(arg('folder', EXAMPLES_DIR));
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`start: bad --port ${port}`);
  process.exit(2);
}

const profile = join(TOOLS_DIR, 'profile');
const userDataDir = join(profile, 'user-data');
const extensionsDir = join(profile, 'extensions');
mkdirSync(extensionsDir, { recursive: true });
if (!existsSync(join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir);

let server;
try {
  installExtensionFolder(extensionsDir, { link: true });
  server = await startCodeServer({ host, port, workspace: folder, userDataDir, extensionsDir, logFile: join(profile, 'code-server.log') });
} catch (e) {
  console.error(`start: ${e.message}`);
  process.exit(1);
}
const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nMathLens in VS Code: ${url}\n(log: ${join(profile, 'code-server.log')}; Ctrl+C to stop)\n`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server ...');
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
server.child.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`start: code-server exited (${code ?? signal}):\n${server.log()}`);
  process.exit(1);
});
