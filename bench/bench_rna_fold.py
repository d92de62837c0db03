#!/usr/bin/env python3
"""`seqnn rna fold` against RNAfold 2.7.1, and its speed.

Exactness: folds every ArchiveII sequence of ../shared/data/rna/ArchiveII_RNAfold-2.7.1_mfe.txt
(RNAfold 2.7.1's MFE structures and energies) and reports
  - MFE energy equal to RNAfold's (to 0.01 kcal/mol),
  - structure identical, and structures that differ but have the same energy (a degenerate MFE:
    RNAfold picked another optimal structure; `seqnn rna fold --eval` scores both alike),
  - RNAfold's own structures evaluated with `seqnn rna fold --eval` equal to RNAfold's energy.
Speed: random sequences (seed 1) of 100 / 500 / 1,000 / 2,000 nt, MFE alone and with the
partition function (--partition: inside + outside pass for pair probabilities), one thread, seconds
and n^3 / s.

Usage: bench/bench_rna_fold.py [--seqnn build/seqnn] [--threads 2] [--lengths 100 500 1000 2000]
                              [--skip-archive] [--skip-speed]
Run it under the build lock (it is CPU-heavy):
  flock /tmp/seqnn/build.lock python3 bench/bench_rna_fold.py
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ARCHIVE = os.path.join(ROOT, "..", "shared", "data", "rna", "ArchiveII_RNAfold-2.7.1_mfe.txt")


def read_rnafold(path):
    recs = []
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f]
    for k in range(0, len(lines) - 2, 3):
        sid, seq, line = lines[k][1:], lines[k + 1], lines[k + 2]
        sp = line.rfind(" (")
        recs.append((sid, seq, line[:sp], round(float(line[sp + 2:line.rfind(")")]) * 100)))
    return recs


def read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, l.rstrip("\n").split("\t"))) for l in f if l.strip()]


def run(args):
    t0 = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("failed: " + " ".join(args) + "\n" + p.stderr)
    return dt, p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""


def archive(seqnn, threads, tmp):
    recs = read_rnafold(ARCHIVE)
    fa = os.path.join(tmp, "archive.fa")
    with open(fa, "w") as f:
        for sid, seq, _, _ in recs:
            f.write(f">{sid}\n{seq}\n")
    out = os.path.join(tmp, "archive.tsv")
    dt, summary = run([seqnn, "rna", "fold", "-f", fa, "-o", out, "--threads", str(threads), "-q"])
    ours = {r["id"]: r for r in read_tsv(out)}
    n = len(recs)
    energy = same = degenerate = 0
    mismatches = []
    for sid, seq, db, e in recs:
        r = ours[sid]
        mine = round(float(r["mfe"]) * 100)
        if mine == e:
            energy += 1
            if r["structure"] == db:
                same += 1
            else:
                degenerate += 1
        else:
            mismatches.append((sid, len(seq), e / 100, mine / 100))
    # RNAfold's structures evaluated by our model
    ev = os.path.join(tmp, "eval.tsv")
    run([seqnn, "rna", "fold", "--eval", "-f", ARCHIVE, "-o", ev, "--threads", str(threads), "-q"])
    evals = {r["id"]: round(float(r["energy"]) * 100) for r in read_tsv(ev)}
    eval_ok = sum(1 for sid, _, _, e in recs if evals[sid] == e)
    nt = sum(len(s) for _, s, _, _ in recs)
    print(f"ArchiveII ({n} sequences, {nt} nt, {threads} threads): folded in {dt:.1f} s")
    print(f"  MFE energy equal to RNAfold 2.7.1: {energy}/{n} = {100 * energy / n:.2f} %")
    print(f"  structure identical: {same}/{n} = {100 * same / n:.2f} %; "
          f"different structure of the same (degenerate) MFE: {degenerate}; "
          f"identical where the MFE energy agrees and the structure is not degenerate: {same}/{energy - degenerate}")
    print(f"  RNAfold's structures, our energy = theirs: {eval_ok}/{n} = {100 * eval_ok / n:.2f} %")
    for m in mismatches[:20]:
        print("  energy differs:", *m)


def speed(seqnn, lengths, tmp):
    rng = random.Random(1)
    print("Speed (one thread; random sequences, seed 1; folding time as `seqnn rna fold` reports it,")
    print("start-up and I/O excluded; short lengths fold several copies and report per sequence):")
    print("| length | MFE s | MFE n^3/s | --partition s | --partition n^3/s |")
    print("|---|---|---|---|---|")
    for n in lengths:
        seq = "".join(rng.choice("ACGU") for _ in range(n))
        copies = max(1, int(2e8 // n ** 3))
        fa = os.path.join(tmp, f"r{n}.fa")
        with open(fa, "w") as f:
            for c in range(copies):
                f.write(f">r{n}_{c}\n{seq}\n")
        t_mfe = folding_seconds(run([seqnn, "rna", "fold", "-f", fa, "-o", os.path.join(tmp, f"r{n}.tsv"), "--threads", "1"])[1]) / copies
        t_pf = folding_seconds(run([seqnn, "rna", "fold", "-f", fa, "-o", os.path.join(tmp, f"r{n}p.tsv"), "--partition", "--threads", "1"])[1]) / copies
        print(f"| {n} | {t_mfe:.4f} | {n ** 3 / t_mfe:.3g} | {t_pf:.4f} | {n ** 3 / t_pf:.3g} |")


def folding_seconds(summary):
    # "seqnn rna fold: 1 sequences (100 nt) folded in 0.012 s (...)"
    return float(summary.split(" in ")[1].split(" s")[0])


def write_fasta(tmp, name, seq):
    path = os.path.join(tmp, name + ".fa")
    with open(path, "w") as f:
        f.write(f">{name}\n{seq}\n")
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seqnn", default=os.path.join(ROOT, "build", "seqnn"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lengths", type=int, nargs="+", default=[100, 500, 1000, 2000])
    ap.add_argument("--skip-archive", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not a.skip_archive:
            if not os.path.exists(ARCHIVE):
                sys.exit(f"{ARCHIVE} is absent")
            archive(a.seqnn, a.threads, tmp)
        if not a.skip_speed:
            speed(a.seqnn, a.lengths, tmp)


if __name__ == "__main__":
    main()
