/**
 * Shape errors as diagnostics: the 'mathlens' collection is set from each
 * analysis as it lands (so it follows the same debounce) and cleared for a
 * document when its analysis is dropped (closed, disabled).
 */
import * as vscode from 'vscode';
import type { ShapeDiagnostic } from '../../core/shapes/types';
import type { AnalysisEvent, ShapeDocuments } from './documents';
import type { LineIndex } from './lines';

export const DIAGNOSTIC_SOURCE = 'MathLens';

export class ShapeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mathlens');
  private readonly subscription: vscode.Disposable;

  constructor(documents: ShapeDocuments) {
    this.subscription = documents.onDidAnalyze((e) => this.update(e));
  }

  private update({ uri, result }: AnalysisEvent): void {
    try {
      if (!result) {
        this.collection.delete(uri);
        return;
      }
      this.collection.set(uri, result.analysis.diagnostics.map((d) => toDiagnostic(d, result.lines, uri)));
    } catch (e) {
      console.error('MathLens: shape diagnostics failed:', e);
      this.collection.delete(uri);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

function toDiagnostic(d: ShapeDiagnostic, lines: LineIndex, uri: vscode.Uri): vscode.Diagnostic {
  const range = (a: number, b: number) => {
    const from = lines.positionAt(a);
    const to = lines.positionAt(Math.max(a, b));
    return new vscode.Range(from.line, from.character, to.line, to.character);
  };
  // 'information': an error the program catches on purpose (a try around it), not a problem to fix
  const severity = d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : d.severity === 'information' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Error;
  const diagnostic = new vscode.Diagnostic(range(d.from, d.to), d.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.code;
  // e.g. the nn.Sequential layer that receives the wrong size, or each call of a function that fails
  // inside it, one click away in the Problems panel
  if (d.related?.length) diagnostic.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range(r.from, r.to)), r.message));
  return diagnostic;
}
