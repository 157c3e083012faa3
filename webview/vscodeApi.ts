/**
 * The webview side of the VS Code API, typed with the shared protocol.
 * `acquireVsCodeApi` may be called only once per load.
 */
import type { PanelState, WebviewToExtension } from '../core/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
