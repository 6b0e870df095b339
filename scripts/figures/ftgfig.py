"""Shared helpers of the figure scripts in scripts/figures/ (read ftg-results HDF5 files, save figures).

Every figure script reads `ftg run` output (output_schemas/ftg_results_v1.md) with h5py, names the
variables it needs, and stops with one line `SCRIPT: FILE: problem` and exit status 1 when a file
or variable is missing or has the wrong shape. Nothing here depends on our sweep names: a variable
is found by its schema name, an axis by its dimension-scale name, and a fixed parameter (one that
is not an axis) by the resolved sweep text stored in the file (`sweep_text`).

Runs on Debian's python3-numpy, python3-h5py and python3-matplotlib (/usr/bin/python3).
"""
import argparse
import configparser
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

try:
    import h5py  # noqa: E402
except ImportError:  # pragma: no cover
    h5py = None

PROG = os.path.basename(sys.argv[0])
FILL = 255  # _FillValue of categorical variables (output_schemas/ftg_results_v1.hpp)

# Paper notation (arXiv:2308.04399v3) for axis labels and legends.
LABEL = {"delta": r"$\delta$", "c1": r"$c_1$", "c0": r"$c_0$", "ratio": r"$c_1/c_0$",
         "f": r"fixed cost $f$", "m": r"marginal cost $m$", "n": r"number of specialists $n$",
         "k0": r"$k_0$", "k1": r"$k_1$"}
SOLUTION_LABEL = {"powerful_g": "Powerful G", "powerful_d": "Powerful D",
                  "max_performance": r"Max $\alpha_1^*$", "vertical_monopoly": "Vertical monopoly",
                  "egalitarian": "Egalitarian", "nash": "Nash", "kalai_smorodinsky": "Kalai-Smorodinsky",
                  "generalized_nash": r"Generalized Nash ($\beta$)"}
SOLUTION_STYLE = {"powerful_g": ("tab:blue", "-"), "powerful_d": ("tab:orange", "-"),
                  "max_performance": ("tab:purple", ":"), "vertical_monopoly": ("tab:green", "-"),
                  "egalitarian": ("tab:brown", "--"), "nash": ("tab:red", "-"),
                  "kalai_smorodinsky": ("tab:pink", "-."), "generalized_nash": ("tab:gray", ":")}
SOLUTIONS = list(SOLUTION_LABEL)


def fail(msg, code=1):
    """One line on stderr naming the script, then exit (non-zero)."""
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(code)


def parser(doc, inputs):
    """argparse with positional input files (names in `inputs`), --out and --dpi."""
    p = argparse.ArgumentParser(description=doc.strip().splitlines()[0], epilog=doc)
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    for name, help_ in inputs:
        p.add_argument(name, help=help_)
    p.add_argument("-o", "--out", default=".", help="output directory (created; default .)")
    p.add_argument("--dpi", type=int, default=100, help="PNG resolution (default 100)")
    p.add_argument("--select", action="append", default=[], metavar="AXIS=VALUE",
                   help="take one value of an axis the plot does not use, e.g. --select c0=1 on a sweep "
                        "over c0 (repeatable; the value must be on the axis, within 1e-9 relative)")
    return p


def selections(items):
    """{axis: value} from --select AXIS=VALUE arguments; a malformed one stops the script."""
    sel = {}
    for it in items:
        name, eq, value = it.partition("=")
        try:
            if not eq or not name.strip():
                raise ValueError
            sel[name.strip()] = float(value)
        except ValueError:
            fail(f"--select '{it}': expected AXIS=VALUE, e.g. c0=1", 2)
    return sel


