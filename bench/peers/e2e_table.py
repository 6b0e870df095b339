#!/usr/bin/python3
"""bench/peers/e2e_table.py: the engine side of issue 6, per-round ratios with median and range.

scripts/bench_e2e.sh runs R rounds; each round runs, the order alternating, peer_figures.py
(--variant definition and roots), two `ftg run` processes per thread count (e2e_heatmap.ini,
e2e_solutions.ini), peer_heatmap.py, and ftg_bench_sweep (compute-only sweeps and the machine's
own scaling). This script

1. checks that ftg's and the peers' files of round 1 agree (in --files DIR): the axes; alpha0,
   alpha1, u_g, u_d to 1e-12 relative; in_pareto equal except at cells within 1e-12 of a Pareto
   boundary; every status ok; the closed-form solutions' delta* to 1e-12 (their UG, UD to 1e-10 relative); Nash, egalitarian and
   Kalai-Smorodinsky delta* to scipy's accuracy (bounded, xatol 1e-5: 1e-4; brentq: 1e-9); ftg's
   1-thread and 2-thread files equal; the heatmap checksums of ftg_bench_sweep's grid are not
   compared (peer_heatmap.py's grid is 1000 x 1000, ftg_bench_sweep's 1000 x 1001);
2. prints, for every row, the ratio of each round, their median and [min, max], and the target
   (issue 6 / PERFORMANCE.md), and writes it all with the provenance as JSON.
Exit status 2 when a check fails. Ratios are information, never assertions.

Usage: e2e_table.py --meta META --out OUT --files DIR
                    --round FTG_JSON SWEEP_JSON PEER_DEF_JSON PEER_ROOTS_JSON NUMPY_JSON [--round ...]
"""
import argparse
import json
import os
import statistics
import sys

import h5py
import numpy as np

SOLUTIONS = ("powerful_g", "powerful_d", "max_performance", "vertical_monopoly", "egalitarian",
             "nash", "kalai_smorodinsky")
CLOSED = SOLUTIONS[:4]


def load_sweep(path):
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred") or b.get("run_type") == "aggregate":
            continue
        out[b.get("run_name", b["name"]).replace("/real_time", "")] = b
    return doc.get("context", {}), out


def div(a, b):
    """a / b, or None when either is missing or zero."""
    return None if not a or not b else a / b


