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
import { forward, isModuleName, lookup } from './ops';
import { toNumpy } from './print';
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
  /** Each partial; `numpy` is its printed code (default: `toNumpy(d)`), evaluated with NumPy's semantics too. */
  partials: { wrt: string; d: Expr; numpy?: string }[];
  /** The function has kinks where any of these is zero; points near them are skipped. */
  kinks: Expr[];
  points?: number;
  seed?: number;
  budget?: Budget;
}

/** The check, and a note when the printed NumPy code disagrees with the derivative it prints. */
export type CheckResult = NumericCheck & { codeNote?: string };

/**
 * The numeric check also evaluates the printed NumPy code, so a printer that
 * changes the meaning (`x**(1/3)`, NaN for x < 0 in NumPy) is caught.
 */
export function numericCheck(input: CheckInput): CheckResult {
  const wanted = input.points ?? 5;
  const random = rng(input.seed ?? 0x5eed);
  const budget = input.budget;
  const f = compile(input.f);
  const ds = input.partials.map((p) => ({ wrt: p.wrt, d: compile(p.d) }));
  let codeNote: string | undefined;
  const codes = input.partials.map((p) => {
    const code = p.numpy ?? toNumpy(p.d);
    try {
      return { code, f: compileNumpyCode(code) };
    } catch (err) {
      codeNote ??= `The printed NumPy code for ∂/∂${p.wrt} cannot be evaluated (${(err as Error).message}).`;
      return undefined;
    }
  });
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
    if (codeNote === undefined) {
      codes.forEach((c, i) => {
        if (!c || codeNote !== undefined) return;
        const sym = ds[i]!.d(env);
        const v = c.f(env);
        if (!(Math.abs(v - sym) <= 1e-8 * Math.max(1, Math.abs(sym)))) {
          const where = Object.entries(env).map(([k, x]) => `${k} = ${x.toPrecision(6)}`).join(', ');
          codeNote = `The printed NumPy code for ∂/∂${ds[i]!.wrt} gives ${v} at ${where}, not ${sym}: ${c.code}`;
        }
      });
    }
    maxErr = Math.max(maxErr, pointErr);
    at.push({ ...env });
  }
  return {
    maxRelError: at.length ? maxErr : null,
    points: at.length,
    at,
    passed: at.length > 0 && maxErr <= CHECK_TOLERANCE && codeNote === undefined,
    ...(codeNote !== undefined ? { codeNote } : {}),
  };
}

// ---------------------------------------------------------------------------
// The printed NumPy code, evaluated as NumPy would on float64 scalars: `**` is
// `np.power` (a negative base to a non-integer power is NaN), functions are
// NumPy's (values from the catalogue, which follows them), comparisons give 0/1.

type Code = (env: Env) => number;

// A name may carry subscripts (`p["w1"]`, `X[i, 0]`): one variable, named by its text.
const CODE_TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*|\[[^[\]\n]*\])*)|(\*\*|<=|>=|==|!=|[-+*/(),<>]))/y;

const CODE_CONSTANTS: Readonly<Record<string, number>> = { 'np.pi': Math.PI, 'np.e': Math.E, 'np.inf': Infinity, 'np.nan': NaN };

/** Functions NumPy has that are not one catalogue entry's call. */
const CODE_EXTRA: Readonly<Record<string, (a: number[]) => number>> = {
  'np.logaddexp': ([a, b]) => {
    const m = Math.max(a!, b!);
    return m === -Infinity ? -Infinity : m + Math.log(1 + Math.exp(-Math.abs(a! - b!)));
  },
  'np.heaviside': ([x, h0]) => (Number.isNaN(x!) ? NaN : x! > 0 ? 1 : x! < 0 ? 0 : h0!),
  'np.power': ([a, b]) => Math.pow(a!, b!),
};

