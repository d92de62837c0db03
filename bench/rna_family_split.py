#!/usr/bin/env python3
"""Leave-one-family-out tables of ArchiveII for the rna family benchmark (issue 19): the family is
the prefix of the id (5s, srp, tRNA, tmRNA, grp1, 16s, 23s). The held-out family is the test set
(every length); the other families train, each capped at --per-family sequences of at most
--max-train-length nt (drawn with --seed, so the big families do not drown the small ones and an
epoch stays affordable on a CPU), and 10 % of those validate (early stopping and best-epoch choice
never see the held-out family).

  /usr/bin/python3 bench/rna_family_split.py --family 5s --out /tmp/lofo/5s
"""
import argparse
import csv
import os
import random

p = argparse.ArgumentParser()
p.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "rna"))
p.add_argument("--family", required=True)
p.add_argument("--per-family", type=int, default=200)
p.add_argument("--max-train-length", type=int, default=400)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--out", required=True)
a = p.parse_args()
rows = list(csv.DictReader(open(os.path.join(a.data, "ArchiveII.csv"))))
family = lambda r: r["id"].split("_")[0]
families = sorted({family(r) for r in rows})
if a.family not in families:
    raise SystemExit(f"unknown family {a.family!r}; ArchiveII has {', '.join(families)}")
rng = random.Random(a.seed)
test = [r for r in rows if family(r) == a.family]
train, valid = [], []
for f in families:
    if f == a.family:
        continue
    pool = [r for r in rows if family(r) == f and int(r["len"]) <= a.max_train_length]
    rng.shuffle(pool)
    pool = pool[: a.per_family]
    n_valid = max(1, len(pool) // 10)
    valid += pool[:n_valid]
    train += pool[n_valid:]
os.makedirs(a.out, exist_ok=True)
for name, part in (("train", train), ("valid", valid), ("test", test)):
    with open(os.path.join(a.out, name + ".tsv"), "w") as out:
        out.write("id\tsequence\tstructure\n")
        for r in part:
            out.write(f"{r['id']}\t{r['sequence']}\t{r['structure']}\n")
with open(os.path.join(a.out, "test.fa"), "w") as out:
    for r in test:
        out.write(f">{r['id']}\n{r['sequence']}\n")
print(f"{a.family}: train {len(train)}, valid {len(valid)}, test {len(test)}")
