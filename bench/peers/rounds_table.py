#!/usr/bin/python3
"""bench/peers/rounds_table.py: per-round ratios of ftg against its peers, with median and range.

scripts/bench.sh runs R rounds; each round runs the scipy peer (peer_solutions.py), the numpy
heatmap peer (peer_heatmap.py) and ftg_bench_kernels (one repetition each, the order alternating
between rounds) on the same work. This script reads every round's files, prints for each row

  ftg items/s of round r  /  peer items/s of round r        for r = 1..R,  then median [min, max]

and checks that the programs agree: the same sample of games (checksums), ftg's delta* against
scipy's (brentq on the first-order condition: 1e-8; bounded minimize_scalar, xatol 1e-5: 1e-4),
the naive C++ golden section against ftg (counter max_ddelta_vs_ftg: 1e-7), the heatmap sums of
UG and UD against numpy's (1e-9 relative), and no ftg failures (fail_frac = 0). It writes all of it,
with the run's provenance (git describe, compiler, CPU), as JSON. Targets are PERFORMANCE.md's;
a ratio is information, never an assertion.

Usage: rounds_table.py --meta META_JSON --out OUT_JSON --ftg-dump FTG_DUMP --peer-dump PEER_DUMP
                       --round KERNELS_JSON SCIPY_JSON HEATMAP_JSON [--round ...]
"""
import argparse
import json
import statistics
import sys

GENERAL, QUAD = "k=2.5_3.5", "k=2"

# (label, ftg benchmark[#counter], peer key, target). Peer keys: "naive:<bm>", "scipy:<method>/
# <solution>/<k>", "numpy:<k>" (heatmap cells/s) or "ftg:<bm>" (ftg against itself).
ROWS = []
for s in ("nash", "vertical_monopoly"):
    ROWS += [
        (f"numeric {s} {GENERAL}", f"bm_bargain_numeric/{s}/{GENERAL}",
         f"scipy:minimize_scalar_bounded/{s}/{GENERAL}", 200),
        (f"numeric {s} {GENERAL}", f"bm_bargain_numeric/{s}/{GENERAL}",
         f"scipy:brentq_foc/{s}/{GENERAL}", None),
        (f"numeric {s} {GENERAL}", f"bm_bargain_numeric/{s}/{GENERAL}",
         f"naive:bm_naive_golden/{s}/{GENERAL}", 8),
    ]
# The lock-step SIMD solver (bargain_numeric_batch), the stretch target: about 1e7 solves/s per
# core ("const:1e7" is that rate as a peer, so the ratio is the share of it reached).
for s in ("nash", "vertical_monopoly"):
    ROWS += [
        (f"lock-step SIMD {s} {GENERAL}", f"bm_bargain_batch/{s}/{GENERAL}",
         f"scipy:minimize_scalar_bounded/{s}/{GENERAL}", 200),
        (f"lock-step SIMD {s} {GENERAL}", f"bm_bargain_batch/{s}/{GENERAL}",
         f"naive:bm_naive_golden/{s}/{GENERAL}", 8),
        (f"lock-step SIMD {s} {GENERAL}", f"bm_bargain_batch/{s}/{GENERAL}",
         f"ftg:bm_bargain_numeric/{s}/{GENERAL}", None),
        (f"lock-step SIMD {s} {GENERAL}", f"bm_bargain_batch/{s}/{GENERAL}", "const:1e7", 1.0),
    ]