def rel_err(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.maximum(np.abs(b), 1e-300)
    return float(np.max(np.abs(a - b) / scale)) if a.size else 0.0


def check_files(d):
    """[(name, ok, detail)] for round 1's files in d."""
    checks = []

    def add(name, ok, detail):
        checks.append({"check": name, "ok": bool(ok), "detail": detail})

    fh = {k: h5py.File(os.path.join(d, f"{k}.h5"), "r") for k in
          ("ftg-heatmap-t1", "ftg-heatmap-t2", "ftg-solutions-t1", "ftg-solutions-t2",
           "peer-heatmap-definition", "peer-heatmap-roots", "peer-solutions-definition",
           "peer-solutions-roots")}
    f, p = fh["ftg-heatmap-t1"], fh["peer-heatmap-definition"]
    e = max(rel_err(f[a][...], p[a][...]) for a in ("c1", "delta"))
    add("heatmap axes c1, delta (rel 1e-14)", e <= 1e-14, f"max rel {e:.2g}")
    for v in ("alpha0", "alpha1", "u_g", "u_d"):
        e = rel_err(f[v][...], p[v][...])
        add(f"heatmap {v} ftg vs numpy (rel 1e-12)", e <= 1e-12, f"max rel {e:.2g}")
    fi, pi = f["in_pareto"][...], p["in_pareto"][...]
    bad = np.argwhere(fi != pi)
    c1, delta = p["c1"][...], p["delta"][...]
    pg = np.where(c1 < 1.0, 1.0 / (2.0 - c1), 1.0)
    pd = np.where(c1 < 1.0, 0.0, (c1 - 1.0) / (2.0 * c1 - 1.0))
    near = [min(abs(delta[j] - pd[i]), abs(delta[j] - pg[i])) <= 1e-12 for i, j in bad]
    add("heatmap in_pareto equal except within 1e-12 of a boundary", all(near),
        f"{len(bad)} of {fi.size} cells differ, {sum(near)} of them at a boundary")
    st = f["status"][...]
    add("heatmap status all ok (ftg)", np.all(st == 0), f"{int(np.sum(st != 0))} cells not ok")
    for v in ("alpha0", "alpha1", "u_g", "u_d", "in_pareto", "status"):
        same = np.array_equal(f[v][...], fh["ftg-heatmap-t2"][v][...], equal_nan=v not in ("in_pareto", "status"))
        add(f"heatmap {v}: 1 thread == 2 threads (ftg)", same, "bit for bit" if same else "differ")
    same = all(np.array_equal(fh["peer-heatmap-roots"][v][...], p[v][...])
               for v in ("alpha0", "alpha1", "u_g", "u_d", "in_pareto"))
    add("heatmap peer variants equal", same, "")

    fs = fh["ftg-solutions-t1"]
    for variant, tol_num in (("definition", 1e-4), ("roots", 1e-9)):
        ps = fh[f"peer-solutions-{variant}"]
        e = rel_err(fs["c1"][...], ps["c1"][...])
        add(f"solutions axis c1 vs {variant} (rel 1e-14)", e <= 1e-14, f"max rel {e:.2g}")
        for s in SOLUTIONS:
            dd = float(np.max(np.abs(fs[f"{s}_delta_star"][...] - ps[f"{s}_delta_star"][...])))
            eu = max(rel_err(fs[f"{s}_{u}"][...], ps[f"{s}_{u}"][...]) for u in ("u_g", "u_d"))
            if s in CLOSED:
                # UG at powerful_d = (c1 - c0)/(2 c1 - c0) near c1 = c0 is about delta^2 with delta
                # about 1e-4: one ulp of the difference c1 - c0 is 1e-11 of UG
                tol, utol = 1e-12, 1e-10
            elif s == "kalai_smorodinsky":
                tol, utol = 1e-9, 1e-8
            else:
                tol, utol = tol_num, (1e-3 if variant == "definition" else 1e-8)
            add(f"{s} vs {variant}: |d delta*| <= {tol:g}, UG, UD rel <= {utol:g}",
                dd <= tol and eu <= utol, f"max |d delta*| {dd:.2g}, max rel dU {eu:.2g}")
    bad = sum(int(np.sum(fs[f"{s}_status"][...] != 0)) for s in SOLUTIONS)
    add("solutions status all ok (ftg)", bad == 0, f"{bad} results not ok")
    same = all(np.array_equal(fs[k][...], fh["ftg-solutions-t2"][k][...], equal_nan=True)
               for k in fs.keys() if k.endswith(("_delta_star", "_u_g", "_u_d", "_status")))
    add("solutions: 1 thread == 2 threads (ftg)", same, "bit for bit" if same else "differ")
    for h in fh.values():
        h.close()
    return checks


def numpy_rate(doc, name):
    for r in doc["results"]:
        if r["name"] == name:
            return r["cells_per_second_median"]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--files", required=True)
    ap.add_argument("--round", nargs=5, action="append", required=True,
                    metavar=("FTG", "SWEEP", "PEER_DEF", "PEER_ROOTS", "NUMPY"))
    args = ap.parse_args()
    with open(args.meta) as f:
        meta = json.load(f)

    rounds = []
    for ftg_p, sweep_p, def_p, roots_p, numpy_p in args.round:
        docs = []
        for p in (ftg_p, def_p, roots_p, numpy_p):
            with open(p) as f:
                docs.append(json.load(f))
        ctx, sweep = load_sweep(sweep_p)
        rounds.append({"ftg": docs[0], "sweep": sweep, "context": ctx, "def": docs[1],
                       "roots": docs[2], "numpy": docs[3]})

    def e2e(r, threads, part=None):
        t = r["ftg"][f"threads:{threads}"]
        return t["heatmap_seconds"] + t["solutions_seconds"] if part is None else t[f"{part}_seconds"]

    def peer_s(r, variant, part=None):
        d = r[variant]
        if part is None:
            return d["seconds"]
        return d["parts"][f"{part}_compute"] + d["parts"][f"{part}_h5py"]

    def cells(r, name):
        b = r["sweep"].get(name)
        return None if b is None else b.get("cells_per_second", b.get("items_per_second"))

    def ratio_of(r, a, b):
        return div(cells(r, f"bm_sweep/{a}/compute/threads:1"), cells(r, f"bm_sweep/{b}/compute/threads:1"))

    def raw_ceiling(r):
        rate = lambda v: cells(r, f"bm_machine/{v}/threads:1")
        basis = [x for x in (rate("basis_loop"), rate("basis_loop_grouped")) if x]
        linear = [x for x in (rate("linear_loop"), rate("linear_loop_grouped")) if x]
        return None if not basis or not linear else max(basis) / max(linear)

    def scaling(r, w):
        pre = "bm_machine" if w in ("compute", "store", "row", "row_16") else "bm_sweep"
        mid = w if pre == "bm_machine" else f"{w}/compute"
        one, two = cells(r, f"{pre}/{mid}/threads:1"), cells(r, f"{pre}/{mid}/threads:2")
        return None if not one or not two else two / one

    def rate1(r, bench):
        """cells/s of a compute-only sweep (bm_sweep/W) or a machine loop (bm_machine/W), 1 thread."""
        return cells(r, f"{bench}/compute/threads:1" if bench.startswith("bm_sweep/") else f"{bench}/threads:1")

    def vs_numpy(label, ftg_lbl, bench, target=None, variant="identities"):
        """A row: `bench` at one thread against the numpy heatmap peer (k = 2) of the same round."""
        peer = f"numpy_heatmap_{variant}/k=2"
        peer_lbl = "numpy identities" if variant == "identities" else "numpy eqs. 1-4 as printed"
        return ("4b", label, ftg_lbl, peer_lbl, lambda r: div(rate1(r, bench), numpy_rate(r["numpy"], peer)),
                lambda r: rate1(r, bench),
                lambda r: numpy_rate(r["numpy"], peer), target, "cells/s")

    def share(label, bench, ceiling):
        """A row: `bench` as a share of the machine loop `ceiling`, both at one thread."""
        return ("4b", label, "", "", lambda r: div(rate1(r, bench), rate1(r, ceiling)), None, None, None, "x")

    # (section, label, ftg figure, peer figure, ratio fn(round) -> ftg/peer, target, unit)
    rows = [
        ("1", "Figs 3-5 e2e, HDF5, 1 thread", "ftg 2 processes", "scipy script, definition",
         lambda r: peer_s(r, "def") / e2e(r, 1), lambda r: e2e(r, 1), lambda r: peer_s(r, "def"), 50, "s"),
        ("1", "Figs 3-5 e2e, HDF5, 1 thread", "ftg 2 processes", "scipy script, roots",
         lambda r: peer_s(r, "roots") / e2e(r, 1), lambda r: e2e(r, 1), lambda r: peer_s(r, "roots"), None, "s"),
        ("1", "Figs 3-5 e2e, HDF5, 2 threads", "ftg 2 processes", "scipy script, definition",
         lambda r: peer_s(r, "def") / e2e(r, 2), lambda r: e2e(r, 2), lambda r: peer_s(r, "def"), None, "s"),
        ("1", "Figs 3-5 e2e, HDF5, 2 threads", "ftg 2 processes", "scipy script, roots",
         lambda r: peer_s(r, "roots") / e2e(r, 2), lambda r: e2e(r, 2), lambda r: peer_s(r, "roots"), None, "s"),
        ("1", "  part: heatmap 2e6 cells + HDF5", "ftg run e2e_heatmap", "numpy + h5py",
         lambda r: peer_s(r, "def", "heatmap") / e2e(r, 1, "heatmap"), lambda r: e2e(r, 1, "heatmap"),
         lambda r: peer_s(r, "def", "heatmap"), None, "s"),
        ("1", "  part: 2e4 ratios x 7 solutions + HDF5", "ftg run e2e_solutions", "scipy definition + h5py",
         lambda r: peer_s(r, "def", "solutions") / e2e(r, 1, "solutions"), lambda r: e2e(r, 1, "solutions"),
         lambda r: peer_s(r, "def", "solutions"), None, "s"),
        ("1", "  part: 2e4 ratios x 7 solutions + HDF5", "ftg run e2e_solutions", "scipy roots + h5py",
         lambda r: peer_s(r, "roots", "solutions") / e2e(r, 1, "solutions"), lambda r: e2e(r, 1, "solutions"),
         lambda r: peer_s(r, "roots", "solutions"), None, "s"),
        vs_numpy("heatmap streamed in tiles, k=2, 1 thread", "run_sweep compute-only", "bm_sweep/heatmap", 15),
        # The same streaming at 20x the size (heatmap_large, 2e7 cells): the run's fixed costs (parse,
        # plan, thread start, the first tiles' page faults) weigh less than in the 1e6-cell sweep.
        vs_numpy("  the same, 2e7 cells (heatmap_large)", "run_sweep compute-only", "bm_sweep/heatmap_large"),
        # The machine's ceiling for 4b: the bytes of a 64-row tile (4 f64 fields + statuses, 33 a
        # cell) stored with nothing computed, the row kernel alone into the same buffers, and the
        # streamed sweep as a share of the stores alone (bm_machine/tile_store, bm_machine/row).
        vs_numpy("  ceiling: tile stores alone, 1 thread", "bm_machine/tile_store", "bm_machine/tile_store"),
        vs_numpy("  row kernel alone, same buffers", "bm_machine/row", "bm_machine/row"),
        share("  heatmap_large / tile stores alone", "bm_sweep/heatmap_large", "bm_machine/tile_store"),
        # The same at run.tile_cells = 16384 (16-row tiles, 528 KB, in L2 on this machine; the default
        # 65536 makes 2.1 MB tiles, faster for written sweeps: docs/sweeps.md), and its ceiling.
        vs_numpy("heatmap streamed, tile_cells 16384, 1 thread", "run_sweep compute-only", "bm_sweep/heatmap_t16k", 15),
        vs_numpy("  the same, 2e7 cells (heatmap_large_t16k)", "run_sweep compute-only", "bm_sweep/heatmap_large_t16k"),
        vs_numpy("  ceiling: 16-row tile stores alone", "bm_machine/tile_store_16", "bm_machine/tile_store_16"),
        share("  heatmap_large_t16k / 16-row tile stores", "bm_sweep/heatmap_large_t16k", "bm_machine/tile_store_16"),
        vs_numpy("heatmap streamed in tiles, k=2, 1 thread", "run_sweep compute-only", "bm_sweep/heatmap",
                 variant="definition"),
        # Target 4c: general k (k0 = 2.5, k1 = 3.5) against k = 2 on the same 2e7-cell grid, the same
        # fields, one thread; with in_pareto k = 2 takes the closed-form set per row, general k the
        # slope test (kernels/spe.hpp, spe_row's item 5).
        ("4c", "general k / k=2, ftg run, 4 fields, 2e7 cells", "heatmap_large_general", "heatmap_large",
         lambda r: ratio_of(r, "heatmap_large_general", "heatmap_large"),
         lambda r: cells(r, "bm_sweep/heatmap_large_general/compute/threads:1"),
         lambda r: cells(r, "bm_sweep/heatmap_large/compute/threads:1"), 0.9, "cells/s"),
        ("4c", "  the same with in_pareto", "..._general_pareto", "heatmap_large_pareto",
         lambda r: ratio_of(r, "heatmap_large_general_pareto", "heatmap_large_pareto"),
         lambda r: cells(r, "bm_sweep/heatmap_large_general_pareto/compute/threads:1"),
         lambda r: cells(r, "bm_sweep/heatmap_large_pareto/compute/threads:1"), 0.9, "cells/s"),
        # The machine's ceiling for 4c: the row kernel's per-cell work as plain loops into the same
        # tile buffers (bm_machine/linear_loop, basis_loop; row by row and in groups of 8 rows chunk
        # by chunk, as spe_rows takes basis rows): the best basis loop over the best linear loop is
        # what this machine gives a basis of three arrays a column against k = 2's one.
        ("4c", "  ceiling: best basis loop / best linear loop", "bm_machine/basis_loop*", "bm_machine/linear_loop*",
         lambda r: raw_ceiling(r), None, None, None, "x"),
        ("4c", "  ftg general / k=2 as a share of the ceiling", "", "",
         lambda r: div(ratio_of(r, "heatmap_large_general", "heatmap_large"), raw_ceiling(r)), None, None, None, "x"),
    ]
    for w in ("compute", "store", "row", "row_16"):
        rows.append(("7", f"machine {w} loop, 2 threads / 1", "", "", (lambda w: lambda r: scaling(r, w))(w),
                     None, None, None, "x"))
    for w in ("heatmap", "solutions", "numeric", "heatmap_large", "heatmap_large_t16k", "solutions_large",
              "numeric_large"):
        rows.append(("7", f"ftg {w} compute-only, 2 threads / 1", "", "",
                     (lambda w: lambda r: scaling(r, w))(w), None, None, 1.8, "x"))
        rows.append(("7", f"  ftg {w} scaling / machine compute scaling", "", "",
                     (lambda w: lambda r: scaling(r, w) / scaling(r, "compute"))(w), None, None, 0.9, "x"))
        if w.startswith("heatmap"):  # the row kernel alone on private buffers: store-bound like a heatmap
            rows.append(("7", f"  ftg {w} scaling / row kernel alone scaling", "", "",
                         (lambda w: lambda r: scaling(r, w) / scaling(r, "row"))(w), None, None, None, "x"))

    checks = check_files(args.files)
    all_ok = all(c["ok"] for c in checks)
    print(f"engine side of issue 6: {len(rounds)} rounds, {meta.get('git_describe')} "
          f"({meta.get('cpu_model')}, {meta.get('nproc')} CPUs, {meta.get('gxx_version')})")
    print("agreement (round 1's HDF5 files):")
    for c in checks:
        print(f"  [{'ok' if c['ok'] else 'FAIL'}] {c['check']}: {c['detail']}")
    print()
    print(f"{'target':6} {'row':44} {'peer':26} {'ftg':>9} {'peer':>9}  {'per-round ratios':34} "
          f"{'median [range]':>20}  target  met")
    table = []
    machine = [scaling(r, "compute") for r in rounds]
    for sec, label, ftg_lbl, peer_lbl, ratio, fget, pget, target, unit in rows:
        vals = [ratio(r) for r in rounds]
        if any(v is None for v in vals):
            print(f"{sec:6} {label:44} missing data")
            continue
        med, lo, hi = statistics.median(vals), min(vals), max(vals)
        fmed = statistics.median(fget(r) for r in rounds) if fget else None
        pmed = statistics.median(pget(r) for r in rounds) if pget else None
        met = ""
        if target is not None:
            if sec == "7" and "/ machine" not in label:
                # "two threads >= 1.8x one thread whenever the machine gives two cores"
                free = [v for v, m in zip(vals, machine) if m >= 1.8]
                met = ("yes" if free and statistics.median(free) >= target else
                       "no" if free else f"n/a (machine <= {max(machine):.2f}x)")
            else:
                met = "yes" if med >= target else "no"
        fmt = (lambda x: f"{x:9.3g}") if unit != "x" else (lambda x: f"{'':9}")
        per = " ".join(f"{v:.3g}" for v in vals)
        print(f"{sec:6} {label:44} {peer_lbl:26} {fmt(fmed) if fmed else '':>9} "
              f"{fmt(pmed) if pmed else '':>9}  {per:34} {med:7.3g}x [{lo:.3g}, {hi:.3g}]"
              f"  {'' if target is None else '>= ' + format(target, 'g'):7} {met}")
        table.append({"target": sec, "row": label, "ftg": ftg_lbl, "peer": peer_lbl, "unit": unit,
                      "ftg_median": fmed, "peer_median": pmed, "ratios": vals, "median": med,
                      "min": lo, "max": hi, "goal": target, "met": met})
    print()
    print("ftg e2e seconds per round (1 thread: heatmap + solutions): "
          + ", ".join(f"{r['ftg']['threads:1']['heatmap_seconds']:.3f} + {r['ftg']['threads:1']['solutions_seconds']:.3f}"
                      for r in rounds))
    print("scipy script seconds per round (definition / roots; imports not counted): "
          + ", ".join(f"{r['def']['seconds']:.2f} / {r['roots']['seconds']:.2f}" for r in rounds))
    doc = {"meta": meta, "checks": checks, "rows": table,
           "rounds": [{"ftg": r["ftg"], "peer_definition": r["def"], "peer_roots": r["roots"],
                       "numpy": r["numpy"],
                       "sweep": {k: {"cells_or_items_per_second": cells(r, k), "real_time_ms": b.get("real_time")}
                                 for k, b in r["sweep"].items()}} for r in rounds],
           "load_average_end": os.getloadavg()}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    if not all_ok:
        print("e2e_table: a check FAILED", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
