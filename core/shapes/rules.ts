/**
 * The rule table: one entry per function, method or layer, from argument
 * values to a result value, with a `ShapeStep` carrying the actual numbers.
 * Keys: `np.zeros`, `torch.cat`, `F.relu`, `nn.Conv2d` (construction),
 * `layer.Conv2d` (application), `.reshape` (tensor methods; `self` is the tensor).
 */
import { type Lib as OpLib, type OpEntry, OPS } from '../ops';
import { type Dim, addDim, broadcastDims, cmpDim, exactDivDim, floorDivDim, formatDim, isInt, mulDim, productDims, scaleDim, subDim, symDim } from './dim';
import { type Lib, type Shape, type Value, FLOAT, UNKNOWN, UNKNOWN_INT, describe, int, shapeText, tensor } from './values';

export interface CallCtx {
  pos: Value[];
  kw: Map<string, Value>;
  self?: Value;
  /** Source text of the whole call, for messages. */
  text: string;
  /** Source text of positional argument i (or of the receiver for i = -1). */
  argText(i: number): string;
  lib: Lib;
  step(rule: string, detail: string, latex?: string): void;
  error(code: string, message: string): void;
  /** Apply a layer or callable value to one argument (for nn.Sequential). */
  apply(fn: Value, x: Value, label: string): Value;
  /**
   * An argument of unknown value is an array or a list of numbers (so a reduction over all its
   * axes is a scalar); false when the file uses pandas, whose DataFrame.mean() is a Series.
   */
  unknownIsArray?: boolean;
}

export type Rule = (c: CallCtx) => Value;

/** The rule table; an activation layer class from the catalogue (`nn.GELU`) is found without a row of its own. */
class RuleTable extends Map<string, Rule> {
  override get(key: string): Rule | undefined {
    const r = super.get(key);
    if (r) return r;
    const layer = activationLayer(key);
    return layer ? () => ({ k: 'layer', type: layer, cfg: {} }) : undefined;
  }

  override has(key: string): boolean {
    return super.has(key) || activationLayer(key) !== undefined;
  }
}
export const RULES: Map<string, Rule> = new RuleTable();

function def(names: string, rule: Rule): void {
  for (const n of names.split(/\s+/)) if (n) RULES.set(n, rule);
}

// ---------- helpers ----------

export function dimOf(v: Value | undefined): Dim | undefined {
  if (!v) return undefined;
  if (v.k === 'int') return v.d;
  if (v.k === 'unknown') return v.sym !== undefined ? symDim(v.sym) : null;
  if (v.k === 'tensor' && v.shape !== null && v.shape.length === 0) return null;
  return undefined;
}

/** A shape argument: an int, a tuple/list of ints, a torch.Size; null when unknown. */
export function dimsOf(v: Value | undefined): Shape {
  if (!v) return null;
  if (v.k === 'int') return [v.d];
  if (v.k === 'tuple') {
    const out: Dim[] = [];
    for (const it of v.items) {
      const d = dimOf(it);
      if (d === undefined) return null;
      out.push(d);
    }
    return out;
  }
  return null;
}

/** `f(2, 3)` or `f((2, 3))` or `f(size=(2, 3))`. */
function varDims(c: CallCtx, kwName = 'size', from = 0): Shape {
  const kv = c.kw.get(kwName);
  if (kv) return dimsOf(kv);
  const args = c.pos.slice(from);
  if (args.length === 1 && (args[0]!.k === 'tuple' || args[0]!.k === 'unknown')) return dimsOf(args[0]);
  if (args.length === 0) return [];
  const out: Dim[] = [];
  for (const a of args) {
    const d = dimOf(a);
    if (d === undefined) return null;
    out.push(d);
  }
  return out;
}

function arg(c: CallCtx, i: number, name?: string): Value | undefined {
  if (name !== undefined && c.kw.has(name)) return c.kw.get(name);
  return c.pos[i];
}

function intArg(c: CallCtx, i: number, name: string | undefined, dflt: number | null): number | null | undefined {
  const v = arg(c, i, name);
  if (v === undefined) return dflt;
  if (v.k === 'none') return undefined;
  if (v.k === 'int') return isInt(v.d) ? v.d : null;
  return null;
}

function T(v: Value | undefined): (Value & { k: 'tensor' }) | undefined {
  return v && v.k === 'tensor' ? v : undefined;
}

/** Treat Python numbers as 0-d for broadcasting. */
function asOperand(v: Value | undefined, lib: Lib): (Value & { k: 'tensor' }) | undefined {
  if (!v) return undefined;
  if (v.k === 'tensor') return v;
  if (v.k === 'int' || v.k === 'float' || v.k === 'bool') return { k: 'tensor', lib, shape: [] };
  if (v.k === 'tuple') return T(fromLiteral(v, lib));
  return undefined;
}

function normAxis(ax: number, nd: number): number | null {
  const a = ax < 0 ? ax + nd : ax;
  return a >= 0 && a < nd ? a : null;
}

const fmt = shapeText;

/** NumPy broadcasting of two shapes (dim.ts's `broadcastDims`, lenient: never a wrong shape). */
export function broadcastShapes(a: Shape, b: Shape): { shape: Shape; bad?: [Dim, Dim] } {
  return broadcastDims(a, b);
}

export function broadcast(c: CallCtx, vals: Value[], what: string, texts: string[]): Value {
  let lib: Lib | undefined;
  for (const v of vals) if (v.k === 'tensor') lib = lib ?? v.lib;
  const ops = vals.map((v) => asOperand(v, lib ?? c.lib));
  if (ops.some((o) => !o) || lib === undefined) return lib === undefined && vals.every((v) => v.k === 'int' || v.k === 'float') ? FLOAT : UNKNOWN;
  let shape: Shape = ops[0]!.shape;
  for (let i = 1; i < ops.length; i++) {
    const r = broadcastShapes(shape, ops[i]!.shape);
    if (r.bad) {
      c.error(
        'broadcast',
        `broadcast: ${what} has shapes ${fmt(shape)} and ${fmt(ops[i]!.shape)}: dimensions ${r.bad[0]} and ${r.bad[1]} cannot be broadcast together${texts.length > 1 ? ` (${texts[0]} and ${texts[i]})` : ''}`,
      );
      return tensor(lib, null);
    }
    if (ops.every((o) => o!.shape !== null) && fmt(shape) !== fmt(ops[i]!.shape)) c.step('broadcast', `broadcast ${fmt(shape)} with ${fmt(ops[i]!.shape)} → ${fmt(r.shape)}`);
    shape = r.shape;
  }
  return tensor(lib, shape);
}

export function matmul(c: CallCtx, a: Value | undefined, b: Value | undefined, what: string, name = 'matmul'): Value {
  const x = T(a);
  const y = T(b);
  if (!x || !y) return x || y ? tensor((x ?? y)!.lib, null) : UNKNOWN;
  const lib = x.lib;
  if (x.shape === null || y.shape === null) return tensor(lib, null);
  if (x.shape.length === 0 || y.shape.length === 0) {
    c.error('matmul', `${name}: ${what} has shapes ${fmt(x.shape)} and ${fmt(y.shape)}: matmul needs at least one dimension on each side`);
    return tensor(lib, null);
  }
  const xs = x.shape.length === 1 ? [1, x.shape[0]!] : x.shape;
  const ys = y.shape.length === 1 ? [y.shape[0]!, 1] : y.shape;
  const k1 = xs[xs.length - 1]!;
  const k2 = ys[ys.length - 2]!;
  if (cmpDim(k1, k2) === 'unequal') {
    c.error('matmul', `${name}: ${what} has shapes ${fmt(x.shape)} and ${fmt(y.shape)}: inner dimensions ${formatDim(k1)} and ${formatDim(k2)} differ`);
    return tensor(lib, null);
  }
  const bx = xs.slice(0, -2);
  const by = ys.slice(0, -2);
  const bb = broadcastShapes(bx, by);
  if (bb.bad) {
    c.error('matmul', `${name}: ${what} has shapes ${fmt(x.shape)} and ${fmt(y.shape)}: batch dimensions ${bb.bad[0]} and ${bb.bad[1]} cannot be broadcast`);
    return tensor(lib, null);
  }
  const out: Dim[] = [...bb.shape!];
  if (x.shape.length > 1) out.push(xs[xs.length - 2]!);
  if (y.shape.length > 1) out.push(ys[ys.length - 1]!);
  c.step('matmul', `${fmt(x.shape)} @ ${fmt(y.shape)} → ${fmt(out)} (inner ${formatDim(k1)})`);
  return tensor(lib, out);
}

/** Nested list/tuple literal → array shape (ragged → unknown). */
export function fromLiteral(v: Value, lib: Lib): Value {
  // np.asarray(x) and friends may return x itself: keep its identity (see markReshaped)
  if (v.k === 'tensor') return v.lib === lib ? v : tensor(lib, v.shape);
  if (v.k === 'int' || v.k === 'float' || v.k === 'bool') return tensor(lib, []);
  if (v.k !== 'tuple') return tensor(lib, null);
  const shape: Dim[] = [];
  let level: Value[] = [v];
  for (let depth = 0; depth < 32; depth++) {
    const first = level[0]!;
    if (first.k === 'tuple') {
      const n = first.items.length;
      if (!level.every((x) => x.k === 'tuple' && x.items.length === n)) return tensor(lib, null);
      shape.push(n);
      level = level.flatMap((x) => (x as Value & { k: 'tuple' }).items);
      if (level.length === 0) return tensor(lib, shape);
    } else if (first.k === 'tensor') {
      if (!level.every((x) => x.k === 'tensor' && fmt(x.shape) === fmt(first.shape)) || first.shape === null) return tensor(lib, null);
      return tensor(lib, [...shape, ...first.shape]);
    } else {
      if (!level.every((x) => x.k === 'int' || x.k === 'float' || x.k === 'bool')) return tensor(lib, null);
      return tensor(lib, shape);
    }
  }
  return tensor(lib, null);
}

function axesArg(v: Value | undefined, nd: number): number[] | null | undefined {
  // undefined: None (all axes); null: unknown
  if (!v || v.k === 'none') return undefined;
  if (v.k === 'int') {
    if (!isInt(v.d)) return null;
    const a = normAxis(v.d, nd);
    return a === null ? null : [a];
  }
  if (v.k === 'tuple') {
    const out: number[] = [];
    for (const it of v.items) {
      if (it.k !== 'int' || !isInt(it.d)) return null;
      const a = normAxis(it.d, nd);
      if (a === null) return null;
      out.push(a);
    }
    return out;
  }
  return null;
}

function truthy(v: Value | undefined): boolean | null {
  if (!v) return false;
  if (v.k === 'bool') return null;
  if (v.k === 'int') return isInt(v.d) ? v.d !== 0 : null;
  if (v.k === 'none') return false;
  return null;
}

function boolArg(c: CallCtx, name: string, pos: number, dflt: boolean): boolean | null {
  const v = c.kw.get(name) ?? (pos >= 0 ? c.pos[pos] : undefined);
  if (v === undefined) return dflt;
  if (v.k === 'bool') return (v as { b?: boolean }).b ?? null;
  return truthy(v);
}

function reduce(c: CallCtx, x: Value | undefined, axisV: Value | undefined, keep: boolean | null, name: string, torchStyle: boolean): Value {
  const t = T(x);
  // Over all axes without keepdims, whatever the input's shape: a scalar (a NumPy scalar or a 0-d tensor).
  const whole = (axisV === undefined || axisV.k === 'none') && keep === false;
  if (!t) {
    if (x && x.k === 'tuple') return reduce(c, fromLiteral(x, c.lib), axisV, keep, name, torchStyle);
    if (x && whole && ((x.k === 'unknown' && c.unknownIsArray) || x.k === 'float' || x.k === 'int')) return withShape(c, c.lib, [], `${name} over all axes`);
    return UNKNOWN;
  }
  if (t.shape === null && whole) return withShape(c, t.lib, [], `${name} over all axes`);
  if (t.shape === null || keep === null) return tensor(t.lib, null);
  const nd = t.shape.length;
  const axes = axesArg(axisV, nd);
  if (axes === null) return tensor(t.lib, null);
  const all = axes === undefined;
  const set = new Set(all ? t.shape.map((_d, i) => i) : axes);
  const out: Dim[] = [];
  t.shape.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  c.step(`${name} over ${all ? 'all axes' : `${torchStyle ? 'dim' : 'axis'} ${[...set].join(', ')}`}`, `${name} ${fmt(t.shape)}${keep ? ' keeping dims' : ''} → ${fmt(out)}`);
  return tensor(t.lib, out);
}

