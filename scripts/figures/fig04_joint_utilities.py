#!/usr/bin/python3
"""Figure 4 of arXiv:2308.04399v3: the joint utilities behind the bargaining solutions, grey where
delta is not Pareto-optimal.

Panels: alpha_1* (max-performance), U_G + U_D (vertical monopoly), min(U_G - d0, U_D - d1)
(egalitarian), (U_G - d0)(U_D - d1) (Nash), over delta x c1/c0, each with its maximiser over delta
drawn in white. Input: an ftg-results file with per-delta fields u_g, u_d, alpha1, in_pareto over
the axes c1 and delta (c0 fixed; d0, d1 from the sweep text, default 0; e.g.
sweeps/fig04_joint_utilities.ini). Output: OUT/fig04_joint_utilities.{png,pdf}.

Usage: fig04_joint_utilities.py FIG04.h5 [-o OUT_DIR] [--dpi 100]
"""
import numpy as np

from ftgfig import LABEL, Result, selections, parser, plt, ratio_axis, save


def main():
    args = parser(__doc__, [("input", "ftg-results file with u_g, u_d, alpha1, in_pareto over (c1, delta)")]).parse_args()
    r = Result(args.input, selections(args.select))
    r.require(["u_g", "u_d", "alpha1", "in_pareto"], "Figure 4")
    why = "Figure 4"
    ug, ud, a1 = (r.get(v, ("c1", "delta"), why) for v in ("u_g", "u_d", "alpha1"))
    pareto = r.get("in_pareto", ("c1", "delta"), why) == r.flags("in_pareto").get("true", 1)
    d0, d1 = r.param("d0", 0.0), r.param("d1", 0.0)
    x, delta = ratio_axis(r, why), r.axis("delta")
    gg, gd = ug - d0, ud - d1
    panels = [(r"max-performance: $\alpha_1^*$", a1),
              (r"vertical monopoly: $U_G + U_D$", ug + ud),
              (r"egalitarian: $\min(U_G, U_D)$", np.minimum(gg, gd)),
              (r"Nash: $U_G \cdot U_D$", np.where((gg >= 0) & (gd >= 0), gg * gd, np.nan))]
    fig, axes = plt.subplots(1, 4, figsize=(18, 3.8))
    for ax, (title, z) in zip(axes, panels):
        im = ax.pcolormesh(x, delta, np.where(pareto, z, np.nan).T, shading="auto", rasterized=True)
        ax.set_facecolor("0.75")  # not Pareto-optimal: grey, as in the paper
        best = np.where(np.all(np.isnan(z), axis=1), np.nan, delta[np.nanargmax(np.nan_to_num(z, nan=-np.inf), axis=1)])
        ax.plot(x, best, "w-", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel(LABEL["ratio"])
        ax.set_ylabel(LABEL["delta"])
        ax.set_title(title, fontsize=10)
        fig.colorbar(im, ax=ax)
    fig.suptitle("Figure 4: joint utilities (grey: not Pareto-optimal; white: maximiser over $\\delta$)")
    fig.tight_layout()
    share = float(np.mean(pareto))
    print(f"fig04: {len(x)} x {len(delta)} cells, {100 * share:.1f}% Pareto-optimal; "
          f"wrote {save(fig, args.out, 'fig04_joint_utilities', args.dpi)}")


if __name__ == "__main__":
    main()
