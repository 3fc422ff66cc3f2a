// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: address spaces.
 *
 * An mm is an object: threads, and processes created with CLONE_VM,
 * share one record.  It is written as its layout (code, data, brk,
 * stack, arguments, environment, auxiliary vector, executable), one
 * record per VMA, and after each VMA the pages saved for it.
 *
 * Pages saved: those that exist and hold data the mapping's file (if
 * any) does not.  Never touched pages and pages that still map the zero
 * page are skipped, as in a core dump (FOLL_DUMP), and swapped out
 * pages are read back in.  Pages of a private file mapping that were
 * never written are the file's and are not saved, nor are those of a
 * shared file mapping, nor those of a mapping marked MADV_DONTDUMP,
 * which a program uses to keep secrets or caches out of the image.
 *
 * Shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS) is a shmem file
 * that each of its mappings holds, in every process that inherited it:
 * an object of its own, written before the first mm that maps it, with
 * its pages (holes left as holes, those that mm's mappings marked
 * MADV_DONTDUMP cover left out).  Restart makes one shmem file and maps
 * it wherever it was mapped, so that the processes share it again.
 *
 * A memfd is a shmem file of its own, with a name and seals, which its
 * open files (what memfd_create(2) returned, reopens through /proc) and
 * its mappings share: its inode is an object, written before the first
 * file or mm that uses it, with all its pages.  Restart makes a memfd
 * as memfd_create(2) would, fills it, then seals it; its files are
 * opened on it and its mappings map it.
 *
 * A regular file that was unlinked while open or mapped, the executable
 * too, has no path to be reopened by: it is saved as a memfd is, with
 * the pages of its contents that are not zero (read through its page
 * cache, or as shmem pages on tmpfs), and restarts as an unlinked tmpfs
 * file of the same name, which its files and mappings share again.
 *
 * Private anonymous memory of huge pages (MAP_HUGETLB) is saved as
 * anonymous memory is, by base pages, the page size with the mapping,
 * and mapped again so at restart, which needs huge pages in the pool.
 * Shared anonymous memory of huge pages is an object as shared
 * anonymous memory is, its hugetlbfs file with the huge pages it holds,
 * made again with the same reservation as mmap(2) makes.
 *
 * A shared mapping of a file of a hugetlbfs mount is a shared file
 * mapping: its pages are the file's.
 *
 * So is a hugetlb memfd, as other memfds are, with its huge pages.
 *
 * Refused, naming the mapping: private mappings of a hugetlbfs file or
 * memfd, device (VM_IO, VM_PFNMAP) and special mappings other than the
 * vDSO.
 *
 * Locks: the mmap lock of the saved mm is held (read) to copy its VMAs
 * and to look up each run of pages, never while writing the image: a
 * write to a pipe or file may take the mmap lock of the writer.  The
 * tasks using the mm are held still, so it does not change meanwhile.
 *
 * Restart checks the layout, every VMA and every page run: ranges page
 * aligned, in user space, in order and not overlapping, pages inside
 * their mapping and only for mappings whose pages are saved.
 *
 * Restart reads saved pages straight into the pages of the mapping:
 * one copy.  A fault in private anonymous memory would zero a new page
 * first, then the record would be copied over it: twice the writes (in
 * a private file mapping, the file's page would be read and copied).
 * There, new pages are filled from the image unzeroed instead, and
 * mapped as a fault would map them, a page table at a time.  Where
 * transparent huge pages back it (as a fault there would make one), a
 * new huge page is filled from the records of its 2 MiB, what they
 * leave out zeroed, and mapped whole.
 */

#include <linux/checkpoint.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/log2.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/memfd.h>
#include <linux/memcontrol.h>
#include <linux/mman.h>
#include <linux/namei.h>
#include <linux/oom.h>
#include <linux/pagemap.h>
#include <linux/pagewalk.h>
#include <linux/pgalloc.h>
#include <linux/pid_namespace.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/syscalls.h>
#include <linux/userfaultfd_k.h>

#include "internal.h"

static void ckpt_mm_grab(void *ptr)
{
	mmget(ptr);
}

static void ckpt_mm_drop(void *ptr)
{
	mmput(ptr);
}

static void ckpt_mm_release(void *ptr)
{
	kfree(ptr);
}

/*
 * A shared mapping is VM_MAYSHARE.  mmap(2) clears VM_SHARED (and
 * VM_MAYWRITE) of one whose file is not open for writing, a read-only
 * SysV attachment say: it is still shared, and mapped so again.
 */
static u32 ckpt_vma_flags(vm_flags_t vm_flags)
{
	static const struct { unsigned long vm; u32 ckpt; } map[] = {
		{ VM_READ, CKPT_VMA_READ },
		{ VM_WRITE, CKPT_VMA_WRITE },
		{ VM_EXEC, CKPT_VMA_EXEC },
		{ VM_MAYSHARE, CKPT_VMA_SHARED },
		{ VM_MAYREAD, CKPT_VMA_MAYREAD },
		{ VM_MAYWRITE, CKPT_VMA_MAYWRITE },
		{ VM_MAYEXEC, CKPT_VMA_MAYEXEC },
		{ VM_GROWSDOWN, CKPT_VMA_GROWSDOWN },
		{ VM_LOCKED, CKPT_VMA_LOCKED },
		{ VM_DONTDUMP, CKPT_VMA_DONTDUMP },
		{ VM_DONTCOPY, CKPT_VMA_DONTFORK },
		{ VM_WIPEONFORK, CKPT_VMA_WIPEONFORK },
		{ VM_HUGEPAGE, CKPT_VMA_HUGEPAGE },
		{ VM_NOHUGEPAGE, CKPT_VMA_NOHUGEPAGE },
	};
	u32 flags = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (vm_flags & map[i].vm)
			flags |= map[i].ckpt;
	/* powerpc may add VM_NOHUGEPAGE to VM_HUGEPAGE: it is what holds. */
	if (flags & CKPT_VMA_NOHUGEPAGE)
		flags &= ~CKPT_VMA_HUGEPAGE;
	return flags;
}

/* What the checkpoint needs of a VMA, copied under the mmap lock. */
struct ckpt_vma_snap {
	unsigned long start, end, pgoff;
	vm_flags_t vm_flags;
	struct file *file;	/* a reference, or NULL */
	const char *name;	/* of a special mapping */
	int kind;		/* enum ckpt_vma_kind, or -errno */
	bool forked;		/* the parent's too: CKPT_VMA_FORKED */
};

/*
 * Whether @vma maps the memory mmap(MAP_SHARED | MAP_ANONYMOUS) made:
 * shmem_zero_setup()'s kernel-internal file.  A memfd or an unlinked
 * tmpfs file gets the same vm_ops once mapped, but is a file of its own.
 */
static bool ckpt_vma_anon_shared(struct vm_area_struct *vma)
{
	return vma_is_anon_shmem(vma) && (vma->vm_flags & VM_SHARED) &&
	       IS_PRIVATE(file_inode(vma->vm_file));
}

/* A file of hugetlbfs, as it is or as a SysV segment maps it. */
static bool ckpt_file_hugetlbfs(struct file *file)
{
	return is_file_hugepages(file) &&
	       file_inode(file)->i_sb->s_magic == HUGETLBFS_MAGIC;
}

#define CKPT_MEMFD_PREFIX	"memfd:"
#define CKPT_MEMFD_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
				 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

/**
 * ckpt_file_memfd - whether a file is a memfd
 * @file:	the file
 *
 * A memfd is a shmem file on the kernel's internal mount, named by
 * memfd_create(2).  Those of shmem_kernel_file_setup() (shared anonymous
 * memory, SysV shared memory) are S_PRIVATE; those of drivers have other
 * names.  Its dentry is never renamed.
 *
 * Return: true if @file is a memfd.
 */
bool ckpt_file_memfd(struct file *file)
{
	struct inode *inode = file_inode(file);

	return ((shmem_file(file) && !IS_PRIVATE(inode)) ||
		ckpt_file_hugetlbfs(file)) &&
	       (inode->i_sb->s_flags & SB_KERNMOUNT) &&
	       !strncmp(file->f_path.dentry->d_name.name, CKPT_MEMFD_PREFIX,
			strlen(CKPT_MEMFD_PREFIX));
}

/* Whether @file may be saved by its contents: see ckpt_file_unlinked(). */
static bool ckpt_file_contents_ok(struct file *file)
{
	struct inode *inode = file_inode(file);

	/* Hugetlbfs has no ->read_folio to read its pages with. */
	if (!S_ISREG(inode->i_mode) || IS_PRIVATE(inode) ||
	    ckpt_file_memfd(file) || is_file_hugepages(file))
		return false;
	return shmem_mapping(inode->i_mapping) ||
	       !(inode->i_sb->s_flags & SB_KERNMOUNT);
}

/**
 * ckpt_file_unlinked - whether a file is saved by its contents
 * @file:	an open or mapped file
 *
 * A regular file unlinked while open or mapped, or made with O_TMPFILE,
 * has no path to be reopened by: it is saved as a memfd is, with its
 * pages, and restarts as an unlinked tmpfs file.  A file unlinked under
 * one name but linked under another is saved by its contents too: no
 * path to it is known.  ckpt_file_contents_ok() tells which files may
 * be saved so at all: not the kernel's internal shmem files (shared
 * anonymous and SysV memory are S_PRIVATE), memfds, nor files of other
 * internal mounts, such as secretmem's, whose pages no one may read.
 *
 * Return: true if @file is saved by its contents.
 */
bool ckpt_file_unlinked(struct file *file)
{
	return d_unlinked(file->f_path.dentry) && ckpt_file_contents_ok(file);
}

/*
 * Whether the executable of @mm is saved by its contents: unlinked, or
 * asked for.  CHECKPOINT_SAVE_PRIVATE covers it, as it is mapped so.
 */
static bool ckpt_exe_by_contents(struct ckpt_ctx *ctx, struct file *exe)
{
	return ckpt_file_unlinked(exe) ||
	       ((ctx->flags & (CHECKPOINT_SAVE_EXE | CHECKPOINT_SAVE_PRIVATE)) &&
		ckpt_file_contents_ok(exe));
}

/*
 * Whether a mapping of @file with @vm_flags in @mm is of a memfd object:
 * a memfd, an unlinked file, or a file that checkpoint(2) was asked to
 * save by its contents.  Called with the mmap lock of @mm held.
 */
static bool ckpt_map_memfd_obj(struct ckpt_ctx *ctx, struct mm_struct *mm,
			       struct file *file, vm_flags_t vm_flags)
{
	unsigned long save = ctx->flags & CHECKPOINT_SAVE_ALL;
	struct file *exe;
	bool ret;

	if (ckpt_file_memfd(file) || ckpt_file_unlinked(file))
		return true;
	if (!save || !ckpt_file_contents_ok(file))
		return false;
	if (vm_flags & VM_MAYSHARE)
		return save & CHECKPOINT_SAVE_SHARED;
	if (save & CHECKPOINT_SAVE_PRIVATE)
		return true;
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	ret = exe && file_inode(exe) == file_inode(file);
	rcu_read_unlock();
	return ret;
}

/*
 * Whether @file is the memory that mmap(MAP_ANONYMOUS | MAP_HUGETLB)
 * made: a file of its own on a kernel-internal hugetlbfs mount, which
 * only its mapping (and those split from it) maps, or, shared, the
 * mappings fork(2) made of it too.  A hugetlb memfd is on the same
 * mount, with a name of its own; a SysV segment is mapped through a
 * file of shm, on the same mount too.
 */
static bool ckpt_file_anon_huge(struct file *file)
{
	return ckpt_file_hugetlbfs(file) && !ckpt_file_sysvshm(file) &&
	       (file_inode(file)->i_sb->s_flags & SB_KERNMOUNT) &&
	       !strcmp(file->f_path.dentry->d_name.name, HUGETLB_ANON_FILE);
}

static bool ckpt_vma_anon_huge(struct vm_area_struct *vma)
{
	return vma->vm_file && ckpt_file_anon_huge(vma->vm_file);
}

/*
 * Hugetlb memory: anonymous, a SysV segment of huge pages, or a shared
 * mapping of a hugetlb memfd or of a file of a hugetlbfs mount, whose
 * pages are the file's as for any shared file mapping.  A private
 * mapping of such a file, whose pages written are its own, is refused.
 */
static int ckpt_vma_huge_kind(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	if (ckpt_vma_anon_huge(vma))
		return CKPT_VMA_HUGETLB;
	if (file && ckpt_file_sysvshm(file))
		return CKPT_VMA_SYSVSHM;
	if (!file || !(vma->vm_flags & VM_MAYSHARE))
		return -EOPNOTSUPP;
	if (ckpt_file_memfd(file))
		return CKPT_VMA_MEMFD;
	if (!(file_inode(file)->i_sb->s_flags & SB_KERNMOUNT) &&
	    !d_unlinked(file->f_path.dentry))
		return CKPT_VMA_FILE;
	return -EOPNOTSUPP;
}

/* Which kind of mapping @vma is, or -EOPNOTSUPP if it is refused. */
static int ckpt_vma_kind(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			 const char *name)
{
	if (name && !strcmp(name, "[vdso]"))
		return CKPT_VMA_VDSO;
	if (name && !strcmp(name, "[vvar]"))
		return CKPT_VMA_VVAR;
	if (is_vm_hugetlb_page(vma))
		return ckpt_vma_huge_kind(vma);
	if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) || name)
		return -EOPNOTSUPP;
	if (ckpt_vma_anon_shared(vma))
		return CKPT_VMA_SHMEM;
	if (vma_is_anonymous(vma))
		return CKPT_VMA_ANON;
	if (vma->vm_file && ckpt_file_sysvshm(vma->vm_file))
		return CKPT_VMA_SYSVSHM;
	if (vma->vm_file &&
	    ckpt_map_memfd_obj(ctx, vma->vm_mm, vma->vm_file, vma->vm_flags))
		return CKPT_VMA_MEMFD;
	/* Other unlinked files cannot be reopened by their path. */
	if (vma->vm_file && !d_unlinked(vma->vm_file->f_path.dentry))
		return CKPT_VMA_FILE;
	return -EOPNOTSUPP;
}

/*
 * Whether the pages of a mapping of @kind are saved with it: anonymous
 * memory, and what a private file mapping wrote.  (Images before minor 9
 * saved shared anonymous memory as CKPT_VMA_ANON.)
 */
static bool ckpt_vma_own_pages(u32 kind, bool shared)
{
	return kind == CKPT_VMA_ANON ||
	       ((kind == CKPT_VMA_FILE || kind == CKPT_VMA_MEMFD ||
		 kind == CKPT_VMA_HUGETLB) && !shared);
}

static void ckpt_vma_snap(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			  struct ckpt_vma_snap *s)
{
	s->start = vma->vm_start;
	s->end = vma->vm_end;
	s->pgoff = vma->vm_pgoff;
	s->vm_flags = vma->vm_flags;
	s->name = vma->vm_ops && vma->vm_ops->name ? vma->vm_ops->name(vma) : NULL;
	s->kind = ckpt_vma_kind(ctx, vma, s->name);
	s->file = vma->vm_file ? get_file(vma->vm_file) : NULL;
	s->forked = false;
}

