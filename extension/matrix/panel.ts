/**
 * The matrix webview (dist/webview/matrix.js) in two hosts:
 * - `matrixPanelSlot`: "MathLens: Visualize Matrix", one panel beside the editor, reused, restored after a
 *   reload by its serializer (the webview keeps its last result in its own state);
 * - `NpyEditorProvider`: a read-only custom editor for .npy/.npz files.
 * Both hand the webview what core/linalg/present.ts computed; the slicing controls of N-D arrays and
 * .npz archives come back as `slice` messages and are answered by computing again.
 */
import * as vscode from 'vscode';
import { matrixPanelData, type PresentOptions } from '../../core/linalg/present';
import type { MatrixSource, MatrixToWebview, WebviewToMatrix } from '../../core/protocol';
import { isWebviewToMatrix } from '../../core/protocol';
import { PanelHost, PanelSlot } from '../common/panelHost';
import type { History } from '../side/history';

/** What was shown, to answer slice requests (kept in memory only: a revived panel has its picture but not its input). */
interface Shown {
  input: string | Uint8Array;
  options: PresentOptions;
}

/** A webview showing matrices: the panel's and the .npy viewer's. Answers copy and slice requests. */
export class MatrixView extends PanelHost<MatrixToWebview, WebviewToMatrix> {
  shown: Shown | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, title: string, onGone: () => void = () => undefined) {
    super(panel, extensionUri, { script: 'matrix.js', styles: ['matrix.css'], title, keep: (m) => m.type !== 'copied', isMessage: isWebviewToMatrix }, onGone);
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

  protected async handle(message: WebviewToMatrix): Promise<void> {
    switch (message.type) {
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
  }
}

export const MATRIX_VIEW_TYPE = 'mathlens.matrix';
const MATRIX_TITLE = 'MathLens: Matrix';

/** "Visualize Matrix": one panel beside the editor, reused, restored after a reload (the webview keeps its last result). */
export function matrixPanelSlot(extensionUri: vscode.Uri): PanelSlot<MatrixView> {
  return new PanelSlot(MATRIX_VIEW_TYPE, MATRIX_TITLE, (panel, onGone) => new MatrixView(panel, extensionUri, MATRIX_TITLE, onGone));
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
    const view = new MatrixView(panel, this.extensionUri, `MathLens: ${name}`);
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
