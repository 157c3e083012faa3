/**
 * "MathLens: Visualize Matrix": the selected matrix literal (or the current line) in the matrix panel.
 * No math here: core/linalg/present.ts computes everything the panel shows.
 */
import * as vscode from 'vscode';
import { selectedText } from './computeCommand';
import { MatrixPanel } from './matrixPanel';
import type { History } from './side/history';
import { advancePosition, stripAssignment } from './positions';

/** Where results are remembered for the side view's History tab (set by extension.ts). */
let history: History | undefined;
export function setMatrixHistory(h: History): void {
  history = h;
}

/** Shows a History entry again: the selected text computed anew, or the file opened in the viewer. */
export async function reopenMatrix(extensionUri: vscode.Uri, text: string | undefined, uri: string | undefined): Promise<void> {
  if (text === undefined) {
    if (uri) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(uri, true), 'mathlens.npyViewer');
    return;
  }
  const view = MatrixPanel.createOrShow(extensionUri);
  view.show(text, { title: 'Matrix', source: { kind: 'selection', ...(uri ? { uri } : {}), start: { line: 0, character: 0 }, text } }, { text });
}

export async function visualizeMatrix(extensionUri: vscode.Uri): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('MathLens: open a file and select a matrix (a NumPy/PyTorch literal, MATLAB, LaTeX, CSV or JSON) to visualize.');
    return;
  }
  const sel = selectedText(editor);
  if (!sel.text.trim()) {
    void vscode.window.showInformationMessage('MathLens: select a matrix to visualize, e.g. np.array([[1, 2], [3, 4]]).');
    return;
  }
  const { text, skipped } = stripAssignment(sel.text);
  const start = advancePosition(sel.start, sel.text, skipped);
  const uri = editor.document.uri.toString();
  const view = MatrixPanel.createOrShow(extensionUri);
  view.post({ type: 'matrixLoading', title: 'Matrix' });
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MathLens: analyzing the matrix' }, async () => {
    await new Promise((r) => setImmediate(r));
    view.show(text, { title: 'Matrix', source: { kind: 'selection', uri, start, text } }, { text, start });
  });
  history?.add({ kind: 'matrix', title: text.trim(), text, uri });
}
