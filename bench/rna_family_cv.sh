#!/usr/bin/env bash
# Leave one ArchiveII family out (issue 19): for every family, base-pair F1 on all of its
# sequences of (a) S1 on the sequence alone, (b) S1 with the folding engine's pair probabilities
# and MFE pairs as input channels, (c) the engine's MFE structure, (d) its MEA structure (gamma 1),
# and RNAfold 2.7.1's MFE from ../shared/data for reference. Both S1 variants get the same recipe:
# pre-trained on chr20 MFE segments, fine-tuned on the other families (bench/rna_family_split.py).
#   BUILD=build OUT=bench_out/rna_family THREADS=2 bench/rna_family_cv.sh          # all 7 families (docs/benchmarks.md)
#   FAMILIES="tRNA 23s" EPOCHS=1 PRE_N=500 bench/rna_family_cv.sh                   # a smoke run
# Results: $OUT/summary.tsv (family, n, f1 per method) and the per-sequence scores under $OUT/FAMILY.
set -euo pipefail
BUILD=${BUILD:-build}
DATA=${DATA:-../shared/data/rna}
OUT=${OUT:-/tmp/seqnn_rna_family}
FAMILIES=${FAMILIES:-5s srp tRNA tmRNA grp1 16s 23s}
VARIANTS=${VARIANTS:-sequence thermo}
FILTERS=${FILTERS:-8,8,16,16}
WIDTHS=${WIDTHS:-7,7,7,7}
PRE_N=${PRE_N:-3000}
PRE_EPOCHS=${PRE_EPOCHS:-2}
EPOCHS=${EPOCHS:-2}
PER_FAMILY=${PER_FAMILY:-150}
MAXLEN=${MAXLEN:-400}
THREADS=${THREADS:-2}
PREDICT_ARGS=${PREDICT_ARGS:---min-pixel-prob 0.2 --min-norm 0.05}
S=$BUILD/seqnn
mkdir -p "$OUT"
mean_col() { /usr/bin/python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1]), delimiter='\t')); print(f'{sum(float(x[sys.argv[2]]) for x in r)/len(r):.4f}')" "$@"; }

for v in $VARIANTS; do
  if [ ! -f "$OUT/pre_$v/model_best.pt" ]; then
    rm -rf "$OUT/pre_$v"
    "$S" rna train --data "$DATA/chr20_len64_mfefreq0.1.tsv.gz" --max-records "$PRE_N" --inputs "$v" \
      --num-filters "$FILTERS" --filter-width "$WIDTHS" --dense-units 50 --epochs "$PRE_EPOCHS" --batch-size 20 \
      --loss-weights on=30,sl_size=0.2 --threads "$THREADS" --seed 5555 -q --out "$OUT/pre_$v"
  fi
done

printf "family\tn\t%s\tengine_mfe\tengine_mea\trnafold_2.7.1\n" "$(echo $VARIANTS | sed 's/\([a-z]*\)/s1_\1/g; s/ /\t/g')" > "$OUT/summary.tmp"
for f in $FAMILIES; do
  D=$OUT/$f
  /usr/bin/python3 bench/rna_family_split.py --data "$DATA" --family "$f" --per-family "$PER_FAMILY" \
    --max-train-length "$MAXLEN" --out "$D/split"
  row="$f\t$(($(wc -l < "$D/split/test.tsv") - 1))"
  for v in $VARIANTS; do
    rm -rf "$D/$v"
    "$S" rna train --init "$OUT/pre_$v/model_best.pt" --data "$D/split/train.tsv" --val-data "$D/split/valid.tsv" \
      --epochs "$EPOCHS" --batch-size 8 --bucket-width 20 --max-length "$MAXLEN" --loss-weights on=30,sl_size=0.2 \
      --threads "$THREADS" --seed 1 -q --out "$D/$v"
    "$S" rna predict -q --model "$D/$v/model_best.pt" --fasta "$D/split/test.fa" --out "$D/$v/pred.tsv" \
      --threads "$THREADS" $PREDICT_ARGS
    "$S" rna eval -q --truth "$D/split/test.tsv" --pred "$D/$v/pred.tsv" --out "$D/$v/scores.tsv"
    row="$row\t$(mean_col "$D/$v/scores.tsv" f1)"
  done
  "$S" rna fold -q --fasta "$D/split/test.tsv" --compare --mea 1 --threads "$THREADS" --out "$D/engine.tsv"
  "$S" rna eval -q --truth "$D/split/test.tsv" --pred "$DATA/ArchiveII_RNAfold-2.7.1_mfe.txt" --out "$D/rnafold.tsv"
  row="$row\t$(mean_col "$D/engine.tsv" f1)\t$(mean_col "$D/engine.tsv" mea_f1)\t$(mean_col "$D/rnafold.tsv" f1)"
  printf "$row\n" | tee -a "$OUT/summary.tmp"
done
mv "$OUT/summary.tmp" "$OUT/summary.tsv"
column -t -s $'\t' "$OUT/summary.tsv"
