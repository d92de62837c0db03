"""Independent check of `seqnn deepseq score --independent` on BLAT_ECOLX: the same
independent-site model written with numpy/scipy (weights as in bench_reference.py).
    /usr/bin/python3 bench/deepsequence/independent_reference.py [--pseudocount 1]"""
import argparse
import csv
import os

import numpy as np
import scipy.stats
import torch

from bench_reference import ALN, ALPHABET, AA, read_a2m, weights_torch

CSV = os.path.join(os.path.dirname(ALN), "BLAT_ECOLX_Ranganathan2015.csv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pseudocount", type=float, default=1.0)
    args = ap.parse_args()
    torch.set_num_threads(2)
    codes = read_a2m(ALN)
    w = weights_torch(codes).double().numpy()
    x = np.eye(AA + 1)[codes.numpy()][:, :, :AA]  # (N, L, 20), gaps all zero
    counts = np.einsum("nla,n->la", x, w)
    f = (counts + args.pseudocount / AA) / (counts.sum(1, keepdims=True) + args.pseudocount)
    logf = np.log(f)
    focus = open(ALN).read().split(">")[1].split("\n", 1)
    start = int(focus[0].split("/")[1].split("-")[0])
    row = focus[1].replace("\n", "")
    pos_to_col = {start + i: k for k, i in enumerate(i for i, c in enumerate(row) if c.isupper())}
    scores, fitness = [], []
    for r in csv.DictReader(open(CSV)):
        m = r["mutant"]
        wt, pos, mt = m[0], int(m[1:-1]), m[-1]
        if pos not in pos_to_col:
            continue
        col = pos_to_col[pos]
        assert row[[i for i, c in enumerate(row) if c.isupper()][col]] == wt
        scores.append(logf[col, ALPHABET.index(mt)] - logf[col, ALPHABET.index(wt)])
        fitness.append(float(r["2500"]))
    rho = scipy.stats.spearmanr(scores, fitness).correlation
    print(f"independent-site (numpy/scipy): n={len(scores)} Neff={w.sum():.2f} Spearman={rho:.4f}")


if __name__ == "__main__":
    main()
