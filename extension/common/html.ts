/**
 * The panel's HTML and Content Security Policy, built in one place for new and
 * restored panels (and for the headless webview tests, which serve exactly
 * this page). Pure: no `vscode` import; the caller passes URIs already
 * converted with `webview.asWebviewUri` and the webview's `cspSource`.
 *
 * CSP decision: `style-src` allows only the webview's own files and the
 * per-load nonce, never `'unsafe-inline'`.
 * - @vscode-elements/elements (Lit) styles its shadow roots with constructable
 *   stylesheets (`adoptedStyleSheets`), which CSP does not restrict; where
 *   those are missing Lit falls back to `<style>` elements carrying
 *   `window.litNonce`, which the webview sets from its script's nonce.
 * - KaTeX is rendered with `katex.render` (DOM nodes, styles set through
 *   CSSOM, allowed), never `renderToString` + innerHTML (style attributes,
 *   blocked). KaTeX's own error span sets a `style` attribute, so the webview
 *   renders with `throwOnError: true` and draws its own fallback on a parse
 *   error (see webview/math.ts).
 * - Nothing uses `eval`, inline scripts or inline event handlers.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh nonce for this load: `makeNonce()`. */
  nonce: string;
  /** The webview bundle (dist/webview/main.js). */
  scriptUri: string;
  /** Stylesheets, in order (KaTeX's, then the panel's). */
  styleUris: string[];
  /** The document title (default "MathLens: Gradient"). */
  title?: string;
}

/** A 128-bit nonce from the OS's CSPRNG, base64 (CSP allows base64 nonces). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function panelCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** Escapes a value for a double-quoted HTML attribute. */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function panelHtml(parts: PanelHtmlParts): string {
  const { cspSource, nonce, scriptUri, styleUris, title = 'MathLens: Gradient' } = parts;
  const styles = styleUris.map((u) => `<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(u)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</title>
  </head>
  <body>
    <main id="app"></main>
    <script nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>
  </body>
</html>`;
}
