#!/usr/bin/env bash
# bench/merge/run.sh [SAMPLE_DIR]
#
# Measures HmmCi's Merge stage against `git merge-tree --write-tree` for the same (tree, topic) pairs on the
# bundled kernel-scale sample (samples/make-sample.sh: Linux 6.1, ~80k files, topic hmm, trees rdma, drm, mm;
# default SAMPLE_DIR is .hmmci/sample, generated first if missing). Target: HmmCi within 1.5x of git merge-tree
# and under 300 MB peak memory. It prints, median of 5 each:
#
#   1. whole runs of `./build.sh Merge` (one process each, as CI runs it): the no-op re-fetch and the Merge
#      stage durations from report.json, and peak RSS from /usr/bin/time -v (the largest of dotnet and every
#      git it ran); next to them `git merge-tree --write-tree` for the same pairs from a shell loop.
#      The Merge stage also runs the merge-window simulation and pays .NET/LibGit2Sharp start-up, so this
#      ratio is shown for information;
#   2. in one warm process (bench/merge/MergeBench, built here): git merge-tree for the pairs, HmmCi's test merges
#      for the same pairs (parse, conflict excerpts and commits, merge commits, refs), side by side as the stage
#      runs them and each in turn, and the merge-window simulation.
#
# The last line is the ratio for the target: HmmCi's test merges (side by side, as the stage runs them) over git
# merge-tree for the same pairs. Needs git 2.38+, the .NET 10 SDK and /usr/bin/time (apt-get install time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sample="${1:-$root/.hmmci/sample}"
runs=5

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
if [ ! -f "$sample/.complete" ]; then
    [ -f "$root/samples/make-sample.sh" ] || { echo "bench: no sample in $sample and no samples/make-sample.sh to make one" >&2; exit 2; }
    bash "$root/samples/make-sample.sh" "$sample"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hmmci-bench-merge.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cat > "$work/hmmci.yml" <<YAML
topic:    { name: hmm, url: $sample/hmm.git, branch: hmm }
mainline: { url: $sample/mainline.git, branch: master }
trees:
  - { name: rdma, url: $sample/rdma.git, branch: for-next }
  - { name: drm,  url: $sample/drm.git,  branch: drm-next }
  - { name: mm,   url: $sample/mm.git,   branch: mm-unstable }
YAML
pipeline=(--config "$work/hmmci.yml" --workspace "$work/ws" --output "$work/out")

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
stage_ms() { python3 -c "import json,sys; print(next(s['durationMs'] for s in json.load(open(sys.argv[1]))['stages'] if s['name'] == sys.argv[2]))" "$work/out/report.json" "$1"; }

echo "bench: first fetch of the sample into $work/ws (not timed)" >&2
"$root/build.sh" Fetch "${pipeline[@]}" >/dev/null

: > "$work/merge.ms"; : > "$work/fetch.ms"; : > "$work/rss.kb"; : > "$work/git.ms"
for _ in $(seq $runs); do
    /usr/bin/time -v -o "$work/time.txt" "$root/build.sh" Merge "${pipeline[@]}" >/dev/null || [ $? -eq 1 ] # 1: a conflict makes the verdict not-ready
    stage_ms Merge >> "$work/merge.ms"
    stage_ms Fetch >> "$work/fetch.ms"
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt" >> "$work/rss.kb"
    start=$(date +%s%N)
    for tree in rdma drm mm; do
        git --git-dir "$work/ws/store.git" merge-tree --write-tree "refs/hmmci/heads/$tree" refs/hmmci/heads/hmm >/dev/null || [ $? -eq 1 ]
    done
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/git.ms"
done
merge_ms=$(median < "$work/merge.ms"); git_ms=$(median < "$work/git.ms")
peak_mb=$(( $(sort -n "$work/rss.kb" | tail -1) / 1024 ))

echo "bench: building bench/merge/MergeBench" >&2
dotnet build "$root/bench/merge/MergeBench/MergeBench.csproj" -c Release --nologo -v quiet -o "$work/bench" >/dev/null
warm="$(dotnet "$work/bench/MergeBench.dll" "$work/hmmci.yml" "$work/ws" $runs)"
warm_git=$(awk '/git merge-tree/ { print $1 }' <<< "$warm")
warm_side_by_side=$(awk '/side by side/ { print $1 }' <<< "$warm")

echo "Merge benchmark on $sample, 3 trees, median of $runs"
echo "./build.sh Merge, one process per run:"
printf '  %8s ms  Fetch stage when nothing moved (target < 2000 ms)\n' "$(median < "$work/fetch.ms")"
printf '  %8s ms  Merge stage (test merges + merge-window simulation + process start-up)\n' "$merge_ms"
printf '  %8s ms  git merge-tree --write-tree for the same pairs, shell loop\n' "$git_ms"
printf '  %8s MB  peak RSS of ./build.sh Merge, git children included (target < 300 MB)\n' "$peak_mb"
printf '  %8s     Merge stage / git merge-tree (information: the stage does more than the pairs)\n' "$(awk -v a="$merge_ms" -v b="$git_ms" 'BEGIN { printf "%.2f", a / b }')"
echo "one warm process (bench/merge/MergeBench):"
sed 's/^/  /' <<< "$warm"
echo "ratio: $(awk -v a="$warm_side_by_side" -v b="$warm_git" 'BEGIN { printf "%.2f", a / b }') (HmmCi test merges / git merge-tree --write-tree, same pairs; target <= 1.5)"
