/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mmap and friends in one identity-mapped address space.
 *
 * A mapping is page-aligned heap memory between two guard pages (not
 * present: an overrun faults with a crash report instead of corrupting a
 * neighbour). Anonymous mappings are zeroed; MAP_SHARED and MAP_PRIVATE
 * are the same thing for them, as nothing else could share them. A file
 * mapping is a copy of the file's bytes read through its descriptor's
 * read operation, so it works on every file system; MAP_SHARED copies go
 * back to the file (never past its end, as on Linux) at msync(), munmap()
 * and when any descriptor of the file is closed; MAP_PRIVATE copies never
 * do. What this cannot give is coherence: a read() of the file does not
 * see a shared mapping's writes until one of those write-backs, and two
 * mappings of one file are two copies.
 *
 * Protection: PROT_NONE pages are not present (any access faults);
 * PROT_READ pages without PROT_WRITE are read-only in the page tables (a
 * write faults with the crash report, where Linux sends SIGSEGV). Our own
 * writes into a mapping (filling it, MADV_DONTNEED, MAP_FIXED) make its
 * pages writable first and restore them. PROT_EXEC is refused with
 * EACCES: data is never executable (W^X), so nothing can honour it.
 *
 * Each page's state (unmapped, PROT_NONE) is kept, so munmap and mprotect
 * may cover part of a mapping; the memory is freed when its last page is
 * unmapped. The list changes with interrupts off; calls on one mapping
 * from two threads at once are not serialised.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <cairn/arch.h>
#include <cairn/file.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/spinlock.h>

#define PAGE		CN_PAGE_SIZE
#define P_GONE		0x1	/* unmapped */
#define P_NONE		0x2	/* PROT_NONE */
#define P_RO		0x4	/* PROT_READ without PROT_WRITE */

struct map {
	struct map *next;
	char *base;			/* first page of the mapping */
	char *block;			/* the allocation: guard, pages, guard */
	size_t npages, live;		/* pages, pages not yet unmapped */
	bool shared;			/* MAP_SHARED of a file: write back */
	struct cn_file *file;		/* file mappings (a reference) */
	off_t off;
	uint64_t dev, ino;		/* the file's, for close */
	unsigned char *state;		/* P_* per page */
};

static struct map *maps;
/* The list's own leaf lock: nothing is called while it is held. */
static struct cn_spinlock maps_lock = CN_SPINLOCK_INIT;

static int fail(int err)
{
	errno = -err;
	return -1;
}

static void *fail_ptr(int err)
{
	errno = -err;
	return MAP_FAILED;
}

/* The mapping holding addr, or NULL. */
static struct map *find(const char *addr)
{
	unsigned long irq = cn_spin_lock_irqsave(&maps_lock);
	struct map *m;

	for (m = maps; m; m = m->next)
		if (addr >= m->base && addr < m->base + m->npages * PAGE)
			break;
	cn_spin_unlock_irqrestore(&maps_lock, irq);
	return m;
}

static void guard(char *page, bool on)
{
	/* A heap page of a large mapping may need a new page table to be
	 * split off; without memory the page stays accessible. */
	if (cn_arch_page_guard(page, on) == -ENOMEM)
		cn_pr_debug("no memory to guard page %p", page);
}

static void readonly(char *page, bool on)
{
	if (cn_arch_page_readonly(page, on) == -ENOMEM)
		cn_pr_debug("no memory to make page %p read-only", page);
}

/* The state bits of a page given prot (PROT_EXEC already refused). */
static unsigned char state_of(int prot)
{
	if (prot == PROT_NONE)
		return P_NONE;
	return prot & PROT_WRITE ? 0 : P_RO;
}

/* Sets the page tables of pages [first, first + n) from their state. */
static void apply(struct map *m, size_t first, size_t n)
{
	for (size_t i = first; i < first + n; i++) {
		char *p = m->base + i * PAGE;

		guard(p, m->state[i] & (P_GONE | P_NONE));
		readonly(p, m->state[i] & P_RO);
	}
}

/* Makes pages [first, first + n) present and writable for our own
 * writes into them; apply() restores what their state says. */
static void open_up(struct map *m, size_t first, size_t n)
{
	for (size_t i = first; i < first + n; i++) {
		guard(m->base + i * PAGE, false);
		readonly(m->base + i * PAGE, false);
	}
}

static void key_of(struct cn_file *f, uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (f->ops->stat && f->ops->stat(f, &st) == 0 && st.st_ino) {
		*dev = (uint64_t)st.st_dev;
		*ino = (uint64_t)st.st_ino;
	} else {
		*dev = UINT64_MAX;
		*ino = (uintptr_t)f;
	}
}

