#!/usr/bin/python3
"""Independent check of Table 1 (Section 5) and Propositions 10.1-10.5 of the fine-tuning-games paper.

The multi-specialist game: G picks alpha0 at cost phi0 = c0 alpha0^k0, each of n specialists D_i
picks alpha_i >= alpha0 at cost phi_i = c_i (alpha_i - alpha0)^k_i, revenue r_i = alpha_i, one
shared revenue share delta (eqs. 7-8). No disagreement payoffs, every specialist takes part.

What this script does (see docs/table1_verification.md for the derivations):
  1. Solves the subgame for given delta numerically, from the definitions (eqs. 7-8): each
     player's first-order condition is solved by a generic safeguarded Newton/bisection root finder
     in log space (costs are passed as objects with phi, phi', phi''; nothing here knows a closed
     form), and the utilities are then evaluated from eqs. (7)-(8). A second, fully nested solver
     (value-based maximisation of D_i's utility inside G's, no first-order conditions) checks the
     first one on a sample.
  2. Compares Theorem 10.1 / Corollary 10.1 (general k0, k_i) with that solver.
  3. For quadratic costs, maximises each bargaining objective over delta in [0, 1] on a dense grid
     followed by scipy.optimize.minimize_scalar(method="bounded") around the best grid point, and
     compares (a) the formula printed in Table 1 / Props. 10.1-10.5, (b) the derived formula.
  4. Checks that n = 1 reduces to Propositions 3.2-3.6, evaluates fixed edge cases and the
     counterexamples quoted in the doc.

Prints a summary table; exits 1 if a DERIVED formula disagrees with the numeric solver by more
than 1e-7 (absolute, in delta; relative for strategies and utilities).

Usage: /usr/bin/python3 scripts/verify/table1.py [--draws N] [--seed S]
Needs numpy and scipy (Debian's /usr/bin/python3 has both). Runs in well under two minutes.
"""
import argparse
import math
import sys
import time

import numpy as np
from scipy.optimize import minimize_scalar

TOL = 1e-7          # gate for derived formulas vs the numeric solver
VALUE_TOL = 1e-5    # gate for the value-based SPE solver (a value-based argmax resolves ~sqrt(eps))
NESTED_TOL = 1e-2   # gate for the fully nested value-based solver (inner noise enters G's stage)
GRID = 2049         # dense delta grid, step 1/2048


# ----------------------------------------------------------------------------------------------
# Costs and the numeric subgame solver (knows nothing about closed forms)
# ----------------------------------------------------------------------------------------------
class PowerCost:
    """phi(x) = c x^k for x >= 0 (vectorised over c, k)."""

    def __init__(self, c, k):
        self.c = np.asarray(c, dtype=float)
        self.k = np.asarray(k, dtype=float)
        self.log_ck = np.log(self.c * self.k)
        self.km1 = self.k - 1.0

    def phi(self, x):
        return self.c * np.power(x, self.k)

    def dphi(self, x):
        return self.c * self.k * np.power(x, self.k - 1.0)

    def d2phi(self, x):
        return self.c * self.k * (self.k - 1.0) * np.power(x, self.k - 2.0)

    def log_dphi_and_ratio(self, u):
        """log phi'(e^u) and its u-derivative e^u phi''(e^u) / phi'(e^u) (here k - 1)."""
        return self.log_ck + self.km1 * u, self.km1


def solve_marginal(cost, log_rhs):
    """x > 0 with phi'(x) = exp(log_rhs), phi convex and increasing. Newton in u = log x on
    h(u) = log phi'(e^u) - log_rhs (increasing in u), bisection over all doubles as a fallback."""
    log_rhs = np.asarray(log_rhs, dtype=float)
    if not np.isfinite(log_rhs).all():       # phi'(x) = 0 (delta = 0 for G, delta = 1 for D_i): x = 0
        fin = np.isfinite(log_rhs)
        x = solve_marginal(cost, np.where(fin, log_rhs, 0.0))
        return np.where(fin, x, 0.0)
    u = np.zeros(np.broadcast(log_rhs, cost.c).shape)
    ok = np.zeros(u.shape, dtype=bool)
    for _ in range(60):
        h, dh = cost.log_dphi_and_ratio(u)
        step = np.fmin(np.fmax((h - log_rhs) / dh, -50.0), 50.0)
        u = u - step
        # quadratic convergence: once a step is below 1e-10, the next error is at rounding level
        ok = np.abs(step) <= 1e-10 * (1.0 + np.abs(u))
        if ok.all():
            return np.exp(u)
    # fallback: bisection over [-745, 709]
    lo = np.full(u.shape, -745.0)
    hi = np.full(u.shape, 709.0)
    for _ in range(120):
        mid = 0.5 * (lo + hi)
        pos = np.log(cost.dphi(np.exp(mid))) > log_rhs
        hi = np.where(pos, mid, hi)
        lo = np.where(pos, lo, mid)
    return np.exp(np.where(ok, u, 0.5 * (lo + hi)))