function same(c: CallCtx, x: Value | undefined, name: string): Value {
  const t = T(x);
  if (!t) return x && x.k === 'tuple' ? fromLiteral(x, c.lib) : x && (x.k === 'float' || x.k === 'int') ? FLOAT : UNKNOWN;
  c.step(name, `${name} keeps the shape ${fmt(t.shape)}`);
  return t;
}

function withShape(c: CallCtx, lib: Lib, shape: Shape, name: string): Value {
  c.step(name, `${name} → ${fmt(shape)}`);
  return tensor(lib, shape);
}

// ---------- creation ----------

for (const lib of ['np', 'torch'] as const) {
  const L: Lib = lib === 'np' ? 'numpy' : 'torch';
  def(`${lib}.zeros ${lib}.ones ${lib}.empty`, (c) => withShape(c, L, varDims(c, 'shape' in Object.fromEntries(c.kw) ? 'shape' : 'size'), 'creation'));
  def(`${lib}.full`, (c) => withShape(c, L, dimsOf(arg(c, 0, lib === 'np' ? 'shape' : 'size')), 'creation'));
  def(`${lib}.zeros_like ${lib}.ones_like ${lib}.empty_like ${lib}.full_like ${lib}.rand_like ${lib}.randn_like ${lib}.randint_like`, (c) => {
    const t = T(c.pos[0]) ?? T(fromLiteral(c.pos[0] ?? UNKNOWN, L));
    return withShape(c, L, t ? t.shape : null, 'same shape as the argument');
  });
  def(`${lib}.eye`, (c) => {
    const n = dimOf(arg(c, 0, lib === 'np' ? 'N' : 'n'));
    const m = arg(c, 1, lib === 'np' ? 'M' : 'm');
    const md = m === undefined || m.k === 'none' ? n : dimOf(m);
    if (n === undefined || md === undefined) return tensor(L, null);
    return withShape(c, L, [n, md], 'eye');
  });
  def(`${lib}.arange`, (c) => {
    const a = c.pos.map(dimOf);
    let start: Dim | undefined = 0;
    let stop: Dim | undefined;
    let stepv: Dim | undefined = 1;
    if (c.kw.has('end') || c.kw.has('stop')) stop = dimOf(c.kw.get('end') ?? c.kw.get('stop'));
    if (a.length === 1) stop = a[0];
    else if (a.length >= 2) [start, stop] = [a[0], a[1]];
    if (a.length >= 3) stepv = a[2];
    if (c.kw.has('step')) stepv = dimOf(c.kw.get('step'));
    if (c.kw.has('start')) start = dimOf(c.kw.get('start'));
    if (c.pos.some((p) => p.k === 'float') || start === undefined || stop === undefined || stepv === undefined) return tensor(L, [null]);
    if (stepv === null || !isInt(stepv) || stepv === 0) return tensor(L, [null]);
    let n: Dim;
    if (isInt(start) && isInt(stop)) n = Math.max(0, Math.ceil((stop - start) / stepv));
    else if (stepv > 0 && start === 0) n = floorDivDim(addDim(stop, stepv - 1), stepv);
    else n = null;
    return withShape(c, L, [n], 'arange');
  });
  def(`${lib}.linspace ${lib}.logspace`, (c) => {
    const v = arg(c, 2, lib === 'np' ? 'num' : 'steps');
    const n = v === undefined ? (lib === 'np' ? 50 : null) : dimOf(v);
    return withShape(c, L, [n ?? null], 'linspace');
  });
}
def('np.identity', (c) => {
  const n = dimOf(c.pos[0]);
  return n === undefined ? tensor('numpy', null) : withShape(c, 'numpy', [n, n], 'identity');
});
def('np.array np.asarray np.asanyarray np.ascontiguousarray np.copy', (c) => fromLiteral(c.pos[0] ?? UNKNOWN, 'numpy'));
def('torch.tensor torch.as_tensor torch.from_numpy torch.Tensor.new_tensor', (c) => fromLiteral(c.pos[0] ?? UNKNOWN, 'torch'));

function sizeOrScalar(c: CallCtx, L: Lib, v: Value | undefined, name: string): Value {
  if (v === undefined || v.k === 'none') return FLOAT;
  return withShape(c, L, dimsOf(v), name);
}
def('np.random.randn np.random.rand', (c) => (c.pos.length === 0 ? FLOAT : withShape(c, 'numpy', varDims(c), 'random')));
def('np.random.random np.random.random_sample np.random.standard_normal np.random.sample rng.random rng.standard_normal', (c) =>
  sizeOrScalar(c, 'numpy', arg(c, 0, 'size'), 'random'),
);
/**
 * Distributions with parameters then `size` (at position `at`): the result has shape `size`; without
 * it, a scalar when every parameter is a number, else the parameters' broadcast shape (not followed).
 */
function sampled(c: CallCtx, at: number): Value {
  const size = arg(c, at, 'size');
  if (size !== undefined && size.k !== 'none') return withShape(c, 'numpy', dimsOf(size), 'random');
  const params = [...c.pos.slice(0, at), ...[...c.kw].filter(([k]) => k !== 'size').map(([, v]) => v)];
  return params.every((p) => p.k === 'int' || p.k === 'float' || p.k === 'bool') ? FLOAT : UNKNOWN;
}
def('np.random.normal np.random.uniform rng.normal rng.uniform np.random.binomial rng.binomial np.random.gamma rng.gamma np.random.beta rng.beta np.random.lognormal rng.lognormal np.random.laplace rng.laplace np.random.logistic rng.logistic np.random.gumbel rng.gumbel np.random.wald rng.wald np.random.negative_binomial rng.negative_binomial', (c) => sampled(c, 2));
def('np.random.poisson rng.poisson np.random.exponential rng.exponential np.random.chisquare rng.chisquare np.random.geometric rng.geometric np.random.standard_t rng.standard_t np.random.rayleigh rng.rayleigh np.random.pareto rng.pareto np.random.standard_gamma rng.standard_gamma', (c) => sampled(c, 1));
def('np.random.standard_exponential rng.standard_exponential np.random.standard_cauchy rng.standard_cauchy', (c) => sampled(c, 0));
def('np.random.multivariate_normal rng.multivariate_normal', (c) => {
  // mean (k,), cov (k, k) → size + (k,)
  const mean = c.pos[0] ?? c.kw.get('mean');
  const k = mean?.k === 'tensor' ? (mean.shape?.length === 1 ? mean.shape[0]! : null) : mean?.k === 'tuple' && mean.items.every((x) => x.k === 'int' || x.k === 'float') ? mean.items.length : null;
  const size = arg(c, 2, 'size');
  const lead = size === undefined || size.k === 'none' ? [] : dimsOf(size);
  if (lead === null) return tensor('numpy', null);
  return withShape(c, 'numpy', [...lead, k], 'multivariate normal');
});
def('torch.normal', (c) => {
  // torch.normal(mean, std, size=…) with numbers; with tensors, their broadcast shape
  const size = c.kw.get('size') ?? (c.pos[2] && c.pos[2].k === 'tuple' ? c.pos[2] : undefined);
  if (size) return withShape(c, 'torch', dimsOf(size), 'normal');
  const m = T(c.pos[0] ?? c.kw.get('mean'));
  const sd = T(c.pos[1] ?? c.kw.get('std'));
  if (m && sd) return broadcast(c, [m, sd], c.text, [c.argText(0), c.argText(1)]);
  return m ?? sd ?? UNKNOWN;
});
def('np.random.randint rng.integers', (c) => (c.kw.has('size') || c.pos.length >= 3 ? sizeOrScalar(c, 'numpy', arg(c, 2, 'size'), 'random') : UNKNOWN));
def('np.random.permutation rng.permutation', (c) => {
  const v = c.pos[0];
  if (v && v.k === 'int') return withShape(c, 'numpy', [v.d], 'permutation');
  return same(c, v, 'permutation');
});
def('np.random.choice rng.choice', (c) => (c.kw.has('size') || c.pos.length >= 2 ? sizeOrScalar(c, 'numpy', arg(c, 1, 'size'), 'random') : UNKNOWN));
def('torch.randn torch.rand torch.empty', (c) => withShape(c, 'torch', varDims(c), 'creation'));
def('torch.randint', (c) => {
  const s = c.kw.get('size') ?? c.pos.find((p) => p.k === 'tuple');
  return s ? withShape(c, 'torch', dimsOf(s), 'randint') : tensor('torch', null);
});
def('torch.randperm', (c) => withShape(c, 'torch', [dimOf(c.pos[0]) ?? null], 'randperm'));

// ---------- elementwise ----------

/**
 * Elementwise functions come from the operation catalogue (core/ops): every spelling of every entry
 * whose shape class is elementwise, in every array library (NumPy, PyTorch, `F.`, tensor methods,
 * `torch.special` / `scipy.special`). One array argument keeps its shape (a scalar parameter such as
 * a slope changes nothing; an array given for it broadcasts); two broadcast. Entries with more array
 * arguments (where, clip) have their own rules below.
 */
const ARRAY_LIBS: readonly OpLib[] = ['numpy', 'torch', 'F', 'method', 'scipy'];
const PREFIXES = ['np.', 'torch.', 'F.', '.', 'torch.special.', 'scipy.special.'];
function catalogueSpellings(e: OpEntry, libs: readonly OpLib[]): string[] {
  return [...new Set(libs.flatMap((l) => e.spell[l] ?? []))];
}
function elementwise(f: string): Rule {
  return (c) => {
    const x = c.self ?? c.pos[0];
    const rest = (c.self ? c.pos : c.pos.slice(1)).filter((v) => v.k === 'tensor');
    return rest.length ? broadcast(c, [x ?? UNKNOWN, ...rest], c.text, []) : same(c, x, f);
  };
}
function binaryRule(c: CallCtx): Value {
  return c.self
    ? broadcast(c, [c.self, c.pos[0] ?? UNKNOWN], c.text, [c.argText(-1), c.argText(0)])
    : broadcast(c, [c.pos[0] ?? UNKNOWN, c.pos[1] ?? UNKNOWN], c.text, [c.argText(0), c.argText(1)]);
}
for (const e of OPS) {
  if (e.shape !== 'elementwise' || e.arity > 2) continue;
  for (const f of catalogueSpellings(e, ARRAY_LIBS)) for (const p of PREFIXES) def(p + f, e.arity === 1 ? elementwise(f) : binaryRule);
}
/** Elementwise functions outside the catalogue (no derivative there): they keep the input's shape. */
const OTHER_UNARY =
  'floor ceil round rint trunc negative isnan isinf isfinite logical_not nan_to_num real imag conj angle deg2rad rad2deg fabs relu_ relu6 hardtanh hardswish dropout dropout2d normalize'.split(' ');
for (const f of OTHER_UNARY) def(`np.${f} torch.${f} .${f} F.${f}`, elementwise(f));
def('np.clip torch.clip torch.clamp .clip .clamp .clamp_ .clamp_min .clamp_max', (c) => {
  const x = c.self ?? c.pos[0];
  const rest = c.self ? c.pos : c.pos.slice(1);
  const tensors = rest.filter((v) => v.k === 'tensor');
  return tensors.length ? broadcast(c, [x ?? UNKNOWN, ...tensors], c.text, []) : same(c, x, 'clip');
});
const BINARY = 'add subtract multiply divide true_divide floor_divide power mod fmod hypot logical_and logical_or logical_xor greater less equal not_equal greater_equal less_equal mul sub div pow eq ne gt lt ge le bitwise_and bitwise_or'.split(' ');
for (const f of BINARY) def(`np.${f} torch.${f} .${f}`, binaryRule);
def('np.where torch.where', (c) => {
  if (c.pos.length === 1) return nonzero(c, c.pos[0]);
  return broadcast(c, [c.pos[0] ?? UNKNOWN, c.pos[1] ?? UNKNOWN, c.pos[2] ?? UNKNOWN], c.text, [c.argText(0), c.argText(1), c.argText(2)]);
});
for (const f of 'softmax log_softmax'.split(' ')) def(`F.${f} torch.${f} .${f}`, (c) => same(c, c.self ?? c.pos[0], f));
def('np.copy .copy .clone .detach .contiguous .float .double .long .int .half .bool .cpu .cuda .to .type .numpy .astype .requires_grad_ .abs_ .zero_ .fill_ .normal_ .uniform_ .item_', (c) => {
  const x = c.self ?? c.pos[0];
  if (x && x.k === 'tensor' && c.text.endsWith('.numpy()')) return tensor('numpy', x.shape);
  return same(c, x, 'same shape');
});
def('.item .tolist', () => UNKNOWN);

// ---------- products ----------

