#!/usr/bin/python3
"""bench/peers/peer_figures.py: the numpy/scipy script that makes the data of Figures 3-5, timed.

Issue 6, target 1 ("data of Figures 3-5 end to end, HDF5 included: >= 50x the numpy/scipy
script"). This is what a competent researcher writes for the work of bench/sweeps/e2e_heatmap.ini
and bench/sweeps/e2e_solutions.ini (arXiv:2308.04399v3, k0 = k1 = 2, c0 = 1, d0 = d1 = 0):

Figures 3-4, c1/c0 = logspace(-1, 1, 2000) x delta = linspace(0, 1, 1000) (2e6 cells), numpy
broadcasting with the first-order identities of PERFORMANCE.md (peer_heatmap.heatmap_identities:
no pow at k = 2): alpha0, alpha1, u_g, u_d materialised as float64, and Pareto membership
in_pareto = powerful_d <= delta <= powerful_g (Propositions 3.2-3.3, Theorem 2.1 with
Proposition 3.1), uint8.

Figure 5, c1/c0 = logspace(-2, 2, 20000), the paper's seven solutions, each delta*, UG(delta*),
UD(delta*):
  powerful_g, powerful_d, max_performance, vertical_monopoly: the printed closed forms
    (Propositions 3.2-3.5), vectorised;
  nash, egalitarian, kalai_smorodinsky: per cost ratio with scipy, in one of two variants
    --variant definition (default; what PERFORMANCE.md's 9.9 s script does): Nash and egalitarian
        by minimize_scalar(method="bounded") on minus the objective over [0, 1] (Definitions 3.3-3.4;
        peer_solutions.solve_bounded for Nash), default xatol = 1e-5; Kalai-Smorodinsky, which
        Definition 3.5 states as an equation, by brentq on UG/UG* - UD/UD* over
        [powerful_d, powerful_g] (UG* = UG(powerful_g), UD* = UD(powerful_d));
    --variant roots (the stronger script): brentq everywhere, on hand-derived conditions: Nash on
        its first-order condition (peer_solutions.solve_brentq), egalitarian on UG - UD over [0, 1]
        (UG(0) = 0 < UD(0), UD(1) = 0 < UG(1)), KS as above; scipy's default xtol = 2e-12.
  The paper's closed form for the egalitarian solution (Proposition 3.6) is 0/0 at c0 = c1, so the
  script does not use it.

Then both results are saved with h5py, one file each (--heatmap-out, --solutions-out), with the
dataset names of ftg's files, uncompressed float64 (as the sweeps ask).

Timing: perf_counter from after the imports to after the files are closed (`seconds`, with the
parts in `parts`): the interpreter's start and imports (about 0.3-0.5 s) are not counted, so the
script is timed as if run warm in an open session; ftg is timed as whole processes. One run per
process: a script that makes the figures' data runs once.

Run with /usr/bin/python3 (numpy, scipy, h5py):
  /usr/bin/python3 bench/peers/peer_figures.py --heatmap-out H.h5 --solutions-out S.h5 [--out J.json]
"""
import argparse
import json
import os
import platform
import sys
import time

T_IMPORT = time.perf_counter()
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import brentq, minimize_scalar  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_heatmap import heatmap_identities  # noqa: E402
from peer_solutions import EDGE, solve_bounded, solve_brentq  # noqa: E402

T_READY = time.perf_counter()

C0 = 1.0
K0 = K1 = 2.0
HEATMAP = (2000, 1000)    # c1 values (logspace(-1, 1)) x delta values (linspace(0, 1))
RATIOS = 20000            # c1 values, logspace(-2, 2)
SOLUTIONS = ("powerful_g", "powerful_d", "max_performance", "vertical_monopoly", "egalitarian",
             "nash", "kalai_smorodinsky")


def utilities(c1, delta, c0=C0):
    """UG, UD at k0 = k1 = 2 with the identities (vectorised over arrays)."""
    alpha0 = delta / (2.0 * c0)
    b = (1.0 - delta) / (2.0 * c1)
    return delta * (alpha0 * 0.5 + b), (1.0 - delta) * (alpha0 + b * 0.5)


def powerful(c1, c0=C0):
    """Propositions 3.2-3.3: (delta_powerful_d, delta_powerful_g), vectorised."""
    pg = np.where(c1 < c0, c0 / (2.0 * c0 - c1), 1.0)
    pd = np.where(c1 < c0, 0.0, (c1 - c0) / (2.0 * c1 - c0))
    return pd, pg


