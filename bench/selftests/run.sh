#!/usr/bin/env bash
# bench/selftests/run.sh [KERNEL_CACHE]
#
# HmmCi's own overhead per selftest run (initramfs generation, console parsing, bookkeeping) against the QEMU run
# itself, on real kernels: v6.1 (tinyconfig + hmm-min.config) as the rdma baseline and the same tree with the
# sample's T5 regression as the merged kernel, as tests/HmmCi.Tests/Fixtures/real-kernel.sh and real-kernel-t5.sh
# build them (about 4 minutes the first time, cached under /tmp). The stage boots the baseline and the merged kernel,
# confirms the regression with a second boot and bisects it over the six topic commits (builds served, not timed).
# Prints per boot the machine's time, HmmCi's time and the time from QEMU's start to the first test result, the
# stage's time per kernel and each bisect step; the last line is the overhead ratio (target under 2 %).
# Needs qemu-system-x86, busybox-static, the .NET 10 SDK and linux-source-6.1.
# Measured on 2 shared cores, TCG (KVM guests hang here): boots 4.7 to 9.2 s, first result 2.1 to 4.2 s after QEMU
# starts, the stage 64 s for 6 boots (20 s of it the one-time KVM probe), HmmCi's own time 7 to 95 ms a boot: 0.34 %.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tarball=/usr/src/linux-source-6.1.tar.xz
cache="${1:-/tmp/hmmci-realkernel-$(stat -c '%s-%Y' "$tarball")-v1}"
bash "$root/tests/HmmCi.Tests/Fixtures/real-kernel.sh" "$cache" "$tarball" "$root/tests/HmmCi.Tests/Kernel/Data/kconfig/hmm-min.config"
bash "$root/tests/HmmCi.Tests/Fixtures/real-kernel-t5.sh" "$cache" "$root"/samples/patches/hmm/0005-*.patch

work="$(mktemp -d "${TMPDIR:-/tmp}/hmmci-bench-selftests.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "bench: building bench/selftests/SelftestBench" >&2
dotnet build "$root/bench/selftests/SelftestBench/SelftestBench.csproj" -c Release --nologo -v quiet -o "$work/bench" >/dev/null
dotnet "$work/bench/SelftestBench.dll" "$cache" "$work/out"
