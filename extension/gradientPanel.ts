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
  /** True once the webview's script said `ready` (and until it is unloaded). */
  private ready = false;
  /** The latest loading/result message not yet delivered to a ready webview. */
  private pending: ExtensionToWebview | undefined;
  private disposed = false;

  /** Shows the panel beside the editor (without taking focus), creating it if needed. */
  static createOrShow(extensionUri: vscode.Uri): GradientPanel {
    const existing = GradientPanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      GradientPanel.viewType,
      GradientPanel.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      GradientPanel.webviewOptions(extensionUri),
    );
    GradientPanel.current = new GradientPanel(panel, extensionUri);
    return GradientPanel.current;
  }

  /** A panel restored after a reload: its webview keeps its last result in its own state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
    GradientPanel.current?.dispose();
    panel.webview.options = GradientPanel.webviewOptions(extensionUri);
    const revived = new GradientPanel(panel, extensionUri);
    const last = GradientPanel.memento?.get<unknown>(GradientPanel.lastKey);
    if (isExtensionToWebview(last) && (last.type === 'result' || last.type === 'matcalc')) revived.pending = last;
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
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden a hidden webview is unloaded; it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  /** Sends a message now if the webview listens, else keeps the latest one for its `ready`. */
  post(message: ExtensionToWebview): void {
    if (message.type === 'loading' || message.type === 'result' || message.type === 'matcalc') this.pending = message;
    if (message.type === 'result' || message.type === 'matcalc') void GradientPanel.memento?.update(GradientPanel.lastKey, message);
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message).then((delivered) => {
      if (delivered && this.pending === message) this.pending = undefined;
    });
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
          this.ready = true;
          if (this.pending) this.post(this.pending);
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
