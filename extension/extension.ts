/**
 * Entry point of the extension host: wiring only. Commands and the panel
 * serializer are registered here; behaviour lives in computeCommand.ts and
 * gradientPanel.ts.
 */
import * as vscode from 'vscode';
import { computeGradientOfSelection } from './computeCommand';
import { GradientPanel } from './gradientPanel';
import { visualizeMatrix } from './matrixCommand';
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
  context.subscriptions.push(
    vscode.commands.registerCommand(
      'mathlens.computeGradient',
      safely('Compute Gradient of Selection', () => computeGradientOfSelection(extensionUri)),
    ),
    vscode.window.registerWebviewPanelSerializer(GradientPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the panel', (panel: vscode.WebviewPanel, _state: unknown) =>
        GradientPanel.revive(panel, extensionUri),
      ),
    }),
    vscode.commands.registerCommand('mathlens.visualizeMatrix', safely('Visualize Matrix', () => visualizeMatrix(extensionUri))),
    vscode.window.registerWebviewPanelSerializer(MatrixPanel.viewType, {
      deserializeWebviewPanel: safely('restoring the matrix panel', (panel: vscode.WebviewPanel, _state: unknown) => MatrixPanel.revive(panel, extensionUri)),
    }),
    vscode.window.registerCustomEditorProvider(NpyEditorProvider.viewType, new NpyEditorProvider(extensionUri), {
      supportsMultipleEditorsPerDocument: true,
    }),
    registerShapeFeatures(() => new ShapeDocument()),
    vscode.commands.registerCommand(TOGGLE_INLAY_HINTS_COMMAND, safely('Toggle Shape Inlay Hints', toggleShapeInlayHints)),
  );
}

export function deactivate(): void {}
