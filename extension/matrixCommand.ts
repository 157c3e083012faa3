/**
 * "MathLens: Visualize Matrix": the selected matrix literal (or the current line) in the matrix panel.
 * No math here: core/linalg/present.ts computes everything the panel shows.
 */
import * as vscode from 'vscode';
import { selectedText } from './computeCommand';
import { MatrixPanel } from './matrixPanel';
import { advancePosition, stripAssignment } from './positions';

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
}
