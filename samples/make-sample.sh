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
#   hmm.git       hmm          the topic tree: 6 commits on v6.1
#   rdma.git      for-next     downstream: 3 commits on v6.1
#   drm.git       drm-next     downstream: 3 commits on v6.1
#   mm.git        mm-unstable  downstream: 3 commits on v6.1
#
# The four non-mainline repositories borrow mainline's objects through
# objects/info/alternates (a relative path, as hosted kernel forks do), so
# OUTDIR can be moved as a whole but mainline.git must stay next to them.
# Author and committer dates are fixed, so every run gives the same SHAs.
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
#   3. Clean merge that builds and boots, for-next + hmm: rdma's commits
#      (R1-R3) only touch drivers/infiniband/, which the minimal config does
#      not build, and never the lines the topic changes in umem_odp.c.
#   4. Duplicate patch: rdma commit R1 has exactly the diff of topic commit
#      T2 (same `git patch-id --stable`), same author and author date, but a
#      different committer, commit date and trailers, hence a different SHA.
#   5. Missing Signed-off-by: T6 has no Signed-off-by at all. Every other
#      topic commit has the author's and the committer's (the hmm maintainer)
#      Signed-off-by; every rdma/drm/mm commit has them too.
#   6. Bad Fixes: tag: T1 says `Fixes: 5e1b9a3c ("mm/hmm: add the mapping
#      order to the hmm pfn flags")`: an 8-digit SHA (12 are required) that
#      names no commit in any of the trees. T6 carries a correct Fixes: tag
#      (12 digits, exact subject) pointing at T3.
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
# OUTDIR/.complete holds the sha256 of this script once everything is
# built; when it matches, the script exits at once. Any other OUTDIR is wiped
# and rebuilt (the script refuses to wipe a directory holding anything but
# its own files). OUTDIR.lock, next to OUTDIR, serializes concurrent runs.
set -euo pipefail

TARBALL=/usr/src/linux-source-6.1.tar.xz

die() { echo "make-sample.sh: $*" >&2; exit 1; }
say() { echo "sample: $*" >&2; }

[ $# -eq 1 ] && [ -n "${1%/}" ] || die "usage: make-sample.sh OUTDIR"

SELF=${BASH_SOURCE[0]}
HASH=$(sha256sum "$SELF" | cut -d' ' -f1)
OUT=${1%/}

complete() { [ -f "$OUT/.complete" ] && [ "$(cat "$OUT/.complete")" = "$HASH" ]; }
complete && exit 0

[ -f "$TARBALL" ] || die "$TARBALL is missing; install the Debian package linux-source-6.1 (apt-get install linux-source-6.1)"

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
		mainline.git | hmm.git | rdma.git | drm.git | mm.git | .work | .complete) ;;
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

# --- people (all fictional) ---------------------------------------------------
MAGNUS="Magnus Thorvald <magnus.thorvald@example.org>"   # mainline
CELIA="Celia Marchetti <celia.marchetti@example.com>"
BRAM="Bram Verhoeven <bram.verhoeven@example.com>"
ILSE="Ilse Marwood <ilse.marwood@example.org>"           # hmm topic maintainer
KASIMIR="Kasimir Odell <kasimir.odell@example.org>"
NOOR="Noor Haddadin <noor.haddadin@example.com>"
DARIO="Dario Fenwick <dario.fenwick@example.com>"
WREN="Wren Takahashi <wren.takahashi@example.com>"
SELMA="Selma Brandvold <selma.brandvold@example.org>"    # rdma maintainer
YUSUF="Yusuf Okonjo <yusuf.okonjo@example.com>"
GRETA="Greta Lindqvist <greta.lindqvist@example.com>"
TEODOR="Teodor Ashgrove <teodor.ashgrove@example.org>"   # drm maintainer
ONDINE="Ondine Rask <ondine.rask@example.com>"
HARUTO="Haruto Keene <haruto.keene@example.com>"
INES="Ines Valcourt <ines.valcourt@example.com>"
ROSALIND="Rosalind Vane <rosalind.vane@example.org>"     # mm maintainer
PIET="Piet Oosterhuis <piet.oosterhuis@example.com>"
ADAEZE="Adaeze Umeh <adaeze.umeh@example.com>"
LUKAS="Lukas Thornquist <lukas.thornquist@example.com>"

# --- helpers -------------------------------------------------------------------
g() { git -C "$WORK" "$@"; }

