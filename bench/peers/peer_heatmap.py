#!/usr/bin/python3
"""bench/peers/peer_heatmap.py: the numpy peer of bm_heatmap_row, as JSON cells/s.

What a numpy user writes for the heatmaps of Figures 3-4 (arXiv:2308.04399v3, eqs. 1-4 and
Theorem 3.1, d0 = d1 = 0), on exactly the grid of bm_heatmap_row (bench/bench_kernels.cpp):
c0 = 1, c1 = logspace(-1, 1, 1000) (rows), delta = linspace(0, 1, 1000) (columns), broadcasting:

  alpha0 = (delta / (k0 c0)) ** (1/(k0-1)),   alpha1 = alpha0 + ((1-delta) / (k1 c1)) ** (1/(k1-1)),
  UG = delta alpha1 - c0 alpha0 ** k0,        UD = (1-delta) alpha1 - c1 (alpha1 - alpha0) ** k1,

all four fields materialised as float64 arrays, for k = 2 and for k0 = 2.5, k1 = 3.5; and a
stronger variant with the first-order identities of PERFORMANCE.md (no pow at all for k = 2,
two per cell otherwise), which is what a careful numpy user writes. It prints
the median cells/s over repetitions (each at least --min-time seconds of whole grids) and the sums
of UG and UD over the grid, which rounds_table.py compares with ftg's checksums (same grid, same
answers to rounding). Run with /usr/bin/python3 (numpy):
  /usr/bin/python3 bench/peers/peer_heatmap.py [--min-time 0.3] [--repetitions 3] [--out FILE]
"""
import argparse
import json
import statistics
import time

import numpy as np

SIDE = 1000
K_CASES = (("k=2", 2.0, 2.0), ("k=2.5_3.5", 2.5, 3.5))


def heatmap(k0, k1, delta, c1, c0=1.0):
    alpha0 = (delta / (k0 * c0)) ** (1.0 / (k0 - 1.0))
    alpha1 = alpha0 + ((1.0 - delta) / (k1 * c1)) ** (1.0 / (k1 - 1.0))
    u_g = delta * alpha1 - c0 * alpha0 ** k0
    u_d = (1.0 - delta) * alpha1 - c1 * (alpha1 - alpha0) ** k1
    return alpha0, alpha1, u_g, u_d


def heatmap_identities(k0, k1, delta, c1, c0=1.0):
    """The stronger numpy peer: the first-order identities of PERFORMANCE.md (c0 alpha0^k0 =
    alpha0 delta/k0, c1 b^k1 = b (1-delta)/k1), two powers per cell, none for k = 2."""
    rest = 1.0 - delta
    if k0 == 2.0:
        alpha0 = delta * (1.0 / (2.0 * c0))
    else:
        alpha0 = (delta * (1.0 / (k0 * c0))) ** (1.0 / (k0 - 1.0))
    if k1 == 2.0:
        b = rest * (1.0 / (2.0 * c1))
    else:
        b = (rest * (1.0 / (k1 * c1))) ** (1.0 / (k1 - 1.0))
    alpha1 = alpha0 + b
    u_g = delta * (alpha1 - alpha0 / k0)
    u_d = rest * (alpha1 - b / k1)
    return alpha0, alpha1, u_g, u_d


VARIANTS = (("definition", heatmap), ("identities", heatmap_identities))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-time", type=float, default=0.3)
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--out")
    args = ap.parse_args()
    delta = np.linspace(0.0, 1.0, SIDE)[None, :]
    c1 = (10.0 ** (-1.0 + 2.0 * np.arange(SIDE) / (SIDE - 1)))[:, None]  # as bench_kernels.cpp
    results = []
    for label, k0, k1 in K_CASES:
        for variant, fn in VARIANTS:
            _, _, u_g, u_d = fn(k0, k1, delta, c1)  # warm-up, and the answers
            rates = []
            for _ in range(args.repetitions):
                grids, start = 0, time.perf_counter()
                while True:
                    out = fn(k0, k1, delta, c1)
                    grids += 1
                    elapsed = time.perf_counter() - start
                    if elapsed >= args.min_time:
                        break
                del out
                rates.append(grids * SIDE * SIDE / elapsed)
            results.append({"name": f"numpy_heatmap_{variant}/{label}", "variant": variant,
                            "k": label, "cells_per_second": rates,
                            "cells_per_second_median": statistics.median(rates),
                            "checksum_u_g": float(u_g.sum()), "checksum_u_d": float(u_d.sum())})
    doc = {"peer": "numpy", "numpy": np.__version__, "grid": [SIDE, SIDE],
           "min_time": args.min_time, "repetitions": args.repetitions, "results": results}
    text = json.dumps(doc, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
