#!/usr/bin/env python3
"""ISM throughput: `seqnn ism` against a Python/PyTorch ISM loop on the same TorchScript model.

The model is DeepSEA's architecture at full size (1000 bp, 919 outputs), randomly initialised and
scripted (as in bench_predict.py). The Python loop is the usual notebook ISM: for every position
and every non-reference base, copy the one-hot sequence and set the base, collect the mutants into
batches of B and run model(batch.float()) under inference mode. seqnn runs `seqnn ism --mode raw`
from a FASTA to .npy (process start, model load, encoding and output writing included), same
batch size and threads. Both outputs are compared.
Usage: /usr/bin/python3 bench/bench_ism.py [BUILD_DIR] [N_SEQ] [BATCH] [THREADS]
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1
B = int(sys.argv[3]) if len(sys.argv) > 3 else 64
THREADS = int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count()
L = 1000
sys.path.insert(0, os.path.join(ROOT, "bench"))
from bench_models import deepsea  # noqa: E402

torch.manual_seed(0)
torch.set_num_threads(THREADS)
tmp = tempfile.mkdtemp(prefix="seqnn_bench_ism_")
model_path = os.path.join(tmp, "deepsea.pt")
torch.jit.save(torch.jit.script(deepsea().eval()), model_path)
model = torch.jit.load(model_path)

rng = np.random.RandomState(3)
idx = rng.randint(0, 4, size=(N, L))
X = torch.from_numpy((idx[:, None, :] == np.arange(4)[None, :, None]).astype(np.int8))


def python_ism(x):
    """(L, 4, 919) predictions; the reference base's slot holds the reference prediction."""
    mutants, slots = [], []
    for pos in range(L):
        for base in range(4):
            if x[base, pos] == 1:
                continue
            m = x.clone()
            m[:, pos] = 0
            m[base, pos] = 1
            mutants.append(m)
            slots.append((pos, base))
    ref = model(x[None].float())[0]
    out = ref.expand(L, 4, ref.shape[0]).clone()
    for i in range(0, len(mutants), B):
        y = model(torch.stack(mutants[i:i + B]).float())
        for j, (pos, base) in enumerate(slots[i:i + B]):
            out[pos, base] = y[j]
    return out, len(mutants)


with torch.inference_mode():
    model(X[:1].float())  # warm-up
    t0 = time.perf_counter()
    results = [python_ism(X[i]) for i in range(N)]
    torch_secs = time.perf_counter() - t0
n_mut = sum(r[1] for r in results)

fasta = os.path.join(tmp, "seqs.fa")
with open(fasta, "w") as f:
    letters = np.array(list("ACGT"))
    for i in range(N):
        f.write(">s%d\n%s\n" % (i, "".join(letters[idx[i]])))
t0 = time.perf_counter()
subprocess.run([os.path.join(BUILD, "seqnn"), "ism", "-m", model_path, "-f", fasta, "--mode", "raw", "-o",
                os.path.join(tmp, "ism.npy"), "--batch-size", str(B), "--threads", str(THREADS), "--device", "cpu", "-q"],
               check=True)
seqnn_secs = time.perf_counter() - t0
got = np.load(os.path.join(tmp, "ism.mutants.npy"))
want = torch.stack([r[0] for r in results]).numpy()
print("DeepSEA (TorchScript), %d sequence(s) x %d bp, %d mutants, batch %d, threads %d, torch %s"
      % (N, L, n_mut, B, THREADS, torch.__version__))
print("max |seqnn - PyTorch| = %.3g" % np.abs(got - want).max())
print("%-36s %9s %11s %8s" % ("runner", "seconds", "mutants/s", "ratio"))
print("%-36s %9.2f %11.1f %7.2fx" % ("Python ISM loop (python3-torch)", torch_secs, n_mut / torch_secs, 1.0))
print("%-36s %9.2f %11.1f %7.2fx" % ("seqnn ism (CLI, FASTA -> npy)", seqnn_secs, n_mut / seqnn_secs,
                                      torch_secs / seqnn_secs))
