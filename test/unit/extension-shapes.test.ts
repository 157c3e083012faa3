import { describe, expect, it } from 'vitest';
import { codeSpan, describeKind, escapeMarkdown, formatShape, hintLabel, hoverMarkdown, stepMarkdown } from '../../extension/shapes/format';
import { LineIndex } from '../../extension/shapes/lines';
import { DEFAULT_DEBOUNCE_MS, readShapeSettings } from '../../extension/shapes/settings';
import type { ShapeInfo } from '../../core/shapes/types';

const info = (over: Partial<ShapeInfo> = {}): ShapeInfo => ({
  from: 0,
  to: 5,
  text: 'table',
  kind: 'tensor',
  lib: 'numpy',
  shape: [4, 5],
  steps: [],
  originLine: 12,
  ...over,
});

describe('formatShape', () => {
  it('prints shapes as Python tuples', () => {
    expect(formatShape([4, 5])).toBe('(4, 5)');
    expect(formatShape(['B', 16, 32, 32])).toBe('(B, 16, 32, 32)');
    expect(formatShape([5])).toBe('(5,)');
    expect(formatShape([])).toBe('()');
  });
  it('marks unknown dimensions and shapes', () => {
    expect(formatShape([null, 'H - 2'])).toBe('(?, H - 2)');
    expect(formatShape(null)).toBe('unknown');
  });
});

describe('Markdown escaping', () => {
  it('escapes everything Markdown could read, and joins lines', () => {
    expect(escapeMarkdown('a*b_c [x](y) <b>`c`')).toBe('a\\*b\\_c \\[x\\]\\(y\\) \\<b\\>\\`c\\`');
    expect(escapeMarkdown('# h\n- item')).toBe('\\# h \\- item');
    expect(escapeMarkdown('&amp; http://x')).toBe('\\&amp; http\\://x');
  });
  it('builds code spans that hold backticks', () => {
    expect(codeSpan('x @ W')).toBe('`x @ W`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`a`')).toBe('`` `a` ``');
  });
});

describe('hoverMarkdown', () => {
  it('shows the expression, the library, the shape, the derivation and the origin line', () => {
    const md = hoverMarkdown(
      info({ steps: [{ rule: 'broadcast', detail: 'broadcast (4, 1) with (5,) → (4, 5)' }] }),
      { originLink: 'file:///w/shapes_cnn.py#L12' },
    )!;
    expect(md).toBe(
      [
        '`table` : NumPy array, shape `(4, 5)`',
        '',
        '**Derivation**',
        '',
        '1. broadcast \\(4, 1\\) with \\(5,\\) → \\(4, 5\\)',
        '',
        'From [line 12](<file:///w/shapes_cnn.py#L12>)',
      ].join('\n'),
    );
  });
  it('names PyTorch tensors and writes the origin as text without a link', () => {
    const md = hoverMarkdown(info({ text: 'c1', lib: 'torch', shape: ['B', 16, 32, 32], originLine: 3 }))!;
    expect(md).toContain('`c1` : PyTorch tensor, shape `(B, 16, 32, 32)`');
    expect(md).toContain('From line 3');
    expect(md).not.toContain('](');
  });
  it('escapes user text in steps and keeps hostile expressions in code spans', () => {
    const md = hoverMarkdown(
      info({ text: 'x[`<img src=x>`]', steps: [{ rule: '<b>rule</b>', detail: '[click](command:evil)' }] }),
    )!;
    expect(md).toContain('``x[`<img src=x>`]``');
    expect(md).toContain('1. *\\<b\\>rule\\</b\\>*: \\[click\\]\\(command\\:evil\\)');
    expect(md).not.toMatch(/[^\\]\[click\]/);
  });
  it('shows known integers and unknown tensor shapes; nothing for an unknown value', () => {
    expect(hoverMarkdown(info({ text: 'n', kind: 'int', lib: undefined, shape: null, value: 64 }))).toContain('`n` : int = `64`');
    expect(hoverMarkdown(info({ shape: null }))).toContain('NumPy array, shape unknown');
    expect(hoverMarkdown(info({ kind: 'unknown', lib: undefined, shape: null }))).toBeUndefined();
    expect(hoverMarkdown(info({ text: 'self', kind: 'module', lib: undefined, shape: null }))).toBeUndefined();
    expect(hoverMarkdown(info({ text: 'lr', kind: 'float', lib: undefined, shape: null }))).toBeUndefined();
    const pair = hoverMarkdown(info({ text: 'torch.max(x, 1)', kind: 'tuple', lib: 'torch', shape: null, steps: [{ rule: 'max(dim)', detail: 'a pair (values, indices)' }] }));
    expect(pair).toContain('`torch.max(x, 1)` : tuple');
  });
  it('says when the analysis was cut by its budget', () => {
    expect(hoverMarkdown(info(), { cut: 'time budget of 1000 ms' })).toContain(
      '*The analysis of this file stopped early (time budget of 1000 ms); later shapes may be missing.*',
    );
    expect(hoverMarkdown(info())).not.toContain('stopped early');
  });
  it('shortens long expressions in the title', () => {
    const md = hoverMarkdown(info({ text: 'a +\n b'.repeat(40) }))!;
    expect(md.split('\n')[0]!.length).toBeLessThan(130);
    expect(md.split('\n')[0]).toContain('…');
  });
  it('puts the rule before a detail that does not start with it', () => {
    expect(stepMarkdown('conv2d output size', 'H = ⌊(32 + 2·1 − 1·(3−1) − 1)/1⌋ + 1 = 32')).toBe(
      '*conv2d output size*: H = ⌊\\(32 \\+ 2·1 − 1·\\(3−1\\) − 1\\)/1⌋ \\+ 1 = 32',
    );
    expect(stepMarkdown('matmul', '')).toBe('*matmul*');
  });
  it('describes kinds', () => {
    expect(describeKind({ kind: 'tensor', lib: 'torch' })).toBe('PyTorch tensor');
    expect(describeKind({ kind: 'module', lib: 'torch' })).toBe('PyTorch module');
    expect(describeKind({ kind: 'tensor' })).toBe('array');
  });
});

