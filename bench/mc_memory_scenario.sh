#!/usr/bin/env bash
# The MC-dropout memory scenario from the field: one 1000-bp sequence, all 3 x 1000 = 3000
# single-base mutants (seqnn ism) plus 1000 more variants (seqnn score-variants), 30 MC samples,
# DeepSEA's architecture at full size (919 outputs). Reports peak RSS of each run (must be < 2 GB).
# Usage: bench/mc_memory_scenario.sh [BUILD_DIR] [THREADS] [K]
set -euo pipefail
BUILD=${1:-build}
THREADS=${2:-$(nproc)}
K=${3:-30}
GENOME=../shared/data/dna/grch37_chr20/GRCh37.chr20.fa.gz
[ -f "$GENOME" ] || { echo "skip: $GENOME not present"; exit 0; }
TMP=$(mktemp -d /tmp/seqnn_bench_mc.XXXXXX)
/usr/bin/python3 - "$TMP" <<'PY'
import os, sys, torch
sys.path.insert(0, "bench")
from bench_models import deepsea
torch.manual_seed(0)
torch.jit.save(torch.jit.script(deepsea().eval()), os.path.join(sys.argv[1], "deepsea.pt"))
PY
"$BUILD/seqnn" simulate --n 1 --length 1000 --seed 7 -o "$TMP/seq.fa" > /dev/null
/usr/bin/python3 bench/make_random_snvs.py "$GENOME" 1000 7 "$TMP/snvs.vcf"
measure() {
  local label=$1; shift
  /usr/bin/time -f "%M %e" -o "$TMP/time" "$BUILD/seqnn" "$@" --threads "$THREADS" --mc-samples "$K" -q 2> "$TMP/log" \
    || { cat "$TMP/log"; exit 1; }
  read -r kb secs < "$TMP/time"
  tail -1 "$TMP/log"
  awk -v l="$label" -v s="$secs" -v kb="$kb" 'BEGIN { printf "%-44s %8.1f s  peak RSS %7.1f MiB\n", l, s, kb / 1024 }'
}
echo "DeepSEA (919 outputs), K = $K MC samples, threads $THREADS"
measure "ism: 1 x 1000 bp, 3000 mutants" ism -m "$TMP/deepsea.pt" -f "$TMP/seq.fa" -o "$TMP/ism.npy"
measure "score-variants: 1000 chr20 SNVs" score-variants -m "$TMP/deepsea.pt" -g "$GENOME" -v "$TMP/snvs.vcf" -l 1000 -o "$TMP/sv.tsv"
rm -rf "$TMP"
