#!/usr/bin/env bash
# Installs every Debian 12 package ftgames needs, idempotently and without prompts.
# Usage: scripts/setup.sh [--cluster] [--mpi]   (needs root or sudo; skips packages already present)
#   --cluster  also Slurm and munge, for the local-Slurm test (tests/cluster/slurm_e2e.sh,
#              docs/cluster.md); their postinst starts nothing where policy-rc.d forbids it
#              (containers, CI); the test runs private daemons (scripts/cluster/local_slurm.sh).
#   --mpi      also OpenMPI and Debian's parallel HDF5 (the optional FTG_MPI build).
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
CLUSTER_PACKAGES=(slurmctld slurmd slurm-client munge)
MPI_PACKAGES=(openmpi-bin libopenmpi-dev)
for a in "$@"; do
  case "$a" in
    --cluster) PACKAGES+=("${CLUSTER_PACKAGES[@]}") ;;
    --mpi) PACKAGES+=("${MPI_PACKAGES[@]}") ;;
    *) echo "setup: unknown option '$a' (allowed: --cluster, --mpi)" >&2; exit 2 ;;
  esac
done

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
