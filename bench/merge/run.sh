#!/usr/bin/env bash
# bench/merge/run.sh [SAMPLE_DIR]
#
# Measures HmmCi's Merge stage against plain git doing the same merges on the bundled kernel-scale sample
# (samples/make-sample.sh: Linux 6.1, ~80k files, topic hmm, trees rdma, drm, mm; default SAMPLE_DIR is
# .hmmci/sample, generated first if missing), and on 24 downstream trees made from it. Target: the Merge stage
# within 1.5x of plain git, and under 300 MB peak memory. It prints:
#
#   1. whole runs of `./build.sh Merge` on the sample (one process each, as CI runs it), median of 5: the no-op
#      re-fetch and the Merge stage durations from report.json, and peak RSS from /usr/bin/time -v (the largest of
#      dotnet and every git it ran); next to them `git merge-tree --write-tree` for the (tree, topic) pairs from a
#      shell loop, each pair in turn and all pairs side by side, for information (the stage does more than the
#      pairs, and pays .NET/LibGit2Sharp start-up);
#   2. in one warm process (bench/merge/MergeBench, built here), median of 15 interleaved rounds, elapsed and CPU
#      time (the process's and its git children's: on a busy machine the stage, which runs merges side by side,
#      takes a larger share of the cores than a serial loop, so elapsed flatters it there), for the sample's
#      3 trees and then for 24 trees (bench/merge/make-trees.sh: clones of rdma, mm and drm with three commits
#      each on files of their own; the drm ones conflict with the topic as drm does, and three pairs conflict only
#      with each other, in the merge window): the Merge stage as the pipeline runs it (MergeStage: test merges side
#      by side, conflict descriptions, merge commits, refs, the merge-window simulation with its conflict
#      attribution) against plain git doing the same merges in one shell loop: `git merge-tree --write-tree` and
#      `git commit-tree` for each test merge and for each merge-window step. MergeBench checks that both give the
#      same trees.
#
# The last line is the ratio for the target: the Merge stage over plain git, 24 trees. Needs git 2.38+, the
# .NET 10 SDK and /usr/bin/time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sample="${1:-$root/.hmmci/sample}"
runs=5

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
source "$root/bench/sample.sh"
bench_sample "$root" "$sample"

work="$(mktemp -d "${TMPDIR:-/tmp}/hmmci-bench-merge.XXXXXX")"
trap 'rm -rf "$work"' EXIT
bench_config "$work/hmmci.yml" "$sample"
pipeline=(--config "$work/hmmci.yml" --workspace "$work/ws" --output "$work/out")

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
stage_ms() { python3 -c "import json,sys; print(next(s['durationMs'] for s in json.load(open(sys.argv[1]))['stages'] if s['name'] == sys.argv[2]))" "$work/out/report.json" "$1"; }

echo "bench: first fetch of the sample into $work/ws (not timed)" >&2
"$root/build.sh" Fetch "${pipeline[@]}" >/dev/null || [ $? -eq 4 ] # 4: a fetch-only run is incomplete

: > "$work/merge.ms"; : > "$work/fetch.ms"; : > "$work/rss.kb"; : > "$work/git.ms"; : > "$work/git-par.ms"
for _ in $(seq $runs); do
    /usr/bin/time -v -o "$work/time.txt" "$root/build.sh" Merge "${pipeline[@]}" >/dev/null || [ $? -eq 1 ] # 1: not ready (the drm conflict)
    stage_ms Merge >> "$work/merge.ms"
    stage_ms Fetch >> "$work/fetch.ms"
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt" >> "$work/rss.kb"
    start=$(date +%s%N)
    for tree in rdma drm mm; do
        git --git-dir "$work/ws/store.git" merge-tree --write-tree "refs/hmmci/heads/$tree" refs/hmmci/heads/hmm >/dev/null || [ $? -eq 1 ]
    done
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/git.ms"
    start=$(date +%s%N)
    pids=()
    for tree in rdma drm mm; do
        git --git-dir "$work/ws/store.git" merge-tree --write-tree "refs/hmmci/heads/$tree" refs/hmmci/heads/hmm >/dev/null & pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || [ $? -eq 1 ]; done
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/git-par.ms"
done
merge_ms=$(median < "$work/merge.ms"); git_ms=$(median < "$work/git.ms"); git_par_ms=$(median < "$work/git-par.ms")
peak_mb=$(( $(sort -n "$work/rss.kb" | tail -1) / 1024 ))

echo "bench: building bench/merge/MergeBench" >&2
dotnet build "$root/bench/merge/MergeBench/MergeBench.csproj" -c Release --nologo -v quiet -o "$work/bench" >/dev/null
warm="$(dotnet "$work/bench/MergeBench.dll" "$work/hmmci.yml" "$work/ws" 15)"

echo "bench: making 24 downstream trees from the sample and fetching them (not timed)" >&2
{
    echo "topic:    { name: hmm, url: $sample/hmm.git, branch: hmm }"
    echo "mainline: { url: $sample/mainline.git, branch: master }"
    echo "trees:"
    bash "$root/bench/merge/make-trees.sh" "$sample" "$work/trees" 24
} > "$work/hmmci-24.yml"
pipeline24=(--config "$work/hmmci-24.yml" --workspace "$work/ws-24" --output "$work/out-24")
"$root/build.sh" Fetch "${pipeline24[@]}" >/dev/null || [ $? -eq 4 ]
warm24="$(dotnet "$work/bench/MergeBench.dll" "$work/hmmci-24.yml" "$work/ws-24" 15)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "Merge benchmark on $sample"
echo "./build.sh Merge, 3 trees, one process per run, median of $runs:"
printf '  %8s ms  Fetch stage when nothing moved (target < 2000 ms)\n' "$(median < "$work/fetch.ms")"
printf '  %8s ms  Merge stage (test merges side by side + merge-window simulation + process start-up)\n' "$merge_ms"
printf '  %8s ms  git merge-tree --write-tree for the same pairs, shell loop, each pair in turn\n' "$git_ms"
printf '  %8s ms  git merge-tree --write-tree for the same pairs, shell, all pairs side by side\n' "$git_par_ms"
printf '  %8s MB  peak RSS of ./build.sh Merge, git children included (target < 300 MB)\n' "$peak_mb"
printf '  %8s     Merge stage / git merge-tree side by side (information: the stage does more than the pairs)\n' "$(ratio "$merge_ms" "$git_par_ms")"
echo "one warm process (bench/merge/MergeBench), median of 15, the sample's 3 trees:"
grep -v 'ratio:' <<< "$warm" | sed 's/^/  /'
echo "one warm process (bench/merge/MergeBench), median of 15, 24 trees:"
grep -v 'ratio:' <<< "$warm24" | sed 's/^/  /'
ratios() { echo "$(awk '/ [0-9.]+ +ratio:/ { print $1 }' <<< "$1") elapsed, $(awk '/CPU ratio:/ { print $1 }' <<< "$1") CPU time"; }
echo "ratio, 3 trees:   $(ratios "$warm") (Merge stage / plain git doing the same merges; target <= 1.5)"
echo "ratio, 24 trees:  $(ratios "$warm24") (Merge stage / plain git doing the same merges; target <= 1.5)"
