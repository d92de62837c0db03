#!/usr/bin/python3
"""NetMHCpan on the same rows as seqnn's cross-validation folds (bench/training/mhc_lstm_cv.sh).

For each fold's test_predictions.tsv (id = peptide, meas.target = 1 - log(IC50)/log(50000),
meas.prediction = seqnn's prediction), look up NetMHCpan's IC50 for that peptide in the Kim 2013
combined CSV and report, per fold and pooled: AUC (binder = IC50 <= 500 nM) and Spearman rho
against the target, for NetMHCpan and - recomputed here with sklearn/scipy as a cross-check of
seqnn's own metrics.csv - for seqnn.
Usage: mhc_baseline.py COMBINED_CSV ALLELE RESULT_DIR
"""
import csv
import glob
import math
import sys

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score


def main():
    combined, allele, result = sys.argv[1], sys.argv[2], sys.argv[3]
    csv_allele = allele.replace("*", "").replace(":", "")
    netmhcpan = {}
    with open(combined) as f:
        for row in csv.DictReader(f):
            if row["allele"] == csv_allele:
                netmhcpan[row["peptide"]] = float(row["netmhcpan"])
    thr = 1 - math.log(500) / math.log(50000)
    pooled = {"y": [], "ours": [], "net": []}
    for path in sorted(glob.glob(f"{result}/fold*/test_predictions.tsv")):
        y, ours, net = [], [], []
        with open(path) as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row["id"] not in netmhcpan:
                    continue
                y.append(float(row["meas.target"]))
                ours.append(float(row["meas.prediction"]))
                net.append(1 - math.log(netmhcpan[row["id"]]) / math.log(50000))
        y, ours, net = map(np.array, (y, ours, net))
        binder = (y >= thr).astype(int)
        print(f"{path}: n={len(y)} seqnn AUC {roc_auc_score(binder, ours):.4f} rho {stats.spearmanr(ours, y)[0]:.4f} | "
              f"NetMHCpan AUC {roc_auc_score(binder, net):.4f} rho {stats.spearmanr(net, y)[0]:.4f}")
        for k, v in (("y", y), ("ours", ours), ("net", net)):
            pooled[k].extend(v)
    y, ours, net = map(np.array, (pooled["y"], pooled["ours"], pooled["net"]))
    binder = (y >= thr).astype(int)
    print(f"pooled n={len(y)}: seqnn AUC {roc_auc_score(binder, ours):.4f} rho {stats.spearmanr(ours, y)[0]:.4f} | "
          f"NetMHCpan AUC {roc_auc_score(binder, net):.4f} rho {stats.spearmanr(net, y)[0]:.4f}")


if __name__ == "__main__":
    main()
