/**
 * Jacobians by forward differentials: for a variable x of shape w (a scalar
 * or a vector), every intermediate U gets ∂U/∂x of shape shape(U) ++ w
 * (numerator layout: J[i, j] = ∂U_i/∂x_j), so dU = (∂U/∂x) dx. NumPy's
 * broadcasting along the trailing (x) axis does the bookkeeping; a value v
 * multiplying a tangent is `v[:, None]` (diag(v) in LaTeX). An intermediate of
 * rank 2 that depends on a vector x would need a 3-tensor: unsupported.
 */
import { dependsOn, eye, isScalar, num, rank, raw, zero } from './ast';
import type { Node } from './ast';
import { opOf } from '../ops';
import { partials, ruleName as fnRule } from './builder';
import type { MatStep } from './differential';
import { Unsupported } from './errors';
import { latex, shapeLatex, stepLatex } from './print';
import { add, div, expand, fn, matmul, mul, neg, outer, pow, sub, sum, T } from './simplify';
import { sameShape, showShape } from './shapes';

const EXP = opOf('exp');

export interface Forward {
  jacobian: Node;
  steps: MatStep[];
}

/** ∂f/∂x for f of any rank ≤ 2 − rank(x), x a scalar or vector variable. */
export function forwardJacobian(f: Node, x: Node, tick: () => void = () => {}): Forward {
  const w = x.shape;
  if (rank(x) > 1) throw new Unsupported(`the Jacobian with respect to the matrix ${x.name} ${showShape(w)} is a higher-order tensor: unsupported (vectorize it, or ask for the gradient of a scalar)`);
  const vec = rank(x) === 1;
  const memo = new Map<Node, boolean>();
  const dep = (n: Node): boolean => dependsOn(n, x.name!, memo);
  const tangents = new Map<Node, Node>();
  const steps: MatStep[] = [];
  const ex = (v: Node): Node => (vec && rank(v) === 1 ? expand(v) : v);
  const tan = (u: Node, depth: number): Node => {
    tick();
    const c = tangents.get(u);
    if (c) return c;
    const outShape = [...u.shape, ...w];
    if (!dep(u)) return zero(outShape);
    if (u.k === 'var') {
      const t = vec ? eye(w[0]!) : num(1);
      tangents.set(u, t);
      return t;
    }
    if (outShape.length > 2) throw new Unsupported(`the intermediate ${latexShort(u)} of shape ${showShape(u.shape)} depends on the vector ${x.name}: its Jacobian is a 3-tensor (unsupported)`);
    const a = u.args;
    // every rule below takes a matrix operand as constant when x is a vector: a dependent one would need a 3-tensor
    const m = vec ? a.find((c) => rank(c) === 2 && dep(c)) : undefined;
    if (m) throw new Unsupported(`the intermediate ${latexShort(m)} of shape ${showShape(m.shape)} depends on the vector ${x.name}: its Jacobian is a 3-tensor (unsupported)`);
    const t0 = (i: number): Node => tan(a[i]!, depth + 1);
    let t: Node;
    let ruleName: string;
    switch (u.k) {
      case 'add': ruleName = 'sum rule'; t = add(a.map((_, i) => t0(i))); break;
      case 'mul': ruleName = 'product rule (elementwise)'; t = add(a.map((ai, i) => (dep(ai) ? mul([ex(mul(a.filter((_, j) => j !== i))), t0(i)]) : zero(outShape)))); break;
      case 'pow': ruleName = 'power rule (elementwise)'; t = mul([ex(mul([num(u.value!), pow(a[0]!, u.value! - 1)])), t0(0)]); break;
      case 'fn': {
        ruleName = fnRule(u.op!);
        const ds = partials(u);
        t = add(a.map((ai, i) => (dep(ai) ? mul([ex(ds[i]!), t0(i)]) : zero(outShape))));
        break;
      }
      case 'cmp': ruleName = 'comparison (piecewise constant)'; t = zero(outShape); break;
      case 'matmul': {
        ruleName = 'product rule (matrix)';
        const [p, q] = [a[0]!, a[1]!];
        if (!vec) t = add([dep(p) ? matmul(t0(0), q) : zero(outShape), dep(q) ? matmul(p, t0(1)) : zero(outShape)]);
        else if (rank(p) === 1 && rank(q) === 1) t = add([dep(p) ? matmul(q, t0(0)) : zero(outShape), dep(q) ? matmul(p, t0(1)) : zero(outShape)]);
        else if (rank(p) === 2) t = matmul(p, t0(1));
        else t = matmul(T(q), t0(0));
        break;
      }
      case 'T': ruleName = 'transpose'; t = T(t0(0)); break;
      case 'sum': ruleName = 'sum'; t = rank(a[0]!) === 0 ? t0(0) : sum(t0(0), vec ? (u.axis ?? 0) : (u.axis ?? null), !!u.keepdims); break;
      case 'expand': ruleName = 'reshape'; t = expand(t0(0)); break;
      case 'outer': ruleName = 'product rule (outer)'; t = add([dep(a[0]!) ? outer(t0(0), a[1]!) : zero(outShape), dep(a[1]!) ? outer(a[0]!, t0(1)) : zero(outShape)]); break;
      case 'trace': ruleName = 'trace'; t = raw.square('trace', t0(0)); break;
      case 'det': ruleName = "Jacobi's formula"; t = mul([u, raw.square('trace', matmul(raw.square('inv', a[0]!), t0(0)))]); break;
      case 'logdet': ruleName = 'log-det'; t = raw.square('trace', matmul(raw.square('inv', a[0]!), t0(0))); break;
      case 'inv': ruleName = 'inverse'; t = neg(matmul(matmul(u, t0(0)), u)); break;
      case 'norm': ruleName = 'norm'; t = div(vec ? matmul(a[0]!, t0(0)) : sum(mul([a[0]!, t0(0)]), null), u); break;
      case 'softmax': {
        ruleName = 'softmax';
        const ta = t0(0);
        const inner = vec ? matmul(u, ta) : sum(mul([u, ta]), u.axis!, true);
        t = mul([ex(u), sub(ta, inner)]);
        break;
      }
      case 'logsoftmax': {
        ruleName = 'log-softmax';
        const ta = t0(0);
        const s = raw.softmax('softmax', a[0]!, u.axis!);
        t = sub(ta, vec ? matmul(s, ta) : sum(mul([s, ta]), u.axis!, true));
        break;
      }
      case 'logsumexp': {
        ruleName = 'log-sum-exp';
        const ta = t0(0);
        const s = u.axis === null && rank(a[0]!) > 1 ? fn(EXP, [sub(a[0]!, u)]) : raw.softmax('softmax', a[0]!, u.axis ?? 0);
        t = vec ? matmul(s, ta) : sum(mul([s, ta]), u.axis ?? null, !!u.keepdims);
        break;
      }
      case 'xent': {
        ruleName = 'softmax cross-entropy';
        if (dep(a[1]!)) throw new Unsupported('the targets of cross_entropy are data: they cannot depend on the variable');
        const z = a[0]!;
        const y = u.index ? raw.onehot(a[1]!, z.shape[z.shape.length - 1]!) : a[1]!;
        const p = sub(raw.softmax('softmax', z, rank(z) - 1), y);
        const tz = t0(0);
        if (rank(z) === 1) t = vec ? matmul(p, tz) : sum(mul([p, tz]), null);
        else t = div(sum(mul([p, tz]), null), typeof z.shape[0] === 'number' ? num(z.shape[0]) : { k: 'dim', args: [], shape: [], name: z.shape[0] });
        break;
      }
      default: throw new Unsupported(`${u.k} is not supported in a differentiated expression`);
    }
    if (!sameShape(t.shape, outShape)) {
      if (isScalar(t) || t.shape.length < outShape.length) t = mul([t, { k: 'ones', args: [], shape: outShape }]);
      if (!sameShape(t.shape, outShape)) throw new Unsupported(`internal: tangent shape (${t.shape}) ≠ (${outShape})`);
    }
    tangents.set(u, t);
    steps.push({ rule: ruleName, latex: `\\frac{\\partial\\, ${latexShort(u)}}{\\partial ${latex(x)}} = ${stepLatex(t)}`, shape: shapeLatex(outShape), depth });
    return t;
  };
  const jacobian = tan(f, 0);
  return { jacobian, steps };
}

function latexShort(u: Node): string {
  return stepLatex(u, 40);
}
