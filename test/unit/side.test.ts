/**
 * The side view's host session (core/side.ts, core/statsView.ts): what a selection is, and the
 * messages of each tab built from the engines.
 */
import { describe, expect, it } from 'vitest';
import { SideSession, bayesData, classifySelection, distributionData, galleryItems, looksLikeData } from '../../core/side';

const SRC = { text: '' };

describe('what a selection is', () => {
  it('one variable is a plot, two are the playground, numbers are data, else a reason', () => {
    expect(classifySelection('np.tanh(x)', 'python')).toEqual({ kind: 'plot' });
    expect(classifySelection('(1 - x)**2 + 100*(y - x**2)**2', 'python')).toEqual({ kind: 'optimize' });
    expect(classifySelection('[1.5, 2, 3.25, 4]', 'python')).toEqual({ kind: 'data' });
    expect(classifySelection('height,weight\n1.7,65\n1.8,80\n1.6,55', 'python')).toEqual({ kind: 'data' });
    const none = classifySelection('x + y + z', 'python');
    expect(none.kind).toBe('none');
    expect(classifySelection('np.sin(', 'python').kind).toBe('none');
  });
  it('data is only numbers (with an optional header line)', () => {
    expect(looksLikeData('np.array([1, 2, 3])')).toBe(true);
    expect(looksLikeData('1 2 3\n4 5 6')).toBe(true);
    expect(looksLikeData('x + 1')).toBe(false);
    expect(looksLikeData('2*x')).toBe(false);
  });
});

describe('the Plot tab', () => {
  it('plots f and f′, answers zoomed ranges and points, and breaks curves at poles', () => {
    const s = new SideSession();
    const r = s.plot('1/x', 'python', SRC);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.variable).toBe('x');
    expect(r.data.latex.df).toMatch(/x/);
    const z = s.samples(-2, 2)!;
    expect(z.asymptotes.some((a) => Math.abs(a) < 1e-6)).toBe(true);
    // no segment crosses x = 0
    for (const seg of z.f) {
      let neg = false;
      let pos = false;
      for (let i = 0; i < seg.length; i += 2) {
        if (seg[i]! < 0) neg = true;
        if (seg[i]! > 0) pos = true;
      }
      expect(neg && pos).toBe(false);
    }
    const p = s.point(2)!;
    expect(p.f).toBeCloseTo(0.5, 12);
    expect(p.df).toBeCloseTo(-0.25, 12);
  });
  it('the gallery has the eight activations with their derivatives', () => {
    const g = galleryItems();
    expect(g).toHaveLength(8);
    expect(g.every((x) => x.latex.f && x.latex.df && x.samples.f.length > 0)).toBe(true);
    expect(g.find((x) => /sigmoid/i.test(x.name))!.saturates.length).toBeGreaterThan(0);
  });
});

describe('the Plot tab reads a selection as every command does (core/reading.ts)', () => {
  it('a plotting call is not plotted, says why, and names no variable pl or plt', () => {
    const text = "plt.plot(x, z, color='#ff7f0e')";
    const kind = classifySelection(text, 'python');
    expect(kind.kind).toBe('none');
    if (kind.kind !== 'none') return;
    expect(kind.reason).toMatch(/plt\.plot\(…\) is a plotting call/);
    const s = new SideSession();
    const r = s.plot(text, 'python', SRC);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/plotting call/);
    expect(r.message).not.toMatch(/\bpl\b|unknown method/);
  });
  it('a logistic loss under np.mean is a function of p and y (the playground), never of np', () => {
    const text = '-np.mean(y*np.log(p) + (1-y)*np.log(1-p))';
    expect(classifySelection(text, 'python')).toEqual({ kind: 'optimize' });
    const r = new SideSession().objective(text, 'python', SRC);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.objective.variables).toEqual(['p', 'y']);
    expect(r.data.notes.join(' ')).toMatch(/np\.mean of a number is that number/);
  });
  it('np.mean of an expression of one variable is plotted as that expression, with a note', () => {
    const s = new SideSession();
    const r = s.plot('-np.mean(np.log(p))', 'python', SRC);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.variable).toBe('p');
    expect(r.data.latex.f).toMatch(/\\ln/);
    expect(r.data.notes.join(' ')).toMatch(/np\.mean of a number/);
    expect(s.point(2)!.f).toBeCloseTo(-Math.log(2), 12);
  });
  it('a module name is never the variable: "-np" (half of a selection being dragged) is not f(np) = −np', () => {
    for (const t of ['-np', 'np', 'plt', 'torch']) {
      const k = classifySelection(t, 'python');
      expect(k.kind).toBe('none');
      if (k.kind === 'none') expect(k.reason).toMatch(/name of a module, not a variable/);
    }
  });
  it('a failed selection keeps the plot shown before (which the view marks stale), answering its zooms', () => {
    const s = new SideSession();
    expect(s.plot('x**2', 'python', { text: 'x**2' }).ok).toBe(true);
    expect(s.plot("plt.plot(x, z, color='#ff7f0e')", 'python', SRC).ok).toBe(false);
    expect(s.plotted?.text).toBe('x**2');
    expect(s.point(3)!.f).toBe(9);
  });
  it('torch.sigmoid(w*x+b) has three variables (w, x, b): neither a plot nor the playground', () => {
    const k = classifySelection('torch.sigmoid(w*x+b)', 'python');
    expect(k.kind).toBe('none');
    if (k.kind === 'none') expect(k.reason).toMatch(/3 variables \(b, w, x\)/);
  });
  it('a reduction along an axis and array operations are arrays, not numbers', () => {
    const a = classifySelection('np.mean(x, axis=0)', 'python');
    expect(a.kind === 'none' && a.reason).toMatch(/array, not a number/);
    const b = classifySelection('x @ w', 'python');
    expect(b.kind === 'none' && b.reason).toMatch(/arrays, not of numbers/);
  });
});

