/**
 * A stand-in for the VS Code webview API, bundled before webview/main.ts in
 * the test page. It records every posted message in `window.__posted` and
 * keeps the webview state in sessionStorage, so it survives a reload like
 * VS Code's does.
 */
const KEY = 'mathlens-test-state';

interface TestWindow {
  __posted: unknown[];
  acquireVsCodeApi?: () => unknown;
}

const w = window as unknown as TestWindow;
w.__posted = [];
let acquired = false;
w.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi called twice');
  acquired = true;
  return {
    postMessage: (message: unknown) => void w.__posted.push(JSON.parse(JSON.stringify(message))),
    getState: () => {
      const s = sessionStorage.getItem(KEY);
      return s === null ? undefined : JSON.parse(s);
    },
    setState: (state: unknown) => {
      sessionStorage.setItem(KEY, JSON.stringify(state));
      return state;
    },
  };
};
