#!/usr/bin/python3
"""bench/peers/ratio_table.py: the ratio table of one scripts/bench.sh run.

Reads the Google Benchmark JSON of ftg_bench_kernels and one or more JSON files written by
peer_solutions.py in the same run, and prints ftg throughput over each peer's throughput:

  ftg median items/s  /  peer median items/s

ftg and naive C++ medians are Google Benchmark's "median" aggregates over the repetitions (CPU
time); the scipy median pools every repetition of every peer file given (bench.sh runs the peer
before and after the C++ benchmarks, so slow drift of the machine hits both sides). Targets are the
per-core targets of PERFORMANCE.md; a ratio is informative, never an assertion.

Usage: ratio_table.py KERNELS_JSON PEER_JSON [PEER_JSON ...]
"""
import json
import statistics
import sys

# (ftg benchmark[#counter], peer key, target ratio or None). The ftg rate is items_per_second
# unless a counter is named. Peer keys: "naive:<benchmark>" or "scipy:<method>/<solution>/<k>".
GENERAL, QUAD = "k=2.5_3.5", "k=2"
ROWS = []
for k in (GENERAL, QUAD):
    for s in ("nash", "vertical_monopoly"):
        general = k == GENERAL
        ROWS += [
            (f"bm_bargain_numeric/{s}/{k}", f"scipy:minimize_scalar_bounded/{s}/{k}",
             200 if general else None),
            (f"bm_bargain_numeric/{s}/{k}", f"scipy:brentq_foc/{s}/{k}", None),
            (f"bm_bargain_numeric/{s}/{k}", f"naive:bm_naive_golden/{s}/{k}", 8 if general else None),
        ]
for s in ("nash", "vertical_monopoly"):
    ROWS += [
        (f"bm_bargain_closed_form/{s}/{QUAD}", f"scipy:minimize_scalar_bounded/{s}/{QUAD}", None),
        (f"bm_bargain_closed_form/{s}/{QUAD}", f"scipy:brentq_foc/{s}/{QUAD}", None),
        (f"bm_bargain_closed_form/{s}/{QUAD}", f"naive:bm_naive_golden/{s}/{QUAD}", None),
    ]
# solve_game: every solution and the Pareto set of a game per item. "#solutions_per_second" counts
# solutions, which compares equal work with scipy's solves/s of one solution (Nash, assuming scipy
# would spend about as long on each of the others); games/s against it is a conservative lower bound.
ROWS += [
    (f"bm_solve_game/closed_form/{QUAD}#solutions_per_second",
     f"scipy:minimize_scalar_bounded/nash/{QUAD}", 3000),
    (f"bm_solve_game/closed_form/{QUAD}", f"scipy:minimize_scalar_bounded/nash/{QUAD}", None),
    (f"bm_solve_game/numeric/{GENERAL}#solutions_per_second",
     f"scipy:minimize_scalar_bounded/nash/{GENERAL}", None),
    (f"bm_spe/{QUAD}", f"naive:bm_naive_spe/{QUAD}", None),
    (f"bm_spe/{GENERAL}", f"naive:bm_naive_spe/{GENERAL}", None),
]
METHOD_LABEL = {"minimize_scalar_bounded": "scipy bounded", "brentq_foc": "scipy brentq FOC"}


