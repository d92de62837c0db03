#!/usr/bin/env bash
# Makes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*) from
# ../shared/data: real records, truncated, plus the variants users make of them (gzip, CRLF, a
# byte-order mark, a file cut mid-record). The output is committed; findings are added beside the
# seeds as crash-* files by hand (docs/reliability.md). Also writes json.dict, the libFuzzer
# dictionary of every config key seqnn reads.
# Usage: tests/fuzz/make_corpus.sh BUILD   (BUILD/seqnn makes the native model seeds)
set -eu  # no pipefail: `zcat | head` ends zcat with SIGPIPE by design
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${DATA:-$ROOT/../shared/data}
OUT=$ROOT/tests/fuzz/corpus
[ -d "$DATA" ] || { echo "make_corpus: $DATA not found" >&2; exit 1; }
rm -rf "$OUT"/*/seed-*
mkdir -p "$OUT"/{fasta,bed,vcf,alignment,mutations,table,json,structure,npy,model,meme,mhc,archive}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
crlf() { sed 's/$/\r/'; }
bom() { printf '\xef\xbb\xbf'; cat; }
sel() { printf "\\x$1"; cat; }  # a target's selector byte in front of the input

# FASTA: CLIP sequences, a chr20 piece, a protein record (letters outside DNA), gzip, CRLF, BOM, cut.
CLIP=$DATA/dna/rbp_clip/pum2.test.positive.fasta
head -n 6 "$CLIP" > "$OUT/fasta/seed-clip.fa"
head -n 6 "$CLIP" | gzip -n > "$OUT/fasta/seed-clip.fa.gz"
head -n 4 "$CLIP" | crlf > "$OUT/fasta/seed-clip-crlf.fa"
head -n 4 "$CLIP" | bom > "$OUT/fasta/seed-clip-bom.fa"
head -n 4 "$CLIP" | head -c 150 > "$OUT/fasta/seed-clip-cut.fa"
zcat "$DATA/dna/grch37_chr20/GRCh37.chr20.fa.gz" | sed -n '1p;20000,20004p;20004q' > "$OUT/fasta/seed-chr20.fa"
head -c 2000 "$DATA/dna/grch37_chr20/GRCh37.chr20.fa.gz" > "$OUT/fasta/seed-chr20-bgzip-cut.fa.gz"
head -n 4 "$DATA/protein/DHFR_ECOLI_plmc.a2m" > "$OUT/fasta/seed-protein.fa"

# BED: the CLIP sites' coordinates as BED6 and narrowPeak (summit column), comments, CRLF.
grep '>' "$CLIP" | head -n 5 | sed -E 's/>(chr[^:]+):([0-9]+)-([0-9]+)\((.)\)/\1\t\2\t\3\tsite\t0\t\4/' |
  sed 's/^chr1\t/20\t/' > "$TMP/sites.bed"
cp "$TMP/sites.bed" "$OUT/bed/seed-bed6.bed"
{ echo "track name=sites"; echo "# comment"; cut -f1-3 "$TMP/sites.bed"; } > "$OUT/bed/seed-bed3.bed"
awk -F'\t' 'BEGIN{OFS="\t"} {print $1,$2,$3,"peak"NR,100,$6,5.2,-1,-1,100}' "$TMP/sites.bed" > "$OUT/bed/seed-narrowpeak.bed"
crlf < "$TMP/sites.bed" > "$OUT/bed/seed-crlf.bed"
printf '20\t100\t50\n' > "$OUT/bed/seed-end-before-start.bed"
printf 'chrX\t4990\t5010\tedge\t0\t-\n20\t-5\t10\n' > "$OUT/bed/seed-edges.bed"

# VCF: the GoNL SNVs and vt's indels (headers kept, records cut), one bgzip file as is, multi-ALT.
G=$DATA/dna/grch37_chr20
# Text seeds keep the first 8 columns and a short header (498 samples' genotypes and 110 header
# lines only make inputs long).
short_header() { zcat "$1" | grep -E '^##(fileformat|contig=<ID=20,|INFO=<ID=(AC|AN),)|^#CHROM' | cut -f1-8; }
{ short_header "$G/gonl_chr20_example.vcf.gz"; zcat "$G/gonl_chr20_example.vcf.gz" | grep -v '^#' | cut -f1-8; } > "$OUT/vcf/seed-gonl.vcf"
{ short_header "$G/indels_vt_example.vcf.gz"; zcat "$G/indels_vt_example.vcf.gz" | grep -v '^#' | head -n 6; } > "$OUT/vcf/seed-indels.vcf"
cp "$G/gonl_chr20_example.vcf.gz" "$OUT/vcf/seed-gonl.vcf.gz" && chmod 644 "$OUT/vcf/seed-gonl.vcf.gz"
{ short_header "$G/gonl_chr20_example.vcf.gz"; printf '20\t60309\trs1\tG\tT,<DEL>,*\t50\tPASS\t.\n20\t0\t.\tA\tC\t.\t.\t.\n20\t999999\t.\tACGT\tA\t.\t.\t.\n'; } |
  sed '/^##contig/d' > "$OUT/vcf/seed-alts.vcf"  # without contig lines, as many VCFs are
head -c 700 "$OUT/vcf/seed-gonl.vcf" > "$OUT/vcf/seed-gonl-cut.vcf"

# Alignments: the first records of BLAT_ECOLX and DHFR (a2m), and an a3m form of BLAT (inserts dropped).
A2M=$DATA/protein/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m
awk '/^>/{n++} n<=4' "$A2M" > "$OUT/alignment/seed-blat.a2m"
awk '/^>/{n++} n<=3' "$DATA/protein/DHFR_ECOLI_plmc.a2m" > "$OUT/alignment/seed-dhfr.a2m"
awk '/^>/{n++; print; next} n==1{print; next} {gsub(/[a-z.]/, ""); print}' "$OUT/alignment/seed-blat.a2m" > "$OUT/alignment/seed-blat.a3m"
printf '>X/5-9\nACDEF\n>y\nAC-EF\n>z\nACXEF\n' > "$OUT/alignment/seed-tiny.a2m"

# Mutations: the DMS table's first rows (all columns, and mutant + 2500), double mutants, errors.
DMS=$DATA/protein/BLAT_ECOLX_Ranganathan2015.csv
head -n 8 "$DMS" > "$OUT/mutations/seed-dms.csv"
head -n 8 "$DMS" | cut -d, -f1,6 > "$OUT/mutations/seed-dms-2500.csv"
printf 'mutant,2500\nH26A:P27G,0.1\n"K34A",-0.2\nV29A:V29C,1\nH24A,NA\nQ30A,0\n' > "$OUT/mutations/seed-doubles.csv"

# Tables: ArchiveII (CSV, quoted base pairs), the MFE training set (TSV, gzip), CLIP labels.
head -n 3 "$DATA/rna/ArchiveII.csv" | sel 02 > "$OUT/table/seed-archiveii.csv"
zcat "$DATA/rna/chr20_len64_mfefreq0.1.tsv.gz" | head -n 5 | gzip -n | sel 00 > "$OUT/table/seed-mfe.tsv.gz"
head -n 4 "$DATA/rna/ArchiveII_splits.csv" | crlf | sel 02 > "$OUT/table/seed-splits-crlf.csv"
{ printf 'name\ty\n'; grep '>' "$CLIP" | head -n 4 | tr -d '>' | awk '{print $1"\t"NR%2}'; } | bom | sel 00 > "$OUT/table/seed-labels.tsv"
printf 'a,b\n"x, ""y""",2\n"multi\nline",3\n' | sel 03 > "$OUT/table/seed-quotes.csv"

# JSON configs: selector = the config kind (fuzz_formats.cpp), then the config.
sel 00 < "$ROOT/configs/small_cnn.json" > "$OUT/json/seed-cnn.json"
sel 00 < "$ROOT/tests/fixtures/basset_small.json" > "$OUT/json/seed-basset.json"
printf '%s' '{"type": "rnn", "alphabet": "protein", "embedding": 32, "conv": [{"filters": 64, "width": 9, "padding": "same", "pool": 2}], "cell": "lstm", "hidden": 64, "layers": 2, "bidirectional": true, "rnn_dropout": 0.1, "pool": "last", "dense": [{"units": 64, "dropout": 0.2}], "outputs": 1, "output_activation": "sigmoid"}' | sel 01 > "$OUT/json/seed-rnn.json"
for k in 02 03 05 06 07 08; do printf '{}' | sel $k > "$OUT/json/seed-defaults-$k.json"; done
printf '%s' '{"encoder": [1500, 1500], "latent": 30, "decoder": [100, 2000], "sparsity": true, "sparsity_tiles": 4, "logit_p": 0.001, "sparsity_sigma": 4.0, "dictionary": 40, "temperature": true, "log_sigma_init": -5.0, "prior_sigma": 1.0, "batch_size": 100, "learning_rate": 0.001, "beta1": 0.9, "beta2": 0.999, "adam_epsilon": 1e-8, "adam": "original", "theta": 0.2}' | sel 04 > "$OUT/json/seed-vae.json"
printf '%s' '{"epochs": 3, "batch_size": 64, "lr": 0.001, "positives": "p.fa", "negatives": "n.fa", "early_stopping": 2}' | sel 08 > "$OUT/json/seed-train.json"
grep -ho 'allow_only({[^}]*})' -r "$ROOT/src" | grep -o '"[a-z_0-9]*"' | sort -u > "$ROOT/tests/fuzz/json.dict"

# RNA structures: RNAfold's output (dot-bracket FASTA), ArchiveII (CSV: pseudoknots, pair lists),
# single strings, short sequences to fold.
MFE=$DATA/rna/ArchiveII_RNAfold-2.7.1_mfe.txt
head -n 6 "$MFE" | sel 00 > "$OUT/structure/seed-rnafold.txt"
head -n 3 "$DATA/rna/ArchiveII.csv" | sel 04 > "$OUT/structure/seed-archiveii.csv"
zcat "$DATA/rna/chr20_len64_mfefreq0.1.tsv.gz" | head -n 4 | sel 00 > "$OUT/structure/seed-mfe.tsv"
grep -m1 '\[' "$DATA/rna/ArchiveII.csv" | cut -d, -f3 | sel 01 > "$OUT/structure/seed-pseudoknot.txt"
printf '((..[[..))..]]\n[[1, 20], [2, 19], [5, 40]]' | sel 01 > "$OUT/structure/seed-pairs.txt"
sed -n 2p "$MFE" | head -c 50 | sel 02 > "$OUT/structure/seed-fold.txt"
printf 'GGGGAAACCCC' | sel 02 > "$OUT/structure/seed-hairpin.txt"

# .npy arrays: the small committed fixtures (several dtypes and shapes).
for f in flatten_dense_alpha1 multi_dict_bias rna/s1_losses mhc/pair_y; do
  cp "$ROOT/tests/fixtures/$f.npy" "$OUT/npy/seed-$(basename "$f").npy"
done

# Models: small TorchScript fixtures and native models made by init-model.
for f in flatten_dense multi_tuple multi_dict; do cp "$ROOT/tests/fixtures/$f.pt" "$OUT/model/seed-$f.pt"; done
printf '%s' '{"type": "cnn", "input_length": 12, "conv": [{"filters": 2, "width": 3, "pool": 2}], "outputs": 1, "output_activation": "sigmoid"}' > "$TMP/cnn.json"
printf '%s' '{"type": "rnn", "embedding": 0, "cell": "gru", "hidden": 2, "layers": 1, "outputs": 1}' > "$TMP/rnn.json"
"$BUILD/seqnn" init-model -c "$TMP/cnn.json" -o "$OUT/model/seed-native-cnn.pt" --quiet
"$BUILD/seqnn" init-model -c "$TMP/rnn.json" -o "$OUT/model/seed-native-rnn.pt" --quiet

# MEME: the first JASPAR motifs, and the same without the optional lines.
MEME=$DATA/motifs/jaspar2024_consensus.meme
awk '/^MOTIF/{n++} n<=2' "$MEME" > "$OUT/meme/seed-jaspar.meme"
awk '/^MOTIF/{n++} n<=1' "$MEME" | grep -v -E '^(URL|strands|ALPHABET)' > "$OUT/meme/seed-minimal.meme"
awk '/^MOTIF/{n++} n<=1' "$MEME" | crlf > "$OUT/meme/seed-crlf.meme"

# MHC: pseudo-sequences (NetMHCpan's table), peptides of the BLIND set, allele spellings.
head -n 5 "$DATA/mhc/MHC_pseudo.dat" | sel 00 > "$OUT/mhc/seed-pseudo.dat"
{ head -n 2 "$DATA/mhc/MHC_pseudo.dat"; grep -m2 '^H-2' "$DATA/mhc/MHC_pseudo.dat"; } | sel 00 > "$OUT/mhc/seed-pseudo-mouse.dat"
cut -f5 "$DATA/mhc/bdata.2013.mhci.public.blind.1.txt" | sed -n '2,8p' | sel 01 > "$OUT/mhc/seed-peptides.txt"
printf 'HLA-A*02:01\nHLA-A02:01\nhla-a0201\nHLA-B*07:02:01\nH-2-Db\nHLA-C0702' | sel 01 > "$OUT/mhc/seed-names.txt"

# Archives: selector = the loader (fuzz_archives.cpp: 0 LM, 1 S1 model, 2 DeepSequence, 3 training
# state), then the file, from tiny CLI runs (a second each) on a few real records: an LSTM and a
# 2-layer GRU LM on CLIP sequences, an S1 model on chr20 MFE structures, a DeepSequence model and
# its checkpoint (Adam moments, random state) on 10 DHFR columns, and the training state of a
# 2-filter CNN (the parameters fuzz_archives.cpp gives its Adam) and of the LSTM LM (another
# model's: refused). Plus a file cut short.
cli() { "$BUILD/seqnn" "$@" --device cpu --threads 1 --seed 0 -q > "$TMP/cli.log" 2>&1 || { cat "$TMP/cli.log" >&2; exit 1; }; }
head -n 20 "$CLIP" > "$TMP/clip.fa"
cli train-lm -f "$TMP/clip.fa" -o "$TMP/lm" --alphabet rna --embedding 4 --hidden 8 --epochs 2 --batch-size 4
cli train-lm -f "$TMP/clip.fa" -o "$TMP/lm-gru" --alphabet rna --cell gru --embedding 4 --hidden 4 --layers 2 --epochs 1 --batch-size 4
zcat "$DATA/rna/chr20_len64_mfefreq0.1.tsv.gz" | head -n 9 > "$TMP/mfe.tsv"
cli rna train -d "$TMP/mfe.tsv" -o "$TMP/s1" --num-filters 2 2 --filter-width 3 3 --dense-units 4 --epochs 2 --batch-size 4 --val-fraction 0.3
awk '/^>/{if (s) print substr(s, 1, 10); sub(/\/[0-9]+-[0-9]+$/, "/1-10"); print; s = ""; next} {s = s $0} END{print substr(s, 1, 10)}' \
  "$DATA/protein/DHFR_ECOLI_plmc.a2m" | head -n 12 > "$TMP/dhfr.a2m"
printf '%s' '{"encoder": [4], "latent": 2, "decoder": [4], "sparsity": false, "batch_size": 4}' > "$TMP/vae.json"
cli deepseq train -a "$TMP/dhfr.a2m" -c "$TMP/vae.json" -o "$TMP/vae" --updates 10 --checkpoint-every 10 --log-every 5
head -n 12 "$CLIP" > "$TMP/pos.fa"
head -n 12 "$DATA/dna/rbp_clip/pum2.test.negative.fasta" > "$TMP/neg.fa"
cli train --positives "$TMP/pos.fa" --negatives "$TMP/neg.fa" --alphabet rna --num-filters 2 --filter-width 3 --epochs 2 --batch-size 4 -o "$TMP/cnn"
sel 00 < "$TMP/lm/model_best.pt" > "$OUT/archive/seed-lm-lstm.pt"
sel 00 < "$TMP/lm-gru/model_best.pt" > "$OUT/archive/seed-lm-gru.pt"
sel 01 < "$TMP/s1/model_best.pt" > "$OUT/archive/seed-s1.pt"
sel 02 < "$TMP/vae/model_best.pt" > "$OUT/archive/seed-deepseq-model.pt"
sel 02 < "$TMP/vae/checkpoint_10.pt" > "$OUT/archive/seed-deepseq-checkpoint.pt"
sel 03 < "$TMP/cnn/train_state.pt" > "$OUT/archive/seed-train-state-cnn.pt"
sel 03 < "$TMP/lm/train_state.pt" > "$OUT/archive/seed-train-state-lm.pt"
head -c 3000 "$TMP/s1/model_best.pt" | sel 01 > "$OUT/archive/seed-s1-cut.pt"

for d in "$OUT"/*/; do echo "$(basename "$d"): $(ls "$d" | wc -l) inputs, $(cat "$d"/* | wc -c) bytes"; done
