#!/usr/bin/env bash
# `make install` into a temporary prefix, then what a user does with it: the installed binary
# lists and uses the shipped models, and a C++ project builds against find_package(seqnn).
# Usage: check_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1 SRC=$2
TMP=$(mktemp -d /tmp/seqnn_install.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cmake --install "$BUILD" --prefix "$TMP/prefix" > "$TMP/install.log"
"$TMP/prefix/bin/seqnn" models --quiet > "$TMP/models.tsv" 2>&1
grep -q "^rbp/pum2	.*	$TMP/prefix/share/seqnn/models/rbp/pum2.md$" "$TMP/models.tsv" ||
  { echo "installed binary does not list its installed models:"; cat "$TMP/models.tsv"; exit 1; }
[ -f "$TMP/prefix/include/seqnn/models/model.h" ] && [ -f "$TMP/prefix/include/seqnn/version.h" ] || { echo "headers not installed"; exit 1; }
[ ! -e "$TMP/prefix/share/seqnn/models/recipes" ] || { echo "recipes should not be installed"; exit 1; }
seq=$(awk '/^>/ { n++ } n == 1 && !/^>/' "$SRC/tests/fixtures/shipped/rbp_sequences.fa" | tr -d '\n')
expected=$(awk -F'\t' '$1 == "rbp/pum2" { print $3; exit }' "$SRC/tests/fixtures/shipped/rbp_references.tsv")
torch_dir=$(sed -n 's/^Torch_DIR:PATH=//p' "$BUILD/CMakeCache.txt")
cmake -S "$SRC/tests/install/consumer" -B "$TMP/consumer" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$TMP/prefix;$torch_dir" > "$TMP/configure.log" 2>&1 || { cat "$TMP/configure.log"; exit 1; }
cmake --build "$TMP/consumer" -j2 > "$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log"; exit 1; }
# The consumer binary lives outside the prefix: it finds the models through the library's
# configured install directory, so point it at this prefix as a relocated install would.
SEQNN_MODELS="$TMP/prefix/share/seqnn/models" "$TMP/consumer/consumer" "$seq" > "$TMP/consumer.out"
grep -q "^rbp/pum2 " "$TMP/consumer.out" || { echo "consumer lists no rbp/pum2:"; cat "$TMP/consumer.out"; exit 1; }
got=$(sed -n 's/^prediction //p' "$TMP/consumer.out")
[ "$got" = "$expected" ] || { echo "consumer predicted $got, the recorded prediction is $expected"; exit 1; }
echo "installed to a temporary prefix; binary, models, headers and find_package(seqnn) work (prediction $got)"
