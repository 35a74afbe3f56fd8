#!/usr/bin/env bash
# Benchmark of the Check target, in two cases generated in /tmp with git fast-import:
#   small: a 50-commit topic against two downstream trees of 2,000 commits each (budget 10 s);
#   scale: a 2,000-commit topic with merges and Fixes: tags against a 10,000-commit downstream tree (drm-next
#          sized) that merged the topic twice and pulls its own side branches (target: Check at most 3x).
# Each runs `./build.sh Check` on its history, then times a bare `git log -p | git patch-id --stable` over the
# same ranges in the same store. Prints both ratios, the scale one last.
# Usage: bench/checks/run.sh [scale-topic-commits] [scale-downstream-commits]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale_topic="${1:-2000}"
scale_downstream="${2:-10000}"
work="$(mktemp -d /tmp/hmmci-bench-checks.XXXXXX)"
trap 'rm -rf "$work"' EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# A fast-import stream on stdout. Mainline: 300 commits, tagged v6.1 (imported first, so that topic commits can
# cite mainline commits in Fixes: tags by SHA1, read from $3). The topic: $1 commits, every 50th a merge of a
# topic side branch, every 10th with a Fixes: tag. Each downstream named in $4 (comma separated): $2 commits of
# its own, every 25th a merge of a side branch as GitHub writes it, and (unless $5 is "-") two merges of the topic
# from the URL $5, as `git pull` writes them.
generate() {
    python3 - "$@" <<'PY'
import sys
topic_n, downstream_n, mainline_shas, trees, topic_url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
out = sys.stdout
when = [1700000000]
mark = [0]
def commit(ref, who, subject, body, path, content, parents):
    when[0] += 60
    mark[0] += 1
    message = f"{subject}\n\n{body}Signed-off-by: {who}\n"
    out.write(f"commit {ref}\nmark :{mark[0]}\nauthor {who} {when[0]} +0000\ncommitter {who} {when[0]} +0000\n")
    out.write(f"data {len(message.encode())}\n{message}")
    if parents:
        out.write(f"from {parents[0]}\n")
        for p in parents[1:]: out.write(f"merge {p}\n")
    if path:
        out.write(f"M 100644 inline {path}\ndata <<EOF\n{content}\nEOF\n")
    out.write("\n")
    return f":{mark[0]}"
jgg, airlied = "Jason Gunthorpe <jgg@example.org>", "Dave Airlie <airlied@example.org>"
if mainline_shas == "-":
    linus = "Linus Torvalds <torvalds@example.org>"
    head = None
    for i in range(1, 301):
        head = commit("refs/heads/master", linus, f"mm: mainline change {i}", "", f"mm/file{i % 20}.c", f"mainline {i}", [head] if head else [])
    head = commit("refs/heads/master", linus, "Linux 6.1", "", "Makefile", "VERSION = 6", [head])
    out.write(f"tag v6.1\nfrom {head}\ntagger {linus} {when[0]} +0000\ndata 10\nLinux 6.1\n\n")
    sys.exit(0)
mainline = open(mainline_shas).read().split()
base = mainline[0]
subjects = {sha: f"mm: mainline change {300 - i}" for i, sha in enumerate(mainline[1:])}
head = base
side = None
topic_half = base
for i in range(1, topic_n + 1):
    fixes = ""
    if i % 10 == 0:
        target = mainline[1 + i % 300]
        fixes = f"Fixes: {target[:12]} (\"{subjects[target]}\")\n"
    if i % 50 == 25:
        side = head
    if side is not None and i % 50 != 0 and i % 50 > 25:
        side = commit("refs/heads/hmm-side", jgg, f"mm/hmm: side change {i}", fixes, f"mm/hmm_side{i % 7}.c", f"side {i}", [side])
        continue
    head = commit("refs/heads/hmm", jgg, f"mm/hmm: change {i}", fixes, f"mm/hmm{i % 5}.c", f"hmm change {i}", [head])
    if i % 50 == 0 and side is not None:
        head = commit("refs/heads/hmm", jgg, "Merge branch 'hmm-side' into hmm", "", None, None, [head, side])
        side = None
    if i <= topic_n // 2: topic_half = head
for tree in trees.split(","):
    who = airlied if tree == "drm" else jgg
    head = base
    branch = None
    for i in range(1, downstream_n + 1):
        if topic_url != "-" and i in (downstream_n // 3, 2 * downstream_n // 3):
            merged = topic_half if i == downstream_n // 3 else "refs/heads/hmm"
            head = commit(f"refs/heads/{tree}", who, f"Merge branch 'hmm' of {topic_url}", "", None, None, [head, merged])
        k = i % 25
        if k == 1:
            branch = head
        if k > 12 or k == 0:
            branch = commit(f"refs/heads/{tree}-pr", who, f"{tree}: change {i}", "", f"drivers/{tree}/file{i % 100}.c", f"{tree} line {i}\n{tree} context {i // 100}", [branch])
            if k == 0:
                head = commit(f"refs/heads/{tree}", who, f"Merge pull request #{i} from someone/{tree}-{i}", "", None, None, [head, branch])
            continue
        head = commit(f"refs/heads/{tree}", who, f"{tree}: change {i}", "", f"drivers/{tree}/file{i % 100}.c", f"{tree} line {i}\n{tree} context {i // 100}", [head])
PY
}

# One case: generate, run Check, time the naive pipeline; sets check_ms, naive_ms, findings.
run_case() {
    local name="$1" topic_n="$2" downstream_n="$3" trees="$4" merges_topic="$5" url
    local dir="$work/$name"
    mkdir -p "$dir"
    git init -q --bare "$dir/upstream.git"
    local start; start=$(ms)
    generate 0 0 - "" 0 | git -C "$dir/upstream.git" fast-import --quiet
    git -C "$dir/upstream.git" rev-list master > "$dir/mainline.txt"
    url=-; [[ $merges_topic == 1 ]] && url="$dir/upstream.git"
    generate "$topic_n" "$downstream_n" "$dir/mainline.txt" "$trees" "$url" | git -C "$dir/upstream.git" fast-import --quiet
    echo "$name: generated a $topic_n-commit topic and ${trees//,/ and } trees of $downstream_n commits in $(( $(ms) - start )) ms" >&2

    {
        echo "topic:    { name: hmm, url: $dir/upstream.git, branch: hmm }"
        echo "mainline: { url: $dir/upstream.git, branch: master }"
        echo "trees:"
        for tree in ${trees//,/ }; do echo "  - { name: $tree, url: $dir/upstream.git, branch: $tree }"; done
        echo "checks:"
        echo "  scope: [mm/hmm*]"
    } > "$dir/hmmci.yml"
    "$root/build.sh" Check --config "$dir/hmmci.yml" --workspace "$dir/ws" --output "$dir/out" >"$dir/check.log" 2>&1 || {
        status=$?
        # Exit 1 means a problem was found, 4 that a Check-only run is incomplete; anything else is a failure of the run itself.
        if [[ $status -ne 1 && $status -ne 4 ]]; then cat "$dir/check.log" >&2; exit "$status"; fi
    }
    check_ms=$(python3 -c 'import json,sys; print(next(s["durationMs"] for s in json.load(open(sys.argv[1]))["stages"] if s["name"] == "Check"))' "$dir/out/report.json")
    findings=$(python3 -c 'import json,sys,collections; c=collections.Counter(f["check"] for f in json.load(open(sys.argv[1]))["checks"]); print(", ".join(f"{k} {v}" for k, v in sorted(c.items())) or "none")' "$dir/out/report.json")

    local store="$dir/ws/store.git"
    start=$(ms)
    for ref in hmm ${trees//,/ }; do
        git --git-dir "$store" log -p "refs/hmmci/heads/$ref" --not refs/hmmci/heads/mainline | git patch-id --stable >/dev/null
    done
    naive_ms=$(( $(ms) - start ))
}

ratio() { python3 -c "import sys; print(f'{int(sys.argv[1]) / max(int(sys.argv[2]), 1):.2f}')" "$1" "$2"; }

run_case small 50 2000 rdma,drm 0
small_check=$check_ms small_naive=$naive_ms
echo "small: Check stage ${check_ms} ms for 50 topic commits against 2 x 2000 downstream commits (findings: $findings; budget 10000 ms)"
echo "small: naive git log -p | git patch-id --stable over the same three ranges: ${naive_ms} ms"

run_case scale "$scale_topic" "$scale_downstream" drm 1
echo "scale: Check stage ${check_ms} ms for $scale_topic topic commits (with merges) against $scale_downstream downstream commits (findings: $findings)"
echo "scale: naive git log -p | git patch-id --stable over the same two ranges: ${naive_ms} ms"

small_ratio=$(ratio "$small_check" "$small_naive")
scale_ratio=$(ratio "$check_ms" "$naive_ms")
echo "ratio Check/naive, small case: $small_ratio"
echo "ratio Check/naive, scale case: $scale_ratio (target: at most 3)"
[[ $small_check -lt 10000 ]] || { echo "small case: Check stage over its 10 s budget" >&2; exit 1; }
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 3 else 1)" "$scale_ratio" || { echo "scale case: Check stage over 3x the naive pipeline" >&2; exit 1; }
