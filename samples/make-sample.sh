#!/usr/bin/env bash
# samples/make-sample.sh OUTDIR
#
# Builds the bundled HmmCi sample: a "shared topic tree" scenario on top of
# Debian's Linux 6.1 source (/usr/src/linux-source-6.1.tar.xz, from the apt
# package linux-source-6.1). OUTDIR receives five bare repositories:
#
#   mainline.git  master       v6.1 (one root commit holding the whole tree,
#                              annotated tag v6.1), 3 commits up to the
#                              annotated tag v6.2-rc1, then 1 more commit
#   hmm.git       hmm          the topic tree: 6 commits on v6.1, the
#                              annotated tag for-linus-hmm on its head
#   rdma.git      for-next     downstream: 4 commits on v6.1
#   drm.git       drm-next     downstream: 3 commits on v6.1
#   mm.git        mm-unstable  downstream: 3 commits on v6.1
#
# Every commit but the two made here (the v6.1 import and "Linux 6.2-rc1",
# which bumps the version lines of the top Makefile whatever 6.1 sublevel
# the tarball holds) is a `git format-patch` file in samples/patches/<repo>/,
# applied with `git am` in file order; the committer (the tree's maintainer)
# and commit date of each are listed below. The four non-mainline
# repositories borrow mainline's objects through objects/info/alternates (a
# relative path, as hosted kernel forks do), so OUTDIR can be moved as a
# whole but mainline.git must stay next to them. All dates are fixed, so the
# same tarball always gives the same SHAs; another linux-source-6.1 version
# gives other SHAs (samples/README.md says which version its SHAs are for).
# All people are fictional (example.org / example.com addresses).
#
# Topic commits (branch hmm, oldest first):
#   T1 mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment
#   T2 RDMA/umem: fix the kernel-doc of ib_umem_odp_map_dma_single_page()
#   T3 mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()
#   T4 mm/hmm: add hmm_range_timeout() and use it in amdgpu
#   T5 lib/test_hmm: use PFN helpers in the bounce buffer copy loops
#   T6 mm/hmm: fix the comment above hmm_pfn_to_map_shift()
#
# Situations the scenario produces, and the commits that create them:
#   1. Textual conflict, drm-next + hmm: T4 replaces the userptr fault
#      timeout computation in drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c (the
#      lines just above its hmm_range_fault() call; in 6.1 the file is not yet
#      called amdgpu_hmm.c) with hmm_range_timeout(); drm-next commit D1
#      rewrites the same lines (64MB/s instead of 512MB/s).
#      `git merge-tree --write-tree drm-next hmm` reports
#      CONFLICT (content) in amdgpu_mn.c.
#   2. Semantic conflict, mm-unstable + hmm: T3 removes
#      hmm_pfn_to_map_order() from include/linux/hmm.h and converts every
#      6.1 user (lib/test_hmm.c, nouveau_svm.c, umem_odp.c); mm-unstable
#      commit M1 adds a new call to hmm_pfn_to_map_order() in
#      dmirror_do_fault() in lib/test_hmm.c, a function the topic does not
#      touch. The merge is textually clean, but lib/test_hmm.o (built by the
#      minimal config) fails: implicit declaration of hmm_pfn_to_map_order.
#   3. Semantic conflict only an allmodconfig compile finds, for-next + hmm:
#      rdma's commits only touch drivers/infiniband/, which the minimal
#      config does not build, so the merge is clean and builds and boots
#      there. But rdma commit R4 adds a call to hmm_pfn_to_map_order() to a
#      debug message in ib_umem_odp_map_dma_and_lock() in
#      drivers/infiniband/core/umem_odp.c, a few lines below the ones T3
#      converts: under allmodconfig, umem_odp.o of the merge fails (implicit
#      declaration of hmm_pfn_to_map_order) while for-next's compiles.
#   4. Duplicate patch: rdma commit R2 has exactly the diff of topic commit
#      T2 (same `git patch-id --stable`), same author and author date, but a
#      different committer, commit date and trailers, hence a different SHA.
#   5. Missing Signed-off-by: T6 has no Signed-off-by at all. Every other
#      topic commit has the author's and the committer's (the hmm maintainer)
#      Signed-off-by; every rdma/drm/mm commit has them too.
#   6. Bad Fixes: tag: T1 says `Fixes: 5e1b9a3c ("mm/hmm: add the mapping
#      order to the hmm pfn flags")`: an 8-digit SHA (12 are required) that
#      names no commit in any of the trees. T6 carries a correct Fixes: tag
#      (12 digits, exact subject) pointing at T3; the script rewrites its SHA
#      to T3's of this run, so it stays correct on any tarball.
#   7. Selftest regression: T5, an innocent-looking cleanup of lib/test_hmm.c,
#      computes `last = PFN_DOWN(end - 1)` (an inclusive bound) but loops
#      `pfn < last` in dmirror_do_read() (dmirror_do_write() correctly uses
#      `<=`), so HMM_DMIRROR_READ copies one page short and reports
#      cpages = npages - 1. tools/testing/selftests/vm/hmm-tests then fails
#      ASSERT_EQ(buffer->cpages, npages) (or a neighbouring cpages check) in
#      the 14 tests that read through the mirror: anon_read, anon_write_prot,
#      file_read, migrate*, anon_read_multiple, anon_teardown,
#      hmm_cow_in_device, hmm2.migrate_mixed/snapshot/double_map (device
#      private variants); anon_write, file_write etc. still pass. With T5
#      reverted the results equal v6.1's. No oops, no WARN, no hang.
#
# The tarball's version is read from its top Makefile before anything is
# extracted (it must be 6.1.x), and every series is tried on the extracted
# files before the import: a patch that no longer applies stops the script
# with one line naming the patch and the tarball's version.
#
# OUTDIR/.complete holds a sha256 over this script and samples/patches once
# everything is built; when it matches, the script exits at once. Any other
# OUTDIR is wiped and rebuilt (the script refuses to wipe a directory holding
# anything but its own files). OUTDIR.lock, next to OUTDIR, serializes
# concurrent runs.
set -euo pipefail

