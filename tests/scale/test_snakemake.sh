#!/usr/bin/env bash
# examples/scale/Snakefile run by Snakemake with 2 local jobs: 3 prediction shards and their
# merge give the bytes of one unsharded `seqnn predict`. Skipped (77) without Debian's snakemake.
# Usage: test_snakemake.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$(cd "$1" && pwd); SRC=$(cd "$2" && pwd)
command -v snakemake > /dev/null || { echo "skipped: snakemake is not installed (apt-get install snakemake)"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
MODEL=$SRC/tests/fixtures/deepsea_small.pt
"$BUILD/seqnn" simulate -q --n 250 --length 200 --seed 3 -o "$T/in.fa"
"$BUILD/seqnn" predict -q --model "$MODEL" --fasta "$T/in.fa" --out "$T/unsharded.tsv"
cd "$T"
snakemake -q -s "$SRC/examples/scale/Snakefile" --cores 2 \
  --config seqnn="$BUILD/seqnn" model="$MODEL" fasta="$T/in.fa" shards=3 out="$T/run" > "$T/snakemake.log" 2>&1 ||
  { cat "$T/snakemake.log"; exit 1; }
cmp "$T/unsharded.tsv" "$T/run/predictions.tsv"
echo "snakemake: 3 shards on 2 local jobs merged to the unsharded bytes"
