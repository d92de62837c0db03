#!/usr/bin/env bash
# The GPU session of issue 18, as one prepared script (docs/benchmarks.md "GPU"; docs/gpu.md):
# on a bare GPU machine (a CUDA PyTorch, CMake, ninja, a C++ compiler; no Debian build
# dependencies, no network) it builds seqnn against the CUDA LibTorch inside that PyTorch from the
# packages bench/gpu/prepare.sh put in .gpu/debs, runs the CUDA tests, then the benchmarks, and
# writes every result to $OUT: phases.tsv (each phase's seconds and exit status), summary.txt
# (the figures), logs.tar.gz (every log). A failing phase is recorded and the next one runs.
#
#   bench/gpu/run.sh                 all phases on the GPU (device tool: carry [".gpu"])
#   PHASES="deepseq" RESUME=1 ...    some phases only; RESUME=1 continues the DeepSequence run
#   bench/gpu/run.sh --dry-run       every phase on the CPU at tiny sizes with the existing build
#                                    (BUILD, default build/): tests the script itself, here
# Environment: OUT (default bench_out/gpu), WORK (/tmp/seqnn-gpu-work), BUILD, JOBS (16), DS_UPDATES (300000), DS_EVERY
# (20000), DS_DRAWS (64 per curve point), DS_FINAL_DRAWS (2000), DATA (.gpu/data).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DRY=0
[ "${1:-}" = "--dry-run" ] && DRY=1
OUT=${OUT:-$ROOT/bench_out/gpu}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# Work files (models, checkpoints) and logs stay outside $OUT, which the device tool returns only
# a few files of: $OUT gets the 7 result files and logs.tar.gz. WORK outlives the command on a
# warm machine, so a second command can RESUME the DeepSequence run.
WORK=${WORK:-$( [ $DRY = 1 ] && echo "$OUT/work" || echo /tmp/seqnn-gpu-work )}
LOGS=$WORK/logs
mkdir -p "$LOGS"
DEPS=${DEPS:-/tmp/seqnn-deps}
[ $DRY = 1 ] && JOBS=${JOBS:-2}
JOBS=${JOBS:-16}
THREADS=$(( JOBS < 8 ? JOBS : 8 ))  # seqnn's --threads takes 0..8
if [ $DRY = 1 ]; then
  DEV=cpu BUILD=${BUILD:-$ROOT/build} DATA=${DATA:-$ROOT/../shared/data}
  DS_UPDATES=${DS_UPDATES:-4} DS_EVERY=${DS_EVERY:-2} DS_DRAWS=${DS_DRAWS:-2} DS_FINAL_DRAWS=${DS_FINAL_DRAWS:-2}
  PHASES=${PHASES:-"cuda_tests agreement throughput deepseq"}
  SIZE=small
else
  DEV=cuda BUILD=${BUILD:-$ROOT/build-gpu} DATA=${DATA:-$ROOT/.gpu/data}
  DS_UPDATES=${DS_UPDATES:-300000} DS_EVERY=${DS_EVERY:-20000} DS_DRAWS=${DS_DRAWS:-64} DS_FINAL_DRAWS=${DS_FINAL_DRAWS:-2000}
  PHASES=${PHASES:-"deps build cuda_tests agreement throughput deepseq"}
  SIZE=full
fi
BUILD=$(mkdir -p "$BUILD" && cd "$BUILD" && pwd)
DATA=$(cd "$DATA" 2>/dev/null && pwd || echo "$DATA")
export DATA
SEQNN=$BUILD/seqnn
PY=${PY:-python3}
[ $DRY = 1 ] && PY=/usr/bin/python3
[ -f "$OUT/phases.tsv" ] || printf "phase\tseconds\texit\n" > "$OUT/phases.tsv"
summary() { echo "$*" | tee -a "$OUT/summary.txt"; }

# phase NAME: runs the function of that name, its output in logs/NAME.log, timed.
phase() {
  local name=$1 t0=$EPOCHREALTIME rc
  echo "== $name" >&2
  ( set -e; "phase_$name" ) > "$LOGS/$name.log" 2>&1
  rc=$?
  awk -v n="$name" -v a="$t0" -v b="$EPOCHREALTIME" -v rc=$rc 'BEGIN { printf "%s\t%.1f\t%d\n", n, b - a, rc }' >> "$OUT/phases.tsv"
  if [ $rc != 0 ]; then
    summary "phase $name FAILED (exit $rc); the end of logs/$name.log:"
    tail -5 "$LOGS/$name.log" | tee -a "$OUT/summary.txt"
  fi
}

