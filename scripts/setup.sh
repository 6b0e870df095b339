#!/usr/bin/env bash
# Installs every Debian 12 package ftgames needs, idempotently and without prompts.
# Usage: scripts/setup.sh            (needs root or sudo; skips packages already present)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libtbb-dev
  libhdf5-dev hdf5-tools
  libboost-program-options-dev libboost-math-dev
  doctest-dev
  libbenchmark-dev
  python3-h5py python3-numpy python3-scipy python3-matplotlib python3-xarray python3-h5netcdf
  netcdf-bin
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
