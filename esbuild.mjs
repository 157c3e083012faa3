// Builds the three bundles: the extension host, the webview and the CLI.
// Type-checking is separate (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { mkdirSync, copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  target: 'es2022',
};

/** KaTeX's stylesheet and fonts ship next to the webview bundle (local files only). */
function copyKatexAssets() {
  mkdirSync('dist/webview/fonts', { recursive: true });
  copyFileSync('node_modules/katex/dist/katex.min.css', 'dist/webview/katex.min.css');
  for (const f of readdirSync('node_modules/katex/dist/fonts')) {
    if (f.endsWith('.woff2')) copyFileSync(`node_modules/katex/dist/fonts/${f}`, `dist/webview/fonts/${f}`);
  }
}

const builds = [
  {
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    // the gradient panel, the matrix panel / .npy viewer, the side view, and the backprop graph panel
    entryPoints: { main: 'webview/gradient/main.ts', matrix: 'webview/matrix/main.ts', side: 'webview/side/main.ts', backprop: 'webview/backprop/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    loader: { '.css': 'css' },
  },
  {
    ...common,
    entryPoints: ['core/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    define: { __MATHLENS_VERSION__: JSON.stringify(pkg.version) },
  },
];

// A production build starts clean, so no stale source map ends up in the .vsix.
if (production) rmSync('dist', { recursive: true, force: true });
copyKatexAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
