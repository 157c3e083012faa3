// Node-side helpers for run.mjs: the real panel HTML builder (so the test page has the panel's exact CSP).
export { makeNonce, panelCsp, panelHtml } from '../../extension/common/html';
