/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs through the POSIX calls: sizes from 0 to 64 MiB with their data
 * checked, sparse files, truncation, the size= limit, memory given back,
 * random writes and truncations checked against a model, pinned blocks
 * (sendfile()'s loans) that outlive writes, truncation and unlink, and
 * sendfile() between files. Each case mounts its own ramfs on
 * /ramfs-<case>.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <cairn/alloc.h>
#include <cairn/file.h>
#include <cairn/test.h>
#include <cairn/vfs.h>

#define MiB (1ul << 20)

static char base[64];

static void scratch(const char *name, const char *opts)
{
	snprintf(base, sizeof(base), "/ramfs-%s", name);
	CN_ASSERT_EQ(cn_vfs_mkdir_p(base, 0755), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", base, 0, opts), 0);
	CN_ASSERT_EQ(chdir(base), 0);
}

static void done(void)
{
	CN_EXPECT_EQ(chdir("/"), 0);
	CN_EXPECT_EQ(cn_vfs_umount(base), 0);
	CN_EXPECT_EQ(rmdir(base), 0);
}

static size_t heap_used(void)
{
	struct cn_alloc_stats st;

	cn_alloc_stats(cn_alloc_default(), &st);
	return st.used;
}

static size_t heap_free(void)
{
	struct cn_alloc_stats st;

	cn_alloc_stats(cn_alloc_default(), &st);
	return st.free;
}

/* The bytes at off of a test file: never the same word twice. */
static void pattern(uint32_t *w, size_t words, uint64_t off)
{
	size_t i;

	for (i = 0; i < words; i++)
		w[i] = (uint32_t)((off / 4 + i) * 2654435761u) ^ 0x5a5a5a5au;
}

/* Writes, checks and removes a file of size bytes; false if skipped. */
static bool one_size(size_t size, uint32_t *wbuf, uint32_t *rbuf,
		     size_t chunk)
{
	size_t off, n, used = heap_used();
	struct stat st;
	int fd, bad = 0;

	if (size + size / 8 + 4 * MiB > heap_free()) {
		printf("# ramfs: %zu MiB file skipped: %zu MiB free (the "
		       "guest needs more memory, e.g. -m 256M)\n",
		       size / MiB, heap_free() / MiB);
		return false;
	}
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		pattern(wbuf, (n + 3) / 4, off);
		if (write(fd, wbuf, n) != (ssize_t)n)
			bad++;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_size, (off_t)size);
	CN_EXPECT_GE((uint64_t)st.st_blocks * 512, size);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		pattern(wbuf, (n + 3) / 4, off);
		if (read(fd, rbuf, chunk) != (ssize_t)n ||
		    memcmp(rbuf, wbuf, n))
			bad++;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(read(fd, rbuf, 1), 0);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(unlink("f"), 0);
	CN_EXPECT_LE(heap_used(), used + 4096);		/* all given back */
	return true;
}

CN_TEST(ramfs, file_sizes_from_0_to_64mib)
{
	static const size_t sizes[] = {
		0, 1, 63, 64, 65, 4095, 4096, 4097, 8191, 65536 + 7,
		2 * MiB - 1, 2 * MiB + 1, 16 * MiB, 64 * MiB,
	};
	size_t chunk = MiB, i, done_big = 0;
	uint32_t *w = malloc(chunk), *r = malloc(chunk);

	CN_ASSERT_NOT_NULL(w);
	CN_ASSERT_NOT_NULL(r);
	scratch("sizes", "");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (one_size(sizes[i], w, r, sizes[i] < MiB ? 4096 : chunk) &&
		    sizes[i] == 64 * MiB)
			done_big = 1;
	if (done_big)
		printf("# ramfs: 64 MiB file written and checked\n");
	free(w);
	free(r);
	done();
}

CN_TEST(ramfs, sparse_files_cost_what_was_written)
{
	size_t used = heap_used();
	char buf[4096];
	struct stat st;
	int fd, i, nonzero = 0;

	scratch("sparse", "");
	fd = open("s", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(pwrite(fd, "a", 1, 0), 1);
	CN_EXPECT_EQ(pwrite(fd, "z", 1, 1ll << 30), 1);	/* at 1 GiB */
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_size, (1ll << 30) + 1);
	CN_EXPECT_EQ(st.st_blocks, 16);			/* two 4 KiB blocks */
	CN_EXPECT_LT(heap_used(), used + 64 * 1024);
	CN_EXPECT_EQ(pread(fd, buf, sizeof(buf), 512 << 20), (ssize_t)4096);
	for (i = 0; i < 4096; i++)
		nonzero += buf[i] != 0;
	CN_EXPECT_EQ(nonzero, 0);
	CN_EXPECT_EQ(pread(fd, buf, 2, 1ll << 30), 1);
	CN_EXPECT_EQ(buf[0], 'z');
	/* The largest file: 256 TiB. */
	CN_EXPECT_EQ(pwrite(fd, "e", 1, (1ll << 48) - 1), 1);
	CN_EXPECT_EQ(pwrite(fd, "e", 1, 1ll << 48), -1);
	CN_EXPECT_EQ(errno, EFBIG);
	CN_EXPECT_EQ(pwrite(fd, "ee", 2, (1ll << 48) - 1), 1);	/* short */
	CN_EXPECT_EQ(ftruncate(fd, (1ll << 48) + 1), -1);
	CN_EXPECT_EQ(errno, EFBIG);
	CN_EXPECT_EQ(ftruncate(fd, 1), 0);
	CN_EXPECT_EQ(fstat(fd, &st), 0);
	CN_EXPECT_EQ(st.st_blocks, 8);		/* block 0 only */
	close(fd);
	CN_EXPECT_EQ(unlink("s"), 0);
	CN_EXPECT_LE(heap_used(), used + 4096);
	done();
}

CN_TEST(ramfs, truncate_then_extend_reads_zeros)
{
	static const size_t sizes[] = { 100, 5000, 3 * MiB };
	char *buf = malloc(3 * MiB);
	size_t i, j, len, bad;
	int fd;

	CN_ASSERT_NOT_NULL(buf);
	scratch("trunc", "");
	for (i = 0; i < 3; i++) {
		len = sizes[i];
		fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
		memset(buf, 'x', len);
		CN_EXPECT_EQ(write(fd, buf, len), (ssize_t)len);
		CN_EXPECT_EQ(ftruncate(fd, (off_t)(len / 2 + 1)), 0);
		CN_EXPECT_EQ(ftruncate(fd, (off_t)len), 0);
		CN_EXPECT_EQ(pread(fd, buf, len, 0), (ssize_t)len);
		for (bad = 0, j = 0; j < len; j++)
			bad += buf[j] != (j <= len / 2 ? 'x' : 0);
		CN_EXPECT_EQ(bad, 0);
		close(fd);
	}
	unlink("f");
	free(buf);
	done();
}

CN_TEST(ramfs, size_limit_gives_enospc)
{
	static char block[4096];
	int fd, fd2, n = 0;
	ssize_t w;

	scratch("limit", "size=256K");
	memset(block, 'L', sizeof(block));
	fd2 = open("other", O_RDWR | O_CREAT, 0644);
	fd = open("big", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0 && fd2 >= 0);
	while ((w = write(fd, block, sizeof(block))) == sizeof(block))
		n++;
	CN_EXPECT_EQ(w, -1);
	CN_EXPECT_EQ(errno, ENOSPC);
	CN_EXPECT_GT(n, 48);
	CN_EXPECT_LT(n, 64);
	/* Unlinked but open: the space stays taken until the close. */
	CN_EXPECT_EQ(unlink("big"), 0);
	CN_EXPECT_EQ(write(fd2, block, sizeof(block)), -1);
	CN_EXPECT_EQ(errno, ENOSPC);
	close(fd);
	CN_EXPECT_EQ(write(fd2, block, sizeof(block)), (ssize_t)sizeof(block));
	close(fd2);
	done();
}

CN_TEST(ramfs, small_files_take_little_memory)
{
	size_t used = heap_used();
	char name[16];
	int i, fd, bad = 0;

	scratch("small", "");
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		fd = open(name, O_WRONLY | O_CREAT, 0644);
		bad += write(fd, "0123456789", 10) != 10;
		close(fd);
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_LT(heap_used() - used, 500 * 512);	/* not 4 KiB each */
	done();
	CN_EXPECT_LE(heap_used(), used + 4096);		/* unmount frees */
}

/* Random writes and truncations against a copy in memory. */
CN_TEST(ramfs, random_writes_match_a_model)
{
	const size_t max = 5 * MiB / 2;		/* past height 1 (2 MiB) */
	char *model = calloc(1, max), *buf = malloc(64 * 1024);
	uint32_t seed = 12345;
	size_t size = 0, off, len, i, j, bad = 0;
	int fd, op;

	CN_ASSERT_NOT_NULL(model);
	CN_ASSERT_NOT_NULL(buf);
	scratch("model", "");
	fd = open("m", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	for (i = 0; i < 400; i++) {
		seed = seed * 1103515245u + 12345u;
		op = (int)(seed >> 28) % 8;
		seed = seed * 1103515245u + 12345u;
		off = (seed >> 4) % max;
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % (op ? 9000 : 1) + 1;
		if (off + len > max)
			len = max - off;
		if (op == 0) {			/* truncate to off */
			bad += ftruncate(fd, (off_t)off) != 0;
			if (off > size)
				memset(model + size, 0, off - size);
			size = off;
			continue;
		}
		for (j = 0; j < len; j++)
			buf[j] = (char)(seed + j);
		bad += pwrite(fd, buf, len, (off_t)off) != (ssize_t)len;
		if (off > size)
			memset(model + size, 0, off - size);
		memcpy(model + off, buf, len);
		if (off + len > size)
			size = off + len;
	}
	CN_EXPECT_EQ(bad, 0);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_END), (off_t)size);
	for (off = 0; off < size; off += len) {
		len = size - off < 65536 ? size - off : 65536;
		if (pread(fd, buf, len, (off_t)off) != (ssize_t)len ||
		    memcmp(buf, model + off, len))
			bad++;
	}
	CN_EXPECT_EQ(bad, 0);
	close(fd);
	free(model);
	free(buf);
	done();
}

