#!/usr/bin/env bash
# bench/gpu/run.sh --dry-run: every phase of the GPU session (CUDA tests, CPU-vs-device agreement,
# predict throughput against PyTorch, the DeepSequence curve and final score) run on the CPU at
# tiny sizes with this build, so the script is known to work before a GPU session spends its
# minutes on it. Checks that every phase ran and succeeded and that the results have their shape.
# Skipped (77) without ../shared/data or Debian's python3-torch.
set -uo pipefail
BUILD=$1 SRC=$2
DATA=$SRC/../shared/data
[ -f "$DATA/protein/BLAT_ECOLX_Ranganathan2015.csv" ] || { echo "skip: $DATA not present"; exit 77; }
/usr/bin/python3 -c "import torch, numpy" 2> /dev/null || { echo "skip: python3-torch not installed"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/gpu
OUT=$OUT BUILD=$BUILD DATA=$DATA bash "$SRC/bench/gpu/run.sh" --dry-run > "$TMP/run.log" 2>&1
rc=$?
cat "$OUT/summary.txt" 2> /dev/null
fail() { echo "FAIL: $*"; cat "$TMP/run.log"; exit 1; }
[ $rc = 0 ] || fail "run.sh --dry-run exited $rc"
for p in cuda_tests agreement throughput deepseq; do
  grep -q "^$p	[0-9.]*	0$" "$OUT/phases.tsv" || fail "phase $p did not succeed: $(cat "$OUT/phases.tsv")"
done
# CPU against CPU: every output agrees exactly, and every job wrote one.
for f in predict.npy predict_mc.npy predict_mc.sd.npy ism.npy ism_basset.mutants.npy variants.tsv cnn/metrics.csv lstm/metrics.csv s1/metrics.csv; do
  grep -q "^$f	[0-9]*	0	0	ok$" "$OUT/agreement.tsv" || fail "agreement row for $f: $(grep "^$f" "$OUT/agreement.tsv")"
done
grep -q "seqnn predict (CLI" "$OUT/throughput.txt" || fail "no predict throughput figures"
grep -q "^basset100 .* incremental$" "$OUT/throughput.txt" || fail "no ISM throughput figures"
grep -q "examples/s" "$OUT/throughput.txt" && grep -q "seqnn train: 1 epoch" "$OUT/throughput.txt" || fail "no training throughput figures"
grep -q "Spearman vs 2500: deepseq" "$OUT/deepseq_final.txt" || fail "no final DeepSequence score"
[ "$(wc -l < "$OUT/deepseq_curve.tsv")" -ge 3 ] || fail "the rho curve has no points"
tar -tzf "$OUT/logs.tar.gz" | grep -q logs/deepseq.log || fail "logs.tar.gz lacks the logs"
echo "bench/gpu/run.sh --dry-run: every phase ran"
