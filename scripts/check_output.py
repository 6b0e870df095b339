#!/usr/bin/python3
"""scripts/check_output.py FILE: check that an ftg-results file opens in the Python and netCDF tools.

Checks (output_schemas/ftg_results_v1.md, "Readers"):
  * h5py reads it, and every dimension of every data variable has a dimension scale;
  * xarray.open_dataset(FILE, engine="h5netcdf") gives named dims and coordinates equal to the
    dimension scales, the CF attributes, categorical flags, and .sel() on every coordinate works;
  * if netCDF4 is importable, engine="netcdf4" gives the same dims;
  * `ncdump -h FILE` (netcdf-bin) prints it without error and lists every variable.
Exit status: 0 all checks passed; 1 a check failed (one line per failure on stdout); 77 skipped
because h5py/xarray/h5netcdf are missing (run it with /usr/bin/python3, not pyenv's python3).
"""
import shutil
import subprocess
import sys
import warnings

SKIP = 77


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def main(argv):
    if len(argv) != 2:
        print("usage: check_output.py FILE")
        return 2
    path = argv[1]
    try:
        import h5netcdf  # noqa: F401  (the engine xarray needs)
        import h5py
        import numpy as np
        import xarray as xr
    except ImportError as exc:
        print(f"SKIP: {exc}")
        return SKIP

    errors = []
    scales, variables = {}, {}
    with h5py.File(path, "r") as f:
        for name, obj in f.items():
            if not isinstance(obj, h5py.Dataset):
                errors.append(f"h5py: '{name}' is not a dataset")
            elif text(obj.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                scales[name] = obj[()]
            else:
                dims = []
                for i in range(obj.ndim):
                    if len(obj.dims[i]) != 1:
                        errors.append(f"h5py: dimension {i} of '{name}' has {len(obj.dims[i])} scales")
                        dims.append(None)
                    else:
                        dims.append(obj.dims[i][0].name.lstrip("/"))
                variables[name] = tuple(dims)
                obj[()]  # the data are readable
        root = {k: text(v) for k, v in f.attrs.items()}
    if root.get("schema") != "ftg-results":
        errors.append(f"h5py: root attribute schema is {root.get('schema')!r}")

    with xr.open_dataset(path, engine="h5netcdf") as ds:
        for name, values in scales.items():
            if name not in ds.coords:
                errors.append(f"xarray: '{name}' is not a coordinate")
            elif not np.array_equal(ds[name].values, values):
                errors.append(f"xarray: coordinate '{name}' differs from the dimension scale")
            elif ds[name].size:
                ds.sel({name: values[0]})
        for name, dims in variables.items():
            if name not in ds.data_vars:
                errors.append(f"xarray: '{name}' is not a data variable")
                continue
            var = ds[name]
            if var.dims != dims:
                errors.append(f"xarray: '{name}' has dims {var.dims}, expected {dims}")
            for key in ("long_name",):
                if key not in var.attrs:
                    errors.append(f"xarray: '{name}' has no {key}")
            if "flag_values" in var.attrs and len(var.attrs["flag_values"]) != len(
                    str(var.attrs.get("flag_meanings", "")).split()):
                errors.append(f"xarray: '{name}' flag_values and flag_meanings differ in length")
        for key in ("Conventions", "title", "source", "history", "schema", "schema_version"):
            if key not in ds.attrs:
                errors.append(f"xarray: no global attribute {key}")

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Debian's netCDF4: "numpy.ndarray size changed"
            import netCDF4  # noqa: F401
        have_netcdf4 = True
    except ImportError:
        have_netcdf4 = False
        print("note: netCDF4 not importable, engine='netcdf4' not checked")
    if have_netcdf4:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with xr.open_dataset(path, engine="netcdf4") as ds:
                for name, dims in variables.items():
                    if name in ds and ds[name].dims != dims:
                        errors.append(f"netcdf4: '{name}' has dims {ds[name].dims}, expected {dims}")

    ncdump = shutil.which("ncdump")
    if ncdump is None:
        print("note: ncdump not found (netcdf-bin), not checked")
    else:
        run = subprocess.run([ncdump, "-h", path], capture_output=True, text=True)
        if run.returncode != 0:
            errors.append(f"ncdump -h failed: {run.stderr.strip()}")
        else:
            for name in list(scales) + list(variables):
                if f" {name}(" not in run.stdout:
                    errors.append(f"ncdump -h does not list '{name}'")

    for e in errors:
        print(e)
    if not errors:
        print(f"ok: {len(scales)} coordinates, {len(variables)} variables")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
