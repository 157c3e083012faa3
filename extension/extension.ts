/**
 * Entry point of the extension host: wiring only. Commands and the panel
 * serializer are registered here; behaviour lives in computeCommand.ts and
 * gradientPanel.ts.
 */
import * as vscode from 'vscode';
import { computeGradientOfSelection, reopenGradient, setHistory, setShapeAnalysis } from './computeCommand';
import { GradientPanel } from './gradientPanel';
import { BackpropPanel, showBackpropGraph } from './backpropPanel';
import { reopenMatrix, setMatrixHistory, visualizeMatrix } from './matrixCommand';
import { History } from './side/history';
import { SideViewProvider } from './side/provider';
import { isLang } from '../core/protocol';
import { MatrixPanel, NpyEditorProvider } from './matrixPanel';
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
  GradientPanel.memento = context.workspaceState;
  BackpropPanel.memento = context.workspaceState;
  const history = new History(context.workspaceState);
  setHistory(history);
  setMatrixHistory(history);
  const reopen = async (id: string): Promise<boolean> => {
    const e = history.get(id);
    if (e?.kind === 'gradient' && e.text !== undefined) {
      const mode = e.mode === 'jacobian' || e.mode === 'hessian' ? e.mode : 'gradient';
      await reopenGradient(extensionUri, e.text, isLang(e.lang) ? e.lang : 'python', mode);
      return true;
    }
    if (e?.kind === 'matrix') {
      await reopenMatrix(extensionUri, e.text, e.uri);
      return true;
    }
    return false;
  };
  const side = new SideViewProvider(extensionUri, history, reopen);
  const shapes = registerShapeFeatures(() => new ShapeDocument());
  setShapeAnalysis(shapes.analysisOf);
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
    vscode.commands.registerCommand(
      'mathlens.computeGradient',
      safely('Compute Gradient of Selection', () => computeGradientOfSelection(extensionUri)),
    ),
    vscode.commands.registerCommand(
      'mathlens.computeJacobian',
      safely('Compute Jacobian of Selection', () => computeGradientOfSelection(extensionUri, 'jacobian')),
    ),
    vscode.commands.registerCommand(
      'mathlens.computeHessian',
      safely('Compute Hessian of Selection', () => computeGradientOfSelection(extensionUri, 'hessian')),
    ),
    vscode.window.registerWebviewPanelSerializer(GradientPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the panel', (panel: vscode.WebviewPanel, _state: unknown) =>
        GradientPanel.revive(panel, extensionUri),
      ),
    }),
    vscode.commands.registerCommand('mathlens.showBackpropGraph', safely('Show Backprop Graph', () => showBackpropGraph(extensionUri))),
    vscode.window.registerWebviewPanelSerializer(BackpropPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the backprop panel', (panel: vscode.WebviewPanel, _state: unknown) => BackpropPanel.revive(panel, extensionUri)),
    }),
    vscode.commands.registerCommand('mathlens.visualizeMatrix', safely('Visualize Matrix', () => visualizeMatrix(extensionUri))),
    vscode.window.registerWebviewPanelSerializer(MatrixPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the matrix panel', (panel: vscode.WebviewPanel, _state: unknown) => MatrixPanel.revive(panel, extensionUri)),
    }),
    vscode.window.registerCustomEditorProvider(NpyEditorProvider.viewType, new NpyEditorProvider(extensionUri, history), {
      supportsMultipleEditorsPerDocument: true,
    }),
    shapes.disposable,
    vscode.commands.registerCommand(TOGGLE_INLAY_HINTS_COMMAND, safely('Toggle Shape Inlay Hints', toggleShapeInlayHints)),
  );
}

export function deactivate(): void {}