def('np.matmul torch.matmul torch.mm torch.bmm .matmul .mm .bmm', (c) => {
  const [a, b] = c.self ? [c.self, c.pos[0]] : [c.pos[0], c.pos[1]];
  return matmul(c, a, b, c.text);
});
function dot(c: CallCtx, a: Value | undefined, b: Value | undefined): Value {
  const x = T(a);
  const y = T(b);
  if (!x || !y) return x || y ? tensor((x ?? y)!.lib, null) : UNKNOWN;
  if (x.shape === null || y.shape === null) return tensor(x.lib, null);
  if (x.shape.length === 0 || y.shape.length === 0) return broadcast(c, [x, y], c.text, []);
  if (y.shape.length === 1 || (x.shape.length <= 2 && y.shape.length <= 2)) return matmul(c, x, y, c.text, 'dot');
  const k1 = x.shape[x.shape.length - 1]!;
  const k2 = y.shape[y.shape.length - 2]!;
  if (cmpDim(k1, k2) === 'unequal') {
    c.error('matmul', `dot: ${c.text} has shapes ${fmt(x.shape)} and ${fmt(y.shape)}: inner dimensions ${formatDim(k1)} and ${formatDim(k2)} differ`);
    return tensor(x.lib, null);
  }
  const out = [...x.shape.slice(0, -1), ...y.shape.slice(0, -2), y.shape[y.shape.length - 1]!];
  c.step('dot', `dot ${fmt(x.shape)} · ${fmt(y.shape)} → ${fmt(out)}`);
  return tensor(x.lib, out);
}
def('np.dot .dot', (c) => (c.self ? dot(c, c.self, c.pos[0]) : dot(c, c.pos[0], c.pos[1])));
def('torch.dot torch.inner np.inner np.vdot', (c) => {
  const a = T(c.pos[0]);
  if (a && a.shape?.length === 1 && T(c.pos[1])?.shape?.length === 1) return withShape(c, a.lib, [], 'dot');
  return a ? tensor(a.lib, null) : UNKNOWN;
});
def('np.outer torch.outer torch.ger', (c) => {
  const a = T(c.pos[0]);
  const b = T(c.pos[1]);
  if (!a || !b) return UNKNOWN;
  const n = a.shape === null ? null : productDims(a.shape);
  const m = b.shape === null ? null : productDims(b.shape);
  return withShape(c, a.lib, [n, m], 'outer');
});
def('np.einsum torch.einsum', (c) => einsum(c));

function einsum(c: CallCtx): Value {
  const spec = c.pos[0];
  if (!spec || spec.k !== 'str') return UNKNOWN;
  let ops = c.pos.slice(1);
  if (ops.length === 1 && ops[0]!.k === 'tuple') ops = ops[0]!.items;
  const lib = ops.find((o) => o.k === 'tensor')?.k === 'tensor' ? (ops.find((o) => o.k === 'tensor') as { lib: Lib }).lib : c.lib;
  const s = spec.s.replace(/\s+/g, '');
  if (s.includes('.')) return tensor(lib, null);
  const [lhs, rhs] = s.split('->') as [string, string | undefined];
  const ins = lhs.split(',');
  if (ins.length !== ops.length) return tensor(lib, null);
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  for (let i = 0; i < ins.length; i++) {
    const o = T(ops[i]);
    const sub = ins[i]!;
    if (!o || o.shape === null) {
      for (const ch of sub) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      continue;
    }
    if (o.shape.length !== sub.length) return tensor(lib, null);
    for (let j = 0; j < sub.length; j++) {
      const ch = sub[j]!;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      const d = o.shape[j]!;
      const prev = sizes.get(ch);
      if (prev === undefined || prev === 1) sizes.set(ch, d);
      else if (d !== 1 && cmpDim(prev, d) === 'unequal' && isInt(prev) && isInt(d)) {
        c.error('einsum', `einsum '${spec.s}': subscript '${ch}' is ${prev} in one operand and ${d} in ${c.argText(i + 1)}`);
        return tensor(lib, null);
      } else if (d !== 1 && cmpDim(prev, d) !== 'equal') sizes.set(ch, null);
    }
  }
  const out = rhs ?? [...counts].filter(([, n]) => n === 1).map(([ch]) => ch).sort().join('');
  const shape = [...out].map((ch) => sizes.get(ch) ?? null);
  c.step('einsum', `einsum '${spec.s}' → ${fmt(shape)}`);
  return tensor(lib, shape);
}

// ---------- shape changes ----------

function reverse(c: CallCtx, t: Value | undefined): Value {
  const x = T(t);
  if (!x) return UNKNOWN;
  if (x.shape === null) return x;
  const out = [...x.shape].reverse();
  c.step('transpose', `transpose ${fmt(x.shape)} → ${fmt(out)}`);
  return tensor(x.lib, out);
}
export { reverse as transposeAll };

function permute(c: CallCtx, x: Value & { k: 'tensor' }, axes: Value[]): Value {
  if (x.shape === null) return x;
  const nd = x.shape.length;
  if (axes.length !== nd) return tensor(x.lib, null);
  const out: Dim[] = [];
  for (const a of axes) {
    if (a.k !== 'int' || !isInt(a.d)) return tensor(x.lib, null);
    const n = normAxis(a.d, nd);
    if (n === null) return tensor(x.lib, null);
    out.push(x.shape[n]!);
  }
  c.step('permute', `permute ${fmt(x.shape)} by (${axes.map(describe).join(', ')}) → ${fmt(out)}`);
  return tensor(x.lib, out);
}

function swap(c: CallCtx, x: Value & { k: 'tensor' }, a: Value | undefined, b: Value | undefined): Value {
  if (x.shape === null) return x;
  const nd = x.shape.length;
  const i = a && a.k === 'int' && isInt(a.d) ? normAxis(a.d, nd) : null;
  const j = b && b.k === 'int' && isInt(b.d) ? normAxis(b.d, nd) : null;
  if (i === null || j === null) return tensor(x.lib, null);
  const out = [...x.shape];
  out[i] = x.shape[j]!;
  out[j] = x.shape[i]!;
  c.step('transpose', `swap axes ${i} and ${j}: ${fmt(x.shape)} → ${fmt(out)}`);
  return tensor(x.lib, out);
}

def('np.transpose', (c) => {
  const x = T(c.pos[0]);
  if (!x) return UNKNOWN;
  const ax = arg(c, 1, 'axes');
  if (!ax || ax.k === 'none') return reverse(c, x);
  return ax.k === 'tuple' ? permute(c, x, ax.items) : tensor(x.lib, null);
});
def('.transpose', (c) => {
  const x = T(c.self);
  if (!x) return UNKNOWN;
  if (x.lib === 'torch') return swap(c, x, arg(c, 0, 'dim0'), arg(c, 1, 'dim1'));
  if (c.pos.length === 0) return reverse(c, x);
  if (c.pos.length === 1 && c.pos[0]!.k === 'tuple') return permute(c, x, c.pos[0]!.items);
  return permute(c, x, c.pos);
});
def('torch.transpose torch.swapaxes np.swapaxes torch.swapdims', (c) => {
  const x = T(c.pos[0]);
  return x ? swap(c, x, c.pos[1], c.pos[2]) : UNKNOWN;
});
def('.swapaxes .swapdims', (c) => {
  const x = T(c.self);
  return x ? swap(c, x, c.pos[0], c.pos[1]) : UNKNOWN;
});
def('.t torch.t', (c) => {
  const x = T(c.self ?? c.pos[0]);
  if (!x) return UNKNOWN;
  if (x.shape !== null && x.shape.length < 2) return x;
  return reverse(c, x);
});
def('.permute torch.permute', (c) => {
  const x = T(c.self ?? c.pos[0]);
  if (!x) return UNKNOWN;
  const rest = c.self ? c.pos : c.pos.slice(1);
  const axes = rest.length === 1 && rest[0]!.k === 'tuple' ? rest[0]!.items : rest;
  return permute(c, x, axes);
});
def('np.moveaxis torch.moveaxis torch.movedim .moveaxis .movedim', (c) => {
  const x = T(c.self ?? c.pos[0]);
  if (!x || x.shape === null) return x ?? UNKNOWN;
  const rest = c.self ? c.pos : c.pos.slice(1);
  const nd = x.shape.length;
  const src = axesArg(rest[0], nd);
  const dst = axesArg(rest[1], nd);
  if (!src || !dst || src.length !== dst.length) return tensor(x.lib, null);
  const order: (number | undefined)[] = new Array<number | undefined>(nd).fill(undefined);
  src.forEach((s, i) => (order[dst[i]!] = s));
  const remaining = x.shape.map((_d, i) => i).filter((i) => !src.includes(i));
  let r = 0;
  for (let i = 0; i < nd; i++) if (order[i] === undefined) order[i] = remaining[r++];
  const out = order.map((i) => x.shape![i!]!);
  c.step('moveaxis', `moveaxis ${fmt(x.shape)} → ${fmt(out)}`);
  return tensor(x.lib, out);
});

export function reshape(c: CallCtx, x: Value & { k: 'tensor' }, target: Shape, name: string): Value {
  if (target === null) return tensor(x.lib, null);
  const minus = target.findIndex((d) => d === -1);
  if (target.filter((d) => d === -1).length > 1) return tensor(x.lib, null);
  const total = x.shape === null ? null : productDims(x.shape);
  let out: Dim[] = target;
  if (minus >= 0) {
    const known = productDims(target.filter((_d, i) => i !== minus));
    let inferred: Dim = null;
    if (total !== null && known !== null) {
      inferred = exactDivDim(total, known);
      if (inferred === null && isInt(total) && isInt(known)) {
        c.error('reshape', `${name}: ${c.text} cannot reshape ${fmt(x.shape)} (size ${total}) into ${fmtTarget(target)}: ${total} is not a multiple of ${known}`);
        return tensor(x.lib, null);
      }
    }
    out = target.map((d, i) => (i === minus ? inferred : d));
    c.step(name, `${name} ${fmt(x.shape)} → ${fmt(out)} (-1 = ${formatDim(total)} / ${formatDim(known)} = ${formatDim(inferred)})`);
  } else {
    const size = productDims(target);
    if (cmpDim(total, size) === 'unequal') {
      c.error('reshape', `${name}: ${c.text} cannot reshape ${fmt(x.shape)} (size ${formatDim(total)}) into ${fmt(target)} (size ${formatDim(size)})`);
      return tensor(x.lib, null);
    }
    c.step(name, `${name} ${fmt(x.shape)} → ${fmt(out)}`);
  }
  return tensor(x.lib, out);
}

function fmtTarget(t: Dim[]): string {
  return fmt(t).replace(/-1/g, '-1');
}