/* The path of a mapped file or executable; *len counts the NUL. */
static char *ckpt_file_path(struct file *file, char *buf, u32 *len)
{
	char *path = file_path(file, buf, CKPT_PATH_MAX);

	if (!IS_ERR(path))
		*len = strlen(path) + 1;
	return path;
}

/* Save @nr pages from @addr, or with @pages NULL list them as the parent's. */
static int ckpt_write_pages(struct ckpt_ctx *ctx, unsigned long addr,
			    struct page **pages, unsigned int nr)
{
	struct ckpt_hdr_pages h = {
		.h.type = pages ? CKPT_HDR_PAGES : CKPT_HDR_PAGES_COW,
		.h.len = sizeof(h) + (pages ? nr * PAGE_SIZE : 0),
		.addr = addr,
		.nr_pages = nr,
	};
	int err;

	err = ckpt_write(ctx, &h, sizeof(h));
	if (!err && pages)
		err = ckpt_write_page_run(ctx, pages, nr);
	if (!err)
		ctx->nr_records++;
	return err;
}

/* The first run of page table entries that are not empty. */
struct ckpt_scan {
	unsigned long start, end;
	unsigned long max;		/* the longest run, in bytes */
	bool found;
};

/* Add the entry at @addr to the run; true once the run is over. */
static bool ckpt_scan_entry(struct ckpt_scan *sc, unsigned long addr,
			    bool empty)
{
	if (empty)
		return sc->found;
	if (!sc->found) {
		sc->found = true;
		sc->start = addr;
	}
	sc->end = addr + PAGE_SIZE;
	return sc->end - sc->start >= sc->max;
}

/*
 * A huge pmd, or one that is not present (under migration), counts as
 * its pages' entries; the walker would split a huge pmd to walk its
 * ptes.  The mmap lock held keeps khugepaged from making one of a page
 * table between this check and the walk.
 */
static int ckpt_scan_pmd(pmd_t *pmd, unsigned long addr, unsigned long end,
			 struct mm_walk *walk)
{
	struct ckpt_scan *sc = walk->private;
	pmd_t val = pmdp_get_lockless(pmd);
	int stop = 0;

	if (pmd_present(val) && !pmd_trans_huge(val) && !pmd_devmap(val))
		return 0;
	walk->action = ACTION_CONTINUE;
	for (; addr < end && !stop; addr += PAGE_SIZE)
		stop = ckpt_scan_entry(sc, addr, false);
	return stop;
}

static int ckpt_scan_pte(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk)
{
	return ckpt_scan_entry(walk->private, addr, pte_none(ptep_get(pte)));
}

static int ckpt_scan_hole(unsigned long addr, unsigned long end, int depth,
			  struct mm_walk *walk)
{
	struct ckpt_scan *sc = walk->private;

	return sc->found;
}

#ifdef CONFIG_HUGETLB_PAGE
/* A huge page of hugetlb memory counts as its base pages. */
static int ckpt_scan_hugetlb(pte_t *pte, unsigned long hmask,
			     unsigned long addr, unsigned long next,
			     struct mm_walk *walk)
{
	struct ckpt_scan *sc = walk->private;
	bool empty = huge_pte_none(huge_ptep_get(walk->mm, addr, pte));
	int stop = 0;

	for (; addr < next && !stop; addr += PAGE_SIZE)
		stop = ckpt_scan_entry(sc, addr, empty);
	return stop;
}
#else
#define ckpt_scan_hugetlb	NULL
#endif

static const struct mm_walk_ops ckpt_scan_ops = {
	.pmd_entry	= ckpt_scan_pmd,
	.pte_entry	= ckpt_scan_pte,
	.pte_hole	= ckpt_scan_hole,
	.hugetlb_entry	= ckpt_scan_hugetlb,
	.walk_lock	= PGWALK_RDLOCK,
};

/*
 * Find the first run, of at most CKPT_PAGES_MAX pages, of page table
 * entries that are not empty from @addr to the end of the mapping, in
 * [*start, *end).  Only there can a page of the mapping's own be: the
 * rest of an anonymous mapping was never touched, that of a private
 * file mapping is still the file's.  Reading the page tables skips a
 * hole at the cost of a few loads, where asking for each of its pages
 * would cost a page walk and, in a file mapping, a page cache fault.
 * Called with the mmap lock held.  Returns false if there is none.
 */
static bool ckpt_vma_scan(struct mm_struct *mm, const struct ckpt_vma_snap *s,
			  unsigned long addr, unsigned long *start,
			  unsigned long *end)
{
	struct ckpt_scan sc = { .max = CKPT_PAGES_MAX * PAGE_SIZE };

	walk_page_range(mm, addr, s->end, &ckpt_scan_ops, &sc);
	*start = sc.start;
	*end = sc.end;
	return sc.found;
}

static bool ckpt_page_zero(struct page *page)
{
	void *p = kmap_local_page(page);
	bool zero = !memchr_inv(p, 0, PAGE_SIZE);

	kunmap_local(p);
	return zero;
}

/*
 * Whether @page of the mapping holds data of its own worth saving.  A
 * private file mapping's are the copies it made: the pages that still
 * hold the file's data come back from the file.  An anonymous page of
 * zeroes comes back as a page never touched: a huge page written in one
 * place has many.
 */
static bool ckpt_page_own(const struct ckpt_vma_snap *s, struct page *page)
{
	return s->file && s->kind != CKPT_VMA_HUGETLB ? PageAnon(page) :
							 !ckpt_page_zero(page);
}

/*
 * The pages from @addr to @end, up to the first that does not hold
 * data of the mapping's own, with references, in @run.  If the page at
 * @addr does not (it is missing, maps the zero page, is a page of the
 * mapped file or holds only zeroes), none, and *@skip is the number of
 * pages from @addr on that do not.  Called with the mmap lock held.
 */
static unsigned int ckpt_vma_run(struct mm_struct *mm,
				 const struct ckpt_vma_snap *s,
				 unsigned long addr, unsigned long end,
				 struct page **run, unsigned long *skip)
{
	long got, nr = 1;
	bool own;

	got = get_user_pages_remote(mm, addr, (end - addr) >> PAGE_SHIFT,
				    FOLL_DUMP | FOLL_FORCE, run, NULL);
	if (got <= 0) {
		*skip = 1;
		return 0;
	}
	own = ckpt_page_own(s, run[0]);
	while (nr < got && own == ckpt_page_own(s, run[nr]))
		nr++;
	if (!own) {
		release_pages(run, got);
		*skip = nr;
		return 0;
	}
	release_pages(run + nr, got - nr);
	return nr;
}

/*
 * Pages a process shares with its parent.  A page of a private mapping
 * that the parent maps at the same address is one that neither wrote
 * since fork(2) (and since the fork of the parent's own parent, if it
 * was shared further up): its contents are those the parent saved.
 */
struct ckpt_cow_walk {
	unsigned long start;		/* of the run */
	struct page **run;
	DECLARE_BITMAP(cow, CKPT_PAGES_MAX);
};

static void ckpt_cow_entry(struct ckpt_cow_walk *cw, unsigned long addr,
			   unsigned long pfn)
{
	unsigned long i = (addr - cw->start) >> PAGE_SHIFT;

	if (page_to_pfn(cw->run[i]) == pfn)
		__set_bit(i, cw->cow);
}

/* A huge pmd is compared as its pages, as in ckpt_scan_pmd(). */
static int ckpt_cow_pmd(pmd_t *pmd, unsigned long addr, unsigned long end,
			struct mm_walk *walk)
{
	pmd_t val = pmdp_get_lockless(pmd);
	unsigned long pfn;

	if (pmd_present(val) && !pmd_trans_huge(val) && !pmd_devmap(val))
		return 0;
	walk->action = ACTION_CONTINUE;
	if (!pmd_present(val))
		return 0;
	pfn = pmd_pfn(val) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
	for (; addr < end; addr += PAGE_SIZE, pfn++)
		ckpt_cow_entry(walk->private, addr, pfn);
	return 0;
}

static int ckpt_cow_pte(pte_t *pte, unsigned long addr, unsigned long next,
			struct mm_walk *walk)
{
	pte_t val = ptep_get(pte);

	if (pte_present(val))
		ckpt_cow_entry(walk->private, addr, pte_pfn(val));
	return 0;
}

static const struct mm_walk_ops ckpt_cow_ops = {
	.pmd_entry	= ckpt_cow_pmd,
	.pte_entry	= ckpt_cow_pte,
	.walk_lock	= PGWALK_RDLOCK,
};

/*
 * Write the @nr pages of @run from @addr: those @parent maps too as a
 * CKPT_HDR_PAGES_COW record, the others saved, each in runs.  The
 * process is held: what it shares with its parent does not change.
 */
static int ckpt_write_run(struct ckpt_ctx *ctx, struct mm_struct *parent,
			  unsigned long addr, struct page **run,
			  unsigned int nr)
{
	struct ckpt_cow_walk cw = { .start = addr, .run = run };
	unsigned int i, n;
	bool cow;
	int err;

	if (!parent)
		return ckpt_write_pages(ctx, addr, run, nr);
	err = mmap_read_lock_killable(parent);
	if (err)
		return err;
	walk_page_range(parent, addr, addr + nr * PAGE_SIZE, &ckpt_cow_ops, &cw);
	mmap_read_unlock(parent);
	for (i = 0; i < nr && !err; i += n) {
		cow = test_bit(i, cw.cow);
		for (n = 1; i + n < nr && test_bit(i + n, cw.cow) == cow; n++)
			;
		err = ckpt_write_pages(ctx, addr + i * PAGE_SIZE,
				       cow ? NULL : run + i, n);
	}
	return err;
}

/*
 * Save the pages of a mapping that hold data of their own, in runs of
 * consecutive pages; those of a mapping it shares with @parent that
 * are the parent's are listed only.  The mmap lock is taken for each
 * run and dropped before the run is written: writing to a pipe or file
 * may fault.
 */
static int ckpt_vma_pages(struct ckpt_ctx *ctx, struct mm_struct *mm,
			  const struct ckpt_vma_snap *s, struct mm_struct *parent,
			  struct page **run)
{
	unsigned long addr = s->start, start, end, skip;
	unsigned int nr;
	int err = 0;

	while (addr < s->end && !err) {
		err = mmap_read_lock_killable(mm);
		if (err)
			break;
		for (nr = 0; addr < s->end; addr = start + skip * PAGE_SIZE) {
			if (!ckpt_vma_scan(mm, s, addr, &start, &end)) {
				addr = s->end;
				break;
			}
			nr = ckpt_vma_run(mm, s, start, end, run, &skip);
			if (nr) {
				addr = start + nr * PAGE_SIZE;
				break;
			}
		}
		mmap_read_unlock(mm);

		if (nr)
			err = ckpt_write_run(ctx, s->forked ? parent : NULL,
					     start, run, nr);
		release_pages(run, nr);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	return err;
}

static int ckpt_write_vma(struct ckpt_ctx *ctx, struct mm_struct *mm,
			  const struct ckpt_vma_snap *s,
			  struct mm_struct *parent, char *buf,
			  struct page **run)
{
	struct ckpt_vma_shmem shm = { };
	struct ckpt_hdr_vma *h;
	u32 path_len = 0;
	char *path = NULL;
	int err;

