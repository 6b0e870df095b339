#!/usr/bin/python3
"""Figure 3 of arXiv:2308.04399v3: U_G (a), U_D (b) and alpha_1* (c) over delta x c1/c0.

Input: an ftg-results file with per-delta fields u_g, u_d, alpha1 over the axes c1 and delta
(c0 fixed; e.g. sweeps/fig03_utilities.ini). Output: OUT/fig03_utilities.{png,pdf}. The caption's
message is marked: the powerful-G agreement argmax U_G (white) is below 1 only for c1/c0 < 1 and
the powerful-D agreement argmax U_D (white) is above 0 only for c1/c0 > 1.

Usage: fig03_utilities.py FIG03.h5 [-o OUT_DIR] [--dpi 100]
"""
import numpy as np

from ftgfig import LABEL, Result, selections, parser, plt, ratio_axis, save


def heat(ax, x, delta, z, title, fig):
    im = ax.pcolormesh(x, delta, z.T, shading="auto", rasterized=True)
    ax.set_xscale("log")
    ax.set_xlabel(LABEL["ratio"])
    ax.set_ylabel(LABEL["delta"])
    ax.set_title(title)
    fig.colorbar(im, ax=ax)


def main():
    args = parser(__doc__, [("input", "ftg-results file with u_g, u_d, alpha1 over (c1, delta)")]).parse_args()
    r = Result(args.input, selections(args.select))
    r.require(["u_g", "u_d", "alpha1"], "Figure 3")
    why = "Figure 3"
    ug, ud, a1 = (r.get(v, ("c1", "delta"), why) for v in ("u_g", "u_d", "alpha1"))
    x, delta = ratio_axis(r, why), r.axis("delta")
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    heat(axes[0], x, delta, ug, r"(a) $U_G$", fig)
    heat(axes[1], x, delta, ud, r"(b) $U_D$", fig)
    heat(axes[2], x, delta, a1, r"(c) $\alpha_1^*$", fig)
    axes[0].plot(x, delta[np.nanargmax(ug, axis=1)], "w-", lw=1, label=r"argmax$_\delta U_G$")
    axes[1].plot(x, delta[np.nanargmax(ud, axis=1)], "w-", lw=1, label=r"argmax$_\delta U_D$")
    for ax in axes[:2]:
        ax.axvline(1, color="w", ls=":", lw=0.8)
        ax.legend(loc="lower right", fontsize=7)
    fig.suptitle(f"Figure 3: c0 = {r.param('c0'):g}, k0 = {r.param('k0', 2):g}, k1 = {r.param('k1', 2):g}")
    fig.tight_layout()
    bad = r.not_ok(["status"])
    print(f"fig03: {len(x)} x {len(delta)} cells ({bad} not ok); wrote {save(fig, args.out, 'fig03_utilities', args.dpi)}")


if __name__ == "__main__":
    main()
