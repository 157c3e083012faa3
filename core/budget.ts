/**
 * A time and work budget shared by every stage of a computation. Engine loops
 * call `tick()`; once the deadline or the node allowance is passed, `tick()`
 * throws `BudgetExceeded`, which the entry points catch and report as "cut".
 * Reading the clock is cheap but not free, so it is read every 256 ticks.
 */
export class BudgetExceeded extends Error {
  constructor(readonly stage: string, readonly reason: 'time' | 'size' | 'depth') {
    super(`${stage} was cut: ${reason === 'time' ? 'time budget exhausted' : reason === 'size' ? 'expression grew too large' : 'nesting too deep'}`);
  }
}

export class Budget {
  private ticks = 0;
  readonly deadline: number;
  stage = 'computation';

  constructor(
    readonly ms: number = 2000,
    /** Upper bound on tree nodes any single result may have. */
    readonly maxNodes: number = 200_000,
    /** Upper bound on recursion depth in tree walks. */
    readonly maxDepth: number = 2000,
    private readonly now: () => number = defaultNow,
  ) {
    this.deadline = now() + ms;
  }

  tick(): void {
    if ((++this.ticks & 255) === 0 && this.now() > this.deadline) throw new BudgetExceeded(this.stage, 'time');
  }

  checkDepth(depth: number): void {
    if (depth > this.maxDepth) throw new BudgetExceeded(this.stage, 'depth');
  }

  checkSize(nodes: number): void {
    if (nodes > this.maxNodes) throw new BudgetExceeded(this.stage, 'size');
  }

  expired(): boolean {
    return this.now() > this.deadline;
  }

  /** A budget that never runs out (for tests and tiny internal uses). */
  static unlimited(): Budget {
    return new Budget(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 100_000);
  }
}

function defaultNow(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
