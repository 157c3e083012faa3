/**
 * The MathLens panel: one webview panel beside the editor, reused for every
 * request, restored after a window reload by the serializer registered in
 * extension.ts. All of the panel's behaviour lives here.
 */
import * as vscode from 'vscode';
import type { CopyMessage, ExtensionToWebview, InsertMessage, WebviewToExtension } from '../core/protocol';
import { isExtensionToWebview, isWebviewToExtension } from '../core/protocol';
import { makeNonce, panelHtml } from './html';
import { insertBelow } from './insert';
import { createPanelBeside, revealPanel, WebviewChannel } from './webviewChannel';

export class GradientPanel {
  static readonly viewType = 'mathlens.gradient';
  static readonly title = 'MathLens: Gradient';

  private static current: GradientPanel | undefined;
  /**
   * Where the last result is also kept, per workspace. The webview's own state is what VS Code
   * restores, but a browser refresh of VS Code for the Web can lose its latest update; the memento
   * is kept by the extension host, so a revived panel is brought up to date from it.
   */
  static memento: vscode.Memento | undefined;
  private static readonly lastKey = 'mathlens.gradient.lastResult';

  private readonly disposables: vscode.Disposable[] = [];
  private readonly channel: WebviewChannel<ExtensionToWebview>;
  private disposed = false;

  /** Shows the panel beside the editor (without taking focus), creating it if needed. */
  static createOrShow(extensionUri: vscode.Uri): GradientPanel {
    const existing = GradientPanel.current;
    if (existing) {
      revealPanel(existing.panel);
      return existing;
    }
    const panel = createPanelBeside(GradientPanel.viewType, GradientPanel.title, GradientPanel.webviewOptions(extensionUri));
    GradientPanel.current = new GradientPanel(panel, extensionUri);
    return GradientPanel.current;
  }

  /** A panel restored after a reload: its webview keeps its last result in its own state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
    GradientPanel.current?.dispose();
    panel.webview.options = GradientPanel.webviewOptions(extensionUri);
    const revived = new GradientPanel(panel, extensionUri);
    const last = GradientPanel.memento?.get<unknown>(GradientPanel.lastKey);
    if (isExtensionToWebview(last) && (last.type === 'result' || last.type === 'matcalc')) revived.channel.setPending(last);
    GradientPanel.current = revived;
  }

  /** The one place that decides what the webview may do and load. */
  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
  ) {
    panel.webview.html = this.html();
    this.channel = new WebviewChannel(panel, (m) => m.type === 'loading' || m.type === 'result' || m.type === 'matcalc');
    this.disposables.push(
      this.channel,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  /** Sends a message now if the webview listens, else keeps the latest one for its `ready`. */
  post(message: ExtensionToWebview): void {
    if (message.type === 'result' || message.type === 'matcalc') void GradientPanel.memento?.update(GradientPanel.lastKey, message);
    this.channel.post(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (GradientPanel.current === this) GradientPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name)).toString();
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('main.js'),
      styleUris: [asset('katex.min.css'), asset('main.css')],
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewToExtension(raw)) return;
    const message: WebviewToExtension = raw;
    try {
      switch (message.type) {
        case 'ready':
          this.channel.onReady();
          return;
        case 'copy':
          return await this.copy(message);
        case 'insert':
          return await this.insert(message);
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`MathLens: ${message.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async copy(message: CopyMessage): Promise<void> {
    await vscode.env.clipboard.writeText(message.text);
    this.post({ type: 'copied', what: message.what });
  }

  /** Inserts the code below the selection the result came from, indented like it. */
  private async insert(message: InsertMessage): Promise<void> {
    this.post(await insertBelow(message));
  }
}