# The Debian packages, unpacked into a private prefix (never into /); dangling library links of
# -dev packages whose runtime part the image already has point at the image's copy.
phase_deps() {
  rm -rf "$DEPS" && mkdir -p "$DEPS"
  for f in "$ROOT"/.gpu/debs/*.deb; do dpkg-deb -x "$f" "$DEPS" 2>/dev/null || dpkg -x "$f" "$DEPS"; done
  local lib=$DEPS/usr/lib/x86_64-linux-gnu
  for link in "$lib"/*.so; do
    [ -e "$link" ] && continue
    local soname
    soname=$(basename "$(readlink "$link")" | sed 's/\(\.so\.[0-9]*\).*/\1/')
    for sys in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do
      [ -e "$sys/$soname" ] && ln -sf "$sys/$soname" "$link" && break
    done
  done
  # Linked dynamically: the private requirements (liblzma, libcurl, ... .pc files the image may
  # not have) only matter to static links, and pkg-config refuses htslib when they are missing.
  sed -i '/^Requires.private/d' "$lib/pkgconfig/htslib.pc"
  ls "$DEPS/usr/include/htslib/hts.h" "$lib/libhts.so" > /dev/null
}

deps_env() {
  export PATH=$DEPS/usr/bin:$PATH
  export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}:$DEPS/usr/lib/x86_64-linux-gnu
  export PKG_CONFIG_SYSROOT_DIR=$DEPS PKG_CONFIG_LIBDIR=$DEPS/usr/lib/x86_64-linux-gnu/pkgconfig:$DEPS/usr/share/pkgconfig
}

# Only the targets the phases need, Ninja, -j$JOBS, ccache when the image has it.
phase_build() {
  deps_env
  local torch_cmake
  torch_cmake=$($PY -c 'import torch; print(torch.utils.cmake_prefix_path)')
  $PY -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
  local launcher=""
  command -v ccache > /dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release $launcher \
    -DCMAKE_PREFIX_PATH="$torch_cmake;$DEPS/usr" -DPKG_CONFIG_EXECUTABLE="$DEPS/usr/bin/pkgconf" \
    -DCMAKE_CUDA_ARCHITECTURES=90 -DSEQNN_USE_PCH=ON
  cmake --build "$BUILD" -j"$JOBS" --target seqnn_cli seqnn_tests bench_predict 2>&1 | tail -30
  ldd "$SEQNN" | grep "not found" && return 1
  "$SEQNN" info --device "$DEV"
}

phase_cuda_tests() {
  [ $DRY = 0 ] && deps_env
  "$SEQNN" info --device "$DEV" || true
  # The gtest binary itself (a dry run happens inside the suite's own ctest run).
  "$BUILD/tests/seqnn_tests" --gtest_filter='*Cuda*:*Nccl*' --gtest_brief=0
}

# The same jobs on the CPU (cpu/) and on $DEV (dev/); every output compared (bench/gpu/compare.py,
# <= 1e-4). A dry run runs the dev side on the CPU too (a determinism check of the comparison).
phase_agreement() {
  [ $DRY = 0 ] && deps_env
  local W=$WORK/agree FX=$ROOT/tests/fixtures RBP=$DATA/dna/rbp_clip
  rm -rf "$W" && mkdir -p "$W/cpu" "$W/dev" && cd "$W"
  "$SEQNN" simulate --n 512 --length 200 --seed 1 -o r200.fa -q
  "$SEQNN" simulate --n 4 --length 200 --seed 5 -o four.fa -q
  "$SEQNN" simulate --n 1 --length 20000 --seed 4 -o g.fa -q
  awk 'NR == 1 { name = substr($1, 2); print "##fileformat=VCFv4.2"; print "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"; next }
       { seq = seq $0 }
       END { for (i = 1; i <= 200; i++) { p = 80 * i + 600; r = substr(seq, p, 1); a = (r == "A") ? "G" : "A";
             printf "%s\t%d\tv%d\t%s\t%s\t.\t.\t.\n", name, p, i, r, a } }' g.fa > snvs.vcf
  local records=1000000  # training examples per class (a dry run: a slice)
  [ $DRY = 1 ] && records=300
  for c in positive negative; do
    [ -f "$RBP/pum2.train.$c.fasta" ] && awk -v n=$records '/^>/ { k++ } k <= n' "$RBP/pum2.train.$c.fasta" > pum2.$c.fa
  done
  for side in cpu dev; do
    local d=cpu
    [ $side = dev ] && d=$DEV
    local C="--device $d -q --seed 3 --threads $THREADS"
    "$SEQNN" predict -m "$FX/deepsea_small.pt" -f r200.fa -o $side/predict.npy $C
    "$SEQNN" predict -m "$FX/deepsea_small.pt" -f r200.fa -o $side/predict_mc.npy --mc-samples 8 $C
    "$SEQNN" ism -m "$FX/deepsea_small.pt" -f four.fa --start 50 --end 150 -o $side/ism.npy $C
    "$SEQNN" ism -m "$FX/basset_small.pt" -f four.fa --mode raw -o $side/ism_basset.npy $C
    "$SEQNN" score-variants -m "$FX/deepsea_small.pt" -g g.fa -v snvs.vcf --mc-samples 8 -o $side/variants.tsv $C
    if [ -f pum2.positive.fa ]; then
      local T="train --positives pum2.positive.fa --negatives pum2.negative.fa --alphabet rna --max-length 200 --epochs 1 --batch-size 64 --val-fraction 0.1 --split-seed 1"
      "$SEQNN" $T --global-pool flatten --padding valid --num-filters 30 30 30 --filter-width 25 --pool 2 --dense-units 100 -o $side/cnn $C
      "$SEQNN" $T --arch lstm --hidden 32 -o $side/lstm $C
    fi
    if [ -f "$DATA/rna/chr20_len64_mfefreq0.1.tsv.gz" ]; then
      "$SEQNN" rna train -d "$DATA/rna/chr20_len64_mfefreq0.1.tsv.gz" --max-records $(( DRY ? 200 : 2000 )) --epochs 1 \
        --num-filters 16 16 --filter-width 9 9 -o $side/s1 $C
    fi
  done
  $PY "$ROOT/bench/gpu/compare.py" cpu dev 1e-4 | tee "$OUT/agreement.tsv"
}