TARBALL=/usr/src/linux-source-6.1.tar.xz
# The linux-source-6.1 version whose SHAs samples/README.md quotes, and the
# tree of its v6.1 commit: another tarball gets a note that SHAs differ.
DOCUMENTED=6.1.192-3
DOCUMENTED_TREE=14de87be0123b041ff367d496e2502ad814eb8ab

die() { echo "make-sample.sh: $*" >&2; exit 1; }
say() { echo "sample: $*" >&2; }

[ $# -eq 1 ] && [ -n "${1%/}" ] || die "usage: make-sample.sh OUTDIR"

SAMPLES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PATCHES=$SAMPLES/patches
[ -d "$PATCHES" ] || die "$PATCHES is missing"
# Relative names, so that the hash does not depend on where the checkout is.
HASH=$(cd "$SAMPLES" && find make-sample.sh patches -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
OUT=${1%/}

complete() { [ -f "$OUT/.complete" ] && [ "$(cat "$OUT/.complete")" = "$HASH" ]; }
complete && exit 0

[ -f "$TARBALL" ] || die "$TARBALL is missing; install the Debian package linux-source-6.1 (apt-get install linux-source-6.1)"

# The version lines of the top Makefile: the first member named */Makefile
# at depth one, read without unpacking the rest (--occurrence stops there).
MAKEFILE_HEAD=$(tar -xJOf "$TARBALL" --wildcards --no-wildcards-match-slash --occurrence=1 '*/Makefile' 2>/dev/null | head -n 6) || true
mkvar() { sed -n "s/^$1 = *//p" <<<"$MAKEFILE_HEAD"; }
KVER=$(mkvar VERSION).$(mkvar PATCHLEVEL).$(mkvar SUBLEVEL)$(mkvar EXTRAVERSION)
[[ $KVER =~ ^6\.1\.[0-9]+$ ]] || die "$TARBALL holds Linux '$KVER' according to its Makefile, not a 6.1 stable release"

# One run at a time per OUTDIR (a lock file next to it): a second caller
# waits, then finds the sample complete.
mkdir -p "$(dirname "$OUT")"
exec 9>"$OUT.lock"
flock 9
complete && exit 0

trap 'echo "make-sample.sh: failed at line $LINENO; $OUT is incomplete" >&2' ERR

if [ -e "$OUT" ]; then
	[ -d "$OUT" ] || die "$OUT exists and is not a directory"
	for f in "$OUT"/* "$OUT"/.[!.]*; do
		[ -e "$f" ] || continue
		case ${f##*/} in
		mainline.git | hmm.git | rdma.git | drm.git | mm.git | .work | .check | .apply-errors | .complete) ;;
		*) die "$OUT holds ${f##*/}, which this script did not make; not wiping it" ;;
		esac
	done
	say "removing the old or incomplete sample in $OUT"
	rm -rf "$OUT"
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)

