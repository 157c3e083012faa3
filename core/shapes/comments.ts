/**
 * The shape-comment grammar, the one reading of declared shapes shared by the
 * shape analysis (hover, inlay hints, diagnostics), matrix calculus
 * (`parseShapeSpec`, its `--shapes` option), backprop and the selection code.
 *
 *     # X: (n, d), w: (d,)          several names in one comment
 *     # X: (n, d); w: (d,)          separated by `,`, `;` or spaces
 *     # X: (n,d) w: (d,)
 *     # Y: (n, k) onehot            `onehot` / `one-hot`: rows (last axis) sum to 1
 *     # b: ()                       a scalar (0-d)
 *     z = X @ w  # shape: (n,)      `shape:` on an assignment's line: the one name it assigns
 *
 * Grammar (declarations may stand anywhere in the text; other text between them is ignored):
 *
 *     decl := name ':' '(' dims ')' [ 'onehot' | 'one-hot' ]      name: a Python identifier, not after `.`
 *     dims := ''  |  dim ','  |  dim (',' dim)* [',']
 *     dim  := int | name | a small polynomial (`H - 2`, `2*n`, `(H - 1)//2 + 1`)
 *           | '?' | '_'                    an unknown size
 *           | '...' | '*name'              any number of dimensions: the whole shape is unknown
 *
 * In the shape analysis a declaration applies to the names bound (or, for data from outside the
 * file, used) on its own line and on the next line, and to a function's parameters from the line
 * above the `def` to the body's first line.
 *
 * A declaration with a dimension that is none of these (`(batch size, 3)`) is
 * dropped; a negative constant is an unknown size. The same text without a `#`
 * (`X:(n,d),w:(d,)`) is read the same way.
 */
import { type Dim, isInt, parseDimText } from './dim';

export interface ShapeDecl {
  name: string;
  /** The dimensions; null when the declaration allows any number of them (`...`). */
  shape: Dim[] | null;
  /** Declared one-hot (`onehot` / `one-hot` after the shape). */
  onehot: boolean;
}

/** The name a trailing `# shape: (n, d)` comment uses for the one name its assignment binds. */
export const ASSIGNED_SHAPE = 'shape';

const MAX_BODY = 300;
const DECL_START = /(?<![\w.])([A-Za-z_]\w*)[ \t]*:[ \t]*\(/g;
const ONEHOT = /^[ \t]*one-?hot\b/i;

/** Every declaration in a comment (or in several, one per line, or in a `--shapes` option), in order. */
export function parseShapeDecls(text: string): ShapeDecl[] {
  const out: ShapeDecl[] = [];
  const re = new RegExp(DECL_START);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = m.index + m[0].length;
    const close = matchingParen(text, open);
    if (close < 0) continue;
    const shape = parseDims(text.slice(open, close));
    re.lastIndex = close + 1;
    if (shape === undefined) continue;
    out.push({ name: m[1]!, shape, onehot: ONEHOT.test(text.slice(close + 1)) });
  }
  return out;
}

/** The offset of the `)` closing the `(` just before `from`, on the same line; -1 when none. */
function matchingParen(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length && i - from <= MAX_BODY; i++) {
    const ch = text[i];
    if (ch === '\n' || ch === '\r') return -1;
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** The dimensions between the parentheses; undefined when one is not a dimension. */
function parseDims(body: string): Dim[] | null | undefined {
  if (body.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  const dims: Dim[] = [];
  let rest = false;
  for (const p of parts) {
    const t = p.trim();
    if (t === '...' || /^\*[A-Za-z_]\w*$/.test(t)) rest = true;
    else if (t === '?' || t === '_') dims.push(null);
    else if (t === '') return undefined;
    else {
      const d = parseDimText(t);
      if (d === null) return undefined;
      dims.push(isInt(d) && d < 0 ? null : d);
    }
  }
  return rest ? null : dims;
}
