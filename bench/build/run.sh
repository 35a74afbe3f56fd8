#!/usr/bin/env bash
# bench/build/run.sh [SAMPLE_DIR]
#
# The Build stage on the bundled sample (samples/make-sample.sh: Linux 6.1, topic hmm, trees rdma, drm, mm; default
# SAMPLE_DIR .hmmci/sample, generated first if missing), in podman, in one run, side by side with raw make:
#
#   1. the whole Build stage of `./build.sh Build` (every build of the sample: baselines, merged, topic, merge
#      window; ccache, work tree and build folders empty; the one-time image creation left out) against one cold
#      raw `make` of the default config (tinyconfig + hmm-selftests, no ccache) in the same image. Target <= 2.0x.
#   2. HmmCi's overhead per build beyond the make commands it runs: each build's durationMs against the time
#      between the first and last line its script printed inside the container (the build's own clock markers),
#      less the one-time making of the work tree (printed apart; ratio 1 counts it). Target < 3 %.
#   3. an unchanged rerun (no tree moved) of the Build stage against the first run. Target < 0.02x.
#
# The last line repeats ratio 1. Needs podman (+ runc, debootstrap as root for the first image), python3, the .NET 10 SDK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sample="${1:-$root/.hmmci/sample}"

source "$root/bench/sample.sh"
bench_sample "$root" "$sample"
work="$(mktemp -d "${TMPDIR:-/tmp}/hmmci-bench-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# The focused allmodconfig compile that follows the builds in the same target has its own benchmark (bench/semantic).
bench_config "$work/hmmci.yml" "$sample" 'kernel: { runtime: podman, focused: { configs: [] } }'
pipeline=(--config "$work/hmmci.yml" --workspace "$work/ws" --output "$work/out")
stage_ms() { python3 -c "import json,sys; print(next(s['durationMs'] for s in json.load(open(sys.argv[1]))['stages'] if s['name'] == 'Build'))" "$1"; }

echo "bench: the build image (created once, not timed)" >&2
dotnet build "$root/bench/build/BuildBench/BuildBench.csproj" -c Release --nologo -v quiet -o "$work/bench" >/dev/null
image="$(dotnet "$work/bench/BuildBench.dll" image "$work/image.log")"

echo "bench: ./build.sh Build, cold (ccache and build folders empty)" >&2
"$root/build.sh" Build "${pipeline[@]}" | tee "$work/first.log" | sed 's/^/  | /' >&2 || [ "${PIPESTATUS[0]}" -eq 1 ] # 1: not ready (drm conflicts, mm does not build)
cp "$work/out/report.json" "$work/first.json"
first_ms=$(stage_ms "$work/first.json")

# The raw make builds what the first build built (rdma's head), in a checkout of its own: the Build stage leaves its
# work tree at the last build's commit, the merge window, which does not build.
commit=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['trees'][0]['builds'][0]['commit'])" "$work/first.json")
git --git-dir "$work/ws/store.git" worktree add --detach --quiet "$work/raw-src" "$commit"
echo "bench: raw make of the default config at ${commit:0:12} in $image, cold, no ccache" >&2
raw="$work/raw"
mkdir -p "$raw"
cp "$root/src/HmmCi/Kernel/Configs/hmm-selftests.config" "$raw/hmm-selftests.config"
make=(make -C /src O=/build ARCH=x86_64)
start=$(date +%s%N)
podman --runtime runc run --rm --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    -v "$work/raw-src:/src:ro" -v "$raw:/build" -w /build "$image" \
    sh -euc "${make[*]} tinyconfig && sh /src/scripts/kconfig/merge_config.sh -m -O /build .config hmm-selftests.config && ${make[*]} olddefconfig && ${make[*]} -j$(nproc)" \
    > "$work/raw.log" 2>&1 || { tail -20 "$work/raw.log" >&2; exit 1; }
raw_ms=$(( ($(date +%s%N) - start) / 1000000 ))

echo "bench: ./build.sh Build again, nothing moved" >&2
"$root/build.sh" Build "${pipeline[@]}" >/dev/null || [ $? -eq 1 ]
rerun_ms=$(stage_ms "$work/out/report.json")

python3 - "$work/first.json" "$work/out" "$work/first.log" "$first_ms" "$raw_ms" "$rerun_ms" <<'PY'
import json, os, re, sys
report, out, console, first, raw, rerun = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
# Made once per workspace, as the image is, then only moved: counted in ratio 1, not per build.
made = sum(float(m.group(1)) * 1000 for m in re.finditer(r': work tree made in ([0-9.]+)s', open(console).read()))
# first.json's logs were overwritten by the rerun's cached copies, which are the same files.
builds = [(t['name'], b) for t in report['trees'] for b in t['builds']] + \
         [(report['topic']['name'], b) for b in report['topic']['builds']] + [('merge window', b) for b in report['mergeWindow']['builds']]
print(f"Build benchmark on the sample: {len(builds)} builds, podman, -j{os.cpu_count()}")
total_build = total_make = 0
for tree, b in builds:
    clock = [int(l.split()[-1]) for l in open(os.path.join(out, b['log'])) if l.startswith('### hmmci-clock: ')] if b['log'] else []
    make_ms = (clock[-1] - clock[0]) / 1e6 if len(clock) == 2 else None
    line = f"  {b['durationMs']:>8} ms  {tree} {b['kind']} ({b['config']}): {b['status']}{' (cached)' if b['cached'] else ''}"
    if make_ms is not None and not b['cached']:
        total_build += b['durationMs']; total_make += make_ms
        line += f", make {make_ms:.0f} ms, overhead {100 * (b['durationMs'] - make_ms) / make_ms:.1f} %"
    print(line)
print(f"  {first:>8} ms  Build stage, cold")
print(f"  {raw:>8} ms  raw make of the default config, cold, same image")
print(f"  {rerun:>8} ms  Build stage, unchanged rerun")
print(f"  {made:>8.0f} ms  making the work tree (the first checkout, once per workspace)")
print(f"  overhead with the work tree's making counted as the first build's: {100 * (total_build - total_make) / total_make:.1f} %")
print(f"ratio 1: {first / raw:.2f} (Build stage for every build / one cold raw make; target <= 2.0)")
print(f"ratio 2: {100 * (total_build - made - total_make) / total_make:.1f} % (HmmCi overhead per build beyond its make commands; target < 3 %)")
print(f"ratio 3: {rerun / first:.4f} (unchanged rerun / first run; target < 0.02)")
print(f"ratio 1: {first / raw:.2f} (Build stage for every build / one cold raw make; target <= 2.0)")
PY
