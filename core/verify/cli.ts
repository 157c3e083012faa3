/**
 * `mathlens verify [--json] FILE...`: the hand-written derivatives of each file
 * checked (core/verify/index.ts). One JSON line per file with --json, else one
 * text line per check. Exit code 0 when every check is correct, 1 otherwise,
 * 2 on a usage error.
 */
import { readFileSync } from 'node:fs';
import { verifyFile } from './index';

export interface VerifyIo {
  out: (s: string) => void;
  err: (s: string) => void;
  usage: string;
}

export function runVerify(argv: readonly string[], io: VerifyIo): number {
  let json = false;
  let budgetMs = 2000;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--budget' || a.startsWith('--budget=')) {
      const v = Number(a === '--budget' ? argv[++i] : a.slice('--budget='.length));
      if (!Number.isFinite(v) || v <= 0) {
        io.err(`mathlens verify: --budget needs a positive number of milliseconds\n\n${io.usage}\n`);
        return 2;
      }
      budgetMs = v;
    } else if (a.startsWith('--')) {
      io.err(`mathlens verify: unknown option ${a}\n\n${io.usage}\n`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.err(`mathlens verify: no FILE given\n\n${io.usage}\n`);
    return 2;
  }
  let allCorrect = true;
  for (const file of files) {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (e) {
      allCorrect = false;
      const message = e instanceof Error ? e.message : String(e);
      io.out(json ? JSON.stringify({ ok: false, file, error: { message } }) + '\n' : `${file}: error: ${message}\n`);
      continue;
    }
    const r = verifyFile(source, { budgetMs });
    if (!r.ok) {
      allCorrect = false;
      io.out(json ? JSON.stringify({ ok: false, file, error: r.error }) + '\n' : `${file}${r.error.line ? `:${r.error.line}` : ''}: error: ${r.error.message}\n`);
      continue;
    }
    if (r.checks.some((c) => c.verdict !== 'correct')) allCorrect = false;
    if (json) {
      const checks = r.checks.map((c) => ({ line: c.line, name: c.name, wrt: c.wrt, of: c.of, verdict: c.verdict, ...(c.expected ? { expected: c.expected } : {}), message: c.message, ...(c.difference ? { difference: c.difference } : {}), ...(c.counterexample ? { counterexample: c.counterexample } : {}) }));
      io.out(JSON.stringify({ ok: true, file, checks }) + '\n');
    } else {
      if (r.checks.length === 0) io.out(`${file}: no hand-written derivative found\n`);
      for (const c of r.checks) io.out(`${file}:${c.line}: ${c.verdict === 'correct' ? '✓' : c.verdict === 'wrong' ? '✗' : '?'} ${c.verdict} ${c.name}${c.wrt ? ` (d${c.of}/d${c.wrt})` : ''}: ${c.message}\n`);
    }
  }
  return allCorrect ? 0 : 1;
}