def figures_3_4():
    n1, nd = HEATMAP
    c1 = np.logspace(-1.0, 1.0, n1)
    delta = np.linspace(0.0, 1.0, nd)
    alpha0, alpha1, u_g, u_d = heatmap_identities(K0, K1, delta[None, :], c1[:, None], C0)
    alpha0 = np.broadcast_to(alpha0, (n1, nd))  # at k0 = 2 alpha0 depends on delta only
    pd, pg = powerful(c1)
    in_pareto = ((delta[None, :] >= pd[:, None]) & (delta[None, :] <= pg[:, None])).astype(np.uint8)
    return {"c1": c1, "delta": delta, "alpha0": alpha0, "alpha1": alpha1, "u_g": u_g, "u_d": u_d,
            "in_pareto": in_pareto}


def ks_brentq(c1, pd, pg):
    ug_star = utilities(c1, pg)[0]
    ud_star = utilities(c1, pd)[1]

    def f(d):
        u_g, u_d = utilities(c1, d)
        return u_g / ug_star - u_d / ud_star
    return brentq(f, pd, pg)


def egalitarian_bounded(c1):
    def f(d):
        u_g, u_d = utilities(c1, d)
        return -min(u_g, u_d)
    return minimize_scalar(f, bounds=(0.0, 1.0), method="bounded").x


def egalitarian_brentq(c1):
    def f(d):
        u_g, u_d = utilities(c1, d)
        return u_g - u_d
    return brentq(f, 0.0, 1.0)


def figure_5(variant):
    c1 = np.logspace(-2.0, 2.0, RATIOS)
    pd, pg = powerful(c1)
    delta = {
        "powerful_g": pg,
        "powerful_d": pd,
        "max_performance": np.where(c1 < C0, 0.0, 1.0),  # Proposition 3.4 (1 at c1 = c0)
        "vertical_monopoly": c1 / (c1 + C0),              # Proposition 3.5
    }
    nash, egal, ks = np.empty(RATIOS), np.empty(RATIOS), np.empty(RATIOS)
    for i, x in enumerate(c1.tolist()):
        game = (C0, x, K0, K1)
        if variant == "definition":
            nash[i] = solve_bounded("nash", game)[0]
            egal[i] = egalitarian_bounded(x)
        else:
            nash[i] = solve_brentq("nash", game)[0]
            egal[i] = egalitarian_brentq(x)
        ks[i] = ks_brentq(x, pd[i], pg[i])
    delta.update(egalitarian=egal, nash=nash, kalai_smorodinsky=ks)
    out = {"c1": c1}
    for s in SOLUTIONS:
        u_g, u_d = utilities(c1, delta[s])
        out[f"{s}_delta_star"], out[f"{s}_u_g"], out[f"{s}_u_d"] = delta[s], u_g, u_d
    return out


def save(path, arrays):
    with h5py.File(path, "w") as f:
        for name, a in arrays.items():
            f.create_dataset(name, data=a)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heatmap-out", required=True)
    ap.add_argument("--solutions-out", required=True)
    ap.add_argument("--variant", choices=("definition", "roots"), default="definition")
    ap.add_argument("--out", help="write the JSON here as well as to stdout")
    args = ap.parse_args()

    t0 = time.perf_counter()
    heat = figures_3_4()
    t1 = time.perf_counter()
    save(args.heatmap_out, heat)
    t2 = time.perf_counter()
    sols = figure_5(args.variant)
    t3 = time.perf_counter()
    save(args.solutions_out, sols)
    t4 = time.perf_counter()
    del heat, sols

    doc = {
        "peer": "numpy/scipy/h5py", "variant": args.variant,
        "python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
        "h5py": h5py.__version__,
        "cells": HEATMAP[0] * HEATMAP[1], "ratios": RATIOS, "solutions": list(SOLUTIONS),
        "edge": EDGE,
        "seconds": t4 - t0,
        "parts": {"heatmap_compute": t1 - t0, "heatmap_h5py": t2 - t1, "solutions_compute": t3 - t2,
                  "solutions_h5py": t4 - t3},
        "imports_seconds": T_READY - T_IMPORT,
        "files": {"heatmap": args.heatmap_out, "solutions": args.solutions_out},
    }
    text = json.dumps(doc, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
