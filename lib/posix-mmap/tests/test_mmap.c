/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/posix-mmap: anonymous and file mappings on ramfs (mounted on
 * /mm-<case>), write-back, partial unmaps, protections, errors. That a
 * guard page faults is shown by booting an image (tests/test_posix.py).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cairn/arch.h>
#include <cairn/posix_mmap.h>
#include <cairn/test.h>
#include <cairn/vfs.h>
#include <cairn/vfs_test.h>

#define PG	((size_t)CN_PAGE_SIZE)
#define ERR(call) ((call) < 0 ? -errno : 0)
#define MERR(call) ((call) == MAP_FAILED ? -errno : 0)

static int make_file(const char *path, size_t len, char fillc)
{
	char buf[256];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	size_t done = 0;

	memset(buf, fillc, sizeof(buf));
	while (fd >= 0 && done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);

		if (write(fd, buf, n) != (ssize_t)n)
			return -1;
		done += n;
	}
	return fd;
}

CN_TEST(mmap, anonymous_memory_zeroed_aligned_and_unmapped_in_parts)
{
	char *p = mmap(NULL, 3 * PG + 10, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i, nonzero = 0;

	CN_ASSERT_TRUE(p != MAP_FAILED);
	CN_EXPECT_EQ((uintptr_t)p % PG, 0);
	for (i = 0; i < 4 * PG; i++)
		nonzero += p[i] != 0;
	CN_EXPECT_EQ(nonzero, 0);
	memset(p, 0xab, 4 * PG);
	/* The middle page goes; both ends stay usable. */
	CN_EXPECT_EQ(munmap(p + PG, PG), 0);
	CN_EXPECT_EQ((unsigned char)p[0], 0xab);
	CN_EXPECT_EQ((unsigned char)p[2 * PG], 0xab);
	CN_EXPECT_EQ(ERR(mprotect(p + PG, PG, PROT_READ)), -ENOMEM);
	CN_EXPECT_EQ(munmap(p, 4 * PG), 0);
	/* Unmapping nothing is fine; unaligned is not. */
	CN_EXPECT_EQ(munmap(p, PG), 0);
	CN_EXPECT_EQ(ERR(munmap(p + 1, PG)), -EINVAL);
	CN_EXPECT_EQ(ERR(munmap(p, 0)), -EINVAL);
	/* Shared anonymous memory is the same kind of thing. */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
		 -1, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	p[PG - 1] = 1;
	CN_EXPECT_EQ(munmap(p, PG), 0);
}

CN_TEST(mmap, errors_and_wx)
{
	int fd;

	CN_EXPECT_EQ(MERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANON,
			       -1, 0)), -EINVAL);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ, MAP_ANON, -1, 0)),
		     -EINVAL);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANON, -1, 0)), -EACCES);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0)),
		     -EBADF);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 0, 0)),
		     -ENODEV);	/* the console */
	CN_EXPECT_EQ(MERR(mmap(NULL, (size_t)-1, PROT_READ,
			       MAP_PRIVATE | MAP_ANON, -1, 0)), -ENOMEM);
	CN_EXPECT_EQ(MERR(mmap((void *)0x12345000, PG, PROT_READ,
			       MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0)),
		     -ENOMEM);
	cn_vfs_test_scratch("mm", "err");
	fd = make_file("f", 100, 'x');
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 1)),
		     -EINVAL);
	CN_EXPECT_EQ(close(fd), 0);
	fd = open("f", O_RDONLY);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED,
			       fd, 0)), -EACCES);
	CN_EXPECT_EQ(close(fd), 0);
	fd = open("f", O_WRONLY);
	CN_EXPECT_EQ(MERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0)),
		     -EACCES);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(mmap, shared_file_mapping_reaches_the_file)
{
	char buf[8];
	char *p;
	int fd;

	cn_vfs_test_scratch("mm", "sh");
	fd = make_file("f", 2 * PG + 100, 'a');
	CN_ASSERT_TRUE(fd >= 0);
	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	CN_EXPECT_EQ(p[0], 'a');
	CN_EXPECT_EQ(p[2 * PG + 99], 'a');
	CN_EXPECT_EQ(p[2 * PG + 100], 0);	/* past the end: zero */
	/* msync writes back; past the end nothing is written. */
	memcpy(p, "msync", 5);
	p[2 * PG + 200] = 'z';
	CN_EXPECT_EQ(msync(p, PG, MS_SYNC), 0);
	CN_EXPECT_EQ(pread(fd, buf, 5, 0), 5);
	CN_EXPECT_EQ(memcmp(buf, "msync", 5), 0);
	CN_EXPECT_EQ(lseek(fd, 0, SEEK_END), (off_t)(2 * PG + 100));
	CN_EXPECT_EQ(ERR(msync(p, PG, MS_SYNC | MS_ASYNC)), -EINVAL);
	/* close of the (last) descriptor writes back too; the mapping
	 * lives on. */
	memcpy(p + PG, "close", 5);
	CN_EXPECT_EQ(close(fd), 0);
	fd = open("f", O_RDWR);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(pread(fd, buf, 5, (off_t)PG), 5);
	CN_EXPECT_EQ(memcmp(buf, "close", 5), 0);
	/* munmap writes back. */
	memcpy(p + 2 * PG, "unmap", 5);
	CN_EXPECT_EQ(munmap(p, 3 * PG), 0);
	CN_EXPECT_EQ(pread(fd, buf, 5, (off_t)(2 * PG)), 5);
	CN_EXPECT_EQ(memcmp(buf, "unmap", 5), 0);
	/* An offset maps from there. */
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, (off_t)PG);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	CN_EXPECT_EQ(memcmp(p, "close", 5), 0);
	CN_EXPECT_EQ(munmap(p, PG), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(mmap, private_file_mapping_is_a_copy)
{
	char buf[4];
	char *p;
	int fd;

	cn_vfs_test_scratch("mm", "pr");
	fd = make_file("f", 10, 'q');
	CN_ASSERT_TRUE(fd >= 0);
	p = mmap(NULL, 10, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	p[0] = 'X';
	CN_EXPECT_EQ(msync(p, PG, MS_SYNC), 0);
	CN_EXPECT_EQ(munmap(p, 10), 0);
	CN_EXPECT_EQ(pread(fd, buf, 1, 0), 1);
	CN_EXPECT_EQ(buf[0], 'q');
	/* A read-only descriptor may be mapped privately and written. */
	CN_EXPECT_EQ(close(fd), 0);
	fd = open("f", O_RDONLY);
	p = mmap(NULL, 10, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	p[1] = 'Y';
	CN_EXPECT_EQ(madvise(p, PG, MADV_DONTNEED), 0);
	CN_EXPECT_EQ(p[1], 'q');		/* the file's again */
	CN_EXPECT_EQ(ERR(madvise(p, PG, 12345)), -EINVAL);
	CN_EXPECT_EQ(munmap(p, PG), 0);
	CN_EXPECT_EQ(close(fd), 0);
	cn_vfs_test_done();
}

CN_TEST(mmap, mprotect_mremap_and_fixed)
{
	char *p = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANON, -1,
		       0), *q, *r;

	CN_ASSERT_TRUE(p != MAP_FAILED);
	/* Reserve, then commit a part with MAP_FIXED or mprotect. */
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0);
	CN_EXPECT_TRUE(q == p + PG);
	q[5] = 5;
	CN_EXPECT_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
	p[0] = 1;
	CN_EXPECT_EQ(ERR(mprotect(p, PG, PROT_READ | PROT_EXEC)), -EACCES);
	CN_EXPECT_EQ(ERR(mprotect(p + 1, PG, PROT_READ)), -EINVAL);
	CN_EXPECT_EQ(mprotect(p, 2 * PG, PROT_NONE), 0);
	CN_EXPECT_EQ(mprotect(p, 2 * PG, PROT_READ | PROT_WRITE), 0);
	CN_EXPECT_EQ(p[0], 1);			/* contents kept */
	CN_EXPECT_EQ(q[5], 5);
	CN_EXPECT_EQ(munmap(p, 4 * PG), 0);
	/* mremap grows by moving, keeping the bytes; shrinks in place. */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON,
		 -1, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	p[7] = 7;
	CN_EXPECT_EQ(MERR(mremap(p, PG, 3 * PG, 0)), -ENOMEM);
	r = mremap(p, PG, 3 * PG, MREMAP_MAYMOVE);
	CN_ASSERT_TRUE(r != MAP_FAILED);
	CN_EXPECT_EQ(r[7], 7);
	r[3 * PG - 1] = 1;
	CN_EXPECT_TRUE(mremap(r, 3 * PG, PG, 0) == r);
	CN_EXPECT_EQ(munmap(r, PG), 0);
	CN_EXPECT_EQ(mlock(r, PG), 0);
	CN_EXPECT_EQ(ERR(mlockall(0)), -EINVAL);
}

/* PROT_READ pages are read-only (a write faults: tests/test_posix.py);
 * our own writes into them (MADV_DONTNEED's refill) still work, and
 * mprotect and munmap give the memory back writable. */
CN_TEST(mmap, read_only_pages_refill_and_come_back_writable)
{
	char *p, *q;
	size_t i, bad = 0;
	int fd;

	cn_vfs_test_scratch("mm", "ro");
	fd = make_file("/mm-ro/f", 2 * PG, 'r');
	CN_ASSERT_TRUE(fd >= 0);
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	CN_EXPECT_EQ(p[0], 'r');
	CN_EXPECT_EQ(madvise(p, 2 * PG, MADV_DONTNEED), 0);
	CN_EXPECT_EQ(p[2 * PG - 1], 'r');
	CN_EXPECT_EQ(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	p[PG] = 'w';
	CN_EXPECT_EQ(munmap(p, 2 * PG), 0);
	/* Freed read-only pages are ordinary heap memory again. */
	p = mmap(NULL, 8 * PG, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	CN_EXPECT_EQ(munmap(p, 8 * PG), 0);
	q = aligned_alloc(PG, 10 * PG);
	CN_ASSERT_NOT_NULL(q);
	memset(q, 'x', 10 * PG);
	for (i = 0; i < 10 * PG; i++)
		bad += q[i] != 'x';
	CN_EXPECT_EQ(bad, 0);
	free(q);
	close(fd);
	cn_vfs_test_done();
}

/*
 * shm_open() keeps objects in a directory (posix.shm_dir=, /dev/shm by
 * default): ENOSYS while there is none, then O_CREAT/O_EXCL, ftruncate,
 * mmap and shm_unlink as on Linux, and glibc's checks of the name.
 */
CN_TEST(mmap, shm_open_objects_in_their_directory)
{
	const char *old = cn_posix_mmap_shm_dir("/mm-shm-none");
	struct stat st;
	char *p;
	int fd, fd2;

	CN_EXPECT_EQ(ERR(shm_open("/x", O_RDWR | O_CREAT, 0600)), -ENOSYS);
	cn_posix_mmap_shm_dir(cn_vfs_test_scratch("mm", "shm"));
	CN_EXPECT_EQ(ERR(shm_open("/obj", O_RDWR, 0600)), -ENOENT);
	fd = shm_open("/obj", O_RDWR | O_CREAT | O_EXCL, 0600);
	CN_ASSERT_TRUE(fd >= 0);
	CN_EXPECT_EQ(ERR(shm_open("/obj", O_RDWR | O_CREAT | O_EXCL, 0600)),
		     -EEXIST);
	CN_EXPECT_EQ(ftruncate(fd, (off_t)PG), 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	memcpy(p, "shared", 6);
	CN_EXPECT_EQ(munmap(p, PG), 0);
	fd2 = shm_open("obj", O_RDONLY, 0);	/* the leading slash optional */
	CN_ASSERT_TRUE(fd2 >= 0);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd2, 0);
	CN_ASSERT_TRUE(p != MAP_FAILED);
	CN_EXPECT_EQ(memcmp(p, "shared", 6), 0);
	CN_EXPECT_EQ(munmap(p, PG), 0);
	CN_EXPECT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CN_EXPECT_EQ(close(fd2), 0);
	CN_EXPECT_EQ(close(fd), 0);
	CN_EXPECT_EQ(stat("/mm-shm/obj", &st), 0);
	CN_EXPECT_EQ(shm_unlink("/obj"), 0);
	CN_EXPECT_EQ(ERR(shm_unlink("/obj")), -ENOENT);
	CN_EXPECT_EQ(ERR(shm_open("/", O_RDWR | O_CREAT, 0600)), -EINVAL);
	CN_EXPECT_EQ(ERR(shm_open("/a/b", O_RDWR | O_CREAT, 0600)), -EINVAL);
	CN_EXPECT_EQ(ERR(shm_unlink("..")), -EINVAL);
	cn_posix_mmap_shm_dir(old);
	cn_vfs_test_done();
}
