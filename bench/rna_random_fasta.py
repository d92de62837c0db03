#!/usr/bin/env python3
"""Random RNA sequences of fixed lengths (for `seqnn rna predict` timing per length).

  /usr/bin/python3 bench/rna_random_fasta.py --lengths 50 100 200 400 --n 20 --out /tmp/rna_len
"""
import argparse
import os
import random

p = argparse.ArgumentParser()
p.add_argument("--lengths", type=int, nargs="+", required=True)
p.add_argument("--n", type=int, default=20)
p.add_argument("--out", required=True)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
rng = random.Random(1)
for L in a.lengths:
    with open(os.path.join(a.out, f"len{L}.fa"), "w") as f:
        for k in range(a.n):
            f.write(f">r{L}_{k}\n" + "".join(rng.choice("ACGU") for _ in range(L)) + "\n")