def('.reshape .view', (c) => {
  const x = T(c.self);
  if (!x) return UNKNOWN;
  if (c.text.includes('.view(')) {
    // NumPy's view(dtype) reinterprets the bytes (the last axis may change); view() is the same shape.
    // PyTorch's view(dtype) likewise; view(*shape) is a reshape.
    if (c.pos.length === 0 && c.kw.size === 0) return x.lib === 'numpy' ? same(c, x, 'view') : tensor(x.lib, null);
    if (x.lib === 'numpy' || !(c.pos[0]!.k === 'int' || c.pos[0]!.k === 'tuple' || c.pos[0]!.k === 'unknown')) return tensor(x.lib, null);
  }
  const v = c.kw.get('shape') ?? c.kw.get('size');
  return reshape(c, x, v ? dimsOf(v) : varDims(c, '__none__'), c.text.includes('.view(') ? 'view' : 'reshape');
});
def('np.reshape torch.reshape', (c) => {
  const x = T(c.pos[0]) ?? T(fromLiteral(c.pos[0] ?? UNKNOWN, c.lib));
  if (!x) return UNKNOWN;
  return reshape(c, x, dimsOf(arg(c, 1, c.lib === 'numpy' ? 'newshape' : 'shape') ?? c.kw.get('shape')), 'reshape');
});
def('.view_as .reshape_as .expand_as', (c) => {
  const o = T(c.pos[0]);
  return o ? withShape(c, o.lib, o.shape, 'same shape as the argument') : UNKNOWN;
});
def('np.ravel .ravel', (c) => {
  const x = T(c.self ?? c.pos[0]);
  if (!x) return UNKNOWN;
  return withShape(c, x.lib, x.shape === null ? [null] : [productDims(x.shape)], 'ravel');
});
function flatten(c: CallCtx, x: Value & { k: 'tensor' }, s0: number | null | undefined, e0: number | null | undefined): Value {
  if (x.shape === null) return x;
  const nd = x.shape.length;
  if (nd === 0) return withShape(c, x.lib, [1], 'flatten');
  if (s0 === null || e0 === null || s0 === undefined || e0 === undefined) return tensor(x.lib, null);
  const s = normAxis(s0, nd);
  const e = normAxis(e0, nd);
  if (s === null || e === null || e < s) return tensor(x.lib, null);
  const out = [...x.shape.slice(0, s), productDims(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return withShape(c, x.lib, out, `flatten dims ${s}..${e}`);
}
def('.flatten', (c) => {
  const x = T(c.self);
  if (!x) return UNKNOWN;
  if (x.lib === 'numpy') return withShape(c, x.lib, x.shape === null ? [null] : [productDims(x.shape)], 'flatten');
  return flatten(c, x, intArg(c, 0, 'start_dim', 0), intArg(c, 1, 'end_dim', -1));
});
def('torch.flatten', (c) => {
  const x = T(c.pos[0]);
  return x ? flatten(c, x, intArg(c, 1, 'start_dim', 0), intArg(c, 2, 'end_dim', -1)) : UNKNOWN;
});
function squeeze(c: CallCtx, x: Value & { k: 'tensor' }, ax: Value | undefined): Value {
  if (x.shape === null) return x;
  const nd = x.shape.length;
  if (!ax || ax.k === 'none') {
    if (x.shape.some((d) => !isInt(d))) return tensor(x.lib, null);
    // nothing to squeeze: NumPy hands back the array itself (so a later in-place change shows through)
    if (!x.shape.includes(1)) return x;
    return withShape(c, x.lib, x.shape.filter((d) => d !== 1), 'squeeze');
  }
  const axes = axesArg(ax, nd);
  if (!axes) return tensor(x.lib, null);
  const out: Dim[] = [];
  for (let i = 0; i < nd; i++) {
    const d = x.shape[i]!;
    if (axes.includes(i)) {
      if (d === 1) continue;
      if (x.lib === 'numpy' && isInt(d)) {
        c.error('squeeze', `squeeze: ${c.text} cannot squeeze axis ${i} of ${fmt(x.shape)}: its size is ${d}, not 1`);
        return tensor(x.lib, null);
      }
      if (!isInt(d)) return tensor(x.lib, null);
    }
    out.push(d);
  }
  return withShape(c, x.lib, out, 'squeeze');
}
def('.squeeze', (c) => (T(c.self) ? squeeze(c, T(c.self)!, arg(c, 0, T(c.self)!.lib === 'numpy' ? 'axis' : 'dim')) : UNKNOWN));
def('np.squeeze torch.squeeze', (c) => (T(c.pos[0]) ? squeeze(c, T(c.pos[0])!, arg(c, 1, c.lib === 'numpy' ? 'axis' : 'dim')) : UNKNOWN));
function unsqueeze(c: CallCtx, x: Value & { k: 'tensor' }, ax: Value | undefined): Value {
  if (x.shape === null) return x;
  const nd = x.shape.length + (ax && ax.k === 'tuple' ? ax.items.length : 1);
  const axes = axesArg(ax, nd);
  if (!axes) return tensor(x.lib, null);
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) out.push(axes.includes(i) ? 1 : x.shape[j++]!);
  if (j !== x.shape.length) return tensor(x.lib, null);
  return withShape(c, x.lib, out, 'insert axis');
}
def('.unsqueeze', (c) => (T(c.self) ? unsqueeze(c, T(c.self)!, arg(c, 0, 'dim')) : UNKNOWN));
def('torch.unsqueeze np.expand_dims', (c) => (T(c.pos[0]) ? unsqueeze(c, T(c.pos[0])!, arg(c, 1, c.lib === 'numpy' ? 'axis' : 'dim')) : UNKNOWN));
def('.expand .broadcast_to np.broadcast_to torch.broadcast_to', (c) => {
  const x = T(c.self ?? c.pos[0]);
  if (!x) return UNKNOWN;
  const target = c.self ? varDims(c, 'size') : dimsOf(c.pos[1] ?? c.kw.get('shape'));
  if (target === null || x.shape === null) return tensor(x.lib, target);
  const off = target.length - x.shape.length;
  if (off < 0) return tensor(x.lib, null);
  const out = target.map((d, i) => (d === -1 ? (i >= off ? x.shape![i - off]! : null) : d));
  return withShape(c, x.lib, out, 'expand');
});
def('.repeat', (c) => {
  const x = T(c.self);
  if (!x) return UNKNOWN;
  if (x.lib === 'numpy') return npRepeat(c, x, c.pos[0], arg(c, 1, 'axis'));
  return tile(c, x, varDims(c, 'repeats'));
});
def('np.tile torch.tile .tile', (c) => {
  const x = T(c.self ?? c.pos[0]) ?? T(fromLiteral(c.pos[0] ?? UNKNOWN, c.lib));
  if (!x) return UNKNOWN;
  return tile(c, x, dimsOf(c.self ? (c.pos.length === 1 ? c.pos[0] : { k: 'tuple', items: c.pos }) : c.pos[1]));
});
function tile(c: CallCtx, x: Value & { k: 'tensor' }, reps: Shape): Value {
  if (reps === null || x.shape === null) return tensor(x.lib, null);
  const n = Math.max(reps.length, x.shape.length);
  const xs = [...new Array<Dim>(n - x.shape.length).fill(1), ...x.shape];
  const rs = [...new Array<Dim>(n - reps.length).fill(1), ...reps];
  const out = xs.map((d, i) => mulDim(d, rs[i]!));
  return withShape(c, x.lib, out, 'tile');
}
function npRepeat(c: CallCtx, x: Value & { k: 'tensor' }, r: Value | undefined, axis: Value | undefined): Value {
  if (x.shape === null || !r || r.k !== 'int') return tensor(x.lib, null);
  if (!axis || axis.k === 'none') return withShape(c, x.lib, [mulDim(productDims(x.shape), r.d)], 'repeat');
  const ax = axesArg(axis, x.shape.length);
  if (!ax) return tensor(x.lib, null);
  const out = x.shape.map((d, i) => (i === ax[0] ? mulDim(d, r.d) : d));
  return withShape(c, x.lib, out, 'repeat');
}
def('np.repeat torch.repeat_interleave', (c) => {
  const x = T(c.pos[0]);
  return x ? npRepeat(c, x, c.pos[1] ?? c.kw.get('repeats'), arg(c, 2, x.lib === 'numpy' ? 'axis' : 'dim')) : UNKNOWN;
});
def('.repeat_interleave', (c) => {
  const x = T(c.self);
  return x ? npRepeat(c, x, c.pos[0] ?? c.kw.get('repeats'), arg(c, 1, 'dim')) : UNKNOWN;
});

// ---------- reductions ----------

/**
 * `x.mean()`, `x.max()` with no argument on a value of unknown shape: every array library reduces
 * over all axes to a scalar, whatever the shape (the analysis only asks this of an unknown receiver
 * when the file does not use pandas; see `WHOLE_METHODS`).
 */
function wholeMethod(c: CallCtx, f: string): Value {
  if (c.self?.k !== 'unknown' || !c.unknownIsArray || c.pos.length > 0 || c.kw.size > 0) return UNKNOWN;
  return withShape(c, c.lib, [], `${f} over all axes`);
}
/** Methods that reduce over all axes when called with no argument (for a receiver of unknown shape). */
export const WHOLE_METHODS = new Set('sum mean std var prod max min'.split(' '));

const REDUCE = 'sum mean std var nansum nanmean nanstd nanvar prod any all median nanmedian amax amin nanmax nanmin ptp count_nonzero logsumexp norm'.split(' ');
for (const f of REDUCE) {
  def(`np.${f}`, (c) => reduce(c, c.pos[0], arg(c, 1, 'axis'), boolArg(c, 'keepdims', -1, false), f, false));
  def(`torch.${f}`, (c) => reduce(c, c.pos[0], arg(c, 1, 'dim') ?? c.kw.get('axis'), boolArg(c, 'keepdim', 2, false), f, true));
  def(`.${f}`, (c) => {
    const x = T(c.self);
    if (!x) return wholeMethod(c, f);
    if (x.lib === 'numpy') return reduce(c, x, arg(c, 0, 'axis'), boolArg(c, 'keepdims', -1, false), f, false);
    return reduce(c, x, arg(c, 0, 'dim') ?? c.kw.get('axis'), boolArg(c, 'keepdim', 1, false), f, true);
  });
}
/** np.count_nonzero without an axis returns a Python int (not a NumPy scalar); with one, an array of counts. */
def('np.count_nonzero', (c) => {
  const ax = arg(c, 1, 'axis');
  if (ax === undefined || ax.k === 'none') return UNKNOWN_INT;
  return reduce(c, c.pos[0], ax, boolArg(c, 'keepdims', -1, false), 'count_nonzero', false);
});
for (const f of 'max min'.split(' ')) {
  def(`np.${f}`, (c) => reduce(c, c.pos[0], arg(c, 1, 'axis'), boolArg(c, 'keepdims', -1, false), f, false));
  const torchMax = (c: CallCtx, x: Value | undefined, rest: Value[]): Value => {
    const d = rest[0] ?? c.kw.get('dim');
    if (d && d.k === 'tensor') return broadcast(c, [x ?? UNKNOWN, d], c.text, []);
    if (!d) return reduce(c, x, undefined, false, f, true);
    const r = reduce(c, x, d, boolArg(c, 'keepdim', rest.length > 1 ? 1 : -1, false), f, true);
    return { k: 'tuple', items: [r, r] };
  };
  def(`torch.${f}`, (c) => torchMax(c, c.pos[0], c.pos.slice(1)));
  def(`.${f}`, (c) => {
    const x = T(c.self);
    if (!x) return wholeMethod(c, f);
    if (x.lib === 'numpy') return reduce(c, x, arg(c, 0, 'axis'), boolArg(c, 'keepdims', -1, false), f, false);
    return torchMax(c, x, c.pos);
  });
}
for (const f of 'argmax argmin'.split(' ')) {
  def(`np.${f}`, (c) => reduce(c, c.pos[0], arg(c, 1, 'axis'), boolArg(c, 'keepdims', -1, false), f, false));
  def(`torch.${f}`, (c) => reduce(c, c.pos[0], arg(c, 1, 'dim'), boolArg(c, 'keepdim', 2, false), f, true));
  def(`.${f}`, (c) => {
    const x = T(c.self);
    if (!x) return UNKNOWN;
    return x.lib === 'numpy' ? reduce(c, x, arg(c, 0, 'axis'), boolArg(c, 'keepdims', -1, false), f, false) : reduce(c, x, arg(c, 0, 'dim'), boolArg(c, 'keepdim', 1, false), f, true);
  });
}
def('np.percentile np.quantile np.nanpercentile', (c) => {
  const q = c.pos[1] ?? c.kw.get('q');
  const r = reduce(c, c.pos[0], arg(c, 2, 'axis'), boolArg(c, 'keepdims', -1, false), 'percentile', false);
  if (!q || q.k === 'int' || q.k === 'float') return r;
  const qs = T(fromLiteral(q, 'numpy'));
  if (r.k !== 'tensor' || !qs || qs.shape === null || r.shape === null) return tensor('numpy', null);
  return tensor('numpy', [...qs.shape, ...r.shape]);
});
for (const f of 'cumsum cumprod sort argsort'.split(' ')) {
  def(`np.${f} .${f}`, (c) => {
    const x = T(c.self ?? c.pos[0]);
    if (!x) return UNKNOWN;
    const ax = c.kw.get(x.lib === 'numpy' ? 'axis' : 'dim') ?? (c.self ? c.pos[0] : c.pos[1]);
    const isSort = f === 'sort' || f === 'argsort';
    if (x.lib === 'numpy' && (ax === undefined ? !isSort : ax.k === 'none')) return withShape(c, x.lib, x.shape === null ? [null] : [productDims(x.shape)], `${f} (flattened)`);
    if (x.lib === 'torch' && f === 'sort') return { k: 'tuple', items: [x, x] };
    return same(c, x, f);
  });
  def(`torch.${f}`, (c) => {
    const x = T(c.pos[0]);
    if (!x) return UNKNOWN;
    return f === 'sort' ? { k: 'tuple', items: [x, x] } : same(c, x, f);
  });
}
def('torch.topk .topk', (c) => {
  const x = T(c.self ?? c.pos[0]);
  const rest = c.self ? c.pos : c.pos.slice(1);
  const k = dimOf(rest[0] ?? c.kw.get('k'));
  if (!x || x.shape === null || k === undefined) return UNKNOWN;
  const dv = rest[1] ?? c.kw.get('dim');
  const d = dv === undefined ? x.shape.length - 1 : dv.k === 'int' && isInt(dv.d) ? normAxis(dv.d, x.shape.length) : null;
  if (d === null) return { k: 'tuple', items: [tensor(x.lib, null), tensor(x.lib, null)] };
  const out = x.shape.map((s, i) => (i === d ? k : s));
  const r = withShape(c, x.lib, out, 'topk');
  return { k: 'tuple', items: [r, r] };
});

// ---------- joining ----------

function seqOf(v: Value | undefined): Value[] | null {
  return v && v.k === 'tuple' ? v.items : null;
}

function concat(c: CallCtx, items: Value[] | null, axisV: Value | undefined, name: string): Value {
  if (!items || items.length === 0) return UNKNOWN;
  const ts = items.map((i) => T(i) ?? T(fromLiteral(i, c.lib)));
  const lib = ts.find((t) => t)?.lib ?? c.lib;
  if (ts.some((t) => !t || t.shape === null)) return tensor(lib, null);
  if (axisV && axisV.k === 'none') return withShape(c, lib, [ts.reduce<Dim>((s, t) => addDim(s, productDims(t!.shape!)), 0)], name);
  const nd = ts[0]!.shape!.length;
  const ax = axisV === undefined ? 0 : axisV.k === 'int' && isInt(axisV.d) ? normAxis(axisV.d, nd) : null;
  if (ax === null) return tensor(lib, null);
  const out = [...ts[0]!.shape!];
  for (let i = 1; i < ts.length; i++) {
    const s = ts[i]!.shape!;
    if (s.length !== nd) {
      c.error('concat', `${name}: ${c.text} joins arrays of different ranks: ${fmt(ts[0]!.shape)} and ${fmt(s)}`);
      return tensor(lib, null);
    }
    for (let j = 0; j < nd; j++) {
      if (j === ax) out[j] = addDim(out[j]!, s[j]!);
      else if (cmpDim(out[j]!, s[j]!) === 'unequal') {
        c.error('concat', `${name}: ${c.text} has shapes ${fmt(ts[0]!.shape)} and ${fmt(s)}: sizes ${formatDim(out[j]!)} and ${formatDim(s[j]!)} differ in dimension ${j} (joining along ${ax})`);
        return tensor(lib, null);
      } else if (cmpDim(out[j]!, s[j]!) !== 'equal') out[j] = isInt(out[j]!) ? out[j]! : isInt(s[j]!) ? s[j]! : null;
    }
  }
  c.step(name, `${name} of ${ts.map((t) => fmt(t!.shape)).join(', ')} along ${ax} → ${fmt(out)}`);
  return tensor(lib, out);
}
def('np.concatenate torch.cat torch.concat torch.concatenate', (c) => concat(c, seqOf(c.pos[0]), arg(c, 1, c.lib === 'numpy' ? 'axis' : 'dim') ?? c.kw.get('axis'), 'concatenate'));
def('np.stack torch.stack', (c) => {
  const items = seqOf(c.pos[0]);
  if (!items || items.length === 0) return UNKNOWN;
  const ts = items.map((i) => T(i) ?? T(fromLiteral(i, c.lib)));
  const ax = arg(c, 1, c.lib === 'numpy' ? 'axis' : 'dim') ?? c.kw.get('axis');
  const unsq = ts.map((t) => (t ? (unsqueeze(c, t, ax ?? int(0)) as Value & { k: 'tensor' }) : UNKNOWN));
  const r = concat(c, unsq, ax ?? int(0), 'stack');
  return r;
});
def('np.vstack np.row_stack torch.vstack', (c) => {
  const items = seqOf(c.pos[0]);
  if (!items) return UNKNOWN;
  const ts = items.map((i) => {
    const t = T(i) ?? T(fromLiteral(i, c.lib));
    return t && t.shape && t.shape.length < 2 ? tensor(t.lib, t.shape.length === 0 ? [1, 1] : [1, t.shape[0]!]) : (t ?? UNKNOWN);
  });
  return concat(c, ts, int(0), 'vstack');
});
def('np.hstack torch.hstack', (c) => {
  const items = seqOf(c.pos[0]);
  if (!items) return UNKNOWN;
  const ts = items.map((i) => T(i) ?? T(fromLiteral(i, c.lib)) ?? UNKNOWN);
  const first = T(ts[0]);
  if (!first || first.shape === null) return UNKNOWN;
  return concat(c, ts, int(first.shape.length === 1 ? 0 : 1), 'hstack');
});
def('np.column_stack torch.column_stack', (c) => {
  const items = seqOf(c.pos[0]);
  if (!items) return UNKNOWN;
  const ts = items.map((i) => {
    const t = T(i) ?? T(fromLiteral(i, c.lib));
    return t && t.shape && t.shape.length < 2 ? tensor(t.lib, t.shape.length === 0 ? [1, 1] : [t.shape[0]!, 1]) : (t ?? UNKNOWN);
  });
  return concat(c, ts, int(1), 'column_stack');
});
def('np.pad', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null) return x ?? UNKNOWN;
  const pw = c.pos[1] ?? c.kw.get('pad_width');
  const nd = x.shape.length;
  let pairs: [Dim, Dim][] | null = null;
  const d0 = dimOf(pw);
  if (d0 !== undefined && pw?.k === 'int') pairs = x.shape.map(() => [d0, d0]);
  else if (pw && pw.k === 'tuple') {
    const its = pw.items;
    if (its.every((i) => i.k === 'int')) {
      if (its.length === 1) pairs = x.shape.map(() => [dimOf(its[0])!, dimOf(its[0])!]);
      else if (its.length === 2) pairs = x.shape.map(() => [dimOf(its[0])!, dimOf(its[1])!]);
    } else if (its.every((i) => i.k === 'tuple')) {
      const ps = its.map((i) => (i as { items: Value[] }).items.map((v) => dimOf(v) ?? null));
      if (ps.length === 1) pairs = x.shape.map(() => [ps[0]![0]!, ps[0]![1] ?? ps[0]![0]!]);
      else if (ps.length === nd) pairs = ps.map((p) => [p[0] ?? null, p[1] ?? p[0] ?? null]);
    }
  }
  if (!pairs) return tensor(x.lib, null);
  const out = x.shape.map((d, i) => addDim(addDim(d, pairs![i]![0]), pairs![i]![1]));
  return withShape(c, x.lib, out, 'pad');
});
def('F.pad', (c) => {
  const x = T(c.pos[0]);
  const p = c.pos[1] ?? c.kw.get('pad');
  if (!x || x.shape === null || !p || p.k !== 'tuple' || p.items.length % 2) return x ? tensor(x.lib, null) : UNKNOWN;
  const out = [...x.shape];
  const ps = p.items.map((v) => dimOf(v) ?? null);
  for (let i = 0; i < ps.length / 2; i++) {
    const j = out.length - 1 - i;
    if (j < 0) return tensor(x.lib, null);
    out[j] = addDim(addDim(out[j]!, ps[2 * i]!), ps[2 * i + 1]!);
  }
  return withShape(c, x.lib, out, 'pad');
});
def('np.meshgrid torch.meshgrid', (c) => {
  const ts = c.pos.map((p) => T(p) ?? T(fromLiteral(p, c.lib)));
  const lib = ts[0]?.lib ?? c.lib;
  const idx = c.kw.get('indexing');
  const xy = idx ? idx.k === 'str' && idx.s === 'xy' : lib === 'numpy';
  if (idx && idx.k !== 'str') return UNKNOWN;
  const lens = ts.map((t) => (t && t.shape ? productDims(t.shape) : null));
  if (xy && lens.length >= 2) [lens[0], lens[1]] = [lens[1]!, lens[0]!];
  const r = withShape(c, lib, lens, 'meshgrid');
  return { k: 'tuple', items: ts.map(() => r) };
});

