#!/usr/bin/python3
"""Table 1 of arXiv:2308.04399v3 (Appendix 10.3): each closed form beside the numeric result over n,
and the solutions as n grows.

Inputs: two ftg-results files of the multi-specialist model over the axes c1 and n (identical
specialists, quadratic costs, c0 fixed): CLOSED.h5 solved with method = closed_form and
NUMERIC.h5 with method = numeric (e.g. sweeps/table1_closed_form.ini, sweeps/table1_numeric.ini).
Solutions compared: those `<solution>_delta_star` present in both (powerful_d per specialist class).
Beside them, the formulas as printed in the paper for identical specialists (Props. 10.2 and 10.5
differ from the true values: docs/model.md items 11-12).

Outputs: OUT/table1.csv (every c1, n, solution: closed, numeric, printed, |closed - numeric|),
OUT/table1.md (the largest differences, and the table at one c1), OUT/table1_differences.{png,pdf}
(|closed - numeric| and |printed - numeric| against n), OUT/table1_solutions_vs_n.{png,pdf}
(every numeric solution and the Pareto set against n, one panel per c1).

Usage: table1.py CLOSED.h5 NUMERIC.h5 [-o OUT_DIR] [--dpi 100] [--c1 VALUE]
"""
import csv
import os

import numpy as np

from ftgfig import LABEL, SOLUTION_LABEL, SOLUTION_STYLE, SOLUTIONS, Result, selections, fail, parser, plt, save


def printed(sol, n, c0, c):
    """Table 1 as printed, for n identical specialists of cost c (docs/table1_verification.md)."""
    np.seterr(divide="ignore", invalid="ignore")  # np.where evaluates both branches
    K = n / c  # sum of 1/c_i
    if sol == "powerful_g":  # Prop. 10.1
        return np.where(c0 * K > n ** 2, K / (2 * K - n ** 2 / c0), 1.0)
    if sol == "powerful_d":  # Prop. 10.2 as printed: (2 c0 - 2 n c)/(c0 - 2 n c) for c0/c < n
        return np.where(c0 / c < n, (2 * c0 - 2 * n * c) / (c0 - 2 * n * c), 0.0)
    if sol == "max_performance":  # Prop. 10.3
        return np.where(c0 * K > n ** 2, 0.0, 1.0)
    if sol == "vertical_monopoly":  # Prop. 10.4
        return n ** 2 / (n ** 2 + c0 * K)
    if sol == "egalitarian":  # Prop. 10.5 as printed ("+ n - (c0/cmax) n - c0 K")
        mu = c0 / c
        with np.errstate(invalid="ignore", divide="ignore"):
            return (np.sqrt(c0 ** 2 * K ** 2 - 2 * c0 * n * K + mu * n ** 2 + n ** 2) + n - mu * n - c0 * K) / (
                n ** 2 + 2 * n - mu - 2 * c0 * K)
    return np.full(np.broadcast(n, c).shape, np.nan)


