/**
 * Selection text → data columns for the statistics view, through the matrix parser
 * (`parseMatrixText`: numeric lists, Python/NumPy/JSON array literals, MATLAB, CSV/TSV/
 * whitespace blocks with an optional header line).
 *
 * - A flat list, a single row or a single column is one column.
 * - An m × k table (k ≥ 2) is k columns of m values; the header line, when there is one,
 *   names them. Exception: a 2 × n literal with n > 2 (`[[…], […]]`) is read as two
 *   samples written as rows, and says so.
 * - The first two columns are the two samples of the two-sample view; more columns are
 *   kept (each gets its descriptive statistics) and a note says only the first two are compared.
 * - NaN and ±inf are dropped with a note: per column for the descriptive statistics, and
 *   row-wise (a pair is kept only when both values are finite) for the paired statistics.
 * - At most `maxValues` numbers (default 1,000,000).
 */

import { parseMatrixText } from '../linalg/parse';

export interface DataColumn {
  name: string;
  /** The finite values, in order. */
  values: Float64Array;
  /** How many NaN/±inf entries were dropped. */
  dropped: number;
}

export interface StatsData {
  columns: DataColumn[];
  /** The first two columns with the rows where both are finite (null for one column). */
  pairs: { x: Float64Array; y: Float64Array; dropped: number } | null;
  format: string;
  notes: string[];
}

export interface DataError {
  message: string;
  offset?: number;
  length?: number;
}

export type DataResult = { ok: true; value: StatsData } | { ok: false; error: DataError };

export interface DataOptions {
  /** Most numbers accepted. Default 1,000,000. */
  maxValues?: number;
}

export const DEFAULT_MAX_VALUES = 1_000_000;

function finite(a: Float64Array): { values: Float64Array; dropped: number } {
  let k = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) k++;
  if (k === a.length) return { values: a, dropped: 0 };
  const out = new Float64Array(k);
  let j = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) out[j++] = a[i]!;
  return { values: out, dropped: a.length - k };
}

/** The header names of a delimited block, when its first data line was read as a header. */
function headerNames(text: string, count: number): string[] | null {
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (!line) return null;
  const s = line.replace(/\r$/, '');
  const sep = s.includes('\t') ? '\t' : s.includes(',') ? ',' : s.includes(';') ? ';' : null;
  const cells = (sep ? s.split(sep) : s.trim().split(/\s+/)).map((c) => c.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
  return cells.length === count ? cells.map((c, i) => c || `column ${i + 1}`) : null;
}

/** Reads the data of a selection. Never throws. */
export function parseStatsData(text: string, options: DataOptions = {}): DataResult {
  try {
    const maxValues = options.maxValues ?? DEFAULT_MAX_VALUES;
    const parsed = parseMatrixText(text, { maxElements: maxValues });
    if (!parsed.ok) return { ok: false, error: { message: parsed.error.message, offset: parsed.error.offset, length: parsed.error.length } };
    const { shape, data, format } = parsed.value;
    const notes = [...parsed.value.notes];
    let raw: { name: string; values: Float64Array }[];
    if (shape.length === 0) raw = [{ name: 'x', values: data }];
    else if (shape.length === 1) raw = [{ name: 'x', values: data }];
    else if (shape.length === 2) {
      const [m, k] = shape as [number, number];
      if (m === 1 || k === 1) raw = [{ name: 'x', values: data }];
      else if (m === 2 && k > 2 && format !== 'csv' && format !== 'tsv' && format !== 'whitespace') {
        raw = [
          { name: 'x₁', values: data.slice(0, k) },
          { name: 'x₂', values: data.slice(k, 2 * k) },
        ];
        notes.push(`read the 2 × ${k} array as two samples written as rows`);
      } else {
        const header = parsed.value.notes.some((n) => n.startsWith('the first line was read as a header')) ? headerNames(text, k) : null;
        raw = [];
        for (let c = 0; c < k; c++) {
          const col = new Float64Array(m);
          for (let r = 0; r < m; r++) col[r] = data[r * k + c]!;
          raw.push({ name: header?.[c] ?? `column ${c + 1}`, values: col });
        }
      }
    } else {
      return { ok: false, error: { message: `the selection is a ${shape.length}-dimensional array (shape ${shape.join(' × ')}); select a list or a table of columns` } };
    }
    if (data.length === 0) return { ok: false, error: { message: 'the selection holds no numbers' } };
    const columns: DataColumn[] = raw.map((c) => {
      const f = finite(c.values);
      if (f.dropped) notes.push(`${c.name}: ${f.dropped} NaN/infinite value${f.dropped === 1 ? '' : 's'} ignored`);
      return { name: c.name, values: f.values, dropped: f.dropped };
    });
    if (columns.length > 2) notes.push(`${columns.length} columns: the first two (${columns[0]!.name}, ${columns[1]!.name}) are used for the two-sample view`);
    let pairs: StatsData['pairs'] = null;
    if (raw.length >= 2) {
      const a = raw[0]!.values;
      const b = raw[1]!.values;
      if (a.length === b.length) {
        const keep: number[] = [];
        for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!) && Number.isFinite(b[i]!)) keep.push(i);
        pairs = { x: Float64Array.from(keep, (i) => a[i]!), y: Float64Array.from(keep, (i) => b[i]!), dropped: a.length - keep.length };
      }
    }
    return { ok: true, value: { columns, pairs, format, notes } };
  } catch (err) {
    return { ok: false, error: { message: `internal error while reading the data: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