	if (s->kind < 0)
		return ckpt_err(ctx, s->kind,
				"mapping %#lx-%#lx (%s): device, private hugetlbfs file or memfd, deleted file and special mappings are not supported",
				s->start, s->end,
				s->name ?: s->file ? "a file" : "device");
	if (s->kind == CKPT_VMA_FILE) {
		path = ckpt_file_path(s->file, buf, &path_len);
		if (IS_ERR(path))
			return ckpt_err(ctx, PTR_ERR(path),
					"mapping %#lx-%#lx: cannot name its file",
					s->start, s->end);
	}
	/* A mapping past the end of its memory, truncated since, faults. */
	if (s->kind == CKPT_VMA_HUGETLB && (s->vm_flags & VM_MAYSHARE) &&
	    ((u64)s->pgoff << PAGE_SHIFT) + s->end - s->start >
	    i_size_read(file_inode(s->file)))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"mapping %#lx-%#lx goes past the end of its shared memory",
				s->start, s->end);
	if (s->kind == CKPT_VMA_SHMEM || s->kind == CKPT_VMA_MEMFD ||
	    (s->kind == CKPT_VMA_HUGETLB && (s->vm_flags & VM_MAYSHARE))) {
		if (s->kind == CKPT_VMA_MEMFD ?
		    ckpt_obj_lookup(ctx, file_inode(s->file), &ckpt_memfd_ops,
				    &shm.shmem_ref) :
		    ckpt_obj_lookup(ctx, s->file,
				    s->kind == CKPT_VMA_SHMEM ? &ckpt_shmem_ops :
				    &ckpt_shmem_hugetlb_ops, &shm.shmem_ref))
			return ckpt_err(ctx, -EBUSY,
					"mapping %#lx-%#lx was made while the checkpoint ran",
					s->start, s->end);
		path = (char *)&shm;
		path_len = sizeof(shm);
	}
	if (s->kind == CKPT_VMA_SYSVSHM) {
		err = ckpt_sysvshm_vma(ctx, s->file, s->start, s->end, s->pgoff,
				       s->vm_flags, &shm.shmem_ref);
		if (err)
			return err;
		path = (char *)&shm;
		path_len = sizeof(shm);
	}
	/*
	 * mmap(2) clears VM_MAYWRITE of a shared mapping of a memfd sealed
	 * against writes, and refuses it writable: one made before the seal
	 * could not be made again.
	 */
	if (s->kind == CKPT_VMA_MEMFD && ckpt_file_memfd(s->file) &&
	    (s->vm_flags & (VM_SHARED | VM_MAYWRITE)) ==
	    (VM_SHARED | VM_MAYWRITE) &&
	    (memfd_fcntl(s->file, F_GET_SEALS, 0) &
	     (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"mapping %#lx-%#lx: may write a memfd sealed against writes since",
				s->start, s->end);

	h = ckpt_hdr_alloc(sizeof(*h) + path_len, CKPT_HDR_VMA);
	if (!h)
		return -ENOMEM;
	h->start = s->start;
	h->end = s->end;
	h->pgoff = s->pgoff;
	h->kind = s->kind;
	h->flags = ckpt_vma_flags(s->vm_flags) |
		   (s->forked ? CKPT_VMA_FORKED : 0);
	/*
	 * mmap(2) accounts a private writable mapping, and reserves the
	 * pages of hugetlb memory, unless told not to: a region larger than
	 * memory would not be mapped again.  SysV segments keep it in the
	 * segment.
	 */
	if ((s->vm_flags & VM_NORESERVE) && s->kind != CKPT_VMA_SYSVSHM &&
	    s->kind != CKPT_VMA_VDSO && s->kind != CKPT_VMA_VVAR)
		h->flags |= CKPT_VMA_NORESERVE;
	h->path_len = path_len;
	memcpy(h + 1, path, path_len);
	if (s->kind == CKPT_VMA_FILE) {
		struct inode *inode = file_inode(s->file);
		struct timespec64 mtime = inode_get_mtime(inode);

		h->ino = inode->i_ino;
		h->dev = new_encode_dev(inode->i_sb->s_dev);
		h->size = i_size_read(inode);
		h->mtime_sec = mtime.tv_sec;
		h->mtime_nsec = mtime.tv_nsec;
	}
	/* Private, made anew at restart: no offset in the old file. */
	if (s->kind == CKPT_VMA_HUGETLB) {
		h->size = huge_page_size(hstate_file(s->file));
		if (!(s->vm_flags & VM_MAYSHARE))
			h->pgoff = 0;
	}
	err = ckpt_write_record(ctx, &h->h);
	kvfree(h);
	/*
	 * Pages of a shared file mapping are the file's.  Those of a
	 * mapping marked MADV_DONTDUMP are left out, as from a core dump:
	 * anonymous memory comes back zero-filled, a private file mapping
	 * with the file's contents.
	 */
	if (err || !ckpt_vma_own_pages(s->kind, s->vm_flags & VM_MAYSHARE) ||
	    (s->vm_flags & VM_DONTDUMP))
		return err;
	return ckpt_vma_pages(ctx, mm, s, parent, run);
}

/* Fill the layout part of an mm record; called with the mmap lock held. */
static void ckpt_mm_layout(struct mm_struct *mm, struct ckpt_hdr_mm *h)
{
	h->start_code = mm->start_code;
	h->end_code = mm->end_code;
	h->start_data = mm->start_data;
	h->end_data = mm->end_data;
	h->start_brk = mm->start_brk;
	h->brk = mm->brk;
	h->start_stack = mm->start_stack;
	h->arg_start = mm->arg_start;
	h->arg_end = mm->arg_end;
	h->env_start = mm->env_start;
	h->env_end = mm->env_end;
}

static int ckpt_mm_header(struct ckpt_ctx *ctx, struct mm_struct *mm,
			  const struct ckpt_hdr_mm *layout, char *buf)
{
	u32 exe_len = 0, exe_ref = 0, nr_auxv = 0;
	char *exe_path = NULL;
	struct ckpt_hdr_mm *h;
	struct file *exe;
	int err;

	while (nr_auxv + 2 <= ARRAY_SIZE(mm->saved_auxv) &&
	       nr_auxv + 2 <= CKPT_MM_MAX_AUXV) {
		nr_auxv += 2;
		if (mm->saved_auxv[nr_auxv - 2] == AT_NULL)
			break;
	}
	exe = get_mm_exe_file(mm);
	if (exe) {
		exe_path = ckpt_file_path(exe, buf, &exe_len);
		/* ckpt_mm_prepare() wrote an unlinked one by its contents. */
		if (IS_ERR(exe_path) ||
		    (ckpt_exe_by_contents(ctx, exe) &&
		     ckpt_obj_lookup(ctx, file_inode(exe), &ckpt_memfd_ops,
				     &exe_ref))) {
			fput(exe);
			return ckpt_err(ctx, IS_ERR(exe_path) ? PTR_ERR(exe_path) : -EBUSY,
					"cannot name the executable");
		}
	}

	err = -ENOMEM;
	h = ckpt_hdr_alloc(sizeof(*h) + nr_auxv * sizeof(u64) + exe_len,
			   CKPT_HDR_MM);
	if (h) {
		struct ckpt_hdr rec = h->h.h;

		*h = *layout;
		h->h.h = rec;
		h->nr_auxv = nr_auxv;
		h->exe_len = exe_len;
		h->exe_ref = exe_ref;
		memcpy(h + 1, mm->saved_auxv, nr_auxv * sizeof(u64));
		if (exe_len)
			memcpy((void *)(h + 1) + nr_auxv * sizeof(u64), exe_path,
			       exe_len);
		err = ckpt_write_record(ctx, &h->h.h);
		kvfree(h);
	}
	if (exe)
		fput(exe);
	return err;
}

/*
 * The mm of the parent that restart(2) will create the process of @mm
 * from, as fork(2) does, once the parent has its memory back: its mm
 * comes first in the image.  NULL if there is none, or the two share
 * one.
 */
static struct mm_struct *ckpt_parent_mm(struct ckpt_ctx *ctx,
					struct mm_struct *mm)
{
	struct task_struct *parent = ckpt_image_parent(ctx, ctx->cur_task);
	struct mm_struct *pmm = parent ? get_task_mm(parent) : NULL;

	if (pmm == mm) {
		mmput(pmm);
		return NULL;
	}
	return pmm;
}

/*
 * Whether the mapping @s is one that @parent has as well, as fork(2)
 * copies it to a child: what restart keeps of the copy it makes.  The
 * flags that fork(2) does not copy, or that keep it from copying, rule
 * it out; so does a memfd, which restart maps by its object.
 */
static bool ckpt_vma_forked(struct mm_struct *parent,
			    const struct ckpt_vma_snap *s)
{
	const vm_flags_t nocopy = VM_LOCKED | VM_DONTCOPY | VM_WIPEONFORK;
	struct vm_area_struct *vma;

	if ((s->kind != CKPT_VMA_ANON && s->kind != CKPT_VMA_FILE) ||
	    (s->vm_flags & (VM_MAYSHARE | VM_DONTDUMP | nocopy)))
		return false;
	vma = vma_lookup(parent, s->start);
	return vma && vma->vm_start == s->start && vma->vm_end == s->end &&
	       vma->vm_file == s->file && vma->vm_pgoff == s->pgoff &&
	       ckpt_vma_flags(vma->vm_flags) == ckpt_vma_flags(s->vm_flags) &&
	       !((vma->vm_flags ^ s->vm_flags) & VM_NORESERVE) &&
	       !(vma->vm_flags & nocopy);
}

static int ckpt_mm_forked(struct mm_struct *parent, struct ckpt_vma_snap *snap,
			  unsigned int nr)
{
	unsigned int i;
	int err;

	err = mmap_read_lock_killable(parent);
	if (err)
		return err;
	for (i = 0; i < nr; i++)
		snap[i].forked = ckpt_vma_forked(parent, &snap[i]);
	mmap_read_unlock(parent);
	return 0;
}

static int ckpt_mm_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct ckpt_hdr_mm layout = { .h.objref = objref };
	struct ckpt_vma_snap *snap = NULL;
	struct mm_struct *mm = ptr, *parent = NULL;
	struct vm_area_struct *vma;
	unsigned int nr = 0, i;
	struct page **run;
	char *buf;
	int err;

	buf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
	run = kmalloc_array(CKPT_PAGES_MAX, sizeof(*run), GFP_KERNEL);
	err = -ENOMEM;
	if (!buf || !run)
		goto out;

	/* Copy what is needed, then write with the lock dropped. */
	err = mmap_read_lock_killable(mm);
	if (err)
		goto out;
	if (mm->map_count <= CKPT_MM_MAX_VMAS)
		snap = kvmalloc_array(mm->map_count, sizeof(*snap), GFP_KERNEL);
	if (snap) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (nr == mm->map_count)
				break;
			ckpt_vma_snap(ctx, vma, &snap[nr++]);
		}
		ckpt_mm_layout(mm, &layout);
		layout.nr_vmas = nr;
	}
	mmap_read_unlock(mm);
	if (!snap) {
		err = mm->map_count > CKPT_MM_MAX_VMAS ?
			ckpt_err(ctx, -E2BIG, "more than %d mappings",
				 CKPT_MM_MAX_VMAS) : -ENOMEM;
		goto out;
	}

	parent = ckpt_parent_mm(ctx, mm);
	err = parent ? ckpt_mm_forked(parent, snap, nr) : 0;
	if (!err)
		err = ckpt_mm_header(ctx, mm, &layout, buf);
	for (i = 0; i < nr && !err; i++)
		err = ckpt_write_vma(ctx, mm, &snap[i], parent, buf, run);
	/* The OOM reaper empties the memory of a killed task, held or not. */
	if (!err && test_bit(MMF_UNSTABLE, &mm->flags))
		err = ckpt_err(ctx, -EAGAIN,
			       "an address space was reaped by the OOM killer while it was saved");
	for (i = 0; i < nr; i++)
		if (snap[i].file)
			fput(snap[i].file);
	if (parent)
		mmput(parent);
out:
	kvfree(snap);
	kfree(run);
	kfree(buf);
	return err;
}

/*
 * Shared anonymous memory: the shmem file of the mappings is the object.
 * Its record holds its size; its pages follow it, written by the mm
 * that first maps it, which knows which of them its mappings marked
 * MADV_DONTDUMP.
 */
struct ckpt_shmem_map {
	struct file *file;	/* a reference */
	pgoff_t pgoff, nr;
	bool dontdump;
};

/*
 * The page at @index of a shmem or hugetlbfs file if it exists, swapped
 * in; NULL for a hole; an ERR_PTR() if it cannot be read (-EIO for a
 * poisoned page, which hugetlbfs keeps in its page cache).  A huge page
 * is in the page cache at each of its indexes.
 */
static struct page *ckpt_shmem_page(struct inode *inode, pgoff_t index)
{
	struct folio *folio = NULL;
	struct page *page;
	int err;

	if (inode->i_sb->s_magic == HUGETLBFS_MAGIC) {
		folio = filemap_get_folio(inode->i_mapping, index);
		if (IS_ERR(folio))
			return NULL;
		if (folio_test_hwpoison(folio)) {
			folio_put(folio);
			return ERR_PTR(-EIO);
		}
		page = folio_file_page(folio, index);
		get_page(page);
		folio_put(folio);
		return page;
	}
	/* SGP_READ: pages that exist, swapped in; holes stay holes. */
	err = shmem_get_folio(inode, index, 0, &folio, SGP_READ);
	if (err)
		return ERR_PTR(err);
	if (!folio)
		return NULL;
	page = folio_file_page(folio, index);
	get_page(page);
	folio_unlock(folio);
	folio_put(folio);
	return page;
}

/*
 * Whether a mapping marked MADV_DONTDUMP covers @index: the index where
 * that mapping ends, after @index, or 0.
 */
static pgoff_t ckpt_shmem_dontdump(const struct ckpt_shmem_map *maps,
				   unsigned int nr, struct inode *inode,
				   pgoff_t index)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (file_inode(maps[i].file) == inode && maps[i].dontdump &&
		    index - maps[i].pgoff < maps[i].nr)
			return maps[i].pgoff + maps[i].nr;
	return 0;
}

/*
 * Write the pages of a shmem file that exist, in runs, after its record,
 * but those that @maps marked MADV_DONTDUMP.  Holes are skipped whole,
 * however large the file.
 */
static int ckpt_shmem_pages(struct ckpt_ctx *ctx, struct inode *inode,
			    const struct ckpt_shmem_map *maps,
			    unsigned int nr_maps, struct page **run)
{
	pgoff_t end = DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE);
	unsigned long index = 0, start = 0;
	unsigned int nr, i;
	int err = 0;

	while (index < end && !err) {
		/* The next page, or swap entry, of the file. */
		if (!xa_find(&inode->i_mapping->i_pages, &index, end - 1,
			     XA_PRESENT))
			break;
		/* A run of pages up to a hole or a range marked DONTDUMP. */
		for (nr = 0; index < end; index++) {
			pgoff_t skip = ckpt_shmem_dontdump(maps, nr_maps, inode,
							   index);
			struct page *page;

			if (skip) {
				if (!nr)
					index = skip;
				break;
			}
			page = ckpt_shmem_page(inode, index);
			if (IS_ERR(page)) {
				err = ckpt_err(ctx, PTR_ERR(page),
					       "page %lu of shared memory cannot be read",
					       index);
				break;
			}
			if (!page) {
				index++;
				break;
			}
			if (!nr)
				start = index;
			run[nr++] = page;
			if (nr == CKPT_PAGES_MAX) {
				index++;
				break;
			}
		}
		if (nr && !err)
			err = ckpt_write_pages(ctx, (u64)start << PAGE_SHIFT,
					       run, nr);
		for (i = 0; i < nr; i++)
			put_page(run[i]);
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
		cond_resched();
	}
	return err;
}

/**
 * ckpt_write_shmem_pages - write the pages of a shmem object
 * @ctx:	checkpoint context
 * @inode:	its inode, after its record
 *
 * For a memfd or a SysV shared memory segment, whose pages are all saved.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_shmem_pages(struct ckpt_ctx *ctx, struct inode *inode)
{
	struct page **run;
	int err;

	run = kmalloc_array(CKPT_PAGES_MAX, sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	err = ckpt_shmem_pages(ctx, inode, NULL, 0, run);
	kfree(run);
	return err;
}

static void ckpt_shmem_grab(void *ptr)
{
	get_file(ptr);
}

static void ckpt_shmem_drop(void *ptr)
{
	fput(ptr);
}

static int ckpt_shmem_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct ckpt_hdr_shmem h = {
		.h.h.type = CKPT_HDR_SHMEM,
		.h.h.len = sizeof(h),
		.h.objref = objref,
		.size = i_size_read(file_inode(ptr)),
	};

	return ckpt_write_record(ctx, &h.h.h);
}

static int ckpt_shmem_hugetlb_checkpoint(struct ckpt_ctx *ctx, void *ptr,
					 u32 objref)
{
	struct ckpt_hdr_shmem_hugetlb h = {
		.h.h.type = CKPT_HDR_SHMEM_HUGETLB,
		.h.h.len = sizeof(h),
		.h.objref = objref,
		.size = i_size_read(file_inode(ptr)),
		.page_size = huge_page_size(hstate_file(ptr)),
	};

	return ckpt_write_record(ctx, &h.h.h);
}

/*
 * A memfd: its inode is the object, which every open file and mapping of
 * it shares.  Its pages are all saved: MADV_DONTDUMP leaves out what a
 * mapping holds of its own, not the file's contents.
 */
static void ckpt_memfd_grab(void *ptr)
{
	ihold(ptr);
}

static void ckpt_memfd_drop(void *ptr)
{
	iput(ptr);
}

/*
 * The pages of a file saved by its contents that is not shmem, through
 * its page cache: those that hold anything but zeroes, in runs.
 */
