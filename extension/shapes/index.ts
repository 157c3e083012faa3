/**
 * Tensor shapes in the editor (issue 3): one object graph for the Python
 * analysis cache, the hover, the inlay hints and the diagnostics, released
 * by one disposable. `extension.ts` only calls `registerShapeFeatures`; the
 * commands that want the shapes around a selection use `analysisOf`.
 */
import * as vscode from 'vscode';
import { importedModuleTexts } from '../../core/shapes/imports';
import { ShapeDiagnostics } from './diagnostics';
import { ShapeDocuments, type ShapeEngineDocument } from './documents';
import { ShapeHoverProvider } from './hover';
import { ShapeInlayHintsProvider } from './inlayHints';
import { readShapeSettings, type ShapeSettings } from './settings';
import type { ShapeAnalysis } from '../../core/shapes/types';

export const TOGGLE_INLAY_HINTS_COMMAND = 'mathlens.shapes.toggleInlayHints';

const PYTHON: vscode.DocumentSelector = { language: 'python' };

/** The `mathlens.shapes.*` settings for a document (read on every request). */
export function shapeSettings(scope?: vscode.TextDocument): ShapeSettings {
  const config = vscode.workspace.getConfiguration('mathlens.shapes', scope);
  return readShapeSettings((key) => config.get(key));
}

/** The current analysis of a document (Python, shapes enabled), for the gradient and backprop commands. */
export type AnalysisOf = (document: vscode.TextDocument) => ShapeAnalysis | undefined;

/** The texts of the workspace modules a Python document imports names from (for the user's own functions). */
export type ModulesOf = (document: vscode.TextDocument) => string[];

export function registerShapeFeatures(createEngine: () => ShapeEngineDocument): { disposable: vscode.Disposable; analysisOf: AnalysisOf; modulesOf: ModulesOf } {
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
  const analysisOf: AnalysisOf = (document) => {
    try {
      return documents.get(document)?.analysis;
    } catch {
      return undefined; // shapes are a help here, never a reason to fail
    }
  };
  const modulesOf: ModulesOf = (document) => {
    try {
      const options = documents.optionsFor(document);
      return options?.host ? importedModuleTexts(document.getText(), options.file, options.host) : [];
    } catch {
      return [];
    }
  };
  return { disposable: vscode.Disposable.from(...disposables), analysisOf, modulesOf };
}

/** Flips `mathlens.shapes.inlayHints` in the user settings. */
export async function toggleShapeInlayHints(): Promise<void> {
  const config = vscode.workspace.getConfiguration('mathlens.shapes');
  await config.update('inlayHints', !readShapeSettings((key) => config.get(key)).inlayHints, vscode.ConfigurationTarget.Global);
}
