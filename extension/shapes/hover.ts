/**
 * The shape hover: reads the settings on each call and delegates to the
 * document's analysis (`at(offset)`) and to the pure Markdown builder.
 * Any failure means no hover, never an exception into the host.
 */
import * as vscode from 'vscode';
import type { ShapeDocuments } from './documents';
import { hoverMarkdown } from './format';

export class ShapeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly documents: ShapeDocuments) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    try {
      const analyzed = this.documents.get(document);
      if (!analyzed) return undefined;
      const offset = analyzed.lines.offsetAt(position);
      const info = analyzed.analysis.at(offset);
      if (!info) return undefined;
      const link = document.uri.scheme === 'untitled' ? undefined : document.uri.with({ fragment: `L${info.originLine}` }).toString();
      const md = hoverMarkdown(info, { originLink: link, cut: analyzed.analysis.cut });
      if (md === undefined) return undefined;
      const content = new vscode.MarkdownString(md, false);
      content.isTrusted = false;
      content.supportHtml = false;
      const from = analyzed.lines.positionAt(info.from);
      const to = analyzed.lines.positionAt(info.to);
      const range = info.to > info.from ? new vscode.Range(from.line, from.character, to.line, to.character) : undefined;
      return new vscode.Hover(content, range);
    } catch (e) {
      console.error('MathLens: shape hover failed:', e);
      return undefined;
    }
  }
}