def main():
    p = parser(__doc__, [("closed", "ftg-results file, method closed_form, over (c1, n)"),
                         ("numeric", "ftg-results file, method numeric, over (c1, n)")])
    p.add_argument("--c1", type=float, help="c1 of the markdown table (default: 1 if on the axis, else the middle)")
    args = p.parse_args()
    rc, rn = Result(args.closed, selections(args.select)), Result(args.numeric, selections(args.select))
    c1, n = rc.axis("c1"), rc.axis("n")
    for ax in ("c1", "n"):
        if not np.array_equal(rc.axis(ax), rn.axis(ax)):
            fail(f"{args.numeric}: axis '{ax}' differs from {args.closed}'s")
    c0 = rc.param("c0")
    if rn.param("c0") != c0:
        fail(f"{args.numeric}: c0 = {rn.param('c0')} differs from {args.closed}'s {c0}")
    sols = [s for s in SOLUTIONS if rc.has(f"{s}_delta_star") and rn.has(f"{s}_delta_star")]
    if not sols:
        fail(f"{args.closed}: no '<solution>_delta_star' present in both files (needed for Table 1)")
    o = ("c1", "n")
    C, N = np.meshgrid(c1, n, indexing="ij")
    val = {s: (rc.get(f"{s}_delta_star", o, "Table 1"), rn.get(f"{s}_delta_star", o, "Table 1"),
               printed(s, N, c0, C)) for s in sols}

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "table1.csv")
    with open(path + ".partial", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["c0", "c1", "n", "solution", "closed_form", "numeric", "paper_printed", "abs_closed_minus_numeric"])
        for s in sols:
            cf, nu, pr = val[s]
            for i in range(len(c1)):
                for j in range(len(n)):
                    w.writerow([c0, c1[i], int(n[j]), s, repr(float(cf[i, j])), repr(float(nu[i, j])),
                                repr(float(pr[i, j])), repr(float(abs(cf[i, j] - nu[i, j])))])
    os.replace(path + ".partial", path)

    pick = args.c1 if args.c1 is not None else (1.0 if 1.0 in c1 else c1[len(c1) // 2])
    if pick not in c1:
        fail(f"{args.closed}: --c1 {pick:g} is not on the c1 axis ({', '.join(f'{v:g}' for v in c1)})")
    ic = int(np.flatnonzero(c1 == pick)[0])
    md = ["# Table 1: closed forms beside the numeric solver", "",
          f"Files: `{os.path.basename(args.closed)}` (closed form), `{os.path.basename(args.numeric)}` (numeric); "
          f"c0 = {c0:g}, identical specialists, quadratic costs.", "",
          "| solution | max abs(closed - numeric) | max abs(printed - numeric) | where printed is off by > 1e-6 |",
          "|---|---|---|---|"]
    for s in sols:
        cf, nu, pr = val[s]
        dp = np.abs(pr - nu)
        off = int(np.sum(~(dp <= 1e-6)))
        md.append(f"| {s} | {np.nanmax(np.abs(cf - nu)):.2e} | {np.nanmax(dp):.3g} | {off} of {dp.size} games |")
    md += ["", f"delta* at c1 = {pick:g} (closed / numeric / printed):", "",
           "| n | " + " | ".join(sols) + " |", "|---|" + "---|" * len(sols)]
    for j in range(len(n)):
        md.append(f"| {int(n[j])} | " + " | ".join(
            f"{val[s][0][ic, j]:.6f} / {val[s][1][ic, j]:.6f} / {val[s][2][ic, j]:.6f}" for s in sols) + " |")
    mpath = os.path.join(args.out, "table1.md")
    with open(mpath + ".partial", "w") as fh:
        fh.write("\n".join(md) + "\n")
    os.replace(mpath + ".partial", mpath)

    fig, axes = plt.subplots(1, len(sols), figsize=(3.4 * len(sols), 3.4), sharey=True, squeeze=False)
    cmap = plt.get_cmap("viridis")
    for ax, s in zip(axes[0], sols):
        cf, nu, pr = val[s]
        for i in range(len(c1)):
            col = cmap(i / max(1, len(c1) - 1))
            ax.plot(n, np.maximum(np.abs(cf[i] - nu[i]), 1e-17), "o-", ms=2, color=col, label=f"$c_1$ = {c1[i]:g}")
            dp = np.abs(pr[i] - nu[i])
            if np.nanmax(dp) > 1e-6:
                ax.plot(n, np.maximum(np.where(np.isfinite(dp), dp, 1.0), 1e-17), "x--", ms=3, color=col, lw=0.8)
        ax.set_yscale("log")
        ax.set_title(SOLUTION_LABEL[s], fontsize=10)
        ax.set_xlabel(LABEL["n"])
    axes[0, 0].set_ylabel(r"|$\delta^*$ - numeric $\delta^*$|")
    axes[0, 0].legend(fontsize=6)
    fig.suptitle("Table 1: closed form (solid) and the paper's printed formula (dashed, where it differs) minus the numeric solver",
                 fontsize=10)
    fig.tight_layout()
    png1 = save(fig, args.out, "table1_differences", args.dpi)

    nsols = [s for s in SOLUTIONS if rn.has(f"{s}_delta_star") and s != "generalized_nash"]
    fig, axes = plt.subplots(1, len(c1), figsize=(3.3 * len(c1), 3.6), sharey=True, squeeze=False)
    lo = rn.get("pareto_lo", o + ("interval",)) if rn.has("pareto_lo") else None
    hi = rn.get("pareto_hi", o + ("interval",)) if rn.has("pareto_hi") else None
    for i, ax in enumerate(axes[0]):
        if lo is not None:
            for q in range(lo.shape[-1]):
                if np.isfinite(lo[i, :, q]).any():
                    ax.fill_between(n, lo[i, :, q], hi[i, :, q], color="0.85", lw=0,
                                    label="Pareto set" if q == 0 else None)
        for s in nsols:
            col, ls = SOLUTION_STYLE[s]
            ax.plot(n, rn.get(f"{s}_delta_star", o)[i], color=col, ls=ls, marker=".", ms=3, label=SOLUTION_LABEL[s])
        ax.set_title(f"$c_0$ = {c0:g}, $c_i$ = {c1[i]:g}", fontsize=10)
        ax.set_xlabel(LABEL["n"])
        ax.set_ylim(-0.02, 1.02)
    axes[0, 0].set_ylabel(r"$\delta^*$ (numeric)")
    axes[0, -1].legend(fontsize=6, loc="lower right")
    fig.suptitle("Bargaining solutions as the number of identical specialists grows", fontsize=10)
    fig.tight_layout()
    png2 = save(fig, args.out, "table1_solutions_vs_n", args.dpi)
    worst = max(np.nanmax(np.abs(val[s][0] - val[s][1])) for s in sols)
    print(f"table1: {len(c1)} x {len(n)} games, {len(sols)} solutions, max |closed - numeric| = {worst:.2e}; "
          f"wrote {path}, {mpath}, {png1}, {png2}")


if __name__ == "__main__":
    main()
