#!/usr/bin/env bash
# Installs the Debian packages seqnn needs to build, test and run (and nothing else).
# Idempotent: only missing packages are installed, so it is cheap to call from every make target.
set -euo pipefail

PACKAGES=(
  build-essential cmake ccache pkg-config
  libtorch-dev            # LibTorch 1.13 (CPU) from Debian
  libopenblas0-pthread    # optimised BLAS for LibTorch (reference BLAS is ~3x slower)
  libhts-dev              # htslib: FASTA/faidx, BGZF, VCF/BCF
  zlib1g-dev
  libgtest-dev            # GoogleTest
  nlohmann-json3-dev      # model configs
  libcli11-dev            # command line parsing
  libgloo-dev             # Gloo collectives for data-parallel training (LibTorch's c10d)
  python3-torch python3-numpy python3-sklearn   # test fixtures and benchmarks only
)

# `make check-asan` and `make fuzz` (docs/reliability.md) build with clang: its ASan, UBSan and
# libFuzzer runtimes come with libclang-rt-14-dev, its OpenMP with libomp-14-dev.
if [ "${1:-}" = "--sanitizers" ]; then
  PACKAGES+=(clang-14 libclang-rt-14-dev libomp-14-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