// ---------- linalg ----------

def('np.linalg.inv torch.linalg.inv torch.inverse .inverse', (c) => same(c, c.self ?? c.pos[0], 'inverse'));
def('np.linalg.pinv torch.linalg.pinv torch.pinverse', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null || x.shape.length < 2) return x ? tensor(x.lib, null) : UNKNOWN;
  const s = x.shape;
  return withShape(c, x.lib, [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!], 'pinv');
});
def('np.linalg.solve torch.linalg.solve', (c) => {
  const a = T(c.pos[0]);
  const b = T(c.pos[1]);
  if (!a || !b || a.shape === null || b.shape === null) return a ? tensor(a.lib, null) : UNKNOWN;
  // A x = b needs a square A whose size matches b's rows.
  if (a.shape.length === 2 && (b.shape.length === 1 || b.shape.length === 2)) {
    const [m, n] = a.shape as [Dim, Dim];
    const rows = b.shape[0]!;
    if (cmpDim(m, n) === 'unequal') {
      c.error('solve', `solve: ${c.argText(0)} has shape ${fmt(a.shape)}, which is not square`);
      return tensor(a.lib, null);
    }
    if (cmpDim(m, rows) === 'unequal') {
      c.error('solve', `solve: ${c.text} has shapes ${fmt(a.shape)} and ${fmt(b.shape)}: ${fmt(a.shape)} needs ${formatDim(m)} rows in b, not ${formatDim(rows)}`);
      return tensor(a.lib, null);
    }
  }
  if (b.shape.length === 1 && a.shape.length === 2) return withShape(c, a.lib, [a.shape[1]!], 'solve');
  if (a.shape.length === 2 && b.shape.length === 2) return withShape(c, a.lib, [a.shape[1]!, b.shape[1]!], 'solve');
  return tensor(a.lib, null);
});
def('np.linalg.det torch.linalg.det torch.det np.linalg.slogdet', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null) return x ? tensor(x.lib, null) : UNKNOWN;
  const r = withShape(c, x.lib, x.shape.slice(0, -2), 'det');
  return c.text.includes('slogdet') ? { k: 'tuple', items: [r, r] } : r;
});
def('np.linalg.norm torch.linalg.norm torch.norm .norm', (c) => {
  const x = c.self ?? c.pos[0];
  const rest = c.self ? c.pos : c.pos.slice(1);
  const t = T(x);
  const ax = c.kw.get(t?.lib === 'torch' ? 'dim' : 'axis') ?? rest[1];
  const keep = boolArg(c, t?.lib === 'torch' ? 'keepdim' : 'keepdims', -1, false);
  return reduce(c, x, ax, keep, 'norm', t?.lib === 'torch');
});
def('torch.linalg.vector_norm', (c) => reduce(c, c.pos[0], arg(c, 2, 'dim'), boolArg(c, 'keepdim', 3, false), 'vector_norm', true));
def('np.linalg.matrix_rank torch.linalg.matrix_rank', (c) => {
  const x = T(c.pos[0]);
  return x && x.shape ? tensor(x.lib, x.shape.slice(0, -2)) : UNKNOWN;
});
def('np.linalg.svd torch.linalg.svd torch.svd', (c) => {
  const x = T(c.pos[0]);
  if (!x) return UNKNOWN;
  const torchOld = c.text.startsWith('torch.svd');
  const fm = c.kw.get(torchOld ? 'some' : 'full_matrices') ?? c.pos[1];
  let full = fm === undefined ? !torchOld : truthy(fm);
  if (fm && fm.k === 'bool') full = (fm as { b?: boolean }).b ?? null;
  if (torchOld && full !== null && fm !== undefined) full = !full;
  if (torchOld && fm === undefined) full = false;
  const cuv = c.kw.get('compute_uv');
  if (x.shape === null || x.shape.length < 2 || full === null) return UNKNOWN;
  const s = x.shape;
  const b = s.slice(0, -2);
  const m = s[s.length - 2]!;
  const n = s[s.length - 1]!;
  const k = isInt(m) && isInt(n) ? Math.min(m, n) : cmpDim(m, n) === 'equal' ? m : null;
  const S = tensor(x.lib, [...b, k]);
  if (cuv && cuv.k === 'bool' && (cuv as { b?: boolean }).b === false) return S;
  const U = tensor(x.lib, [...b, m, full ? m : k]);
  const V = torchOld ? tensor(x.lib, [...b, n, full ? n : k]) : tensor(x.lib, [...b, full ? n : k, n]);
  c.step('svd', `svd of ${fmt(s)}${full ? ' (full matrices)' : ' (reduced)'}: U ${fmt(U.k === 'tensor' ? U.shape : null)}, S ${fmt([...b, k])}, V${torchOld ? '' : 'h'} ${fmt(V.k === 'tensor' ? V.shape : null)}`);
  return { k: 'tuple', items: [U, S, V] };
});
def('np.linalg.svdvals torch.linalg.svdvals', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null || x.shape.length < 2) return UNKNOWN;
  const m = x.shape[x.shape.length - 2]!;
  const n = x.shape[x.shape.length - 1]!;
  return tensor(x.lib, [...x.shape.slice(0, -2), isInt(m) && isInt(n) ? Math.min(m, n) : cmpDim(m, n) === 'equal' ? m : null]);
});
def('np.linalg.qr torch.linalg.qr', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null || x.shape.length < 2) return UNKNOWN;
  const mv = arg(c, 1, 'mode');
  const mode = mv === undefined ? 'reduced' : mv.k === 'str' ? mv.s : null;
  const s = x.shape;
  const b = s.slice(0, -2);
  const m = s[s.length - 2]!;
  const n = s[s.length - 1]!;
  const k = isInt(m) && isInt(n) ? Math.min(m, n) : cmpDim(m, n) === 'equal' ? m : null;
  if (mode === 'reduced') return { k: 'tuple', items: [tensor(x.lib, [...b, m, k]), tensor(x.lib, [...b, k, n])] };
  if (mode === 'complete') return { k: 'tuple', items: [tensor(x.lib, [...b, m, m]), tensor(x.lib, [...b, m, n])] };
  if (mode === 'r' && x.lib === 'numpy') return tensor(x.lib, [...b, k, n]);
  return UNKNOWN;
});
def('np.linalg.eig np.linalg.eigh torch.linalg.eig torch.linalg.eigh', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null || x.shape.length < 2) return UNKNOWN;
  const n = x.shape[x.shape.length - 1]!;
  const b = x.shape.slice(0, -2);
  c.step('eig', `eigendecomposition of ${fmt(x.shape)}: values ${fmt([...b, n])}, vectors ${fmt([...b, n, n])}`);
  return { k: 'tuple', items: [tensor(x.lib, [...b, n]), tensor(x.lib, [...b, n, n])] };
});
def('np.linalg.eigvals np.linalg.eigvalsh torch.linalg.eigvals torch.linalg.eigvalsh', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null || x.shape.length < 2) return UNKNOWN;
  return tensor(x.lib, x.shape.slice(0, -1));
});
def('np.linalg.cholesky torch.linalg.cholesky np.linalg.matrix_power torch.linalg.matrix_power np.linalg.expm torch.matrix_exp', (c) => same(c, c.pos[0], 'same shape'));

