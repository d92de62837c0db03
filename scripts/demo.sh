#!/usr/bin/env bash
# `make run`: seqnn's main jobs on real biology, with the trained models that ship in models/
# (docs: models/*/*.md) and the public data in ../shared/data (steps that need it say so and skip
# when it is absent). A few minutes on two cores; FAST=1 (the test suite's mode) uses fewer
# sequences and Monte-Carlo samples. Usage: scripts/demo.sh [BUILD] (outputs in $OUT, demo_out/).
set -euo pipefail  # (no `| head` below: an early exit of head fails the pipeline)
BUILD=${1:-build}
SEQNN="$BUILD/seqnn"
OUT=${OUT:-demo_out}
DATA=${DATA:-../shared/data}
FAST=${FAST:-0}
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }
why() { printf '   (%s)\n' "$*"; }
have() { [ -e "$DATA/$1" ] || { printf '   skipped: %s is not here (the shared public data sets)\n' "$DATA/$1"; return 1; }; }
first_records() {  # first N FASTA records of a file
  awk -v n="$2" '/^>/ { k++ } k <= n' "$1"
}
RBP=$DATA/dna/rbp_clip
CHR20=$DATA/dna/grch37_chr20

step "The trained models that ship with seqnn (any --model takes these names)"
"$SEQNN" models --quiet | cut -f 1,2,5

step "A designed RNA: the same random background with and without one PUM2 site (UGUAAAUA)"
why "the model should see the Pumilio response element, and nothing in the background"
"$SEQNN" simulate --n 1 --length 200 --alphabet rna --seed 11 --out "$OUT/background.fa" --quiet
awk 'NR == 1 { print ">background"; next } { s = s $0 } END { print s;
     print ">with_PUM2_site"; print substr(s, 1, 96) "UGUAAAUA" substr(s, 105) }' "$OUT/background.fa" > "$OUT/designed.fa"
"$SEQNN" predict --model rbp/pum2 --fasta "$OUT/designed.fa" --out "$OUT/designed.tsv" --quiet
awk -F"\t" '{ printf "   %-16s %s\n", $1, $2 }' "$OUT/designed.tsv"

step "PUM2 binding on the held-out CLIP-seq test sequences (none of them seen in training)"
why "auROC against the CLIP labels: the model's accuracy on new transcripts; pysster published 0.945"
if have dna/rbp_clip/pum2.test.positive.fasta; then
  pos=$RBP/pum2.test.positive.fasta neg=$RBP/pum2.test.negative.fasta
  if [ "$FAST" = 1 ]; then
    first_records "$pos" 200 > "$OUT/pum2_pos.fa"; first_records "$neg" 200 > "$OUT/pum2_neg.fa"
    pos=$OUT/pum2_pos.fa neg=$OUT/pum2_neg.fa
  fi
  "$SEQNN" evaluate --model rbp/pum2 --positives "$pos" --negatives "$neg" --out "$OUT/pum2_test_predictions.tsv" --quiet

  step "In-silico mutagenesis of the strongest PUM2 site in the test set, drawn as a sequence logo"
  why "every substitution's effect on the prediction; the tallest letters should spell UGUA[AUC]AUA"
  awk -F'\t' 'NR > 1 && $2 == 1 { print $3 "\t" $1 }' "$OUT/pum2_test_predictions.tsv" | sort -g -r | awk -F'\t' 'NR == 1 { print $2 }' > "$OUT/strongest.txt"
  awk -v id="$(cat "$OUT/strongest.txt")" '/^>/ { keep = (substr($1, 2) == id) } keep' "$pos" > "$OUT/strongest_site.fa"
  "$SEQNN" attribute --method ism --model rbp/pum2 --fasta "$OUT/strongest_site.fa" --out "$OUT/strongest_site_ism.npy" --quiet
  "$SEQNN" plot-logo --attributions "$OUT/strongest_site_ism.npy" --fasta "$OUT/strongest_site.fa" --alphabet rna \
    --motif-length 8 --flank 12 --out "$OUT/strongest_site_logo.png" --quiet > "$OUT/strongest_site_motif.tsv"
  read -r site start end motif sum < "$OUT/strongest_site_motif.tsv"
  if [[ "$motif" =~ ^UGUA[AUC]AUA$ ]]; then verdict="matches the PUM motif UGUA[AUC]AUA"; else verdict="does NOT match UGUA[AUC]AUA"; fi
  printf '   %s: strongest 8-mer at %s-%s is %s: %s  -> %s\n' "$site" "$start" "$end" "$motif" "$verdict" "$OUT/strongest_site_logo.png"
