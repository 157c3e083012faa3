import { describe, expect, it } from 'vitest';
import { backpropGraph } from '../../core/backprop/index';
import { forPanel, PANEL_MAX_ENTRIES, sampleArray, shownIndices } from '../../core/backprop/panel';
import { backpropJson } from '../../core/cli';

describe('forPanel', () => {
  it('keeps the indices the panel shows along each long axis', () => {
    expect(shownIndices(4)).toEqual([0, 1, 2, 3]);
    expect(shownIndices(300)).toEqual([0, 1, 2, 298, 299]);
    const m = Array.from({ length: 50 }, (_, i) => Array.from({ length: 40 }, (_, j) => i * 100 + j));
    expect(sampleArray(m)).toEqual([0, 1, 2, 48, 49].map((i) => [0, 1, 2, 38, 39].map((j) => i * 100 + j)));
    const small = [[1, 2], [3, 4]];
    expect(sampleArray(small)).toBe(small);
  });

  it('a large batch is sent by its corners, with true shapes and a note; small graphs are sent as they are', () => {
    const r = backpropGraph('# X: (300, 40), w: (40,)\nz = X @ w\nloss = np.mean(np.tanh(z)**2)');
    if (!r.ok) throw new Error(r.error.message);
    const p = forPanel(r);
    expect(p.sampled).toBe(true);
    expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify(r).length / 10);
    const X = p.leaves.find((l) => l.name === 'X')!;
    expect(X.shape).toEqual([300, 40]);
    expect((X.value as number[][]).length).toBe(5);
    const z = p.nodes.find((n) => n.name === 'z')!;
    expect(z.shape).toEqual([300]);
    expect((z.grad as number[]).length).toBe(300); // 300 ≤ PANEL_MAX_ENTRIES: whole
    expect((p.nodes.find((n) => n.name === 'w')!.value as number[]).length).toBe(40); // 40 ≤ PANEL_MAX_ENTRIES: whole
    expect(40).toBeLessThanOrEqual(PANEL_MAX_ENTRIES);
    expect(p.notes.at(-1)).toMatch(/corners/);
    // The CLI keeps every entry.
    const cli = backpropJson(r) as { leaves: { name: string; value: number[][] }[] };
    expect(cli.leaves.find((l) => l.name === 'X')!.value.length).toBe(300);
    const scalar = backpropGraph('z = w*x + b; loss = z**2');
    if (!scalar.ok) throw new Error(scalar.error.message);
    expect(forPanel(scalar)).toBe(scalar);
  });
});
