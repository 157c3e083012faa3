import { describe, expect, it } from 'vitest';
import { indentBlock, indentationOf, positionInDocument, trimmedLine } from '../../extension/common/positions';
import { chooseLang, langForLanguageId } from '../../extension/common/language';
import { readGradientSettings } from '../../extension/common/settings';
import { makeNonce, panelCsp, panelHtml } from '../../extension/common/html';
import { isBackpropPanelState, isBackpropToExtension, isExtensionToBackprop, isExtensionToWebview, isNumeric, isPanelState, isWebviewToExtension } from '../../core/protocol';
import { backpropGraph } from '../../core/backprop/index';
import { computeSelection } from '../../core/selection';

describe('positionInDocument', () => {
  const start = { line: 4, character: 8 };
  it('stays on the first line, shifted by the start column', () => {
    expect(positionInDocument('x + * y', 4, start)).toEqual({ line: 4, character: 12 });
    expect(positionInDocument('x', 0, start)).toEqual(start);
  });
  it('counts \\n, \\r\\n and \\r line breaks; later lines start at column 0', () => {
    expect(positionInDocument('a = 1\nb = *', 10, start)).toEqual({ line: 5, character: 4 });
    expect(positionInDocument('a = 1\r\nb = *', 11, start)).toEqual({ line: 5, character: 4 });
    expect(positionInDocument('a\rb\rc', 4, start)).toEqual({ line: 6, character: 0 });
    expect(positionInDocument('a\r\nb', 2, start)).toEqual({ line: 4, character: 9 }); // between \r and \n
  });
  it('clamps bad offsets', () => {
    expect(positionInDocument('ab', 99, start)).toEqual({ line: 4, character: 10 });
    expect(positionInDocument('ab', -3, start)).toEqual(start);
    expect(positionInDocument('ab', Number.NaN, start)).toEqual(start);
  });
});

describe('line helpers', () => {
  it('trims the current line and reports where its text starts', () => {
    expect(trimmedLine('    return x**2  ')).toEqual({ text: 'return x**2', character: 4 });
    expect(trimmedLine('   ')).toEqual({ text: '', character: 0 });
  });
  it('indents a block like the selection and ends it with the document EOL', () => {
    expect(indentationOf('\t  y = 1')).toBe('\t  ');
    expect(indentBlock('# ∂f/∂x\ndf_dx = 2*x\n\n', '    ')).toBe('    # ∂f/∂x\n    df_dx = 2*x\n\n\n');
    expect(indentBlock('a\nb', '  ', '\r\n')).toBe('  a\r\n  b\r\n');
  });
});

describe('language and settings', () => {
  it('maps document languages', () => {
    expect(langForLanguageId('python')).toBe('python');
    expect(langForLanguageId('typescriptreact')).toBe('javascript');
    expect(langForLanguageId('markdown')).toBe('latex');
    expect(langForLanguageId('plaintext')).toBe('math');
  });
  it('lets the setting override, unless auto or invalid', () => {
    expect(chooseLang('latex', 'python')).toBe('latex');
    expect(chooseLang('auto', 'python')).toBe('python');
    expect(chooseLang(42, 'javascript')).toBe('javascript');
  });
  it('reads settings with defaults and clamps the budget', () => {
    const get = (o: Record<string, unknown>) => (k: string) => o[k];
    expect(readGradientSettings(get({}), 'python')).toEqual({ lang: 'python', budgetMs: 2000, showSteps: true });
    expect(readGradientSettings(get({ timeBudgetMs: 1, showSteps: false, language: 'math' }), 'python')).toEqual({ lang: 'math', budgetMs: 50, showSteps: false });
    expect(readGradientSettings(get({ timeBudgetMs: 1e9 }), 'x').budgetMs).toBe(60000);
    expect(readGradientSettings(get({ timeBudgetMs: 'fast' }), 'x').budgetMs).toBe(2000);
  });
});

describe('panel HTML', () => {
  it('has a strict CSP with a fresh nonce and no inline script', () => {
    const a = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(makeNonce()).not.toBe(a);
    const csp = panelCsp('https://x.vscode-cdn.net', a);
    expect(csp).toBe(`default-src 'none'; style-src https://x.vscode-cdn.net 'nonce-${a}'; font-src https://x.vscode-cdn.net; script-src 'nonce-${a}'; img-src https://x.vscode-cdn.net data:`);
    const html = panelHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: a, scriptUri: 'https://x/main.js?a="b"', styleUris: ['https://x/k.css'] });
    expect(html).toContain(`<script nonce="${a}" src="https://x/main.js?a=&quot;b&quot;"></script>`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/unsafe-/);
  });
});