# commit AUTHOR AUTHOR_DATE COMMITTER COMMITTER_DATE < message
commit() {
	local a=${1%>} c=${3%>}
	GIT_AUTHOR_NAME=${a% <*} GIT_AUTHOR_EMAIL=${a##*<} GIT_AUTHOR_DATE=$2 \
	GIT_COMMITTER_NAME=${c% <*} GIT_COMMITTER_EMAIL=${c##*<} GIT_COMMITTER_DATE=$4 \
		git -C "$WORK" commit -q --no-verify --cleanup=whitespace -F -
}

# tag NAME TAGGER DATE MESSAGE
tag() {
	local t=${2%>}
	GIT_COMMITTER_NAME=${t% <*} GIT_COMMITTER_EMAIL=${t##*<} \
	GIT_COMMITTER_DATE=$3 \
		git -C "$WORK" tag -a "$1" -m "$4"
}

# apply < unified diff
apply() { git -C "$WORK" apply --index --whitespace=nowarn -; }

sha12() { git -C "$WORK" rev-parse HEAD | cut -c1-12; }

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

say "extracting linux 6.1 from $TARBALL ..."
mkdir -p "$WORK"
tar -xJf "$TARBALL" -C "$WORK" --strip-components=1 --no-same-owner
# Debian's .gitignore ends with a block that ignores everything at the top
# level; drop it. Debian also dropped upstream's exceptions for tracked
# dot-files (.mailmap, .clang-format, ...), so add with -f below.
perl -0pi -e 's/\n+#\n# Debian packaging:.*\z/\n/s' "$WORK/.gitignore"
grep -q 'Debian packaging' "$WORK/.gitignore" && die "could not strip the Debian block from .gitignore"

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
GIT_OBJECT_DIRECTORY=$OUT/mainline.git/objects commit "$MAGNUS" "2022-12-11 14:15:18 -0800" "$MAGNUS" "2022-12-11 14:15:18 -0800" <<'EOF'
Linux 6.1

This is Debian's linux-source-6.1 tree (6.1.192) imported as one root
commit; it stands in for the v6.1 release in the HmmCi sample.
EOF
echo "$OUT/mainline.git/objects" >"$WORK/.git/objects/info/alternates"
V61=$(g rev-parse HEAD)
git -C "$OUT/mainline.git" update-ref refs/heads/master "$V61"
GIT_OBJECT_DIRECTORY=$OUT/mainline.git/objects tag v6.1 "$MAGNUS" "2022-12-11 14:15:18 -0800" "Linux 6.1"
git -C "$OUT/mainline.git" update-ref refs/tags/v6.1 "$(g rev-parse v6.1)"

# --- mainline after v6.1 ----------------------------------------------------------
say "mainline: v6.1..v6.2-rc1 and one commit after it ..."
apply <<'EOF'
diff --git a/Documentation/virt/kvm/x86/running-nested-guests.rst b/Documentation/virt/kvm/x86/running-nested-guests.rst
index a27e676..48b4e00 100644
--- a/Documentation/virt/kvm/x86/running-nested-guests.rst
+++ b/Documentation/virt/kvm/x86/running-nested-guests.rst
@@ -169,7 +169,7 @@ Enabling "nested" (s390x)
     $ modprobe kvm nested=1
 
 .. note:: On s390x, the kernel parameter ``hpage`` is mutually exclusive
-          with the ``nested`` paramter — i.e. to be able to enable
+          with the ``nested`` parameter — i.e. to be able to enable
           ``nested``, the ``hpage`` parameter *must* be disabled.
 
 2. The guest hypervisor (L1) must be provided with the ``sie`` CPU
EOF
commit "$CELIA" "2022-12-13 09:12:40 +0100" "$MAGNUS" "2022-12-14 11:02:17 -0800" <<'EOF'
docs: kvm: fix a typo in running-nested-guests.rst

"paramter" should be "parameter".

Signed-off-by: Celia Marchetti <celia.marchetti@example.com>
Link: https://lists.example.org/r/20221213081240.3391-1-celia.marchetti@example.com
Signed-off-by: Magnus Thorvald <magnus.thorvald@example.org>
EOF

apply <<'EOF'
diff --git a/drivers/watchdog/davinci_wdt.c b/drivers/watchdog/davinci_wdt.c
index 584a568..16e5720 100644
--- a/drivers/watchdog/davinci_wdt.c
+++ b/drivers/watchdog/davinci_wdt.c
@@ -121,7 +121,7 @@ static unsigned int davinci_wdt_get_timeleft(struct watchdog_device *wdd)
 	u32 val;
 	struct davinci_wdt_device *davinci_wdt = watchdog_get_drvdata(wdd);
 
-	/* if timeout has occured then return 0 */
+	/* if timeout has occurred then return 0 */
 	val = ioread32(davinci_wdt->base + WDTCR);
 	if (val & WDFLAG)
 		return 0;
EOF
commit "$BRAM" "2022-12-15 17:45:03 +0100" "$MAGNUS" "2022-12-19 10:31:55 -0800" <<'EOF'
watchdog: davinci_wdt: fix a typo in a comment

Fix the spelling of "occurred" in davinci_wdt_get_timeleft().

Signed-off-by: Bram Verhoeven <bram.verhoeven@example.com>
Reviewed-by: Celia Marchetti <celia.marchetti@example.com>
Signed-off-by: Magnus Thorvald <magnus.thorvald@example.org>
EOF

apply <<'EOF'
diff --git a/Makefile b/Makefile
index 6b3297a..92e8aa0 100644
--- a/Makefile
+++ b/Makefile
@@ -1,8 +1,8 @@
 # SPDX-License-Identifier: GPL-2.0
 VERSION = 6
-PATCHLEVEL = 1
-SUBLEVEL = 192
-EXTRAVERSION =
+PATCHLEVEL = 2
+SUBLEVEL = 0
+EXTRAVERSION = -rc1
 NAME = Curry Ramen
 
 # *DOCUMENTATION*
EOF
commit "$MAGNUS" "2022-12-25 14:23:52 -0800" "$MAGNUS" "2022-12-25 14:23:52 -0800" <<'EOF'
Linux 6.2-rc1
EOF
tag v6.2-rc1 "$MAGNUS" "2022-12-25 14:24:10 -0800" "Linux 6.2-rc1"

apply <<'EOF'
diff --git a/Documentation/filesystems/caching/netfs-api.rst b/Documentation/filesystems/caching/netfs-api.rst
index 1d18e9d..6d9a14b 100644
--- a/Documentation/filesystems/caching/netfs-api.rst
+++ b/Documentation/filesystems/caching/netfs-api.rst
@@ -119,7 +119,7 @@ is provided.  If the coherency data doesn't match, the entire cache volume will
 be invalidated.
 
 This function can return errors such as EBUSY if the volume key is already in
-use by an acquired volume or ENOMEM if an allocation failure occured.  It may
+use by an acquired volume or ENOMEM if an allocation failure occurred.  It may
 also return a NULL volume cookie if fscache is not enabled.  It is safe to
 pass a NULL cookie to any function that takes a volume cookie.  This will
 cause that function to do nothing.
EOF
commit "$CELIA" "2022-12-28 10:05:21 +0100" "$MAGNUS" "2022-12-30 15:48:02 -0800" <<'EOF'
docs: netfs: fix a typo in netfs-api.rst

"occured" should be "occurred".

Signed-off-by: Celia Marchetti <celia.marchetti@example.com>
Signed-off-by: Magnus Thorvald <magnus.thorvald@example.org>
EOF
g push -q "$OUT/mainline.git" master:refs/heads/master refs/tags/v6.2-rc1:refs/tags/v6.2-rc1

# --- hmm: the topic tree ----------------------------------------------------------------
say "hmm: topic commits ..."
g checkout -q -b hmm "$V61"

# T1 -- situation 6 (bad Fixes: tag)
apply <<'EOF'
diff --git a/include/linux/hmm.h b/include/linux/hmm.h
index 126a365..54ee3e6 100644
--- a/include/linux/hmm.h
+++ b/include/linux/hmm.h
@@ -23,6 +23,9 @@ struct mmu_interval_notifier;
  * HMM_PFN_WRITE - if the page memory can be written to (requires HMM_PFN_VALID)
  * HMM_PFN_ERROR - accessing the pfn is impossible and the device should
  *                 fail. ie poisoned memory, special pages, no vma, etc
+ * HMM_PFN_ORDER_SHIFT - the five bits starting at this shift hold the
+ *                 order of the CPU mapping of the page, see
+ *                 hmm_pfn_to_map_order()
  *
  * On input:
  * 0                 - Return the current state of the page, do not fault it.
EOF
commit "$NOOR" "2023-01-03 10:15:12 +0100" "$ILSE" "2023-01-09 09:30:04 +0100" <<'EOF'
mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment

The comment above enum hmm_pfn_flags describes every output flag except
the order of the CPU mapping that hmm_range_fault() stores in the high
bits of each entry since huge mappings are reported. Driver authors
reading the array only learn about it by stumbling over
hmm_pfn_to_map_order().

Describe it next to the other output fields.

Fixes: 5e1b9a3c ("mm/hmm: add the mapping order to the hmm pfn flags")
Signed-off-by: Noor Haddadin <noor.haddadin@example.com>
Reviewed-by: Kasimir Odell <kasimir.odell@example.org>
Link: https://lists.example.org/r/20230103091512.1187-1-noor.haddadin@example.com
Signed-off-by: Ilse Marwood <ilse.marwood@example.org>
EOF

# T2 -- situation 4 (applied again as R1 in rdma for-next)
apply <<'EOF'
diff --git a/drivers/infiniband/core/umem_odp.c b/drivers/infiniband/core/umem_odp.c
index c48ef60..ef1a5bc 100644
--- a/drivers/infiniband/core/umem_odp.c
+++ b/drivers/infiniband/core/umem_odp.c
@@ -284,16 +284,16 @@ void ib_umem_odp_release(struct ib_umem_odp *umem_odp)
 }
 EXPORT_SYMBOL(ib_umem_odp_release);
 
-/*
- * Map for DMA and insert a single page into the on-demand paging page tables.
+/**
+ * ib_umem_odp_map_dma_single_page - Map for DMA and insert a single page into
+ *                                   the on-demand paging page tables.
  *
- * @umem: the umem to insert the page to.
+ * @umem_odp: the umem to insert the page to.
  * @dma_index: index in the umem to add the dma to.
  * @page: the page struct to map and add.
  * @access_mask: access permissions needed for this page.
  *
- * The function returns -EFAULT if the DMA mapping operation fails.
- *
+ * Return: 0 on success, -EFAULT if the DMA mapping operation fails.
  */
 static int ib_umem_odp_map_dma_single_page(
 		struct ib_umem_odp *umem_odp,
@@ -307,7 +307,7 @@ static int ib_umem_odp_map_dma_single_page(
 	if (*dma_addr) {
 		/*
 		 * If the page is already dma mapped it means it went through
-		 * a non-invalidating trasition, like read-only to writable.
+		 * a non-invalidating transition, like read-only to writable.
 		 * Resync the flags.
 		 */
 		*dma_addr = (*dma_addr & ODP_DMA_ADDR_MASK) | access_mask;
EOF
commit "$YUSUF" "2023-01-04 16:02:44 +0000" "$ILSE" "2023-01-09 09:31:47 +0100" <<'EOF'
RDMA/umem: fix the kernel-doc of ib_umem_odp_map_dma_single_page()

The comment above ib_umem_odp_map_dma_single_page() is not marked as
kernel-doc, documents a parameter that does not exist (@umem instead of
@umem_odp) and misspells "transition" further down. Fix all three and
describe the return value in the usual Return: section.

No functional change.

Signed-off-by: Yusuf Okonjo <yusuf.okonjo@example.com>
Link: https://lists.example.org/r/20230104160244.2214-1-yusuf.okonjo@example.com
Signed-off-by: Ilse Marwood <ilse.marwood@example.org>
EOF

# T3 -- situation 2 (semantic conflict with mm-unstable M1)
apply <<'EOF'
diff --git a/drivers/gpu/drm/nouveau/nouveau_svm.c b/drivers/gpu/drm/nouveau/nouveau_svm.c
index d0bff13..d74bd19 100644
--- a/drivers/gpu/drm/nouveau/nouveau_svm.c
+++ b/drivers/gpu/drm/nouveau/nouveau_svm.c
@@ -563,11 +563,10 @@ static void nouveau_hmm_convert_pfn(struct nouveau_drm *drm,
 	 * CPU mapping (e.g., a PUD sized compound page partially mapped with
 	 * a PMD sized page table entry).
 	 */
-	if (hmm_pfn_to_map_order(range->hmm_pfns[0])) {
+	if (hmm_pfn_to_map_shift(range->hmm_pfns[0]) > PAGE_SHIFT) {
 		unsigned long addr = args->p.addr;
 
-		args->p.page = hmm_pfn_to_map_order(range->hmm_pfns[0]) +
-				PAGE_SHIFT;
+		args->p.page = hmm_pfn_to_map_shift(range->hmm_pfns[0]);
 		args->p.size = 1UL << args->p.page;
 		args->p.addr &= ~(args->p.size - 1);
 		page -= (addr - args->p.addr) >> PAGE_SHIFT;
diff --git a/drivers/infiniband/core/umem_odp.c b/drivers/infiniband/core/umem_odp.c
index ef1a5bc..a505252 100644
--- a/drivers/infiniband/core/umem_odp.c
+++ b/drivers/infiniband/core/umem_odp.c
@@ -352,7 +352,7 @@ int ib_umem_odp_map_dma_and_lock(struct ib_umem_odp *umem_odp, u64 user_virt,
 	struct task_struct *owning_process  = NULL;
 	struct mm_struct *owning_mm = umem_odp->umem.owning_mm;
 	int pfn_index, dma_index, ret = 0, start_idx;
-	unsigned int page_shift, hmm_order, pfn_start_idx;
+	unsigned int page_shift, hmm_shift, pfn_start_idx;
 	unsigned long num_pfns, current_seq;
 	struct hmm_range range = {};
 	unsigned long timeout;
@@ -434,15 +434,15 @@ int ib_umem_odp_map_dma_and_lock(struct ib_umem_odp *umem_odp, u64 user_virt,
 				access_mask |= ODP_WRITE_ALLOWED_BIT;
 		}
 
-		hmm_order = hmm_pfn_to_map_order(range.hmm_pfns[pfn_index]);
+		hmm_shift = hmm_pfn_to_map_shift(range.hmm_pfns[pfn_index]);
 		/* If a hugepage was detected and ODP wasn't set for, the umem
 		 * page_shift will be used, the opposite case is an error.
 		 */
-		if (hmm_order + PAGE_SHIFT < page_shift) {
+		if (hmm_shift < page_shift) {
 			ret = -EINVAL;
 			ibdev_dbg(umem_odp->umem.ibdev,
-				  "%s: un-expected hmm_order %u, page_shift %u\n",
-				  __func__, hmm_order, page_shift);
+				  "%s: un-expected hmm_shift %u, page_shift %u\n",
+				  __func__, hmm_shift, page_shift);
 			break;
 		}
 
diff --git a/include/linux/hmm.h b/include/linux/hmm.h
index 54ee3e6..e8ce066 100644
--- a/include/linux/hmm.h
+++ b/include/linux/hmm.h
@@ -25,7 +25,7 @@ struct mmu_interval_notifier;
  *                 fail. ie poisoned memory, special pages, no vma, etc
  * HMM_PFN_ORDER_SHIFT - the five bits starting at this shift hold the
  *                 order of the CPU mapping of the page, see
- *                 hmm_pfn_to_map_order()
+ *                 hmm_pfn_to_map_shift()
  *
  * On input:
  * 0                 - Return the current state of the page, do not fault it.
@@ -64,9 +64,9 @@ static inline struct page *hmm_pfn_to_page(unsigned long hmm_pfn)
  * hmm_pfn_to_map_order() - return the CPU mapping size order
  *
  * This is optionally useful to optimize processing of the pfn result
- * array. It indicates that the page starts at the order aligned VA and is
- * 1<<order bytes long.  Every pfn within an high order page will have the
- * same pfn flags, both access protections and the map_order.  The caller must
+ * array. It indicates that the page starts at the shift aligned VA and is
+ * 1<<shift bytes long.  Every pfn within an high order page will have the
+ * same pfn flags, both access protections and the map_shift.  The caller must
  * be careful with edge cases as the start and end VA of the given page may
  * extend past the range used with hmm_range_fault().
  *
@@ -74,9 +74,9 @@ static inline struct page *hmm_pfn_to_page(unsigned long hmm_pfn)
  * mmu_interval_read_begin(). The caller must have tested for HMM_PFN_VALID
  * already.
  */
-static inline unsigned int hmm_pfn_to_map_order(unsigned long hmm_pfn)
+static inline unsigned int hmm_pfn_to_map_shift(unsigned long hmm_pfn)
 {
-	return (hmm_pfn >> HMM_PFN_ORDER_SHIFT) & 0x1F;
+	return ((hmm_pfn >> HMM_PFN_ORDER_SHIFT) & 0x1F) + PAGE_SHIFT;
 }
 
 /*
diff --git a/lib/test_hmm.c b/lib/test_hmm.c
index b0010b1..f1b6654 100644
--- a/lib/test_hmm.c
+++ b/lib/test_hmm.c
@@ -1126,9 +1126,9 @@ static void dmirror_mkentry(struct dmirror *dmirror, struct hmm_range *range,
 		*perm |= HMM_DMIRROR_PROT_WRITE;
 	else
 		*perm |= HMM_DMIRROR_PROT_READ;
-	if (hmm_pfn_to_map_order(entry) + PAGE_SHIFT == PMD_SHIFT)
+	if (hmm_pfn_to_map_shift(entry) == PMD_SHIFT)
 		*perm |= HMM_DMIRROR_PROT_PMD;
-	else if (hmm_pfn_to_map_order(entry) + PAGE_SHIFT == PUD_SHIFT)
+	else if (hmm_pfn_to_map_shift(entry) == PUD_SHIFT)
 		*perm |= HMM_DMIRROR_PROT_PUD;
 }
 
EOF
commit "$DARIO" "2023-01-05 11:40:05 -0500" "$ILSE" "2023-01-09 09:33:20 +0100" <<'EOF'
mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()

Every user of hmm_pfn_to_map_order() adds PAGE_SHIFT to the result
before doing anything with it: the HMM test driver compares it with
PMD_SHIFT and PUD_SHIFT, nouveau programs it as the GPU page size and
RDMA ODP checks it against the umem page shift.

Return the shift of the CPU mapping directly, so that callers cannot
forget the addition any more, and convert all users.

No functional change.

Cc: Selma Brandvold <selma.brandvold@example.org>
Cc: Teodor Ashgrove <teodor.ashgrove@example.org>
Signed-off-by: Dario Fenwick <dario.fenwick@example.com>
Reviewed-by: Kasimir Odell <kasimir.odell@example.org>
Acked-by: Selma Brandvold <selma.brandvold@example.org>
Link: https://lists.example.org/r/20230105164005.3120-2-dario.fenwick@example.com
Signed-off-by: Ilse Marwood <ilse.marwood@example.org>
EOF
T3_SHA=$(sha12)

# T4 -- situation 1 (textual conflict with drm-next D1)
apply <<'EOF'
diff --git a/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c b/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c
index 031b6d9..4081ddd 100644
--- a/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c
+++ b/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c
@@ -199,9 +199,7 @@ int amdgpu_hmm_range_get_pages(struct mmu_interval_notifier *notifier,
 	hmm_range->end = start + npages * PAGE_SIZE;
 	hmm_range->dev_private_owner = owner;
 
-	/* Assuming 512MB takes maxmium 1 second to fault page address */
-	timeout = max(npages >> 17, 1ULL) * HMM_RANGE_DEFAULT_TIMEOUT;
-	timeout = jiffies + msecs_to_jiffies(timeout);
+	timeout = hmm_range_timeout(hmm_range);
 
 retry:
 	hmm_range->notifier_seq = mmu_interval_read_begin(notifier);
diff --git a/include/linux/hmm.h b/include/linux/hmm.h
index e8ce066..62fc409 100644
--- a/include/linux/hmm.h
+++ b/include/linux/hmm.h
@@ -9,6 +9,7 @@
 #ifndef LINUX_HMM_H
 #define LINUX_HMM_H
 
+#include <linux/jiffies.h>
 #include <linux/mm.h>
 
 struct mmu_interval_notifier;
@@ -116,4 +117,22 @@ int hmm_range_fault(struct hmm_range *range);
  */
 #define HMM_RANGE_DEFAULT_TIMEOUT 1000
 
+/*
+ * hmm_range_timeout() - deadline for retrying hmm_range_fault() on -EBUSY
+ * @range: the range that is about to be faulted
+ *
+ * Faulting in a large range can legitimately take longer than
+ * HMM_RANGE_DEFAULT_TIMEOUT. Allow one second per 2^17 pages (512MiB with
+ * 4KiB pages), and never less than HMM_RANGE_DEFAULT_TIMEOUT.
+ *
+ * Returns the deadline in jiffies, to be checked with time_after().
+ */
+static inline unsigned long hmm_range_timeout(const struct hmm_range *range)
+{
+	unsigned long npages = (range->end - range->start) >> PAGE_SHIFT;
+
+	return jiffies + msecs_to_jiffies(max(npages >> 17, 1UL) *
+					  HMM_RANGE_DEFAULT_TIMEOUT);
+}
+
 #endif /* LINUX_HMM_H */
EOF
commit "$WREN" "2023-01-06 08:55:31 +0900" "$ILSE" "2023-01-10 14:12:09 +0100" <<'EOF'
mm/hmm: add hmm_range_timeout() and use it in amdgpu

amdgpu scales the time it allows hmm_range_fault() to keep returning
-EBUSY with the size of the range, on the assumption that faulting in
512MiB takes at most one second. Every other user gives up after a flat
HMM_RANGE_DEFAULT_TIMEOUT however large the range is.

Move the amdgpu heuristic into a helper next to
HMM_RANGE_DEFAULT_TIMEOUT so that other drivers can use it, and convert
amdgpu. The remaining users fault in a handful of pages at a time and
are left alone.

Cc: Teodor Ashgrove <teodor.ashgrove@example.org>
Signed-off-by: Wren Takahashi <wren.takahashi@example.com>
Reviewed-by: Kasimir Odell <kasimir.odell@example.org>
Link: https://lists.example.org/r/20230105235531.4410-1-wren.takahashi@example.com
Signed-off-by: Ilse Marwood <ilse.marwood@example.org>
EOF

# T5 -- situation 7 (selftest regression: off-by-one in dmirror_do_read())
apply <<'EOF'
diff --git a/lib/test_hmm.c b/lib/test_hmm.c
index f1b6654..2b6529a 100644
--- a/lib/test_hmm.c
+++ b/lib/test_hmm.c
@@ -409,12 +409,12 @@ static int dmirror_fault(struct dmirror *dmirror, unsigned long start,
 static int dmirror_do_read(struct dmirror *dmirror, unsigned long start,
 			   unsigned long end, struct dmirror_bounce *bounce)
 {
-	unsigned long pfn;
+	unsigned long pfn, last = PFN_DOWN(end - 1);
 	void *ptr;
 
 	ptr = bounce->ptr + ((start - bounce->addr) & PAGE_MASK);
 
-	for (pfn = start >> PAGE_SHIFT; pfn < (end >> PAGE_SHIFT); pfn++) {
+	for (pfn = PFN_DOWN(start); pfn < last; pfn++) {
 		void *entry;
 		struct page *page;
 		void *tmp;
@@ -458,7 +458,7 @@ static int dmirror_read(struct dmirror *dmirror, struct hmm_dmirror_cmd *cmd)
 		if (ret != -ENOENT)
 			break;
 
-		start = cmd->addr + (bounce.cpages << PAGE_SHIFT);
+		start = cmd->addr + PFN_PHYS(bounce.cpages);
 		ret = dmirror_fault(dmirror, start, end, false);
 		if (ret)
 			break;
@@ -478,12 +478,12 @@ static int dmirror_read(struct dmirror *dmirror, struct hmm_dmirror_cmd *cmd)
 static int dmirror_do_write(struct dmirror *dmirror, unsigned long start,
 			    unsigned long end, struct dmirror_bounce *bounce)
 {
-	unsigned long pfn;
+	unsigned long pfn, last = PFN_DOWN(end - 1);
 	void *ptr;
 
 	ptr = bounce->ptr + ((start - bounce->addr) & PAGE_MASK);
 
-	for (pfn = start >> PAGE_SHIFT; pfn < (end >> PAGE_SHIFT); pfn++) {
+	for (pfn = PFN_DOWN(start); pfn <= last; pfn++) {
 		void *entry;
 		struct page *page;
 		void *tmp;
@@ -532,7 +532,7 @@ static int dmirror_write(struct dmirror *dmirror, struct hmm_dmirror_cmd *cmd)
 		if (ret != -ENOENT)
 			break;
 
-		start = cmd->addr + (bounce.cpages << PAGE_SHIFT);
+		start = cmd->addr + PFN_PHYS(bounce.cpages);
 		ret = dmirror_fault(dmirror, start, end, true);
 		if (ret)
 			break;
EOF
commit "$DARIO" "2023-01-10 19:03:58 -0500" "$ILSE" "2023-01-11 10:20:36 +0100" <<'EOF'
lib/test_hmm: use PFN helpers in the bounce buffer copy loops

dmirror_do_read() and dmirror_do_write() convert addresses to pfns with
open-coded shifts and recompute the end pfn on every iteration of their
copy loops. Use PFN_DOWN() and PFN_PHYS() instead, and compute the last
pfn of the range once before the loop, which also makes the two loops
easier to compare with each other.

No functional change intended.

Signed-off-by: Dario Fenwick <dario.fenwick@example.com>
Link: https://lists.example.org/r/20230111000358.5022-1-dario.fenwick@example.com
Signed-off-by: Ilse Marwood <ilse.marwood@example.org>
EOF

# T6 -- situation 5 (no Signed-off-by); its Fixes: tag is correct
apply <<'EOF'
diff --git a/include/linux/hmm.h b/include/linux/hmm.h
index 62fc409..72298cb 100644
--- a/include/linux/hmm.h
+++ b/include/linux/hmm.h
@@ -62,7 +62,7 @@ static inline struct page *hmm_pfn_to_page(unsigned long hmm_pfn)
 }
 
 /*
- * hmm_pfn_to_map_order() - return the CPU mapping size order
+ * hmm_pfn_to_map_shift() - return the CPU mapping size shift
  *
  * This is optionally useful to optimize processing of the pfn result
  * array. It indicates that the page starts at the shift aligned VA and is
EOF
commit "$ILSE" "2023-01-12 16:41:27 +0100" "$ILSE" "2023-01-12 16:41:27 +0100" <<EOF
mm/hmm: fix the comment above hmm_pfn_to_map_shift()

The conversion to hmm_pfn_to_map_shift() updated the body of the
comment above the helper but left the old name and "order" in its
first line.

Fixes: $T3_SHA ("mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()")
Reported-by: Kasimir Odell <kasimir.odell@example.org>
EOF

# --- rdma for-next ------------------------------------------------------------------------------
say "rdma: for-next ..."
g checkout -q -b for-next "$V61"

apply <<'EOF'
diff --git a/drivers/infiniband/ulp/iser/iscsi_iser.c b/drivers/infiniband/ulp/iser/iscsi_iser.c
index 620ae5b..d77a01d 100644
--- a/drivers/infiniband/ulp/iser/iscsi_iser.c
+++ b/drivers/infiniband/ulp/iser/iscsi_iser.c
@@ -391,12 +391,12 @@ static void iscsi_iser_cleanup_task(struct iscsi_task *task)
 /**
  * iscsi_iser_check_protection() - check protection information status of task.
  * @task:     iscsi task
- * @sector:   error sector if exsists (output)
+ * @sector:   error sector if it exists (output)
  *
- * Return: zero if no data-integrity errors have occured
- *         0x1: data-integrity error occured in the guard-block
- *         0x2: data-integrity error occured in the reference tag
- *         0x3: data-integrity error occured in the application tag
+ * Return: zero if no data-integrity errors have occurred
+ *         0x1: data-integrity error occurred in the guard-block
+ *         0x2: data-integrity error occurred in the reference tag
+ *         0x3: data-integrity error occurred in the application tag
  *
  *         In addition the error sector is marked.
  */
@@ -502,7 +502,7 @@ static int iscsi_iser_conn_bind(struct iscsi_cls_session *cls_session,
  * iscsi_iser_conn_start() - start iscsi-iser connection
  * @cls_conn: iscsi class connection
  *
- * Notes: Here iser intialize (or re-initialize) stop_completion as
+ * Notes: Here iser initializes (or re-initializes) stop_completion as
  *        from this point iscsi must call conn_stop in session/connection
  *        teardown so iser transport must wait for it.
  */
EOF
commit "$GRETA" "2023-01-02 13:27:50 +0100" "$SELMA" "2023-01-10 12:05:44 +0200" <<'EOF'
IB/iser: fix spelling mistakes in comments

Fix "exsists", "occured" and "intialize" in the comments of
iscsi_iser_check_protection() and iscsi_iser_conn_bind().

Signed-off-by: Greta Lindqvist <greta.lindqvist@example.com>
Link: https://lists.example.org/r/20230102122750.1650-1-greta.lindqvist@example.com
Signed-off-by: Selma Brandvold <selma.brandvold@example.org>
EOF

# R1 -- situation 4: the same patch as topic commit T2
apply <<'EOF'
diff --git a/drivers/infiniband/core/umem_odp.c b/drivers/infiniband/core/umem_odp.c
index c48ef60..ef1a5bc 100644
--- a/drivers/infiniband/core/umem_odp.c
+++ b/drivers/infiniband/core/umem_odp.c
@@ -284,16 +284,16 @@ void ib_umem_odp_release(struct ib_umem_odp *umem_odp)
 }
 EXPORT_SYMBOL(ib_umem_odp_release);
 
-/*
- * Map for DMA and insert a single page into the on-demand paging page tables.
+/**
+ * ib_umem_odp_map_dma_single_page - Map for DMA and insert a single page into
+ *                                   the on-demand paging page tables.
  *
- * @umem: the umem to insert the page to.
+ * @umem_odp: the umem to insert the page to.
  * @dma_index: index in the umem to add the dma to.
  * @page: the page struct to map and add.
  * @access_mask: access permissions needed for this page.
  *
- * The function returns -EFAULT if the DMA mapping operation fails.
- *
+ * Return: 0 on success, -EFAULT if the DMA mapping operation fails.
  */
 static int ib_umem_odp_map_dma_single_page(
 		struct ib_umem_odp *umem_odp,
@@ -307,7 +307,7 @@ static int ib_umem_odp_map_dma_single_page(
 	if (*dma_addr) {
 		/*
 		 * If the page is already dma mapped it means it went through
-		 * a non-invalidating trasition, like read-only to writable.
+		 * a non-invalidating transition, like read-only to writable.
 		 * Resync the flags.
 		 */
 		*dma_addr = (*dma_addr & ODP_DMA_ADDR_MASK) | access_mask;
EOF
commit "$YUSUF" "2023-01-04 16:02:44 +0000" "$SELMA" "2023-01-11 14:20:03 +0200" <<'EOF'
RDMA/umem: fix the kernel-doc of ib_umem_odp_map_dma_single_page()

The comment above ib_umem_odp_map_dma_single_page() is not marked as
kernel-doc, documents a parameter that does not exist (@umem instead of
@umem_odp) and misspells "transition" further down. Fix all three and
describe the return value in the usual Return: section.

No functional change.

Signed-off-by: Yusuf Okonjo <yusuf.okonjo@example.com>
Link: https://lists.example.org/r/20230104160244.2214-1-yusuf.okonjo@example.com
Signed-off-by: Selma Brandvold <selma.brandvold@example.org>
EOF

apply <<'EOF'
diff --git a/drivers/infiniband/hw/qib/qib_iba7220.c b/drivers/infiniband/hw/qib/qib_iba7220.c
index 6af5706..65b0d9c 100644
--- a/drivers/infiniband/hw/qib/qib_iba7220.c
+++ b/drivers/infiniband/hw/qib/qib_iba7220.c
@@ -2721,7 +2721,7 @@ static u32 qib_7220_hdrqempty(struct qib_ctxtdata *rcd)
 /*
  * Modify the RCVCTRL register in chip-specific way. This
  * is a function because bit positions and (future) register
- * location is chip-specifc, but the needed operations are
+ * location is chip-specific, but the needed operations are
  * generic. <op> is a bit-mask because we often want to
  * do multiple modifications.
  */
diff --git a/drivers/infiniband/hw/qib/qib_iba7322.c b/drivers/infiniband/hw/qib/qib_iba7322.c
index 9d2dd13..417f790 100644
--- a/drivers/infiniband/hw/qib/qib_iba7322.c
+++ b/drivers/infiniband/hw/qib/qib_iba7322.c
@@ -4450,7 +4450,7 @@ static u32 qib_7322_hdrqempty(struct qib_ctxtdata *rcd)
 /*
  * Modify the RCVCTRL register in chip-specific way. This
  * is a function because bit positions and (future) register
- * location is chip-specifc, but the needed operations are
+ * location is chip-specific, but the needed operations are
  * generic. <op> is a bit-mask because we often want to
  * do multiple modifications.
  */
diff --git a/drivers/infiniband/hw/qib/qib_sd7220.c b/drivers/infiniband/hw/qib/qib_sd7220.c
index c475808..7a492fe 100644
--- a/drivers/infiniband/hw/qib/qib_sd7220.c
+++ b/drivers/infiniband/hw/qib/qib_sd7220.c
@@ -1119,7 +1119,7 @@ static int qib_sd_setvals(struct qib_devdata *dd)
  * be the location in some channel of the register to be modified
  * The caller can specify use of the "gang write" option of EPB,
  * in which case we use the specified channel data for any fields
- * not explicitely written.
+ * not explicitly written.
  */
 static int ibsd_mod_allchnls(struct qib_devdata *dd, int loc, int val,
 			     int mask)
EOF
commit "$SELMA" "2023-01-12 09:14:26 +0200" "$SELMA" "2023-01-12 09:14:26 +0200" <<'EOF'
IB/qib: fix spelling mistakes in comments

"explicitely" and "chip-specifc" are misspelled in qib_sd7220.c,
qib_iba7220.c and qib_iba7322.c.

Signed-off-by: Selma Brandvold <selma.brandvold@example.org>
EOF

# --- drm drm-next -----------------------------------------------------------------------------
say "drm: drm-next ..."
g checkout -q -b drm-next "$V61"

# D1 -- situation 1: same lines as topic commit T4
apply <<'EOF'
diff --git a/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c b/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c
index 031b6d9..d0aa400 100644
--- a/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c
+++ b/drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c
@@ -199,8 +199,12 @@ int amdgpu_hmm_range_get_pages(struct mmu_interval_notifier *notifier,
 	hmm_range->end = start + npages * PAGE_SIZE;
 	hmm_range->dev_private_owner = owner;
 
-	/* Assuming 512MB takes maxmium 1 second to fault page address */
-	timeout = max(npages >> 17, 1ULL) * HMM_RANGE_DEFAULT_TIMEOUT;
+	/*
+	 * Faulting in 512MB per second turned out to be too optimistic for
+	 * userptrs backed by small pages on a loaded system. Assume 64MB per
+	 * second, which is what we measured in the worst case.
+	 */
+	timeout = max(npages >> 14, 1ULL) * HMM_RANGE_DEFAULT_TIMEOUT;
 	timeout = jiffies + msecs_to_jiffies(timeout);
 
 retry:
EOF
commit "$ONDINE" "2023-01-03 15:48:19 -0500" "$TEODOR" "2023-01-06 18:30:12 +1000" <<'EOF'
drm/amdgpu: allow more time to fault in large userptr ranges

amdgpu_hmm_range_get_pages() gives hmm_range_fault() one second per
512MB of userptr range before it stops retrying on -EBUSY. With small
pages and a busy system, faulting in a 2GB userptr BO regularly takes
longer than that, and the command submission then fails with -EBUSY.

Assume 64MB per second instead, which covers the slowest case we have
measured with some margin.

Signed-off-by: Ondine Rask <ondine.rask@example.com>
Reviewed-by: Haruto Keene <haruto.keene@example.com>
Link: https://lists.example.org/r/20230103204819.2871-1-ondine.rask@example.com
Signed-off-by: Teodor Ashgrove <teodor.ashgrove@example.org>
EOF

apply <<'EOF'
diff --git a/drivers/gpu/drm/amd/amdgpu/amdgpu_ctx.c b/drivers/gpu/drm/amd/amdgpu/amdgpu_ctx.c
index 9663da2..afa35d1 100644
--- a/drivers/gpu/drm/amd/amdgpu/amdgpu_ctx.c
+++ b/drivers/gpu/drm/amd/amdgpu/amdgpu_ctx.c
@@ -546,7 +546,7 @@ static int amdgpu_ctx_query(struct amdgpu_device *adev,
 	out->state.flags = 0x0;
 	out->state.hangs = 0x0;
 
-	/* determine if a GPU reset has occured since the last call */
+	/* determine if a GPU reset has occurred since the last call */
 	reset_counter = atomic_read(&adev->gpu_reset_counter);
 	/* TODO: this should ideally return NO, GUILTY, or INNOCENT. */
 	if (ctx->reset_counter_query == reset_counter)
@@ -962,7 +962,7 @@ void amdgpu_ctx_mgr_usage(struct amdgpu_ctx_mgr *mgr,
 	/*
 	 * This is a little bit racy because it can be that a ctx or a fence are
 	 * destroyed just in the moment we try to account them. But that is ok
-	 * since exactly that case is explicitely allowed by the interface.
+	 * since exactly that case is explicitly allowed by the interface.
 	 */
 	mutex_lock(&mgr->lock);
 	for (hw_ip = 0; hw_ip < AMDGPU_HW_IP_NUM; ++hw_ip) {
diff --git a/drivers/gpu/drm/amd/amdgpu/amdgpu_ids.c b/drivers/gpu/drm/amd/amdgpu/amdgpu_ids.c
index bef38e0..77aa24f 100644
--- a/drivers/gpu/drm/amd/amdgpu/amdgpu_ids.c
+++ b/drivers/gpu/drm/amd/amdgpu/amdgpu_ids.c
@@ -161,12 +161,12 @@ void amdgpu_pasid_free_delayed(struct dma_resv *resv,
  */
 
 /**
- * amdgpu_vmid_had_gpu_reset - check if reset occured since last use
+ * amdgpu_vmid_had_gpu_reset - check if reset occurred since last use
  *
  * @adev: amdgpu_device pointer
  * @id: VMID structure
  *
- * Check if GPU reset occured since last use of the VMID.
+ * Check if GPU reset occurred since last use of the VMID.
  */
 bool amdgpu_vmid_had_gpu_reset(struct amdgpu_device *adev,
 			       struct amdgpu_vmid *id)
diff --git a/drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c b/drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c
index 3f2b0f1..8da2d6d 100644
--- a/drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c
+++ b/drivers/gpu/drm/amd/amdgpu/amdgpu_vm.c
@@ -337,7 +337,7 @@ void amdgpu_vm_move_to_lru_tail(struct amdgpu_device *adev,
  * @validate: callback to do the validation
  * @param: parameter for the validation callback
  *
- * Validate the page table BOs on command submission if neccessary.
+ * Validate the page table BOs on command submission if necessary.
  *
  * Returns:
  * Validation result.
EOF
commit "$HARUTO" "2023-01-04 11:20:07 +0900" "$TEODOR" "2023-01-06 18:31:40 +1000" <<'EOF'
drm/amdgpu: fix spelling mistakes in comments

Fix "occured", "explicitely" and "neccessary" in amdgpu_ids.c,
amdgpu_ctx.c and amdgpu_vm.c.

Signed-off-by: Haruto Keene <haruto.keene@example.com>
Link: https://lists.example.org/r/20230104022007.1932-1-haruto.keene@example.com
Signed-off-by: Teodor Ashgrove <teodor.ashgrove@example.org>
EOF

apply <<'EOF'
diff --git a/drivers/gpu/drm/nouveau/nouveau_bios.c b/drivers/gpu/drm/nouveau/nouveau_bios.c
index 48cf593..ecbd8fb 100644
--- a/drivers/gpu/drm/nouveau/nouveau_bios.c
+++ b/drivers/gpu/drm/nouveau/nouveau_bios.c
@@ -326,7 +326,7 @@ get_fp_strap(struct drm_device *dev, struct nvbios *bios)
 	/*
 	 * The fp strap is normally dictated by the "User Strap" in
 	 * PEXTDEV_BOOT_0[20:16], but on BMP cards when bit 2 of the
-	 * Internal_Flags struct at 0x48 is set, the user strap gets overriden
+	 * Internal_Flags struct at 0x48 is set, the user strap gets overridden
 	 * by the PCI subsystem ID during POST, but not before the previous user
 	 * strap has been committed to CR58 for CR57=0xf on head A, which may be
 	 * read and used instead
diff --git a/drivers/gpu/drm/nouveau/nouveau_fbcon.c b/drivers/gpu/drm/nouveau/nouveau_fbcon.c
index 3c7e0c9..152fff7 100644
--- a/drivers/gpu/drm/nouveau/nouveau_fbcon.c
+++ b/drivers/gpu/drm/nouveau/nouveau_fbcon.c
@@ -482,7 +482,7 @@ nouveau_fbcon_set_suspend(struct drm_device *dev, int state)
 	drm->fbcon_new_state = state;
 	/* Since runtime resume can happen as a result of a sysfs operation,
 	 * it's possible we already have the console locked. So handle fbcon
-	 * init/deinit from a seperate work thread
+	 * init/deinit from a separate work thread
 	 */
 	schedule_work(&drm->fbcon_work);
 }
EOF
commit "$INES" "2023-01-05 09:02:33 +0000" "$TEODOR" "2023-01-09 10:11:58 +1000" <<'EOF'
drm/nouveau: fix spelling mistakes in comments

"overriden" and "seperate" should be "overridden" and "separate".

Signed-off-by: Ines Valcourt <ines.valcourt@example.com>
Reviewed-by: Teodor Ashgrove <teodor.ashgrove@example.org>
Signed-off-by: Teodor Ashgrove <teodor.ashgrove@example.org>
EOF

# --- mm mm-unstable -----------------------------------------------------------------------------
say "mm: mm-unstable ..."
g checkout -q -b mm-unstable "$V61"

# M1 -- situation 2: a new user of the API that topic commit T3 removes
apply <<'EOF'
diff --git a/lib/test_hmm.c b/lib/test_hmm.c
index b0010b1..19c547c 100644
--- a/lib/test_hmm.c
+++ b/lib/test_hmm.c
@@ -274,6 +274,14 @@ static int dmirror_do_fault(struct dmirror *dmirror, struct hmm_range *range)
 		page = hmm_pfn_to_page(*pfns);
 		WARN_ON(!page);
 
+		/*
+		 * A device private page is only ever mapped by a device
+		 * private swap entry at PTE level, so hmm_range_fault() must
+		 * never report a higher mapping order for it.
+		 */
+		WARN_ON(is_device_private_page(page) &&
+			hmm_pfn_to_map_order(*pfns));
+
 		entry = page;
 		if (*pfns & HMM_PFN_WRITE)
 			entry = xa_tag_pointer(entry, DPT_XA_TAG_WRITE);
EOF
commit "$PIET" "2023-01-05 14:31:09 +0100" "$ROSALIND" "2023-01-08 17:52:30 -0800" <<'EOF'
mm/hmm/test: check that device private pages are mapped at PTE level

A device private page is only ever mapped by a device private swap
entry in a PTE; there is no PMD level equivalent. If hmm_range_fault()
ever reported a higher mapping order for one, the mirror would map
memory that does not belong to the page.

Warn about it in dmirror_do_fault(), so that the selftests catch it.

Link: https://lists.example.org/r/20230105133109.2240-1-piet.oosterhuis@example.com
Signed-off-by: Piet Oosterhuis <piet.oosterhuis@example.com>
Cc: Noor Haddadin <noor.haddadin@example.com>
Cc: Ilse Marwood <ilse.marwood@example.org>
Signed-off-by: Rosalind Vane <rosalind.vane@example.org>
EOF

apply <<'EOF'
diff --git a/mm/memcontrol.c b/mm/memcontrol.c
index e270dae..799b8ee 100644
--- a/mm/memcontrol.c
+++ b/mm/memcontrol.c
@@ -7689,7 +7689,7 @@ static struct cftype memsw_files[] = {
  *
  * This doesn't check for specific headroom, and it is not atomic
  * either. But with zswap, the size of the allocation is only known
- * once compression has occured, and this optimistic pre-check avoids
+ * once compression has occurred, and this optimistic pre-check avoids
  * spending cycles on compression when there is already no room left
  * or zswap is disabled altogether somewhere in the hierarchy.
  */
EOF
commit "$ADAEZE" "2023-01-06 20:14:45 +0100" "$ROSALIND" "2023-01-08 17:53:02 -0800" <<'EOF'
mm/memcontrol: fix a typo in the zswap limit comment

"occured" should be "occurred".

Link: https://lists.example.org/r/20230106191445.1180-1-adaeze.umeh@example.com
Signed-off-by: Adaeze Umeh <adaeze.umeh@example.com>
Signed-off-by: Rosalind Vane <rosalind.vane@example.org>
EOF

apply <<'EOF'
diff --git a/Documentation/mm/hmm.rst b/Documentation/mm/hmm.rst
index f2a59ed..95d0d91 100644
--- a/Documentation/mm/hmm.rst
+++ b/Documentation/mm/hmm.rst
@@ -202,7 +202,7 @@ The usage pattern is::
       mmap_read_unlock(mm);
 
       take_lock(driver->update);
-      if (mmu_interval_read_retry(&ni, range.notifier_seq) {
+      if (mmu_interval_read_retry(&interval_sub, range.notifier_seq)) {
           release_lock(driver->update);
           goto again;
       }
@@ -240,7 +240,7 @@ which it wants to have write permission. Now driver set::
 
     range->default_flags = HMM_PFN_REQ_FAULT;
     range->pfn_flags_mask = HMM_PFN_REQ_WRITE;
-    range->pfns[index_of_write] = HMM_PFN_REQ_WRITE;
+    range->hmm_pfns[index_of_write] = HMM_PFN_REQ_WRITE;
 
 With this, HMM will fault in all pages with at least read (i.e., valid) and for the
 address == range->start + (index_of_write << PAGE_SHIFT) it will fault with
EOF
commit "$LUKAS" "2023-01-07 11:38:16 +0100" "$ROSALIND" "2023-01-10 13:07:44 -0800" <<'EOF'
Documentation/mm/hmm: fix the example code

The usage example passes an undeclared 'ni' to
mmu_interval_read_retry() and misses a closing parenthesis, and the
default_flags example still uses the pfns field that was renamed to
hmm_pfns.

Link: https://lists.example.org/r/20230107103816.2602-1-lukas.thornquist@example.com
Signed-off-by: Lukas Thornquist <lukas.thornquist@example.com>
Reviewed-by: Noor Haddadin <noor.haddadin@example.com>
Signed-off-by: Rosalind Vane <rosalind.vane@example.org>
EOF

# --- publish -----------------------------------------------------------------------------------
say "pushing the branches ..."
for spec in hmm:hmm rdma:for-next drm:drm-next mm:mm-unstable; do
	repo=${spec%%:*} branch=${spec#*:}
	new_bare "$repo" "$branch"
	g push -q "$OUT/$repo.git" "$branch:refs/heads/$branch"
done

for spec in mainline:master hmm:hmm rdma:for-next drm:drm-next mm:mm-unstable; do
	repo=${spec%%:*} branch=${spec#*:}
	[ "$(git -C "$OUT/$repo.git" for-each-ref --format='%(refname)' refs/heads)" = "refs/heads/$branch" ] ||
		die "$repo.git does not hold exactly refs/heads/$branch"
	[ "$(git -C "$OUT/$repo.git" rev-parse "refs/heads/$branch")" = "$(g rev-parse "refs/heads/$branch")" ] ||
		die "$repo.git $branch is not what was built"
	say "$repo.git $branch $(g rev-parse "refs/heads/$branch")"
done

# Pack the ~80k loose objects of the import: without delta search this takes
# about 20 s, and it makes a first `git fetch` of the sample several times
# faster (and the sample half the size) than serving them loose.
say "packing mainline.git (no delta search) ..."
git -C "$OUT/mainline.git" -c pack.compression=1 repack -a -d -q --window=0

rm -rf "$WORK"
echo "$HASH" >"$OUT/.complete"
say "done: $OUT"
