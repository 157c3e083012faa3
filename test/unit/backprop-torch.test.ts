// The backprop graph against PyTorch autograd: test/fixtures/backprop/torch-autograd.json was written by
// test/fixtures/backprop/generate.py (Debian's python3-torch 1.13, float64) — every input leaf's value
// and torch's gradient of the output, for forward passes from a deep-learning course. The script also
// executed our generated NumPy backward code and recorded that it reproduces torch's gradients.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backpropGraph } from '../../core/backprop';
import type { Numeric } from '../../core/backprop';

interface Case {
  name: string;
  code: string;
  at: Record<string, number>;
  output: string;
  value: number;
  leaves: { name: string; value: number; grad: number }[];
  numpy: string;
  codegen_ok: boolean;
}

interface ShapedCase {
  name: string;
  code: string;
  at: Record<string, Numeric>;
  shapes: string | null;
  targets: string[];
  output: string;
  value: number;
  leaves: { name: string; shape: number[]; value: Numeric; grad: Numeric }[];
  numpy: string;
  codegen_ok: boolean;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'backprop', 'torch-autograd.json'), 'utf8')) as {
  torch: string;
  codegen_ok: boolean;
  cases: Case[];
  shaped_cases: ShapedCase[];
};

/** |a − b| ≤ 1e-12 · max(|a|, |b|), with exact zeros compared exactly (up to 1e-300). */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;

describe('agreement with PyTorch autograd (float64)', () => {
  it('has at least 25 forward passes, generated with torch 1.13', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(25);
    expect(fixture.torch.startsWith('1.13')).toBe(true);
  });

  it('the fixture script ran our NumPy backward code and it reproduced torch (codegen_ok)', () => {
    expect(fixture.codegen_ok).toBe(true);
    for (const c of fixture.cases) expect(c.codegen_ok, c.name).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: output, value and every leaf's gradient to 1e-12`, () => {
      const r = backpropGraph(c.code, { at: c.at });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.output).toBe(c.output);
      expect(close(r.nodes[r.outputId]!.value as number, c.value), `value ${r.nodes[r.outputId]!.value} vs ${c.value}`).toBe(true);
      expect(r.leaves.map((l) => l.name).sort()).toEqual(c.leaves.map((l) => l.name).sort());
      for (const l of c.leaves) {
        const ours = r.leaves.find((x) => x.name === l.name)!;
        expect(ours.value).toBe(l.value);
        expect(close(ours.grad as number, l.grad), `${l.name}: ${ours.grad} vs torch ${l.grad}`).toBe(true);
      }
      // The code the script verified is the code we write now.
      expect(r.numpy).toBe(c.numpy);
    });
  }
});

const flat = (v: Numeric): number[] => (typeof v === 'number' ? [v] : v.flatMap(flat));
/** Entrywise |a − b| ≤ 1e-10 · max(|a|, |b|) (exact zeros compared exactly, up to 1e-300). */
const closeArrays = (a: Numeric, b: Numeric): string | undefined => {
  const x = flat(a);
  const y = flat(b);
  if (x.length !== y.length) return `${x.length} entries vs ${y.length}`;
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i]! - y[i]!) <= 1e-10 * Math.max(Math.abs(x[i]!), Math.abs(y[i]!)) + 1e-300)) return `entry ${i}: ${x[i]} vs torch ${y[i]}`;
  }
  return undefined;
};

describe('agreement with PyTorch autograd on vectors and matrices (float64)', () => {
  it('has at least 15 shaped forward passes, and our NumPy code reproduced torch on each', () => {
    expect(fixture.shaped_cases.length).toBeGreaterThanOrEqual(15);
    for (const c of fixture.shaped_cases) expect(c.codegen_ok, c.name).toBe(true);
  });

  for (const c of fixture.shaped_cases) {
    it(`${c.name}: output, value, shapes and every gradient entry to 1e-10`, () => {
      const r = backpropGraph(c.code, { at: c.at, ...(c.shapes ? { shapes: c.shapes } : {}) });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.output).toBe(c.output);
      const out = r.nodes[r.outputId]!;
      expect(out.shape).toBeUndefined();
      expect(Math.abs((out.value as number) - c.value) <= 1e-10 * Math.abs(c.value) + 1e-300, `value ${out.value} vs ${c.value}`).toBe(true);
      expect(r.leaves.map((l) => l.name)).toEqual(c.leaves.map((l) => l.name));
      for (const l of c.leaves) {
        const ours = r.leaves.find((x) => x.name === l.name)!;
        expect(ours.shape ?? [], l.name).toEqual(l.shape);
        expect(ours.value, l.name).toEqual(l.value);
        if (c.targets.includes(l.name)) continue; // class indices: data, no gradient
        const bad = closeArrays(ours.grad, l.grad);
        expect(bad, `${l.name}: ${bad}`).toBeUndefined();
      }
      // Every node's gradient has the node's shape.
      for (const n of r.nodes) if (n.grad !== null) expect(flat(n.grad).length, n.label).toBe((n.shape ?? []).reduce((a, b) => a * b, 1));
      expect(r.numpy).toBe(c.numpy);
    });
  }
});
