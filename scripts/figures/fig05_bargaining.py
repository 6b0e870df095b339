#!/usr/bin/python3
"""Figure 5 of arXiv:2308.04399v3: every bargaining agreement delta* against c1/c0, with the Pareto band.

(a) delta* of every solution in the file (`<solution>_delta_star` over the c1 axis, c0 fixed), the
Pareto set shaded (from pareto_lo/pareto_hi when present, else the interval between powerful-D and
powerful-G, Theorem 2.1), and the caption's limits (Nash -> 0.75, vertical monopoly -> 1).
(b) the performance alpha_1* reached at the vertical-monopoly and Kalai-Smorodinsky agreements
(Theorem 3.1 evaluated at delta*), shading where KS performs better (Section 3.4).
With --compare OTHER.h5 (the same sweep solved by another method, e.g. `--set sweep.method=numeric`)
the largest |delta*| difference per solution is printed and written to the CSV; exit 1 if one
exceeds --tol. Output: OUT/fig05_bargaining.{png,pdf,csv}.

Usage: fig05_bargaining.py FIG05.h5 [--compare NUMERIC.h5] [--tol 1e-8] [-o OUT_DIR] [--dpi 100]
"""
import csv
import os

import numpy as np

from ftgfig import LABEL, SOLUTION_LABEL, SOLUTION_STYLE, SOLUTIONS, Result, selections, fail, parser, plt, ratio_axis, save


def alpha1(delta, c0, c1, k0, k1):
    """Theorem 3.1: alpha_1* = (delta/(k0 c0))^(1/(k0-1)) + ((1-delta)/(k1 c1))^(1/(k1-1))."""
    return (delta / (k0 * c0)) ** (1 / (k0 - 1)) + ((1 - delta) / (k1 * c1)) ** (1 / (k1 - 1))


def main():
    p = parser(__doc__, [("input", "ftg-results file with <solution>_delta_star over c1")])
    p.add_argument("--compare", help="the same sweep by another method (e.g. numeric)")
    p.add_argument("--tol", type=float, default=1e-8, help="largest allowed |delta*| difference with --compare")
    args = p.parse_args()
    r = Result(args.input, selections(args.select))
    sols = [s for s in SOLUTIONS if r.has(f"{s}_delta_star")]
    if not sols:
        fail(f"{args.input}: no variable '<solution>_delta_star' (needed for Figure 5; run a per-point sweep with solutions = all)")
    x = ratio_axis(r, "Figure 5")
    ds = {s: r.get(f"{s}_delta_star", ("c1",), "Figure 5") for s in sols}
    if r.has("pareto_lo") and r.has("pareto_hi"):
        lo, hi = r.get("pareto_lo", ("c1", "interval")), r.get("pareto_hi", ("c1", "interval"))
        band = "Pareto set"
    elif "powerful_d" in ds and "powerful_g" in ds:
        lo, hi = ds["powerful_d"][:, None], ds["powerful_g"][:, None]
        band = "Pareto set [Powerful D, Powerful G]"
    else:
        fail(f"{args.input}: variable 'powerful_g_delta_star' or 'powerful_d_delta_star' is missing (needed for the Pareto band)")

    diffs = {}
    if args.compare:
        o = Result(args.compare, selections(args.select))
        if not np.array_equal(o.axis("c1"), r.axis("c1")):
            fail(f"{args.compare}: axis 'c1' differs from {args.input}'s")
        for s in sols:
            o.require([f"{s}_delta_star"], "--compare")
            diffs[s] = float(np.nanmax(np.abs(o.get(f"{s}_delta_star", ("c1",)) - ds[s])))

    c0, k0, k1 = r.param("c0"), r.param("k0", 2.0), r.param("k1", 2.0)
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 4.4), gridspec_kw={"width_ratios": [1.4, 1]})
    for i in range(lo.shape[1]):
        ok = np.isfinite(lo[:, i]) & np.isfinite(hi[:, i])
        ax.fill_between(x, np.where(ok, lo[:, i], np.nan), np.where(ok, hi[:, i], np.nan), color="0.85",
                        label=band if i == 0 else None, lw=0)
    for s in sols:
        c, ls = SOLUTION_STYLE[s]
        ax.plot(x, ds[s], color=c, ls=ls, label=SOLUTION_LABEL[s])
    ax.axhline(0.75, color="tab:red", lw=0.6, alpha=0.5)
    ax.set_xscale("log")
    ax.set_xlabel(LABEL["ratio"])
    ax.set_ylabel(r"agreement $\delta^*$")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(f"(a) bargaining agreements ($k_0$ = {k0:g}, $k_1$ = {k1:g})")
    ax.legend(fontsize=7, loc="upper left")

    if "vertical_monopoly" in ds and "kalai_smorodinsky" in ds:
        c1 = r.axis("c1")
        vm = alpha1(ds["vertical_monopoly"], c0, c1, k0, k1)
        ks = alpha1(ds["kalai_smorodinsky"], c0, c1, k0, k1)
        bx.plot(x, ks / vm, color=SOLUTION_STYLE["kalai_smorodinsky"][0], label=r"$\alpha_1^*(\delta^{KS}) / \alpha_1^*(\delta^{VM})$")
        bx.axhline(1, color=SOLUTION_STYLE["vertical_monopoly"][0], lw=0.8, label="vertical monopoly")
        better = ks > vm * (1 + 1e-12)
        bx.fill_between(x, 0, 1, where=better, transform=bx.get_xaxis_transform(), color="tab:pink",
                        alpha=0.15, label=r"KS gives higher $\alpha_1^*$")
        edges = x[1:][np.diff(better.astype(int)) != 0]
        if len(edges):
            bx.text(0.02, 0.94, "KS > VM between " + ", ".join(f"{e:.3g}" for e in edges) + " (grid points)",
                    transform=bx.transAxes, fontsize=7)
        bx.set_xscale("log")
        bx.set_xlabel(LABEL["ratio"])
        bx.set_ylabel(r"ratio of $\alpha_1^*$ at the agreements")
        bx.set_title(r"(b) Kalai-Smorodinsky vs vertical monopoly (Theorem 3.1)")
        bx.legend(fontsize=7, loc="center")
    else:
        bx.set_axis_off()
    fig.tight_layout()
    png = save(fig, args.out, "fig05_bargaining", args.dpi)

    path = os.path.join(args.out, "fig05_bargaining.csv")
    with open(path + ".partial", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["c1_over_c0"] + sols)
        for i in range(len(x)):
            w.writerow([repr(float(x[i]))] + [repr(float(ds[s][i])) for s in sols])
        if diffs:
            w.writerow(["max_abs_diff_vs_" + os.path.basename(args.compare)] + [repr(diffs[s]) for s in sols])
    os.replace(path + ".partial", path)
    msg = f"fig05: {len(x)} ratios, {len(sols)} solutions; wrote {png}, {path}"
    if diffs:
        worst = max(diffs.values())
        msg += f"; max |delta* - compare| = {worst:.2e} ({max(diffs, key=diffs.get)})"
        print(msg)
        if worst > args.tol:
            fail(f"{args.compare}: delta* differs from {args.input} by {worst:.3g} > --tol {args.tol:g}")
    else:
        print(msg)


if __name__ == "__main__":
    main()
