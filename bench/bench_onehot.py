#!/usr/bin/env python3
"""One-hot encoding throughput, seqnn against numpy, on GRCh37 chr20 (63 Mbp).

numpy's encoder is the usual vectorised one: a 256-entry lookup table, then fancy indexing into a
zeroed (4, L) int8 array (or (N, 4, 1000) for windows). Both sides produce the same int8 arrays
and report the best of 3 runs. Usage:
    /usr/bin/python3 bench/bench_onehot.py [BUILD_DIR] [GENOME] [THREADS]
"""
import gzip
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
GENOME = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "data", "dna", "grch37_chr20",
                                                            "GRCh37.chr20.fa.gz")
THREADS = sys.argv[3] if len(sys.argv) > 3 else "1"

if not os.path.exists(GENOME):
    sys.exit("bench_onehot: %s not found (../shared/data is needed for this benchmark)" % GENOME)


def read_fasta(path):
    with gzip.open(path, "rt") as f:
        return "".join(line.strip() for line in f if not line.startswith(">"))


def best(f, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


seq = read_fasta(GENOME)
raw = np.frombuffer(seq.encode("ascii"), dtype=np.uint8)
lut = np.full(256, -1, dtype=np.int8)
for i, c in enumerate("ACGT"):
    lut[ord(c)] = i
    lut[ord(c.lower())] = i


def numpy_whole():
    idx = lut[raw]
    x = np.zeros((4, len(raw)), dtype=np.int8)
    pos = np.nonzero(idx >= 0)[0]
    x[idx[pos], pos] = 1
    return x


W = 1000
N = len(raw) // W
windows = raw[: N * W].reshape(N, W)


def numpy_windows():
    idx = lut[windows]
    x = np.zeros((N, 4, W), dtype=np.int8)
    n, p = np.nonzero(idx >= 0)
    x[n, idx[n, p], p] = 1
    return x


np_whole = len(raw) / best(numpy_whole)
np_windows = N * W / best(numpy_windows)
out = subprocess.run([os.path.join(BUILD, "bench", "bench_onehot"), GENOME, THREADS], check=True,
                     capture_output=True, text=True).stdout
vals = dict(line.split()[:2] for line in out.splitlines() if line.startswith("seqnn_"))
sn_whole = float(vals["seqnn_whole_bases_per_s"])
sn_windows = float(vals["seqnn_windows_bases_per_s"])
print("one-hot encoding of chr20 (%d bases), threads=%s" % (len(raw), THREADS))
print("%-26s %14s %14s %8s" % ("case", "numpy base/s", "seqnn base/s", "ratio"))
print("%-26s %14.3g %14.3g %7.1fx" % ("whole chromosome (4, L)", np_whole, sn_whole, sn_whole / np_whole))
print("%-26s %14.3g %14.3g %7.1fx" % ("1000-bp windows (N,4,1000)", np_windows, sn_windows, sn_windows / np_windows))
