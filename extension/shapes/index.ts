/**
 * Tensor shapes in the editor (issue 3): one object graph for the Python
 * analysis cache, the hover, the inlay hints and the diagnostics, released
 * by one disposable. `extension.ts` only calls `registerShapeFeatures`.
 */
import * as vscode from 'vscode';
import { ShapeDiagnostics } from './diagnostics';
import { ShapeDocuments, type ShapeEngineDocument } from './documents';
import { ShapeHoverProvider } from './hover';
import { ShapeInlayHintsProvider } from './inlayHints';
import { readShapeSettings, type ShapeSettings } from './settings';

export const TOGGLE_INLAY_HINTS_COMMAND = 'mathlens.shapes.toggleInlayHints';

const PYTHON: vscode.DocumentSelector = { language: 'python' };

/** The `mathlens.shapes.*` settings for a document (read on every request). */
export function shapeSettings(scope?: vscode.TextDocument): ShapeSettings {
  const config = vscode.workspace.getConfiguration('mathlens.shapes', scope);
  return readShapeSettings((key) => config.get(key));
}

export function registerShapeFeatures(createEngine: () => ShapeEngineDocument): vscode.Disposable {
  const documents = new ShapeDocuments(createEngine, shapeSettings);
  const hints = new ShapeInlayHintsProvider(documents, shapeSettings);
  const disposables: vscode.Disposable[] = [
    // The providers and the diagnostics subscribe to `documents`: they go first.
    new ShapeDiagnostics(documents),
    hints,
    vscode.languages.registerHoverProvider(PYTHON, new ShapeHoverProvider(documents)),
    vscode.languages.registerInlayHintsProvider(PYTHON, hints),
    documents,
  ];
  return vscode.Disposable.from(...disposables);
}

/** Flips `mathlens.shapes.inlayHints` in the user settings. */
export async function toggleShapeInlayHints(): Promise<void> {
  const config = vscode.workspace.getConfiguration('mathlens.shapes');
  await config.update('inlayHints', !readShapeSettings((key) => config.get(key)).inlayHints, vscode.ConfigurationTarget.Global);
}
