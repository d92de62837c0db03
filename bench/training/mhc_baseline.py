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
       mhc_baseline.py COMBINED_CSV --pan PAN_ROOT[,PAN_ROOT...] [PER_ALLELE_ROOT]
           the pan-allele model (bench/training/mhc_pan_cv.sh): every test_predictions.tsv under
           PAN_ROOT (columns id, allele, meas.target, meas.prediction; an ensemble's member<k>/
           directories left out); several roots are averaged
           per (allele, peptide) (an ensemble); per allele, pooled and mean over alleles, next to
           the per-allele models of PER_ALLELE_ROOT (mhc_all_alleles.sh) on the same rows, and
           NetMHCpan.
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


def tag_of(allele):
    """HLA-A*02:01 -> HLA-A0201, the combined CSV's spelling."""
    return allele.replace("*", "").replace(":", "")


def pan_predictions(roots):
    """{(tag, peptide): (target, mean prediction over roots)}; every root must cover the same rows."""
    sums = {}
    for root in roots:
        # An ensemble run's members (ROOT/.../member<k>/) are in its own predictions already.
        paths = [p for p in sorted(glob.glob(f"{root}/**/test_predictions.tsv", recursive=True)) if "/member" not in p]
        if not paths:
            sys.exit(f"{root}: no test_predictions.tsv")
        for path in paths:
            with open(path) as f:
                for row in csv.DictReader(f, delimiter="\t"):
                    key = (tag_of(row["allele"]), row["id"])
                    target, total, n = sums.get(key, (float(row["meas.target"]), 0.0, 0))
                    sums[key] = (target, total + float(row["meas.prediction"]), n + 1)
    counts = {n for _, _, n in sums.values()}
    if counts != {len(roots)}:
        sys.exit(f"the roots do not predict the same rows (predictions per row: {sorted(counts)})")
    return {k: (t, total / n) for k, (t, total, n) in sums.items()}


def per_allele_predictions(root):
    """{(tag, peptide): prediction} of the per-allele models."""
    out = {}
    for path in glob.glob(f"{root}/HLA-*/fold*/test_predictions.tsv"):
        tag = os.path.basename(os.path.dirname(os.path.dirname(path)))
        with open(path) as f:
            for row in csv.DictReader(f, delimiter="\t"):
                out[(tag, row["id"])] = float(row["meas.prediction"])
    return out


def pan_table(table, roots, per_root):
    pan = pan_predictions(roots)
    per = per_allele_predictions(per_root) if per_root else {}
    by_tag = {}
    for (tag, peptide), (target, prediction) in pan.items():
        if peptide not in table.get(tag, {}):
            continue
        net = 1 - math.log(table[tag][peptide]) / math.log(50000)
        by_tag.setdefault(tag, []).append((target, prediction, per.get((tag, peptide), float("nan")), net))
    with_per = bool(per)
    head = "| allele | n | binders | pan AUC | pan Spearman |" + (" per-allele AUC | per-allele Spearman |" if with_per else "")
    print(head + " NetMHCpan AUC | NetMHCpan Spearman |")
    print("|---" * (7 if with_per else 5) + "|---|---|")

    def scored(rows):
        y, ours, own, net = (np.array([r[k] for r in rows]) for k in range(4))
        binder = (y >= THRESHOLD).astype(int)
        one_class = binder.min() == binder.max()
        auc = (lambda p: float("nan") if one_class else roc_auc_score(binder, p))
        rho = (lambda p: stats.spearmanr(p, y)[0])
        values = [auc(ours), rho(ours)] + ([auc(own), rho(own)] if with_per else []) + [auc(net), rho(net)]
        return int(binder.sum()), values

    per_allele, pooled = [], []
    for tag in sorted(by_tag):
        rows = by_tag[tag]
        if with_per and any(math.isnan(r[2]) for r in rows):
            sys.exit(f"{tag}: the per-allele models did not predict every row the pan-allele model did")
        binders, values = scored(rows)
        per_allele.append(values)
        pooled += rows
        print(f"| {tag} | {len(rows)} | {binders} | " + " | ".join("%.4f" % v for v in values) + " |")
    binders, values = scored(pooled)
    print(f"| pooled | {len(pooled)} | {binders} | " + " | ".join("%.4f" % v for v in values) + " |")
    if len(per_allele) > 1:
        mean = np.nanmean(np.array(per_allele), axis=0)
        defined = sum(1 for v in per_allele if not math.isnan(v[0]))
        print(f"| mean over {defined} alleles | | | " + " | ".join("%.4f" % v for v in mean) + " |")
        auc_wins = sum(1 for v in per_allele if v[0] > v[-2])
        print(f"\npan-allele AUC above NetMHCpan's for {auc_wins} of {defined} alleles")


def main():
    table = netmhcpan_table(sys.argv[1])
    if sys.argv[2] == "--all":
        all_alleles(table, sys.argv[3])
    elif sys.argv[2] == "--pan":
        pan_table(table, sys.argv[3].split(","), sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        one_allele(table, sys.argv[2], sys.argv[3])


if __name__ == "__main__":
    main()
