/**
 * The catalogue's derivative formulas (core/ops) built as matrix-calculus
 * nodes: every elementwise function's derivative, its rule's name and its
 * formula come from its entry, so this engine keeps no table of its own.
 * Values at kinks are the catalogue's (PyTorch's), since the same formula is
 * evaluated: cmp/where nodes evaluate exactly as the number builder does.
 */
import { opOf } from '../ops';
import type { Builder, OpEntry } from '../ops';
import { constant, num } from './ast';
import type { Node } from './ast';
import { Unsupported } from './errors';
import { add, cmp, div, fn, mul, neg, pow, sub, where } from './simplify';

/** A catalogue call from a formula: array arguments, then numeric parameters. */
function call(name: string, args: Node[]): Node {
  const e = opOf(name);
  const params = args.slice(e.arity).map((p) => {
    if (p.k !== 'num') throw new Unsupported(`${e.name}: a parameter must be a number`);
    return p.value!;
  });
  return fn(e, args.slice(0, e.arity), params.length ? e.params.map((q, i) => params[i] ?? q.default) : undefined);
}

/** Numeric exponent of a power, or a refusal (x ** y with y not constant). */
function exponent(e: Node): number {
  if (e.k === 'num') return e.value!;
  throw new Unsupported('a power with a non-constant exponent is unsupported');
}

/** Nodes as a catalogue Builder (through the smart constructors, so results are canonical). */
export const NODES: Builder<Node> = {
  num: (p, q = 1) => num(p / q),
  pi: () => constant('pi'),
  add: (...t) => add(t),
  sub,
  mul: (...f) => mul(f),
  div,
  neg,
  pow: (b, e) => pow(b, exponent(e)),
  call: (name, ...args) => call(name, args),
  cmp,
  where,
};

/** ∂u/∂(each argument) of an fn node u, from its entry's formula. */
export function partials(u: Node): Node[] {
  const e = u.op!;
  return e.derivative.d(NODES, u.args, (u.params ?? e.params.map((p) => p.default)).map((v) => num(v)));
}

/** The rule's name for a step ("chain rule (elementwise relu)"). */
export function ruleName(e: OpEntry): string {
  return `chain rule (elementwise ${e.name})`;
}

/**
 * Builder for `expand` (square → x², reciprocal → x⁻¹): only integer powers of the argument are
 * kept as powers; anything else (x^{1/2}, 2^x) stays a call of the entry, printed by its name.
 */
const POWERS: Builder<Node> = {
  ...NODES,
  pow: (b, e) => {
    const p = exponent(e);
    if (!Number.isInteger(p) || b.k === 'num') throw new Unsupported('not an integer power');
    return pow(b, p);
  },
};

/** The entry applied to `args`, as a power when the entry expands to an integer power. */
export function applyEntry(e: OpEntry, args: Node[], params?: readonly number[]): Node {
  if (e.expand && e.arity === 1) {
    try {
      return e.expand(POWERS, args);
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
    }
  }
  return fn(e, args, params);
}