static int ckpt_file_pages(struct ckpt_ctx *ctx, struct file *file)
{
	pgoff_t end = DIV_ROUND_UP(i_size_read(file_inode(file)), PAGE_SIZE);
	pgoff_t index, start = 0;
	unsigned int nr = 0, i;
	struct page **run;
	int err = 0;

	run = kmalloc_array(CKPT_PAGES_MAX, sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	for (index = 0; index < end && !err; index++) {
		struct folio *folio = read_mapping_folio(file->f_mapping, index,
							 file);
		struct page *page;
		bool zero;

		if (IS_ERR(folio)) {
			err = ckpt_err(ctx, PTR_ERR(folio),
				       "cannot read page %lu of an unlinked file",
				       index);
			break;
		}
		/* The folio's reference is the page's, put with put_page(). */
		page = folio_file_page(folio, index);
		zero = ckpt_page_zero(page);
		if (zero) {
			put_page(page);
		} else {
			if (!nr)
				start = index;
			run[nr++] = page;
		}
		if (nr && (zero || nr == CKPT_PAGES_MAX || index + 1 == end)) {
			err = ckpt_write_pages(ctx, (u64)start << PAGE_SHIFT,
					       run, nr);
			for (i = 0; i < nr; i++)
				put_page(run[i]);
			nr = 0;
		}
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	for (i = 0; i < nr; i++)
		put_page(run[i]);
	kfree(run);
	return err;
}

static int ckpt_memfd_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	struct inode *inode = ptr;
	struct ckpt_hdr_memfd *h;
	struct dentry *dentry;
	bool huge = inode->i_sb->s_magic == HUGETLBFS_MAGIC;
	bool memfd, shmem = shmem_mapping(inode->i_mapping);
	const char *name;
	u32 name_len;
	int err;

	dentry = d_find_any_alias(inode);
	if (WARN_ON_ONCE(!dentry))
		return -ENOENT;
	name = dentry->d_name.name;
	/* A hugetlbfs file is here only as a memfd. */
	memfd = (shmem || huge) && (inode->i_sb->s_flags & SB_KERNMOUNT) &&
		!strncmp(name, CKPT_MEMFD_PREFIX, strlen(CKPT_MEMFD_PREFIX));
	if (memfd)
		name += strlen(CKPT_MEMFD_PREFIX);
	/* An unlinked file's name may be longer than a memfd's. */
	name_len = min_t(size_t, strlen(name) + 1, CKPT_MEMFD_NAME_MAX);
	h = ckpt_hdr_alloc(sizeof(*h) + name_len, CKPT_HDR_MEMFD);
	err = -ENOMEM;
	if (h) {
		h->h.objref = objref;
		h->size = i_size_read(inode);
		if (huge && memfd)
			h->seals = READ_ONCE(HUGETLBFS_I(inode)->seals);
		else if (memfd)
			h->seals = READ_ONCE(SHMEM_I(inode)->seals);
		else
			h->flags = CKPT_MEMFD_UNLINKED;
		if (huge && memfd)
			h->flags = CKPT_MEMFD_HUGETLB |
				   huge_page_shift(hstate_inode(inode)) <<
				   CKPT_MEMFD_HUGE_SHIFT;
		h->mode = inode->i_mode & S_IALLUGO;
		h->name_len = name_len;
		strscpy((char *)(h + 1), name, name_len);
		/* Other files' pages come from ckpt_memfd_save(). */
		err = ckpt_write_record(ctx, &h->h.h);
		if (!err && (shmem || (huge && memfd)))
			err = ckpt_write_shmem_pages(ctx, inode);
	}
	kvfree(h);
	dput(dentry);
	return err;
}

/**
 * ckpt_memfd_save - write the memfd of a file, unless already written
 * @ctx:	checkpoint context
 * @file:	a file of the memfd, which ckpt_file_memfd() took, or a file
 *		saved by its contents, which ckpt_file_unlinked() took
 * @objref:	set to the objref of the memfd
 *
 * The pages of a file saved by its contents are read through @file,
 * which some filesystems need to read them.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_memfd_save(struct ckpt_ctx *ctx, struct file *file, u32 *objref)
{
	struct inode *inode = file_inode(file);
	int err;

	if (!ckpt_obj_lookup(ctx, inode, &ckpt_memfd_ops, objref))
		return 0;
	err = ckpt_obj_checkpoint(ctx, inode, &ckpt_memfd_ops, objref);
	if (!err && !shmem_mapping(inode->i_mapping) && !ckpt_file_memfd(file))
		err = ckpt_file_pages(ctx, file);
	return err;
}

/*
 * Whether @vma maps memory that is an object: shared anonymous, a memfd
 * or a file saved by its contents.
 */
static bool ckpt_vma_shmem_obj(struct ckpt_ctx *ctx, struct vm_area_struct *vma)
{
	return ckpt_vma_anon_shared(vma) ||
	       ((vma->vm_flags & VM_MAYSHARE) && ckpt_vma_anon_huge(vma)) ||
	       (vma->vm_file &&
		ckpt_map_memfd_obj(ctx, vma->vm_mm, vma->vm_file,
				   vma->vm_flags));
}

/* Copy the mappings of @mm that map shmem objects, with references. */
static int ckpt_shmem_maps(struct ckpt_ctx *ctx, struct mm_struct *mm,
			   struct ckpt_shmem_map **maps)
{
	struct vm_area_struct *vma;
	unsigned int nr = 0, n = 0;
	int err;

	*maps = NULL;
	err = mmap_read_lock_killable(mm);
	if (err)
		return err;
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			nr += ckpt_vma_shmem_obj(ctx, vma);
	}
	if (nr)
		*maps = kmalloc_array(nr, sizeof(**maps), GFP_KERNEL);
	if (*maps) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (!ckpt_vma_shmem_obj(ctx, vma) || n == nr)
				continue;
			(*maps)[n].file = get_file(vma->vm_file);
			(*maps)[n].pgoff = vma->vm_pgoff;
			(*maps)[n].nr = vma_pages(vma);
			(*maps)[n].dontdump = vma->vm_flags & VM_DONTDUMP;
			n++;
		}
	}
	mmap_read_unlock(mm);
	return nr && !*maps ? -ENOMEM : n;
}

/**
 * ckpt_mm_prepare - write the objects the mappings of an mm refer to
 * @ctx:	checkpoint context
 * @mm:		the mm, before its own record
 *
 * The shared anonymous memory, the memfds and the files saved by their
 * contents it maps or runs, each once however many mms use it, so that
 * objrefs stay in stream order.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_mm_prepare(struct ckpt_ctx *ctx, struct mm_struct *mm)
{
	struct ckpt_shmem_map *maps;
	struct page **run = NULL;
	struct file *exe;
	int nr, i, err = 0;
	u32 ref;

	/* An executable saved by its contents, mapped or not. */
	exe = get_mm_exe_file(mm);
	if (exe) {
		if (ckpt_exe_by_contents(ctx, exe))
			err = ckpt_memfd_save(ctx, exe, &ref);
		fput(exe);
		if (err)
			return err;
	}
	nr = ckpt_shmem_maps(ctx, mm, &maps);
	if (nr <= 0)
		return nr;
	for (i = 0; i < nr && !err; i++) {
		/* Shared anonymous memory is S_PRIVATE shmem, or hugetlbfs. */
		bool huge = ckpt_file_anon_huge(maps[i].file);
		const struct ckpt_obj_ops *ops = huge ? &ckpt_shmem_hugetlb_ops :
							&ckpt_shmem_ops;

		if (!huge && !IS_PRIVATE(file_inode(maps[i].file))) {
			err = ckpt_memfd_save(ctx, maps[i].file, &ref);
			continue;
		}
		if (!ckpt_obj_lookup(ctx, maps[i].file, ops, &ref))
			continue;
		if (!run)
			run = kmalloc_array(CKPT_PAGES_MAX, sizeof(*run),
					    GFP_KERNEL);
		err = run ? ckpt_obj_checkpoint(ctx, maps[i].file, ops, &ref) :
			    -ENOMEM;
		if (!err)
			err = ckpt_shmem_pages(ctx, file_inode(maps[i].file),
					       maps, nr, run);
	}
	for (i = 0; i < nr; i++)
		fput(maps[i].file);
	kfree(maps);
	kfree(run);
	return err;
}

/* The flags a mapping from the parent may have: those it keeps. */
#define CKPT_VMA_FORKED_FLAGS	(CKPT_VMA_READ | CKPT_VMA_WRITE |	\
				 CKPT_VMA_EXEC | CKPT_VMA_MAYREAD |	\
				 CKPT_VMA_MAYWRITE | CKPT_VMA_MAYEXEC |	\
				 CKPT_VMA_GROWSDOWN | CKPT_VMA_NORESERVE | \
				 CKPT_VMA_HUGEPAGE | CKPT_VMA_NOHUGEPAGE | \
				 CKPT_VMA_FORKED)

/*
 * Shared memory of huge pages at restart: its file, NULL when only
 * validating, and what its mappings are checked against.
 */
struct ckpt_huge_shm {
	struct file *file;
	u64 size, page_size;
};

/* Whether the kernel has huge pages of @size bytes. */
static bool ckpt_huge_size_ok(u64 size)
{
	return is_power_of_2(size) && size_to_hstate(size);
}

/*
 * Hugetlb memory: pages of a size the kernel has, the range aligned to
 * it, and no file; shared, the memory it maps from an offset aligned to
 * it too, which checks its object.
 */
static int restore_check_huge(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_vma *h)
{
	const struct ckpt_vma_shmem *shm = (const void *)(h + 1);
	bool shared = h->flags & CKPT_VMA_SHARED;
	struct ckpt_huge_shm *obj;

	if (!ckpt_huge_size_ok(h->size) || !IS_ALIGNED(h->start, h->size) ||
	    !IS_ALIGNED(h->end, h->size) ||
	    !IS_ALIGNED(h->pgoff << PAGE_SHIFT, h->size))
		return ckpt_err(ctx, -EINVAL,
				"hugetlb mapping %#llx-%#llx at %#llx of pages of %llu bytes",
				h->start, h->end, h->pgoff, h->size);
	if (h->flags & (CKPT_VMA_GROWSDOWN | CKPT_VMA_WIPEONFORK) ||
	    (!shared && h->pgoff) || h->ino || h->dev || h->mtime_sec ||
	    h->mtime_nsec)
		return ckpt_err(ctx, -EINVAL,
				"hugetlb mapping %#llx-%#llx: flags %#x or file fields",
				h->start, h->end, h->flags);
	if (!shared)
		return 0;
	obj = ckpt_obj_fetch(ctx, shm->shmem_ref, &ckpt_shmem_hugetlb_ops,
			     "shmem_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (obj->page_size != h->size ||
	    (h->pgoff << PAGE_SHIFT) + (h->end - h->start) > obj->size)
		return ckpt_err(ctx, -EINVAL,
				"mapping %#llx-%#llx at %#llx of pages of %llu maps memory of %llu bytes of pages of %llu",
				h->start, h->end, h->pgoff, h->size, obj->size,
				obj->page_size);
	return ckpt_check_zero(ctx, &shm->_pad, sizeof(shm->_pad), "shmem _pad");
}

/* Check one VMA record against the one before it. */
static int restore_check_vma(struct ckpt_ctx *ctx, const struct ckpt_hdr_vma *h,
			     u64 prev_end, unsigned int *seen)
{
	bool file = h->kind == CKPT_VMA_FILE;
	bool sysv = h->kind == CKPT_VMA_SYSVSHM;
	bool huge = h->kind == CKPT_VMA_HUGETLB;
	bool shmem = h->kind == CKPT_VMA_SHMEM || h->kind == CKPT_VMA_MEMFD ||
		     sysv || (huge && (h->flags & CKPT_VMA_SHARED));
	const struct ckpt_vma_shmem *shm = (const void *)(h + 1);
	const char *path = (const char *)(h + 1);
	u32 payload = shmem ? sizeof(*shm) : 0;
	void *obj;

	if (h->start >= h->end || !PAGE_ALIGNED(h->start) ||
	    !PAGE_ALIGNED(h->end) || h->end > TASK_SIZE_MAX)
		return ckpt_err(ctx, -EINVAL, "bad range %#llx-%#llx",
				h->start, h->end);
	if (h->start < prev_end)
		return ckpt_err(ctx, -EINVAL, "range %#llx-%#llx overlaps or is out of order",
				h->start, h->end);
	if (h->kind < CKPT_VMA_ANON || h->kind > CKPT_VMA_HUGETLB)
		return ckpt_err(ctx, -EINVAL, "unknown kind %u", h->kind);
	if (h->kind == CKPT_VMA_VDSO || h->kind == CKPT_VMA_VVAR) {
		if (*seen & BIT(h->kind))
			return ckpt_err(ctx, -EINVAL, "a second vDSO mapping");
		*seen |= BIT(h->kind);
	}
	if (h->flags & ~CKPT_VMA_FLAGS_ALL ||
	    ((sysv || h->kind == CKPT_VMA_VDSO || h->kind == CKPT_VMA_VVAR) &&
	     (h->flags & CKPT_VMA_NORESERVE)) ||
	    ((h->flags & CKPT_VMA_HUGEPAGE) && (h->flags & CKPT_VMA_NOHUGEPAGE)))
		return ckpt_err(ctx, -EINVAL, "unknown flags %#x for kind %u",
				h->flags, h->kind);
	if ((h->flags & CKPT_VMA_FORKED) &&
	    ((h->kind != CKPT_VMA_ANON && !file) ||
	     (h->flags & ~CKPT_VMA_FORKED_FLAGS) ||
	     !ctx->pids[ctx->cur_task].ppid))
		return ckpt_err(ctx, -EINVAL,
				"kind %u, flags %#x: not a mapping a parent in the image gave",
				h->kind, h->flags);
	if (h->h.len != sizeof(*h) + h->path_len ||
	    (file && (h->path_len < 2 || h->path_len > CKPT_PATH_MAX)) ||
	    (!file && h->path_len != payload))
		return ckpt_err(ctx, -EINVAL, "length %u does not match path_len %u",
				h->h.len, h->path_len);
	if (file && (strnlen(path, h->path_len) != h->path_len - 1 ||
		     path[0] != '/'))
		return ckpt_err(ctx, -EINVAL, "path is not absolute and NUL terminated");
	/* A file mapping must end where a file can: mmap(2) would refuse. */
	if ((file || shmem) &&
	    (h->pgoff > CKPT_VMA_PGOFF_MAX ||
	     (h->end - h->start) >> PAGE_SHIFT > CKPT_VMA_PGOFF_MAX - h->pgoff))
		return ckpt_err(ctx, -EINVAL, "pgoff %#llx: beyond the end of any file",
				h->pgoff);
	if (huge)
		return restore_check_huge(ctx, h);
	if (!shmem)
		return 0;
	if ((h->kind != CKPT_VMA_MEMFD && !(h->flags & CKPT_VMA_SHARED)) ||
	    (sysv && h->pgoff) || h->ino || h->dev || h->size ||
	    h->mtime_sec || h->mtime_nsec)
		return ckpt_err(ctx, -EINVAL, "shared memory mapping: flags %#x or file fields",
				h->flags);
	if (sysv)
		return restore_check_sysvshm(ctx, shm->shmem_ref, h->start,
					     h->end, h->flags) ?:
		       ckpt_check_zero(ctx, &shm->_pad, sizeof(shm->_pad),
				       "shmem _pad");
	obj = ckpt_obj_fetch(ctx, shm->shmem_ref,
			     h->kind == CKPT_VMA_SHMEM ? &ckpt_shmem_ops :
							 &ckpt_memfd_ops,
			     "shmem_ref");
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	return ckpt_check_zero(ctx, &shm->_pad, sizeof(shm->_pad), "shmem _pad");
}

/*
 * Restart side.  What is known of the mm being rebuilt: its record, and
 * what is done once every other mapping is in place: the vDSO and the
 * executable.
 *
 * current starts with a copy of its creator's mm.  Below @swept, what
 * is not a mapping of the image is gone; above, the copy is unmapped
 * as the mappings of the image are made, in address order.  A mapping
 * marked CKPT_VMA_FORKED is kept from the copy, as fork(2) made it of
 * the parent's, with the pages the image says the parent's.
 */
