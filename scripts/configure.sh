#!/usr/bin/env bash
# Configures the CMake build. On a machine with an NVIDIA GPU and a CUDA-enabled PyTorch, the
# build uses the CUDA LibTorch inside that PyTorch; otherwise Debian's libtorch-dev (CPU).
set -euo pipefail
BUILD=${1:-build}
EXTRA=()
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  for py in python3 /usr/bin/python3; do
    prefix=$($py -c 'import torch,sys; sys.stdout.write(torch.utils.cmake_prefix_path if torch.cuda.is_available() else "")' 2>/dev/null || true)
    if [ -n "$prefix" ]; then
      echo "configure: GPU found, using the CUDA LibTorch of $py ($prefix)" >&2
      EXTRA+=("-DCMAKE_PREFIX_PATH=$prefix")
      break
    fi
  done
fi
if [ -f "$BUILD/CMakeCache.txt" ] && [ ${#EXTRA[@]} -eq 0 ]; then
  exit 0  # already configured; cmake --build re-runs configuration when CMakeLists change
fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release "${EXTRA[@]}"
