#!/bin/bash
# Builds the real 6.1 kernel the Selftests tests boot: tinyconfig + hmm-min.config bzImage, its
# headers_install and a static hmm-tests built from a copy of tools/testing/selftests with the harness fix.
# Usage: real-kernel.sh CACHE TARBALL FRAGMENT. Idempotent: CACHE/.complete marks a finished build.
set -euo pipefail
cache=$1 tarball=$2 fragment=$3
[ -e "$cache/.complete" ] && exit 0
mkdir -p "$cache"
exec 9>"$cache.lock"
flock 9
[ -e "$cache/.complete" ] && exit 0

src=$cache/src out=$cache/out hdr=$cache/hdr st=$cache/selftests
if [ ! -e "$src/.extracted" ]; then
    rm -rf "$src" && mkdir -p "$src"
    tar -xJf "$tarball" -C "$src" --strip-components=1
    touch "$src/.extracted"
fi
mkdir -p "$out"
if [ ! -e "$cache/.kernel-built" ]; then
make -s -C "$src" O="$out" tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
make -s -C "$src" O="$out" olddefconfig
grep -qx 'CONFIG_TEST_HMM=y' "$out/.config" || { echo "CONFIG_TEST_HMM=y was dropped by kconfig" >&2; exit 1; }
make -s -C "$src" O="$out" -j"${JOBS:-2}" bzImage
make -s -C "$src" O="$out" INSTALL_HDR_PATH="$hdr" headers_install
touch "$cache/.kernel-built"
fi

# hmm-tests includes ../kselftest_harness.h, <lib/test_hmm_uapi.h> and <mm/gup_test.h> (-I top_srcdir): keep that layout.
rm -rf "$st" && mkdir -p "$st/tools/testing/selftests/vm" "$st/lib" "$st/mm"
cp "$src"/tools/testing/selftests/kselftest*.h "$st/tools/testing/selftests/"
cp "$src/tools/testing/selftests/vm/hmm-tests.c" "$st/tools/testing/selftests/vm/"
cp "$src/lib/test_hmm_uapi.h" "$st/lib/"
cp "$src/mm/gup_test.h" "$st/mm/"
build_tests() { # $1 = output binary
    gcc -static -O2 -Wall -I"$st" -I"$hdr/include" \
        -o "$1" "$st/tools/testing/selftests/vm/hmm-tests.c" -lpthread
}
# The unfixed harness too: it shows the teardown flood on a failing kernel.
build_tests "$cache/hmm-tests.unfixed"
# samples/README.md: __bail() must clear the trigger before longjmp, or the teardown re-runs forever.
sed -i 's/^\(\t*\)t->aborted = true;$/&\n\1t->trigger = 0;/' "$st/tools/testing/selftests/kselftest_harness.h"
grep -q 't->trigger = 0;' "$st/tools/testing/selftests/kselftest_harness.h"
build_tests "$cache/hmm-tests"
cp "$out/arch/x86/boot/bzImage" "$cache/bzImage"
touch "$cache/.complete"