# seqnn against the same model in PyTorch on the same device: predict (TorchScript DeepSEA), ISM
# (the Python ISM loop; Basset, DeepSEA, BPNet) and training (the PUM2 CNN,
# bench/training/train_throughput.py's loop), one run each.
phase_throughput() {
  [ $DRY = 0 ] && deps_env
  {
    if [ $DRY = 1 ]; then
      DEVICE=$DEV $PY "$ROOT/bench/bench_predict.py" "$BUILD" 64 32 2
      DEVICE=$DEV REPEATS=1 $PY "$ROOT/bench/bench_ism.py" "$BUILD" 2 64 basset100
    else
      DEVICE=$DEV $PY "$ROOT/bench/bench_predict.py" "$BUILD" 16384 256 16
      DEVICE=$DEV $PY "$ROOT/bench/bench_ism.py" "$BUILD" 8 256 basset deepsea bpnet
    fi
    local RBP=$DATA/dna/rbp_clip epochs=$(( DRY ? 1 : 5 ))
    if [ -f "$RBP/pum2.train.positive.fasta" ]; then
      DEVICE=$DEV $PY "$ROOT/bench/training/train_throughput.py" "$RBP" $epochs $THREADS
      "$SEQNN" train --positives "$RBP/pum2.train.positive.fasta" --negatives "$RBP/pum2.train.negative.fasta" \
        --alphabet rna --max-length 200 --global-pool flatten --padding valid --num-filters 30 30 30 --filter-width 25 \
        --pool 2 --conv-dropout 0.3 --dense-units 100 --dropout 0.5 --epochs $epochs --batch-size 64 --val-fraction 0.1 \
        --split-seed 1 --seed 1 --threads $THREADS --device "$DEV" -q -o "$WORK/throughput_cnn" 2>&1 | tail -1
    fi
  } | tee "$OUT/throughput.txt"
}

# DeepSequence on BLAT_ECOLX: DS_UPDATES updates with a snapshot every DS_EVERY (scored with DS_DRAWS
# draws: the rho curve), then the last snapshot with DS_FINAL_DRAWS draws.
phase_deepseq() {
  [ $DRY = 0 ] && deps_env
  local W=$WORK/deepseq D=$DATA/protein
  [ -f "$D/BLAT_ECOLX_Ranganathan2015.csv" ] || { echo "deepseq: $D not present"; return 1; }
  mkdir -p "$W"
  [ "${RESUME:-0}" = 1 ] || rm -rf "$W"/*
  DEVICE=$DEV RESUME=${RESUME:-0} "$ROOT/bench/deepsequence/curve.sh" "$SEQNN" "$W" "$DS_UPDATES" "$DS_EVERY" "$DS_DRAWS" "$THREADS" \
    | tee "$OUT/deepseq_curve.tsv"
  tail -1 "$W"/train*.log
  "$SEQNN" deepseq score -m "$W/snapshot_$DS_UPDATES.pt" -a "$D/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m" \
    --mutations "$D/BLAT_ECOLX_Ranganathan2015.csv" --spearman 2500 --samples "$DS_FINAL_DRAWS" --device "$DEV" -q \
    -o "$W/final.csv" 2>&1 | tail -1 | tee "$OUT/deepseq_final.txt"
}

summary "bench/gpu/run.sh $( [ $DRY = 1 ] && echo "--dry-run (cpu)" || echo "on $DEV" ), $(date -u +%FT%TZ), phases: $PHASES"
for p in $PHASES; do phase "$p"; done
for f in agreement.tsv throughput.txt deepseq_final.txt; do [ -f "$OUT/$f" ] && { summary "--- $f"; cat "$OUT/$f" >> "$OUT/summary.txt"; }; done
cp "$OUT/phases.tsv" "$LOGS/"
tar -czf "$OUT/logs.tar.gz" -C "$WORK" logs 2> /dev/null
cat "$OUT/phases.tsv"
! grep -q "FAILED" "$OUT/summary.txt"
