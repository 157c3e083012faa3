/** Shared by the parser tests. */
import type { Expr } from '../../core/expr';

/** A tiny s-expression printer: numbers as p or p/q, π, ℯ, (op args…). */
export function sx(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return e.q === 1 ? String(e.p) : `${e.p}/${e.q}`;
    case 'float':
      return `f${e.value}`;
    case 'const':
      return e.name === 'pi' ? 'π' : 'ℯ';
    case 'sym':
      return e.name;
    case 'add':
      return `(+ ${e.terms.map(sx).join(' ')})`;
    case 'mul':
      return `(* ${e.factors.map(sx).join(' ')})`;
    case 'pow':
      return `(^ ${sx(e.base)} ${sx(e.exp)})`;
    case 'call':
      return `(${e.fn} ${e.args.map(sx).join(' ')})`;
    case 'cmp':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
  }
}
