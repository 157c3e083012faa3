/**
 * Recognizing the activations of deep learning in their written-out forms, so
 * that derivatives come out in textbook form: 1/(1 + e^{−u}) is σ(u) and its
 * derivative is σ(u)(1 − σ(u)); ln(1 + e^{u}) is softplus(u) with derivative
 * σ(u); (e^{u} − e^{−u})/(e^{u} + e^{−u}) is tanh(u).
 *
 * Works on canonical (simplified) trees, bottom-up. Each recognition is an
 * identity, recorded as a step so the learner sees it.
 */
import { Budget } from './budget';
import { type Expr, NEG_ONE, call, children, withChildren } from './expr';
import { toLatex, toText } from './print';
import { key, makeMul } from './simplify';

export interface Recognition {
  rule: string;
  latex: string;
  text: string;
}

const neg = (u: Expr) => makeMul([NEG_ONE, u]);
const isExp = (e: Expr): e is Extract<Expr, { kind: 'call' }> => e.kind === 'call' && e.fn === 'exp';
const isNum = (e: Expr, v: number) => e.kind === 'num' && e.q === 1 && e.p === v;

/** If e is 1 + e^{a} (in any order), return a. */
function onePlusExp(e: Expr): Expr | undefined {
  if (e.kind !== 'add' || e.terms.length !== 2) return undefined;
  const [a, b] = e.terms as [Expr, Expr];
  if (isNum(a, 1) && isExp(b)) return b.args[0];
  if (isNum(b, 1) && isExp(a)) return a.args[0];
  return undefined;
}

/** If e is ±e^{a} return [sign, a]. */
function signedExp(e: Expr): [number, Expr] | undefined {
  if (isExp(e)) return [1, e.args[0]!];
  if (e.kind === 'mul' && e.factors.length === 2 && isNum(e.factors[0]!, -1) && isExp(e.factors[1]!))
    return [-1, (e.factors[1] as Extract<Expr, { kind: 'call' }>).args[0]!];
  return undefined;
}

function recognizeNode(e: Expr): [Expr, string] | undefined {
  // (1 + e^{a})^{-1} = σ(−a)
  if (e.kind === 'pow' && isNum(e.exp, -1)) {
    const a = onePlusExp(e.base);
    if (a) return [call('sigmoid', neg(a)), 'sigmoid'];
  }
  if (e.kind === 'mul' && e.factors.length === 2) {
    const [p, q] = e.factors as [Expr, Expr];
    // e^{a} (1 + e^{a})^{-1} = σ(a)
    for (const [num, den] of [
      [p, q],
      [q, p],
    ] as const) {
      if (isExp(num) && den.kind === 'pow' && isNum(den.exp, -1)) {
        const a = onePlusExp(den.base);
        if (a && key(a) === key(num.args[0]!)) return [call('sigmoid', a), 'sigmoid'];
      }
    }
    // (e^{u} − e^{−u}) (e^{u} + e^{−u})^{-1} = tanh(u)
    for (const [num, den] of [
      [p, q],
      [q, p],
    ] as const) {
      if (num.kind === 'add' && num.terms.length === 2 && den.kind === 'pow' && isNum(den.exp, -1) && den.base.kind === 'add' && den.base.terms.length === 2) {
        const n = num.terms.map(signedExp);
        const d = den.base.terms.map(signedExp);
        if (n.every(Boolean) && d.every((t) => t && t[0] === 1)) {
          const [n1, n2] = n as [[number, Expr], [number, Expr]];
          const pos = n1[0] === 1 ? n1 : n2;
          const negT = n1[0] === 1 ? n2 : n1;
          if (pos[0] === 1 && negT[0] === -1 && key(neg(pos[1])) === key(negT[1])) {
            const dk = new Set(d.map((t) => key(t![1])));
            if (dk.has(key(pos[1])) && dk.has(key(negT[1]))) return [call('tanh', pos[1]), 'tanh'];
          }
        }
      }
    }
  }
  // where(u > 0, u, 0) = ReLU(u);  where(u > 0, u, a·u) = LeakyReLU_a(u) for a number a. Not max(0, u) nor
  // where(u >= 0, …): the same values, but PyTorch's gradient at u = 0 differs (1/2 for a tie of maximum, 1 for >=).
  if (e.kind === 'call' && e.fn === 'where') {
    const [c, a, b] = e.args as [Expr, Expr, Expr];
    if (c.kind === 'cmp' && c.op === '>' && isNum(c.right, 0) && key(c.left) === key(a)) {
      if (isNum(b, 0)) return [call('relu', a), 'relu'];
      if (b.kind === 'mul' && b.factors.length >= 2 && (b.factors[0]!.kind === 'num' || b.factors[0]!.kind === 'float')) {
        const rest = makeMul(b.factors.slice(1));
        if (key(rest) === key(a)) return [call('leaky_relu', a, b.factors[0]!), 'leaky_relu'];
      }
    }
  }
  // ln(1 + e^{a}) = softplus(a);  ln1p(e^{a}) = softplus(a)
  if (e.kind === 'call' && e.fn === 'log') {
    const a = onePlusExp(e.args[0]!);
    if (a) return [call('softplus', a), 'softplus'];
  }
  if (e.kind === 'call' && e.fn === 'log1p' && isExp(e.args[0]!)) {
    return [call('softplus', (e.args[0] as Extract<Expr, { kind: 'call' }>).args[0]!), 'softplus'];
  }
  return undefined;
}

const NAMES: Record<string, string> = {
  sigmoid: 'recognize the sigmoid',
  tanh: 'recognize tanh',
  softplus: 'recognize softplus',
  relu: 'recognize ReLU',
  leaky_relu: 'recognize leaky ReLU',
};

export function recognize(e: Expr, budget: Budget = Budget.unlimited()): { expr: Expr; steps: Recognition[] } {
  const steps: Recognition[] = [];
  const go = (x: Expr, depth: number): Expr => {
    budget.tick();
    budget.checkDepth(depth);
    const kids = children(x);
    let changed = false;
    const next = kids.map((k) => {
      const r = go(k, depth + 1);
      if (r !== k) changed = true;
      return r;
    });
    const y = changed ? withChildren(x, next) : x;
    const r = recognizeNode(y);
    if (!r) return y;
    const [z, name] = r;
    // The argument was simplified by construction (neg of a canonical term); keep it canonical.
    steps.push({ rule: NAMES[name] ?? `recognize ${name}`, latex: `${toLatex(y)} = ${toLatex(z)}`, text: `${toText(y)} = ${toText(z)}` });
    return z;
  };
  return { expr: go(e, 0), steps };
}
