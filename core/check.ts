/**
 * The numeric check: every symbolic partial derivative is compared with a
 * central finite difference (Richardson-extrapolated, error O(h⁴)) at a few
 * random points inside the function's domain and away from its kinks.
 *
 * The error at a point is |fd − sym| / max(1, |sym|): relative for large
 * values, absolute near zero, so an exact 0 is not a division by zero.
 */
import { Budget } from './budget';
import type { Expr } from './expr';
import { type Env, compile } from './evaluate';
import type { NumericCheck } from './result';

/** mulberry32: a tiny seeded generator, so checks are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sampling ranges tried in turn: general, probabilities, positive, wide. */
const RANGES: readonly [number, number][] = [
  [-2, 2],
  [0.05, 0.95],
  [0.3, 3],
  [-5, 5],
  [1.1, 4],
];

export const CHECK_TOLERANCE = 1e-5;

export interface CheckInput {
  f: Expr;
  variables: string[];
  partials: { wrt: string; d: Expr }[];
  /** The function has kinks where any of these is zero; points near them are skipped. */
  kinks: Expr[];
  points?: number;
  seed?: number;
  budget?: Budget;
}

export function numericCheck(input: CheckInput): NumericCheck {
  const wanted = input.points ?? 5;
  const random = rng(input.seed ?? 0x5eed);
  const budget = input.budget;
  const f = compile(input.f);
  const ds = input.partials.map((p) => ({ wrt: p.wrt, d: compile(p.d) }));
  const kinks = input.kinks.map(compile);
  const vars = [...new Set([...input.variables, ...input.partials.map((p) => p.wrt)])];
  const at: Record<string, number>[] = [];
  let maxErr = 0;
  const attempts = 60 * Math.max(1, wanted);
  for (let attempt = 0; attempt < attempts && at.length < wanted; attempt++) {
    if (budget?.expired()) break;
    const range = RANGES[Math.floor(attempt / 12) % RANGES.length]!;
    const env: Record<string, number> = {};
    for (const v of vars) env[v] = range[0] + (range[1] - range[0]) * random();
    if (kinks.some((k) => !(Math.abs(k(env)) > 1e-2))) continue;
    const f0 = f(env);
    if (!Number.isFinite(f0)) continue;
    let ok = true;
    let pointErr = 0;
    for (const { wrt, d } of ds) {
      const sym = d(env);
      const fd = finiteDifference(f, env, wrt);
      if (!Number.isFinite(sym) || fd === undefined) {
        ok = false;
        break;
      }
      pointErr = Math.max(pointErr, Math.abs(fd - sym) / Math.max(1, Math.abs(sym)));
    }
    if (!ok) continue;
    maxErr = Math.max(maxErr, pointErr);
    at.push({ ...env });
  }
  return {
    maxRelError: at.length ? maxErr : null,
    points: at.length,
    at,
    passed: at.length > 0 && maxErr <= CHECK_TOLERANCE,
  };
}

/**
 * Central difference with one Richardson extrapolation, computed at two step
 * sizes. When the two disagree, the point is ill-conditioned for finite
 * differences (near a pole or a branch point): undefined, and the point is
 * skipped, so a wrong finite difference never blames a right derivative.
 */
function finiteDifference(f: (env: Env) => number, env: Record<string, number>, v: string): number | undefined {
  const x = env[v]!;
  const h = 1e-3 * Math.max(1, Math.abs(x));
  const at = (dx: number) => f({ ...env, [v]: x + dx });
  const d = (step: number) => (at(step) - at(-step)) / (2 * step);
  const d1 = d(h);
  const d2 = d(h / 2);
  const d3 = d(h / 4);
  if (!Number.isFinite(d1) || !Number.isFinite(d2) || !Number.isFinite(d3)) return undefined;
  const r1 = (4 * d2 - d1) / 3;
  const r2 = (4 * d3 - d2) / 3;
  if (Math.abs(r1 - r2) > 1e-7 * Math.max(1, Math.abs(r2))) return undefined;
  return r2;
}
