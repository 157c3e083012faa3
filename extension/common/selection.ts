/** The text a command works on: the selection, or the current line when nothing is selected. */
import type * as vscode from 'vscode';
import type { DocPosition } from '../../core/protocol';
import { trimmedLine } from './positions';

export interface Selected {
  text: string;
  start: DocPosition;
  endLine: number;
}

/** The selection's text, or the current line's (trimmed) when the selection is empty. */
export function selectedText(editor: vscode.TextEditor): Selected {
  const { document: doc, selection: sel } = editor;
  if (sel.isEmpty) {
    const line = sel.active.line;
    const t = trimmedLine(doc.lineAt(line).text);
    return { text: t.text, start: { line, character: t.character }, endLine: line };
  }
  // A selection ending at column 0 of a line does not include that line.
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return { text: doc.getText(sel), start: { line: sel.start.line, character: sel.start.character }, endLine };
}

