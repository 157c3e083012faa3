/**
 * The gradient panel: scalar and matrix-calculus results (dist/webview/main.js), one panel beside the
 * editor reused for every request, restored after a window reload by the serializer registered in
 * extension.ts. Copy goes through `env.clipboard`, insert through common/insert.ts.
 */
import * as vscode from 'vscode';
import type { ExtensionToWebview, WebviewToExtension } from '../../core/protocol';
import { isExtensionToWebview, isWebviewToExtension } from '../../core/protocol';
import { insertBelow } from '../common/insert';
import { PanelHost, PanelSlot } from '../common/panelHost';

const LAST_KEY = 'mathlens.gradient.lastResult';

const isContent = (m: ExtensionToWebview): boolean => m.type === 'result' || m.type === 'matcalc';

export class GradientPanel extends PanelHost<ExtensionToWebview, WebviewToExtension> {
  static readonly viewType = 'mathlens.gradient';
  static readonly title = 'MathLens: Gradient';

  /**
   * @param memento where the last result is also kept, per workspace. The webview's own state is what
   * VS Code restores, but a browser refresh of VS Code for the Web can lose its latest update; the
   * memento is kept by the extension host, so a revived panel is brought up to date from it.
   */
  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly memento: vscode.Memento, onGone: () => void) {
    super(panel, extensionUri, {
      script: 'main.js',
      styles: ['main.css'],
      title: GradientPanel.title,
      keep: (m) => m.type === 'loading' || isContent(m),
      isMessage: isWebviewToExtension,
    }, onGone);
  }

  /** The one gradient panel of a window. */
  static slot(extensionUri: vscode.Uri, memento: vscode.Memento): PanelSlot<GradientPanel> {
    return new PanelSlot(GradientPanel.viewType, GradientPanel.title, (panel, onGone) => new GradientPanel(panel, extensionUri, memento, onGone));
  }

  /** A restored panel: its webview re-renders from its own state; the memento brings it up to date. */
  restoreLast(): void {
    const last = this.memento.get<unknown>(LAST_KEY);
    if (isExtensionToWebview(last) && isContent(last)) this.channel.setPending(last);
  }

  override post(message: ExtensionToWebview): void {
    if (isContent(message)) void this.memento.update(LAST_KEY, message);
    super.post(message);
  }

  protected async handle(message: WebviewToExtension): Promise<void> {
    switch (message.type) {
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        this.post({ type: 'copied', what: message.what });
        return;
      case 'insert':
        // Inserts the code below the selection the result came from, indented like it.
        this.post(await insertBelow(message));
        return;
    }
  }
}
