#!/usr/bin/env python3
"""CPU vs GPU agreement (bench/gpu/run.sh, phase agreement): every .npy, .tsv and .csv file under
directory A is compared with the file of the same name under B; text tables column by column
(numbers by absolute difference, everything else exactly; timing columns ignored).
Prints one row per file: file, values compared, max |A - B|, max relative, verdict at TOL.
Usage: compare.py A B TOL"""
import csv
import math
import os
import sys

import numpy as np

TIMING = ("seconds", "time", "elapsed")


def numbers_of_table(path):
    delim = "," if path.endswith(".csv") else "\t"
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=delim))
    return rows[0] if rows else [], rows[1:]


def compare_tables(a, b):
    ha, ra = numbers_of_table(a)
    hb, rb = numbers_of_table(b)
    if ha != hb or len(ra) != len(rb):
        return None, "header or row count differs"
    keep = [i for i, h in enumerate(ha) if not any(t in h.lower() for t in TIMING)]
    x, y = [], []
    for row_a, row_b in zip(ra, rb):
        for i in keep:
            if i >= len(row_a) or i >= len(row_b):
                return None, "ragged rows"
            try:
                fa, fb = float(row_a[i]), float(row_b[i])
            except ValueError:
                if row_a[i] != row_b[i]:
                    return None, "text differs: %r vs %r" % (row_a[i], row_b[i])
                continue
            x.append(fa)
            y.append(fb)
    return (np.array(x), np.array(y)), ""


def main():
    a_dir, b_dir, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    print("file\tvalues\tmax_abs_diff\tmax_rel_diff\tverdict")
    failed = 0
    for root, _, files in sorted(os.walk(a_dir)):
        for name in sorted(files):
            if not name.endswith((".npy", ".tsv", ".csv")) or name.endswith(".shard.json"):
                continue
            a = os.path.join(root, name)
            rel = os.path.relpath(a, a_dir)
            b = os.path.join(b_dir, rel)
            if not os.path.exists(b):
                print("%s\t-\t-\t-\tmissing on %s" % (rel, b_dir))
                failed += 1
                continue
            if name.endswith(".npy"):
                x, y = np.load(a).astype(np.float64), np.load(b).astype(np.float64)
                pair, why = ((x, y), "") if x.shape == y.shape else (None, "shape %s vs %s" % (x.shape, y.shape))
            else:
                pair, why = compare_tables(a, b)
            if pair is None:
                print("%s\t-\t-\t-\tDIFFERS (%s)" % (rel, why))
                failed += 1
                continue
            x, y = pair
            d = np.abs(x - y) if x.size else np.zeros(1)
            rel_d = d / np.maximum(np.abs(x), 1e-12) if x.size else np.zeros(1)
            ok = bool(np.all(d <= tol)) and not np.any(np.isnan(x) != np.isnan(y))
            failed += not ok
            print("%s\t%d\t%.3g\t%.3g\t%s" % (rel, x.size, np.nanmax(d), np.nanmax(rel_d), "ok" if ok else "ABOVE %g" % tol))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
