/**
 * Numeric kernels of the catalogue: float64, numerically stable, with
 * PyTorch's conventions (NaN in gives NaN out; ReLU(NaN) is NaN).
 */
import type { Builder, CmpOp } from './types';

/** erf to full double precision: Maclaurin series for |x| < 2.5, else erfc by Lentz's continued fraction. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf x = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))
    let sum = ax;
    let term = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const v = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -v : v;
  }
  if (ax > 6) return x < 0 ? -1 : 1;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  const v = 1 - erfc;
  return x < 0 ? -v : v;
}

/** σ(x) without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ) without overflow: max(x, 0) + log1p(e^{−|x|}). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log σ(x) = min(x, 0) − log1p(e^{−|x|}). */
export function logSigmoid(x: number): number {
  return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
}

export const sign = (x: number): number => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0);

/** Pass NaN through a piecewise kernel whose comparisons would otherwise drop it. */
export const nanSafe =
  (f: (x: number) => number) =>
  (x: number): number =>
    Number.isNaN(x) ? NaN : f(x);

function compare(op: CmpOp, a: number, b: number): number {
  switch (op) {
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
  }
}

/**
 * The catalogue's derivative formulas over plain numbers. `call` is bound
 * late (to the catalogue's `forward`) so this module does not import the entries.
 */
export function numberBuilder(call: (name: string, args: readonly number[]) => number): Builder<number> {
  return {
    num: (p, q = 1) => p / q,
    pi: () => Math.PI,
    add: (...t) => t.reduce((s, v) => s + v, 0),
    sub: (a, b) => a - b,
    mul: (...f) => f.reduce((s, v) => s * v, 1),
    div: (a, b) => a / b,
    neg: (a) => -a,
    pow: (a, b) => Math.pow(a, b),
    call: (name, ...args) => call(name, args),
    cmp: compare,
    where: (c, a, b) => (Number.isNaN(c) ? NaN : c !== 0 ? a : b),
  };
}