// ---------- statistics ----------

def('np.cov np.corrcoef torch.cov torch.corrcoef', (c) => {
  const x = T(c.pos[0]);
  const yv = c.kw.get('y') ?? (c.text.startsWith('np.') ? c.pos[1] : undefined);
  if (!x || x.shape === null || (c.pos.length > 1 && !c.text.startsWith('np.'))) return x ? tensor(x.lib, null) : UNKNOWN;
  const rv = c.kw.get('rowvar');
  const rowvar = rv === undefined ? true : rv.k === 'bool' ? ((rv as { b?: boolean }).b ?? null) : truthy(rv);
  if (rowvar === null) return tensor(x.lib, null);
  if (yv !== undefined && yv.k !== 'none') {
    // np.cov(x, y): y's variables are stacked after x's (both at least 2-D, one variable per row)
    const y = T(yv);
    if (!y || y.shape === null || x.shape.length > 2 || y.shape.length > 2 || x.shape.length === 0 || y.shape.length === 0) return tensor(x.lib, null);
    const vars = (s: Dim[]): Dim => (s.length === 1 ? 1 : rowvar ? s[0]! : s[1]!);
    const v = addDim(vars(x.shape), vars(y.shape));
    if (!isInt(v)) return tensor(x.lib, null);
    return withShape(c, x.lib, [v, v], 'covariance of x and y');
  }
  if (x.shape.length === 1) return withShape(c, x.lib, [], 'covariance of one variable');
  if (x.shape.length !== 2) return tensor(x.lib, null);
  const v = rowvar ? x.shape[0]! : x.shape[1]!;
  if (v === 1) return withShape(c, x.lib, [], 'covariance of one variable');
  if (!isInt(v)) return tensor(x.lib, null);
  return withShape(c, x.lib, [v, v], 'covariance');
});
def('np.histogram', (c) => {
  const b = arg(c, 1, 'bins');
  const n = b === undefined ? 10 : b.k === 'int' ? b.d : b.k === 'tuple' ? b.items.length - 1 : null;
  return { k: 'tuple', items: [tensor('numpy', [n]), tensor('numpy', [addDim(n, 1)])] };
});
def('np.bincount', () => tensor('numpy', [null]));
def('np.diag torch.diag', (c) => {
  const x = T(c.pos[0]) ?? T(fromLiteral(c.pos[0] ?? UNKNOWN, c.lib));
  const kv = arg(c, 1, c.lib === 'numpy' ? 'k' : 'diagonal');
  const k = kv === undefined ? 0 : kv.k === 'int' && isInt(kv.d) ? kv.d : null;
  if (!x || x.shape === null || k === null) return x ? tensor(x.lib, null) : UNKNOWN;
  if (x.shape.length === 1) {
    const n = addDim(x.shape[0]!, Math.abs(k));
    return withShape(c, x.lib, [n, n], 'diag (build matrix)');
  }
  if (x.shape.length === 2 && k === 0) {
    const [m, n] = x.shape as [Dim, Dim];
    return withShape(c, x.lib, [isInt(m) && isInt(n) ? Math.min(m, n) : cmpDim(m, n) === 'equal' ? m : null], 'diag (extract)');
  }
  return tensor(x.lib, null);
});
def('np.trace torch.trace .trace', (c) => {
  // np.trace(a, offset=0, axis1=0, axis2=1): the two axes are summed away
  const x = T(c.self ?? c.pos[0]);
  if (!x || x.shape === null) return x ? tensor(x.lib, null) : UNKNOWN;
  const at = c.self ? 0 : 1;
  const a1 = intArg(c, at + 1, 'axis1', 0);
  const a2 = intArg(c, at + 2, 'axis2', 1);
  if (a1 === null || a1 === undefined || a2 === null || a2 === undefined) return tensor(x.lib, null);
  const i1 = normAxis(a1, x.shape.length);
  const i2 = normAxis(a2, x.shape.length);
  if (i1 === null || i2 === null || i1 === i2) return tensor(x.lib, null);
  return withShape(c, x.lib, x.shape.filter((_, i) => i !== i1 && i !== i2), 'trace');
});
def('np.unique torch.unique', (c) => {
  if (c.kw.size === 0) return tensor(c.lib, [null]);
  // np.unique(a, return_counts=True) / return_index=True: 1-D arrays as long as the number of distinct values
  if (c.lib !== 'numpy' || c.pos.length > 1 || ![...c.kw.keys()].every((k) => k === 'return_counts' || k === 'return_index')) return UNKNOWN;
  const flags = [...c.kw.values()].map((v) => (v.k === 'bool' ? v.b : undefined));
  if (flags.some((f) => f === undefined)) return UNKNOWN;
  const n = 1 + flags.filter((f) => f).length;
  if (n === 1) return tensor('numpy', [null]);
  return { k: 'tuple', items: Array.from({ length: n }, () => tensor('numpy', [null])) };
});
/** np.nonzero(a), np.where(cond): one index array per axis of `a`, as long as the number of nonzero entries. */
function nonzero(c: CallCtx, x: Value | undefined): Value {
  const t = T(x);
  if (!t || t.shape === null || t.shape.length === 0 || c.lib !== 'numpy') return UNKNOWN;
  c.step('nonzero', `one index array per axis of ${fmt(t.shape)}, each as long as the number of nonzero entries`);
  return { k: 'tuple', items: t.shape.map((): Value => ({ k: 'tensor', lib: 'numpy', shape: [null], dt: 'int' })) };
}
def('np.nonzero', (c) => nonzero(c, c.pos[0]));
def('np.argwhere', (c) => {
  const t = T(c.pos[0]);
  return t && t.shape !== null ? withShape(c, 'numpy', [null, t.shape.length], 'argwhere') : UNKNOWN;
});
def('torch.nonzero torch.argwhere', () => UNKNOWN);
/** np.diff(a, n=1, axis=-1): the axis is n shorter. */
def('np.diff', (c) => {
  const t = T(c.pos[0]);
  if (!t || t.shape === null || t.shape.length === 0) return t ? tensor(t.lib, null) : UNKNOWN;
  const nV = arg(c, 1, 'n');
  const n = nV === undefined ? 1 : nV.k === 'int' && isInt(nV.d) && nV.d >= 0 ? nV.d : null;
  const axV = arg(c, 2, 'axis');
  const ax = axV === undefined ? t.shape.length - 1 : axV.k === 'int' && isInt(axV.d) ? normAxis(axV.d, t.shape.length) : null;
  if (n === null || ax === null || c.kw.has('prepend') || c.kw.has('append')) return tensor(t.lib, null);
  const d = t.shape[ax]!;
  const out = t.shape.map((x, i) => (i !== ax ? x : isInt(d) ? Math.max(0, d - n) : null));
  return withShape(c, t.lib, out, `diff (n=${n}) along axis ${ax}`);
});
/** np.linalg.lstsq(A, b): (x, residuals, rank, singular values); x is (n,) for b (m,), (n, k) for b (m, k). */
def('np.linalg.lstsq', (c) => {
  const A = T(c.pos[0]);
  const b = T(c.pos[1]) ?? T(fromLiteral(c.pos[1] ?? UNKNOWN, 'numpy'));
  if (!A || !b || A.shape?.length !== 2 || b.shape === null || (b.shape.length !== 1 && b.shape.length !== 2)) return { k: 'tuple', items: [tensor('numpy', null), tensor('numpy', null), UNKNOWN_INT, tensor('numpy', null)] };
  const [m, n] = A.shape;
  if (cmpDim(m!, b.shape[0]!) === 'unequal') {
    c.error('lstsq', `lstsq: ${c.text} has A ${fmt(A.shape)} and b ${fmt(b.shape)}: ${fmt([m!])} rows and ${fmt([b.shape[0]!])} rows differ`);
    return tensor('numpy', null);
  }
  const x = b.shape.length === 1 ? [n!] : [n!, b.shape[1]!];
  const k = isInt(m!) && isInt(n!) ? Math.min(m, n) : null;
  c.step('lstsq', `least squares of A ${fmt(A.shape)} and b ${fmt(b.shape)} → x ${fmt(x)}`);
  return { k: 'tuple', items: [tensor('numpy', x), tensor('numpy', [null]), UNKNOWN_INT, tensor('numpy', [k])] };
});

// ---------- nn layers: construction ----------

/**
 * Layers that keep their input's shape: the catalogue's elementwise activations (`nn.GELU`,
 * `nn.LeakyReLU`: the class name, lowercased, is a spelling without underscores, see `activationLayer`)
 * and these.
 */
const SAME_LAYERS =
  'ReLU6 PReLU Softmax LogSoftmax Hardswish Hardtanh Identity Dropout Dropout1d Dropout2d Dropout3d AlphaDropout LayerNorm GroupNorm InstanceNorm1d InstanceNorm2d LocalResponseNorm'.split(' ');
for (const l of SAME_LAYERS) def(`nn.${l}`, () => ({ k: 'layer', type: l, cfg: {} }));
const ACTIVATION_LAYERS = new Set(OPS.filter((e) => e.shape === 'elementwise' && e.arity === 1).flatMap((e) => catalogueSpellings(e, ['torch', 'F', 'method']).map((f) => f.replace(/_/g, ''))));
/** `nn.Mish` → `Mish` when it is one of the catalogue's elementwise activations as a layer class. */
export function activationLayer(path: string): string | undefined {
  if (!path.startsWith('nn.')) return undefined;
  const name = path.slice(3);
  return /^[A-Z]\w*$/.test(name) && ACTIVATION_LAYERS.has(name.toLowerCase()) ? name : undefined;
}
for (const l of 'BatchNorm1d BatchNorm2d BatchNorm3d'.split(' ')) def(`nn.${l}`, (c) => ({ k: 'layer', type: l, cfg: { num_features: dimOf(arg(c, 0, 'num_features')) ?? null } }));
def('nn.Linear', (c) => ({ k: 'layer', type: 'Linear', cfg: { in: dimOf(arg(c, 0, 'in_features')) ?? null, out: dimOf(arg(c, 1, 'out_features')) ?? null } }));
def('nn.Embedding', (c) => ({ k: 'layer', type: 'Embedding', cfg: { num: dimOf(arg(c, 0, 'num_embeddings')) ?? null, dim: dimOf(arg(c, 1, 'embedding_dim')) ?? null } }));
def('nn.Flatten', (c) => ({ k: 'layer', type: 'Flatten', cfg: { start: intArg(c, 0, 'start_dim', 1) ?? null, end: intArg(c, 1, 'end_dim', -1) ?? null } }));
def('nn.Unflatten', () => ({ k: 'layer', type: 'Unknown', cfg: {} }));

