/**
 * The user's own functions defined in an imported workspace module (`from acts import *`): Compute
 * Gradient and the backprop graph differentiate a call through the module's body, and a definition in
 * the document replaces the module's, as Python's later binding does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsShapeHost } from '../../core/shapes/host';
import { importedModuleTexts } from '../../core/shapes/imports';
import { computeSelection } from '../../core/selection';
import { backpropGraph } from '../../core/backprop/index';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mathlens-fns-'));
  // A course's helper module whose "sigmoid" is really tanh, and a loss.
  fs.writeFileSync(path.join(dir, 'acts.py'), 'import numpy as np\n\ndef sigmoid(x):\n    return np.tanh(x)\n\ndef sq(u, v):\n    d = u - v\n    return d * d\n');
  fs.mkdirSync(path.join(dir, 'pkg'));
  fs.writeFileSync(path.join(dir, 'pkg', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'pkg', 'loss.py'), 'def half(u):\n    return 0.5 * u\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const DOC = 'import numpy as np\nfrom acts import *\nfrom pkg.loss import half\nfrom numpy import exp\n\nw, x, y = 0.5, 1.0, 2.0\nloss = sq(sigmoid(w*x), y)\n';

describe('functions from the workspace modules a document imports', () => {
  it('finds the modules a document imports names from (library modules and missing files skipped)', () => {
    const texts = importedModuleTexts(DOC, path.join(dir, 'main.py'), fsShapeHost(fs, dir));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('def sigmoid');
    expect(texts[1]).toContain('def half');
  });

  it('Compute Gradient differentiates an imported "sigmoid" through its body (tanh), never as σ', () => {
    const modules = importedModuleTexts(DOC, path.join(dir, 'main.py'), fsShapeHost(fs, dir));
    const r = computeSelection('sq(sigmoid(w*x), y)', { lang: 'python', budgetMs: 2000, mode: 'gradient' }, { documentText: DOC, modules });
    if (r.engine !== 'scalar' || !r.result.ok) throw new Error(JSON.stringify(r.result));
    const dw = r.result.gradient.find((g) => g.wrt === 'w')!;
    // ∂/∂w (tanh(wx) − y)² = 2(tanh(wx) − y)(1 − tanh²(wx))x
    expect(dw.text).toContain('tanh');
    expect(dw.text).not.toContain('sigmoid');
    expect(dw.latex).not.toContain('\\sigma');
    const [w, x, y] = [0.5, 1.0, 2.0];
    const t = Math.tanh(w * x);
    const want = 2 * (t - y) * (1 - t * t) * x;
    expect(r.result.check.passed).toBe(true);
    const f = new Function('w', 'x', 'y', 'np', `return ${dw.numpy};`);
    expect(f(w, x, y, { tanh: Math.tanh })).toBeCloseTo(want, 12);
  });

  it('a definition in the document replaces the module\'s', () => {
    const modules = importedModuleTexts(DOC, path.join(dir, 'main.py'), fsShapeHost(fs, dir));
    const doc = `${DOC}\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n`;
    const r = computeSelection('sigmoid(w*x)', { lang: 'python', budgetMs: 2000, mode: 'gradient' }, { documentText: doc, modules });
    if (r.engine !== 'scalar' || !r.result.ok) throw new Error(JSON.stringify(r.result));
    expect(r.result.gradient.find((g) => g.wrt === 'w')!.latex).toContain('\\sigma');
  });

  it('the backprop graph takes the modules too', () => {
    const modules = importedModuleTexts(DOC, path.join(dir, 'main.py'), fsShapeHost(fs, dir));
    const r = backpropGraph('a = sigmoid(w*x)\nloss = half(a)', { at: { w: 0.5, x: 1 }, definitions: [...modules, DOC] });
    if (!r.ok) throw new Error(r.error.message);
    const t = Math.tanh(0.5);
    expect(r.leaves.find((l) => l.name === 'w')!.grad).toBeCloseTo(0.5 * (1 - t * t) * 1, 12);
  });
});
