#!/bin/bash
# The sample's selftest regression on the real kernel: T5 (samples/patches/hmm/0005-*.patch, "lib/test_hmm: use PFN
# helpers in the bounce buffer copy loops", off by one in dmirror_do_read()) applied to real-kernel.sh's tree, built
# incrementally in the same O= directory into CACHE/bzImage-t5, then reverted and rebuilt so the cache stays the plain
# 6.1 build. Usage: real-kernel-t5.sh CACHE PATCH. Idempotent: CACHE/.complete-t5 marks a finished build.
set -euo pipefail
cache=$1 patch=$(realpath "$2")
[ -e "$cache/.complete-t5" ] && exit 0
[ -e "$cache/.complete" ] || { echo "run real-kernel.sh first" >&2; exit 1; }
exec 9>"$cache.lock"
flock 9
[ -e "$cache/.complete-t5" ] && exit 0
src=$cache/src out=$cache/out
grep -q 'pfn < last' "$patch"
# git apply works outside a repository too (and, unlike patch(1), is on every machine HmmCi runs on).
apply() { (cd "$src" && git apply "$@" "$patch"); }
trap 'apply -R >/dev/null 2>&1 || true' ERR
apply
make -s -C "$src" O="$out" -j"${JOBS:-2}" bzImage
cp "$out/arch/x86/boot/bzImage" "$cache/bzImage-t5"
apply -R
trap - ERR
make -s -C "$src" O="$out" -j"${JOBS:-2}" bzImage
cmp -s "$out/arch/x86/boot/bzImage" "$cache/bzImage-t5" && { echo "T5 did not change the kernel" >&2; exit 1; }
touch "$cache/.complete-t5"
