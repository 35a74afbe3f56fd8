#!/usr/bin/env bash
# Benchmark of the Check target: a 50-commit topic against two downstream trees of 2,000 commits each.
# Generates the history in /tmp with git fast-import, runs `./build.sh Check` on it, then times a naive
# `git log -p | git patch-id --stable` over the same ranges in the same store. Prints the ratio last.
# Usage: bench/checks/run.sh [topic-commits] [downstream-commits]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
topic_commits="${1:-50}"
downstream_commits="${2:-2000}"
work="$(mktemp -d /tmp/hmmci-bench-checks.XXXXXX)"
trap 'rm -rf "$work"' EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }
when=1700000000

# One commit of a fast-import stream: branch, parent ref (or empty), author, subject, path, content.
commit() {
    local branch="$1" from="$2" who="$3" subject="$4" path="$5" content="$6"
    when=$((when + 60))
    printf 'commit refs/heads/%s\nauthor %s %d +0000\ncommitter %s %d +0000\n' "$branch" "$who" "$when" "$who" "$when"
    printf 'data <<EOM\n%s\n\nSigned-off-by: %s\nEOM\n' "$subject" "$who"
    [[ -n "$from" ]] && printf 'from %s\n' "$from"
    printf 'M 100644 inline %s\ndata <<EOF\n%s\nEOF\n\n' "$path" "$content"
}

generate() {
    local linus="Linus Torvalds <torvalds@example.org>" jgg="Jason Gunthorpe <jgg@example.org>" airlied="Dave Airlie <airlied@example.org>"
    commit master "" "$linus" "Linux 6.1" Makefile "VERSION = 6"
    printf 'tag v6.1\nfrom refs/heads/master\ntagger %s %d +0000\ndata <<EOM\nLinux 6.1\nEOM\n\n' "$linus" "$when"
    for ((i = 1; i <= topic_commits; i++)); do
        commit hmm "$([[ $i == 1 ]] && echo refs/heads/master)" "$jgg" "mm/hmm: change $i" "mm/hmm$((i % 5)).c" "hmm change $i"
    done
    for tree in rdma drm; do
        local who="$jgg"; [[ $tree == drm ]] && who="$airlied"
        for ((i = 1; i <= downstream_commits; i++)); do
            commit "$tree" "$([[ $i == 1 ]] && echo refs/heads/master)" "$who" "$tree: change $i" "drivers/$tree/file$((i % 100)).c" "$tree line $i
$tree context $((i / 100))"
        done
    done
}

git init -q --bare "$work/upstream.git"
start=$(ms)
generate | git -C "$work/upstream.git" fast-import --quiet
echo "generated $topic_commits topic commits and 2 x $downstream_commits downstream commits in $(( $(ms) - start )) ms" >&2

cat > "$work/hmmci.yml" <<YAML
topic:    { name: hmm, url: $work/upstream.git, branch: hmm }
mainline: { url: $work/upstream.git, branch: master }
trees:
  - { name: rdma, url: $work/upstream.git, branch: rdma }
  - { name: drm,  url: $work/upstream.git, branch: drm }
checks:
  scope: [mm/hmm*]
YAML

"$root/build.sh" Check --config "$work/hmmci.yml" --workspace "$work/ws" --output "$work/out" >"$work/check.log" 2>&1 || {
    status=$?
    # Exit 1 only means "not ready"; anything else is a failure of the run itself.
    if [[ $status -ne 1 ]]; then cat "$work/check.log" >&2; exit "$status"; fi
}
check_ms=$(python3 -c 'import json,sys; print(next(s["durationMs"] for s in json.load(open(sys.argv[1]))["stages"] if s["name"] == "Check"))' "$work/out/report.json")
findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["checks"]))' "$work/out/report.json")

store="$work/ws/store.git"
start=$(ms)
for ref in hmm rdma drm; do
    git --git-dir "$store" log -p "refs/hmmci/heads/$ref" --not refs/hmmci/heads/mainline | git patch-id --stable >/dev/null
done
naive_ms=$(( $(ms) - start ))

echo "Check stage: ${check_ms} ms for $topic_commits topic commits against 2 x $downstream_commits downstream commits ($findings findings; budget 10000 ms)"
echo "naive git log -p | git patch-id --stable over the same three ranges: ${naive_ms} ms"
[[ $check_ms -lt 10000 ]] || { echo "Check stage over its 10 s budget" >&2; exit 1; }
python3 -c "import sys; print(f'ratio Check/naive: {int(sys.argv[1]) / max(int(sys.argv[2]), 1):.2f}')" "$check_ms" "$naive_ms"
