/**
 * Pure text/position helpers for the command (no `vscode` import, so they
 * are unit-tested directly). Positions are 0-based, UTF-16 like VS Code's.
 */
import type { DocPosition } from '../../core/protocol';

/**
 * The document position of `offset` inside `text`, where `text` starts at
 * `start` in the document. Line breaks are \n, \r\n or \r. The offset is
 * clamped to the text; an offset inside a \r\n pair counts as its start.
 */
export function positionInDocument(text: string, offset: number, start: DocPosition): DocPosition {
  let end = Math.max(0, Math.min(Math.floor(Number.isFinite(offset) ? offset : 0), text.length));
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) {
        if (i + 1 === end) {
          end = i; // between \r and \n: the end of this line
          break;
        }
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  const character = end - lineStart;
  return line === 0 ? { line: start.line, character: start.character + character } : { line: start.line + line, character };
}

/**
 * The text of a line with surrounding whitespace removed, and the column of
 * its first kept character (used when the selection is empty).
 */
export function trimmedLine(lineText: string): { text: string; character: number } {
  const text = lineText.trim();
  return { text, character: text === '' ? 0 : lineText.indexOf(text) };
}

/** The leading whitespace of a line. */
export function indentationOf(lineText: string): string {
  return /^[ \t]*/.exec(lineText)![0];
}

/**
 * `code` re-indented with `indent` on every non-empty line, ending with the
 * document's line break, ready to insert at the start of the next line.
 */
export function indentBlock(code: string, indent: string, eol: '\n' | '\r\n' = '\n'): string {
  return (
    code
      .split(/\r\n|\r|\n/)
      .map((l) => (l.trim() === '' ? '' : indent + l))
      .join(eol) + eol
  );
}

/** `A = np.array(...)`: the value only (an assignment's target is not part of the matrix). */
export function stripAssignment(text: string): { text: string; skipped: number } {
  const m = /^\s*[A-Za-z_][\w.]*\s*(?::[^=]*)?=(?!=)\s*/.exec(text);
  if (!m || !/[[(\w]/.test(text.slice(m[0].length, m[0].length + 1))) return { text, skipped: 0 };
  return { text: text.slice(m[0].length), skipped: m[0].length };
}

/** The document position `skipped` characters after `start` in `text`. */
export function advancePosition(start: DocPosition, text: string, skipped: number): DocPosition {
  const before = text.slice(0, skipped).split('\n');
  return before.length === 1 ? { line: start.line, character: start.character + skipped } : { line: start.line + before.length - 1, character: before[before.length - 1]!.length };
}