describe('the Optimize tab', () => {
  it('a preset gives the grid, contours, arrows and six trajectories; new settings give new trajectories', () => {
    const s = new SideSession();
    const r = s.preset('rosenbrock');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.trajectories.map((t) => t.name)).toEqual(['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    expect(r.data.grid.values.length).toBe(r.data.grid.nx * r.data.grid.ny);
    expect(r.data.contours.length).toBeGreaterThan(0);
    const t = s.run({ ...r.data.settings, steps: 10, lr: 1 })!;
    // a learning rate of 1 on Rosenbrock diverges for plain gradient descent, and says so
    expect(t.find((x) => x.name === 'gd')!.diverged).toBeDefined();
  });
  it('a selection of two variables is the objective', () => {
    const s = new SideSession();
    const r = s.objective('x**2 + 5*y**2', 'python', { text: 'x**2 + 5*y**2' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.data.objective.variables).toEqual(['x', 'y']);
  });
});

describe('the Statistics tab', () => {
  it('one column: the descriptive table, histogram and box plot', () => {
    const s = new SideSession();
    const r = s.statistics('[2, 4, 4, 4, 5, 5, 7, 9]', SRC);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.data.columns[0]!;
    const row = (l: string) => c.rows.find((x) => x.label === l)!.value;
    expect(row('mean')).toBe('5');
    expect(row('std (n)')).toBe('2');
    expect(c.histogram.counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(c.box!.median).toBe(4.5);
    expect(r.data.pair).toBeUndefined();
  });
  it('two columns: correlation, regression, t-tests and Mann–Whitney with their formulas', () => {
    const s = new SideSession();
    const r = s.statistics('x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n5,10.1\n6,12.2', SRC);
    if (!r.ok) throw new Error(r.message);
    const pair = r.data.pair!;
    expect(pair.names).toEqual(['x', 'y']);
    expect(pair.points).toHaveLength(12);
    expect(pair.regression!.slope).toBeGreaterThan(1.9);
    const titles = pair.tests.map((t) => t.title);
    expect(titles).toEqual(expect.arrayContaining(['Pearson correlation', "Welch's t-test", 'Paired t-test', 'Mann–Whitney U']));
    expect(pair.tests.every((t) => t.note || t.latex.length > 0)).toBe(true);
  });
  it('a selection that is not data says why', () => {
    expect(new SideSession().statistics('[1, 2, x]', SRC).ok).toBe(false);
  });
});

describe('the Distributions tab', () => {
  it('curves, mean and variance for valid parameters; a message for invalid ones', () => {
    const d = distributionData('normal', { mu: 1, sigma: 2 });
    expect(d.mean).toBe(1);
    expect(d.variance).toBe(4);
    expect(d.x.length).toBe(d.pdf.length);
    expect(d.params.map((p) => p.key)).toEqual(['mu', 'sigma']);
    const b = distributionData('binomial', { n: 10, p: 0.5 });
    expect(b.discrete).toBe(true);
    expect(b.pdf.reduce((a: number, y) => a + (y ?? 0), 0)).toBeCloseTo(1, 9);
    const bad = distributionData('normal', { mu: 0, sigma: -1 });
    expect(bad.error).toMatch(/σ|sigma|standard deviation/i);
    expect(bad.x).toEqual([]);
  });
  it("Bayes' rule", () => {
    const r = bayesData(0.01, 0.9, 0.05);
    expect(r.evidence).toBeCloseTo(0.01 * 0.9 + 0.99 * 0.05, 15);
    expect(r.posterior).toBeCloseTo((0.01 * 0.9) / r.evidence, 15);
    expect(r.latex).toContain('P(');
  });
});

describe('the adaptive optimisers have their own learning rate', () => {
  it('defaults scaled to the view, used by the runs, and visible in each update rule', () => {
    const s = new SideSession();
    const r = s.preset('rosenbrock');
    if (!r.ok) throw new Error(r.message);
    const lrs = r.data.settings.lrs!;
    expect(lrs.adam).toBeGreaterThan(r.data.settings.lr);
    // Adam gets much further down the valley with its own rate than with GD's
    const own = s.run({ ...r.data.settings, steps: 500 })!.find((t) => t.name === 'adam')!;
    const shared = s.run({ ...r.data.settings, lrs: {}, steps: 500 })!.find((t) => t.name === 'adam')!;
    expect(own.losses[own.losses.length - 1]!).toBeLessThan(shared.losses[shared.losses.length - 1]! / 10);
    expect(own.latex).toContain(String(lrs.adam));
  });
});
