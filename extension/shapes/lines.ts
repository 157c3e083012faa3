/**
 * Offsets ↔ positions in the text an analysis was made from (pure, no
 * `vscode`). The engine reports 0-based UTF-16 offsets into the source it was
 * given; mapping them with that same text keeps diagnostics and hints right
 * even when the document has changed since. Line breaks are \n, \r\n or \r,
 * as in VS Code.
 */

export interface LinePosition {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The position of `offset`, clamped to the text; inside a \r\n pair counts as the end of the line. */
  positionAt(offset: number): LinePosition {
    const o = clamp(offset, 0, this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.starts[lo]! };
  }

  /** The offset of `position`, clamped to its line (without the line break) and to the text. */
  offsetAt(position: LinePosition): number {
    const line = clamp(position.line, 0, this.starts.length - 1);
    const start = this.starts[line]!;
    return Math.min(start + clamp(position.character, 0, Number.MAX_SAFE_INTEGER), this.lineEnd(line));
  }

  /** Offset just after the last character of `line`, before its line break. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next - 1;
    if (this.text.charCodeAt(end) === 10 && end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return n === Infinity ? hi : lo;
  return Math.max(lo, Math.min(hi, Math.floor(n)));
}
