/**
 * The matrix webview (dist/webview/matrix.js) in two hosts:
 * - `MatrixPanel`: "MathLens: Visualize Matrix", one panel beside the editor, reused, restored after a
 *   reload by its serializer (the webview keeps its last result in its own state);
 * - `NpyEditorProvider`: a read-only custom editor for .npy/.npz files.
 * Both hand the webview what core/linalg/present.ts computed; the slicing controls of N-D arrays and
 * .npz archives come back as `slice` messages and are answered by computing again.
 */
import * as vscode from 'vscode';
import { matrixPanelData, type PresentOptions } from '../core/linalg/present';
import type { MatrixSource, MatrixToWebview, WebviewToMatrix } from '../core/protocol';
import { isWebviewToMatrix } from '../core/protocol';
import { makeNonce, panelHtml } from './html';
import { createPanelBeside, revealPanel, WebviewChannel } from './webviewChannel';
import type { History } from './side/history';

/** What was shown, to answer slice requests (kept in memory only: a revived panel has its picture but not its input). */
interface Shown {
  input: string | Uint8Array;
  options: PresentOptions;
}

/** A webview showing matrices: HTML, the ready handshake, copy, and slicing. */
class MatrixView implements vscode.Disposable {
  private readonly channel: WebviewChannel<MatrixToWebview>;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  shown: Shown | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    title: string,
    private readonly onGone: () => void,
  ) {
    panel.webview.options = matrixWebviewOptions(extensionUri);
    const webview = panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    panel.webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('matrix.js'),
      styleUris: [asset('katex.min.css'), asset('matrix.css')],
      title,
    });
    this.channel = new WebviewChannel(panel, (m) => m.type !== 'copied');
    this.disposables.push(
      this.channel,
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  /** Sends now if the webview listens, else keeps the latest message for its `ready`. */
  post(message: MatrixToWebview): void {
    this.channel.post(message);
  }

  /** Computes and shows; a failure is shown in the panel with its position. */
  show(input: string | Uint8Array, options: PresentOptions, errorSource?: { text: string; start?: { line: number; character: number } }): void {
    this.shown = { input, options };
    const r = matrixPanelData(input, options);
    if (r.ok) this.post({ type: 'matrix', data: r.data });
    else {
      const error = { message: r.error.message, kind: r.error.kind, ...(r.error.offset !== undefined ? { offset: r.error.offset } : {}), ...(r.error.length !== undefined ? { length: r.error.length } : {}) };
      this.post({ type: 'matrixError', title: options.title, error, ...(errorSource ? { source: errorSource } : {}) });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onGone();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewToMatrix(raw)) return;
    const message: WebviewToMatrix = raw;
    try {
      switch (message.type) {
        case 'ready':
          this.channel.onReady();
          return;
        case 'copy':
          await vscode.env.clipboard.writeText(message.text);
          this.post({ type: 'copied', what: message.what });
          return;
        case 'slice': {
          if (!this.shown) {
            void vscode.window.showInformationMessage('MathLens: run the command (or reopen the file) again to choose another slice.');
            return;
          }
          const options: PresentOptions = { ...this.shown.options, slice: message.index };
          if (message.array !== undefined) {
            options.arrayName = message.array;
            // another array of the archive: its own shape, so start at its first slice unless asked
            if (message.array !== this.shown.options.arrayName && message.index.length === 0) delete options.slice;
          }
          this.show(this.shown.input, options);
          return;
        }
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`MathLens: ${message.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** The one place that decides what the matrix webview may do and load. */
export function matrixWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

export class MatrixPanel {
  static readonly viewType = 'mathlens.matrix';
  static readonly title = 'MathLens: Matrix';
  private static current: MatrixView | undefined;

  static createOrShow(extensionUri: vscode.Uri): MatrixView {
    const existing = MatrixPanel.current;
    if (existing) {
      revealPanel(existing.panel);
      return existing;
    }
    const panel = createPanelBeside(MatrixPanel.viewType, MatrixPanel.title, matrixWebviewOptions(extensionUri));
    const view = new MatrixView(panel, extensionUri, MatrixPanel.title, () => {
      if (MatrixPanel.current === view) MatrixPanel.current = undefined;
    });
    MatrixPanel.current = view;
    return view;
  }

  /** After a reload: the webview re-renders its last result from its own state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
    MatrixPanel.current?.dispose();
    const view = new MatrixView(panel, extensionUri, MatrixPanel.title, () => {
      if (MatrixPanel.current === view) MatrixPanel.current = undefined;
    });
    MatrixPanel.current = view;
  }
}

/** Files larger than this are refused before reading (a 4096×4096 float64 array is 128 MiB). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

class NpyDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** The read-only viewer of .npy and .npz files. */
export class NpyEditorProvider implements vscode.CustomReadonlyEditorProvider<NpyDocument> {
  static readonly viewType = 'mathlens.npyViewer';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly history?: History,
  ) {}

  openCustomDocument(uri: vscode.Uri): NpyDocument {
    return new NpyDocument(uri);
  }

  async resolveCustomEditor(document: NpyDocument, panel: vscode.WebviewPanel): Promise<void> {
    const name = document.uri.path.split('/').pop() ?? document.uri.toString();
    const view = new MatrixView(panel, this.extensionUri, `MathLens: ${name}`, () => undefined);
    const source: MatrixSource = { kind: 'file', uri: document.uri.toString(), name };
    const options: PresentOptions = { title: name, source };
    view.post({ type: 'matrixLoading', title: name });
    try {
      const stat = await vscode.workspace.fs.stat(document.uri);
      if (stat.size > MAX_FILE_BYTES) {
        view.post({ type: 'matrixError', title: name, error: { message: `the file is ${(stat.size / 2 ** 20).toFixed(0)} MiB; files up to ${MAX_FILE_BYTES / 2 ** 20} MiB are shown`, kind: 'size' } });
        return;
      }
      const bytes = await vscode.workspace.fs.readFile(document.uri);
      await vscode.window.withProgress({ location: { viewId: 'workbench.view.explorer' }, title: `MathLens: reading ${name}` }, async () => {
        await new Promise((r) => setImmediate(r));
        view.show(bytes, options);
      });
      this.history?.add({ kind: 'matrix', title: name, uri: document.uri.toString() });
    } catch (e) {
      view.post({ type: 'matrixError', title: name, error: { message: `cannot read the file: ${e instanceof Error ? e.message : String(e)}`, kind: 'file' } });
    }
  }
}
