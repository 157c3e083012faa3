#!/usr/bin/env python3
"""SymPy side of `npm run bench`: times sympy.diff and sympy.diff + simplify.

    python3 bench/sympy_bench.py [--ids a,b,c] [--budget SECONDS]

Reads the benchmark cases (``bench=True``) of test/fixtures/corpus.py, builds
each SymPy expression exactly as test/fixtures/generate_sympy.py does, and for
each expression times, with time.perf_counter:

- diff: the partial derivatives with respect to every variable;
- diff_simplify: the same followed by sympy.simplify of each partial.

SymPy's cache is cleared before every timed repetition, so each one pays for
its work as a first computation would (otherwise repetitions only measure
cache lookups). Reports the median over the repetitions in microseconds, and
the node count (sympy.preorder_traversal) of each simplified partial.
Prints one JSON object on stdout.
"""
import json
import os
import signal
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'test', 'fixtures'))

try:
    import sympy as sp
    from sympy.core.cache import clear_cache
except ImportError:
    print(json.dumps({'ok': False, 'error': 'sympy is not installed for ' + sys.executable}))
    sys.exit(0)

from corpus import CASES  # noqa: E402
from generate_sympy import to_sympy  # noqa: E402


class Timeout(Exception):
    pass


def _alarm(_sig, _frame):
    raise Timeout()


def timed(fn, max_reps, budget_s, min_reps=1):
    """Median wall time (µs) of fn() over repetitions, cache cleared before each; also the last result."""
    times = []
    result = None
    start = time.perf_counter()
    while len(times) < max_reps:
        clear_cache()
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1e6)
        if len(times) >= min_reps and time.perf_counter() - start > budget_s:
            break
    return statistics.median(times), len(times), result


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--ids', help='comma-separated case ids (default: every bench case)')
    ap.add_argument('--budget', type=float, default=2.0, help='seconds of repetitions per expression and measure')
    ap.add_argument('--cap', type=float, default=10.0, help='seconds after which one diff+simplify repetition is cut')
    args = ap.parse_args(argv)
    wanted = args.ids.split(',') if args.ids else None
    cases = [c for c in CASES if (c['id'] in wanted if wanted else c['bench'])]

    out = {'ok': True, 'sympy': sp.__version__, 'python': '.'.join(map(str, sys.version_info[:3])), 'cases': {}}
    for c in cases:
        f = to_sympy(c['sym'])
        syms = sorted(f.free_symbols, key=lambda s: s.name)

        def diff_all():
            return [sp.diff(f, s) for s in syms]

        def diff_simplify_all():
            return [sp.simplify(sp.diff(f, s)) for s in syms]

        def diff_simplify_capped():
            # One repetition is cut after --cap seconds; its time is then a lower bound.
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, args.cap)
            try:
                return diff_simplify_all()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)

        # Warm-up (imports, lazily built tables), then the measurements.
        diff_all()
        diff_us, diff_reps, _ = timed(diff_all, max_reps=200, budget_s=args.budget / 2, min_reps=5)
        # diff + simplify: a few repetitions; one cut after --cap seconds makes the time a lower bound.
        times, simplified, capped = [], None, False
        start = time.perf_counter()
        while len(times) < 5 and (not times or time.perf_counter() - start < args.budget):
            clear_cache()
            t0 = time.perf_counter()
            try:
                simplified = diff_simplify_capped()
            except Timeout:
                capped = not times
                break
            times.append((time.perf_counter() - t0) * 1e6)
        clear_cache()
        simp_us = statistics.median(times) if times else args.cap * 1e6
        simp_reps = len(times)
        out['cases'][c['id']] = {
            'diff_us': diff_us,
            'diff_reps': diff_reps,
            'diff_simplify_us': simp_us,
            'diff_simplify_reps': simp_reps,
            'diff_simplify_capped': capped,
            # None when simplify was cut: the caller then uses the sizes recorded in the fixture.
            'sizes': {s.name: sum(1 for _ in sp.preorder_traversal(d)) for s, d in zip(syms, simplified)} if simplified else None,
        }
        print(f"sympy: {c['id']}: diff {diff_us:.0f} µs, diff+simplify {'≥ ' if capped else ''}{simp_us / 1000:.1f} ms",
              file=sys.stderr)
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1:])