/** Compile printed NumPy code (one expression) to a function of its variables. */
export function compileNumpyCode(code: string): Code {
  const toks: string[] = [];
  const kinds: ('num' | 'name' | 'op')[] = [];
  CODE_TOKEN.lastIndex = 0;
  while (CODE_TOKEN.lastIndex < code.length) {
    const start = CODE_TOKEN.lastIndex;
    if (/^\s*$/.test(code.slice(start))) break;
    const m = CODE_TOKEN.exec(code);
    if (!m) throw new Error(`unexpected "${code.slice(start, start + 10)}"`);
    toks.push((m[1] ?? m[2] ?? m[3])!);
    kinds.push(m[1] !== undefined ? 'num' : m[2] !== undefined ? 'name' : 'op');
  }
  let i = 0;
  const peek = () => toks[i];
  const expect = (t: string) => {
    if (toks[i] !== t) throw new Error(`expected "${t}"`);
    i++;
  };
  const CMP: Record<string, (a: number, b: number) => boolean> = {
    '<': (a, b) => a < b,
    '<=': (a, b) => a <= b,
    '>': (a, b) => a > b,
    '>=': (a, b) => a >= b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
  };
  const comparison = (): Code => {
    const l = additive();
    const o = peek();
    if (o !== undefined && CMP[o]) {
      i++;
      const r = additive();
      const f = CMP[o];
      return (env) => (f(l(env), r(env)) ? 1 : 0);
    }
    return l;
  };
  const additive = (): Code => {
    let l = term();
    while (peek() === '+' || peek() === '-') {
      const o = toks[i++];
      const a = l;
      const b = term();
      l = o === '+' ? (env) => a(env) + b(env) : (env) => a(env) - b(env);
    }
    return l;
  };
  const term = (): Code => {
    let l = unary();
    while (peek() === '*' || peek() === '/') {
      const o = toks[i++];
      const a = l;
      const b = unary();
      l = o === '*' ? (env) => a(env) * b(env) : (env) => a(env) / b(env);
    }
    return l;
  };
  const unary = (): Code => {
    if (peek() === '-') {
      i++;
      const a = unary();
      return (env) => -a(env);
    }
    if (peek() === '+') {
      i++;
      return unary();
    }
    return power();
  };
  const power = (): Code => {
    const b = atom();
    if (peek() !== '**') return b;
    i++;
    const e = unary();
    // np.power on float64: NaN for a negative base with a non-integer exponent (Math.pow agrees).
    return (env) => Math.pow(b(env), e(env));
  };
  const atom = (): Code => {
    const t = toks[i];
    const k = kinds[i];
    if (t === undefined) throw new Error('unexpected end');
    i++;
    if (k === 'num') {
      const v = Number(t);
      return () => v;
    }
    if (t === '(') {
      const e = comparison();
      expect(')');
      return e;
    }
    if (k !== 'name') throw new Error(`unexpected "${t}"`);
    if (peek() !== '(') {
      if (Object.prototype.hasOwnProperty.call(CODE_CONSTANTS, t)) {
        const v = CODE_CONSTANTS[t]!;
        return () => v;
      }
      // An attribute of the user's object (`self.w`) is a variable; a module's (`np.foo`) is not.
      if (t.includes('.') && isModuleName(t.slice(0, t.indexOf('.')))) throw new Error(`unknown name "${t}"`);
      return (env) => env[t] ?? NaN;
    }
    i++;
    const args: Code[] = [];
    while (peek() !== ')') {
      args.push(comparison());
      if (peek() !== ',') break;
      i++;
    }
    expect(')');
    const dot = t.lastIndexOf('.');
    const extra = CODE_EXTRA[t];
    const entry = dot > 0 ? lookup(t.slice(0, dot), t.slice(dot + 1)) : undefined;
    if (!extra && !entry) throw new Error(`unknown function "${t}"`);
    return (env) => {
      const vals = args.map((a) => a(env));
      return extra ? extra(vals) : forward(entry!, vals.slice(0, entry!.arity), vals.slice(entry!.arity));
    };
  };
  const out = comparison();
  if (i !== toks.length) throw new Error(`unexpected "${toks[i]}"`);
  return out;
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
