#!/usr/bin/python3
"""bench/peers/peer_solutions.py: the numpy/scipy peer of bm_bargain_numeric, as JSON solves/s.

What a user of numpy/scipy would write to solve one bargaining solution of the two-player
fine-tuning game (arXiv:2308.04399v3, eqs. 1-4, Theorem 3.1, d0 = d1 = 0), timed on exactly the
games of bench/workload.hpp (SplitMix64, seed 20230808, 256 games, k = 2 and k0 = 2.5, k1 = 3.5):

  bounded  scipy.optimize.minimize_scalar(method="bounded") on -objective over delta in [0, 1],
           scipy's default xatol = 1e-5;
  brentq   scipy.optimize.brentq on the first-order condition in delta, bracket
           [1e-12, 1 - 1e-12], scipy's default xtol = 2e-12, rtol = 8.9e-16.

for Nash (objective UG * UD) and vertical monopoly (UG + UD). The derivatives come from the
closed-form strategies alpha0 = (delta/(k0 c0))^(1/(k0-1)), b = alpha1 - alpha0 =
((1-delta)/(k1 c1))^(1/(k1-1)):
  UG' = alpha0 + b - delta b / ((k1-1)(1-delta)),   UD' = -alpha0 - b + (1-delta) alpha0 / ((k0-1) delta).
Before timing, every variant is checked: the two methods must agree to within 1e-4 in delta (the
bounded method's tolerance), and the worst disagreement is reported.

Run with /usr/bin/python3 (the interpreter that has numpy and scipy):
  /usr/bin/python3 bench/peers/peer_solutions.py [--min-time 0.3] [--repetitions 3] [--out FILE]
"""
import argparse
import json
import platform
import statistics
import sys
import time

import numpy
import scipy
from scipy.optimize import brentq, minimize_scalar

SEED = 20230808
GAMES = 256
K_CASES = (("k=2", 2.0, 2.0), ("k=2.5_3.5", 2.5, 3.5))
SOLUTIONS = ("nash", "vertical_monopoly")
EDGE = 1e-12
MASK64 = (1 << 64) - 1


def splitmix64(state):
    """One SplitMix64 step; returns (new_state, output). Same constants as bench/workload.hpp."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def make_games(k0, k1, n=GAMES, seed=SEED):
    games, state = [], seed
    for _ in range(n):
        state, z0 = splitmix64(state)
        state, z1 = splitmix64(state)
        c0 = 0.25 * 2.0 ** (4.0 * ((z0 >> 11) * 2.0 ** -53))
        c1 = 0.25 * 2.0 ** (4.0 * ((z1 >> 11) * 2.0 ** -53))
        games.append((c0, c1, k0, k1))
    return games


def utilities(game, delta):
    """UG, UD by definition (eqs. 1-4) at the subgame-perfect strategies."""
    c0, c1, k0, k1 = game
    alpha0 = (delta / (k0 * c0)) ** (1.0 / (k0 - 1.0))
    alpha1 = alpha0 + ((1.0 - delta) / (k1 * c1)) ** (1.0 / (k1 - 1.0))
    u_g = delta * alpha1 - c0 * alpha0 ** k0
    u_d = (1.0 - delta) * alpha1 - c1 * (alpha1 - alpha0) ** k1
    return u_g, u_d


def utilities_and_slopes(game, delta):
    c0, c1, k0, k1 = game
    alpha0 = (delta / (k0 * c0)) ** (1.0 / (k0 - 1.0))
    b = ((1.0 - delta) / (k1 * c1)) ** (1.0 / (k1 - 1.0))
    u_g = delta * (alpha0 * (1.0 - 1.0 / k0) + b)
    u_d = (1.0 - delta) * (alpha0 + b * (1.0 - 1.0 / k1))
    du_g = alpha0 + b - delta * b / ((k1 - 1.0) * (1.0 - delta))
    du_d = -alpha0 - b + (1.0 - delta) * alpha0 / ((k0 - 1.0) * delta)
    return u_g, u_d, du_g, du_d


def solve_bounded(solution, game):
    if solution == "nash":
        def f(d):
            u_g, u_d = utilities(game, d)
            return -(u_g * u_d)
    else:
        def f(d):
            u_g, u_d = utilities(game, d)
            return -(u_g + u_d)
    r = minimize_scalar(f, bounds=(0.0, 1.0), method="bounded")
    return r.x, r.nfev


def solve_brentq(solution, game):
    if solution == "nash":
        def foc(d):
            u_g, u_d, du_g, du_d = utilities_and_slopes(game, d)
            return du_g * u_d + u_g * du_d
    else:
        def foc(d):
            _, _, du_g, du_d = utilities_and_slopes(game, d)
            return du_g + du_d
    x, r = brentq(foc, EDGE, 1.0 - EDGE, full_output=True)
    return x, r.function_calls


METHODS = {"minimize_scalar_bounded": solve_bounded, "brentq_foc": solve_brentq}


def time_variant(solve, solution, games, min_time, repetitions):
    """Median solves/s over `repetitions` runs, each of whole passes over the sample, >= min_time."""
    rates = []
    for _ in range(repetitions):
        passes, start = 0, time.perf_counter()
        while True:
            for g in games:
                solve(solution, g)
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        rates.append(passes * len(games) / elapsed)
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-time", type=float, default=0.3, help="seconds per repetition")
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--out", help="write the JSON here as well as to stdout")
    ap.add_argument("--dump", help="write delta* per game and method here (rounds_table.py checks "
                                   "them against ftg's FTG_BENCH_DUMP)")
    args = ap.parse_args()
    dumped = {}

    results = []
    checksum = None
    for label, k0, k1 in K_CASES:
        games = make_games(k0, k1)
        checksum = sum(c0 + c1 for c0, c1, _, _ in games)
        for solution in SOLUTIONS:
            answers = {m: [fn(solution, g) for g in games] for m, fn in METHODS.items()}
            worst = max(abs(a[0] - b[0]) for a, b in
                        zip(answers["minimize_scalar_bounded"], answers["brentq_foc"]))
            dumped[f"{solution}/{label}"] = {m: [a[0] for a in v] for m, v in answers.items()}
            if not worst <= 1e-4:
                sys.exit(f"peer_solutions: {solution} {label}: bounded and brentq disagree by {worst}")
            for m, fn in METHODS.items():
                rates = time_variant(fn, solution, games, args.min_time, args.repetitions)
                results.append({
                    "name": f"scipy_{m}/{solution}/{label}",
                    "solution": solution, "method": m, "k": label,
                    "solves_per_second": rates,
                    "solves_per_second_median": statistics.median(rates),
                    "nfev_per_solve": statistics.fmean(a[1] for a in answers[m]),
                    "max_ddelta_bounded_vs_brentq": worst,
                })

    doc = {
        "peer": "numpy/scipy",
        "python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
        "sample": {"seed": SEED, "games": GAMES, "checksum": repr(checksum)},
        "min_time": args.min_time, "repetitions": args.repetitions,
        "results": results,
    }
    if args.dump:
        with open(args.dump, "w") as f:
            json.dump(dumped, f)
    text = json.dumps(doc, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
