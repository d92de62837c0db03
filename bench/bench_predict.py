#!/usr/bin/env python3
"""Predict throughput: seqnn against a plain PyTorch loop, same TorchScript DeepSEA model.

The model is DeepSEA's architecture at full size (1000 bp in, 919 outputs; 52.8 M parameters),
randomly initialised, exported with torch.jit.script to a temporary file. Both sides run the same
number of sequences with the same batch size and thread count, after one warm-up batch:
  * PyTorch: for each batch, model(X[i:i+B].float()) under torch.inference_mode();
  * seqnn (library): build/bench/bench_predict (seqnn::predict on int8 one-hot input);
  * seqnn (CLI, end to end): `seqnn predict` on a FASTA of the same number of sequences, which
    also parses the FASTA, encodes and writes the .npy output.
Usage: /usr/bin/python3 bench/bench_predict.py [BUILD_DIR] [N] [BATCH] [THREADS]
DEVICE=cuda runs both sides on the GPU (PyTorch synchronised before the clock stops).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
B = int(sys.argv[3]) if len(sys.argv) > 3 else 64
THREADS = int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count()
L = 1000
DEVICE = os.environ.get("DEVICE", "cpu")
sys.path.insert(0, os.path.join(ROOT, "bench"))
from bench_models import deepsea  # noqa: E402


torch.manual_seed(0)
torch.set_num_threads(THREADS)
tmp = tempfile.mkdtemp(prefix="seqnn_bench_")
model_path = os.path.join(tmp, "deepsea.pt")
model = torch.jit.script(deepsea().eval())
torch.jit.save(model, model_path)
model = torch.jit.load(model_path, map_location=DEVICE)

rng = np.random.RandomState(1)
idx = rng.randint(0, 4, size=(N, L))
X = torch.from_numpy((idx[:, None, :] == np.arange(4)[None, :, None]).astype(np.int8))

def sync():
    if DEVICE.startswith("cuda"):
        torch.cuda.synchronize()


with torch.inference_mode():
    model(X[:B].to(DEVICE).float())  # warm-up
    sync()
    t0 = time.perf_counter()
    outs = [model(X[i:i + B].to(DEVICE).float()).cpu() for i in range(0, N, B)]
    y = torch.cat(outs)
    sync()
    torch_secs = time.perf_counter() - t0

lib = subprocess.run([os.path.join(BUILD, "bench", "bench_predict"), model_path, str(N), str(L), str(B), str(THREADS), DEVICE],
                     check=True, capture_output=True, text=True).stdout
seqnn_secs = float(re.search(r"seqnn_seconds (\S+)", lib).group(1))

fasta = os.path.join(tmp, "seqs.fa")
with open(fasta, "w") as f:
    letters = np.array(list("ACGT"))
    for i in range(N):
        f.write(">s%d\n%s\n" % (i, "".join(letters[idx[i]])))
t0 = time.perf_counter()
cli = subprocess.run([os.path.join(BUILD, "seqnn"), "predict", "-m", model_path, "-f", fasta, "-o",
                      os.path.join(tmp, "out.npy"), "--batch-size", str(B), "--threads", str(THREADS), "--device",
                      DEVICE, "-q"], check=True, capture_output=True, text=True)
cli_secs = time.perf_counter() - t0
got = np.load(os.path.join(tmp, "out.npy"))
ref = y.numpy()
print("DeepSEA (TorchScript, 52.8M parameters), %d x %d bp, batch %d, threads %d, torch %s, device %s"
      % (N, L, B, THREADS, torch.__version__, DEVICE))
print("%-34s %9s %9s %8s" % ("runner", "seconds", "seq/s", "vs torch"))
print("%-34s %9.2f %9.1f %7.2fx" % ("PyTorch loop (python3-torch)", torch_secs, N / torch_secs, 1.0))
print("%-34s %9.2f %9.1f %7.2fx" % ("seqnn::predict (library)", seqnn_secs, N / seqnn_secs, torch_secs / seqnn_secs))
print("%-34s %9.2f %9.1f %7.2fx" % ("seqnn predict (CLI, FASTA->npy)", cli_secs, N / cli_secs, torch_secs / cli_secs))
print("max |seqnn CLI - PyTorch| = %.2e" % np.abs(got - ref).max())
print(cli.stderr.strip().splitlines()[-1])
