/**
 * Exact rational arithmetic on `num` nodes, falling back to floats (`float`
 * nodes) when a result no longer fits in safe integers. Only number nodes go
 * in and out.
 */
import { type Expr, rat, float } from './expr';

export type NumExpr = Extract<Expr, { kind: 'num' | 'float' }>;

export function isNumber(e: Expr): e is NumExpr {
  return e.kind === 'num' || e.kind === 'float';
}

export function toFloat(e: NumExpr): number {
  return e.kind === 'num' ? e.p / e.q : e.value;
}

function exactOrFloat(p: number, q: number, approx: number): NumExpr {
  if (Number.isSafeInteger(p) && Number.isSafeInteger(q) && q !== 0) return rat(p, q) as NumExpr;
  return float(approx) as NumExpr;
}

export function addNum(a: NumExpr, b: NumExpr): NumExpr {
  if (a.kind === 'num' && b.kind === 'num') {
    return exactOrFloat(a.p * b.q + b.p * a.q, a.q * b.q, a.p / a.q + b.p / b.q);
  }
  return float(toFloat(a) + toFloat(b)) as NumExpr;
}

export function mulNum(a: NumExpr, b: NumExpr): NumExpr {
  if (a.kind === 'num' && b.kind === 'num') {
    return exactOrFloat(a.p * b.p, a.q * b.q, (a.p / a.q) * (b.p / b.q));
  }
  return float(toFloat(a) * toFloat(b)) as NumExpr;
}

export function negNum(a: NumExpr): NumExpr {
  return a.kind === 'num' ? (rat(-a.p, a.q) as NumExpr) : (float(-a.value) as NumExpr);
}

export function isInteger(e: Expr): e is Extract<Expr, { kind: 'num' }> {
  return e.kind === 'num' && e.q === 1;
}

export function isNegativeNumber(e: Expr): boolean {
  return (e.kind === 'num' && e.p < 0) || (e.kind === 'float' && e.value < 0);
}

/** Exact integer root: r with r^n = v, or undefined. */
function intRoot(v: number, n: number): number | undefined {
  if (v < 0) {
    if (n % 2 === 0) return undefined;
    const r = intRoot(-v, n);
    return r === undefined ? undefined : -r;
  }
  const r = Math.round(v ** (1 / n));
  for (const c of [r - 1, r, r + 1]) if (c >= 0 && c ** n === v) return c;
  return undefined;
}

/**
 * base^exp for number nodes when the result is exact (or when either is a
 * float); undefined when the result is irrational (√2) or not real, so that
 * the caller keeps the power symbolic.
 */
export function powNum(base: NumExpr, exp: NumExpr): NumExpr | undefined {
  if (base.kind === 'float' || exp.kind === 'float') {
    const v = toFloat(base) ** toFloat(exp);
    return Number.isFinite(v) ? (float(v) as NumExpr) : undefined;
  }
  if (base.p === 0) {
    if (exp.p > 0) return rat(0) as NumExpr;
    if (exp.p === 0) return rat(1) as NumExpr;
    return undefined; // 0 to a negative power: undefined, keep symbolic
  }
  if (exp.q === 1) {
    const n = exp.p;
    if (Math.abs(n) > 1024) return undefined;
    let p = base.p ** Math.abs(n);
    let q = base.q ** Math.abs(n);
    if (n < 0) [p, q] = [q, p];
    if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return undefined;
    return rat(p, q) as NumExpr;
  }
  // Rational exponent p/q: exact only when both parts of the base are perfect q-th powers.
  const rp = intRoot(base.p, exp.q);
  const rq = intRoot(base.q, exp.q);
  if (rp === undefined || rq === undefined) return undefined;
  return powNum(rat(rp, rq) as NumExpr, rat(exp.p, 1) as NumExpr);
}

/** Compare two number nodes: negative, zero or positive. */
export function compareNum(a: NumExpr, b: NumExpr): number {
  if (a.kind === 'num' && b.kind === 'num') return a.p * b.q - b.p * a.q;
  return toFloat(a) - toFloat(b);
}