def spe_numeric(delta, g_cost, d_cost):
    """Backward induction for an array of delta. D_i maximises (1-delta) alpha_i - phi_i(alpha_i -
    alpha0): writing alpha_i = alpha0 + b_i, eq. (8) is (1-delta) alpha0 + [(1-delta) b_i - phi_i(b_i)],
    so b_i solves phi_i'(b_i) = 1 - delta whatever alpha0 is, and d alpha_i / d alpha0 = 1.
    G maximises delta sum_i alpha_i - phi0(alpha0), so phi0'(alpha0) = n delta.
    Returns alpha0 (m,), alpha (m, n), UG (m,), UD (m, n), all from eqs. (7)-(8)."""
    delta = np.atleast_1d(np.asarray(delta, dtype=float))
    n = d_cost.c.size
    one_m = 1.0 - delta
    b = solve_marginal(d_cost, np.log(one_m)[:, None])
    a0 = solve_marginal(g_cost, np.log(n * delta))
    b = np.where(one_m[:, None] > 0, b, 0.0)
    a0 = np.where(delta > 0, a0, 0.0)
    alpha = a0[:, None] + b
    ug = delta * alpha.sum(axis=1) - g_cost.phi(a0)                       # eq. (7)
    ud = one_m[:, None] * alpha - d_cost.phi(alpha - a0[:, None])        # eq. (8)
    return a0, alpha, ug, ud


def _argmax_bounded(f, lo, hi):
    """Value-based maximiser of a unimodal f on [lo, hi] (scipy bounded Brent; its tolerance is
    relative to |x|, so the bracket [0, hi] must be of the size of the maximiser)."""
    r = minimize_scalar(lambda x: -f(x), bounds=(lo, hi), method="bounded",
                        options={"xatol": 1e-300, "maxiter": 2000})
    cands = [(f(lo), lo), (f(hi), hi), (-r.fun, r.x)]
    return max(cands)[1]


def _bracket(f):
    """[0, B] containing the maximiser of a concave f on [0, inf) with f increasing at 0."""
    B = 1.0
    if f(2 * B) > f(B):
        while f(2 * B) > f(B):
            B *= 2.0
        return 2 * B
    while B > 1e-200 and f(B) <= f(B / 2):
        B /= 2.0
    return 2 * B


def best_response_by_value(delta, a0, ci, ki):
    """D_i's alpha_i >= a0 maximising eq. (8) by value (no first-order condition)."""
    if delta >= 1.0:
        return a0
    f = lambda bb: (1 - delta) * (a0 + bb) - ci * bb ** ki
    return a0 + _argmax_bounded(f, 0.0, _bracket(f))


def spe_by_value(delta, c0, k0, c, k):
    """Backward induction by value: D_i's best response is maximised by value at several alpha0
    (its excess alpha_i - alpha0 must not depend on alpha0), then G's utility eq. (7) is maximised
    by value given alpha_i(alpha0) = alpha0 + b_i. Returns (spread of b_i over alpha0, a0, alpha,
    UG, UD). Accuracy ~1e-8 relative (a value-based argmax resolves sqrt(eps))."""
    c = np.asarray(c, float)
    k = np.asarray(k, float)
    b = np.array([best_response_by_value(delta, 0.0, c[i], k[i]) for i in range(c.size)])
    spread = 0.0
    for scale in (0.37, 3.1):      # alpha0 of the size of b_i (a far larger alpha0 drowns b_i)
        bb = np.array([best_response_by_value(delta, scale * b[i], c[i], k[i]) - scale * b[i]
                       for i in range(c.size)])
        spread = max(spread, float(np.max(np.abs(bb - b) / np.maximum(b, 1e-300))))

    def ug_of(a0):
        return delta * np.sum(a0 + b) - c0 * a0 ** k0

    a0 = 0.0 if delta <= 0 else _argmax_bounded(ug_of, 0.0, _bracket(ug_of))
    alpha = a0 + b
    ug = delta * alpha.sum() - c0 * a0 ** k0
    ud = (1 - delta) * alpha - c * (alpha - a0) ** k
    return spread, a0, alpha, ug, ud


