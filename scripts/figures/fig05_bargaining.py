#!/usr/bin/python3
"""Figure 5 of arXiv:2308.04399v3: bargaining agreements of the quadratic-cost game against c1/c0.

Runs `ftg solve --json` for each cost ratio (c0 = 1, k0 = k1 = 2), with both the closed forms and
the numeric solver, checks they agree, writes the data as CSV and draws the figure: the Pareto set
(between powerful-D and powerful-G) shaded, one line per bargaining solution, and the limits the
caption and Section 3.4 state (Nash -> 0.75, vertical monopoly -> 1 as c1/c0 grows).

Usage: fig05_bargaining.py FTG_BINARY OUT_DIR
Runs on Debian's python3-numpy and python3-matplotlib (/usr/bin/python3).
"""
import csv
import json
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

SOLUTIONS = ["powerful_g", "powerful_d", "max_performance", "vertical_monopoly",
             "egalitarian", "nash", "kalai_smorodinsky"]
LABELS = {"powerful_g": "Powerful G", "powerful_d": "Powerful D",
          "max_performance": r"Max $\alpha_1^*$", "vertical_monopoly": "Vertical monopoly",
          "egalitarian": "Egalitarian", "nash": "Nash", "kalai_smorodinsky": "Kalai-Smorodinsky"}
AGREEMENT_TOL = 1e-9  # closed form vs numeric, absolute in delta (docs/model.md section 2)


def solve(ftg, ratio):
    out = subprocess.run([ftg, "solve", "--c0", "1", "--c1", repr(float(ratio)), "--method", "both",
                          "--json"], check=False, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"fig05: ftg solve failed for c1/c0 = {ratio}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fig05_bargaining.py FTG_BINARY OUT_DIR")
    ftg, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    ratios = np.logspace(-2, 2, 161)
    rows, worst = [], 0.0
    for x in ratios:
        doc = solve(ftg, x)
        cf = doc["results"]["closed_form"]["solutions"]
        nu = doc["results"]["numeric"]["solutions"]
        row = {"c1_over_c0": x}
        for s in SOLUTIONS:
            if cf[s]["status"] != "ok" or nu[s]["status"] != "ok":
                sys.exit(f"fig05: {s} at c1/c0 = {x}: status {cf[s]['status']} / {nu[s]['status']}")
            worst = max(worst, abs(cf[s]["delta_star"] - nu[s]["delta_star"]))
            row[s] = cf[s]["delta_star"]
            row[s + "_alpha1"] = cf[s]["alpha1"]
        rows.append(row)
    if worst > AGREEMENT_TOL:
        sys.exit(f"fig05: closed form and numeric differ by {worst:.3g} > {AGREEMENT_TOL}")

    csv_path = os.path.join(out_dir, "fig05_bargaining.csv")
    with open(csv_path + ".partial", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    os.replace(csv_path + ".partial", csv_path)

    fig, ax = plt.subplots(figsize=(7, 4.2))
    col = {s: [r[s] for r in rows] for s in SOLUTIONS}
    ax.fill_between(ratios, col["powerful_d"], col["powerful_g"], color="0.9", label="Pareto set")
    styles = {"powerful_g": ("tab:blue", "-"), "powerful_d": ("tab:orange", "-"),
              "max_performance": ("tab:purple", ":"), "vertical_monopoly": ("tab:green", "-"),
              "egalitarian": ("tab:brown", "--"), "nash": ("tab:red", "-"),
              "kalai_smorodinsky": ("tab:pink", "-.")}
    for s in SOLUTIONS:
        c, ls = styles[s]
        ax.plot(ratios, col[s], color=c, linestyle=ls, label=LABELS[s])
    ax.axhline(0.75, color="tab:red", lw=0.6, alpha=0.5)
    ax.set_xscale("log")
    ax.set_xlabel(r"cost ratio $c_1/c_0$")
    ax.set_ylabel(r"agreement $\delta^*$ (G's revenue share)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Figure 5: bargaining agreements, quadratic costs (ftgames)")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    png = os.path.join(out_dir, "fig05_bargaining.png")
    fig.savefig(png + ".partial.png", dpi=130)
    os.replace(png + ".partial.png", png)
    print(f"fig05: {len(rows)} ratios, closed form vs numeric max |d delta*| = {worst:.2e}; "
          f"wrote {png} and {csv_path}")


if __name__ == "__main__":
    main()
