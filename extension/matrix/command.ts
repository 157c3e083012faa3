/**
 * "MathLens: Visualize Matrix": the selected matrix literal (or the current line) in the matrix panel.
 * No math here: core/linalg/present.ts computes everything the panel shows.
 */
import * as vscode from 'vscode';
import { selectedText } from '../common/selection';
import type { PanelSlot } from '../common/panelHost';
import type { MatrixView } from './panel';
import type { History } from '../side/history';
import { advancePosition, stripAssignment } from '../common/positions';

/** What the matrix command works with, given by extension.ts. */
export interface MatrixDeps {
  extensionUri: vscode.Uri;
  panels: PanelSlot<MatrixView>;
  /** Results are remembered for the side view's History tab. */
  history: History;
}

/** Shows a History entry again: the selected text computed anew, or the file opened in the viewer. */
export async function reopenMatrix(deps: MatrixDeps, text: string | undefined, uri: string | undefined): Promise<void> {
  if (text === undefined) {
    if (uri) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(uri, true), 'mathlens.npyViewer');
    return;
  }
  const view = deps.panels.show(deps.extensionUri);
  view.show(text, { title: 'Matrix', source: { kind: 'selection', ...(uri ? { uri } : {}), start: { line: 0, character: 0 }, text } }, { text });
}

export async function visualizeMatrix(deps: MatrixDeps): Promise<void> {
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
  const view = deps.panels.show(deps.extensionUri);
  view.post({ type: 'matrixLoading', title: 'Matrix' });
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'MathLens: analyzing the matrix' }, async () => {
    await new Promise((r) => setImmediate(r));
    view.show(text, { title: 'Matrix', source: { kind: 'selection', uri, start, text } }, { text, start });
  });
  deps.history.add({ kind: 'matrix', title: text.trim(), text, uri });
}