/* Reads the file into the pages [first, first + n) of m; the rest 0. */
static int fill(struct map *m, size_t first, size_t n)
{
	char *p = m->base + first * PAGE;
	size_t want = n * PAGE, got = 0;
	off_t at = m->off + (off_t)(first * PAGE);

	while (got < want) {
		ssize_t r = m->file->ops->read(m->file, p + got, want - got,
					       at + (off_t)got);

		if (r < 0)
			return (int)r;
		if (!r)
			break;
		got += (size_t)r;
	}
	memset(p + got, 0, want - got);
	return 0;
}

/* Writes the pages [first, first + n) of a shared file mapping back,
 * never past the file's current end. */
static int write_back(struct map *m, size_t first, size_t n)
{
	struct stat st;
	off_t at = m->off + (off_t)(first * PAGE), end;
	size_t i;

	if (!m->shared || !m->file->ops->write)
		return 0;
	memset(&st, 0, sizeof(st));
	if (m->file->ops->stat && m->file->ops->stat(m->file, &st) < 0)
		return -EIO;
	end = st.st_size;
	for (i = first; i < first + n && at < end; i++, at += (off_t)PAGE) {
		size_t len = end - at < (off_t)PAGE ? (size_t)(end - at) : PAGE;
		const char *p = m->base + i * PAGE;
		size_t done = 0;

		if (m->state[i] & (P_GONE | P_NONE))
			continue;
		while (done < len) {
			ssize_t r = m->file->ops->write(m->file, p + done,
							len - done,
							at + (off_t)done);

			if (r <= 0)
				return r < 0 ? (int)r : -EIO;
			done += (size_t)r;
		}
	}
	return 0;
}

static void map_free(struct map *m)
{
	size_t i;

	for (i = 0; i < m->npages + 2; i++) {
		guard(m->block + i * PAGE, false);
		readonly(m->block + i * PAGE, false);
	}
	if (m->file)
		cn_file_put(m->file);
	free(m->state);
	free(m->block);
	free(m);
}

static int check_file(struct cn_file *f, int prot, int flags)
{
	int acc = f->flags & O_ACCMODE;

	if (!f->seekable || !f->ops->read)
		return -ENODEV;		/* pipes, sockets, the console */
	if (acc == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) &&
	    acc != O_RDWR)
		return -EACCES;
	return 0;
}

static struct map *map_new(size_t npages)
{
	struct map *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->state = calloc(npages, 1);
	m->block = aligned_alloc(PAGE, (npages + 2) * PAGE);
	if (!m->state || !m->block) {
		free(m->state);
		free(m->block);
		free(m);
		return NULL;
	}
	m->base = m->block + PAGE;
	m->npages = m->live = npages;
	return m;
}

/* MAP_FIXED: anonymous pages over part of a mapping of ours only. */
static void *map_fixed(char *addr, size_t npages, int prot, int flags)
{
	struct map *m = find(addr);
	size_t first, i;

	if (!m || !(flags & MAP_ANONYMOUS) ||
	    addr + npages * PAGE > m->base + m->npages * PAGE)
		return fail_ptr(-ENOMEM);
	if (flags & MAP_FIXED_NOREPLACE)
		return fail_ptr(-EEXIST);
	first = (size_t)(addr - m->base) / PAGE;
	write_back(m, first, npages);
	for (i = first; i < first + npages; i++) {
		if (m->state[i] & P_GONE)
			m->live++;
		m->state[i] = state_of(prot);
	}
	open_up(m, first, npages);
	memset(addr, 0, npages * PAGE);
	apply(m, first, npages);
	return addr;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int type = flags & MAP_TYPE, r;
	struct cn_file *f = NULL;
	struct map *m;
	size_t npages;
	unsigned long irq;

	if (!len || (type != MAP_SHARED && type != MAP_PRIVATE &&
		     type != MAP_SHARED_VALIDATE) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return fail_ptr(-EINVAL);
	if (off < 0 || (off & (off_t)(PAGE - 1)))
		return fail_ptr(-EINVAL);
	if (len > SIZE_MAX - 3 * PAGE)
		return fail_ptr(-ENOMEM);
	if (prot & PROT_EXEC)
		return fail_ptr(-EACCES);	/* W^X: data is never code */
	npages = CN_PAGE_ALIGN_UP(len) / PAGE;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if ((uintptr_t)addr & (PAGE - 1))
			return fail_ptr(-EINVAL);
		if (flags & MAP_FIXED || find(addr))
			return map_fixed(addr, npages, prot, flags);
	}
	if (!(flags & MAP_ANONYMOUS)) {
		f = cn_fd_get(fd);
		if (!f)
			return fail_ptr(-EBADF);
		r = check_file(f, prot, flags);
		if (r) {
			cn_file_put(f);
			return fail_ptr(r);
		}
	}
	m = map_new(npages);
	if (!m) {
		if (f)
			cn_file_put(f);
		return fail_ptr(-ENOMEM);
	}
	if (f) {
		m->file = f;		/* our reference: survives close(fd) */
		m->off = off;
		m->shared = type != MAP_PRIVATE;
		key_of(f, &m->dev, &m->ino);
		r = fill(m, 0, npages);
		if (r) {
			map_free(m);
			return fail_ptr(r);
		}
	} else {
		memset(m->base, 0, npages * PAGE);
	}
	guard(m->block, true);
	guard(m->base + npages * PAGE, true);
	if (state_of(prot)) {
		memset(m->state, state_of(prot), npages);
		apply(m, 0, npages);
	}
	irq = cn_spin_lock_irqsave(&maps_lock);
	m->next = maps;
	maps = m;
	cn_spin_unlock_irqrestore(&maps_lock, irq);
	return m->base;
}

