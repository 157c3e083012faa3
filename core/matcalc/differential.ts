/**
 * Differentials with steps. The gradient of a scalar f with respect to X is
 * read off d f = ⟨G, dX⟩ = tr(Gᵀ dX) (denominator layout: G has X's shape).
 * Walking from f down (reverse accumulation), every intermediate U carries the
 * coefficient G_U with d f = ⟨G_U, dU⟩ + …; one rule per node rewrites
 * ⟨G_U, dU⟩ in terms of the differentials of U's operands (the product rule,
 * the cyclic trace trick ⟨G, A dB⟩ = ⟨AᵀG, dB⟩, d X⁻¹ = −X⁻¹ dX X⁻¹, …).
 * Each rule application is recorded as a step with the intermediate's shape.
 */
import { dependsOn, isScalar, num, rank, raw } from './ast';
import type { Node } from './ast';
import { opOf } from '../ops';
import { partials, ruleName } from './builder';
import { Unsupported } from './errors';
import { latex, shapeLatex, stepLatex } from './print';
import { add, div, expand, fn, matmul, mul, neg, ones, outer, pow, sub, sum, T, zero } from './simplify';
import { sameShape } from './shapes';
import type { Shape } from './shapes';

const EXP = opOf('exp');

export interface MatStep {
  rule: string;
  latex: string;
  /** the intermediate's shape, as LaTeX (`n \times d`, `scalar`) */
  shape?: string;
  depth: number;
}

export { Unsupported };

/** G summed over the axes along which an operand of shape `s` was broadcast. */
export function unbroadcast(g: Node, s: Shape): Node {
  if (s.length === 0) return isScalar(g) ? g : sum(g, null, false);
  let r = g;
  while (rank(r) > s.length) r = sum(r, 0, false);
  for (let i = 0; i < s.length; i++) if (s[i] === 1 && r.shape[i] !== 1) r = sum(r, i, true);
  if (!sameShape(r.shape, s)) throw new Unsupported(`internal: cannot reduce a gradient of shape (${r.shape}) to (${s})`);
  return r;
}

/** G of a reduction's result, broadcast back to the operand's shape. */
function spread(g: Node, a: Node, axis: number | null | undefined, keepdims: boolean): Node {
  if (axis === null || axis === undefined || keepdims || rank(a) === 1) return mul([g, ones(a.shape)]);
  if (axis === 0) return mul([g, ones(a.shape)]);
  return mul([expand(g), ones(a.shape)]);
}

const ip = (g: Node, d: string): string => (isScalar(g) ? `${g.k === 'num' && g.value === 1 ? '' : wrapL(g) + '\\,'}${d}` : `\\left\\langle ${stepLatex(g)}, ${d}\\right\\rangle`);
const wrapL = (g: Node): string => (g.k === 'add' || (g.k === 'num' && g.value! < 0) ? `\\left(${stepLatex(g)}\\right)` : stepLatex(g));
const dOf = (n: Node): string => (n.k === 'var' ? `d${latex(n)}` : `d\\left(${stepLatex(n)}\\right)`);

interface Rule { rule: string; formula: string; parts: [Node, Node][] }