def load_kernels(path):
    """{run_name: {counter: median}} from Google Benchmark JSON (its "median" aggregates when the
    run had repetitions, else the median over the runs of that name)."""
    with open(path) as f:
        doc = json.load(f)
    per_rep, medians = {}, {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b
        else:
            per_rep.setdefault(name, []).append(b)
    out = {}
    for name, reps in per_rep.items():
        if name in medians:
            out[name] = dict(medians[name])
        else:
            out[name] = {k: statistics.median(r[k] for r in reps)
                         for k, v in reps[0].items() if isinstance(v, (int, float))}
        out[name]["repetitions"] = len(reps)
    return doc.get("context", {}), out


def ftg_rate(ftg, key):
    name, _, counter = key.partition("#")
    if name not in ftg:
        return None
    return ftg[name].get(counter or "items_per_second")


def load_peers(paths):
    rates, meta, checksums = {}, {}, set()
    for p in paths:
        with open(p) as f:
            doc = json.load(f)
        checksums.add(float(doc["sample"]["checksum"]))
        for r in doc["results"]:
            key = f"{r['method']}/{r['solution']}/{r['k']}"
            rates.setdefault(key, []).extend(r["solves_per_second"])
            meta[key] = r
    return {k: statistics.median(v) for k, v in rates.items()}, meta, checksums


def display_name(bm):
    name, _, counter = bm.removeprefix("bm_").partition("#")
    if counter == "solutions_per_second":
        return name + " [solutions]"
    return name + (" [games]" if name.startswith("solve_game") else "")


def fmt_rate(x):
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.3g}{suffix}/s"
    return f"{x:.3g}/s"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.split("Usage: ")[1].strip())
    context, ftg = load_kernels(sys.argv[1])
    scipy_rates, scipy_meta, checksums = load_peers(sys.argv[2:])

    print(f"cpu: {context.get('ftg_cpu_model', '?')}; compiler: {context.get('ftg_compiler', '?')}; "
          f"build: {context.get('ftg_build_type', '?')}; git: {context.get('git_describe', '?')}")
    c_sum = float(context.get("ftg_sample_checksum", "nan"))
    same = all(abs(c - c_sum) <= 1e-12 * abs(c_sum) for c in checksums)
    print(f"sample: seed {context.get('ftg_sample_seed', '?')}, "
          f"{context.get('ftg_sample_games', '?')} games, checksum C++ {c_sum!r} / python "
          f"{sorted(checksums)!r}: {'same games' if same else 'MISMATCH'}")

    header = (f"{'ftg benchmark':48} {'ftg':>9}  {'peer':32} {'peer':>9} {'ratio':>9}  "
              f"target (PERFORMANCE.md)")
    print()
    print(header)
    print("-" * len(header))
    previous = None
    for bm, peer, target in ROWS:
        rate = ftg_rate(ftg, bm)
        if rate is None:
            continue
        kind, key = peer.split(":", 1)
        if kind == "naive":
            peer_rate = ftg_rate(ftg, key)
            if peer_rate is None:
                continue
            fev = ftg[key].get("evals_per_solve")
            peer_label = "naive C++ " + key.removeprefix("bm_naive_").split("/")[0]
            if fev:
                peer_label += f" ({fev:.0f} fev)"
        else:
            if key not in scipy_rates:
                continue
            peer_rate = scipy_rates[key]
            method, solution, _ = key.split("/")
            peer_label = (f"{METHOD_LABEL[method]} {solution.replace('vertical_monopoly', 'vm')} "
                          f"({scipy_meta[key]['nfev_per_solve']:.1f} fev)")
        ratio = rate / peer_rate
        tgt = f">= {target}x: {'met' if ratio >= target else 'not met'}" if target else ""
        shown = "" if bm == previous else display_name(bm)
        previous = bm
        print(f"{shown:48} {fmt_rate(rate):>9}  {peer_label:32} {fmt_rate(peer_rate):>9} "
              f"{ratio:>8.3g}x  {tgt}")

    print()
    print("validation pass of each ftg benchmark (untimed): mean bargain_result::iterations per solve "
          "(per game for solve_game), failure fraction, agreement with the other method or peer:")
    for name, c in sorted(ftg.items()):
        iters = c.get("iters_per_solve", c.get("iters_per_game"))
        fail = c.get("fail_frac")
        fails = "" if fail is None else f" fail_frac={fail:.3g}"
        extra = "".join(f" {k}={c[k]:.3g}" for k in
                        ("max_ddelta_vs_numeric", "max_ddelta_vs_ftg", "max_rel_dev_vs_ftg",
                         "max_rel_dev_alpha1_vs_closed_form") if k in c)
        flag = "  <-- FAILURES" if fail else ""
        it = f"iters={iters:5.1f}" if iters is not None else " " * 11
        print(f"  {name:46} {fmt_rate(c['items_per_second']):>9} {it}{fails}{extra}{flag}")


if __name__ == "__main__":
    main()
