#!/usr/bin/python3
"""Figure 7 and Table 2 of arXiv:2308.04399v3 (Theorem 5.2): the specialist regimes.

Input: an ftg-results file of the multi-specialist model (one specialist) with per-delta fields
regime, table2, alpha0, alpha_i, u_i over the axes f (fixed cost) and m (linear marginal cost);
every other axis must have length 1 (e.g. sweeps/fig07_regimes.ini). The specialist's c (c1), k
(k1), s, b, d (d1) and delta are read from the file (axis of length 1 or the sweep text).

Outputs:
- OUT/fig07_regime_map.{png,pdf}: the computed regime over f x m, Table 2's prediction beside it
  (from the two conditions at the equilibrium alpha0), and where they differ;
- OUT/fig07_sketches.{png,pdf}: the paper's Figure 7, specialist utility against alpha_i in the four
  quadrants of Table 2 (the indeterminate quadrant (*) with one contributor and one abstainer), for
  cells taken from the map; each curve is U_i(alpha_i) = (1-delta) s alpha_i^b - f - m (alpha_i -
  alpha0) - c (alpha_i - alpha0)^k, the dot is the engine's choice.

Usage: fig07_regimes.py FIG07.h5 [-o OUT_DIR] [--dpi 100]
"""
import numpy as np
from matplotlib.colors import ListedColormap

from ftgfig import FILL, LABEL, Result, selections, fail, parser, plt, save

REG = ["contributor", "free_rider", "abstainer"]
T2 = ["contributor", "free_rider", "abstainer", "contributor_or_abstainer"]
RCOL = ["tab:green", "tab:blue", "tab:red"]
T2COL = ["tab:green", "tab:blue", "tab:red", "gold"]


def codes(r, name, order, names):
    raw = r.get(name, order, "Figure 7")
    fl = r.flags(name)
    out = np.full(raw.shape, -1)
    for i, w in enumerate(names):
        if w not in fl:
            fail(f"{r.path}: variable '{name}' has no flag '{w}' (flag_meanings {' '.join(fl)})")
        out[raw == fl[w]] = i
    out[raw == FILL] = -1
    return out


def catmap(ax, x, y, z, colors, names, title):
    zz = np.where(z < 0, np.nan, z).astype(float)
    ax.pcolormesh(x, y, zz.T, cmap=ListedColormap(colors), vmin=-0.5, vmax=len(colors) - 0.5,
                  shading="auto", rasterized=True)
    for i, (c, n) in enumerate(zip(colors, names)):
        ax.plot([], [], "s", color=c, label=f"{n} ({int(np.sum(z == i))})")
    ax.set_xlabel(LABEL["f"])
    ax.set_ylabel(LABEL["m"])
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper right", framealpha=0.9)


def main():
    args = parser(__doc__, [("input", "ftg-results file with regime, table2, alpha0, alpha_i, u_i over (f, m)")]).parse_args()
    r = Result(args.input, selections(args.select))
    r.require(["regime", "table2", "alpha0", "alpha_i", "u_i"], "Figure 7")
    o = ("f", "m")
    reg = codes(r, "regime", o, REG)
    t2 = codes(r, "table2", o, T2)
    a0 = r.get("alpha0", o, "Figure 7")
    ai = r.get("alpha_i", o, "Figure 7")
    ui = r.get("u_i", o, "Figure 7")
    f, m = r.axis("f"), r.axis("m")
    delta = r.param("delta")
    c = r.param("c1", None) if r.sweep.has_option("grid", "c1") or r.has("c1") else r.param("c")
    k, s, b, d = r.param("k1", 2.0), r.param("s", 1.0), r.param("b", 1.0), r.param("d1", 0.0)

    # --- the map ---
    agree = np.where(t2 == 3, np.where(reg == 0, 1, 2), np.where(reg == t2, 0, 3))
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    catmap(axes[0], f, m, reg, RCOL, REG, f"computed regime ($\\delta$ = {delta:g})")
    catmap(axes[1], f, m, t2, T2COL, ["contributor", "free-rider", "abstainer", "contributor or abstainer (*)"],
           r"Table 2 at the equilibrium $\alpha_0$")
    catmap(axes[2], f, m, agree, ["0.85", "tab:green", "tab:red", "k"],
           ["Table 2 determinate, agrees", "(*): contributor", "(*): abstainer", "Table 2 determinate, differs"],
           "computed vs Table 2")
    fig.tight_layout()
    png1 = save(fig, args.out, "fig07_regime_map", args.dpi)

    # --- the four sketches (Table 2's quadrants; (*) shows both outcomes) ---
    cases = [("upper left: fixed costs under control, marginally profitable", [(0, 0)]),
             ("upper right: fixed costs under control, not marginally profitable", [(1, 1)]),
             ("lower left (*): fixed costs too high, marginally profitable", [(3, 0), (3, 2)]),
             ("lower right: fixed costs too high, not marginally profitable", [(2, 2)])]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    picked = []
    for ax, (title, pairs) in zip(axes.ravel(), cases):
        for (tc, rc), ls in zip(pairs, ["-", "--"]):
            idx = np.argwhere((t2 == tc) & (reg == rc))
            if len(idx) == 0:
                ax.text(0.5, 0.5, f"no cell with Table 2 = {T2[tc]}, regime = {REG[rc]}", ha="center",
                        transform=ax.transAxes, fontsize=8)
                continue
            pos = idx[ui[idx[:, 0], idx[:, 1]] > d + 1e-9] if (tc, rc) == (3, 0) else idx
            if len(pos):  # (*) contributor: prefer one that gains (not one held at its threshold)
                idx = pos
            i, j = idx[np.argmin(np.sum((idx - np.median(idx, axis=0)) ** 2, axis=1))]
            fi, mj, a0ij = f[i], m[j], a0[i, j]
            span = max(2.5 * (ai[i, j] - a0ij) if reg[i, j] == 0 else 0.0, 0.6)
            a = np.linspace(a0ij, a0ij + span, 400)
            u = (1 - delta) * s * a ** b - fi - mj * (a - a0ij) - c * (a - a0ij) ** k
            col = RCOL[rc]
            ax.plot(a, u, color=col, ls=ls, label=f"f = {fi:.3g}, m = {mj:.3g}, $\\alpha_0$ = {a0ij:.3g}: {REG[rc]}")
            if rc == 2:
                ax.plot(a0ij, d, "o", color=col, mfc="w")
            else:
                ax.plot(ai[i, j], ui[i, j], "o", color=col)
            picked.append((T2[tc], REG[rc], fi, mj))
        ax.axhline(d, color="0.5", lw=0.8, label=f"disagreement $d$ = {d:g}")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(r"$\alpha_i$")
        ax.set_ylabel(r"$U_{D_i}(\alpha_i)$")
        ax.legend(fontsize=7)
    fig.suptitle(f"Figure 7: specialist utility against $\\alpha_i$ (c = {c:g}, k = {k:g}, s = {s:g}, b = {b:g}, "
                 f"$\\delta$ = {delta:g}; dot: engine's choice)", fontsize=10)
    fig.tight_layout()
    png2 = save(fig, args.out, "fig07_sketches", args.dpi)
    n = reg.size
    print(f"fig07: {len(f)} x {len(m)} cells: contributor {np.sum(reg == 0)}, free-rider {np.sum(reg == 1)}, "
          f"abstainer {np.sum(reg == 2)}; Table 2 determinate and agreeing {np.sum(agree == 0)}, (*) "
          f"{np.sum(t2 == 3)}, determinate but differing {np.sum(agree == 3)} of {n}; wrote {png1}, {png2}")


if __name__ == "__main__":
    main()