type Tup = (Dim | undefined)[] | null;
function tupArg(v: Value | undefined, n: number, dflt: Dim | undefined): Tup {
  if (v === undefined) return new Array<Dim | undefined>(n).fill(dflt);
  if (v.k === 'int') return new Array<Dim>(n).fill(v.d);
  if (v.k === 'tuple' && v.items.length === n) return v.items.map((i) => dimOf(i) ?? null);
  if (v.k === 'none') return new Array<Dim | undefined>(n).fill(undefined);
  return null;
}
for (const n of [1, 2, 3]) {
  def(`nn.Conv${n}d nn.ConvTranspose${n}d`, (c) => {
    const pad = arg(c, 4, 'padding');
    return {
      k: 'layer',
      type: c.text.includes('Transpose') ? `ConvTranspose${n}d` : `Conv${n}d`,
      cfg: {
        n,
        in: dimOf(arg(c, 0, 'in_channels')) ?? null,
        out: dimOf(arg(c, 1, 'out_channels')) ?? null,
        k: tupArg(arg(c, 2, 'kernel_size'), n, null),
        s: tupArg(arg(c, 3, 'stride'), n, 1),
        p: pad && pad.k === 'str' ? pad.s : tupArg(pad, n, 0),
        d: tupArg(c.text.includes('Transpose') ? c.kw.get('dilation') : arg(c, 5, 'dilation'), n, 1),
        g: dimOf(c.text.includes('Transpose') ? c.kw.get('groups') : arg(c, 6, 'groups')) ?? 1,
        op: tupArg(c.kw.get('output_padding'), n, 0),
      },
    };
  });
  def(`nn.MaxPool${n}d nn.AvgPool${n}d`, (c) => {
    const k = tupArg(arg(c, 0, 'kernel_size'), n, null);
    const sv = arg(c, 1, 'stride');
    return {
      k: 'layer',
      type: c.text.includes('Max') ? `MaxPool${n}d` : `AvgPool${n}d`,
      cfg: {
        n,
        pool: true,
        k,
        s: sv === undefined || sv.k === 'none' ? k : tupArg(sv, n, null),
        p: tupArg(arg(c, 2, 'padding'), n, 0),
        d: c.text.includes('Max') ? tupArg(arg(c, 3, 'dilation'), n, 1) : new Array<Dim>(n).fill(1),
        ceil: c.kw.has('ceil_mode') ? truthy(c.kw.get('ceil_mode')) ?? ((c.kw.get('ceil_mode') as { b?: boolean }).b ?? null) : false,
      },
    };
  });
  def(`nn.AdaptiveAvgPool${n}d nn.AdaptiveMaxPool${n}d`, (c) => ({ k: 'layer', type: `AdaptivePool${n}d`, cfg: { n, size: tupArg(arg(c, 0, 'output_size'), n, null) } }));
}
def(
  'nn.MSELoss nn.L1Loss nn.CrossEntropyLoss nn.NLLLoss nn.BCELoss nn.BCEWithLogitsLoss nn.SmoothL1Loss nn.HuberLoss nn.KLDivLoss',
  (c) => {
    const r = c.kw.get('reduction');
    return { k: 'layer', type: 'Loss', cfg: { reduction: r === undefined ? 'mean' : r.k === 'str' ? r.s : null } };
  },
);
def('nn.Upsample', (c) => ({ k: 'layer', type: 'Upsample', cfg: { size: c.kw.get('size') ?? c.pos[0], scale: c.kw.get('scale_factor') ?? c.pos[1] } }));
def('nn.Sequential', (c) => {
  if (c.pos.length === 1 && c.pos[0]!.k === 'unknown') return { k: 'layer', type: 'Unknown', cfg: {} };
  return { k: 'layer', type: 'Sequential', cfg: { layers: c.pos } };
});
def('nn.ModuleList', (c) => (c.pos[0]?.k === 'tuple' ? { k: 'tuple', items: c.pos[0].items, list: true } : UNKNOWN));

// ---------- nn layers: application ----------

const tex = (s: string): string => s;

/** Output size of a convolution or pooling along one spatial dim. */
function convOut(h: Dim, k: Dim | undefined, s: Dim | undefined, p: Dim | undefined, d: Dim | undefined, ceil: boolean | null): Dim {
  if (k === undefined || k === null || s === undefined || s === null || p === undefined || d === undefined || ceil === null) return null;
  // ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1
  const num = subDim(subDim(addDim(h, scaleDim(p, 2)), mulDim(d, subDim(k, 1))), 1);
  if (ceil) {
    if (!isInt(num) || !isInt(s) || !isInt(h) || !isInt(p)) return null;
    let o = Math.ceil(num / s) + 1;
    if ((o - 1) * s >= h + p) o -= 1;
    return o;
  }
  return addDim(floorDivDim(num, s), 1);
}

function convLike(c: CallCtx, layer: Value & { k: 'layer' }, x: Value & { k: 'tensor' }, label: string): Value {
  const cfg = layer.cfg as Record<string, unknown>;
  const n = cfg.n as number;
  if (x.shape === null) return tensor(x.lib, null);
  const nd = x.shape.length;
  if (nd !== n + 1 && nd !== n + 2) {
    c.error('conv', `${label}: ${c.text} expects a ${n + 1}-D or ${n + 2}-D input, got ${fmt(x.shape)}`);
    return tensor(x.lib, null);
  }
  const lead = x.shape.slice(0, nd - n - 1);
  const ch = x.shape[nd - n - 1]!;
  const sp = x.shape.slice(nd - n);
  let outCh: Dim = ch;
  if (!cfg.pool) {
    if (cmpDim(ch, cfg.in as Dim) === 'unequal') {
      c.error('conv', `${label}: ${c.text} expects ${formatDim(cfg.in as Dim)} input channels, got input of shape ${fmt(x.shape)} (${formatDim(ch)} channels)`);
      return tensor(x.lib, null);
    }
    outCh = cfg.out as Dim;
  }
  const k = cfg.k as Tup;
  const s = cfg.s as Tup;
  const d = cfg.d as Tup;
  const pRaw = cfg.p as Tup | string;
  const transpose = layer.type.startsWith('ConvTranspose');
  const out: Dim[] = [];
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = sp[i]!;
    let o: Dim;
    if (pRaw === 'same') o = h;
    else {
      const p = pRaw === 'valid' ? 0 : typeof pRaw === 'string' || pRaw === null ? undefined : pRaw[i];
      const ki = k?.[i];
      const si = s?.[i];
      const di = d?.[i];
      if (transpose) {
        // (H − 1)s − 2p + d(k − 1) + output_padding + 1
        const op = (cfg.op as Tup)?.[i];
        o = ki == null || si == null || p == null || di == null || op === undefined ? null : addDim(addDim(subDim(mulDim(subDim(h, 1), si), scaleDim(p, 2)), mulDim(di, subDim(ki, 1))), addDim(op, 1));
        parts.push(`(${formatDim(h)} − 1)·${formatDim(si ?? null)} − 2·${formatDim(p ?? null)} + ${formatDim(di ?? null)}·(${formatDim(ki ?? null)} − 1) + 1 = ${formatDim(o)}`);
      } else {
        o = convOut(h, ki, si, p, di, (cfg.ceil as boolean | null | undefined) ?? false);
        parts.push(`⌊(${formatDim(h)} + 2·${formatDim(p ?? null)} − ${formatDim(di ?? null)}·(${formatDim(ki ?? null)} − 1) − 1)/${formatDim(si ?? null)}⌋ + 1 = ${formatDim(o)}`);
      }
    }
    out.push(o);
  }
  const result = [...lead, outCh, ...out];
  const rule = `${layer.type} output size`;
  c.step(rule, `${layer.type} ${fmt(x.shape)} → ${fmt(result)}${parts.length ? ': ' + parts.join('; ') : ''}`, tex(parts.join(',\\; ')));
  return tensor(x.lib, result);
}

export function applyLayer(c: CallCtx, layer: Value & { k: 'layer' }, xv: Value | undefined, label: string): Value {
  const cfg = layer.cfg as Record<string, unknown>;
  if (layer.type === 'Sequential') {
    let v: Value = xv ?? UNKNOWN;
    const layers = cfg.layers as Value[];
    layers.forEach((l, i) => {
      v = c.apply(l, v, `${label}[${i}]`);
    });
    return v;
  }
  const x = T(xv);
  if (!x) return UNKNOWN;
  if (SAME_LAYERS.includes(layer.type) || activationLayer(`nn.${layer.type}`)) return same(c, x, layer.type);
  switch (layer.type) {
    case 'Loss':
      // reduction 'mean' or 'sum' gives a 0-d tensor; 'none' keeps an input-dependent shape
      return cfg.reduction === 'mean' || cfg.reduction === 'sum' ? withShape(c, 'torch', [], `loss (reduction='${cfg.reduction as string}')`) : tensor('torch', null);
    case 'Linear': {
      if (x.shape === null) return tensor(x.lib, null);
      const last = x.shape[x.shape.length - 1];
      if (last === undefined) {
        c.error('linear', `linear: ${label} expects input (..., ${formatDim(cfg.in as Dim)}), got a 0-d tensor`);
        return tensor(x.lib, null);
      }
      if (cmpDim(last, cfg.in as Dim) === 'unequal') {
        c.error('linear', `linear: ${label} (in_features=${formatDim(cfg.in as Dim)}) got input of shape ${fmt(x.shape)}: last dimension ${formatDim(last)} differs from ${formatDim(cfg.in as Dim)}`);
        return tensor(x.lib, null);
      }
      const out = [...x.shape.slice(0, -1), cfg.out as Dim];
      c.step('linear', `Linear(${formatDim(cfg.in as Dim)} → ${formatDim(cfg.out as Dim)}): ${fmt(x.shape)} → ${fmt(out)}`);
      return tensor(x.lib, out);
    }
    case 'Embedding':
      return x.shape === null ? tensor('torch', null) : withShape(c, 'torch', [...x.shape, cfg.dim as Dim], 'embedding');
    case 'BatchNorm1d':
    case 'BatchNorm2d':
    case 'BatchNorm3d': {
      if (x.shape && x.shape.length >= 2 && cmpDim(x.shape[1]!, cfg.num_features as Dim) === 'unequal') {
        c.error('batchnorm', `batchnorm: ${label} expects ${formatDim(cfg.num_features as Dim)} channels, got input of shape ${fmt(x.shape)}`);
        return tensor(x.lib, null);
      }
      return same(c, x, layer.type);
    }
    case 'Flatten':
      return flatten(c, x, cfg.start as number | null, cfg.end as number | null);
    case 'AdaptivePool1d':
    case 'AdaptivePool2d':
    case 'AdaptivePool3d': {
      const n = cfg.n as number;
      const size = cfg.size as Tup;
      if (x.shape === null || x.shape.length < n + 1 || size === null) return tensor(x.lib, null);
      const lead = x.shape.slice(0, -n);
      const sp = x.shape.slice(-n).map((d, i) => (size[i] === undefined ? d : size[i]!));
      return withShape(c, x.lib, [...lead, ...sp], 'adaptive pooling');
    }
    case 'Upsample':
      return interpolate(c, x, cfg.size as Value | undefined, cfg.scale as Value | undefined);
    default:
      if (cfg.n !== undefined) return convLike(c, layer, x, label);
      return tensor(x.lib, null);
  }
}

