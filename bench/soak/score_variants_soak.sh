#!/usr/bin/env bash
# Soak test of `seqnn score-variants` (issue 15, part 5): N random SNVs on GRCh37 chr20 (default
# 1,000,000; REF read from the genome, N bases never drawn, sorted, seed SEED) scored in one run
# while VmRSS and VmHWM are sampled every second; then the same variants as SLICES consecutive
# slices (header kept in each), whose outputs, concatenated with the header once, must be
# byte-identical to the one run's output. Draws the RSS curve with `seqnn plot-metrics` and
# prints a summary (variants/s, RSS at 10/50/90 %/end, peak, second-half slope, the check).
# Outputs go under WORK_DIR; the PNG is copied to FIGURE (default docs/figures/... for the full
# 1,000,000 run only; FIGURE= to skip). The binary and model are copied into WORK_DIR first so a
# rebuild during the run cannot change what is measured.
# Usage: [BUILD=build] [MODEL=rbp/pum2] [SEED=42] [FLAGS="--rc mean --scores diff logit_diff"] \
#        bench/soak/score_variants_soak.sh [WORK_DIR] [N] [SLICES] [THREADS]
set -euo pipefail
WORK=$(realpath -m "${1:-/tmp/seqnn-soak}")
cd "$(dirname "$0")/../.."
N=${2:-1000000}
SLICES=${3:-10}
THREADS=${4:-1}
BUILD=${BUILD:-build}
MODEL=${MODEL:-rbp/pum2}
SEED=${SEED:-42}
read -r -a FLAGS <<< "${FLAGS---rc mean --scores diff logit_diff}"
if [ "$N" = 1000000 ]; then FIGURE=${FIGURE-docs/figures/score_variants_soak_rss.png}; else FIGURE=${FIGURE-}; fi
PY=/usr/bin/python3
HELP=bench/soak/soak_helper.py
GENOME=../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz
[ -f "$GENOME" ] || { echo "skip: $GENOME not present"; exit 0; }
[ -x "$BUILD/seqnn" ] || { echo "score_variants_soak: $BUILD/seqnn not built" >&2; exit 1; }
case "$WORK" in "$PWD"|"$PWD"/*) echo "score_variants_soak: WORK_DIR must be outside the repository" >&2; exit 1;; esac
mkdir -p "$WORK"
cp "$BUILD/seqnn" "$WORK/seqnn"
if [ -f "models/$MODEL.pt" ]; then cp "models/$MODEL.pt" "$WORK/model.pt"; else cp "$MODEL" "$WORK/model.pt"; fi
SEQNN=$WORK/seqnn

echo "== soak: $N SNVs, model $MODEL, threads $THREADS, flags ${FLAGS[*]:-none}, $SLICES slices, work dir $WORK"
echo "binary $(md5sum < "$WORK/seqnn" | cut -c1-12) (from $BUILD/seqnn, $(date -r "$BUILD/seqnn" '+%F %T')), model $(md5sum < "$WORK/model.pt" | cut -c1-12)"
$PY bench/make_random_snvs.py "$GENOME" "$N" "$SEED" "$WORK/snvs.vcf"
echo "VCF $WORK/snvs.vcf: $(grep -vc '^#' "$WORK/snvs.vcf") records, md5 $(md5sum < "$WORK/snvs.vcf" | cut -c1-12)"

# score LABEL VCF OUT SAMPLES_CSV: the command under the sampler; sets SECONDS_TAKEN, MAXRSS_KIB
score() {
  local label=$1 vcf=$2 out=$3 samples=$4 rc
  rm -f "$out" "$out.partial"
  $PY $HELP run "$samples" "$out" -- "$SEQNN" score-variants -m "$WORK/model.pt" -g "$GENOME" -v "$vcf" \
    -o "$out" --threads "$THREADS" -q "${FLAGS[@]}" > "$out.run" 2> "$out.log" || { cat "$out.log" >&2; echo "$label failed" >&2; exit 1; }
  read -r rc SECONDS_TAKEN MAXRSS_KIB < "$out.run"
  grep -q ' 0 skipped' "$out.log" || { cat "$out.log" >&2; echo "$label skipped variants" >&2; exit 1; }
}

score full "$WORK/snvs.vcf" "$WORK/full.tsv" "$WORK/rss.csv"
WALL=$SECONDS_TAKEN MAXRSS=$MAXRSS_KIB
echo "full run: $(tail -n 1 "$WORK/full.tsv.log")"

$PY $HELP split "$WORK/snvs.vcf" "$SLICES" "$WORK/slice" > /dev/null
SLICE_OUTS=() SLICE_ROWS=()
for ((i = 0; i < SLICES; i++)); do
  score "slice $i" "$WORK/slice.$i.vcf" "$WORK/slice.$i.tsv" "$WORK/slice.$i.rss.csv"
  SLICE_OUTS+=("$WORK/slice.$i.tsv")
  SLICE_ROWS+=("$(grep -vc '^#' "$WORK/slice.$i.vcf")")
  awk -v i="$i" -v n="${SLICE_ROWS[-1]}" -v w="$SECONDS_TAKEN" -v m="$MAXRSS_KIB" \
    'BEGIN { printf "slice %d: %d variants, %.1f s, peak RSS %.1f MiB\n", i, n, w, m / 1024 }'
done
$PY $HELP concat "$WORK/slices.tsv" "${SLICE_OUTS[@]}"
MATCH=yes
$PY $HELP compare "$WORK/full.tsv" "$WORK/slices.tsv" "$(IFS=,; echo "${SLICE_ROWS[*]}")" > "$WORK/compare.txt" || MATCH=no
cat "$WORK/compare.txt"

$PY $HELP metrics "$WORK/rss.csv" "$WORK/rss_metrics.csv"
"$SEQNN" plot-metrics "$WORK/rss_metrics.csv" -o "$WORK/rss.png" -q 2> /dev/null
if [ -n "$FIGURE" ]; then
  size=$(stat -c %s "$WORK/rss.png")
  if [ "$size" -lt 102400 ]; then mkdir -p "$(dirname "$FIGURE")"; cp "$WORK/rss.png" "$FIGURE"; echo "figure $FIGURE ($size bytes)"
  else echo "figure not copied: $WORK/rss.png is $size bytes"; fi
fi

echo "== summary (full run; samples in $WORK/rss.csv, curve $WORK/rss.png)"
$PY $HELP summary "$WORK/rss.csv" "$N" "$WALL" | tee "$WORK/summary.txt"
awk -v m="$MAXRSS" 'BEGIN { printf "peak MiB (rusage)  %.1f (ru_maxrss of the process)\n", m / 1024 }' | tee -a "$WORK/summary.txt"
echo "concatenation of $SLICES slices equals the full output: $MATCH" | tee -a "$WORK/summary.txt"
[ "$MATCH" = yes ]
