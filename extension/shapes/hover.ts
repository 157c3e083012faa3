/**
 * The shape hover: reads the settings on each call and delegates to the
 * document's analysis (`at(offset)`) and to the pure Markdown builder.
 * Any failure means no hover, never an exception into the host.
 */
import * as vscode from 'vscode';
import type { ShapeDocuments } from './documents';
import { hoverMarkdown } from './format';

/** Schemes where `#L12` cannot point at a line: untitled documents, notebook cells (the fragment names the cell). */
const NO_LINE_LINKS = new Set(['untitled', 'vscode-notebook-cell', 'vscode-interactive-input']);

export class ShapeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly documents: ShapeDocuments) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    try {
      const analyzed = this.documents.get(document);
      if (!analyzed) return undefined;
      const offset = analyzed.lines.offsetAt(position);
      const info = analyzed.analysis.at(offset);
      if (!info) return undefined;
      // A link to the line (file#L12), except where the fragment means something else or there is no file.
      const link = NO_LINE_LINKS.has(document.uri.scheme) ? undefined : document.uri.with({ fragment: `L${info.originLine}` }).toString();
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