function interpolate(c: CallCtx, x: Value & { k: 'tensor' }, size: Value | undefined, scale: Value | undefined): Value {
  if (x.shape === null || x.shape.length < 3) return tensor(x.lib, null);
  const n = x.shape.length - 2;
  const lead = x.shape.slice(0, 2);
  if (size && size.k !== 'none') {
    const t = tupArg(size, n, null);
    if (!t) return tensor(x.lib, null);
    return withShape(c, x.lib, [...lead, ...t.map((d) => d ?? null)], 'interpolate to size');
  }
  // PyTorch: out = ⌊in · scale⌋ (computed in double precision)
  const scaled = (d: Dim, f: Value | undefined): Dim => {
    if (!f) return null;
    if (f.k === 'int') return mulDim(d, f.d);
    if (f.k === 'float' && f.x !== undefined && f.x > 0) {
      if (Number.isInteger(f.x)) return mulDim(d, f.x);
      return isInt(d) ? Math.floor(d * f.x) : null;
    }
    return null;
  };
  if (scale && (scale.k === 'int' || scale.k === 'float')) return withShape(c, x.lib, [...lead, ...x.shape.slice(2).map((d) => scaled(d, scale))], 'interpolate by scale');
  if (scale && scale.k === 'tuple' && scale.items.length === n)
    return withShape(c, x.lib, [...lead, ...x.shape.slice(2).map((d, i) => scaled(d, scale.items[i]))], 'interpolate by scale');
  return tensor(x.lib, [...lead, ...x.shape.slice(2).map(() => null)]);
}
def('F.interpolate F.upsample', (c) => {
  const x = T(c.pos[0]);
  return x ? interpolate(c, x, arg(c, 1, 'size'), arg(c, 2, 'scale_factor')) : UNKNOWN;
});
def('F.linear', (c) => {
  const x = T(c.pos[0]);
  const w = T(c.pos[1] ?? c.kw.get('weight'));
  if (!x || !w || w.shape === null || w.shape.length !== 2) return x ? tensor(x.lib, null) : UNKNOWN;
  return applyLayer(c, { k: 'layer', type: 'Linear', cfg: { in: w.shape[1]!, out: w.shape[0]! } }, x, c.text);
});
for (const n of [1, 2, 3]) {
  def(`F.conv${n}d`, (c) => {
    const x = T(c.pos[0]);
    const w = T(c.pos[1] ?? c.kw.get('weight'));
    if (!x || !w || w.shape === null || w.shape.length !== n + 2) return x ? tensor(x.lib, null) : UNKNOWN;
    const g = dimOf(arg(c, 6, 'groups')) ?? 1;
    const pad = arg(c, 4, 'padding');
    const layer: Value & { k: 'layer' } = {
      k: 'layer',
      type: `Conv${n}d`,
      cfg: { n, in: mulDim(w.shape[1]!, g), out: w.shape[0]!, k: w.shape.slice(2), s: tupArg(arg(c, 3, 'stride'), n, 1), p: pad && pad.k === 'str' ? pad.s : tupArg(pad, n, 0), d: tupArg(arg(c, 5, 'dilation'), n, 1), g },
    };
    return convLike(c, layer, x, c.text);
  });
  for (const kind of ['max', 'avg']) {
    def(`F.${kind}_pool${n}d`, (c) => {
      const x = T(c.pos[0]);
      if (!x) return UNKNOWN;
      const k = tupArg(arg(c, 1, 'kernel_size'), n, null);
      const sv = arg(c, 2, 'stride');
      const layer: Value & { k: 'layer' } = {
        k: 'layer',
        type: `${kind === 'max' ? 'MaxPool' : 'AvgPool'}${n}d`,
        cfg: { n, pool: true, k, s: sv === undefined || sv.k === 'none' ? k : tupArg(sv, n, null), p: tupArg(arg(c, 3, 'padding'), n, 0), d: kind === 'max' ? tupArg(arg(c, 4, 'dilation'), n, 1) : [1, 1, 1].slice(0, n), ceil: c.kw.has('ceil_mode') ? null : false },
      };
      return convLike(c, layer, x, c.text);
    });
    def(`F.adaptive_${kind}_pool${n}d`, (c) => {
      const x = T(c.pos[0]);
      if (!x) return UNKNOWN;
      return applyLayer(c, { k: 'layer', type: `AdaptivePool${n}d`, cfg: { n, size: tupArg(arg(c, 1, 'output_size'), n, null) } }, x, c.text);
    });
  }
}
def('F.embedding', (c) => {
  const x = T(c.pos[0]);
  const w = T(c.pos[1]);
  if (!x || !w || x.shape === null || w.shape === null || w.shape.length !== 2) return UNKNOWN;
  return withShape(c, 'torch', [...x.shape, w.shape[1]!], 'embedding');
});
def('F.one_hot', (c) => {
  const x = T(c.pos[0]);
  const n = intArg(c, 1, 'num_classes', -1);
  if (!x || x.shape === null) return x ? tensor('torch', null) : UNKNOWN;
  return withShape(c, 'torch', [...x.shape, n === undefined || n === null || n < 0 ? null : n], 'one_hot');
});
def('F.batch_norm F.layer_norm F.group_norm F.instance_norm', (c) => same(c, c.pos[0], 'normalization'));
def('F.cosine_similarity torch.cosine_similarity', (c) => {
  // broadcast x1 with x2, then reduce over dim (default 1)
  const a = T(c.pos[0] ?? c.kw.get('x1'));
  const b = T(c.pos[1] ?? c.kw.get('x2'));
  if (!a || !b) return a || b ? tensor('torch', null) : UNKNOWN;
  const bc = broadcast(c, [a, b], c.text, [c.argText(0), c.argText(1)]);
  const d = intArg(c, 2, 'dim', 1);
  if (bc.k !== 'tensor' || bc.shape === null || d === undefined || d === null) return tensor('torch', null);
  const ax = normAxis(d, bc.shape.length);
  if (ax === null) return tensor('torch', null);
  return withShape(c, 'torch', bc.shape.filter((_, i) => i !== ax), 'cosine similarity');
});
def('torch.autograd.grad', (c) => {
  // one gradient per input, shaped like it
  const inputs = c.pos[1] ?? c.kw.get('inputs');
  if (!inputs) return UNKNOWN;
  if (inputs.k === 'tensor') return { k: 'tuple', items: [inputs] };
  if (inputs.k === 'tuple' && inputs.items.every((v) => v.k === 'tensor')) return { k: 'tuple', items: inputs.items };
  return UNKNOWN;
});
def('F.cross_entropy F.mse_loss F.l1_loss F.nll_loss F.binary_cross_entropy F.binary_cross_entropy_with_logits F.smooth_l1_loss F.kl_div', (c) => {
  const r = c.kw.get('reduction');
  if (r === undefined || (r.k === 'str' && (r.s === 'mean' || r.s === 'sum'))) return withShape(c, 'torch', [], 'loss');
  return tensor('torch', null);
});
def('torch.numel', () => UNKNOWN_INT);

// ---------- splitting ----------

/**
 * torch: `x.split(size, dim)`, `torch.split(x, size, dim)`, `x.chunk(n, dim)`, `torch.chunk`;
 * numpy: `np.split(x, n, axis)` (equal sections). A tuple of tensors when the sizes are known ints.
 */
function splitInto(c: CallCtx, x: Value & { k: 'tensor' }, how: 'size' | 'chunks', count: Value | undefined, dimV: Value | undefined): Value {
  if (x.shape === null || !count || count.k !== 'int' || !isInt(count.d) || count.d <= 0) return UNKNOWN;
  const dim = dimV === undefined ? 0 : dimV.k === 'int' && isInt(dimV.d) ? normAxis(dimV.d, x.shape.length) : null;
  if (dim === null) return UNKNOWN;
  const n = x.shape[dim];
  if (!isInt(n ?? null)) return UNKNOWN;
  const total = n as number;
  const size = how === 'size' ? count.d : Math.ceil(total / count.d);
  if (size <= 0) return UNKNOWN;
  const parts: number[] = [];
  for (let left = total; left > 0; left -= size) parts.push(Math.min(size, left));
  if (parts.length > 64) return UNKNOWN;
  const items = parts.map((p) => tensor(x.lib, x.shape!.map((d, i) => (i === dim ? p : d))));
  c.step(how === 'size' ? 'split' : 'chunk', `${c.text}: ${total} along dim ${dim} → ${parts.length} pieces of ${[...new Set(parts)].join(' or ')}`);
  return { k: 'tuple', items };
}
def('.split', (c) => {
  const x = T(c.self);
  const s = arg(c, 0, 'split_size');
  return x && s && s.k === 'int' ? splitInto(c, x, 'size', s, arg(c, 1, 'dim')) : UNKNOWN;
});
def('torch.split', (c) => {
  const x = T(c.pos[0]);
  const s = arg(c, 1, 'split_size_or_sections');
  return x && s && s.k === 'int' ? splitInto(c, x, 'size', s, arg(c, 2, 'dim')) : UNKNOWN;
});
def('.chunk', (c) => {
  const x = T(c.self);
  return x ? splitInto(c, x, 'chunks', arg(c, 0, 'chunks'), arg(c, 1, 'dim')) : UNKNOWN;
});
def('torch.chunk', (c) => {
  const x = T(c.pos[0]);
  return x ? splitInto(c, x, 'chunks', arg(c, 1, 'chunks'), arg(c, 2, 'dim')) : UNKNOWN;
});

// ---------- Python's math module: scalars ----------
for (const e of OPS) for (const f of e.spell.math ?? []) def(`math.${f}`, () => FLOAT);
def('math.pow math.fabs math.hypot', () => FLOAT);

// ---------- parameters: a tensor wrapped for autograd keeps its shape ----------
def('nn.Parameter torch.nn.Parameter', (c) => T(c.pos[0]) ?? UNKNOWN);

// ---------- a few more NumPy functions ----------

/** Same shape as the first argument. */
def('np.flipud np.fliplr np.flip torch.flip', (c) => same(c, c.pos[0], c.text.split('(')[0]!));

/** triu/tril keep a matrix's shape; NumPy turns a vector of n into an n × n matrix. */
def('np.triu np.tril torch.triu torch.tril', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape === null) return x ? tensor(x.lib, null) : UNKNOWN;
  if (x.shape.length >= 2) return same(c, x, c.text.split('(')[0]!);
  if (x.lib === 'numpy' && x.shape.length === 1) return withShape(c, 'numpy', [x.shape[0]!, x.shape[0]!], 'triu/tril of a vector');
  return tensor(x.lib, null);
});

/** np.isclose(a, b): the broadcast of a and b. */
def('np.isclose', (c) => {
  const a = T(c.pos[0]);
  const b = T(c.pos[1]);
  if (a && (c.pos[1]?.k === 'float' || c.pos[1]?.k === 'int')) return same(c, a, 'isclose');
  if (!a || !b) return UNKNOWN;
  const r = broadcastShapes(a.shape, b.shape);
  return r.shape ? withShape(c, a.lib, r.shape, 'isclose') : tensor(a.lib, null);
});

/** np.convolve(a, v, mode): full n + m − 1, same max(n, m), valid max(n, m) − min(n, m) + 1. */
def('np.convolve', (c) => {
  const a = T(c.pos[0]);
  const v = T(c.pos[1]);
  if (!a || !v || a.shape?.length !== 1 || v.shape?.length !== 1) return a ? tensor(a.lib, null) : UNKNOWN;
  const n = a.shape[0]!;
  const m = v.shape[0]!;
  const modeV = arg(c, 2, 'mode');
  const mode = modeV === undefined ? 'full' : modeV.k === 'str' ? modeV.s : null;
  if (!isInt(n) || !isInt(m) || mode === null) return tensor(a.lib, [null]);
  const size = mode === 'full' ? n + m - 1 : mode === 'same' ? Math.max(n, m) : mode === 'valid' ? Math.max(n, m) - Math.min(n, m) + 1 : null;
  if (size === null) return tensor(a.lib, [null]);
  c.step('convolve', `convolve (${n},) with (${m},), mode '${mode}' → (${size},)`);
  return tensor(a.lib, [size]);
});

/** np.vander(x, N): (len(x), N), N defaulting to len(x). */
def('np.vander', (c) => {
  const x = T(c.pos[0]);
  if (!x || x.shape?.length !== 1) return x ? tensor(x.lib, null) : UNKNOWN;
  const nV = arg(c, 1, 'N');
  const cols = nV === undefined || nV.k === 'none' ? x.shape[0]! : nV.k === 'int' ? nV.d : null;
  return withShape(c, 'numpy', [x.shape[0]!, cols], 'vander');
});

// ---------- scipy.stats tests ----------

/**
 * The common hypothesis tests return (statistic, pvalue): NumPy scalars when the samples are 1-D
 * (the usual case), arrays over the other axes for 2-D samples. pearsonr takes 1-D samples only.
 * The result unpacks (`t, p = ttest_ind(a, b)`) and has `.statistic` and `.pvalue`.
 */
const STAT_TESTS = 'ttest_ind ttest_rel ttest_1samp pearsonr spearmanr kendalltau mannwhitneyu chisquare wilcoxon kstest ks_2samp shapiro levene bartlett f_oneway kruskal ranksums normaltest'.split(' ');
for (const f of STAT_TESTS) {
  def(`scipy.stats.${f}`, (c) => {
    const samples = c.pos.filter((v) => v.k === 'tensor' || v.k === 'tuple');
    const oneD = (v: Value): boolean => {
      const t = v.k === 'tensor' ? v : T(fromLiteral(v, 'numpy'));
      return !!t && t.shape !== null && t.shape.length === 1;
    };
    const scalar = f === 'pearsonr' || (samples.length > 0 && samples.every(oneD) && !c.kw.has('axis'));
    const item = (): Value => tensor('numpy', scalar ? [] : null);
    if (scalar) c.step(`scipy.stats.${f}`, `${f} of 1-D samples → (statistic, pvalue), two scalars`);
    return { k: 'tuple', items: [item(), item()], fields: ['statistic', 'pvalue'] };
  });
}