/* ------------------------------------------------ pins and sendfile() */

/* Pins len bytes at off of fd's file (the pin op behind sendfile()). */
static ssize_t pin_of(int fd, off_t off, size_t len, const void **data,
		      struct cn_file_pin **pin)
{
	struct cn_file *f = cn_fd_get(fd);
	ssize_t n;

	if (!f)
		return -EBADF;
	n = f->ops->pin ? f->ops->pin(f, off, len, data, pin) : -EOPNOTSUPP;
	cn_file_put(f);
	return n;
}

static int fill_file(const char *name, size_t len, char c)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *b = malloc(len);

	if (fd < 0 || !b || write(fd, memset(b, c, len), len) != (ssize_t)len) {
		free(b);
		return -1;
	}
	free(b);
	return fd;
}

static bool all_are(const void *p, size_t len, char c)
{
	const char *s = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != c)
			return false;
	return true;
}

CN_TEST(ramfs, pinned_block_survives_write_truncate_and_unlink)
{
	const void *data;
	struct cn_file_pin *pin;
	char buf[64];
	size_t before_put;
	int fd;

	scratch("pin", "");
	fd = fill_file("f", 3 * 4096 + 100, 'a');
	CN_ASSERT_TRUE(fd >= 0);
	/* One block at most, from the offset on. */
	CN_ASSERT_EQ(pin_of(fd, 4096 + 96, 1 << 20, &data, &pin), 4000);
	CN_EXPECT_TRUE(all_are(data, 4000, 'a'));
	/* A write into the pinned block goes to a copy. */
	CN_EXPECT_EQ(pwrite(fd, "bbbb", 4, 5000), 4);
	CN_EXPECT_TRUE(all_are(data, 4000, 'a'));
	CN_EXPECT_EQ(pread(fd, buf, 6, 4998), 6);
	CN_EXPECT_EQ(memcmp(buf, "aabbbb", 6), 0);
	/* The copy is not pinned: writing it again copies nothing. */
	CN_EXPECT_EQ(pwrite(fd, "cc", 2, 5000), 2);
	CN_EXPECT_TRUE(all_are(data, 4000, 'a'));
	/* Truncated away, unlinked, closed: the bytes stay. */
	CN_EXPECT_EQ(ftruncate(fd, 10), 0);
	CN_EXPECT_EQ(unlink("f"), 0);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_TRUE(all_are(data, 4000, 'a'));
	/* The last put frees the block the file let go. */
	before_put = heap_used();
	cn_file_pin_put(pin);
	CN_EXPECT_GE(before_put - heap_used(), (size_t)4096);
	done();
}