struct ckpt_mm_restore {
	struct ckpt_hdr_mm hdr;
	struct mm_struct *mm;		/* current's, or NULL to only check */
	struct page **run;		/* CKPT_PAGES_MAX entries */
	u64 vdso_start, vdso_end;
	u64 vvar_start, vvar_end;
	bool vdso_kept, vvar_kept;	/* from the parent, at their place */
	u64 swept;
	struct file *exe;		/* the executable to be */
	struct inode *exe_ino;		/* only compared, never used */
	struct folio *huge;		/* a huge page being filled, or NULL */
	pgtable_t huge_pgtable;		/* the page table deposited with it */
	u64 huge_addr;			/* where it goes */
	u64 huge_next;			/* it is filled below this address */
};

/* Unmap what the copy of the creator's mm has from @swept to @to. */
static int restore_sweep(struct ckpt_mm_restore *r, u64 to)
{
	u64 from = r->swept;

	if (to <= from)
		return 0;
	r->swept = to;
	return vm_munmap(from, to - from);
}

/*
 * Drop the pages from @start to @end of a mapping kept from the parent:
 * not the parent's, they read as zeroes or the file's again.
 */
static void restore_zap(struct ckpt_mm_restore *r, u64 start, u64 end)
{
	struct vm_area_struct *vma;

	if (start >= end)
		return;
	mmap_read_lock(r->mm);
	vma = vma_lookup(r->mm, start);
	if (vma && end <= vma->vm_end)
		zap_page_range_single(vma, start, end - start, NULL);
	mmap_read_unlock(r->mm);
}

/*
 * Read @nr saved pages from @addr straight into the pages of the mapping
 * just made, faulted in by get_user_pages(): one copy, from the image's
 * read-ahead buffer.  @last: they end the record.
 */
static int restore_small_pages(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			       const struct ckpt_hdr_vma *vma, u64 addr,
			       unsigned int nr, bool last)
{
	unsigned int gup_flags = FOLL_WRITE | FOLL_FORCE;
	unsigned int i;
	long got;
	int err;

	/*
	 * FOLL_FORCE, as ptrace: the mapping may not be writable.  Hugetlb
	 * memory takes no forced write: a read fault gives the process a
	 * fresh huge page of its own, which nothing else maps yet.
	 */
	if (vma->kind == CKPT_VMA_HUGETLB && !(vma->flags & CKPT_VMA_WRITE))
		gup_flags = FOLL_FORCE;
	err = mmap_read_lock_killable(r->mm);
	if (err)
		return err;
	got = get_user_pages_remote(r->mm, addr, nr, gup_flags, r->run, NULL);
	mmap_read_unlock(r->mm);
	if (got < 0)
		return ckpt_err(ctx, got, "cannot write pages at %#llx", addr);

	err = ckpt_read_page_run(ctx, r->run, got, last && got == nr);
	for (i = 0; i < got; i++) {
		set_page_dirty_lock(r->run[i]);
		put_page(r->run[i]);
	}
	if (!err && got != nr)
		err = ckpt_err(ctx, -EFAULT, "cannot write page %#llx",
			       addr + got * PAGE_SIZE);
	return err;
}

/* The pmd of @addr in @mm, the levels above it made if they are missing. */
static pmd_t *restore_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d = p4d_alloc(mm, pgd, addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;

	return pud ? pmd_alloc(mm, pud, addr) : NULL;
}

/* Private anonymous memory whose faults userfaultfd does not handle */
static bool restore_private_anon(struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED) &&
	       !userfaultfd_armed(vma);
}

/*
 * Whether a write fault in @vma maps one small page of its own: private
 * memory, anonymous or of a file (whose pages written are anonymous as
 * well, always small ones), but not where transparent huge pages of a
 * size below the pmd's may back anonymous memory.
 */
static bool restore_anon_fits(struct vm_area_struct *vma)
{
	unsigned long orders = THP_ORDERS_ALL_ANON & ~BIT(PMD_ORDER);

	if (!vma_is_anonymous(vma))
		return vma->vm_file && !userfaultfd_armed(vma) &&
		       !(vma->vm_flags & (VM_MAYSHARE | VM_PFNMAP | VM_MIXEDMAP |
					  VM_IO | VM_HUGETLB));
	return restore_private_anon(vma) &&
	       !thp_vma_allowable_orders(vma, vma->vm_flags,
					 TVA_IN_PF | TVA_ENFORCE_SYSFS, orders);
}

/* The new pages to map from @start, or no pages: only check. */
struct restore_anon {
	struct page **run;
	unsigned long start;
	struct vm_area_struct *vma;	/* set by restore_anon_walk() */
	unsigned int mapped;
};

/*
 * A pte of the pages to be read: none must be mapped yet.  With pages,
 * map the next one there as a write fault would; it is filled already.
 */
static int restore_anon_pte(pte_t *pte, unsigned long addr,
			    unsigned long next, struct mm_walk *walk)
{
	struct restore_anon *ra = walk->private;
	struct vm_area_struct *vma = walk->vma;
	struct folio *folio;
	struct page *page;
	pte_t entry;

	if (!pte_none(ptep_get(pte)))
		return -EBUSY;
	if (!ra->run)
		return 0;
	if (check_stable_address_space(walk->mm))
		return -EFAULT;
	page = ra->run[(addr - ra->start) >> PAGE_SHIFT];
	folio = page_folio(page);
	/* Its contents are visible before the pte that maps it. */
	flush_dcache_folio(folio);
	__folio_mark_uptodate(folio);
	entry = pte_mkdirty(pte_sw_mkyoung(mk_pte(page, vma->vm_page_prot)));
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry, vma);
	folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE);
	folio_add_lru_vma(folio, vma);
	set_pte_at(walk->mm, addr, pte, entry);
	update_mmu_cache(vma, addr, pte);
	ra->mapped++;
	return 0;
}

/* A page table that is not there: it was made before the walk. */
static int restore_anon_hole(unsigned long addr, unsigned long next,
			     int depth, struct mm_walk *walk)
{
	return -EBUSY;
}

static const struct mm_walk_ops restore_anon_ops = {
	.pte_entry = restore_anon_pte,
	.pte_hole = restore_anon_hole,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * Map the @nr pages of @ra from its start in @mm, in one page table of
 * private memory (restore_anon_fits()), or with no pages, check that
 * the table can be made and maps none of them yet.  Returns 0, or a
 * negative errno: the mapping is not as it must be, or memory is short.
 */
static int restore_anon_walk(struct mm_struct *mm, struct restore_anon *ra,
			     unsigned int nr)
{
	unsigned long end = ra->start + nr * PAGE_SIZE;
	struct vm_area_struct *vma = vma_lookup(mm, ra->start);
	pmd_t *pmd, pmdval;
	int err;

	if (!vma || end > vma->vm_end || !restore_anon_fits(vma) ||
	    anon_vma_prepare(vma))
		return -EBUSY;
	/* Not where a huge page is mapped: the walk would split it. */
	pmd = restore_pmd(mm, ra->start);
	if (!pmd)
		return -ENOMEM;
	pmdval = pmdp_get_lockless(pmd);
	if (!pmd_none(pmdval) && (!pmd_present(pmdval) || pmd_leaf(pmdval)))
		return -EBUSY;
	if (pte_alloc(mm, pmd))
		return -ENOMEM;
	ra->vma = vma;
	ra->mapped = 0;
	err = walk_page_range_vma(vma, ra->start, end, &restore_anon_ops, ra);
	add_mm_counter(mm, MM_ANONPAGES, ra->mapped);
	return err;
}

/*
 * The pages of @ra from the first not mapped, filled from the image,
 * could not be mapped as they are (the mapping changed while they were
 * read): copy them into the pages that faults give, as others are
 * written.
 */
static int restore_anon_copy(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			     const struct restore_anon *ra, unsigned int nr)
{
	unsigned long addr = ra->start + ra->mapped * PAGE_SIZE;
	unsigned int i;
	struct page *page;
	long got;
	int err;

	err = mmap_read_lock_killable(r->mm);
	if (err)
		return err;
	for (i = ra->mapped; i < nr; i++, addr += PAGE_SIZE) {
		got = get_user_pages_remote(r->mm, addr, 1,
					    FOLL_WRITE | FOLL_FORCE, &page, NULL);
		if (got != 1) {
			err = ckpt_err(ctx, got < 0 ? got : -EFAULT,
				       "cannot write page %#lx", addr);
			break;
		}
		copy_highpage(page, ra->run[i]);
		set_page_dirty_lock(page);
		put_page(page);
	}
	mmap_read_unlock(r->mm);
	return err;
}

/*
 * Read the @nr saved pages from @addr, in one page table, into new pages
 * that are not zeroed first, where write faults would map small pages
 * of anonymous memory and nothing is mapped yet, then map them.
 * @last: they end the record.  Returns how many were read (0: the
 * mapping takes them through faults) or a negative errno.
 */
static long restore_anon_pages(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			       u64 addr, unsigned int nr, bool last)
{
	struct restore_anon ra = { .start = addr };
	struct folio *folio;
	unsigned int i = 0, n;
	bool mapped;
	int err;

	/* The rest of the record, after the page table, takes another call. */
	n = (pmd_addr_end(addr, addr + (u64)nr * PAGE_SIZE) - addr) >> PAGE_SHIFT;
	last = last && n == nr;
	nr = n;
	if (mmap_read_lock_killable(r->mm))
		return 0;
	if (!restore_anon_walk(r->mm, &ra, nr)) {
		for (; i < nr; i++) {
			folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, ra.vma,
						addr + i * PAGE_SIZE, false);
			if (!folio)
				break;
			if (mem_cgroup_charge(folio, r->mm, GFP_KERNEL)) {
				folio_put(folio);
				break;
			}
			folio_throttle_swaprate(folio, GFP_KERNEL);
			r->run[i] = &folio->page;
		}
	}
	mmap_read_unlock(r->mm);
	/* Short of memory, or mapped already: the faults tell. */
	if (i < nr) {
		while (i)
			put_page(r->run[--i]);
		return 0;
	}

	err = ckpt_read_page_run(ctx, r->run, nr, last);
	if (!err)
		err = mmap_read_lock_killable(r->mm);
	if (!err) {
		ra.run = r->run;
		mapped = !restore_anon_walk(r->mm, &ra, nr) && ra.mapped == nr;
		mmap_read_unlock(r->mm);
		if (!mapped)
			err = restore_anon_copy(ctx, r, &ra, nr);
	}
	while (i > ra.mapped)
		put_page(r->run[--i]);
	if (err)
		return err;
	return nr;
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/* Whether the 2 MiB at @haddr of @vma is private anonymous memory. */
static bool restore_huge_fits(struct vm_area_struct *vma, unsigned long haddr)
{
	return vma && restore_private_anon(vma) &&
	       thp_vma_suitable_order(vma, haddr, PMD_ORDER);
}

/* Whether a write fault there would map a huge page too. */
static bool restore_huge_ok(struct vm_area_struct *vma, unsigned long haddr)
{
	return restore_huge_fits(vma, haddr) &&
	       thp_vma_allowable_order(vma, vma->vm_flags,
				       TVA_IN_PF | TVA_ENFORCE_SYSFS, PMD_ORDER);
}

/* Whether the pages of @h go to huge pages where they can. */
static bool restore_huge_kind(const struct ckpt_hdr_vma *h)
{
	return h->kind == CKPT_VMA_ANON && !(h->flags & CKPT_VMA_FORKED);
}

/*
 * Start a huge page for the 2 MiB that @addr falls in, if transparent
 * huge pages back that part of a private anonymous mapping and nothing
 * is mapped there yet.  False if not: the pages are written as others.
 */
static bool restore_huge_begin(struct ckpt_mm_restore *r,
			       const struct ckpt_hdr_vma *h, u64 addr)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct vm_area_struct *vma;
	struct folio *folio = NULL;
	pgtable_t pgtable = NULL;
	gfp_t gfp = 0;
	pmd_t *pmd;

	if (!restore_huge_kind(h) || haddr < h->start ||
	    haddr + HPAGE_PMD_SIZE > h->end || mmap_read_lock_killable(r->mm))
		return false;
	vma = vma_lookup(r->mm, haddr);
	if (restore_huge_ok(vma, haddr) && !anon_vma_prepare(vma)) {
		pmd = restore_pmd(r->mm, haddr);
		if (pmd && pmd_none(pmdp_get_lockless(pmd)))
			pgtable = pte_alloc_one(r->mm);
		if (pgtable) {
			gfp = vma_thp_gfp_mask(vma);
			folio = vma_alloc_folio(gfp, HPAGE_PMD_ORDER, vma, haddr,
						true);
		}
	}
	mmap_read_unlock(r->mm);
	if (!folio)
		goto out;
	if (mem_cgroup_charge(folio, r->mm, gfp)) {
		folio_put(folio);
		goto out;
	}
	folio_throttle_swaprate(folio, gfp);
	r->huge = folio;
	r->huge_pgtable = pgtable;
	r->huge_addr = haddr;
	r->huge_next = haddr;
	return true;
out:
	if (pgtable)
		pte_free(r->mm, pgtable);
	return false;
}

/* Zero the pages of the huge page being filled below @to not filled yet. */
static void restore_huge_zero(struct ckpt_mm_restore *r, u64 to)
{
	for (; r->huge_next < to; r->huge_next += PAGE_SIZE)
		clear_highpage(folio_page(r->huge,
					  (r->huge_next - r->huge_addr) >> PAGE_SHIFT));
}

/*
 * Map the huge page that was filled as a write fault would have mapped
 * it, the pages that no record filled zeroed; with @err, only drop it.
 * Nothing but this task maps pages in its mm while it is restored.
 */
static int restore_huge_end(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			    int err)
{
	pgtable_t pgtable = r->huge_pgtable;
	unsigned long haddr = r->huge_addr;
	struct folio *folio = r->huge;
	struct mm_struct *mm = r->mm;
	struct vm_area_struct *vma;
	pmd_t *pmd = NULL;
	spinlock_t *ptl;	/* the pmd's */
	pmd_t entry;

	if (!folio)
		return err;
	if (!err)
		restore_huge_zero(r, haddr + HPAGE_PMD_SIZE);
	r->huge = NULL;
	r->huge_pgtable = NULL;
	if (err)
		goto drop;
	/* Its contents are visible before the pmd that maps it. */
	flush_dcache_folio(folio);
	__folio_mark_uptodate(folio);

	err = mmap_read_lock_killable(mm);
	if (err)
		goto drop;
	vma = vma_lookup(mm, haddr);
	if (restore_huge_fits(vma, haddr) && vma->anon_vma)
		pmd = restore_pmd(mm, haddr);
	if (pmd) {
		ptl = pmd_lock(mm, pmd);
		if (pmd_none(*pmd) && !check_stable_address_space(mm)) {
			entry = mk_huge_pmd(&folio->page, vma->vm_page_prot);
			entry = maybe_pmd_mkwrite(pmd_mkdirty(entry), vma);
			folio_add_new_anon_rmap(folio, vma, haddr, RMAP_EXCLUSIVE);
			folio_add_lru_vma(folio, vma);
			pgtable_trans_huge_deposit(mm, pmd, pgtable);
			set_pmd_at(mm, haddr, pmd, entry);
			update_mmu_cache_pmd(vma, haddr, pmd);
			add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR);
			mm_inc_nr_ptes(mm);
			deferred_split_folio(folio, false);
			folio = NULL;
			pgtable = NULL;
		}
		spin_unlock(ptl);
	}
	mmap_read_unlock(mm);
	if (!folio)
		return 0;
	err = ckpt_err(ctx, -EBUSY, "memory at %#lx changed while it was restored",
		       haddr);
