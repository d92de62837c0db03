#!/bin/bash
# Runs the same prediction, ISM and variant-scoring jobs (deterministic and MC dropout) with two
# seqnn binaries, e.g. before and after a refactoring, and says which outputs are byte-identical.
#   bench/compare_outputs.sh /path/to/old/build/seqnn build/seqnn
set -u
OLD=${1:?usage: bench/compare_outputs.sh OLD_SEQNN NEW_SEQNN}; NEW=${2:?usage: bench/compare_outputs.sh OLD_SEQNN NEW_SEQNN}
ROOT=$(cd "$(dirname "$0")/.." && pwd); FX=$ROOT/tests/fixtures
W=$(mktemp -d); trap "rm -rf $W" EXIT; mkdir -p $W/old $W/new; cd $W
$NEW simulate --n 300 --length 200 --seed 1 -o r200.fa -q
$NEW simulate --n 4 --length 200 --seed 5 -o three.fa -q
$NEW simulate --n 1 --length 5000 --seed 4 -o g.fa -q
awk 'NR == 1 { name = substr($1, 2); print "##fileformat=VCFv4.2"; print "##contig=<ID=" name ",length=5000>";
               print "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"; next }
     { seq = seq $0 }
     END { for (i = 1; i <= 20; i++) { p = 200 * i + 7; r = substr(seq, p, 1); a = (r == "A") ? "G" : "A";
           printf "%s\t%d\tv%d\t%s\t%s\t.\t.\t.\n", name, p, i, r, a } }' g.fa > snvs.vcf
$NEW init-model -c $ROOT/configs/small_cnn.json --seed 7 -o small.seqnn -q
$NEW simulate --n 50 --length 1000 --seed 2 -o r1000.fa -q
for v in old new; do
  B=$OLD; [ $v = new ] && B=$NEW
  TG="--target"; $B score-variants --help | grep -q -- "--tasks" && TG="--tasks"   # older versions
  $B predict -m $FX/deepsea_small.pt -f r200.fa -o $v/p.tsv -q --threads 2
  $B predict -m $FX/deepsea_small.pt -f r200.fa -o $v/pmc.npy --mc-samples 4 -q --threads 2
  $B predict -m small.seqnn -f r1000.fa -o $v/psmall.npy -q --threads 2
  $B ism -m $FX/deepsea_small.pt -f three.fa --start 80 --end 120 --target 0 --mode diff -o $v/ism.npy -q --threads 2
  $B ism -m $FX/basset_small.pt -f three.fa --mode raw -o $v/ismraw.npy -q --threads 2
  $B ism -m $FX/deepsea_small.pt -f three.fa --start 90 --end 110 --mc-samples 3 -o $v/ismmc.npy -q --threads 2
  $B score-variants -m $FX/deepsea_small.pt -g g.fa -v snvs.vcf $TG 0 1 --scores diff logit_diff --rc mean -o $v/sv.tsv -q --threads 2
  $B score-variants -m $FX/deepsea_small.pt -g g.fa -v snvs.vcf --mc-samples 5 -o $v/svmc.tsv -q --threads 2
done
for f in $(cd new && ls); do
  a=$(md5sum < old/$f); b=$(md5sum < new/$f)
  [ "$a" = "$b" ] && echo "same  $f" || echo "DIFF  $f"
done