def spe_nested(delta, c0, k0, c, k):
    """Fully nested backward induction by value: G's objective calls D_i's value-based best
    responses at every alpha0. The sqrt(eps) noise of the inner argmax enters G's objective at
    first order, so alpha0 is only resolved to ~1e-4 relative: a check for gross errors only."""
    c = np.asarray(c, float)
    k = np.asarray(k, float)

    def ug_of(a0):
        return delta * sum(best_response_by_value(delta, a0, c[i], k[i]) for i in range(c.size)) \
            - c0 * a0 ** k0

    a0 = 0.0 if delta <= 0 else _argmax_bounded(ug_of, 0.0, _bracket(ug_of))
    alpha = np.array([best_response_by_value(delta, a0, c[i], k[i]) for i in range(c.size)])
    ug = delta * alpha.sum() - c0 * a0 ** k0
    ud = (1 - delta) * alpha - c * (alpha - a0) ** k
    return a0, alpha, ug, ud


# ----------------------------------------------------------------------------------------------
# Closed forms: printed (Theorem 10.1, Corollary 10.1, Table 1, Props. 10.1-10.5) and derived
# ----------------------------------------------------------------------------------------------
def printed_spe(delta, n, c0, k0, c, k):
    """Theorem 10.1 and Corollary 10.1 eqs. (13)-(14); Table 1's UD_i form as a second column."""
    p0 = 1.0 / (k0 - 1.0)
    pi = 1.0 / (k - 1.0)
    a0 = (n * delta / (c0 * k0)) ** p0
    alpha = a0 + ((1 - delta) / (c * k)) ** pi
    ug = (n * (n / (c0 * k0)) ** p0 * (1 - 1 / k0) * delta ** (k0 * p0)
          + delta * np.sum((c * k) ** (-pi) * (1 - delta) ** pi))
    ud14 = (n / (c0 * k0)) ** p0 * delta ** p0 * (1 - delta) + (c * k) ** (-pi) * (1 - 1 / k) * (
        1 - delta) ** (k * pi)
    ud_tab = (n / (c0 * k0)) ** p0 * (delta ** p0 - delta ** (k0 * p0)) + (c * k) ** (-pi) * (
        1 - 1 / k) * (1 - delta) ** (k * pi)
    return a0, alpha, ug, ud14, ud_tab


def printed_pg(n, c0, c):            # Table 1 / Prop. 10.1
    s1 = np.sum(1 / c)
    return s1 / (2 * s1 - n * n / c0) if np.sum(c0 / c) / n > n else 1.0


def printed_pd(n, c0, ci):           # Table 1 / Prop. 10.2
    return (2 * c0 - 2 * n * ci) / (c0 - 2 * n * ci) if c0 / ci < n else 0.0


def printed_mp(n, c0, c):            # Table 1 / Prop. 10.3
    return 0.0 if np.sum(c0 / c) / n > n else 1.0


def printed_vm(n, c0, c):            # Table 1 / Prop. 10.4
    return n * n / (n * n + np.sum(c0 / c))


