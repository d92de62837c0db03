#!/usr/bin/env bash
# Run HERE (the Debian 12 build machine) before a GPU session: fills .gpu/ (git-ignored) with what
# bench/gpu/run.sh needs on a bare GPU machine that has a CUDA PyTorch, CMake and ninja but none of
# seqnn's Debian build dependencies and no network:
#   .gpu/debs/   Debian 12 packages, unpacked there with dpkg -x into a private prefix (not /)
#   .gpu/data/   the slices of ../shared/data the GPU phases read (BLAT_ECOLX, PUM2, chr20 MFE)
# The device tool carries .gpu (carry: [".gpu"]); it must stay under its 64 MiB limit.
# Usage: bench/gpu/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared/data}
mkdir -p .gpu/debs .gpu/data/protein .gpu/data/dna/rbp_clip .gpu/data/rna
# Headers and libraries of the build (libhts3 and the libraries it links that a CUDA image may
# lack), the test framework, and pkg-config for CMake's htslib lookup.
PACKAGES="libhts-dev libhts3 libdeflate0 libdeflate-dev libcurl3-gnutls librtmp1 libssh2-1 libnghttp2-14 libpsl5
  libldap-2.5-0 libsasl2-2 libbrotli1 nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev zlib1g-dev
  pkgconf pkgconf-bin libpkgconf3"
(cd .gpu/debs && apt-get download $PACKAGES 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
for p in $PACKAGES; do
  ls .gpu/debs/"${p}"_*.deb > /dev/null 2>&1 || { echo "prepare: $p was not downloaded" >&2; exit 1; }
done
P=$SHARED/protein
cp "$P/BLAT_ECOLX_hmmerbit_plmc_n5_m30_f50_t0.2_r24-286_id100_b105.a2m" "$P/BLAT_ECOLX_Ranganathan2015.csv" .gpu/data/protein/
cp "$SHARED"/dna/rbp_clip/pum2.*.fasta .gpu/data/dna/rbp_clip/
cp "$SHARED"/rna/chr20_len64_mfefreq0.1.tsv.gz .gpu/data/rna/ 2>/dev/null || true
chmod -R u+w .gpu
du -sh .gpu | sed 's/^/prepare: .gpu holds /'
