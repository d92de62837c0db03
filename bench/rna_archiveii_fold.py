#!/usr/bin/env python3
"""ArchiveII fold tables for the rna benchmarks: one TSV (id, sequence, structure) per partition
of the given fold, keeping sequences up to --max-length, and a FASTA of the test partition.

  /usr/bin/python3 bench/rna_archiveii_fold.py --fold 0 --max-length 200 --out /tmp/aii
"""
import argparse
import csv
import os

p = argparse.ArgumentParser()
p.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "rna"))
p.add_argument("--fold", default="0")
p.add_argument("--max-length", type=int, default=200)
p.add_argument("--out", required=True)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
records = {r["id"]: r for r in csv.DictReader(open(os.path.join(a.data, "ArchiveII.csv")))}
parts = {}
for r in csv.DictReader(open(os.path.join(a.data, "ArchiveII_splits.csv"))):
    if r["fold_number"] == a.fold and int(records[r["id"]]["len"]) <= a.max_length:
        parts.setdefault(r["partition"], []).append(records[r["id"]])
for part, rows in parts.items():
    with open(os.path.join(a.out, part + ".tsv"), "w") as f:
        f.write("id\tsequence\tstructure\n")
        for r in rows:
            f.write(f"{r['id']}\t{r['sequence']}\t{r['structure']}\n")
    if part == "test":
        with open(os.path.join(a.out, "test.fa"), "w") as f:
            for r in rows:
                f.write(f">{r['id']}\n{r['sequence']}\n")
    print(part, len(rows))
