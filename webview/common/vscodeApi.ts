/**
 * The webview side of the VS Code API, typed with each panel's messages and
 * state from the shared protocol (core/protocol.ts). `acquireVsCodeApi` may be
 * called only once per load: every typed view of it below shares one handle.
 */
import type { PanelState, WebviewToExtension } from '../../core/protocol';

export interface WebviewApi<Out, State> {
  postMessage(message: Out): void;
  getState(): unknown;
  setState(state: State): void;
}

declare function acquireVsCodeApi(): WebviewApi<unknown, unknown>;

let api: WebviewApi<unknown, unknown> | undefined;

/** The one API handle, typed with a panel's outgoing messages and saved state. */
export function webviewApi<Out, State>(): WebviewApi<Out, State> {
  api ??= acquireVsCodeApi();
  return api as WebviewApi<Out, State>;
}

/** The gradient panel's view of it. */
export function vscodeApi(): WebviewApi<WebviewToExtension, PanelState> {
  return webviewApi<WebviewToExtension, PanelState>();
}