# Keep the caller's git setup out of the way: no global/system config, no
# GIT_DIR and friends, fixed locale and time zone.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CEILING_DIRECTORIES \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export LC_ALL=C TZ=UTC

WORK=$OUT/.work
CHECK=$OUT/.check

# --- people (all fictional): the committers; authors are in the patches -------
MAGNUS="Magnus Thorvald <magnus.thorvald@example.org>"   # mainline
ILSE="Ilse Marwood <ilse.marwood@example.org>"           # hmm topic maintainer
SELMA="Selma Brandvold <selma.brandvold@example.org>"    # rdma maintainer
TEODOR="Teodor Ashgrove <teodor.ashgrove@example.org>"   # drm maintainer
ROSALIND="Rosalind Vane <rosalind.vane@example.org>"     # mm maintainer

# --- helpers -------------------------------------------------------------------
g() { git -C "$WORK" "$@"; }

# with_committer PERSON DATE command...: run a git command as PERSON at DATE
with_committer() {
	local c=${1%>}
	GIT_COMMITTER_NAME=${c% <*} GIT_COMMITTER_EMAIL=${c##*<} GIT_COMMITTER_DATE=$2 "${@:3}"
}

# commit PERSON DATE < message: a commit PERSON authors and commits at DATE
commit() {
	local a=${1%>}
	GIT_AUTHOR_NAME=${a% <*} GIT_AUTHOR_EMAIL=${a##*<} GIT_AUTHOR_DATE=$2 \
		with_committer "$1" "$2" git -C "$WORK" commit -q --no-verify --cleanup=whitespace -F -
}

# tag NAME TAGGER DATE < message: an annotated tag on HEAD
tag() { with_committer "$2" "$3" git -C "$WORK" tag -a "$1" -F -; }

# does_not_apply PATCH ERRFILE: the one-line failure for a patch that no
# longer applies, with git's first error line (file and line)
does_not_apply() {
	local why
	why=$(grep -m1 '^error:' "$2" | sed 's/^error: //') || why="see git am"
	die "samples/patches/$1 does not apply to Linux $KVER from $TARBALL ($why); the sample's patches are made for linux-source-6.1 $DOCUMENTED"
}

# Commits applied by `am` on the current branch, "sha12 subject" per line.
APPLIED=

# am PATCH COMMITTER COMMITTER_DATE: samples/patches/PATCH as a commit that
# COMMITTER applied at COMMITTER_DATE. A Fixes: tag naming (12 digits, exact
# subject) a commit applied earlier on this branch gets that commit's SHA in
# this run, which differs from the patch's when the tarball does.
am() {
	local p=$PATCHES/$1
	[ -f "$p" ] || die "$p is missing"
	APPLIED=$APPLIED perl -pe '
		BEGIN { for (split /\n/, $ENV{APPLIED}) { my ($s, $t) = split / /, $_, 2; $sha{$t} = $s } }
		s/^Fixes: [0-9a-f]{12} \("(.*)"\)$/exists $sha{$1} ? "Fixes: $sha{$1} (\"$1\")" : $&/e' "$p" |
		with_committer "$2" "$3" git -C "$WORK" am -q --whitespace=nowarn >"$OUT/.apply-errors" 2>&1 ||
		does_not_apply "$1" "$OUT/.apply-errors"
	APPLIED+="$(g rev-parse HEAD | cut -c1-12) $(g log -1 --format=%s)"$'\n'
}

# branch NAME: a new branch on v6.1 for the next series
branch() {
	g checkout -q -b "$1" "$V61"
	APPLIED=
}

# new_bare NAME BRANCH: a bare repository borrowing mainline's objects
new_bare() {
	git init -q --bare -b "$2" "$OUT/$1.git"
	git -C "$OUT/$1.git" config gc.auto 0
	git -C "$OUT/$1.git" config receive.autogc false
	if [ "$1" != mainline ]; then
		echo ../../mainline.git/objects >"$OUT/$1.git/objects/info/alternates"
	fi
}

# --- v6.1 ----------------------------------------------------------------------
new_bare mainline master

say "extracting Linux $KVER from $TARBALL ..."
mkdir -p "$WORK"
tar -xJf "$TARBALL" -C "$WORK" --strip-components=1 --no-same-owner
# Debian's .gitignore ends with a block that ignores everything at the top
# level; drop it. Debian also dropped upstream's exceptions for tracked
# dot-files (.mailmap, .clang-format, ...), so add with -f below.
perl -0pi -e 's/\n+#\n# Debian packaging:.*\z/\n/s' "$WORK/.gitignore"
grep -q 'Debian packaging' "$WORK/.gitignore" && die "could not strip the Debian block from .gitignore"

# Try every series, in order, on copies of the files it touches, before the
# long import: a patch that no longer applies is named now, not a minute on.
say "checking that samples/patches apply to Linux $KVER ..."
for dir in "$PATCHES"/*/; do
	series=$(basename "$dir")
	mkdir -p "$CHECK/$series"
	git init -q "$CHECK/$series"   # so that git apply looks no further up
	for p in "$dir"*.patch; do
		sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$p" | while read -r f; do
			if [ ! -e "$CHECK/$series/$f" ] && [ -e "$WORK/$f" ]; then
				mkdir -p "$(dirname "$CHECK/$series/$f")"
				cp "$WORK/$f" "$CHECK/$series/$f"
			fi
		done
		git -C "$CHECK/$series" apply --whitespace=nowarn "$p" 2>"$OUT/.apply-errors" ||
			does_not_apply "$series/${p##*/}" "$OUT/.apply-errors"
	done
done
rm -rf "$CHECK"

git init -q -b master "$WORK"
g config core.fsync none
g config gc.auto 0
g config core.fileMode true
g config core.autocrlf false
g config advice.detachedHead false

say "importing the 6.1 tree into mainline.git (takes a while) ..."
# The big tree's objects go straight into mainline.git; the work repository
# then borrows them, and only the small commits on top get pushed.
GIT_OBJECT_DIRECTORY=$OUT/mainline.git/objects g add -A -f
nfiles=$(g ls-files | wc -l)
[ "$nfiles" -gt 75000 ] || die "only $nfiles files in the 6.1 tree; expected 75000+"
GIT_OBJECT_DIRECTORY=$OUT/mainline.git/objects commit "$MAGNUS" "2022-12-11 14:15:18 -0800" <<EOF
Linux 6.1

This is Debian's linux-source-6.1 tree ($KVER) imported as one root
commit; it stands in for the v6.1 release in the HmmCi sample.
EOF
echo "$OUT/mainline.git/objects" >"$WORK/.git/objects/info/alternates"
V61=$(g rev-parse HEAD)
[ "$(g rev-parse HEAD^{tree})" = "$DOCUMENTED_TREE" ] ||
	say "note: this is not linux-source-6.1 $DOCUMENTED, so the SHAs differ from those in samples/README.md"
git -C "$OUT/mainline.git" update-ref refs/heads/master "$V61"
GIT_OBJECT_DIRECTORY=$OUT/mainline.git/objects tag v6.1 "$MAGNUS" "2022-12-11 14:15:18 -0800" <<<"Linux 6.1"
git -C "$OUT/mainline.git" update-ref refs/tags/v6.1 "$(g rev-parse v6.1)"

# --- mainline after v6.1 ----------------------------------------------------------
say "mainline: v6.1..v6.2-rc1 and one commit after it ..."
am mainline/0001-docs-kvm-fix-a-typo-in-running-nested-guests.rst.patch "$MAGNUS" "2022-12-14 11:02:17 -0800"
am mainline/0002-watchdog-davinci_wdt-fix-a-typo-in-a-comment.patch "$MAGNUS" "2022-12-19 10:31:55 -0800"

# The release commit edits the version lines, whatever 6.1 sublevel they hold.
sed -i -e '1,6{s/^PATCHLEVEL = .*/PATCHLEVEL = 2/;s/^SUBLEVEL = .*/SUBLEVEL = 0/;s/^EXTRAVERSION =.*/EXTRAVERSION = -rc1/}' "$WORK/Makefile"
[ "$(sed -n 2,5p "$WORK/Makefile" | tr '\n' ' ')" = "VERSION = 6 PATCHLEVEL = 2 SUBLEVEL = 0 EXTRAVERSION = -rc1 " ] ||
	die "could not set the version lines of $WORK/Makefile to 6.2-rc1"
g add Makefile
commit "$MAGNUS" "2022-12-25 14:23:52 -0800" <<<"Linux 6.2-rc1"
tag v6.2-rc1 "$MAGNUS" "2022-12-25 14:24:10 -0800" <<<"Linux 6.2-rc1"

am mainline/0003-docs-netfs-fix-a-typo-in-netfs-api.rst.patch "$MAGNUS" "2022-12-30 15:48:02 -0800"
g push -q "$OUT/mainline.git" master:refs/heads/master refs/tags/v6.2-rc1:refs/tags/v6.2-rc1

# --- hmm: the topic tree ----------------------------------------------------------------
say "hmm: topic commits ..."
branch hmm
am hmm/0001-mm-hmm-document-HMM_PFN_ORDER_SHIFT-in-the-pfn-flags.patch "$ILSE" "2023-01-09 09:30:04 +0100"  # T1: bad Fixes:
am hmm/0002-RDMA-umem-fix-the-kernel-doc-of-ib_umem_odp_map_dma_.patch "$ILSE" "2023-01-09 09:31:47 +0100"  # T2: again as rdma R2
am hmm/0003-mm-hmm-replace-hmm_pfn_to_map_order-with-hmm_pfn_to_.patch "$ILSE" "2023-01-09 09:33:20 +0100"  # T3: vs mm M1, rdma R4
am hmm/0004-mm-hmm-add-hmm_range_timeout-and-use-it-in-amdgpu.patch "$ILSE" "2023-01-10 14:12:09 +0100"     # T4: conflicts with drm D1
am hmm/0005-lib-test_hmm-use-PFN-helpers-in-the-bounce-buffer-co.patch "$ILSE" "2023-01-11 10:20:36 +0100"  # T5: selftest regression
am hmm/0006-mm-hmm-fix-the-comment-above-hmm_pfn_to_map_shift.patch "$ILSE" "2023-01-12 16:41:27 +0100"    # T6: no Signed-off-by

# The tag the topic maintainer asks Linus to pull (git request-pull v6.1 URL for-linus-hmm).
tag for-linus-hmm "$ILSE" "2023-01-13 10:48:22 +0100" <<'EOF'
hmm updates for 6.3

A small cycle for hmm:

- hmm_pfn_to_map_order() is replaced by hmm_pfn_to_map_shift(), which
  returns the shift of the CPU mapping that every caller computed from
  the order. nouveau, RDMA ODP and the HMM test driver are converted.

- hmm_range_timeout(), amdgpu's deadline for retrying hmm_range_fault()
  on -EBUSY, moves into hmm.h so that other drivers can use it.

- Documentation fixes for the pfn flags and the ODP kernel-doc, and a
  cleanup of the test driver's bounce buffer copy loops.
EOF

# --- rdma for-next ------------------------------------------------------------------------------
say "rdma: for-next ..."
branch for-next
am rdma/0001-IB-iser-fix-spelling-mistakes-in-comments.patch "$SELMA" "2023-01-10 12:05:44 +0200"
am rdma/0002-RDMA-umem-fix-the-kernel-doc-of-ib_umem_odp_map_dma_.patch "$SELMA" "2023-01-11 14:20:03 +0200"  # R2: T2 again
am rdma/0003-IB-qib-fix-spelling-mistakes-in-comments.patch "$SELMA" "2023-01-12 09:14:26 +0200"
am rdma/0004-RDMA-umem-print-the-CPU-mapping-order-when-mapping-a.patch "$SELMA" "2023-01-12 09:20:15 +0200"  # R4: a new user of what T3 removes

# --- drm drm-next -----------------------------------------------------------------------------
say "drm: drm-next ..."
branch drm-next
am drm/0001-drm-amdgpu-allow-more-time-to-fault-in-large-userptr.patch "$TEODOR" "2023-01-06 18:30:12 +1000"  # D1: T4's lines
am drm/0002-drm-amdgpu-fix-spelling-mistakes-in-comments.patch "$TEODOR" "2023-01-06 18:31:40 +1000"
am drm/0003-drm-nouveau-fix-spelling-mistakes-in-comments.patch "$TEODOR" "2023-01-09 10:11:58 +1000"

# --- mm mm-unstable -----------------------------------------------------------------------------
say "mm: mm-unstable ..."
branch mm-unstable
am mm/0001-mm-hmm-test-check-that-device-private-pages-are-mapp.patch "$ROSALIND" "2023-01-08 17:52:30 -0800"  # M1: a new user of what T3 removes
am mm/0002-mm-memcontrol-fix-a-typo-in-the-zswap-limit-comment.patch "$ROSALIND" "2023-01-08 17:53:02 -0800"
am mm/0003-Documentation-mm-hmm-fix-the-example-code.patch "$ROSALIND" "2023-01-10 13:07:44 -0800"

# Every file in samples/patches is applied above, each exactly once.
used=$(grep -o '^am [^ ]*' "${BASH_SOURCE[0]}" | cut -c4- | LC_ALL=C sort)
[ "$used" = "$(cd "$PATCHES" && find . -type f | cut -c3- | LC_ALL=C sort)" ] ||
	die "samples/patches and the am lines of make-sample.sh do not list the same patches"

# --- publish -----------------------------------------------------------------------------------
say "pushing the branches ..."
for spec in hmm:hmm rdma:for-next drm:drm-next mm:mm-unstable; do
	repo=${spec%%:*} branch=${spec#*:}
	new_bare "$repo" "$branch"
	g push -q "$OUT/$repo.git" "$branch:refs/heads/$branch"
done
g push -q "$OUT/hmm.git" refs/tags/for-linus-hmm:refs/tags/for-linus-hmm

for spec in mainline:master hmm:hmm rdma:for-next drm:drm-next mm:mm-unstable; do
	repo=${spec%%:*} branch=${spec#*:}
	[ "$(git -C "$OUT/$repo.git" for-each-ref --format='%(refname)' refs/heads)" = "refs/heads/$branch" ] ||
		die "$repo.git does not hold exactly refs/heads/$branch"
	[ "$(git -C "$OUT/$repo.git" rev-parse "refs/heads/$branch")" = "$(g rev-parse "refs/heads/$branch")" ] ||
		die "$repo.git $branch is not what was built"
	say "$repo.git $branch $(g rev-parse "refs/heads/$branch")"
done
[ "$(git -C "$OUT/hmm.git" rev-parse for-linus-hmm^{commit})" = "$(g rev-parse hmm)" ] ||
	die "hmm.git for-linus-hmm does not point at the topic head"

# Pack the ~80k loose objects of the import: without delta search this takes
# about 20 s, and it makes a first `git fetch` of the sample several times
# faster (and the sample half the size) than serving them loose.
say "packing mainline.git (no delta search) ..."
git -C "$OUT/mainline.git" -c pack.compression=1 repack -a -d -q --window=0

rm -rf "$WORK" "$OUT/.apply-errors"
echo "$HASH" >"$OUT/.complete"
say "done: $OUT"
