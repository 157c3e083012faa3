/* global document */ // (in frame.evaluate callbacks, which run in the webview)
// What the e2e tests know about the MathLens panel (webview/): its title, the command,
// and the data-testid hooks it renders.
import { waitFor } from './harness.mjs';

export const COMMAND = 'MathLens: Compute Gradient of Selection';
export const PANEL_TITLE = 'MathLens';

/**
 * Waits until the panel shows `expect` ('partial-x' or 'error') and returns what it shows:
 * { expression, partialTex, error, check, checkBadge, katexCount, text }.
 */
export async function readPanel(frame, { expect, timeout = 30_000 } = {}) {
  const sel = `[data-testid="${expect}"]`;
  await waitFor(`the MathLens panel to show ${sel}`, async () => (await frame.locator(sel).count()) > 0, { timeout }).catch(async (e) => {
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    throw new Error(`${e.message}; the panel shows: ${JSON.stringify(text.slice(0, 500))}`);
  });
  if (expect === 'partial-x') {
    await waitFor('KaTeX in data-testid="partial-x"', async () => (await frame.locator(`${sel} .katex`).count()) > 0, { timeout: 10_000 });
  }
  return frame.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const txt = (id) => (q(id) ? q(id).textContent.trim() : null);
    // The derivative itself (.partial-result, shown next to the heading); else the first formula.
    const px = q('partial-x');
    const ann = px?.querySelector('.partial-result annotation[encoding="application/x-tex"]') ?? px?.querySelector('annotation[encoding="application/x-tex"]');
    return {
      expression: txt('expression'),
      partialTex: ann ? ann.textContent : null,
      error: txt('error'),
      check: txt('check'),
      checkBadge: txt('check-badge'),
      katexCount: document.querySelectorAll('.katex').length,
      text: document.body.innerText.slice(0, 2000),
    };
  });
}

/** Is this LaTeX an exact form of d/dx 1/(1+e^{-x})? */
export function isSigmoidDerivative(tex) {
  const s = tex
    .replace(/\\left|\\right|\\,|\\;|\\!|\\cdot|\s+/g, '')
    .replace(/\\mathrm\{e\}/g, 'e')
    .replace(/\\exp\(([^()]*)\)/g, 'e^{$1}');
  const forms = [
    /^\\sigma\(x\)\(1-\\sigma\(x\)\)$/, // σ(x)(1 − σ(x))
    /^\(1-\\sigma\(x\)\)\\sigma\(x\)$/,
    /^\\sigma\(x\)-\\sigma\(x\)\^\{?2\}?$/, // σ − σ²
    /^\\frac\{e\^\{-x\}\}\{\(1\+e\^\{-x\}\)\^\{?2\}?\}$/, // e^{-x} / (1 + e^{-x})^2
    /^\\frac\{e\^\{-x\}\}\{\(e\^\{-x\}\+1\)\^\{?2\}?\}$/,
    /^\\frac\{e\^\{x\}\}\{\(1\+e\^\{x\}\)\^\{?2\}?\}$/,
    /^\\frac\{e\^\{x\}\}\{\(e\^\{x\}\+1\)\^\{?2\}?\}$/,
  ];
  return forms.some((re) => re.test(s));
}