fi

step "Variant effects on PUM2 binding for the real chr20 VCFs, with Monte-Carlo dropout (paired masks)"
why "P(diff > 0) near 0 or 1: the model is sure of the direction; near 0.5: it is not"
if have dna/grch37_chr20/GRCh37.chr20.fa.gz; then
  samples=50; [ "$FAST" = 1 ] && samples=10
  for vcf in gonl_chr20_example indels_vt_example; do
    "$SEQNN" score-variants --model rbp/pum2 --genome "$CHR20/GRCh37.chr20.fa.gz" --vcf "$CHR20/$vcf.vcf.gz" \
      --scores diff --mc-samples "$samples" --mc-pairing paired --out "$OUT/$vcf.pum2.tsv" --quiet
  done
  # columns: pos ref alt diff_mean diff_sd P(diff>0); sure first, then the least sure
  awk -F'\t' 'FNR > 1 { p = $15; d = (p > 0.5) ? p - 0.5 : 0.5 - p; printf "%.3f\t%s\t%s\t%.12s\t%.12s\t%+.4f\t%.4f\t%.2f\n", d, $1 ":" $2, $3, $4, $5, $12, $13, p }' \
    "$OUT"/gonl_chr20_example.pum2.tsv "$OUT"/indels_vt_example.pum2.tsv | sort -g -r > "$OUT/variants_by_certainty.tsv"
  printf '   %-12s %-12s %-12s %-9s %-8s %s\n' variant ref alt diff_mean diff_sd 'P(diff>0)'
  { head -n 4 "$OUT/variants_by_certainty.tsv"; echo "   ..."; tail -n 3 "$OUT/variants_by_certainty.tsv"; } |
    awk -F'\t' '$0 == "   ..." { print; next } { printf "   %-12s %-12s %-12s %-9s %-8s %s\n", $2, $4, $5, $6, $7, $8 }'
fi

step "RNA secondary structure: nearest-neighbour folding (Turner 2004, RNAfold's model) of ArchiveII RNAs"
why "dot-bracket MFE structure and base-pair F1 against the known, comparative-analysis structure"
if have rna/ArchiveII.csv; then
  n=4; [ "$FAST" = 1 ] && n=2
  { head -n 1 "$DATA/rna/ArchiveII.csv"; grep -E '^(tRNA|5s)_' "$DATA/rna/ArchiveII.csv" | awk -F, -v n="$n" '$NF <= 120 && ++k <= n'; } > "$OUT/archiveii_few.csv"
  "$SEQNN" rna fold --compare --fasta "$OUT/archiveii_few.csv" --out "$OUT/archiveii_few.fold.tsv" --quiet
  awk -F'\t' 'NR > 1 { printf "   %s (F1 %.2f)\n   predicted %s\n   known     %s\n", $1, $8, $3, $5 }' "$OUT/archiveii_few.fold.tsv"
fi

if [ -f models/mhc/pan.pt ] && "$SEQNN" mhc --help > /dev/null 2>&1; then
  step "Peptide-MHC class I binding: the pan-allele model on known HLA-A*02:01 ligands and non-binders"
  why "predicted IC50 (nM) next to the measured one (rows it trained on; held-out figures: models/mhc/pan.md); <= 500 nM binds"
  if have mhc/bdata.2013.mhci.public.blind.1.txt; then
    awk -F'\t' '$2 == "HLA-A*02:01" && $3 == 9 { print $5 "\t" $7 }' "$DATA/mhc/bdata.2013.mhci.public.blind.1.txt" |
      sort -t$'\t' -k2,2g | awk 'NR % 200 == 1 && ++k <= 6' > "$OUT/mhc_peptides_measured.tsv"
    cut -f 1 "$OUT/mhc_peptides_measured.tsv" > "$OUT/mhc_peptides.txt"
    "$SEQNN" mhc predict --model mhc/pan --alleles 'HLA-A*02:01' --peptides "$OUT/mhc_peptides.txt" --out "$OUT/mhc_predictions.tsv" --quiet
    printf '   %-11s %-14s %s\n' peptide 'predicted nM' 'measured nM'
    awk -F'\t' 'NR == FNR { m[$1] = $2; next } FNR > 1 { printf "   %-11s %-14.0f %s\n", $2, $3, m[$2] }' \
      "$OUT/mhc_peptides_measured.tsv" "$OUT/mhc_predictions.tsv"
  fi
fi
printf '\nDemo outputs are in %s/\n' "$OUT"
