// Writes THIRD_PARTY_NOTICES.md: the licenses of the libraries bundled into dist/ (the extension, the
// webviews and the CLI), and of code adapted from others. Run after changing dependencies:
//   node scripts/notices.mjs
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLED = [
  ['katex', 'renders the formulas in the panels'],
  ['@vscode-elements/elements', 'the panels’ controls'],
  ['lit', 'used by @vscode-elements/elements'],
  ['@lit/reactive-element', 'used by lit'],
  ['lit-html', 'used by lit'],
  ['lit-element', 'used by lit'],
  ['@lezer/common', 'the Python parser of the shape analysis'],
  ['@lezer/lr', 'the Python parser of the shape analysis'],
  ['@lezer/python', 'the Python grammar'],
  ['@lezer/highlight', 'used by @lezer/python'],
  ['fflate', 'inflates deflated members of .npz archives'],
];
// Code adapted (not bundled as a package): the general eigensolver follows ml-matrix's port of JAMA.
const ADAPTED = [['ml-matrix', 'core/linalg/nonsymmetric.ts adapts its EigenvalueDecomposition (itself a port of the public-domain JAMA)']];

function licenseText(dir) {
  const f = readdirSync(dir).find((x) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(x));
  return f ? readFileSync(join(dir, f), 'utf8').trim() : null;
}

const out = ['# Third-party notices', '', 'MathLens bundles or adapts the following open-source software. Each is used under its license, reproduced below.', ''];
for (const [name, why] of [...BUNDLED, ...ADAPTED]) {
  const dir = join('node_modules', name);
  if (!existsSync(dir)) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const text = licenseText(dir);
  out.push(`## ${name} ${pkg.version}`, '', `${why}. License: ${pkg.license ?? 'see below'}.`, '');
  if (text) out.push('```', text, '```', '');
}
writeFileSync('THIRD_PARTY_NOTICES.md', out.join('\n'));
console.log('wrote THIRD_PARTY_NOTICES.md');
