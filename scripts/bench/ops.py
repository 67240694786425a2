#!/usr/bin/python3
"""Benchmark 8, the astropy side: sort and join of N rows (1,000,000 by default)
with astropy.table.Table, the same shape of data as scripts/bench/ops.lua builds
(an int64 id above 2^53 shuffled, a float magnitude with every 50th masked, a
name; a second table of the ids shuffled again with a flux). The tables are
built first (timed apart); each operation is timed in this process.

    /usr/bin/python3 scripts/bench/ops.py [N] [RUNS]

Prints: build seconds=...; then op=<name> seconds=a,b,... rows=N for each.
"""
import gc
import sys
import time

import numpy as np
from astropy.table import MaskedColumn, Table, join


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    t0 = time.perf_counter()
    rng = np.random.default_rng(42)
    base = np.int64(5853498713190525696)
    lid = base + rng.permutation(n).astype(np.int64) + 1
    mag = 10 + 10 * rng.random(n)
    mask = (np.arange(1, n + 1) % 50) == 0
    name = np.array(["obj%07d" % i for i in range(1, n + 1)])
    rid = base + rng.permutation(n).astype(np.int64) + 1
    flux = rng.random(n)
    left = Table([lid, MaskedColumn(mag, mask=mask), name], names=("obsid", "mag", "name"))
    right = Table([rid, flux], names=("obsid", "flux"))
    print("build seconds=%.6f rows=%d" % (time.perf_counter() - t0, n))

    def sort():
        t = left.copy(copy_data=False)
        t.sort("mag")   # masked values last, as mast's nulls
        return t

    ops = [("astropy_sort", sort), ("astropy_join", lambda: join(left, right, keys="obsid"))]
    for op, fn in ops:
        times, out = [], None
        for _ in range(runs):
            out = None
            gc.collect()
            t = time.perf_counter()
            out = fn()
            times.append("%.6f" % (time.perf_counter() - t))
        print("op=%s seconds=%s rows=%d" % (op, ",".join(times), len(out)))


if __name__ == "__main__":
    main()
