#!/usr/bin/python3
"""Figure 6 of arXiv:2308.04399v3 (Theorem 5.1): with several specialists the Pareto set of delta
need not be one interval.

Input: an ftg-results file of the multi-specialist model with per-delta fields u_g, u_i (dims
delta, specialist), in_pareto and regime (e.g. sweeps/fig06_pareto_two_specialists.ini). Draws U_G
and every U_{D_i} against delta, shades the Pareto-optimal deltas (each run of in_pareto), marks
where each specialist abstains, and prints the intervals and the gaps.
Output: OUT/fig06_two_specialists.{png,pdf}.

Usage: fig06_two_specialists.py FIG06.h5 [-o OUT_DIR] [--dpi 100]
"""
import numpy as np

from ftgfig import LABEL, Result, selections, parser, plt, runs, save


def main():
    args = parser(__doc__, [("input", "ftg-results file with u_g, u_i, in_pareto, regime over delta")]).parse_args()
    r = Result(args.input, selections(args.select))
    why = "Figure 6"
    delta = r.axis("delta")
    r.require(["u_g", "u_i", "in_pareto", "regime"], why)
    ug = r.get("u_g", ("delta",), why)
    ui = r.get("u_i", ("delta", "specialist"), why)
    pareto = r.get("in_pareto", ("delta",), why) == r.flags("in_pareto").get("true", 1)
    regime = r.get("regime", ("delta", "specialist"), why)
    abstain = regime == r.flags("regime").get("abstainer", 2)
    nsp = ui.shape[1]

    fig, ax = plt.subplots(figsize=(8, 4.6))
    intervals = [(delta[a], delta[b]) for a, b in runs(pareto)]
    for q, (a, b) in enumerate(intervals):
        ax.axvspan(a, b, color="tab:green", alpha=0.15, lw=0, label=r"$\delta^{Pareto}$" if q == 0 else None)
    ax.plot(delta, ug, color="k", label=r"$U_G$")
    colors = ["tab:blue", "tab:orange", "tab:purple", "tab:brown"]
    lo = min(np.nanmin(ug), np.nanmin(ui))
    hi = max(np.nanmax(ug), np.nanmax(ui))
    for i in range(nsp):
        c = colors[i % len(colors)]
        ax.plot(delta, ui[:, i], color=c, lw=2.2 if i == 0 else 1.5, ls="--" if i == 0 else "-", label=f"$U_{{D_{i + 1}}}$")
        for q, (a, b) in enumerate(runs(abstain[:, i])):
            y = lo - (0.04 + 0.04 * i) * (hi - lo)
            ax.plot([delta[a], delta[b]], [y, y], color=c, lw=4, solid_capstyle="butt",
                    label=f"$D_{i + 1}$ abstains" if q == 0 else None)
    gaps = [(intervals[q][1], intervals[q + 1][0]) for q in range(len(intervals) - 1)]
    for a, b in gaps:
        ax.axvspan(a, b, color="tab:red", alpha=0.15, lw=0, label="gap (dominated)")
    ax.set_xlabel(LABEL["delta"])
    ax.set_ylabel(r"utility $U(\delta)$")
    ax.set_title(f"Figure 6: {nsp} specialists, Pareto set = " +
                 r" $\cup$ ".join(f"[{a:.4g}, {b:.4g}]" for a, b in intervals), fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    png = save(fig, args.out, "fig06_two_specialists", args.dpi)
    print(f"fig06: {len(delta)} deltas, {nsp} specialists, Pareto intervals (grid points) "
          + ", ".join(f"[{a:.4f}, {b:.4f}]" for a, b in intervals)
          + ("; gaps " + ", ".join(f"({a:.4f}, {b:.4f})" for a, b in gaps) if gaps else "")
          + f"; wrote {png}")


if __name__ == "__main__":
    main()
