/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fattest: files on the FAT volume at /data, checked by
 * tests/test_fat.py against the host's mtools and fsck.fat (see Kconfig
 * for the modes). Contents are patterns the host recomputes: byte i of
 * a pattern file with seed s is (i * 131 + s) & 0xff.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <cairn/blkdev.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>

static int failures;
static char buf[65536];

static void check(const char *what, int ok)
{
	printf("fattest: %s %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static void expect_errno(const char *what, int r, int want)
{
	int e = errno;

	printf("fattest: %s %s (%s)\n", r == -1 && e == want ? "ok" : "FAIL",
	       what, r == -1 ? strerror(e) : "succeeded");
	if (r != -1 || e != want)
		failures++;
}

static void pattern(char *p, size_t len, uint64_t off, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (char)(((off + i) * 131 + seed) & 0xff);
}

/* Writes size bytes of pattern seed to path; 0 or -errno. */
static int write_file(const char *path, size_t size, unsigned int seed,
		      int do_fsync)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t done = 0, n;
	ssize_t w;

	if (fd < 0)
		return -errno;
	while (done < size) {
		n = size - done < sizeof(buf) ? size - done : sizeof(buf);
		pattern(buf, n, done, seed);
		w = write(fd, buf, n);
		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;

			close(fd);
			return -e;
		}
		done += (size_t)w;
	}
	if (do_fsync && fsync(fd)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return close(fd) ? -errno : 0;
}

static int put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -EIO;
	}
	return close(fd) ? -errno : 0;
}

static int do_write(void)
{
	static const char *longname = "/data/A Long File Name with Spaces "
				      "and more than 13 characters.txt";
	char path[300];
	struct stat st;
	int i, fd;

	check("put hello.txt", put("/data/hello.txt",
				   "hello from cairn\n") == 0);
	check("put long name", put(longname, "long\n") == 0);
	check("put UTF-8 name", put("/data/caf\xc3\xa9-\xe2\x82\xac.txt",
				    "utf8\n") == 0);
	check("mkdir dir1", mkdir("/data/dir1", 0755) == 0);
	check("mkdir dir1/sub", mkdir("/data/dir1/sub", 0755) == 0);
	check("write big.bin (300000 bytes)",
	      write_file("/data/dir1/sub/big.bin", 300000, 7, 0) == 0);
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/data/dir1/many_files_%03d.dat",
			 i);
		if (write_file(path, (size_t)i * 100, (unsigned int)i, 0))
			break;
	}
	check("40 files in dir1", i == 40);
	check("rename hello.txt -> greeting.txt",
	      rename("/data/hello.txt", "/data/greeting.txt") == 0);
	check("rename into another directory",
	      rename("/data/dir1/many_files_000.dat",
		     "/data/dir1/sub/moved.dat") == 0);
	check("rename a directory", mkdir("/data/olddir", 0755) == 0 &&
	      put("/data/olddir/inside.txt", "inside\n") == 0 &&
	      rename("/data/olddir", "/data/dir1/newdir") == 0);
	check("unlink many_files_001",
	      unlink("/data/dir1/many_files_001.dat") == 0);
	check("write trunc.bin", write_file("/data/trunc.bin", 100000, 3,
					    0) == 0);
	check("truncate to 5000", truncate("/data/trunc.bin", 5000) == 0 &&
	      stat("/data/trunc.bin", &st) == 0 && st.st_size == 5000);
	fd = open("/data/sparse.bin", O_WRONLY | O_CREAT, 0644);
	check("hole: write at 10000", fd >= 0 &&
	      pwrite(fd, "end", 3, 10000) == 3 && close(fd) == 0 &&
	      stat("/data/sparse.bin", &st) == 0 && st.st_size == 10003);
	check("stat mtime from the clock", stat("/data/greeting.txt", &st)
	      == 0 && st.st_mtime > 1600000000);
	check("mkdir + rmdir", mkdir("/data/gone", 0755) == 0 &&
	      rmdir("/data/gone") == 0);
	sync();
	return 0;
}

