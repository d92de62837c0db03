#!/bin/sh
# DeepSequence benchmarks on BLAT_ECOLX (docs/benchmarks.md, "DeepSequence on BLAT_ECOLX").
# Usage (from the repository root): bench/deepsequence/run_bench.sh BUILD_DIR [THREADS] [UPDATES] [SNAPSHOT_EVERY] [DRAWS]
# Keep UPDATES small on a shared CPU; results go to bench/deepsequence/out/ (not committed).
set -eu
BUILD=${1:?build dir}
T=${2:-2}
N=${3:-400}
K=${4:-100}
S=${5:-8}
D=../shared/data/protein
ALN=$D/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m
CSV=$D/BLAT_ECOLX_Ranganathan2015.csv
OUT=bench/deepsequence/out
SEQNN=$BUILD/seqnn
mkdir -p $OUT
# 1. weights, both exact methods (identical output)
$SEQNN deepseq weights -a $ALN -o $OUT/weights.tsv --threads $T --device cpu
$SEQNN deepseq weights -a $ALN -o $OUT/weights_matmul.tsv --weights-method matmul --threads $T --device cpu
cmp $OUT/weights.tsv $OUT/weights_matmul.tsv
# 2. independent-site baseline, and its numpy/scipy check
$SEQNN deepseq score -a $ALN --mutations $CSV --independent --spearman 2500 -o $OUT/independent.csv --threads $T
(cd bench/deepsequence && /usr/bin/python3 independent_reference.py)
# 3. training speed: seqnn, then the PyTorch reference, back to back (fresh run directories)
rm -rf $OUT/speed2 $OUT/speed12
/usr/bin/time -f "seqnn 2 updates: %e s wall, %U user, %S sys" $SEQNN deepseq train -a $ALN -o $OUT/speed2 \
  --updates 2 --threads $T --device cpu --seed 2 --quiet
/usr/bin/time -f "seqnn 12 updates: %e s wall, %U user, %S sys" $SEQNN deepseq train -a $ALN -o $OUT/speed12 \
  --updates 12 --log-every 2 --threads $T --device cpu --seed 2 --quiet
(cd bench/deepsequence && /usr/bin/python3 bench_reference.py --threads $T --updates 4 --score-draws 2)
# 4. rho against updates
bench/deepsequence/curve.sh $SEQNN $OUT/curve $N $K $S $T
