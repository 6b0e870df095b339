#!/usr/bin/python3
"""Figures 3 and 4 of arXiv:2308.04399v3 from `ftg run` outputs, read with xarray.

Figure 3: UG, UD and alpha1* over delta x c1/c0 (c0 = 1, quadratic costs).
Figure 4: the joint utilities behind the bargaining solutions (alpha1*, UG + UD, min(UG, UD),
UG * UD), grey where delta is not Pareto-optimal.

Usage: fig03_04_heatmaps.py FIG03.h5 FIG04.h5 OUT_DIR   (Debian's python3-xarray, h5netcdf, matplotlib)
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402


def heat(ax, da, title):
    im = ax.pcolormesh(da["c1"], da["delta"], da.transpose("delta", "c1"), shading="auto")
    ax.set_xscale("log")
    ax.set_xlabel(r"$c_1/c_0$")
    ax.set_ylabel(r"$\delta$")
    ax.set_title(title)
    plt.colorbar(im, ax=ax)


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path + ".partial.png", dpi=110)
    os.replace(path + ".partial.png", path)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: fig03_04_heatmaps.py FIG03.h5 FIG04.h5 OUT_DIR")
    f3, f4, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    d3 = xr.open_dataset(f3, engine="h5netcdf")
    if int(d3.attrs["cells_not_ok"]) != 0:
        sys.exit(f"fig03: {d3.attrs['cells_not_ok']} cells not ok in {f3}")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    heat(axes[0], d3.u_g, "(a) $U_G$")
    heat(axes[1], d3.u_d, "(b) $U_D$")
    heat(axes[2], d3.alpha1, r"(c) $\alpha_1^*$")
    save(fig, os.path.join(out, "fig03_utilities.png"))

    d4 = xr.open_dataset(f4, engine="h5netcdf")
    pareto = d4.in_pareto == 1
    joint = {
        r"max-performance: $\alpha_1^*$": d4.alpha1,
        "vertical monopoly: $U_G + U_D$": d4.u_g + d4.u_d,
        r"egalitarian: $\min(U_G, U_D)$": np.minimum(d4.u_g, d4.u_d),
        r"Nash: $U_G \cdot U_D$": d4.u_g * d4.u_d,
    }
    fig, axes = plt.subplots(1, 4, figsize=(20, 4))
    for ax, (title, da) in zip(axes, joint.items()):
        heat(ax, da.where(pareto), title)  # non-Pareto cells are NaN: drawn grey
        ax.set_facecolor("0.8")
    save(fig, os.path.join(out, "fig04_joint_utilities.png"))
    print(f"fig03/04: {d3.sizes['c1']} x {d3.sizes['delta']} cells each; wrote {out}/fig03_utilities.png, "
          f"{out}/fig04_joint_utilities.png")


if __name__ == "__main__":
    main()
