#!/usr/bin/env bash
# Seqlets of the shipped RBP models on their CLIP positives (docs/benchmarks.md, "Seqlets and
# motifs"): DeepLIFT/SHAP and ISM maps of every positive test sequence, Pearson of the two
# projected maps over positions, seqlets -> patterns -> TOMTOM against the JASPAR file (DNA, read
# with U as T) and against JASPAR plus the three RBP consensus motifs (tests/fixtures/motifs).
#   bench/seqlets_rbp.sh [BUILD_DIR] [OUT_DIR]     (run under flock /tmp/seqnn/build.lock)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-/tmp/seqnn_seqlets_bench}
data=$root/../shared/data
seqnn=$build/seqnn
jaspar=$data/motifs/jaspar2024_consensus.meme
threads=${THREADS:-2}
proteins=${PROTEINS:-pum2 qki nova}
mkdir -p "$out"

# JASPAR as an RNA file (T -> U, one strand) with PUM, QKI and NOVA added: 185 motifs.
/usr/bin/python3 - "$jaspar" "$root/tests/fixtures/motifs/rbp_iupac.meme" "$out/jaspar_rbp.meme" <<'PY'
import sys
jaspar, rbp, out = sys.argv[1:]
text = open(jaspar).read().replace('ALPHABET= ACGT', 'ALPHABET= ACGU').replace(' T 0.25000', ' U 0.25000')
text = text.replace('strands: + -', 'strands: +')
extra = open(rbp).read()
open(out, 'w').write(text.rstrip('\n') + '\n\n' + extra[extra.index('MOTIF'):])
PY

for protein in $proteins; do
  fa=$data/dna/rbp_clip/$protein.test.positive.fasta
  t0=$(date +%s.%N)
  "$seqnn" attribute --method deeplift-shap -m rbp/$protein -f "$fa" --threads "$threads" --seed 1 -q -o "$out/$protein.dl.npy"
  t1=$(date +%s.%N)
  "$seqnn" attribute --method ism -m rbp/$protein -f "$fa" --threads "$threads" -q -o "$out/$protein.ism.npy"
  t2=$(date +%s.%N)
  "$seqnn" seqlets --attributions "$out/$protein.dl.npy" -f "$fa" --motifs "$jaspar" -q -o "$out/$protein.dl.seqlets.tsv"
  t3=$(date +%s.%N)
  "$seqnn" seqlets --attributions "$out/$protein.ism.npy" -f "$fa" --motifs "$jaspar" -q -o "$out/$protein.ism.seqlets.tsv"
  "$seqnn" seqlets --attributions "$out/$protein.dl.npy" -f "$fa" --motifs "$out/jaspar_rbp.meme" -q -o "$out/$protein.dl.rbp.tsv"
  echo "== $protein: deeplift-shap $(echo "$t1 - $t0" | bc) s, ism $(echo "$t2 - $t1" | bc) s, seqlets+patterns+tomtom $(echo "$t3 - $t2" | bc) s"
  /usr/bin/python3 - "$out" "$protein" "$fa" <<'PY'
import sys, numpy as np
out, protein, fa = sys.argv[1:]
seqs, cur = [], None
for line in open(fa):
    if line.startswith('>'):
        if cur is not None: seqs.append(cur)
        cur = ''
    else:
        cur += line.strip().upper()
seqs.append(cur)
x = np.zeros((len(seqs), 4, len(seqs[0])))
for i, s in enumerate(seqs):
    for j, c in enumerate(s):
        if c in 'ACGU': x[i, 'ACGU'.index(c), j] = 1
dl = (np.load(f'{out}/{protein}.dl.npy') * x).sum(1).ravel()
ism = (np.load(f'{out}/{protein}.ism.npy') * x).sum(1).ravel()
print(f'{protein}: {len(seqs)} sequences; Pearson(ISM, DeepLIFT/SHAP) over {dl.size} positions = {np.corrcoef(dl, ism)[0, 1]:.3f}')
for kind in ('dl.seqlets', 'ism.seqlets', 'dl.rbp'):
    rows = [l.rstrip('\n').split('\t') for l in open(f'{out}/{protein}.{kind}.tsv')][1:]
    pats = [l.rstrip('\n').split('\t') for l in open(f'{out}/{protein}.{kind}.patterns.tsv')]
    print(f'  {kind}: {len(rows)} seqlets in {len({r[0] for r in rows})} sequences; top patterns:')
    for p in pats[1:6]:
        print(f'    {p[0]}: {p[1]} seqlets ({float(p[2]):.1%}), consensus {p[4]}; TOMTOM best {p[6]} {p[8]} '
              f'offset {p[9]} strand {p[10]} p {float(p[12]):.2g} q {float(p[14]):.2g}')
PY
done
