#!/usr/bin/env python3
"""PyTorch baseline for a question the short seqnn S1 runs raised: does the stem `on` head learn
in the first ~100 steps? Same 4-layer network (8,8,16,16 filters, width 7, 1x1 50, one input
padding), 20 chr20 64-nt records, Adam 3e-3, batch 4, training-set auROC of stem `on` every 25
steps; upper-triangle mask. --multitask adds the stem scalar-size L1 and location x / y
cross-entropy terms (as S1's loss does); without it the loss is BCE on `on` only.

  /usr/bin/python3 bench/rna_s1_loss_balance.py [--multitask]
"""
import argparse
import gzip

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score

p = argparse.ArgumentParser()
p.add_argument("--data", default="../shared/data/rna/chr20_len64_mfefreq0.1.tsv.gz")
p.add_argument("--multitask", action="store_true")
a = p.parse_args()
torch.manual_seed(1)
torch.set_num_threads(2)
rows = [l.rstrip("\n").split("\t") for l in gzip.open(a.data, "rt")][1:21]
L, N = 64, len(rows)


def pairs(db):
    st, out = [], {}
    for i, c in enumerate(db):
        if c == "(":
            st.append(i)
        elif c == ")":
            out[st.pop()] = i
    return out


X = np.zeros((N, 8, L, L), np.float32)
Y = np.zeros((N, L, L), np.float32)
SZ = np.zeros((N, L, L), np.float32)
LX = np.zeros((N, L, L), np.int64)
LY = np.zeros((N, L, L), np.int64)
for n, (_, s, db, _, _) in enumerate(rows):
    for i, b in enumerate(s):
        X[n, "ACGU".index(b), i, :] = 1
        X[n, 4 + "ACGU".index(b), :, i] = 1
    pr = pairs(db)
    for i, j in pr.items():
        if pr.get(i - 1) == j + 1:
            continue  # not the outermost pair of its stem
        w = 1
        while pr.get(i + w) == j - w:
            w += 1
        Y[n, i:i + w, j - w + 1:j + 1] = 1
        SZ[n, i:i + w, j - w + 1:j + 1] = w
        for r in range(i, i + w):
            for c in range(j - w + 1, j + 1):
                LX[n, r, c], LY[n, r, c] = min(r - i, 11), min(j - c, 11)
X, Y, SZ, LX, LY = map(torch.tensor, (X, Y, SZ, LX, LY))
mask = torch.ones(L, L, dtype=torch.bool).triu(1)
layers, c = [], 8
for f in [8, 8, 16, 16]:
    layers += [torch.nn.Conv2d(c, f, 7), torch.nn.BatchNorm2d(f), torch.nn.ReLU()]
    c = f
layers += [torch.nn.Conv2d(c, 50, 1), torch.nn.ReLU(), torch.nn.Conv2d(50, 26, 1)]
m = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(m.parameters(), 3e-3)
for step in range(100):
    idx = torch.randint(0, N, (4,))
    out = m(F.pad(X[idx], (12, 12, 12, 12)))
    loss = F.binary_cross_entropy_with_logits(out[:, 0][:, mask], Y[idx][:, mask])
    if a.multitask:
        ins = (Y[idx] > 0) & mask
        loss = loss + (out[:, 1] - SZ[idx]).abs()[ins].mean()
        loss = loss + F.cross_entropy(out[:, 2:14], LX[idx], reduction="none")[ins].mean()
        loss = loss + F.cross_entropy(out[:, 14:26], LY[idx], reduction="none")[ins].mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 25 == 24:
        m.eval()
        with torch.no_grad():
            o = m(F.pad(X, (12, 12, 12, 12)))[:, 0]
        m.train()
        print(step + 1, "steps: loss %.3f, training stem_on auROC %.3f" % (float(loss), roc_auc_score(Y[:, mask].flatten().numpy(), o[:, mask].flatten().numpy())))
