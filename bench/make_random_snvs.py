#!/usr/bin/env python3
"""Writes a VCF of random SNVs on a chromosome: positions uniform over non-N bases, REF from the
genome, ALT a different base chosen uniformly, sorted by position. Deterministic for a seed.
Usage: /usr/bin/python3 bench/make_random_snvs.py GENOME.fa[.gz] N SEED OUT.vcf
"""
import gzip
import sys

import numpy as np

genome, n, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
opener = gzip.open if genome.endswith(".gz") else open
name, parts = None, []
with opener(genome, "rt") as f:
    for line in f:
        if line.startswith(">"):
            if name is not None:
                break  # first chromosome only
            name = line[1:].split()[0]
        else:
            parts.append(line.strip())
seq = np.frombuffer("".join(parts).upper().encode(), dtype=np.uint8)
acgt = np.frombuffer(b"ACGT", dtype=np.uint8)
valid = np.flatnonzero(np.isin(seq, acgt))
rng = np.random.RandomState(seed)
pos = np.sort(rng.choice(valid, size=n, replace=False))
with open(out, "w") as f:
    f.write("##fileformat=VCFv4.2\n##contig=<ID=%s,length=%d>\n" % (name, len(seq)))
    f.write("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    for i, p in enumerate(pos):
        ref = chr(seq[p])
        alt = "ACGT".replace(ref, "")[rng.randint(3)]
        f.write("%s\t%d\tsnv%d\t%s\t%s\t.\t.\t.\n" % (name, p + 1, i, ref, alt))
