/**
 * Entry point of the extension host: wiring only. It builds the object graph once (panels'
 * slots, the History, the shape analysis) and passes those dependencies into the commands and
 * panels; every disposable goes into `context.subscriptions`. Behaviour lives in the feature
 * folders: gradient/, matrix/, backprop/, side/, shapes/ (common/ holds what panels share).
 */
import * as vscode from 'vscode';
import { computeGradientOfSelection, type GradientDeps, reopenGradient } from './gradient/command';
import { GradientPanel } from './gradient/panel';
import { BackpropPanel, type BackpropDeps, showBackpropGraph } from './backprop/panel';
import { type MatrixDeps, reopenMatrix, visualizeMatrix } from './matrix/command';
import { MATRIX_VIEW_TYPE, matrixPanelSlot, NpyEditorProvider } from './matrix/panel';
import { History } from './side/history';
import { SideViewProvider } from './side/provider';
import { isLang } from '../core/protocol';
import { ShapeDocument } from '../core/shapes';
import { registerShapeFeatures, TOGGLE_INLAY_HINTS_COMMAND, toggleShapeInlayHints } from './shapes';

/** Runs a handler so that nothing is ever thrown into the extension host. */
function safely<A extends unknown[]>(name: string, fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      void vscode.window.showErrorMessage(`MathLens: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

export function activate(context: vscode.ExtensionContext): void {
  const { extensionUri } = context;
  const memento = context.workspaceState;
  const history = new History(memento);
  const shapes = registerShapeFeatures(() => new ShapeDocument());
  const gradient: GradientDeps = { extensionUri, panels: GradientPanel.slot(extensionUri, memento), history, analysisOf: shapes.analysisOf, modulesOf: shapes.modulesOf };
  const matrix: MatrixDeps = { extensionUri, panels: matrixPanelSlot(extensionUri), history };
  const backprop: BackpropDeps = { extensionUri, panels: BackpropPanel.slot(extensionUri, memento), analysisOf: shapes.analysisOf, modulesOf: shapes.modulesOf };
  const reopen = async (id: string): Promise<boolean> => {
    const e = history.get(id);
    if (e?.kind === 'gradient' && e.text !== undefined) {
      const mode = e.mode === 'jacobian' || e.mode === 'hessian' ? e.mode : 'gradient';
      await reopenGradient(gradient, e.text, isLang(e.lang) ? e.lang : 'python', mode);
      return true;
    }
    if (e?.kind === 'matrix') {
      await reopenMatrix(matrix, e.text, e.uri);
      return true;
    }
    return false;
  };
  const side = new SideViewProvider(extensionUri, history, reopen);
  context.subscriptions.push(
    history,
    side,
    vscode.window.registerWebviewViewProvider(SideViewProvider.viewType, side),
    vscode.commands.registerCommand(
      'mathlens.openSidePanel',
      safely('Open Side Panel', async () => {
        await side.show();
        side.followNow();
      }),
    ),
    vscode.commands.registerCommand('mathlens.computeGradient', safely('Compute Gradient of Selection', () => computeGradientOfSelection(gradient))),
    vscode.commands.registerCommand('mathlens.computeJacobian', safely('Compute Jacobian of Selection', () => computeGradientOfSelection(gradient, 'jacobian'))),
    vscode.commands.registerCommand('mathlens.computeHessian', safely('Compute Hessian of Selection', () => computeGradientOfSelection(gradient, 'hessian'))),
    vscode.window.registerWebviewPanelSerializer(GradientPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the panel', (panel: vscode.WebviewPanel, _state: unknown) => gradient.panels.adopt(panel).restoreLast()),
    }),
    vscode.commands.registerCommand('mathlens.showBackpropGraph', safely('Show Backprop Graph', () => showBackpropGraph(backprop))),
    vscode.window.registerWebviewPanelSerializer(BackpropPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the backprop panel', (panel: vscode.WebviewPanel, _state: unknown) => backprop.panels.adopt(panel).restoreLast()),
    }),
    vscode.commands.registerCommand('mathlens.visualizeMatrix', safely('Visualize Matrix', () => visualizeMatrix(matrix))),
    vscode.window.registerWebviewPanelSerializer(MATRIX_VIEW_TYPE, {
      // The webview re-renders its last result from its own state.
      deserializeWebviewPanel: safely('restoring the matrix panel', (panel: vscode.WebviewPanel, _state: unknown) => void matrix.panels.adopt(panel)),
    }),
    vscode.window.registerCustomEditorProvider(NpyEditorProvider.viewType, new NpyEditorProvider(extensionUri, history), {
      supportsMultipleEditorsPerDocument: true,
    }),
    shapes.disposable,
    vscode.commands.registerCommand(TOGGLE_INLAY_HINTS_COMMAND, safely('Toggle Shape Inlay Hints', toggleShapeInlayHints)),
  );
}

export function deactivate(): void {}