def printed_eg(n, c0, c):            # Table 1 / Prop. 10.5, read as "+ n - (c0/cmax) n - c0 K"
    K = np.sum(1 / c)
    mu = c0 / np.max(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((math.sqrt(c0 * c0 * K * K - 2 * c0 * n * K + mu * n * n + n * n) + n - mu * n - c0 * K)
                / np.float64(n * n + 2 * n - mu - 2 * c0 * K))


def derived_pg(n, c0, c):
    t = c0 * np.sum(1 / c)
    return t / (2 * t - n * n) if t > n * n else 1.0


def derived_pd(n, c0, ci):
    return (n * ci - c0) / (2 * n * ci - c0) if n * ci > c0 else 0.0


def derived_mp(n, c0, c):
    """0 if c0 S1 > n^2, 1 if c0 S1 < n^2; at equality every delta is optimal (reported: 1)."""
    return 0.0 if c0 * np.sum(1 / c) > n * n else 1.0


def derived_vm(n, c0, c):
    return n * n / (n * n + c0 * np.sum(1 / c))


def derived_crossing(n, c0, c):
    """The unique delta in (0, 1) with UG = UD_j, j = argmax c_i (cancellation-free)."""
    t = c0 * np.sum(1 / c) - n
    mu = c0 / np.max(c)
    R = math.hypot(t, n * math.sqrt(mu))
    if t >= 0:
        return mu / (t + mu + R)
    return (R - t) / (R - t + n * n)


def derived_eg(n, c0, c):
    return max(derived_crossing(n, c0, c), derived_pd(n, c0, np.max(c)))


# Two-player Propositions 3.2-3.6 as printed (Section 3)
def prop32(c0, c1):
    return c0 / (2 * c0 - c1) if c1 < c0 else 1.0


def prop33(c0, c1):
    return 0.0 if c1 < c0 else (c1 - c0) / (2 * c1 - c0)


def prop34(c0, c1):
    return 0.0 if c1 < c0 else 1.0


def prop35(c0, c1):
    return c1 / (c1 + c0)


def prop36(c0, c1):
    with np.errstate(divide="ignore", invalid="ignore"):
        return (-math.sqrt(c0 * c0 - c0 * c1 + c1 * c1) - c1 + 2 * c0) / np.float64(3 * (c0 - c1))


# ----------------------------------------------------------------------------------------------
# Numeric bargaining solutions (quadratic costs)
# ----------------------------------------------------------------------------------------------
def objectives(pd_idx):
    """name -> objective(a0, alpha, ug, ud) over a delta array."""
    obj = {
        "powerful-G": lambda a0, al, ug, ud: ug,
        "max-performance": lambda a0, al, ug, ud: al.sum(axis=1),
        "vertical monopoly": lambda a0, al, ug, ud: ug + ud.sum(axis=1),
        "egalitarian": lambda a0, al, ug, ud: np.minimum(ug, ud.min(axis=1)),
    }
    for j in pd_idx:
        obj[("powerful-D", j)] = (lambda jj: (lambda a0, al, ug, ud: ud[:, jj]))(j)
    return obj


def numeric_argmax(fun_grid, f_scalar, grid):
    """Dense grid, then bounded Brent on the two grid cells around the best grid point; the ends
    0 and 1 are candidates too (bounded Brent never evaluates its bounds)."""
    j = int(np.argmax(fun_grid))
    lo = grid[max(j - 1, 0)]
    hi = grid[min(j + 1, grid.size - 1)]
    mid = grid[j]
    r = minimize_scalar(lambda t: -f_scalar(mid + t), bounds=(lo - mid, hi - mid), method="bounded",
                        options={"xatol": 3e-9, "maxiter": 500})
    cands = [(fun_grid[0], 0.0), (fun_grid[-1], 1.0), (fun_grid[j], mid), (-r.fun, mid + r.x)]
    best = max(v for v, _ in cands)
    # among equal values prefer an exact end, then the grid point, then the refined point
    return next(d for v, d in cands if v == best), best


def solve_game_numeric(n, c0, c, pd_idx, grid):
    g = PowerCost(c0, 2.0)
    d = PowerCost(c, np.full(n, 2.0))
    a0, al, ug, ud = spe_numeric(grid, g, d)
    out = {}
    for name, f in objectives(pd_idx).items():
        vals = f(a0, al, ug, ud)

        def fs(x, f=f):
            x = min(max(x, 0.0), 1.0)
            return float(f(*spe_numeric(np.array([x]), g, d))[0])

        dstar, vstar = numeric_argmax(vals, fs, grid)
        out[name] = (dstar, vstar, fs, float(np.ptp(vals)), float(np.max(np.abs(vals))))
    return out


def formula_values(n, c0, c, pd_idx):
    pr, de = {}, {}
    pr["powerful-G"], de["powerful-G"] = printed_pg(n, c0, c), derived_pg(n, c0, c)
    pr["max-performance"], de["max-performance"] = printed_mp(n, c0, c), derived_mp(n, c0, c)
    pr["vertical monopoly"], de["vertical monopoly"] = printed_vm(n, c0, c), derived_vm(n, c0, c)
    pr["egalitarian"], de["egalitarian"] = printed_eg(n, c0, c), derived_eg(n, c0, c)
    for j in pd_idx:
        pr[("powerful-D", j)] = printed_pd(n, c0, c[j])
        de[("powerful-D", j)] = derived_pd(n, c0, c[j])
    return pr, de


def egalitarian_claims(n, c0, c):
    """Derived structural claims about the egalitarian solution (doc section 4.5); returns a list
    of the claims that fail for this game (ties within 1e-9 are not judged)."""
    bad = []
    s1 = float(np.sum(1 / c))
    mu = c0 / float(np.max(c))
    dc = derived_crossing(n, c0, c)
    pg = derived_pg(n, c0, c)
    pdj = derived_pd(n, c0, float(np.max(c)))
    a2 = n * n + 2 * n - mu - 2 * c0 * s1        # Q(delta) = a2 delta^2 + a1 delta - mu = 4 c0 (UG - UD_j)
    a1 = 2 * (c0 * s1 + mu - n)
    q = lambda d: a2 * d * d + a1 * d - mu
    scale = abs(a2) + abs(a1) + mu
    if abs(q(dc)) > 1e-12 * scale:
        bad.append("crossing is not a root of Q")
    if dc > pg + 1e-12:
        bad.append("crossing above powerful-G")
    if c0 * s1 > n * n and dc >= 0.5:
        bad.append("crossing >= 1/2 although powerful-G < 1")
    if pdj > 0 and abs(dc - pdj) > 1e-9 and ((q(pdj) > 0) != (dc < pdj)):
        bad.append("clamp condition Q(PD_j) > 0")
    m = float(np.max(c))
    E = 2 * c0 * m * s1 * (n * m - c0) + n * c0 * c0 - n * (2 * n - 1) * c0 * m + n * n * (n - 2) * m * m
    Escale = 2 * c0 * m * s1 * (n * m + c0) + n * c0 * c0 + n * (2 * n - 1) * c0 * m + n * n * (n + 2) * m * m
    if pdj > 0 and abs(dc - pdj) > 1e-9 and abs(E) > 1e-12 * Escale and ((E > 0) != (dc < pdj)):
        bad.append("clamp condition E > 0")
    if abs(a2) > 1e-6 * scale:
        pe = printed_eg(n, c0, c)
        if abs((pe - dc) - mu * (1 - n) / a2) > 1e-9 * (1 + abs(pe)):
            bad.append("printed - crossing = mu (1 - n) / a2")
    if np.all(c == c[0]) and pdj > 0 and abs(dc - pdj) > 1e-9:
        x = c[0] / c0
        S = math.sqrt(x * x - x + 1)
        if ((n * (n - 2) * x * x + x - 1 > 0) != (dc < pdj)):
            bad.append("identical-cost clamp condition")
        if abs(dc - (S + x) / (S + x + n * (S + 1))) > 1e-13:
            bad.append("identical-cost crossing (S + x)/(S + x + n (S + 1))")
    return bad


def draw_game(rng):
    n = int(rng.integers(1, 17))
    c0 = 10.0 ** rng.uniform(-3, 3)
    if rng.random() < 0.25:
        c = np.full(n, 10.0 ** rng.uniform(-3, 3))
    else:
        c = 10.0 ** rng.uniform(-3, 3, size=n)
    return n, c0, c


def pd_indices(c, rng):
    """Specialists whose powerful-D solution is checked: cheapest, costliest, one random."""
    idx = [int(np.argmin(c)), int(np.argmax(c)), int(rng.integers(0, c.size))]
    seen, out = set(), []
    for j in idx:
        if c[j] not in seen:
            seen.add(c[j])
            out.append(j)
    return out


# ----------------------------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------------------------
def rel_err(a, b):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    den = np.maximum(np.abs(b), 1e-300)
    e = np.abs(a - b) / den
    return np.where((a == b), 0.0, e)


def check_spe(rng, n_draws):
    """Theorem 10.1 / Corollary 10.1 for general k0, k_i against the numeric solver."""
    worst = {"alpha0 (Thm 10.1)": 0.0, "alpha_i (Thm 10.1)": 0.0, "UG (eq. 13 / Table 1)": 0.0,
             "UD_i (eq. 14)": 0.0, "UD_i (Table 1 form)": 0.0}
    for _ in range(n_draws):
        n = int(rng.integers(1, 17))
        k0 = rng.uniform(1.2, 4.0)
        k = rng.uniform(1.2, 4.0, size=n)
        c0 = 10.0 ** rng.uniform(-3, 3)
        c = 10.0 ** rng.uniform(-3, 3, size=n)
        deltas = np.concatenate([[0.0, 1.0, 0.5], rng.random(6)])
        a0, al, ug, ud = spe_numeric(deltas, PowerCost(c0, k0), PowerCost(c, k))
        for m, dl in enumerate(deltas):
            pa0, pal, pug, pud14, pudt = printed_spe(dl, n, c0, k0, c, k)
            worst["alpha0 (Thm 10.1)"] = max(worst["alpha0 (Thm 10.1)"], float(rel_err(pa0, a0[m])))
            worst["alpha_i (Thm 10.1)"] = max(worst["alpha_i (Thm 10.1)"], float(rel_err(pal, al[m]).max()))
            worst["UG (eq. 13 / Table 1)"] = max(worst["UG (eq. 13 / Table 1)"], float(rel_err(pug, ug[m])))
            worst["UD_i (eq. 14)"] = max(worst["UD_i (eq. 14)"], float(rel_err(pud14, ud[m]).max()))
            worst["UD_i (Table 1 form)"] = max(worst["UD_i (Table 1 form)"], float(rel_err(pudt, ud[m]).max()))
    # value-based solvers on a sample (no first-order conditions): validate the decoupling
    by_value, nested = 0.0, 0.0
    for m in range(40):
        n = int(rng.integers(1, 5))
        k0 = rng.uniform(1.5, 4.0)
        k = rng.uniform(1.5, 4.0, size=n)
        c0 = 10.0 ** rng.uniform(-2, 2)
        c = 10.0 ** rng.uniform(-2, 2, size=n)
        dl = float(rng.uniform(0.02, 0.98))
        pa0, pal, pug, pud14, _ = printed_spe(dl, n, c0, k0, c, k)
        spread, va0, val, vug, vud = spe_by_value(dl, c0, k0, c, k)
        by_value = max(by_value, spread, float(rel_err(pa0, va0)), float(rel_err(pal, val).max()),
                       float(rel_err(pug, vug)), float(rel_err(pud14, vud).max()))
        if m < 10:
            na0, nal, nug, nud = spe_nested(dl, c0, k0, c, k)
            nested = max(nested, float(rel_err(pa0, na0)), float(rel_err(pal, nal).max()),
                         float(rel_err(pug, nug)), float(rel_err(pud14, nud).max()))
    return worst, by_value, nested


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args()
    t_start = time.time()
    np.seterr(all="ignore")   # log(0), exp overflow at the ends are handled explicitly
    rng = np.random.default_rng(args.seed)
    grid = np.linspace(0.0, 1.0, GRID)
    failures = []

    # --- 1. subgame perfect equilibrium, general k -------------------------------------------
    spe_worst, by_value, nested = check_spe(rng, 300)

    # --- 2. bargaining solutions, quadratic costs, random games ------------------------------
    names = ["powerful-G", "powerful-D", "max-performance", "vertical monopoly", "egalitarian"]
    stats = {nm: {"pr": 0.0, "de": 0.0, "bad": 0, "cnt": 0, "ex": None, "tie": 0} for nm in names}
    stats["egalitarian, crossing only"] = {"pr": 0.0, "de": 0.0, "bad": 0, "cnt": 0, "ex": None, "tie": 0}
    clamp_binds = 0
    eg_printed_outside = 0
    for _ in range(args.draws):
        n, c0, c = draw_game(rng)
        pd_idx = pd_indices(c, rng)
        num = solve_game_numeric(n, c0, c, pd_idx, grid)
        pr, de = formula_values(n, c0, c, pd_idx)
        for key, (dnum, vnum, fs, ptp, vmax) in num.items():
            nm = key[0] if isinstance(key, tuple) else key
            st = stats[nm]
            st["cnt"] += 1
            if nm == "max-performance" and ptp <= 1e-13 * vmax:
                continue  # degenerate (c0 S1 = n^2): every delta is optimal
            e_pr = abs(pr[key] - dnum) if np.isfinite(pr[key]) else math.inf
            e_de = abs(de[key] - dnum)
            if e_de > TOL:
                # flat maximum? the derived point must then be at least as good as the numeric one
                if fs(de[key]) >= vnum - 3.2e-15 * abs(vnum):
                    st["tie"] += 1
                    e_de_gate = 0.0
                else:
                    e_de_gate = e_de
            else:
                e_de_gate = e_de
            st["pr"] = max(st["pr"], e_pr)
            st["de"] = max(st["de"], e_de_gate)
            if e_de_gate > TOL:
                failures.append(f"{nm}: n={n} c0={c0!r} c={c.tolist()!r} derived={de[key]!r} numeric={dnum!r}")
            if e_pr > TOL:
                st["bad"] += 1
                if st["ex"] is None or e_pr > st["ex"][0]:
                    st["ex"] = (e_pr, n, c0, c.copy(), pr[key], dnum, key)
            if nm == "egalitarian":
                for claim in egalitarian_claims(n, c0, c):
                    failures.append(f"egalitarian claim '{claim}' fails: n={n} c0={c0!r} c={c.tolist()!r}")
                if not 0.0 <= pr[key] <= 1.0:
                    eg_printed_outside += 1
                cr = derived_crossing(n, c0, c)
                s2 = stats["egalitarian, crossing only"]
                s2["cnt"] += 1
                e_cr = abs(cr - dnum)
                s2["pr"] = max(s2["pr"], e_cr)
                s2["de"] = max(s2["de"], e_de_gate)
                if e_cr > TOL:
                    s2["bad"] += 1
                    clamp_binds += 1
                    if s2["ex"] is None or e_cr > s2["ex"][0]:
                        s2["ex"] = (e_cr, n, c0, c.copy(), cr, dnum, key)

    # --- 3. n = 1 against Propositions 3.2-3.6 ------------------------------------------------
    red = {"powerful-G vs Prop 3.2": [0.0, 0.0], "powerful-D vs Prop 3.3": [0.0, 0.0],
           "max-performance vs Prop 3.4": [0.0, 0.0], "vertical monopoly vs Prop 3.5": [0.0, 0.0],
           "egalitarian vs Prop 3.6": [0.0, 0.0]}
    for _ in range(5000):
        c0 = 10.0 ** rng.uniform(-3, 3)
        c1 = 10.0 ** rng.uniform(-3, 3)
        c = np.array([c1])
        pairs = [("powerful-G vs Prop 3.2", printed_pg(1, c0, c), derived_pg(1, c0, c), prop32(c0, c1)),
                 ("powerful-D vs Prop 3.3", printed_pd(1, c0, c1), derived_pd(1, c0, c1), prop33(c0, c1)),
                 ("max-performance vs Prop 3.4", printed_mp(1, c0, c), derived_mp(1, c0, c), prop34(c0, c1)),
                 ("vertical monopoly vs Prop 3.5", printed_vm(1, c0, c), derived_vm(1, c0, c), prop35(c0, c1)),
                 ("egalitarian vs Prop 3.6", printed_eg(1, c0, c), derived_eg(1, c0, c), prop36(c0, c1))]
        for nm, p, d, ref in pairs:
            # Prop 3.6 as printed loses ~eps/|1 - c1/c0| near c0 = c1: compare relative to that
            scale = 1.0 if nm != "egalitarian vs Prop 3.6" else max(1.0, 1e-9 / abs(1 - c1 / c0))
            red[nm][0] = max(red[nm][0], abs(p - ref) / scale)
            red[nm][1] = max(red[nm][1], abs(d - ref) / scale)
    for nm, (ep, ed) in red.items():
        if ed > TOL:
            failures.append(f"n = 1 reduction: {nm}: derived differs by {ed:.3g}")

    # --- 4. fixed cases: boundaries and the counterexamples quoted in the doc -----------------
    fixed = [
        ("n=1, c0=c1=1 (Prop 3.2/3.3 boundary, max-perf degenerate)", 1, 1.0, [1.0]),
        ("n=1, c0=1, c1=2 (powerful-D counterexample)", 1, 1.0, [2.0]),
        ("n=2, c0=1, c=(1,1) (egalitarian: printed 0, crossing = PD_j)", 2, 1.0, [1.0, 1.0]),
        ("n=2, c0=1, c=(3,3) (egalitarian clamp, n = 2)", 2, 1.0, [3.0, 3.0]),
        ("n=2, c0=1, c=(0.5,2) (egalitarian: printed 0, root 1/5, answer 3/7)", 2, 1.0, [0.5, 2.0]),
        ("n=3, c0=1, c=(0.5,1,4) (heterogeneous)", 3, 1.0, [0.5, 1.0, 4.0]),
        ("n=4, c0=4, c=1 (c0 S1 = n^2 and n c = c0)", 4, 4.0, [1.0] * 4),
        ("n=3, c0=6, c=1 (c0 = 2 n c: UD_i linear in delta)", 3, 6.0, [1.0] * 3),
        ("n=16, c0=1, c=1 (egalitarian clamp)", 16, 1.0, [1.0] * 16),
        ("n=5, c0=0.01, c=(0.001,..,1000) (spread)", 5, 0.01, [1e-3, 1e-1, 1.0, 10.0, 1e3]),
    ]
    fixed_rows = []
    for label, n, c0, c in fixed:
        c = np.array(c, float)
        pd_idx = sorted({int(np.argmin(c)), int(np.argmax(c))})
        num = solve_game_numeric(n, c0, c, pd_idx, grid)
        pr, de = formula_values(n, c0, c, pd_idx)
        row = [label]
        for key in ["powerful-G", ("powerful-D", pd_idx[-1]), "max-performance", "vertical monopoly",
                    "egalitarian"]:
            dnum, vnum, fs, ptp, vmax = num[key]
            degenerate = key == "max-performance" and ptp <= 1e-13 * vmax
            if degenerate:
                row.append((key, pr[key], de[key], "all"))
                continue
            e_de = abs(de[key] - dnum)
            if e_de > TOL and not fs(de[key]) >= vnum - 3.2e-15 * abs(vnum):
                failures.append(f"fixed case {label}: {key}: derived {de[key]!r} numeric {dnum!r}")
            row.append((key, pr[key], de[key], dnum))
        fixed_rows.append(row)

    # --- report ----------------------------------------------------------------------------
    for nm, v in spe_worst.items():
        if v > TOL:
            failures.append(f"SPE check {nm}: relative error {v:.3g}")
    if by_value > VALUE_TOL:
        failures.append(f"value-based SPE check: relative error {by_value:.3g}")
    if nested > NESTED_TOL:
        failures.append(f"fully nested value-based SPE check: relative error {nested:.3g}")

    def verdict(st):
        if st["bad"] == 0:
            return "printed OK"
        if st["bad"] == st["cnt"]:
            return "printed WRONG (all draws)"
        return f"printed WRONG in {st['bad']}/{st['cnt']} draws"

    print("Table 1 / Section 10 verification (quadratic costs for the bargaining rows)")
    print(f"seed {args.seed}, {args.draws} random games, n = 1..16, c0, c_i log-uniform in [1e-3, 1e3]"
          f" (25% with identical c_i); grid {GRID} + bounded Brent; tolerance {TOL:g}\n")
    print(f"{'entry':34s} {'printed max err':>16s} {'derived max err':>16s}  verdict")
    print("-" * 100)
    for nm, v in spe_worst.items():
        print(f"{nm:34s} {v:16.3e} {v:16.3e}  {'printed OK (= derived), general k' if v <= TOL else 'MISMATCH'}")
    print(f"{'SPE by value (no FOC)':34s} {by_value:16.3e} {by_value:16.3e}  "
          f"{'agrees (gate 1e-5: value-based argmax)' if by_value <= VALUE_TOL else 'MISMATCH'}")
    print(f"{'SPE fully nested by value':34s} {nested:16.3e} {nested:16.3e}  "
          f"{'agrees (gate 1e-2: gross errors only)' if nested <= NESTED_TOL else 'MISMATCH'}")
    for nm, st in stats.items():
        pr_txt = "inf/NaN" if not np.isfinite(st["pr"]) else f"{st['pr']:.3e}"
        extra = f" [{st['tie']} flat-max ties]" if st["tie"] else ""
        if nm == "egalitarian, crossing only":
            print(f"{'  egal.: UG = UD_j root, no clamp':34s} {pr_txt:>16s} {st['de']:16.3e}  "
                  f"root alone wrong in {st['bad']}/{st['cnt']} draws (PD_j clamp binds)")
            continue
        print(f"{nm:34s} {pr_txt:>16s} {st['de']:16.3e}  {verdict(st)}{extra}")
    print("\nn = 1 reduction (max |difference| to the two-player proposition):")
    for nm, (ep, ed) in red.items():
        print(f"  {nm:32s} Table 1 entry {ep:10.3e}   derived {ed:10.3e}")
    print("\nWorst printed-formula errors (counterexamples):")
    for nm, st in stats.items():
        if st["ex"] is None:
            continue
        e, n, c0, c, p, dnum, key = st["ex"]
        cs = np.array2string(c, precision=6, max_line_width=200)
        j = f" (i = {key[1]})" if isinstance(key, tuple) else ""
        print(f"  {nm}{j}: n={n} c0={c0:.6g} c={cs}\n      printed {p:.10g}  numeric {dnum:.10g}")
    print("\nFixed cases (printed / derived / numeric delta):")
    for row in fixed_rows:
        print(f"  {row[0]}")
        for key, p, d, dn in row[1:]:
            nm = key[0] + f" i={key[1]}" if isinstance(key, tuple) else key
            dn_txt = "any (objective constant)" if isinstance(dn, str) else f"{dn:.12f}"
            print(f"      {nm:18s} {p:15.12f} {d:15.12f}  {dn_txt}")
    print(f"\negalitarian: the PD_j clamp decided the answer in {clamp_binds} of {args.draws} random games;"
          f" the printed formula fell outside [0, 1] in {eg_printed_outside}")
    print(f"elapsed {time.time() - t_start:.1f} s")
    if failures:
        print("\nFAILURES (derived formula vs numeric solver):")
        for f in failures[:50]:
            print("  " + f)
        sys.exit(1)
    print("all derived formulas agree with the numeric solver")


if __name__ == "__main__":
    main()