static uint32_t fnv(uint32_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return h;
}

static int list(const char *dir)
{
	char path[1024];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);
	int fd;

	if (!d) {
		printf("fattest: FAIL opendir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st)) {
			printf("fattest: FAIL stat %s: %s\n", path,
			       strerror(errno));
			failures++;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			printf("D %s\n", path);
			list(path);
			continue;
		}
		fd = open(path, O_RDONLY);
		uint32_t h = 2166136261u;
		ssize_t n;
		long long total = 0;

		if (fd < 0) {
			printf("fattest: FAIL open %s: %s\n", path,
			       strerror(errno));
			failures++;
			continue;
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			h = fnv(h, buf, (size_t)n);
			total += n;
		}
		if (n < 0) {
			printf("fattest: FAIL read %s: %s\n", path,
			       strerror(errno));
			failures++;
		}
		close(fd);
		printf("F %s %lld %08x\n", path, total, (unsigned int)h);
	}
	closedir(d);
	return 0;
}

static int do_fill(void)
{
	struct statvfs sv;
	long long total = 0;
	int fd, r;
	ssize_t w;

	check("keep.bin before", write_file("/data/keep.bin", 20000, 9, 1)
	      == 0);
	check("statvfs", statvfs("/data", &sv) == 0 && sv.f_bfree > 0);
	printf("fattest: free before fill: %lu of %lu blocks of %lu\n",
	       (unsigned long)sv.f_bfree, (unsigned long)sv.f_blocks,
	       (unsigned long)sv.f_frsize);
	fd = open("/data/fill.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	check("open fill.bin", fd >= 0);
	pattern(buf, sizeof(buf), 0, 1);
	for (;;) {
		w = write(fd, buf, sizeof(buf));
		if (w < 0)
			break;
		total += w;
	}
	r = errno;
	check("write ends with ENOSPC", w < 0 && r == ENOSPC);
	printf("fattest: ENOSPC after %lld bytes\n", total);
	check("fsync fill.bin", fsync(fd) == 0);
	close(fd);
	check("statvfs says full", statvfs("/data", &sv) == 0 &&
	      sv.f_bfree == 0);
	expect_errno("mkdir on a full disk", mkdir("/data/newdir", 0755) ||
		     mkdir("/data/newdir2", 0755) || mkdir("/data/newdir3",
		     0755) ? -1 : 0, ENOSPC);
	check("unlink fill.bin", unlink("/data/fill.bin") == 0);
	sync();
	check("statvfs after unlink", statvfs("/data", &sv) == 0 &&
	      sv.f_bfree > 0);
	list("/data");
	return 0;
}

static int do_crash(void)
{
	char path[64];
	unsigned int i;
	size_t size;

	mkdir("/data/c", 0755);
	for (i = 0;; i++) {
		size = 1000 + (i * 7919u) % 60000;
		snprintf(path, sizeof(path), "/data/c/file%04u.bin", i);
		if (write_file(path, size, i, 1)) {
			printf("fattest: write %s failed\n", path);
			return 1;
		}
		/* Unsynced work in between: it may be lost, no more. */
		snprintf(path, sizeof(path), "/data/c/tmp%04u.bin", i);
		write_file(path, size / 2, i + 1, 0);
		if (i % 3 == 0)
			unlink(path);
		printf("synced %u %zu\n", i, size);
	}
}

static int do_errors(void)
{
	struct statvfs sv;
	struct stat st;

	expect_errno("symlink", symlink("/data/x", "/data/link"), EPERM);
	check("put a.txt", put("/data/a.txt", "a\n") == 0);
	expect_errno("link", link("/data/a.txt", "/data/b.txt"), EPERM);
	expect_errno("mkfifo-like mknod", mkdir("/data/a.txt", 0755), EEXIST);
	expect_errno("bad name", put("/data/what?.txt", "x") ? (errno =
		     EINVAL, -1) : 0, EINVAL);
	check("mkdir d", mkdir("/data/d", 0755) == 0 &&
	      put("/data/d/f", "f") == 0);
	expect_errno("rmdir non-empty", rmdir("/data/d"), ENOTEMPTY);
	expect_errno("open missing", open("/data/nope", O_RDONLY), ENOENT);
	check("case-insensitive lookup", access("/data/A.TXT", F_OK) == 0);
	check("statvfs /data", statvfs("/data", &sv) == 0 &&
	      sv.f_blocks > 0 && sv.f_bfree <= sv.f_blocks &&
	      sv.f_namemax == 255 && !(sv.f_flag & ST_RDONLY));
	check("chmod a-w makes it read-only", chmod("/data/a.txt", 0444) == 0
	      && stat("/data/a.txt", &st) == 0 && !(st.st_mode & 0222));
	return 0;
}

static int do_cat(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("fattest: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}

static int do_readonly(void)
{
	struct statvfs sv;

	expect_errno("create on a read-only volume",
		     open("/data/new.txt", O_WRONLY | O_CREAT, 0644), EROFS);
	check("statvfs says read-only", statvfs("/data", &sv) == 0 &&
	      (sv.f_flag & ST_RDONLY));
	return list("/data");
}

/* What the device was sent since *was (blkdev's counters), printed. */
static void io_delta(const char *what, struct cn_blkdev_stats *was)
{
	struct cn_blkdev *bd = cn_blkdev_find("blk0");
	struct cn_blkdev_stats now = bd->stats;

	printf("fattest: io %s: writes %llu sectors %llu flushes %llu "
	       "reads %llu\n", what,
	       (unsigned long long)(now.writes - was->writes),
	       (unsigned long long)((now.written_bytes - was->written_bytes) /
				    bd->sector_size),
	       (unsigned long long)(now.flushes - was->flushes),
	       (unsigned long long)(now.reads - was->reads));
	*was = now;
}

/*
 * iocount KIB: what the device gets for KIB KiB written in 4 KiB
 * write()s and fsync'ed, for an fsync with nothing to write, and for one
 * 4 KiB block rewritten in place (tests/test_fat.py bounds the figures).
 */
static int do_iocount(long kib)
{
	struct cn_blkdev *bd = cn_blkdev_find("blk0");
	struct cn_blkdev_stats st;
	int fd = open("/data/io.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	long i;

	if (!bd || fd < 0 || kib < 4) {
		printf("fattest: iocount: no blk0, no file or KIB < 4\n");
		return 1;
	}
	if (fsync(fd))			/* the new entry, out of the figures */
		failures++;
	st = bd->stats;
	for (i = 0; i < kib / 4; i++) {
		pattern(buf, 4096, (uint64_t)i * 4096, 5);
		if (write(fd, buf, 4096) != 4096)
			failures++;
	}
	io_delta("writes", &st);
	check("fsync after 4 KiB writes", fsync(fd) == 0);
	io_delta("fsync", &st);
	check("fsync with nothing new", fsync(fd) == 0);
	io_delta("fsync again", &st);
	pattern(buf, 4096, 8192, 5);
	check("rewrite 4 KiB in place", pwrite(fd, buf, 4096, 8192) == 4096 &&
	      fsync(fd) == 0);
	io_delta("rewrite", &st);
	check("close", close(fd) == 0);
	return 0;
}

/* Whether the 4 KiB at off of fd hold pattern seed. */
static int block_is(int fd, off_t off, unsigned int seed)
{
	static char want[4096];

	pattern(want, sizeof(want), (uint64_t)off, seed);
	return pread(fd, buf, 4096, off) == 4096 && !memcmp(buf, want, 4096);
}

/*
 * readahead KIB: a KIB KiB file written in 64 KiB pieces (straight to
 * the disk, nothing cached), fsync'ed, then read back in 4 KiB read()s:
 * the read requests the device got and their bytes, printed; then a
 * block inside the readahead window is rewritten and must read back new.
 */
static int do_readahead(long kib)
{
	struct cn_blkdev *bd = cn_blkdev_find("blk0");
	struct cn_blkdev_stats st;
	int fd, same = 1;
	long i;

	if (!bd || kib < 64 || write_file("/data/ra.bin", (size_t)kib << 10,
					  7, 1)) {
		printf("fattest: readahead: no blk0, KIB < 64 or no file\n");
		return 1;
	}
	fd = open("/data/ra.bin", O_RDWR);
	if (fd < 0)
		return 1;
	st = bd->stats;
	for (i = 0; i < kib / 4; i++)
		same &= block_is(fd, (off_t)i * 4096, 7);
	printf("fattest: readahead reads %llu bytes %llu\n",
	       (unsigned long long)(bd->stats.reads - st.reads),
	       (unsigned long long)(bd->stats.read_bytes - st.read_bytes));
	check("4 KiB reads give the file", same);
	/* Read the start again (a new window there), then change it. */
	check("reread the start", block_is(fd, 0, 7));
	pattern(buf, 4096, 8192, 8);
	check("rewrite inside the window", pwrite(fd, buf, 4096, 8192) == 4096);
	check("the window gives the new block", block_is(fd, 8192, 8));
	check("and the old ones beside it", block_is(fd, 4096, 7) &&
	      block_is(fd, 12288, 7));
	check("close", close(fd) == 0);
	return 0;
}

/*
 * A thread per CPU (at least two) works in its own directory /data/tN at
 * once with the others: 30 files of N*1000+i*700 bytes written in
 * 3000-byte pieces (every third fsynced), every fifth renamed to
 * r<i>.dat, every seventh unlinked, and big.bin (200000 bytes) grown
 * in 1000-byte appends between them; then all read back and compared.
 * Each thread also creates and removes its own file in the shared
 * /data/common. Pattern seed: N * 40 + i (big.bin: N * 40 + 39). The
 * host checks the files with mtools and the volume with fsck.fat.
 */
#define FT_MAX		16
#define FT_FILES	30

struct ft {
	unsigned int n;
	int bad;
	char err[120];
};

static int ft_write(const char *path, size_t size, unsigned int seed,
		    int flags, int do_fsync)
{
	char piece[3000];
	size_t done = 0, k;
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	if (fd < 0)
		return -errno;
	if (flags & O_APPEND) {
		struct stat st;

		if (fstat(fd, &st)) {
			close(fd);
			return -errno;
		}
		done = (size_t)st.st_size;
		size += done;
	}
	while (done < size) {
		k = size - done < sizeof(piece) ? size - done : sizeof(piece);
		pattern(piece, k, done, seed);
		if (write(fd, piece, k) != (ssize_t)k) {
			int e = errno ? errno : EIO;

			close(fd);
			return -e;
		}
		done += k;
	}
	if (do_fsync && fsync(fd)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return close(fd) ? -errno : 0;
}

/* 0 when path holds size bytes of pattern seed. */
static int ft_check(const char *path, size_t size, unsigned int seed)
{
	char piece[4096], want[4096];
	size_t done = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((r = read(fd, piece, sizeof(piece))) > 0) {
		pattern(want, (size_t)r, done, seed);
		if (done + (size_t)r > size || memcmp(piece, want, (size_t)r)) {
			close(fd);
			return -EILSEQ;
		}
		done += (size_t)r;
	}
	close(fd);
	return r < 0 ? -EIO : done == size ? 0 : -ENODATA;
}

static void *ft_main(void *arg)
{
	struct ft *t = arg;
	char dir[32], path[64], to[64], common[64];
	unsigned int n = t->n, i, big = n * 40 + 39;
	int rc;

#define FT_FAIL(what, p, e) do { \
		snprintf(t->err, sizeof(t->err), "%s %s: %s", what, p, \
			 strerror(-(e))); \
		t->bad = 1; \
		return NULL; \
	} while (0)
	snprintf(dir, sizeof(dir), "/data/t%u", n);
	if (mkdir(dir, 0755))
		FT_FAIL("mkdir", dir, -errno);
	snprintf(common, sizeof(common), "/data/common/c%u", n);
	for (i = 0; i < FT_FILES; i++) {
		snprintf(path, sizeof(path), "%s/f%02u.dat", dir, i);
		rc = ft_write(path, n * 1000 + i * 700, n * 40 + i, O_TRUNC,
			      i % 3 == 0);
		if (rc)
			FT_FAIL("write", path, rc);
		snprintf(path, sizeof(path), "%s/big.bin", dir);
		rc = ft_write(path, i < FT_FILES - 1 ? 6666 : 200000 - 6666 *
			      (FT_FILES - 1), big, O_APPEND, 0);
		if (rc)
			FT_FAIL("append", path, rc);
		if (put(common, "x") || unlink(common))
			FT_FAIL("create and remove", common, -errno);
	}
	for (i = 0; i < FT_FILES; i++) {
		snprintf(path, sizeof(path), "%s/f%02u.dat", dir, i);
		if (i % 7 == 0) {
			if (unlink(path))
				FT_FAIL("unlink", path, -errno);
		} else if (i % 5 == 0) {
			snprintf(to, sizeof(to), "%s/r%02u.dat", dir, i);
			if (rename(path, to))
				FT_FAIL("rename", path, -errno);
		}
	}
	for (i = 0; i < FT_FILES; i++) {
		if (i % 7 == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%c%02u.dat", dir,
			 i % 5 == 0 ? 'r' : 'f', i);
		rc = ft_check(path, n * 1000 + i * 700, n * 40 + i);
		if (rc)
			FT_FAIL("read back", path, rc);
	}
	snprintf(path, sizeof(path), "%s/big.bin", dir);
	rc = ft_check(path, 200000, big);
	if (rc)
		FT_FAIL("read back", path, rc);
#undef FT_FAIL
	return NULL;
}

static int do_threads(void)
{
	static struct ft ft[FT_MAX];
	struct cn_thread *th[FT_MAX];
	unsigned int cpus = cn_cpu_online(), n = cpus < 2 ? 2 : cpus, i;

	if (n > FT_MAX)
		n = FT_MAX;
	check("mkdir common", mkdir("/data/common", 0755) == 0);
	for (i = 0; i < n; i++) {
		struct cn_thread_attr a = { .name = "fat" };

		ft[i].n = i;
		if (cn_thread_create(&th[i], &a, ft_main, &ft[i])) {
			check("thread create", 0);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		cn_thread_join(th[i], NULL);
		if (ft[i].bad)
			printf("fattest: thread %u: %s\n", i, ft[i].err);
		check("a thread's files", !ft[i].bad);
	}
	printf("fattest: threads: %u threads on %u CPUs\n", n, cpus);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "list";
	int r = 0;

	if (!strcmp(mode, "write"))
		r = do_write();
	else if (!strcmp(mode, "list"))
		r = list(argc > 2 ? argv[2] : "/data");
	else if (!strcmp(mode, "fill"))
		r = do_fill();
	else if (!strcmp(mode, "crash"))
		r = do_crash();
	else if (!strcmp(mode, "errors"))
		r = do_errors();
	else if (!strcmp(mode, "readonly"))
		r = do_readonly();
	else if (!strcmp(mode, "iocount") && argc > 2)
		r = do_iocount(strtol(argv[2], NULL, 0));
	else if (!strcmp(mode, "readahead") && argc > 2)
		r = do_readahead(strtol(argv[2], NULL, 0));
	else if (!strcmp(mode, "cat") && argc > 2)
		r = do_cat(argv[2]);
	else if (!strcmp(mode, "threads"))
		r = do_threads();
	else {
		printf("fattest: unknown mode %s\n", mode);
		return 2;
	}
	printf("fattest: %d failures\n", failures);
	return r || failures ? 1 : 0;
}