ROWS += [
    ("solve_game numeric per solution " + GENERAL, f"bm_solve_game/numeric/{GENERAL}#solutions_per_second",
     f"scipy:minimize_scalar_bounded/nash/{GENERAL}", None),
    ("solve_game numeric batch per solution " + GENERAL, f"bm_solve_game/numeric_batch/{GENERAL}#solutions_per_second",
     f"scipy:minimize_scalar_bounded/nash/{GENERAL}", None),
    ("solve_game numeric batch / per game (ftg)", f"bm_solve_game/numeric_batch/{GENERAL}#solutions_per_second",
     f"ftg:bm_solve_game/numeric/{GENERAL}#solutions_per_second", None),
    ("all solutions k=2, per solution", f"bm_solve_game/closed_form/{QUAD}#solutions_per_second",
     f"scipy:minimize_scalar_bounded/nash/{QUAD}", None),
    ("all solutions k=2 (batch, best ISA), per solution", f"bm_solve_game/closed_form_batch/{QUAD}#solutions_per_second",
     f"scipy:minimize_scalar_bounded/nash/{QUAD}", 3000),
    ("all solutions k=2 batch / per game (ftg)", f"bm_solve_game/closed_form_batch/{QUAD}#solutions_per_second",
     f"ftg:bm_solve_game/closed_form/{QUAD}#solutions_per_second", None),
    # The batches on AVX2 + FMA (CPUs without AVX-512), against the per-game path of the same run.
    ("lock-step SIMD nash on AVX2 / per game", f"bm_bargain_batch/nash_avx2/{GENERAL}",
     f"ftg:bm_bargain_numeric/nash/{GENERAL}", None),
    ("all solutions k=2 batch on AVX2 / per game", f"bm_solve_game/closed_form_batch_avx2/{QUAD}#solutions_per_second",
     f"ftg:bm_solve_game/closed_form/{QUAD}#solutions_per_second", None),
    ("numeric batch on AVX2 / per game", f"bm_solve_game/numeric_batch_avx2/{GENERAL}#solutions_per_second",
     f"ftg:bm_solve_game/numeric/{GENERAL}#solutions_per_second", None),
    ("closed-form nash k=2", f"bm_bargain_closed_form/nash/{QUAD}",
     f"scipy:minimize_scalar_bounded/nash/{QUAD}", None),
    ("heatmap k=2 (4 fields in RAM)", f"bm_heatmap_row/basis/{QUAD}", f"numpy:{QUAD}", None),
    ("heatmap k=2 (4 fields in RAM)", f"bm_heatmap_row/basis/{QUAD}", f"numpy:{QUAD}#identities", 6),
    # The same grid with the four arrays at different offsets within a cache line (16, 32, 48 and 0
    # bytes, as glibc's heap may place plain std::vector<double>s): spe_row's stores align to the
    # first field only (kernels/aligned.hpp).
    ("heatmap k=2 in RAM, fields 16/32/48/0 B into a line", f"bm_heatmap_row/basis_offset/{QUAD}",
     f"numpy:{QUAD}#identities", None),
    ("heatmap general k, hoisted", f"bm_heatmap_row/basis/{GENERAL}", f"numpy:{GENERAL}", None),
    ("heatmap general k, hoisted", f"bm_heatmap_row/basis/{GENERAL}", f"numpy:{GENERAL}#identities", 6),
    ("heatmap general k, bit-exact spe", f"bm_heatmap_row/spe_exact/{GENERAL}",
     f"numpy:{GENERAL}#identities", None),
    # "as fast as k = 2": within 10% of it, the run-to-run noise of this machine.
    ("heatmap general k / k=2 (ftg)", f"bm_heatmap_row/basis/{GENERAL}", f"ftg:bm_heatmap_row/basis/{QUAD}", 0.9),
    ("spe() per cell k=2", f"bm_spe/{QUAD}", f"naive:bm_naive_spe/{QUAD}", None),
    ("spe() per cell general k", f"bm_spe/{GENERAL}", f"naive:bm_naive_spe/{GENERAL}", None),
]
PEER_LABEL = {"minimize_scalar_bounded": "scipy bounded", "brentq_foc": "scipy brentq FOC"}


def load_kernels(path):
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred") or b.get("run_type") == "aggregate":
            continue
        out[b.get("run_name", b["name"])] = b
    return doc.get("context", {}), out


def ftg_rate(kern, key):
    name, _, counter = key.partition("#")
    b = kern.get(name)
    return None if b is None else b.get(counter or "items_per_second")


def peer_rate(peer, kern, scipy_doc, numpy_doc):
    kind, key = peer.split(":", 1)
    if kind == "const":
        return float(key)
    if kind in ("naive", "ftg"):
        return ftg_rate(kern, key)
    if kind == "scipy":
        for r in scipy_doc["results"]:
            if f"{r['method']}/{r['solution']}/{r['k']}" == key:
                return r["solves_per_second_median"]
        return None
    k, _, variant = key.partition("#")
    for r in numpy_doc["results"]:
        if r["k"] == k and r.get("variant", "definition") == (variant or "definition"):
            return r["cells_per_second_median"]
    return None


def peer_label(peer):
    kind, key = peer.split(":", 1)
    if kind == "scipy":
        m, s, _ = key.split("/")
        return f"{PEER_LABEL[m]} {s.replace('vertical_monopoly', 'vm')}"
    if kind == "naive":
        return "naive C++ " + key.removeprefix("bm_naive_").split("/")[0]
    if kind == "numpy":
        return "numpy heatmap " + (key.partition("#")[2] or "definition")
    if kind == "const":
        return f"stretch {key}/s"
    return "ftg " + key.removeprefix("bm_")