drop:
	if (pgtable)
		pte_free(mm, pgtable);
	folio_put(folio);
	return err;
}

/*
 * Read the pages from @addr on of a record that ends at @end into a
 * huge page, up to the end of its 2 MiB; map it once they are all
 * there.  Returns how many were read (0: none go to a huge page) or a
 * negative errno.
 */
static long restore_huge_pages(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			       const struct ckpt_hdr_vma *h, u64 addr, u64 end)
{
	unsigned int i, first, nr;
	u64 stop;
	int err;

	if (r->huge && addr >= r->huge_addr + HPAGE_PMD_SIZE) {
		err = restore_huge_end(ctx, r, 0);
		if (err)
			return err;
	}
	if (!r->huge && !restore_huge_begin(r, h, addr))
		return 0;

	stop = min(end, r->huge_addr + HPAGE_PMD_SIZE);
	restore_huge_zero(r, addr);
	first = (addr - r->huge_addr) >> PAGE_SHIFT;
	nr = (stop - addr) >> PAGE_SHIFT;
	for (i = 0; i < nr; i++)
		r->run[i] = folio_page(r->huge, first + i);
	err = ckpt_read_page_run(ctx, r->run, nr, stop == end);
	if (err)
		return err;
	r->huge_next = stop;
	if (stop == r->huge_addr + HPAGE_PMD_SIZE) {
		err = restore_huge_end(ctx, r, 0);
		if (err)
			return err;
	}
	return nr;
}

/*
 * Where the pages from @addr that do not go to a huge page stop: at
 * the next 2 MiB, where a huge page may be started, in a mapping whose
 * pages may go to one.
 */
static u64 restore_small_end(const struct ckpt_hdr_vma *h, u64 addr, u64 end)
{
	if (!restore_huge_kind(h))
		return end;
	return min(end, ALIGN_DOWN(addr, HPAGE_PMD_SIZE) + HPAGE_PMD_SIZE);
}
#else
static long restore_huge_pages(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			       const struct ckpt_hdr_vma *h, u64 addr, u64 end)
{
	return 0;
}

static int restore_huge_end(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			    int err)
{
	return err;
}

static u64 restore_small_end(const struct ckpt_hdr_vma *h, u64 addr, u64 end)
{
	return end;
}
#endif

/* Read the saved contents of @h's pages into the mapping just made. */
static int restore_write_pages(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			       const struct ckpt_hdr_vma *vma,
			       const struct ckpt_hdr_pages *h)
{
	u64 addr = h->addr, end = h->addr + (u64)h->nr_pages * PAGE_SIZE, stop;
	long nr;
	int err;

	while (addr < end) {
		nr = restore_huge_pages(ctx, r, vma, addr, end);
		if (nr < 0)
			return nr;
		if (nr) {
			addr += nr * PAGE_SIZE;
			continue;
		}
		stop = restore_small_end(vma, addr, end);
		if (vma->kind != CKPT_VMA_HUGETLB) {
			nr = restore_anon_pages(ctx, r, addr,
						(stop - addr) >> PAGE_SHIFT,
						stop == end);
			if (nr < 0)
				return nr;
			if (nr) {
				addr += nr * PAGE_SIZE;
				continue;
			}
		}
		err = restore_small_pages(ctx, r, vma, addr,
					  (stop - addr) >> PAGE_SHIFT, stop == end);
		if (err)
			return err;
		addr = stop;
	}
	return 0;
}

/*
 * One CKPT_HDR_PAGES record of a mapping, or with @type CKPT_HDR_PAGES_COW
 * one that lists pages of the parent.  In a mapping kept from the
 * parent, the pages from *@next up to those saved, or up to those of
 * the parent, are dropped.
 */
static int restore_pages(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			 const struct ckpt_hdr_vma *vma, u32 type, u64 *next)
{
	bool cow = type == CKPT_HDR_PAGES_COW;
	u64 end, from = *next;
	struct ckpt_hdr_pages *h;
	u32 payload = 0;
	int err = -EINVAL;

	if (cow)
		h = ckpt_read_record(ctx, type, sizeof(*h), sizeof(*h));
	else
		h = ckpt_read_record_head(ctx, type, sizeof(*h),
					  sizeof(*h) + CKPT_PAGES_MAX * PAGE_SIZE,
					  &payload);
	if (IS_ERR(h))
		return PTR_ERR(h);
	end = h->addr + (u64)h->nr_pages * PAGE_SIZE;
	if (!h->nr_pages || h->nr_pages > CKPT_PAGES_MAX ||
	    payload != (cow ? 0 : (u64)h->nr_pages * PAGE_SIZE))
		ckpt_err(ctx, err, "nr_pages %u does not match length %u",
			 h->nr_pages, h->h.len);
	else if (!PAGE_ALIGNED(h->addr) || h->addr < *next ||
		 h->addr >= vma->end ||
		 h->nr_pages > (vma->end - h->addr) >> PAGE_SHIFT)
		ckpt_err(ctx, err, "pages %#llx-%#llx outside their mapping or out of order",
			 h->addr, end);
	else if (!ckpt_vma_own_pages(vma->kind, vma->flags & CKPT_VMA_SHARED))
		ckpt_err(ctx, err, "pages for a mapping whose pages are not saved");
	else if (cow && !(vma->flags & CKPT_VMA_FORKED))
		ckpt_err(ctx, err, "pages of the parent in a mapping not from it");
	else
		err = ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
	*next = end;
	if (!err && r->mm && (vma->flags & CKPT_VMA_FORKED))
		restore_zap(r, from, cow ? h->addr : end);
	if (!err && !cow)
		err = r->mm ? restore_write_pages(ctx, r, vma, h) :
			      ckpt_read_payload(ctx, NULL, payload, true);
	kvfree(h);
	return err;
}

/*
 * The file of a VMA record is the file that was mapped at checkpoint
 * time: the same inode and device and, unless the mapping is shared and
 * writable, the same size and mtime.  What a program maps so is its own
 * output, like a file it opened for writing, and may have changed since.
 */
static bool restore_same_mapped(const struct inode *inode, const void *arg)
{
	const struct ckpt_hdr_vma *h = arg;
	const u32 out = CKPT_VMA_SHARED | CKPT_VMA_MAYWRITE;
	struct timespec64 mtime = inode_get_mtime(inode);

	if (!S_ISREG(inode->i_mode) || inode->i_ino != h->ino ||
	    new_encode_dev(inode->i_sb->s_dev) != h->dev)
		return false;
	return (h->flags & out) == out ||
	       (i_size_read(inode) == h->size && mtime.tv_sec == h->mtime_sec &&
		mtime.tv_nsec == h->mtime_nsec);
}

/*
 * The executable: a regular file, which restore_check_exe() later finds
 * among the files mapped, and those were checked against the image.
 */
static bool restore_regular(const struct inode *inode, const void *arg)
{
	return S_ISREG(inode->i_mode);
}

static int restore_madvise(struct mm_struct *mm, const struct ckpt_hdr_vma *h)
{
	static const struct { u32 flag; int advice; } map[] = {
		{ CKPT_VMA_DONTDUMP, MADV_DONTDUMP },
		{ CKPT_VMA_DONTFORK, MADV_DONTFORK },
		{ CKPT_VMA_WIPEONFORK, MADV_WIPEONFORK },
		{ CKPT_VMA_HUGEPAGE, MADV_HUGEPAGE },
		{ CKPT_VMA_NOHUGEPAGE, MADV_NOHUGEPAGE },
	};
	const u32 thp = CKPT_VMA_HUGEPAGE | CKPT_VMA_NOHUGEPAGE;
	unsigned int i;
	int err = 0;

	/*
	 * Advice on transparent huge pages is only a hint: a kernel
	 * without them takes none, and the mapping is kept without it.
	 */
	for (i = 0; i < ARRAY_SIZE(map) && !err; i++)
		if ((h->flags & map[i].flag) &&
		    (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ||
		     !(map[i].flag & thp)))
			err = do_madvise(mm, h->start, h->end - h->start,
					 map[i].advice);
	return err;
}

/*
 * Unmap what the copy of the creator's mm has below the mapping of VMA
 * record @h, then tell with @same whether the mapping it has at @h's
 * start is the one @h describes.  Return: 1, 0, or a negative errno.
 */
static int restore_find_kept(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			     const struct ckpt_hdr_vma *h,
			     bool (*same)(struct vm_area_struct *vma,
					  const struct ckpt_hdr_vma *h))
{
	struct vm_area_struct *vma;
	bool found;
	int err;

	err = restore_sweep(r, h->start);
	if (err)
		return ckpt_err(ctx, err, "cannot unmap below %#llx", h->start);
	mmap_read_lock(r->mm);
	vma = vma_lookup(r->mm, h->start);
	found = vma && same(vma, h);
	mmap_read_unlock(r->mm);
	return found;
}

/*
 * Whether @vma is the parent's mapping that a record marked
 * CKPT_VMA_FORKED describes.  What the file allows the new mapping is as
 * it would be for a new one; MAP_NORESERVE is the parent's, as mmap(2)
 * gave it again.  Advice on huge pages is a hint, which the parent's
 * took only if this kernel has them: fork(2) copied it, whatever it is.
 */
static bool restore_same_forked(struct vm_area_struct *vma,
				const struct ckpt_hdr_vma *h)
{
	const u32 may = CKPT_VMA_MAYREAD | CKPT_VMA_MAYWRITE | CKPT_VMA_MAYEXEC;
	const u32 thp = CKPT_VMA_HUGEPAGE | CKPT_VMA_NOHUGEPAGE;

	if (h->end > vma->vm_end ||
	    ((ckpt_vma_flags(vma->vm_flags) | may) & ~thp) !=
	    ((h->flags & ~(CKPT_VMA_FORKED | CKPT_VMA_NORESERVE | thp)) | may))
		return false;
	if (h->kind == CKPT_VMA_ANON)
		return vma_is_anonymous(vma);
	return vma->vm_file &&
	       restore_same_mapped(file_inode(vma->vm_file), h) &&
	       vma->vm_pgoff + ((h->start - vma->vm_start) >> PAGE_SHIFT) ==
	       h->pgoff;
}

/*
 * Keep the mapping of a VMA record marked CKPT_VMA_FORKED from the copy
 * of the creator's mm: the creator is the parent, which rebuilt its own
 * mm before it created current.  It must be there as the record says.
 */
static int restore_keep_vma(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			    const struct ckpt_hdr_vma *h)
{
	int found = restore_find_kept(ctx, r, h, restore_same_forked);

	if (found < 0)
		return found;
	if (!found)
		return ckpt_err(ctx, -EINVAL,
				"mapping %#llx-%#llx is not the parent's",
				h->start, h->end);
	r->swept = h->end;
	return 0;
}

/*
 * Whether @vma is the [vdso] or [vvar] mapping that @h describes, as the
 * kernel mapped it: by the name the checkpoint side takes the kind from,
 * and with no pages of its own (none was written through ptrace).
 */
static bool restore_same_vdso(struct vm_area_struct *vma,
			      const struct ckpt_hdr_vma *h)
{
	const char *name = h->kind == CKPT_VMA_VDSO ? "[vdso]" : "[vvar]";

	return vma->vm_start == h->start && vma->vm_end == h->end &&
	       !vma->anon_vma && vma->vm_ops && vma->vm_ops->name &&
	       !strcmp(vma->vm_ops->name(vma), name);
}

/*
 * Note where the vDSO or its data go, to map them last, once the mm is
 * built (restore_mm_end()).  A process forked from a parent that had
 * them at the same place has them there already: it keeps them.
 */
static int restore_vdso_vma(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			    const struct ckpt_hdr_vma *h)
{
	int kept = restore_find_kept(ctx, r, h, restore_same_vdso);
	int err;

	if (kept < 0)
		return kept;
	if (kept)
		r->swept = h->end;
	err = restore_sweep(r, h->end);
	if (err)
		return ckpt_err(ctx, err, "cannot unmap below %#llx", h->end);
	if (h->kind == CKPT_VMA_VDSO) {
		r->vdso_start = h->start;
		r->vdso_end = h->end;
		r->vdso_kept = kept;
	} else {
		r->vvar_start = h->start;
		r->vvar_end = h->end;
		r->vvar_kept = kept;
	}
	return 0;
}

