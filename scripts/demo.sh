#!/usr/bin/env bash
# `make run`: a short end-to-end tour of seqnn on data that ships with the project (and, when
# ../shared/data is present, on real GRCh37 chr20 windows).
set -euo pipefail
BUILD=${1:-build}
SEQNN="$BUILD/seqnn"
OUT=demo_out
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "seqnn info: versions, BLAS, threads, devices"
"$SEQNN" info

step "A TorchScript model exported from PyTorch (DeepSEA architecture, 200 bp, 12 outputs) on 2,000 random sequences"
"$SEQNN" simulate --n 2000 --length 200 --seed 1 -o "$OUT/random200.fa"
"$SEQNN" predict --model tests/fixtures/deepsea_small.pt --fasta "$OUT/random200.fa" --out "$OUT/deepsea_small.tsv" --batch-size 128
head -n 4 "$OUT/deepsea_small.tsv" | cut -f 1-6

step "A native model from a JSON config (configs/small_cnn.json), saved, reloaded and run to .npy"
"$SEQNN" init-model --config configs/small_cnn.json --seed 7 --out "$OUT/small_cnn.seqnn"
"$SEQNN" simulate --n 1000 --length 1000 --seed 2 -o "$OUT/random1000.fa"
"$SEQNN" predict --model "$OUT/small_cnn.seqnn" --fasta "$OUT/random1000.fa" --out "$OUT/small_cnn.npy"

step "In-silico mutagenesis: every substitution in the central 40 bp of 3 sequences, attribution map (N, 4, 40)"
"$SEQNN" simulate --n 3 --length 200 --seed 5 -o "$OUT/three200.fa"
"$SEQNN" ism --model tests/fixtures/deepsea_small.pt --fasta "$OUT/three200.fa" --start 80 --end 120 --target 0 \
  --mode attribution --out "$OUT/ism_attribution.npy"

step "Variant effects with MC-dropout uncertainty (paired masks) on a random 5 kb genome and 20 SNVs"
"$SEQNN" simulate --n 1 --length 5000 --seed 4 -o "$OUT/genome5k.fa"
awk 'NR == 1 { name = substr($1, 2); print "##fileformat=VCFv4.2"; print "##contig=<ID=" name ",length=5000>";
               print "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"; next }
     { seq = seq $0 }
     END { for (i = 1; i <= 20; i++) { p = 200 * i + 7; r = substr(seq, p, 1); a = (r == "A") ? "G" : "A";
           printf "%s\t%d\tv%d\t%s\t%s\t.\t.\t.\n", name, p, i, r, a } }' "$OUT/genome5k.fa" > "$OUT/snvs.vcf"
"$SEQNN" score-variants --model tests/fixtures/deepsea_small.pt --genome "$OUT/genome5k.fa" --vcf "$OUT/snvs.vcf" \
  --target 0 1 --scores diff logit_diff --mc-samples 20 --out "$OUT/variant_scores.tsv"
head -n 4 "$OUT/variant_scores.tsv" | cut -f 1-5,7,11,13,15,17,19,21,23,25  # task0: diff, ref/alt mean and sd, diff mean and sd, ref-alt corr, P(diff>0)

GENOME=../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz
if [ -f "$GENOME" ]; then
  step "BED windows from GRCh37 chr20 (bgzip + .fai/.gzi), streamed through the native model"
  "$SEQNN" simulate --genome "$GENOME" --n 5000 --length 1000 --seed 3 -o "$OUT/chr20_windows.bed"
  "$SEQNN" predict --model "$OUT/small_cnn.seqnn" --bed "$OUT/chr20_windows.bed" --genome "$GENOME" --out "$OUT/chr20_windows.tsv"
  head -n 3 "$OUT/chr20_windows.tsv"
  step "The real chr20 indels (vt example VCF): every REF checked against the genome, then scored"
  "$SEQNN" score-variants --model "$OUT/small_cnn.seqnn" --genome "$GENOME" \
    --vcf ../shared/data/dna/grch37_chr20/indels_vt_example.vcf.gz --out "$OUT/chr20_indels.vcf.gz"
else
  step "(../shared/data not present: skipping the chr20 BED demo)"
fi
printf '\nDemo outputs are in %s/\n' "$OUT"
