"""Compares each continued file with its uninterrupted run (tests/crash/crash_resume.sh).

Every line of PAIRS is "MODE REFERENCE FILE WRITE TORN". Every data variable (each dataset
with a _FillValue) and every axis must be equal bit for bit (NaN equal to NaN), the tile record
complete, and the root attribute cells_not_ok equal. Exit status 1 names the first pair that
differs and where.
"""
import sys

import h5py
import numpy as np


def variables(f):
    return sorted(n for n, d in f.items() if isinstance(d, h5py.Dataset))


def main(pairs_path):
    checked = 0
    with open(pairs_path) as pairs:
        for line in pairs:
            mode, ref, path, n, torn = line.split()
            with h5py.File(ref, "r") as a, h5py.File(path, "r") as b:
                where = f"{mode}: killed at write {n} (torn={torn}): {path}"
                if variables(a) != variables(b):
                    sys.exit(f"{where}: variables {variables(b)} differ from {variables(a)}")
                for name in variables(a):
                    x, y = a[name][()], b[name][()]
                    if x.shape != y.shape or x.dtype != y.dtype:
                        sys.exit(f"{where}: '{name}' has shape/dtype {y.shape}/{y.dtype}, not {x.shape}/{x.dtype}")
                    if x.dtype.kind == "f":
                        same = np.array_equal(x.view(np.uint8), y.view(np.uint8)) or np.array_equal(x, y, equal_nan=True)
                    else:
                        same = np.array_equal(x, y)
                    if not same:
                        bad = np.argwhere(~((x == y) | (np.isnan(x) & np.isnan(y)) if x.dtype.kind == "f" else (x != y)))
                        sys.exit(f"{where}: '{name}' differs at {len(bad)} places, first {bad[0].tolist()}")
                if a.attrs["cells_not_ok"] != b.attrs["cells_not_ok"]:
                    sys.exit(f"{where}: cells_not_ok {b.attrs['cells_not_ok']} != {a.attrs['cells_not_ok']}")
            checked += 1
    if checked == 0:
        sys.exit("compare_runs: no pairs to compare")
    print(f"compare_runs: {checked} continued files equal their uninterrupted runs")


if __name__ == "__main__":
    main(sys.argv[1])
