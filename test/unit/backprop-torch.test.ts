// The backprop graph against PyTorch autograd: test/fixtures/backprop/torch-autograd.json was written by
// test/fixtures/backprop/generate.py (Debian's python3-torch 1.13, float64) — every input leaf's value
// and torch's gradient of the output, for forward passes from a deep-learning course. The script also
// executed our generated NumPy backward code and recorded that it reproduces torch's gradients.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backpropGraph } from '../../core/backprop';

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

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'backprop', 'torch-autograd.json'), 'utf8')) as {
  torch: string;
  codegen_ok: boolean;
  cases: Case[];
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
