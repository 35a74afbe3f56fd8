#!/usr/bin/env bash
# bench/merge/make-trees.sh SAMPLE_DIR OUT_DIR COUNT
#
# Makes COUNT downstream trees on the kernel-scale sample for the Merge benchmark, as bare repositories
# OUT_DIR/t01.git ... (branch `next`) borrowing the sample's objects, and prints their hmmci.yml `trees:` entries.
# Tree N starts from the sample's rdma, mm or drm head in turn (so every third one carries drm's amdgpu_mn.c
# change and conflicts with the topic, as drm itself does) and adds three commits of its own, each appending a
# line to a different driver file no other tree touches. Three pairs of trees also rewrite the same line of one
# file each, differently: clean test merges that conflict only in the merge window, between the two trees.
# Dates are fixed, so the same sample gives the same trees.
set -euo pipefail
sample="$1" out="$2" count="$3"
mkdir -p "$out"
# One object store for all of them, borrowing the sample's objects as kernel forks borrow mainline's.
store="$out/objects.git"
git init --quiet --bare "$store"
printf '%s\n' "$sample"/{mainline,rdma,drm,mm}.git/objects > "$store/objects/info/alternates"
git_s() { git --git-dir "$store" "$@"; }
head_of() { git --git-dir "$sample/$1.git" rev-parse "refs/heads/$2"; }
bases=("$(head_of rdma for-next)" "$(head_of mm mm-unstable)" "$(head_of drm drm-next)")
base_names=(rdma mm drm)

# Three files per tree, spread over drivers/ and away from what the sample's topic and trees change.
mapfile -t files < <(git_s ls-tree -r --name-only "${bases[0]}" -- drivers \
    | grep '\.c$' | grep -v -e '^drivers/gpu/drm/' -e '^drivers/infiniband/' | awk 'NR % 151 == 0' | head -n $((count * 3)))
[ "${#files[@]}" -eq $((count * 3)) ] || { echo "make-trees: not enough driver files in the sample" >&2; exit 2; }
# The pairs that meet only in the merge window: (tree a, tree b, file whose first line both rewrite).
pairs=("4 16 include/linux/kernel.h" "5 20 include/linux/slab.h" "7 11 include/linux/mm.h")


when=1700000000
stream="$out/fast-import"
: > "$stream"
for n in $(seq "$count"); do
    name=$(printf 't%02d' "$n")
    parent="${bases[$(( (n - 1) % 3 ))]}"
    edits=()
    for k in 0 1 2; do edits+=("${files[$(( (n - 1) * 3 + k ))]}"); done
    for pair in "${pairs[@]}"; do
        read -r a b file <<< "$pair"
        if [ "$n" -eq "$a" ] || [ "$n" -eq "$b" ]; then edits+=("first-line:$file"); fi
    done
    first=1
    for edit in "${edits[@]}"; do
        when=$((when + 60))
        case "$edit" in
            first-line:*)
                path="${edit#first-line:}"
                blob=$( { echo "/* $name: first line rewritten */"; git_s cat-file blob "$parent:$path" | tail -n +2; } | git_s hash-object -w --stdin)
                subject="${path%.h}: reword the first line for $name" ;;
            *)
                path="$edit"
                blob=$( { git_s cat-file blob "$parent:$path"; echo "/* $name: local note */"; } | git_s hash-object -w --stdin)
                subject="$(dirname "$path" | sed 's|^drivers/||'): add a local note for $name" ;;
        esac
        message="$subject

Signed-off-by: Bench Dev <bench-$name@example.org>"
        {
            echo "commit refs/heads/$name"
            echo "author Bench Dev <bench-$name@example.org> $when +0000"
            echo "committer Bench Dev <bench-$name@example.org> $when +0000"
            echo "data ${#message}"
            echo "$message"
            [ "$first" -eq 1 ] && echo "from $parent"
            echo "M 100644 $blob $path"
            echo
        } >> "$stream"
        first=0
    done
done
git_s fast-import --quiet < "$stream"

for n in $(seq "$count"); do
    name=$(printf 't%02d' "$n")
    git init --quiet --bare "$out/$name.git"
    echo "$store/objects" > "$out/$name.git/objects/info/alternates"
    git --git-dir "$out/$name.git" update-ref refs/heads/next "$(git_s rev-parse "refs/heads/$name")"
    echo "  - { name: $name, url: $out/$name.git, branch: next }  # from ${base_names[$(( (n - 1) % 3 ))]}"
done
