#!/usr/bin/env python3
"""Attribution throughput: `seqnn attribute` against the same computation in PyTorch with hooks
(bench/attribution_reference.py, the way captum / tangermeme compute DeepLIFT) on the same
TorchScript model, sequences, references and thread count.

Model: Basset at full size (bench_models.basset, random weights, 1000 bp, 164 outputs), output
column 0. N random sequences, K references per sequence (random one-hot, written to an .npy that
seqnn reads with --references, so both sides use the same ones).
  deeplift   DeepLIFT/SHAP, K references: 2 N K model rows forward and backward
  ig         integrated gradients, STEPS steps x K references
seqnn's time is the one it reports (model loading excluded, as for Python; its per-run graph
analysis included), the median of REPEATS runs; Python's is the median of REPEATS calls.
Both outputs are compared (max |difference| relative to max |attribution|).
Usage: /usr/bin/python3 bench/bench_attribution.py [BUILD_DIR] [THREADS] [N] [K] [STEPS]
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
N = int(sys.argv[3]) if len(sys.argv) > 3 else 8
K = int(sys.argv[4]) if len(sys.argv) > 4 else 10
STEPS = int(sys.argv[5]) if len(sys.argv) > 5 else 20
BATCH = 64
REPEATS = int(os.environ.get("REPEATS", "3"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import bench_models  # noqa: E402
from attribution_reference import deeplift_shap, integrated_gradients  # noqa: E402

LETTERS = "ACGT"


def one_hot(g, *shape):
    idx = torch.randint(0, 4, shape, generator=g)
    return torch.nn.functional.one_hot(idx, 4).movedim(-1, -2).float(), idx


def seqnn_run(args):
    times, out = [], None
    for _ in range(REPEATS):
        r = subprocess.run([os.path.join(BUILD, "seqnn"), "attribute"] + args, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(r.stderr)
        line = [l for l in r.stderr.splitlines() if l.startswith("seqnn attribute: ") and " in " in l][-1]
        times.append(float(re.search(r" in ([0-9.]+) s", line).group(1)))
        out = line
    return statistics.median(times), out


def main():
    torch.set_num_threads(THREADS)
    torch.manual_seed(1)
    model = bench_models.basset().eval()
    g = torch.Generator().manual_seed(2)
    X, idx = one_hot(g, N, 1000)
    R, _ = one_hot(g, N, K, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "basset.pt")
        torch.jit.save(torch.jit.script(model), path)
        with open(os.path.join(tmp, "in.fa"), "w") as f:
            for i in range(N):
                f.write(">s%d\n%s\n" % (i, "".join(LETTERS[j] for j in idx[i].tolist())))
        np.save(os.path.join(tmp, "refs.npy"), R.numpy())
        common = ["-m", path, "-f", os.path.join(tmp, "in.fa"), "--target", "0", "--threads", str(THREADS),
                  "--batch-size", str(BATCH), "--references", os.path.join(tmp, "refs.npy"), "-q"]
        print(f"Basset 1000 bp, N={N} sequences, K={K} references, {THREADS} threads, batch {BATCH}")
        for name, method, extra, rows in (
                ("deeplift", "deeplift-shap", [], 2 * N * K),
                ("ig", "integrated-gradients", ["--steps", str(STEPS)], N * K * STEPS)):
            out = os.path.join(tmp, name + ".npy")
            t_seqnn, line = seqnn_run(common + ["--method", method, "-o", out] + extra)
            a_seqnn = torch.from_numpy(np.load(out))
            times = []
            for _ in range(REPEATS):
                start = time.perf_counter()
                if name == "deeplift":
                    a_py = deeplift_shap(model, X, R, target=0, batch_size=BATCH)[0]
                else:
                    a_py = integrated_gradients(model, X, R, steps=STEPS, target=0, batch_size=BATCH)
                times.append(time.perf_counter() - start)
            t_py = statistics.median(times)
            diff = float((a_seqnn - a_py).abs().max() / a_py.abs().max())
            print(f"{name:9s} seqnn {t_seqnn:7.2f} s  PyTorch hooks {t_py:7.2f} s  ratio (PyTorch/seqnn) {t_py / t_seqnn:5.2f}"
                  f"  seqnn {N / t_seqnn:6.2f} seq/s ({N * K / t_seqnn:6.1f} seq x ref/s, {rows / t_seqnn:6.0f} rows/s)"
                  f"  max rel diff {diff:.1e}")
            print("   ", line)


if __name__ == "__main__":
    main()