/* Make the mapping of a checked VMA record in current's mm. */
static int restore_map_vma(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			   const struct ckpt_hdr_vma *h)
{
	bool shared = h->flags & CKPT_VMA_SHARED;
	unsigned long prot = 0, flags, addr;
	struct file *file = NULL;
	int err;

	if (h->flags & CKPT_VMA_FORKED)
		return restore_keep_vma(ctx, r, h);
	if (h->kind == CKPT_VMA_VDSO || h->kind == CKPT_VMA_VVAR)
		return restore_vdso_vma(ctx, r, h);
	err = restore_sweep(r, h->end);
	if (err)
		return ckpt_err(ctx, err, "cannot unmap below %#llx", h->end);

	switch (h->kind) {
	case CKPT_VMA_FILE:
		file = ckpt_open_path(ctx, (const char *)(h + 1),
				      shared && (h->flags & CKPT_VMA_MAYWRITE) ?
				      O_RDWR : O_RDONLY, restore_same_mapped, h);
		if (IS_ERR(file))
			return PTR_ERR(file);
		break;
	case CKPT_VMA_SHMEM:
		file = ckpt_obj_fetch(ctx, ((const struct ckpt_vma_shmem *)(h + 1))->shmem_ref,
				      &ckpt_shmem_ops, "shmem_ref");
		if (IS_ERR(file))
			return PTR_ERR(file);
		get_file(file);
		break;
	case CKPT_VMA_SYSVSHM:
		err = restore_sysvshm(ctx, ((const struct ckpt_vma_shmem *)(h + 1))->shmem_ref,
				      h->start, h->flags);
		if (err)
			return err;
		goto advise;
	case CKPT_VMA_HUGETLB: {
		struct ckpt_huge_shm *obj;

		if (!shared)
			break;
		obj = ckpt_obj_fetch(ctx, ((const struct ckpt_vma_shmem *)(h + 1))->shmem_ref,
				     &ckpt_shmem_hugetlb_ops, "shmem_ref");
		if (IS_ERR(obj))
			return PTR_ERR(obj);
		file = get_file(obj->file);
		break;
	}
	case CKPT_VMA_MEMFD:
		/*
		 * Writable if shared and it could be made writable: a private
		 * mapping needs no more than a read-only file, and the file
		 * of an unlinked executable denies writes.
		 */
		file = ckpt_memfd_open(ctx, ((const struct ckpt_vma_shmem *)(h + 1))->shmem_ref,
				       shared && (h->flags & CKPT_VMA_MAYWRITE) ?
				       O_RDWR : O_RDONLY);
		if (IS_ERR(file))
			return PTR_ERR(file);
		break;
	}

	if (h->flags & CKPT_VMA_READ)
		prot |= PROT_READ;
	if (h->flags & CKPT_VMA_WRITE)
		prot |= PROT_WRITE;
	if (h->flags & CKPT_VMA_EXEC)
		prot |= PROT_EXEC;
	flags = MAP_FIXED_NOREPLACE | (shared ? MAP_SHARED : MAP_PRIVATE);
	if (!file)
		flags |= MAP_ANONYMOUS;
	if (h->flags & CKPT_VMA_GROWSDOWN)
		flags |= MAP_GROWSDOWN;
	if (h->flags & CKPT_VMA_LOCKED)
		flags |= MAP_LOCKED;
	if (h->flags & CKPT_VMA_NORESERVE)
		flags |= MAP_NORESERVE;

	/* mmap(2) makes the file of private hugetlb memory, as asked to. */
	if (h->kind == CKPT_VMA_HUGETLB && !shared)
		addr = ksys_mmap_pgoff(h->start, h->end - h->start, prot,
				       flags | MAP_HUGETLB |
				       (ilog2(h->size) << MAP_HUGE_SHIFT),
				       -1, 0);
	else
		addr = vm_mmap(file, h->start, h->end - h->start, prot, flags,
			       file ? h->pgoff << PAGE_SHIFT : 0);
	if (file)
		fput(file);
	if (IS_ERR_VALUE(addr))
		return ckpt_err(ctx, (long)addr, "cannot map %#llx-%#llx",
				h->start, h->end);
	if (addr != h->start)
		return ckpt_err(ctx, -EINVAL, "%#llx-%#llx was mapped at %#lx",
				h->start, h->end, addr);
advise:
	err = restore_madvise(r->mm, h);
	if (err)
		return ckpt_err(ctx, err, "cannot advise %#llx-%#llx",
				h->start, h->end);
	return 0;
}

/* Read the VMA records of an mm, each with the pages that follow it. */
static int restore_vmas(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r)
{
	unsigned int i, seen = 0;
	u64 prev_end = 0;
	int err = 0;

	for (i = 0; i < r->hdr.nr_vmas && !err; i++) {
		struct ckpt_hdr_vma *h;
		u64 next;
		u32 type;

		h = ckpt_read_record(ctx, CKPT_HDR_VMA, sizeof(*h),
				     sizeof(*h) + CKPT_PATH_MAX);
		if (IS_ERR(h))
			return PTR_ERR(h);
		err = restore_check_vma(ctx, h, prev_end, &seen);
		if (!err && r->mm)
			err = restore_map_vma(ctx, r, h);
		prev_end = h->end;
		next = h->start;
		while (!err) {
			err = ckpt_peek_type(ctx, &type);
			if (err || (type != CKPT_HDR_PAGES &&
				    type != CKPT_HDR_PAGES_COW))
				break;
			err = restore_pages(ctx, r, h, type, &next);
		}
		err = restore_huge_end(ctx, r, err);
		if (!err && r->mm && (h->flags & CKPT_VMA_FORKED))
			restore_zap(r, next, h->end);
		kvfree(h);
	}
	return err;
}

static int restore_check_mm(struct ckpt_ctx *ctx, const struct ckpt_hdr_mm *h)
{
	const char *exe = (const char *)(h + 1) + h->nr_auxv * sizeof(u64);

	if (h->nr_vmas > CKPT_MM_MAX_VMAS || h->nr_auxv > CKPT_MM_MAX_AUXV ||
	    h->nr_auxv % 2 || h->exe_len > CKPT_PATH_MAX)
		return ckpt_err(ctx, -EINVAL, "nr_vmas %u, nr_auxv %u or exe_len %u out of range",
				h->nr_vmas, h->nr_auxv, h->exe_len);
	if (h->h.h.len != sizeof(*h) + h->nr_auxv * sizeof(u64) + h->exe_len)
		return ckpt_err(ctx, -EINVAL, "length %u does not match its counts",
				h->h.h.len);
	if (h->exe_len && (strnlen(exe, h->exe_len) != h->exe_len - 1 ||
			   exe[0] != '/'))
		return ckpt_err(ctx, -EINVAL,
				"executable path is not absolute and NUL terminated");
	if (h->exe_ref && !h->exe_len)
		return ckpt_err(ctx, -EINVAL, "exe_ref %u without a path", h->exe_ref);
	if (h->exe_ref &&
	    IS_ERR(ckpt_obj_fetch(ctx, h->exe_ref, &ckpt_memfd_ops, "exe_ref")))
		return -EBADR;
	if (h->start_code > h->end_code || h->start_data > h->end_data ||
	    h->start_brk > h->brk || h->arg_start > h->arg_end ||
	    h->env_start > h->env_end || h->brk > TASK_SIZE_MAX ||
	    h->end_code > TASK_SIZE_MAX || h->end_data > TASK_SIZE_MAX ||
	    h->start_stack > TASK_SIZE_MAX || h->arg_end > TASK_SIZE_MAX ||
	    h->env_end > TASK_SIZE_MAX)
		return ckpt_err(ctx, -EINVAL, "layout fields out of order or range");
	return 0;
}

/*
 * The executable that current has from its parent, if the image's path
 * leads to it: the parent opened the same path a moment ago in this
 * restart (or the caller runs it).  One lookup tells, with no open.
 * Return: the file, with a reference, or NULL.
 */
static struct file *restore_inherited_exe(struct mm_struct *mm,
					  const char *path)
{
	struct file *exe = get_mm_exe_file(mm);
	struct path p;
	bool same;

	if (!exe)
		return NULL;
	same = !kern_path(path, LOOKUP_FOLLOW, &p);
	if (same) {
		same = path_equal(&p, &exe->f_path);
		path_put(&p);
	}
	if (same)
		return exe;
	fput(exe);
	return NULL;
}

/* Open the image's executable, to make it current's once its mm is built. */
static int restore_mm_begin(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			    const struct ckpt_hdr_mm *h)
{
	const char *path = (const char *)(h + 1) + h->nr_auxv * sizeof(u64);
	struct file *exe;
	int err;

	if (!h->exe_len)
		return ckpt_err(ctx, -EINVAL, "the address space has no executable");
	/* Readers of saved_auxv stop at an AT_NULL entry: keep one. */
	if (h->nr_auxv > ARRAY_SIZE(r->mm->saved_auxv) - 2)
		return ckpt_err(ctx, -EINVAL, "nr_auxv %u: this kernel keeps %zu",
				h->nr_auxv, ARRAY_SIZE(r->mm->saved_auxv) - 2);

	if (h->exe_ref)		/* An unlinked one, saved by its contents */
		exe = ckpt_memfd_open(ctx, h->exe_ref, O_RDONLY);
	else
		exe = restore_inherited_exe(r->mm, path) ?:
		      ckpt_open_path(ctx, path, O_RDONLY, restore_regular, NULL);
	if (IS_ERR(exe))
		return PTR_ERR(exe);
	/* What prctl(PR_SET_MM_EXE_FILE) asks of a new executable. */
	err = -EACCES;
	if (S_ISREG(file_inode(exe)->i_mode) && !path_noexec(&exe->f_path))
		err = file_permission(exe, MAY_EXEC);
	if (err) {
		fput(exe);
		return ckpt_err(ctx, err, "cannot make %s the executable", path);
	}
	r->exe = exe;
	r->exe_ino = file_inode(exe);
	/*
	 * Not the caller's nor the creator's PR_SET_THP_DISABLE: the pages
	 * go where the system would give them, until the task's attributes
	 * set the flag again (ckpt_read_task_attrs()).
	 */
	if (test_bit(MMF_DISABLE_THP, &r->mm->flags)) {
		err = mmap_write_lock_killable(r->mm);
		if (err)
			return err;
		clear_bit(MMF_DISABLE_THP, &r->mm->flags);
		mmap_write_unlock(r->mm);
	}
	return 0;
}

/*
 * Make the executable current's, unless it is already: a process keeps
 * the one of its parent, which a mapping kept from the parent may map.
 */
static int restore_exe(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
		       const struct ckpt_hdr_mm *h)
{
	struct file *old = get_mm_exe_file(r->mm);
	bool same = old && path_equal(&old->f_path, &r->exe->f_path);
	int err = 0;

	if (old)
		fput(old);
	if (!same)
		err = replace_mm_exe_file(r->mm, r->exe);
	if (err)
		return ckpt_err(ctx, err, "cannot make %s the executable",
				(const char *)(h + 1) + h->nr_auxv * sizeof(u64));
	return 0;
}

/*
 * The executable must be one of the files mapped, which were checked to
 * be those of the checkpoint: a process cannot name any file it reads
 * as its executable, and deny writes to it.
 */
static int restore_check_exe(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			     const struct ckpt_hdr_mm *h)
{
	VMA_ITERATOR(vmi, r->mm, 0);
	struct vm_area_struct *vma;
	bool found = false;

	mmap_read_lock(r->mm);
	for_each_vma(vmi, vma) {
		if (vma->vm_file && file_inode(vma->vm_file) == r->exe_ino) {
			found = true;
			break;
		}
	}
	mmap_read_unlock(r->mm);
	if (!found)
		return ckpt_err(ctx, -EINVAL, "the executable %s is not mapped",
				(const char *)(h + 1) + h->nr_auxv * sizeof(u64));
	return 0;
}

/*
 * With every mapping in place: what is left of the copy goes, then come
 * the executable, the vDSO and the layout fields.
 */
static int restore_mm_end(struct ckpt_ctx *ctx, struct ckpt_mm_restore *r,
			  const struct ckpt_hdr_mm *h)
{
	struct mm_struct *mm = r->mm;
	int err;

	err = restore_sweep(r, TASK_SIZE);
	if (err)
		return ckpt_err(ctx, err, "cannot unmap above %#llx", r->swept);
	err = restore_exe(ctx, r, h);
	if (err)
		return err;
	/* Both kept, or neither: one kept alone goes, and both are made. */
	if (r->vdso_kept != r->vvar_kept)
		err = r->vdso_kept ?
		      vm_munmap(r->vdso_start, r->vdso_end - r->vdso_start) :
		      vm_munmap(r->vvar_start, r->vvar_end - r->vvar_start);
	if (err)
		return ckpt_err(ctx, err, "cannot unmap the vDSO");
	if ((r->vdso_end || r->vvar_end) && !(r->vdso_kept && r->vvar_kept)) {
		err = ckpt_arch_map_vdso(r->vvar_start, r->vvar_end,
					 r->vdso_start, r->vdso_end);
		if (err)
			return ckpt_err(ctx, err, "cannot map the vDSO at %#llx",
					r->vdso_start);
	}

	mmap_write_lock(mm);
	spin_lock(&mm->arg_lock);
	mm->start_code = h->start_code;
	mm->end_code = h->end_code;
	mm->start_data = h->start_data;
	mm->end_data = h->end_data;
	mm->start_brk = h->start_brk;
	mm->brk = h->brk;
	mm->start_stack = h->start_stack;
	mm->arg_start = h->arg_start;
	mm->arg_end = h->arg_end;
	mm->env_start = h->env_start;
	mm->env_end = h->env_end;
	spin_unlock(&mm->arg_lock);
	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	memcpy(mm->saved_auxv, h + 1, h->nr_auxv * sizeof(u64));
	mmap_write_unlock(mm);
	return 0;
}

/*
 * Read an mm record and the VMA and page records that follow it.  When
 * restoring, current is a task that restart(2) created for the image:
 * its mm, a copy of the restarting task's, is emptied and rebuilt.
 */
static void *ckpt_mm_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_mm *h = container_of(hdr, struct ckpt_hdr_mm, h.h);
	struct ckpt_mm_restore *r;
	int err;

	err = ckpt_check_own(ctx, CKPT_PIDS_SHARE_VM, "mm") ?:
	      restore_check_mm(ctx, h);
	if (err)
		return ERR_PTR(err);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->hdr = *h;

	if (ckpt_restoring(ctx)) {
		r->mm = current->mm;
		r->run = kmalloc_array(CKPT_PAGES_MAX, sizeof(*r->run),
				       GFP_KERNEL);
		err = r->run ? restore_mm_begin(ctx, r, h) : -ENOMEM;
	}
	if (!err)
		err = restore_vmas(ctx, r);
	if (!err && r->mm)
		err = restore_check_exe(ctx, r, h) ?: restore_mm_end(ctx, r, h);
	kfree(r->run);
	r->run = NULL;
	if (r->exe)
		fput(r->exe);
	r->exe = NULL;
	if (err) {
		kfree(r);
		return ERR_PTR(err);
	}
	return r;
}

/*
 * The huge pages of a hugetlbfs file that the @nr pages from @index
 * fall in, zeroed if new: those the file reserved, or free ones of the
 * pool.  Its mappings reserve what is not there yet when they are made.
 * (A SIGSTOP pending makes it fail with EINTR, as fallocate(2) does.)
 */
static int restore_huge_alloc(struct file *file, pgoff_t index,
			      unsigned int nr)
{
	unsigned long huge = huge_page_size(hstate_file(file));
	loff_t start = round_down((loff_t)index << PAGE_SHIFT, huge);
	loff_t end = round_up((loff_t)(index + nr) << PAGE_SHIFT, huge);
	int err;

	err = vfs_fallocate(file, FALLOC_FL_KEEP_SIZE, start, end - start);
	/* No page in the pool: what mmap(2) says when it cannot reserve. */
	return err == -ENOSPC ? -ENOMEM : err;
}

/*
 * Restart of shared anonymous memory: one shmem file, as mmap(2) makes
 * for MAP_SHARED | MAP_ANONYMOUS, filled with the pages of the image;
 * every CKPT_VMA_SHMEM record that names it maps it.
 */

static int restore_shmem_fill(struct ckpt_ctx *ctx, struct file *file,
			      const struct ckpt_hdr_pages *h,
			      struct page **run)
{
	struct inode *inode = file_inode(file);
	pgoff_t index = h->addr >> PAGE_SHIFT;
	bool huge = is_file_hugepages(file);
	unsigned int got = 0, i;
	int err = 0;

	if (huge)
		err = restore_huge_alloc(file, index, h->nr_pages);
	for (; got < h->nr_pages && !err; got++) {
		struct folio *folio;

		if (huge) {
			folio = filemap_get_folio(inode->i_mapping,
						  index + got);
			if (IS_ERR(folio)) {
				err = PTR_ERR(folio);
				break;
			}
		} else {
			/* SGP_CACHE: a zeroed page, within the size checked. */
			err = shmem_get_folio(inode, index + got, 0, &folio,
					      SGP_CACHE);
			if (err)
				break;
			folio_unlock(folio);
		}
		run[got] = folio_file_page(folio, index + got);
		get_page(run[got]);
		folio_put(folio);
	}
	if (!err)
		err = ckpt_read_page_run(ctx, run, got, true);
	for (i = 0; i < got; i++) {
		set_page_dirty_lock(run[i]);
		put_page(run[i]);
	}
	if (err)
		return ckpt_err(ctx, err, "cannot fill shared memory%s at %#llx",
				huge ? " of huge pages" : "", h->addr);
	return 0;
}