describe('protocol guards', () => {
  it('accepts the webview messages and rejects others', () => {
    expect(isWebviewToExtension({ type: 'ready' })).toBe(true);
    expect(isWebviewToExtension({ type: 'copy', text: 'x', what: { format: 'numpy', wrt: 'x' } })).toBe(true);
    expect(isWebviewToExtension({ type: 'copy', text: 'x', what: { format: 'html' } })).toBe(false);
    expect(isWebviewToExtension({ type: 'insert', code: 'a', target: { uri: 'file:///a.py', startLine: 2, endLine: 3 } })).toBe(true);
    expect(isWebviewToExtension({ type: 'insert', code: 'a', target: { uri: 'file:///a.py', startLine: 3, endLine: 2 } })).toBe(false);
    expect(isWebviewToExtension({ type: 'run', code: 'a' })).toBe(false);
    expect(isWebviewToExtension(null)).toBe(false);
  });
  it('accepts extension messages and panel state', () => {
    const result = { type: 'result', result: { ok: false, error: { message: 'm', offset: 0, length: 1 } }, source: { text: 't', lang: 'math', start: { line: 0, character: 0 }, endLine: 0 }, view: { showSteps: true } };
    expect(isExtensionToWebview(result)).toBe(true);
    expect(isExtensionToWebview({ ...result, source: { ...result.source, lang: 'cobol' } })).toBe(false);
    expect(isExtensionToWebview({ type: 'loading', text: 'x', lang: 'python' })).toBe(true);
    expect(isPanelState({ version: 1, last: result, open: { x: false } })).toBe(true);
    expect(isPanelState({ version: 1, open: { x: 'yes' } })).toBe(false);
    expect(isPanelState({ version: 2 })).toBe(false);
  });

  it('matrix-calculus results: the message and the state with the shapes used', () => {
    const r = computeSelection('# x: (d,), A: (d, d)\nx.T @ A @ x', { lang: 'python', budgetMs: 2000, mode: 'gradient' });
    if (r.engine !== 'matcalc') throw new Error('expected matrix calculus');
    const source = { text: 'x.T @ A @ x', lang: 'python', start: { line: 0, character: 0 }, endLine: 0 };
    const msg = { type: 'matcalc', result: r.result, source, view: { showSteps: true }, shapes: [{ name: 'x', shape: '(d,)', from: 'comment', line: 1 }] };
    expect(isExtensionToWebview(msg)).toBe(true);
    expect(isPanelState({ version: 1, last: msg })).toBe(true);
    expect(isExtensionToWebview({ ...msg, shapes: [{ name: 'x', shape: '(d,)', from: 'guess' }] })).toBe(false);
    expect(isExtensionToWebview({ ...msg, result: { ...r.result, kind: 'laplacian' } })).toBe(false);
  });

  it('the backprop panel: real results in, checked intents out', () => {
    const result = backpropGraph('z = w*x + b; loss = z**2');
    const msg = { type: 'backprop', result, source: { text: 'z = w*x + b; loss = z**2', start: { line: 3, character: 0 }, endLine: 3 }, at: {} };
    expect(isExtensionToBackprop(msg)).toBe(true);
    expect(isBackpropPanelState({ version: 1, last: msg, step: 4, selected: 2, collapsed: false })).toBe(true);
    expect(isBackpropPanelState({ version: 1, step: -1 })).toBe(false);
    expect(isExtensionToBackprop({ type: 'revealed', ok: true, text: 'Line 4' })).toBe(true);
    expect(isBackpropToExtension({ type: 'reveal', from: 4, to: 9 })).toBe(true);
    expect(isBackpropToExtension({ type: 'reveal', from: 9, to: 4 })).toBe(false);
    expect(isBackpropToExtension({ type: 'recompute', at: { w: 0.5, W: [[1, 2], [3, 4]] } })).toBe(true);
    expect(isBackpropToExtension({ type: 'recompute', at: { w: Number.NaN } })).toBe(false);
    expect(isBackpropToExtension({ type: 'recompute', at: { 'w; import os': 1 } })).toBe(false);
    expect(isBackpropToExtension({ type: 'recompute', at: { w: '1' } })).toBe(false);
    expect(isNumeric([[[[[1]]]]])).toBe(false); // deeper than 4 levels
    expect(isNumeric(new Array(100_001).fill(0))).toBe(false);
  });
});
