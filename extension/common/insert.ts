/**
 * "Insert below selection" for the panels: writes code below the selection a
 * result came from, indented like its first line, and says what happened.
 */
import * as vscode from 'vscode';
import type { InsertedMessage, InsertMessage } from '../../core/protocol';
import { indentBlock, indentationOf } from './positions';

export async function insertBelow(message: InsertMessage): Promise<InsertedMessage> {
  const uri = vscode.Uri.parse(message.target.uri, true);
  const doc = await vscode.workspace.openTextDocument(uri);
  const last = doc.lineCount - 1;
  const endLine = doc.lineAt(Math.min(message.target.endLine, last));
  const indent = indentationOf(doc.lineAt(Math.min(message.target.startLine, last)).text);
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const block = indentBlock(message.code, indent, eol);
  const edit = new vscode.WorkspaceEdit();
  // At the end of the last line, so it also works on a file's last line without a line break.
  edit.insert(uri, endLine.range.end, eol + block.slice(0, -eol.length));
  // An insertion at a selection's end would extend it: keep the user's selections as they were.
  const editors = vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri.toString());
  const selections = editors.map((e) => e.selections);
  const ok = await vscode.workspace.applyEdit(edit);
  if (ok) editors.forEach((e, i) => (e.selections = selections[i]!));
  const lines = block.split(eol).length - 1;
  return {
    type: 'inserted',
    ok,
    text: ok
      ? `Inserted ${lines} line${lines === 1 ? '' : 's'} below line ${endLine.lineNumber + 1}.`
      : 'Could not edit the document (it may be read-only or closed).',
  };
}
