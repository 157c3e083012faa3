/**
 * The matrix webview's side of the VS Code API, typed with the matrix panel's
 * messages and state (core/protocol.ts). `acquireVsCodeApi` may be called only
 * once per load; this bundle never loads webview/vscodeApi.ts, so the two
 * wrappers cannot both call it.
 */
import type { MatrixPanelState, WebviewToMatrix } from '../../core/protocol';

export interface MatrixApi {
  postMessage(message: WebviewToMatrix): void;
  getState(): unknown;
  setState(state: MatrixPanelState): void;
}

declare function acquireVsCodeApi(): MatrixApi;

let api: MatrixApi | undefined;

export function matrixApi(): MatrixApi {
  api ??= acquireVsCodeApi();
  return api;
}
