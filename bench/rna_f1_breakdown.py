#!/usr/bin/env python3
"""Mean base-pair F1 broken down, from per-sequence score tables written by `seqnn rna eval --out`.

  by length (variable-length MFE benchmark):
    bench/rna_f1_breakdown.py length bench_out/rna_varlen/scores.tsv
  by distance to the nearest training sequence and by family (ArchiveII fold; each NAME=SCORES
  is one method's scores on the same test sequences):
    bench/rna_f1_breakdown.py archiveii FOLD tuned=bench_out/arch200_tuned/scores.tsv \
        zero=bench_out/arch200_zero/scores.tsv rnafold=/tmp/rnafold_scores.tsv
  (RNAfold's table: build/seqnn rna eval --truth bench_out/arch200_tuned/fold/test.tsv
   --pred ../shared/data/rna/ArchiveII_RNAfold-2.7.1_mfe.txt --out /tmp/rnafold_scores.tsv)
"""
import csv
import sys

SPLITS = "../shared/data/rna/ArchiveII_splits.csv"


def f1_by_id(path):
    return {r["id"]: (int(r["length"]), float(r["f1"])) for r in csv.DictReader(open(path), delimiter="\t")}


def mean(values):
    return sum(values) / len(values)


def by_length(path):
    scores = f1_by_id(path)
    for lo, hi in ((20, 64), (65, 100), (101, 150), (151, 200)):
        f = [f1 for n, f1 in scores.values() if lo <= n <= hi]
        if f:
            print(f"{lo}-{hi} nt: n={len(f)} F1={mean(f):.4f}")


def archiveii(fold, named):
    dist = {r["id"]: float(r["min_train_dist"]) for r in csv.DictReader(open(SPLITS))
            if r["fold_number"] == fold and r["partition"] == "test"}
    methods = {name: f1_by_id(path) for name, path in (a.split("=", 1) for a in named)}
    ids = sorted(set.intersection(*(set(m) for m in methods.values())))

    def line(label, sel):
        print(f"{label} n={len(sel)} " + " ".join(f"{k}={mean([m[i][1] for i in sel]):.3f}" for k, m in methods.items()))

    for lo, hi in ((0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 1.01)):
        sel = [i for i in ids if lo <= dist[i] < hi]
        if sel:
            line(f"min_train_dist [{lo}, {hi})", sel)
    families = {}
    for i in ids:
        families.setdefault(i.split("_")[0], []).append(i)
    for family, sel in sorted(families.items()):
        line(family, sel)


if __name__ == "__main__":
    if sys.argv[1] == "length":
        by_length(sys.argv[2])
    else:
        archiveii(sys.argv[2], sys.argv[3:])