CN_TEST(ramfs, pinned_small_file_survives_growth_and_truncation)
{
	const void *data, *data2;
	struct cn_file_pin *pin, *pin2;
	char buf[8];
	int fd;

	scratch("pinsmall", "");
	fd = fill_file("s", 100, 'x');
	CN_ASSERT_TRUE(fd >= 0);
	CN_ASSERT_EQ(pin_of(fd, 0, 4096, &data, &pin), 100);
	/* Two pins of one block share it. */
	CN_ASSERT_EQ(pin_of(fd, 50, 10, &data2, &pin2), 10);
	CN_EXPECT_TRUE(pin == pin2);
	cn_file_pin_put(pin2);
	/* Growing moves the small block: the pinned one stays as it was. */
	CN_EXPECT_EQ(pwrite(fd, "yyyy", 4, 3000), 4);
	CN_EXPECT_TRUE(all_are(data, 100, 'x'));
	CN_EXPECT_EQ(pread(fd, buf, 4, 3000), 4);
	CN_EXPECT_EQ(memcmp(buf, "yyyy", 4), 0);
	CN_EXPECT_EQ(ftruncate(fd, 0), 0);
	CN_EXPECT_TRUE(all_are(data, 100, 'x'));
	cn_file_pin_put(pin);
	/* Released, then pinned again from scratch. */
	CN_EXPECT_EQ(pwrite(fd, "zz", 2, 0), 2);
	CN_ASSERT_EQ(pin_of(fd, 0, 10, &data, &pin), 2);
	CN_EXPECT_TRUE(all_are(data, 2, 'z'));
	cn_file_pin_put(pin);
	/* At the end: nothing. */
	CN_EXPECT_EQ(pin_of(fd, 2, 10, &data, &pin), 0);
	CN_EXPECT_EQ(close(fd), 0);
	done();
}

