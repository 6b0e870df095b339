#!/usr/bin/python3
"""Figure 5 of arXiv:2308.04399v3 beyond the paper: the bargaining agreements against c1/c0 for
general cost exponents, one panel per (k0, k1).

Input: an ftg-results file with `<solution>_delta_star` and pareto_count/pareto_lo/pareto_hi over
c1 and (optionally) the axes k0 and k1 (c0 fixed; e.g. sweeps/fig05_general_k.ini). Every Pareto
interval is shaded (k < 2 can give two: Proposition 3.1 fails below 2, docs/model.md item 3), and
the c1/c0 where there are two are marked on the x axis. Output: OUT/fig05_general_k.{png,pdf}.

Usage: fig05_general_k.py FIG05K.h5 [-o OUT_DIR] [--dpi 100]
"""
import numpy as np

from ftgfig import LABEL, SOLUTION_LABEL, SOLUTION_STYLE, SOLUTIONS, Result, selections, fail, parser, plt, ratio_axis, save


def main():
    args = parser(__doc__, [("input", "ftg-results file with solutions and the Pareto set over (k0, k1, c1)")]).parse_args()
    r = Result(args.input, selections(args.select))
    why = "the Figure 5 panel grid"
    r.require(["pareto_count", "pareto_lo", "pareto_hi"], why + " (sweep solutions = all, pareto)")
    sols = [s for s in SOLUTIONS if r.has(f"{s}_delta_star") and s != "generalized_nash"]
    if not sols:
        fail(f"{args.input}: no variable '<solution>_delta_star' (needed for {why})")
    dims = r.dims("pareto_count")
    k0s = r.axis("k0") if "k0" in dims else np.array([r.param("k0", 2.0)])
    k1s = r.axis("k1") if "k1" in dims else np.array([r.param("k1", 2.0)])
    order = tuple(d for d in ("k0", "k1") if d in dims) + ("c1",)

    def grid(name, extra=()):
        v = r.get(name, order + extra, why)
        shape = (len(k0s), len(k1s)) + v.shape[len(order) - 1:]
        return v.reshape(shape)

    x = ratio_axis(r, why)
    count, lo, hi = grid("pareto_count"), grid("pareto_lo", ("interval",)), grid("pareto_hi", ("interval",))
    ds = {s: grid(f"{s}_delta_star") for s in sols}
    fig, axes = plt.subplots(len(k0s), len(k1s), figsize=(4.2 * len(k1s), 3.3 * len(k0s)),
                             sharex=True, sharey=True, squeeze=False)
    total2 = 0
    for i, k0 in enumerate(k0s):
        for j, k1 in enumerate(k1s):
            ax = axes[i, j]
            for q in range(lo.shape[-1]):
                ok = np.isfinite(lo[i, j, :, q]) & np.isfinite(hi[i, j, :, q])
                if ok.any():
                    ax.fill_between(x, np.where(ok, lo[i, j, :, q], np.nan), np.where(ok, hi[i, j, :, q], np.nan),
                                    color="0.85" if q == 0 else "0.7", lw=0,
                                    label=("Pareto interval 1" if q == 0 else f"Pareto interval {q + 1}") if (i, j) == (0, 0) or q > 0 else None)
            for s in sols:
                c, ls = SOLUTION_STYLE[s]
                ax.plot(x, ds[s][i, j], color=c, ls=ls, lw=1, label=SOLUTION_LABEL[s] if (i, j) == (0, 0) else None)
            two = count[i, j] >= 2
            total2 += int(two.sum())
            if two.any():
                ax.plot(x[two], np.full(two.sum(), -0.04), "k|", ms=5,
                        label="two Pareto intervals")
                ax.legend(fontsize=6, loc="lower right")
            ax.set_xscale("log")
            ax.set_ylim(-0.06, 1.02)
            ax.set_title(f"$k_0$ = {k0:g}, $k_1$ = {k1:g}", fontsize=10)
            if i == len(k0s) - 1:
                ax.set_xlabel(LABEL["ratio"])
            if j == 0:
                ax.set_ylabel(r"$\delta^*$")
    axes[0, 0].legend(fontsize=6, loc="upper left")
    fig.suptitle("Figure 5 over cost exponents: agreements and Pareto set (grey)")
    fig.tight_layout()
    print(f"fig05_general_k: {len(k0s)} x {len(k1s)} panels x {len(x)} ratios, {total2} games with two Pareto "
          f"intervals; wrote {save(fig, args.out, 'fig05_general_k', args.dpi)}")


if __name__ == "__main__":
    main()
