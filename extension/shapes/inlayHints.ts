/**
 * Inlay hints: the shape at the end of each assignment line (the analysis's
 * `hints`), when `mathlens.shapes.inlayHints` is on. They are refreshed
 * whenever an analysis lands and when the settings change.
 */
import * as vscode from 'vscode';
import type { ShapeDocuments } from './documents';
import { hintLabel } from './format';
import type { ShapeSettings } from './settings';

export class ShapeInlayHintsProvider implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(
    private readonly documents: ShapeDocuments,
    private readonly settings: (scope?: vscode.TextDocument) => ShapeSettings,
  ) {
    this.disposables.push(
      documents.onDidAnalyze(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathlens.shapes')) this.changed.fire();
      }),
    );
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    try {
      const settings = this.settings(document);
      if (!settings.enabled || !settings.inlayHints) return [];
      const analyzed = this.documents.get(document);
      if (!analyzed) return [];
      const out: vscode.InlayHint[] = [];
      for (const hint of analyzed.analysis.hints) {
        const p = analyzed.lines.positionAt(hint.offset);
        const position = new vscode.Position(p.line, p.character);
        if (!range.contains(position)) continue;
        const label = hintLabel(hint.label);
        if (!label) continue;
        const h = new vscode.InlayHint(position, label, vscode.InlayHintKind.Type);
        h.paddingLeft = true;
        h.tooltip = `Shape (MathLens): ${hint.label}`;
        out.push(h);
      }
      return out;
    } catch (e) {
      console.error('MathLens: shape inlay hints failed:', e);
      return [];
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