CN_TEST(ramfs, pinned_hole_reads_zeros)
{
	const void *data;
	struct cn_file_pin *pin;
	int fd;

	scratch("pinhole", "");
	fd = open("h", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(fd >= 0);
	CN_ASSERT_EQ(pwrite(fd, "e", 1, 3 * 4096), 1);
	CN_ASSERT_EQ(pin_of(fd, 4096 + 10, 8192, &data, &pin), 4086);
	CN_EXPECT_TRUE(all_are(data, 4086, 0));
	cn_file_pin_put(pin);
	CN_EXPECT_EQ(close(fd), 0);
	done();
}

CN_TEST(ramfs, sendfile_between_files_copies)
{
	char buf[16];
	off_t off = 4090;
	int in, out;

	scratch("sendfile", "");
	in = fill_file("in", 5000, 'q');
	CN_ASSERT_TRUE(in >= 0);
	CN_EXPECT_EQ(pwrite(in, "0123456789", 10, 4090), 10);
	out = open("out", O_RDWR | O_CREAT, 0644);
	CN_ASSERT_TRUE(out >= 0);
	CN_EXPECT_EQ(lseek(in, 0, SEEK_SET), 0);
	/* With an offset: it moves, the position does not. */
	CN_EXPECT_EQ(sendfile(out, in, &off, 10), 10);
	CN_EXPECT_EQ(off, 4100);
	CN_EXPECT_EQ(lseek(in, 0, SEEK_CUR), 0);
	CN_EXPECT_EQ(pread(out, buf, 10, 0), 10);
	CN_EXPECT_EQ(memcmp(buf, "0123456789", 10), 0);
	/* Without: from the position, which moves; short at the end. */
	CN_EXPECT_EQ(lseek(in, 4995, SEEK_SET), 4995);
	CN_EXPECT_EQ(sendfile(out, in, NULL, 100), 5);
	CN_EXPECT_EQ(lseek(in, 0, SEEK_CUR), 5000);
	CN_EXPECT_EQ(sendfile(out, in, NULL, 100), 0);
	CN_EXPECT_EQ(lseek(out, 0, SEEK_CUR), 15);
	/* Errors as Linux gives them. */
	off = -1;
	CN_EXPECT_EQ(sendfile(out, in, &off, 1), -1);
	CN_EXPECT_EQ(errno, EINVAL);
	CN_EXPECT_EQ(sendfile(out, 999, NULL, 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(close(out), 0);
	out = open("out", O_RDONLY);
	CN_EXPECT_EQ(sendfile(out, in, NULL, 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(close(out), 0);
	CN_EXPECT_EQ(close(in), 0);
	done();
}