/** One rule: how ⟨G, dU⟩ splits over U's operands. */
function rule(u: Node, g: Node): Rule {
  const a = u.args;
  const [x, y] = [a[0]!, a[1]!];
  switch (u.k) {
    case 'add': {
      const b = a.some((t) => !sameShape(t.shape, u.shape));
      return { rule: b ? 'sum rule (with broadcasting: summed over the broadcast axes)' : 'sum rule', formula: 'd(A + B) = dA + dB', parts: a.map((t) => [t, unbroadcast(g, t.shape)]) };
    }
    case 'mul': {
      const scalarOthers = a.filter((t) => isScalar(t)).length >= a.length - 1;
      return {
        rule: scalarOthers ? 'product rule (scalar factor)' : 'product rule (elementwise)',
        formula: 'd(A \\odot B) = dA \\odot B + A \\odot dB',
        parts: a.map((t, i) => [t, unbroadcast(mul([g, ...a.filter((_, j) => j !== i)]), t.shape)]),
      };
    }
    case 'pow':
      return { rule: 'power rule (elementwise)', formula: 'd(A^{\\circ p}) = p\\,A^{\\circ (p-1)} \\odot dA', parts: [[x, mul([g, num(u.value!), pow(x, u.value! - 1)])]] };
    case 'matmul': {
      let ga: Node, gb: Node;
      if (rank(x) === 2 && rank(y) === 2) { ga = matmul(g, T(y)); gb = matmul(T(x), g); }
      else if (rank(x) === 2) { ga = outer(g, y); gb = matmul(T(x), g); }
      else if (rank(y) === 2) { ga = matmul(y, g); gb = outer(x, g); }
      else { ga = mul([g, y]); gb = mul([g, x]); }
      return { rule: 'product rule (matrix) and cyclic trace', formula: 'd(AB) = dA\\,B + A\\,dB,\\quad \\langle G, dA\\,B\\rangle = \\langle G B^\\top, dA\\rangle,\\ \\langle G, A\\,dB\\rangle = \\langle A^\\top G, dB\\rangle', parts: [[x, ga], [y, gb]] };
    }
    case 'T': return { rule: 'transpose', formula: '\\langle G, dA^\\top\\rangle = \\langle G^\\top, dA\\rangle', parts: [[x, T(g)]] };
    case 'fn': {
      const ds = partials(u);
      return { rule: ruleName(u.op!), formula: `d f(A) = f'(A) \\odot dA,\\quad ${u.op!.derivative.formula}`, parts: a.map((t, i) => [t, unbroadcast(mul([g, ds[i]!]), t.shape)]) };
    }
    case 'cmp': return { rule: 'comparison (piecewise constant)', formula: 'd\\,\\mathbf{1}_{[a > b]} = 0', parts: [] };
    case 'sum': return { rule: 'sum', formula: 'd\\,\\operatorname{sum}(A) = \\operatorname{sum}(dA) = \\langle \\mathbf{1}, dA\\rangle', parts: [[x, spread(g, x, u.axis, !!u.keepdims)]] };
    case 'logsumexp': {
      const sm = u.axis === null && rank(x) > 1 ? fn(EXP, [sub(x, u)]) : raw.softmax('softmax', x, u.axis ?? null);
      return { rule: 'log-sum-exp', formula: 'd\\,\\operatorname{logsumexp}(a) = \\langle \\operatorname{softmax}(a), da\\rangle', parts: [[x, mul([spread(g, x, u.axis, !!u.keepdims), sm])]] };
    }
    case 'expand': return { rule: 'reshape', formula: 'd(a[:, \\text{None}]) = da[:, \\text{None}]', parts: [[x, sum(g, 1, false)]] };
    case 'outer': return { rule: 'product rule (outer)', formula: 'd(ab^\\top) = da\\,b^\\top + a\\,db^\\top', parts: [[x, matmul(g, y)], [y, matmul(T(g), x)]] };
    case 'trace': return { rule: 'trace', formula: 'd\\,\\operatorname{tr}(A) = \\operatorname{tr}(dA) = \\langle I, dA\\rangle', parts: [[x, mul([g, identity(x)])]] };
    case 'det': return { rule: "Jacobi's formula", formula: 'd\\det(X) = \\det(X)\\operatorname{tr}(X^{-1} dX) = \\langle \\det(X) X^{-\\top}, dX\\rangle', parts: [[x, mul([g, u, T(raw.square('inv', x))])]] };
    case 'logdet': return { rule: 'log-det', formula: 'd\\ln\\det(X) = \\operatorname{tr}(X^{-1} dX) = \\langle X^{-\\top}, dX\\rangle', parts: [[x, mul([g, T(raw.square('inv', x))])]] };
    case 'inv': return { rule: 'inverse', formula: 'd(X^{-1}) = -X^{-1}\\,dX\\,X^{-1},\\quad \\langle G, -X^{-1} dX X^{-1}\\rangle = \\langle -X^{-\\top} G X^{-\\top}, dX\\rangle', parts: [[x, neg(matmul(matmul(T(u), g), T(u)))]] };
    case 'norm': return { rule: 'norm', formula: `d\\lVert A\\rVert = \\frac{\\langle A, dA\\rangle}{\\lVert A\\rVert}`, parts: [[x, mul([g, x, pow(u, -1)])]] };
    case 'softmax': {
      const gs = mul([g, u]);
      const s = rank(u) === 1 ? sum(gs, null) : sum(gs, u.axis!, true);
      return { rule: 'softmax', formula: 'd\\,s = s \\odot (da - \\langle s, da\\rangle),\\quad s = \\operatorname{softmax}(a)', parts: [[x, mul([u, sub(g, s)])]] };
    }
    case 'logsoftmax': {
      const s = rank(u) === 1 ? sum(g, null) : sum(g, u.axis!, true);
      return { rule: 'log-softmax', formula: 'd\\,\\operatorname{log\\,softmax}(a) = da - \\langle \\operatorname{softmax}(a), da\\rangle', parts: [[x, sub(g, mul([raw.softmax('softmax', x, u.axis!), s]))]] };
    }
    case 'xent': {
      const yy = u.index ? raw.onehot(y, x.shape[x.shape.length - 1]!) : y;
      const p = sub(raw.softmax('softmax', x, rank(x) - 1), yy);
      const gz = rank(x) === 1 ? mul([g, p]) : mul([g, div(p, dimNodeOf(x.shape[0]!))]);
      return { rule: 'softmax cross-entropy', formula: 'd\\,\\operatorname{CE}(Z, Y) = \\frac{1}{n}\\langle \\operatorname{softmax}(Z) - Y, dZ\\rangle \\ (\\text{rows of } Y \\text{ one-hot})', parts: [[x, gz], [y, num(0)]] };
    }
  }
  throw new Unsupported(`${u.k === 'max' ? 'np.max' : u.k} is not supported in a differentiated expression`);
}

