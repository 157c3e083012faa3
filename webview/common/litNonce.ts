/**
 * Lit (under @vscode-elements/elements) styles shadow roots with constructable
 * stylesheets, which CSP allows. Where those are unavailable it falls back to
 * `<style>` elements and stamps them with `window.litNonce`: give it our
 * script's nonce so the fallback passes the CSP too. Imported first.
 */
const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.nonce) {
  (globalThis as { litNonce?: string }).litNonce = script.nonce;
}
