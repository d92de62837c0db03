#!/usr/bin/python3
"""Training throughput of the PUM2 CNN in PyTorch, with the same model, loss, optimiser and batch
loop as `seqnn train` in bench/training/rbp_cnn.sh (conv 30x25 valid -> relu -> maxpool 2 ->
dropout 0.3, three times; flatten; dense 100 relu dropout 0.5; linear 1; sigmoid; BCE with
outputs clamped to [1e-7, 1-1e-7]; Adam lr 1e-3; batch 64; shuffled each epoch).

Usage: /usr/bin/python3 bench/training/train_throughput.py DATA_DIR EPOCHS THREADS
DEVICE=cuda trains on the GPU (the data held there, the clock stopped after a synchronisation).
Prints examples/s over the training steps only (one-hot encoding done once up front, as seqnn
encodes per batch inside its timed loop, which favours Python slightly).
"""
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def read_fasta(path):
    seqs, cur = [], []
    for line in open(path):
        line = line.strip()
        if line.startswith(">"):
            if cur:
                seqs.append("".join(cur))
            cur = []
        elif line:
            cur.append(line)
    if cur:
        seqs.append("".join(cur))
    return seqs


def one_hot(seqs):
    lut = np.full(256, -1, dtype=np.int64)
    for i, c in enumerate("ACGU"):
        lut[ord(c)] = i
        lut[ord(c.lower())] = i
    x = np.zeros((len(seqs), 4, 200), dtype=np.float32)
    for n, s in enumerate(seqs):
        idx = lut[np.frombuffer(s.encode(), dtype=np.uint8)]
        pos = np.nonzero(idx >= 0)[0]
        x[n, idx[pos], pos] = 1
    return x


def model():
    layers, ch, length = [], 4, 200
    for _ in range(3):
        layers += [nn.Conv1d(ch, 30, 25), nn.ReLU(), nn.MaxPool1d(2), nn.Dropout(0.3)]
        ch, length = 30, (length - 24) // 2
    layers += [nn.Flatten(), nn.Linear(30 * length, 100), nn.ReLU(), nn.Dropout(0.5), nn.Linear(100, 1), nn.Sigmoid()]
    return nn.Sequential(*layers)


def main():
    data, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    dev = os.environ.get("DEVICE", "cpu")
    pos = read_fasta(f"{data}/pum2.train.positive.fasta")
    neg = read_fasta(f"{data}/pum2.train.negative.fasta")
    x = torch.from_numpy(one_hot(neg + pos)).to(dev)
    y = torch.cat([torch.zeros(len(neg)), torch.ones(len(pos))]).to(dev)
    n_train = int(round(0.9 * len(x)))  # seqnn holds 10% out for validation
    net = model().to(dev)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    seen, spent = 0, 0.0
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(n_train)
        t0 = time.perf_counter()
        for i in range(0, n_train, 64):
            idx = perm[i:i + 64].to(dev)
            out = net(x[idx]).squeeze(1).clamp(1e-7, 1 - 1e-7)
            loss = nn.functional.binary_cross_entropy(out, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if dev.startswith("cuda"):
            torch.cuda.synchronize()
        spent += time.perf_counter() - t0
        seen += n_train
    print(f"pytorch {torch.__version__} device={dev} threads={threads}: {seen} examples in {spent:.2f} s = {seen / spent:.1f} examples/s")


if __name__ == "__main__":
    main()
