#!/usr/bin/python3
"""NetMHCpan on the same rows as seqnn's cross-validation folds (bench/training/mhc_lstm_cv.sh).

For each fold's test_predictions.tsv (id = peptide, meas.target = 1 - log(IC50)/log(50000),
meas.prediction = seqnn's prediction), look up NetMHCpan's IC50 for that peptide and allele in the
Kim 2013 combined CSV and report, per fold and pooled: AUC (binder = IC50 <= 500 nM) and Spearman
rho against the target, for NetMHCpan and - recomputed here with sklearn/scipy as a cross-check of
seqnn's own metrics.csv - for seqnn. Rows without a NetMHCpan prediction are left out of both.

Usage: mhc_baseline.py COMBINED_CSV ALLELE RESULT_DIR
       mhc_baseline.py COMBINED_CSV --all RESULT_ROOT   (one sub-directory per allele, as written
                                                      by bench/training/mhc_all_alleles.sh)
"""
import csv
import glob
import math
import os
import sys

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score

# The float32 target of an IC50 of exactly 500 nM can print a hair below the double threshold.
THRESHOLD = 1 - math.log(500) / math.log(50000) - 1e-6


def netmhcpan_table(combined):
    table = {}
    with open(combined) as f:
        for row in csv.DictReader(f):
            table.setdefault(row["allele"], {})[row["peptide"]] = float(row["netmhcpan"])
    return table


def fold_rows(path, net_ic50):
    """(target, seqnn, NetMHCpan) arrays of one fold's test rows that NetMHCpan also scored."""
    y, ours, net = [], [], []
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["id"] not in net_ic50:
                continue
            y.append(float(row["meas.target"]))
            ours.append(float(row["meas.prediction"]))
            net.append(1 - math.log(net_ic50[row["id"]]) / math.log(50000))
    return np.array(y), np.array(ours), np.array(net)


def scores(y, ours, net):
    """AUC and Spearman for seqnn and NetMHCpan; AUC is NaN when only one class is present."""
    binder = (y >= THRESHOLD).astype(int)
    one_class = binder.min() == binder.max()
    auc = (lambda p: float("nan") if one_class else roc_auc_score(binder, p))
    return auc(ours), stats.spearmanr(ours, y)[0], auc(net), stats.spearmanr(net, y)[0]


def allele_rows(result, net_ic50, verbose):
    parts = []
    for path in sorted(glob.glob(f"{result}/fold*/test_predictions.tsv")):
        y, ours, net = fold_rows(path, net_ic50)
        if verbose and len(y):
            print(f"{path}: n={len(y)} seqnn AUC %.4f rho %.4f | NetMHCpan AUC %.4f rho %.4f" % scores(y, ours, net))
        parts.append((y, ours, net))
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3)) if parts else None


def one_allele(table, allele, result):
    rows = allele_rows(result, table.get(allele.replace("*", "").replace(":", ""), {}), True)
    y, ours, net = rows
    print(f"pooled n={len(y)}: seqnn AUC %.4f rho %.4f | NetMHCpan AUC %.4f rho %.4f" % scores(y, ours, net))


def all_alleles(table, root):
    print("| allele | n | binders | seqnn AUC | seqnn Spearman | NetMHCpan AUC | NetMHCpan Spearman |")
    print("|---|---|---|---|---|---|---|")
    per, pooled = [], []
    for result in sorted(glob.glob(f"{root}/HLA-*")):
        tag = os.path.basename(result)  # e.g. HLA-A0201, the combined CSV's spelling
        rows = allele_rows(result, table.get(tag, {}), False)
        if rows is None or len(rows[0]) < 10:
            print(f"| {tag} | {0 if rows is None else len(rows[0])} | | not scored (too few rows with NetMHCpan) | | | |")
            continue
        s = scores(*rows)
        per.append(s)
        pooled.append(rows)
        print(f"| {tag} | {len(rows[0])} | {int((rows[0] >= THRESHOLD).sum())} | " + " | ".join("%.4f" % v for v in s) + " |")
    y, ours, net = (np.concatenate([p[k] for p in pooled]) for k in range(3))
    print(f"| pooled | {len(y)} | {int((y >= THRESHOLD).sum())} | " + " | ".join("%.4f" % v for v in scores(y, ours, net)) + " |")
    mean = np.nanmean(np.array(per), axis=0)
    defined = sum(1 for s in per if not math.isnan(s[0]))
    print(f"| mean over {defined} alleles | | | " + " | ".join("%.4f" % v for v in mean) + " |")
    wins = sum(1 for s in per if s[1] > s[3])
    print(f"\nseqnn's Spearman above NetMHCpan's for {wins} of {len(per)} alleles")


def main():
    table = netmhcpan_table(sys.argv[1])
    if sys.argv[2] == "--all":
        all_alleles(table, sys.argv[3])
    else:
        one_allele(table, sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