describe('hintLabel', () => {
  it('keeps short labels and shortens long ones to one line', () => {
    expect(hintLabel('(64, 3)')).toBe('(64, 3)');
    expect(hintLabel(' (B,\n 10) ')).toBe('(B, 10)');
    const long = hintLabel(`(${Array.from({ length: 30 }, (_, i) => i).join(', ')})`);
    expect(long.length).toBe(48);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('LineIndex', () => {
  it('maps offsets to positions and back with \\n, \\r\\n and \\r', () => {
    const text = 'ab\ncd\r\nef\rg';
    const lines = new LineIndex(text);
    expect(lines.lineCount).toBe(4);
    const pos = [...text].map((_, i) => lines.positionAt(i));
    expect(pos[0]).toEqual({ line: 0, character: 0 });
    expect(pos[3]).toEqual({ line: 1, character: 0 });
    expect(pos[5]).toEqual({ line: 1, character: 2 }); // the \r of \r\n
    expect(pos[6]).toEqual({ line: 1, character: 2 }); // between \r and \n: the end of the line
    expect(pos[7]).toEqual({ line: 2, character: 0 });
    expect(pos[10]).toEqual({ line: 3, character: 0 });
    expect(lines.positionAt(text.length)).toEqual({ line: 3, character: 1 });
    for (const i of [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11]) expect(lines.offsetAt(lines.positionAt(i))).toBe(i);
  });
  it('clamps offsets and positions', () => {
    const lines = new LineIndex('ab\ncd');
    expect(lines.positionAt(-4)).toEqual({ line: 0, character: 0 });
    expect(lines.positionAt(99)).toEqual({ line: 1, character: 2 });
    expect(lines.positionAt(Number.NaN)).toEqual({ line: 0, character: 0 });
    expect(lines.offsetAt({ line: 0, character: 99 })).toBe(2);
    expect(lines.offsetAt({ line: 7, character: 1 })).toBe(4);
    expect(lines.offsetAt({ line: -1, character: -1 })).toBe(0);
  });
  it('counts UTF-16 code units, as VS Code does', () => {
    const lines = new LineIndex('# 𝑥\ny = 1');
    expect(lines.positionAt(6)).toEqual({ line: 1, character: 1 });
    expect(lines.offsetAt({ line: 0, character: 4 })).toBe(4);
  });
  it('handles the empty text', () => {
    const lines = new LineIndex('');
    expect(lines.lineCount).toBe(1);
    expect(lines.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(lines.offsetAt({ line: 3, character: 3 })).toBe(0);
  });
});

describe('readShapeSettings', () => {
  it('has defaults and validates values', () => {
    expect(readShapeSettings(() => undefined)).toEqual({ enabled: true, inlayHints: true, debounceMs: DEFAULT_DEBOUNCE_MS });
    const values: Record<string, unknown> = { enabled: false, inlayHints: false, debounceMs: 30.4 };
    expect(readShapeSettings((k) => values[k])).toEqual({ enabled: false, inlayHints: false, debounceMs: 30 });
    expect(readShapeSettings((k) => ({ enabled: 'yes', debounceMs: -5 })[k]).debounceMs).toBe(0);
    expect(readShapeSettings((k) => ({ debounceMs: 1e9 })[k]).debounceMs).toBe(5000);
    expect(readShapeSettings((k) => ({ debounceMs: Number.NaN })[k]).debounceMs).toBe(DEFAULT_DEBOUNCE_MS);
  });
});