function identity(x: Node): Node {
  return { k: 'eye', args: [], shape: [x.shape[0]!, x.shape[0]!] };
}

function dimNodeOf(d: string | number): Node {
  return typeof d === 'number' ? num(d) : { k: 'dim', args: [], shape: [], name: d };
}

export interface Reverse {
  gradient: Node;
  steps: MatStep[];
}

/** The gradient of the scalar `f` with respect to the variable `wrt`, with the derivation. */
export function reverseGradient(f: Node, wrtVar: Node, tick: () => void = () => {}): Reverse {
  const wrt = wrtVar.name!;
  if (!isScalar(f)) throw new Unsupported('the gradient needs a scalar expression (use the Jacobian for a vector-valued one)');
  const memo = new Map<Node, boolean>();
  const dep = (n: Node): boolean => dependsOn(n, wrt, memo);
  // post-order of the dependent nodes; depth = first distance from the root
  const order: Node[] = [];
  const depth = new Map<Node, number>();
  const seen = new Set<Node>();
  const visit = (n: Node, d: number): void => {
    tick();
    if (seen.has(n) || !dep(n)) return;
    seen.add(n);
    depth.set(n, d);
    for (const c of n.args) visit(c, d + 1);
    order.push(n);
  };
  visit(f, 0);
  const contrib = new Map<Node, Node[]>();
  contrib.set(f, [num(1)]);
  const steps: MatStep[] = [];
  const target: Node[] = [];
  let v: Node | undefined;
  for (let i = order.length - 1; i >= 0; i--) {
    tick();
    const u = order[i]!;
    const g = add(contrib.get(u) ?? []);
    if (u.k === 'var') { target.push(g.k === 'num' && g.value === 0 ? zero(u.shape) : g); v = u; continue; }
    if ((g.k === 'num' && g.value === 0) || g.k === 'zero') continue; // reached only through a comparison (derivative 0)
    if ((u.k === 'xent' && dep(u.args[1]!)) || u.k === 'onehot') throw new Unsupported('the targets of cross_entropy are data: they cannot depend on the variable');
    const r = rule(u, g);
    const parts = r.parts.filter(([c]) => dep(c));
    for (const [c, gc] of parts) {
      if (!sameShape(gc.shape, c.shape)) throw new Unsupported(`internal: gradient shape (${gc.shape}) ≠ operand shape (${c.shape}) in ${r.rule}`);
      contrib.set(c, [...(contrib.get(c) ?? []), gc]);
    }
    const rhs = parts.length ? parts.map(([c, gc]) => ip(gc, dOf(c))).join(' + ') : '0';
    steps.push({ rule: r.rule, latex: `${r.formula}:\\quad ${ip(g, dOf(u))} = ${rhs}`, shape: shapeLatex(u.shape), depth: depth.get(u) ?? 0 });
  }
  if (!v) {
    const z = zero(wrtVar.shape);
    return { gradient: z, steps: [{ rule: 'constant', latex: `\\nabla_{${latex(wrtVar)}} f = ${latex(z)}`, shape: shapeLatex(wrtVar.shape), depth: 0 }] };
  }
  const gradient = add(target);
  steps.push({ rule: 'read off the gradient', latex: `df = \\left\\langle ${stepLatex(gradient)}, d${latex(v)}\\right\\rangle \\;\\Rightarrow\\; \\nabla_{${latex(v)}} f = ${stepLatex(gradient)}`, shape: shapeLatex(v.shape), depth: 0 });
  return { gradient, steps };
}
