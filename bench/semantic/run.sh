#!/usr/bin/env bash
# bench/semantic/run.sh [SAMPLE_DIR]
#
# The focused compile (semantic conflicts) on the bundled sample (samples/make-sample.sh; default SAMPLE_DIR is
# .hmmci/sample, generated first if missing), on this machine's toolchain (kernel.runtime: host), allmodconfig for
# x86_64. ./build.sh Merge makes the test merges; bench/semantic/SemanticBench (built here) runs the focused compile
# over them (prepare once, then the candidates on each merged tree and its baseline, culprits), then measures in the
# same prepared O= folder with ccache off:
#   1. per tree, HmmCi's compile of the candidates' objects against one raw `make -k -j<cores>` of the same objects
#      (HmmCi's overhead; target at most 1.1x);
#   2. the whole culprit search for the first new error against one single-object compile (target at most
#      log2(N)+2 compiles' worth, N the topic's commits).
# It also prints the candidates with their reasons, what was not compiled and why, each new error with its
# culprit sentence and the linux-next paragraph, the time from the stage's start to the first semantic error, and
# how many objects a full allmodconfig build would compile against the focused compile's. The first ratio is
# printed again last. The first run prepares allmodconfig (several minutes on 2 cores); the workspace is kept in
# .hmmci/bench-semantic so later runs reuse it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sample="${1:-$root/.hmmci/sample}"
work="${HMMCI_BENCH_WORK:-$root/.hmmci/bench-semantic}"
rounds=3

source "$root/bench/sample.sh"
bench_sample "$root" "$sample"
mkdir -p "$work"
bench_config "$work/hmmci.yml" "$sample" 'kernel: { runtime: host }'
echo "bench: test merges (./build.sh Merge)" >&2
"$root/build.sh" Merge --config "$work/hmmci.yml" --workspace "$work/ws" --output "$work/out" >/dev/null || [ $? -eq 1 ] # 1: not ready (drm conflicts)
echo "bench: building bench/semantic/SemanticBench" >&2
dotnet build "$root/bench/semantic/SemanticBench/SemanticBench.csproj" -c Release --nologo -v quiet -o "$work/bench" >/dev/null
CCACHE_DISABLE=1 dotnet "$work/bench/SemanticBench.dll" "$work/hmmci.yml" "$work/ws" "$work/out" "$rounds"