/*
 * Calls fn on each mapping's part inside [addr, addr + len): m, first
 * page, page count. Stops at an error. Pages outside any mapping are
 * skipped; *hole says whether there were any.
 */
static int each_part(char *addr, size_t len, bool *hole,
		     int (*fn)(struct map *m, size_t first, size_t n, int arg),
		     int arg)
{
	char *end = addr + CN_PAGE_ALIGN_UP(len), *p = addr;

	*hole = false;
	while (p < end) {
		struct map *m = find(p);
		char *mend;
		size_t first, n;
		int r;

		if (!m) {
			*hole = true;
			p += PAGE;
			continue;
		}
		mend = m->base + m->npages * PAGE;
		first = (size_t)(p - m->base) / PAGE;
		n = (size_t)((end < mend ? end : mend) - p) / PAGE;
		p += n * PAGE;
		r = fn(m, first, n, arg);
		if (r)
			return r;
	}
	return 0;
}

static int unmap_part(struct map *m, size_t first, size_t n, int arg)
{
	unsigned long irq;
	struct map **pp;
	size_t i;

	(void)arg;
	write_back(m, first, n);
	for (i = first; i < first + n; i++) {
		if (m->state[i] & P_GONE)
			continue;
		m->state[i] |= P_GONE;
		m->live--;
		guard(m->base + i * PAGE, true);
		readonly(m->base + i * PAGE, false);
	}
	if (m->live)
		return 0;
	irq = cn_spin_lock_irqsave(&maps_lock);
	for (pp = &maps; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	cn_spin_unlock_irqrestore(&maps_lock, irq);
	map_free(m);
	return 0;
}

static bool aligned_range(const void *addr, size_t len)
{
	return !((uintptr_t)addr & (PAGE - 1)) && len &&
	       (uintptr_t)addr + len > (uintptr_t)addr;
}

/* Unmapping what is not mapped is no error (Linux). */
int munmap(void *addr, size_t len)
{
	bool hole;

	if (!aligned_range(addr, len))
		return fail(-EINVAL);
	return each_part(addr, len, &hole, unmap_part, 0);
}

static int protect_part(struct map *m, size_t first, size_t n, int prot)
{
	size_t i;

	for (i = first; i < first + n; i++)
		if (m->state[i] & P_GONE)
			return -ENOMEM;
	memset(m->state + first, state_of(prot), n);
	apply(m, first, n);
	return 0;
}

int mprotect(void *addr, size_t len, int prot)
{
	bool hole;
	int r;

	if (!aligned_range(addr, len) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return fail(-EINVAL);
	if (prot & PROT_EXEC)
		return fail(-EACCES);
	r = each_part(addr, len, &hole, protect_part, prot);
	if (!r && hole)
		r = -ENOMEM;		/* Linux: part of it is not mapped */
	return r ? fail(r) : 0;
}

static int sync_part(struct map *m, size_t first, size_t n, int arg)
{
	(void)arg;
	for (size_t i = first; i < first + n; i++)
		if (m->state[i] & P_GONE)
			return -ENOMEM;
	return write_back(m, first, n);
}

int msync(void *addr, size_t len, int flags)
{
	bool hole;
	int r;

	if ((uintptr_t)addr & (PAGE - 1) ||
	    (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return fail(-EINVAL);
	if (!len)
		return 0;
	r = each_part(addr, len, &hole, sync_part, 0);
	if (!r && hole)
		r = -ENOMEM;
	return r ? fail(r) : 0;
}

/* MADV_DONTNEED: anonymous private pages read as zero again, file pages
 * as the file (Linux); the others are hints. */
static int dontneed_part(struct map *m, size_t first, size_t n, int arg)
{
	int r = 0;

	(void)arg;
	for (size_t i = first; i < first + n; i++)
		if (m->state[i] & (P_GONE | P_NONE))
			return -ENOMEM;
	if (m->shared)
		return 0;
	open_up(m, first, n);
	if (m->file)
		r = fill(m, first, n);
	else
		memset(m->base + first * PAGE, 0, n * PAGE);
	apply(m, first, n);
	return r;
}

int madvise(void *addr, size_t len, int advice)
{
	bool hole;
	int r = 0;

	if ((uintptr_t)addr & (PAGE - 1))
		return fail(-EINVAL);
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_FREE:
		break;
	case MADV_DONTNEED:
		if (len)
			r = each_part(addr, len, &hole, dontneed_part, 0);
		break;
	default:
		r = -EINVAL;
	}
	return r ? fail(r) : 0;
}

int posix_madvise(void *addr, size_t len, int advice)
{
	if (advice < POSIX_MADV_NORMAL || advice > POSIX_MADV_DONTNEED)
		return EINVAL;
	/* POSIX's DONTNEED is only a hint: data must stay. */
	(void)addr, (void)len;
	return 0;
}

/* Grows or shrinks a whole mapping (moving it with MREMAP_MAYMOVE). */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	struct map *m = find(old);
	size_t oldp = CN_PAGE_ALIGN_UP(old_len) / PAGE;
	size_t newp = CN_PAGE_ALIGN_UP(new_len) / PAGE, i;
	int prot = PROT_READ | PROT_WRITE;
	char *p;

	if ((uintptr_t)old & (PAGE - 1) || !new_len ||
	    (flags & ~MREMAP_MAYMOVE))
		return fail_ptr(-EINVAL);
	if (!m || m->base != old || m->npages != oldp || m->live != oldp)
		return fail_ptr(-EFAULT);
	if (newp <= oldp) {
		if (newp < oldp && munmap((char *)old + newp * PAGE,
					  (oldp - newp) * PAGE))
			return MAP_FAILED;
		return old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return fail_ptr(-ENOMEM);	/* cannot grow in place */
	for (i = 0; i < oldp; i++)
		if (m->state[i] & P_NONE)
			return fail_ptr(-EFAULT);
	if (m->file) {
		int fd = cn_fd_install(m->file, false);

		if (fd < 0)
			return fail_ptr(fd);
		p = mmap(NULL, new_len, prot,
			 m->shared ? MAP_SHARED : MAP_PRIVATE, fd, m->off);
		cn_fd_close(fd);
	} else {
		p = mmap(NULL, new_len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
	}
	if (p == MAP_FAILED)
		return MAP_FAILED;
	memcpy(p, old, oldp * PAGE);
	for (i = 0; i < oldp; i++)
		if (m->state[i] & P_RO)
			mprotect(p + i * PAGE, PAGE, PROT_READ);
	/* The old copy's bytes are the newer ones: keep them, skip the
	 * write-back of a shared one (p has them now). */
	m->shared = false;
	munmap(old, oldp * PAGE);
	return p;
}

/* Everything is resident and stays so. */
int mlock(const void *addr, size_t len)
{
	(void)addr, (void)len;
	return 0;
}

int munlock(const void *addr, size_t len)
{
	(void)addr, (void)len;
	return 0;
}

int mlockall(int flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)))
		return fail(-EINVAL);
	return 0;
}

int munlockall(void)
{
	return 0;
}

/* A descriptor of some file closed: its shared mappings go back to it. */
static void on_close(struct cn_file *f)
{
	uint64_t dev, ino;
	struct map *m;

	if (!maps)
		return;
	key_of(f, &dev, &ino);
	for (m = maps; m; m = m->next)
		if (m->shared && m->dev == dev && m->ino == ino)
			write_back(m, 0, m->npages);
}

static int mmap_init(void)
{
	cn_file_set_close_hook(on_close);
	return 0;
}
CN_INIT(mmap_init, CN_INIT_LIB);
