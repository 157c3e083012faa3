/**
 * The handshake every MathLens webview does with the host, written once for
 * the gradient panel, the matrix panel / .npy viewer and the backprop panel.
 *
 * A webview can only receive messages once its script runs and says `ready`.
 * A hidden webview whose context is not retained is unloaded, and says
 * `ready` again when shown. So the channel keeps the latest "content" message
 * (what the panel shows; notices such as `copied` are not kept) and sends it
 * on every `ready` until it is known to be delivered.
 */
import * as vscode from 'vscode';

export class WebviewChannel<Out> implements vscode.Disposable {
  private ready = false;
  private pending: Out | undefined;
  private disposed = false;
  private readonly subscription: vscode.Disposable;

  /** `keep(message)`: whether the message is content to re-send after a reload (else a one-off notice). */
  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly keep: (message: Out) => boolean,
  ) {
    this.subscription = panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready = false;
    });
  }

  /** Sends now if the webview listens, else keeps the latest content message for its `ready`. */
  post(message: Out): void {
    if (this.keep(message)) this.pending = message;
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message).then((delivered) => {
      if (delivered && this.pending === message) this.pending = undefined;
    });
  }

  /** What a revived panel should show once its webview is ready. */
  setPending(message: Out): void {
    this.pending = message;
  }

  /** The webview said `ready`. */
  onReady(): void {
    this.ready = true;
    if (this.pending !== undefined) this.post(this.pending);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}
