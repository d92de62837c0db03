#!/usr/bin/env bash
# Designed experiments with the shipped RBP models (docs/attribution.md, "Designed experiments"):
# each model's specificity for the three RBP motifs (marginalize PUM, QKI, NOVA and a control
# into the first 200 CLIP test negatives, letters drawn from tests/fixtures/motifs/rbp_iupac.meme),
# two motif copies at a range of spacings into dinucleotide shuffles, the ablation of the centre
# of the positives, and greedy design of the negatives. Prints TSV tables of mean effects.
#   bench/experiments_rbp.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-/tmp/seqnn_experiments_bench}
data=$root/../shared/data/dna/rbp_clip
[ -d "$data" ] || { echo "experiments_rbp: $data not found (../shared/data)" >&2; exit 0; }
seqnn=$build/seqnn
meme=$root/tests/fixtures/motifs/rbp_iupac.meme
mkdir -p "$out"
first() { awk -v n="$2" '/^>/{k++} k<=n' "$1"; }
mean_by() { awk -F'\t' -v key="$2" -v col="$3" 'NR>1{s[$key]+=$col; n[$key]++} END{for (k in s) printf "%s\t%.3f\n", k, s[k]/n[k]}' "$1" | sort; }

echo -e "# marginalize: mean change of P(bound), 200 test negatives (rows: model; columns: motif)"
for p in pum2 qki nova; do
  first "$data/$p.test.negative.fasta" 200 > "$out/$p.neg.fa"
  "$seqnn" marginalize -m "rbp/$p" -f "$out/$p.neg.fa" --motif "$meme:PUM" --motif "$meme:QKI" --motif "$meme:NOVA" \
    --motif ACGCGUCA -o "$out/marginalize_$p.tsv" --threads 1 -q --seed 1
  echo "$p: $(mean_by "$out/marginalize_$p.tsv" 3 7 | tr '\n' ' ')"
done

echo -e "\n# space: two UGUAAAUA copies into 3 shuffles of 100 PUM2 negatives, mean change by spacing"
first "$data/pum2.test.negative.fasta" 100 > "$out/pum2.neg100.fa"
"$seqnn" space -m rbp/pum2 -f "$out/pum2.neg100.fa" --backgrounds shuffle:3 --motif UGUAAAUA --motif UGUAAAUA \
  --spacing 0,2,5,10,20,40,80 -o "$out/space_pum2.tsv" --threads 1 -q --seed 1
mean_by "$out/space_pum2.tsv" 3 6 | sort -n

echo -e "\n# ablate: centre 60 nt (70-130) of 200 test positives shuffled 10 times, mean change"
for p in pum2 qki nova; do
  first "$data/$p.test.positive.fasta" 200 > "$out/$p.pos.fa"
  "$seqnn" ablate -m "rbp/$p" -f "$out/$p.pos.fa" --start 70 --end 130 --shuffles 10 -o "$out/ablate_$p.tsv" --threads 1 -q --seed 1
  "$seqnn" ablate -m "rbp/$p" -f "$out/$p.pos.fa" --start 0 --end 60 --shuffles 10 -o "$out/ablate_edge_$p.tsv" --threads 1 -q --seed 1
  echo "$p: centre $(mean_by "$out/ablate_$p.tsv" 3 8 | cut -f2), edge 0-60 $(mean_by "$out/ablate_edge_$p.tsv" 3 8 | cut -f2)"
done

echo -e "\n# design: 5 greedy substitutions of 50 PUM2 negatives"
first "$data/pum2.test.negative.fasta" 50 > "$out/pum2.neg50.fa"
"$seqnn" design -m rbp/pum2 -f "$out/pum2.neg50.fa" --iterations 5 -o "$out/design_pum2.tsv" --threads 1 -q
awk -F'\t' 'NR>1{i+=$3; f+=$4; n++} END{printf "mean P(bound) %.3f -> %.3f\n", i/n, f/n}' "$out/design_pum2.tsv"
# How many designed sequences hold a UGUAHAUA site the input did not.
/usr/bin/python3 - "$out/pum2.neg50.fa" "$out/design_pum2.tsv" <<'PY'
import re, sys
fa, tsv = sys.argv[1:]
seqs, name = {}, None
for line in open(fa):
    line = line.strip()
    if line.startswith('>'): name = line[1:].split()[0]; seqs[name] = ''
    else: seqs[name] += line
site = re.compile('UGUA[ACU]AUA')
rows = [l.rstrip('\n').split('\t') for l in open(tsv)][1:]
new = sum(1 for r in rows if site.search(r[7]) and not site.search(seqs[r[0]]))
print(f"designed sequences with a new UGUAHAUA site: {new} of {len(rows)}")
PY