class Result:
    """An ftg-results file opened read-only; variables are read by name with their dims."""

    def __init__(self, path, select=None):
        """select: {axis: value} to slice axes the plot does not use (--select); see selections()."""
        self.select = dict(select or {})
        if h5py is None:
            fail("h5py is not importable (run with /usr/bin/python3, Debian's python3-h5py)")
        self.path = path
        if not os.path.isfile(path):
            fail(f"{path}: no such file")
        try:
            self.f = h5py.File(path, "r")
        except OSError as exc:
            fail(f"{path}: not an HDF5 file ({exc})")
        schema = self.f.attrs.get("schema", b"")
        schema = schema.decode() if isinstance(schema, bytes) else str(schema)
        if schema != "ftg-results":
            fail(f"{path}: not an ftg-results file (root attribute schema = {schema!r})")
        text = self.f.attrs.get("sweep_text", b"")
        text = text.decode() if isinstance(text, bytes) else str(text)
        self.sweep = configparser.ConfigParser(inline_comment_prefixes=("#",), strict=False)
        try:
            self.sweep.read_string("\n".join(l for l in text.splitlines() if not l.startswith("#")))
        except configparser.Error:
            pass
        self.index = {}  # axis -> index of the selected value
        for name, value in self.select.items():
            if not self.has(name) or self.f[name].ndim != 1:
                fail(f"{path}: --select {name}={value:g}: the file has no axis '{name}'")
            vals = np.asarray(self.f[name][()], dtype=float)
            i = int(np.argmin(np.abs(vals - value)))
            if not abs(vals[i] - value) <= 1e-9 * max(abs(value), 1e-300):
                fail(f"{path}: --select {name}={value:g}: not a value of axis '{name}' "
                     f"({len(vals)} values from {vals.min():g} to {vals.max():g})")
            self.index[name] = i

    def has(self, name):
        return name in self.f and isinstance(self.f[name], h5py.Dataset)

    def require(self, names, why):
        for n in names:
            if not self.has(n):
                fail(f"{self.path}: variable '{n}' is missing (needed for {why})")

    def dims(self, name):
        ds = self.f[name]
        return tuple(ds.dims[i][0].name.lstrip("/") if len(ds.dims[i]) else f"dim{i}"
                     for i in range(ds.ndim))

    def axis(self, name):
        if not self.has(name):
            fail(f"{self.path}: axis '{name}' is missing")
        return np.asarray(self.f[name][()], dtype=float)

    def get(self, name, order, why=""):
        """The variable with its dims in `order`; other dims must have length 1 (squeezed)."""
        self.require([name], why or name)
        ds = self.f[name]
        data = ds[()]
        dims = list(self.dims(name))
        for d in [d for d in dims if d in self.index and d not in order]:  # --select slices
            data = np.take(data, [self.index[d]], axis=dims.index(d))
        for d in order:
            if d not in dims:
                fail(f"{self.path}: variable '{name}' has dims {tuple(dims)}, no '{d}' axis"
                     f"{' (needed for ' + why + ')' if why else ''}")
        extra = [d for d in dims if d not in order]
        for d in extra:
            if data.shape[dims.index(d)] != 1:
                fail(f"{self.path}: variable '{name}' has an extra axis '{d}' of length "
                     f"{data.shape[dims.index(d)]} (this plot takes dims {tuple(order)}; "
                     f"choose one value with --select {d}=VALUE)")
        data = np.transpose(data, [dims.index(d) for d in order] + [dims.index(d) for d in extra])
        data = data.reshape(data.shape[:len(order)])
        if data.dtype.kind == "f":
            return data.astype(float)
        return data

    def flags(self, name):
        """{meaning: code} of a categorical variable."""
        m = self.f[name].attrs.get("flag_meanings", b"")
        m = m.decode() if isinstance(m, bytes) else str(m)
        return {w: i for i, w in enumerate(m.split())}

    def param(self, name, default=None):
        """A fixed parameter: a selected or length-1 axis, else the [grid] value of the sweep text."""
        if name in self.index:
            return float(self.f[name][self.index[name]])
        if self.has(name) and self.f[name].ndim == 1 and self.f[name].shape[0] == 1:
            return float(self.f[name][0])
        if self.has(name) and self.f[name].ndim == 1 and self.f[name].shape[0] > 1:
            fail(f"{self.path}: parameter '{name}' is an axis of length {self.f[name].shape[0]}; "
                 f"this plot needs it fixed (choose one value with --select {name}=VALUE)")
        for section in ("grid", "population"):
            if self.sweep.has_option(section, name):
                try:
                    return float(self.sweep.get(section, name).split(",")[0])
                except ValueError:
                    break
        if default is not None:
            return default
        fail(f"{self.path}: parameter '{name}' is neither a fixed axis nor in the sweep text")

    def not_ok(self, status_names):
        """Count of failure statuses (neither ok nor disagreement) over the given status variables."""
        bad = 0
        for s in status_names:
            if self.has(s):
                fl = self.flags(s)
                v = self.f[s][()]
                bad += int(np.sum((v != fl.get("ok", 0)) & (v != fl.get("disagreement", 6)) & (v != FILL)))
        return bad


def ratio_axis(res, why):
    """c1/c0 over the file's c1 axis (c0 fixed)."""
    c1 = res.axis("c1")
    c0 = res.param("c0")
    return c1 / c0


def save(fig, out, stem, dpi):
    """Write OUT/STEM.png and OUT/STEM.pdf (atomically); return the PNG path."""
    os.makedirs(out, exist_ok=True)
    paths = []
    for ext in ("png", "pdf"):
        path = os.path.join(out, f"{stem}.{ext}")
        tmp = path + ".partial." + ext
        fig.savefig(tmp, dpi=dpi if ext == "png" else None)
        os.replace(tmp, path)
        paths.append(path)
    plt.close(fig)
    return paths[0]


def runs(mask):
    """[(i0, i1)] index ranges (inclusive) where a boolean array is True."""
    m = np.concatenate([[False], np.asarray(mask, bool), [False]])
    d = np.diff(m.astype(int))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1))