def fmt(x):
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.3g}{suffix}"
    return f"{x:.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meta", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ftg-dump", required=True)
    ap.add_argument("--peer-dump", required=True)
    ap.add_argument("--round", nargs=3, action="append", required=True,
                    metavar=("KERNELS", "SCIPY", "HEATMAP"))
    args = ap.parse_args()
    meta = json.load(open(args.meta))
    rounds = []
    for kpath, spath, hpath in args.round:
        context, kern = load_kernels(kpath)
        rounds.append((context, kern, json.load(open(spath)), json.load(open(hpath))))
    context = rounds[0][0]

    print(f"machine: {meta.get('cpu_model', '?')}, nproc {meta.get('nproc', '?')}, load "
          f"{meta.get('load_average', '?')}; compiler: {context.get('ftg_compiler', '?')}; "
          f"build: {context.get('ftg_build_type', '?')}; git: {meta.get('git_describe', '?')}")
    print(f"{len(rounds)} rounds; each: scipy peer, numpy heatmap peer, ftg_bench_kernels (order "
          f"alternating), one repetition each. Ratio = ftg rate / peer rate of the same round.")

    # ---- agreement --------------------------------------------------------------------------
    checks = []
    c_sum = float(context.get("ftg_sample_checksum", "nan"))
    py_sums = {float(r[2]["sample"]["checksum"]) for r in rounds}
    checks.append(("same sample of games (C++ vs python checksum)",
                   all(abs(c - c_sum) <= 1e-12 * abs(c_sum) for c in py_sums), f"{c_sum!r}"))
    ftg_d, peer_d = json.load(open(args.ftg_dump)), json.load(open(args.peer_dump))
    for key, methods in sorted(peer_d.items()):
        f = ftg_d.get(key)
        for m, tol in (("brentq_foc", 1e-8), ("minimize_scalar_bounded", 1e-4)):
            worst = max(abs(a - b) for a, b in zip(f, methods[m])) if f else float("inf")
            checks.append((f"delta* ftg vs {PEER_LABEL[m]} {key}", worst <= tol,
                           f"max |diff| {worst:.2e} <= {tol:g}"))
    for _, kern, _, numpy_doc in rounds[:1]:
        for name, b in sorted(kern.items()):
            if "max_ddelta_vs_ftg" in b:
                checks.append((f"{name} vs ftg", b["max_ddelta_vs_ftg"] <= 1e-7,
                               f"max |ddelta| {b['max_ddelta_vs_ftg']:.2e} <= 1e-7"))
            if "max_ddelta_vs_scalar" in b:  # the lock-step solver against bargain_numeric
                checks.append((f"{name} vs bargain_numeric", b["max_ddelta_vs_scalar"] <= 1e-12,
                               f"max |ddelta| {b['max_ddelta_vs_scalar']:.2e} <= 1e-12, "
                               f"lock-step share {b.get('lockstep_frac', 0):.2f}"))
            if "mismatches_vs_solve_game" in b:  # the k = 2 batch must be bit for bit solve_game
                checks.append((f"{name} vs solve_game", b["mismatches_vs_solve_game"] == 0,
                               f"{b['mismatches_vs_solve_game']:.0f} mismatching results, lane share "
                               f"{b.get('lane_frac', 0):.2f}"))
            if b.get("fail_frac", 0) != 0:
                checks.append((f"{name} fail_frac", False, f"{b['fail_frac']}"))
        for r in numpy_doc["results"]:
            for variant in ("basis", "spe_exact", "basis_offset"):
                b = kern.get(f"bm_heatmap_row/{variant}/{r['k']}")
                if b is None:
                    continue
                dev = max(abs(b[f] - r[f]) / abs(r[f]) for f in ("checksum_u_g", "checksum_u_d"))
                checks.append((f"heatmap {variant} {r['k']}: sums of UG, UD vs numpy "
                               f"{r.get('variant', 'definition')}", dev <= 1e-9,
                               f"rel diff {dev:.1e} <= 1e-9"))
    agree = all(ok for _, ok, _ in checks)
    print()
    print("agreement: " + ("all checks pass" if agree else "SOME CHECKS FAIL"))
    for what, ok, detail in checks:
        if not ok or what.startswith(("same", "heatmap", "delta*")):
            print(f"  {'ok ' if ok else 'BAD'} {what}: {detail}")

    # ---- ratios -----------------------------------------------------------------------------
    rows_out = []
    header = (f"{'workload':36} {'peer':28} {'ftg/s':>7} {'peer/s':>7}  "
              f"{'per-round ratios':30} {'median':>8} {'range':>17}  target")
    print()
    print(header)
    print("-" * len(header))
    for label, bm, peer, target in ROWS:
        ratios, fr, pr = [], [], []
        for _, kern, scipy_doc, numpy_doc in rounds:
            a, b = ftg_rate(kern, bm), peer_rate(peer, kern, scipy_doc, numpy_doc)
            if a is None or b is None:
                continue
            fr.append(a)
            pr.append(b)
            ratios.append(a / b)
        if not ratios:
            continue
        med = statistics.median(ratios)
        met = None if target is None else med >= target
        tgt = "" if target is None else f">= {target}x: {'met' if met else 'NOT met'}"
        per = " ".join(f"{x:.3g}" for x in ratios)
        print(f"{label:36} {peer_label(peer):28} {fmt(statistics.median(fr)):>7} "
              f"{fmt(statistics.median(pr)):>7}  {per:30} {med:>7.3g}x "
              f"[{min(ratios):.3g}, {max(ratios):.3g}]".ljust(19) + f"  {tgt}")
        rows_out.append({"workload": label, "ftg_benchmark": bm, "peer": peer, "ratios": ratios,
                         "median": med, "min": min(ratios), "max": max(ratios),
                         "ftg_rates": fr, "peer_rates": pr, "target": target, "met": met})
    doc = {"meta": meta, "context": context, "rounds": len(rounds), "agreement": agree,
           "checks": [{"what": w, "ok": ok, "detail": d} for w, ok, d in checks], "rows": rows_out}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    if not agree:
        sys.exit(2)


if __name__ == "__main__":
    main()
