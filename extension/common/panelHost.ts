/**
 * What every MathLens webview panel shares, written once: the HTML under the
 * strict CSP, the webview options (scripts on, only dist/webview loadable),
 * the ready handshake (WebviewChannel), the message listener with its guard
 * and error report, and disposal. A panel subclass only says which bundle it
 * loads and answers its own messages.
 */
import * as vscode from 'vscode';
import { makeNonce, panelHtml } from './html';
import { WebviewChannel } from './webviewChannel';

/** The one place that decides what a MathLens webview may do and load. */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

export interface PanelSpec<Out, In> {
  /** The bundle in dist/webview (`backprop.js`). */
  script: string;
  /** Its stylesheets in dist/webview, after KaTeX's. */
  styles: string[];
  title: string;
  /** Whether a message is content to re-send after a reload (else a one-off notice). */
  keep: (message: Out) => boolean;
  /** The guard of the webview's messages. */
  isMessage: (x: unknown) => x is In;
}

export abstract class PanelHost<Out, In extends { type: string }> implements vscode.Disposable {
  protected readonly channel: WebviewChannel<Out>;
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly spec: PanelSpec<Out, In>,
    /** Called once when the panel goes (so a `current` slot can forget it). */
    private readonly onGone: () => void = () => undefined,
  ) {
    const webview = panel.webview;
    webview.options = panelWebviewOptions(extensionUri);
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asset(spec.script),
      styleUris: [asset('katex.min.css'), ...spec.styles.map(asset)],
      title: spec.title,
    });
    this.channel = new WebviewChannel(panel, spec.keep);
    this.disposables.push(
      this.channel,
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  /** Sends now if the webview listens, else keeps the latest content message for its `ready`. */
  post(message: Out): void {
    this.channel.post(message);
  }

  /** Answers a message from the webview other than `ready`. */
  protected abstract handle(message: In): Promise<void>;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onGone();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!this.spec.isMessage(raw)) return;
    if (raw.type === 'ready') {
      this.channel.onReady();
      return;
    }
    try {
      await this.handle(raw);
    } catch (e) {
      void vscode.window.showErrorMessage(`MathLens: ${raw.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * The one panel of a kind: shown again if it exists, else created beside the editor; a restored
 * panel replaces it.
 */
export class PanelSlot<P extends { readonly panel: vscode.WebviewPanel; dispose(): void }> {
  private current: P | undefined;

  constructor(
    private readonly viewType: string,
    private readonly title: string,
    private readonly make: (panel: vscode.WebviewPanel, onGone: () => void) => P,
  ) {}

  /** Shows the panel beside the editor (without taking focus), creating it if needed. */
  show(extensionUri: vscode.Uri): P {
    const existing = this.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      this.viewType,
      this.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelWebviewOptions(extensionUri),
    );
    return this.adopt(panel);
  }

  /** A panel restored after a reload takes the slot. */
  adopt(panel: vscode.WebviewPanel): P {
    this.current?.dispose();
    const p: P = this.make(panel, () => {
      if (this.current === p) this.current = undefined;
    });
    this.current = p;
    return p;
  }
}
