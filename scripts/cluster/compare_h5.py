#!/usr/bin/python3
"""scripts/cluster/compare_h5.py A.h5 B.h5: are two ftg-results files the same sweep result?

Every dataset (found generically: any name, rank and dtype) must exist in both with the same
dtype, shape and bytes (NaN bit patterns included), and the same attributes apart from the
dimension-scale bookkeeping (DIMENSION_LIST, REFERENCE_LIST). Root attributes must be equal
except provenance that legitimately differs between runs (dates, history, command line, thread
count) and the merge/shard bookkeeping. Reading goes through h5py, so a virtual-dataset file is
compared through to its shards.
Exit status: 0 identical; 1 different (one line per difference); 77 h5py missing.
Run with /usr/bin/python3 (Debian's; pyenv's python3 lacks h5py).
"""
import sys

PROVENANCE = {"date_start", "date_end", "history", "command_line", "threads", "merged_from_shards",
              "shard_index", "num_shards", "shard_tile_first", "shard_tile_last", "tile_count",
              "tile_axes", "tile_shape"}
DS_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST"}


def same_attr(x, y):
    import numpy as np
    try:  # bytes, so that NaN (a _FillValue) equals itself
        ax, ay = np.asarray(x), np.asarray(y)
        return ax.dtype == ay.dtype and ax.shape == ay.shape and ax.tobytes() == ay.tobytes()
    except Exception:
        return x == y


def main(argv):
    if len(argv) != 3:
        print("usage: compare_h5.py A.h5 B.h5")
        return 2
    try:
        import h5py
        import numpy as np
    except ImportError as exc:
        print(f"SKIP: {exc}")
        return 77
    a_path, b_path = argv[1], argv[2]
    diffs = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        for name in sorted(set(a.attrs) | set(b.attrs)):
            if name in PROVENANCE:
                continue
            if name not in a.attrs or name not in b.attrs:
                diffs.append(f"root attribute {name}: only in {'A' if name in a.attrs else 'B'}")
            elif not same_attr(a.attrs[name], b.attrs[name]):
                diffs.append(f"root attribute {name}: {a.attrs[name]!r} != {b.attrs[name]!r}")
        names = sorted(set(a) | set(b))
        for name in names:
            if name not in a or name not in b:
                diffs.append(f"dataset {name}: only in {'A' if name in a else 'B'}")
                continue
            x, y = a[name], b[name]
            if x.dtype != y.dtype or x.shape != y.shape:
                diffs.append(f"dataset {name}: {x.dtype}{x.shape} != {y.dtype}{y.shape}")
                continue
            xa, ya = x[()], y[()]
            if np.asarray(xa).tobytes() != np.asarray(ya).tobytes():
                n = int(np.sum(np.asarray(xa).view(np.uint8) != np.asarray(ya).view(np.uint8)))
                diffs.append(f"dataset {name}: data differ ({n} bytes)")
            for att in sorted((set(x.attrs) | set(y.attrs)) - DS_ATTRS):
                if att not in x.attrs or att not in y.attrs or not same_attr(x.attrs[att], y.attrs[att]):
                    diffs.append(f"dataset {name}: attribute {att} differs")
            xd = [d.label or (d[0].name if len(d) else "") for d in x.dims]
            yd = [d.label or (d[0].name if len(d) else "") for d in y.dims]
            if xd != yd:
                diffs.append(f"dataset {name}: dimensions {xd} != {yd}")
    for d in diffs:
        print(f"compare_h5: {a_path} vs {b_path}: {d}")
    if not diffs:
        print(f"compare_h5: identical data in {len(names)} datasets: {a_path} {b_path}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