static int restore_shmem_pages(struct ckpt_ctx *ctx, struct file *file,
			       u64 size, u64 *next, struct page **run)
{
	struct ckpt_hdr_pages *h;
	int err = -EINVAL;
	u32 payload;

	h = ckpt_read_record_head(ctx, CKPT_HDR_PAGES, sizeof(*h),
				  sizeof(*h) + CKPT_PAGES_MAX * PAGE_SIZE,
				  &payload);
	if (IS_ERR(h))
		return PTR_ERR(h);
	size = PAGE_ALIGN(size);
	if (!h->nr_pages || h->nr_pages > CKPT_PAGES_MAX ||
	    payload != (u64)h->nr_pages * PAGE_SIZE)
		ckpt_err(ctx, err, "nr_pages %u does not match length %u",
			 h->nr_pages, h->h.len);
	else if (!PAGE_ALIGNED(h->addr) || h->addr < *next || h->addr >= size ||
		 h->nr_pages > (size - h->addr) >> PAGE_SHIFT)
		ckpt_err(ctx, err, "pages at %#llx outside the shared memory or out of order",
			 h->addr);
	else
		err = ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
	if (!err) {
		*next = h->addr + (u64)h->nr_pages * PAGE_SIZE;
		err = file ? restore_shmem_fill(ctx, file, h, run) :
			     ckpt_read_payload(ctx, NULL, payload, true);
	}
	kvfree(h);
	return err;
}

/**
 * restore_shmem_contents - read the pages of a shmem object
 * @ctx:	restart context
 * @file:	the object's file, or NULL to only check them
 * @size:	its size in bytes
 *
 * Reads the CKPT_HDR_PAGES records after the object's record.
 *
 * Return: 0 or a negative errno.
 */
int restore_shmem_contents(struct ckpt_ctx *ctx, struct file *file,
			   u64 size)
{
	struct page **run = NULL;
	u64 next = 0;
	u32 type;
	int err;

	if (file) {
		run = kmalloc_array(CKPT_PAGES_MAX, sizeof(*run), GFP_KERNEL);
		if (!run)
			return -ENOMEM;
	}
	do {
		err = ckpt_peek_type(ctx, &type);
		if (!err && type == CKPT_HDR_PAGES)
			err = restore_shmem_pages(ctx, file, size, &next, run);
	} while (!err && type == CKPT_HDR_PAGES);
	kfree(run);
	return err;
}

static void *ckpt_shmem_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_shmem *h = container_of(hdr, struct ckpt_hdr_shmem,
						h.h);
	struct file *file = NULL;
	int err;

	if (!h->size || h->size > MAX_LFS_FILESIZE)
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "shared memory of %llu bytes",
					h->size));
	if (ckpt_restoring(ctx)) {
		/*
		 * As shmem_zero_setup() makes it; accounted, as for a mapping
		 * without MAP_NORESERVE.
		 */
		file = shmem_kernel_file_setup("dev/zero", h->size, 0);
		if (IS_ERR(file))
			return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
						"cannot make shared memory of %llu bytes",
						h->size));
	}
	err = restore_shmem_contents(ctx, file, h->size);
	if (err) {
		if (file)
			fput(file);
		return ERR_PTR(err);
	}
	return file ?: ZERO_SIZE_PTR;
}

/*
 * Restart of shared memory of huge pages: a hugetlbfs file, as mmap(2)
 * makes for MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB (reserving nothing
 * itself), filled with the huge pages of the image (-ENOMEM if the pool
 * has too few); its mappings reserve the rest as mmap(2) did, unless
 * made with MAP_NORESERVE.
 */
static void *ckpt_shmem_hugetlb_restore(struct ckpt_ctx *ctx,
					struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_shmem_hugetlb *h =
		container_of(hdr, struct ckpt_hdr_shmem_hugetlb, h.h);
	struct ckpt_huge_shm *obj;
	int err;

	if (!ckpt_huge_size_ok(h->page_size) || !h->size ||
	    !IS_ALIGNED(h->size, h->page_size) || h->size > MAX_LFS_FILESIZE)
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"shared memory of %llu bytes of pages of %llu",
					h->size, h->page_size));
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->size = h->size;
	obj->page_size = h->page_size;
	if (ckpt_restoring(ctx)) {
		obj->file = hugetlb_file_setup(HUGETLB_ANON_FILE, h->size,
					       VM_NORESERVE,
					       HUGETLB_ANONHUGE_INODE,
					       ilog2(h->page_size));
		if (IS_ERR(obj->file)) {
			err = ckpt_err(ctx, PTR_ERR(obj->file),
				       "cannot make shared memory of %llu bytes of huge pages",
				       h->size);
			kfree(obj);
			return ERR_PTR(err);
		}
	}
	err = restore_shmem_contents(ctx, obj->file, h->size);
	if (err) {
		if (obj->file)
			fput(obj->file);
		kfree(obj);
		return ERR_PTR(err);
	}
	return obj;
}

static void ckpt_shmem_hugetlb_release(void *ptr)
{
	struct ckpt_huge_shm *obj = ptr;

	if (obj->file)
		fput(obj->file);
	kfree(obj);
}

static void ckpt_shmem_release(void *ptr)
{
	if (ptr != ZERO_SIZE_PTR)
		fput(ptr);
}

/* Leak detection: the reference ckpt_shmem_grab() took, and a mapping's each. */
static unsigned long ckpt_shmem_users(void *ptr)
{
	struct file *file = ptr;

	return file_count(file);
}

const struct ckpt_obj_ops ckpt_shmem_ops = {
	.type = CKPT_HDR_SHMEM,
	.name = "shared memory",
	.min_len = sizeof(struct ckpt_hdr_shmem),
	.max_len = sizeof(struct ckpt_hdr_shmem),
	.grab = ckpt_shmem_grab,
	.drop = ckpt_shmem_drop,
	.checkpoint = ckpt_shmem_checkpoint,
	.restore = ckpt_shmem_restore,
	.release = ckpt_shmem_release,
	.users = ckpt_shmem_users,
};

const struct ckpt_obj_ops ckpt_shmem_hugetlb_ops = {
	.type = CKPT_HDR_SHMEM_HUGETLB,
	.name = "shared memory of huge pages",
	.min_len = sizeof(struct ckpt_hdr_shmem_hugetlb),
	.max_len = sizeof(struct ckpt_hdr_shmem_hugetlb),
	.grab = ckpt_shmem_grab,
	.drop = ckpt_shmem_drop,
	.checkpoint = ckpt_shmem_hugetlb_checkpoint,
	.restore = ckpt_shmem_hugetlb_restore,
	.release = ckpt_shmem_hugetlb_release,
	.users = ckpt_shmem_users,
};

/*
 * Restart of a memfd: made as memfd_create(2) makes it, with sealing
 * allowed, filled, given its permissions, then sealed, before any of
 * its files or mappings exist.  Seals that an executable memfd implies
 * are in the image already.
 */
static unsigned int restore_memfd_huge_shift(const struct ckpt_hdr_memfd *h)
{
	return (h->flags & CKPT_MEMFD_HUGE_MASK) >> CKPT_MEMFD_HUGE_SHIFT;
}

static int restore_check_memfd(struct ckpt_ctx *ctx,
			       const struct ckpt_hdr_memfd *h)
{
	const char *name = (const char *)(h + 1);

	if (h->h.h.len != sizeof(*h) + h->name_len || !h->name_len ||
	    h->name_len > CKPT_MEMFD_NAME_MAX ||
	    strnlen(name, h->name_len) != h->name_len - 1)
		return ckpt_err(ctx, -EINVAL, "memfd name of %u bytes, or not NUL terminated",
				h->name_len);
	if (h->size > MAX_LFS_FILESIZE || (h->seals & ~CKPT_MEMFD_SEALS) ||
	    (h->mode & ~S_IALLUGO))
		return ckpt_err(ctx, -EINVAL, "memfd of %llu bytes, seals %#x or mode %#o",
				h->size, h->seals, h->mode);
	if ((h->flags & ~(CKPT_MEMFD_UNLINKED | CKPT_MEMFD_HUGETLB |
			  CKPT_MEMFD_HUGE_MASK)) ||
	    ((h->flags & CKPT_MEMFD_UNLINKED) && h->seals) ||
	    ((h->flags & CKPT_MEMFD_HUGETLB) &&
	     ((h->flags & CKPT_MEMFD_UNLINKED) ||
	      restore_memfd_huge_shift(h) <= PAGE_SHIFT ||
	      !ckpt_huge_size_ok(1ULL << restore_memfd_huge_shift(h)) ||
	      !IS_ALIGNED(h->size, 1ULL << restore_memfd_huge_shift(h)))) ||
	    (!(h->flags & CKPT_MEMFD_HUGETLB) &&
	     (h->flags & CKPT_MEMFD_HUGE_MASK)))
		return ckpt_err(ctx, -EINVAL, "memfd of %llu bytes, flags %#x with seals %#x",
				h->size, h->flags, h->seals);
	return 0;
}

static struct file *restore_memfd(struct ckpt_ctx *ctx,
				  const struct ckpt_hdr_memfd *h)
{
	struct file *file;
	char *name;

	/* vm.memfd_noexec=2 refuses executable memfds to this pid namespace. */
	if ((h->mode & 0111) &&
	    pidns_memfd_noexec_scope(task_active_pid_ns(current)) >=
	    MEMFD_NOEXEC_SCOPE_NOEXEC_ENFORCED)
		return ERR_PTR(ckpt_err(ctx, -EACCES,
					"an executable memfd, which vm.memfd_noexec refuses"));
	/* An unlinked file comes back under its name, without seals. */
	name = kasprintf(GFP_KERNEL, "%s%s",
			 h->flags & CKPT_MEMFD_UNLINKED ? "" : CKPT_MEMFD_PREFIX,
			 (const char *)(h + 1));
	if (!name)
		return ERR_PTR(-ENOMEM);
	/* As memfd_create(2) makes it, its pages taken as it is filled. */
	if (h->flags & CKPT_MEMFD_HUGETLB)
		file = hugetlb_file_setup(name, h->size, VM_NORESERVE,
					  HUGETLB_ANONHUGE_INODE,
					  restore_memfd_huge_shift(h));
	else
		file = shmem_file_setup(name, h->size, VM_NORESERVE);
	kfree(name);
	if (IS_ERR(file))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(file),
					"cannot make a memfd of %llu bytes",
					h->size));
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE |
			FMODE_ATOMIC_POS;
	file->f_flags |= O_LARGEFILE;
	if (h->flags & CKPT_MEMFD_HUGETLB)
		HUGETLBFS_I(file_inode(file))->seals &= ~F_SEAL_SEAL;
	else if (!(h->flags & CKPT_MEMFD_UNLINKED))
		SHMEM_I(file_inode(file))->seals &= ~F_SEAL_SEAL;
	return file;
}

static void *ckpt_memfd_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_memfd *h = container_of(hdr, struct ckpt_hdr_memfd,
						h.h);
	struct file *file = NULL;
	int err;

	err = restore_check_memfd(ctx, h);
	if (err)
		return ERR_PTR(err);
	if (ckpt_restoring(ctx)) {
		file = restore_memfd(ctx, h);
		if (IS_ERR(file))
			return file;
	}
	err = restore_shmem_contents(ctx, file, h->size);
	if (!err && file && (file_inode(file)->i_mode & S_IALLUGO) != h->mode) {
		err = vfs_fchmod(file, h->mode);
		if (err)
			ckpt_err(ctx, err, "cannot give a memfd mode %#o", h->mode);
	}
	if (!err && file && h->seals) {
		err = memfd_fcntl(file, F_ADD_SEALS, h->seals);
		if (err)
			ckpt_err(ctx, err, "cannot seal a memfd with %#x", h->seals);
	}
	if (err) {
		if (file)
			fput(file);
		return ERR_PTR(err);
	}
	return file ?: ZERO_SIZE_PTR;
}

/**
 * ckpt_memfd_open - open a restored memfd again
 * @ctx:	restart context
 * @objref:	the objref of its CKPT_HDR_MEMFD
 * @flags:	open(2) flags, checked against CKPT_FILE_FLAGS
 *
 * As an open of /proc/self/fd/N of it would: a file of its own, with its
 * own offset and flags, on the same memory.
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *ckpt_memfd_open(struct ckpt_ctx *ctx, u32 objref, int flags)
{
	struct file *memfd, *file;

	memfd = ckpt_obj_fetch(ctx, objref, &ckpt_memfd_ops, "memfd_ref");
	if (IS_ERR(memfd))
		return memfd;
	file = dentry_open(&memfd->f_path, flags | O_LARGEFILE, current_cred());
	if (IS_ERR(file))
		ckpt_err(ctx, PTR_ERR(file), "cannot open memfd %u", objref);
	return file;
}

const struct ckpt_obj_ops ckpt_memfd_ops = {
	.type = CKPT_HDR_MEMFD,
	.name = "memfd",
	.min_len = sizeof(struct ckpt_hdr_memfd),
	.max_len = sizeof(struct ckpt_hdr_memfd) + CKPT_MEMFD_NAME_MAX,
	.grab = ckpt_memfd_grab,
	.drop = ckpt_memfd_drop,
	.checkpoint = ckpt_memfd_checkpoint,
	.restore = ckpt_memfd_restore,
	.release = ckpt_shmem_release,
};

/* Leak detection: see ckpt_obj_check_leaks() */
static unsigned long ckpt_mm_users(void *ptr)
{
	struct mm_struct *mm = ptr;

	return atomic_read(&mm->mm_users) - 1;
}

/* The files the mm maps hold references of their own. */
static void ckpt_mm_account(struct ckpt_ctx *ctx, void *ptr)
{
	struct mm_struct *mm = ptr;
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	struct file *exe;

	vma_iter_init(&vmi, mm, 0);
	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (vma->vm_file)
			ckpt_obj_account(ctx, vma->vm_file);
	mmap_read_unlock(mm);
	exe = get_mm_exe_file(mm);
	if (exe) {
		ckpt_obj_account(ctx, exe);
		fput(exe);
	}
}

const struct ckpt_obj_ops ckpt_mm_ops = {
	.type = CKPT_HDR_MM,
	.name = "mm",
	.min_len = sizeof(struct ckpt_hdr_mm),
	.max_len = sizeof(struct ckpt_hdr_mm) +
		   CKPT_MM_MAX_AUXV * sizeof(u64) + CKPT_PATH_MAX,
	.grab = ckpt_mm_grab,
	.drop = ckpt_mm_drop,
	.checkpoint = ckpt_mm_checkpoint,
	.restore = ckpt_mm_restore,
	.release = ckpt_mm_release,
	.users = ckpt_mm_users,
	.account = ckpt_mm_account,
};
