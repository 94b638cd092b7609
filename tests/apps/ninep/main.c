/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs file operations from its arguments, one per argument ("op a b",
 * words split at spaces), and prints each as "> op a b" then its result:
 * "= value" or "! ENAME" (the errno's name). tests/test_9p.py drives it
 * over a 9p mount and checks both what it prints and the host folder.
 * Ops:
 *
 *	cat P | write P TEXT | append P TEXT | mkdir P | rmdir P | rm P
 *	mv A B | ls P | stat P | symlink T P | readlink P | truncate P N
 *	excl P TEXT (O_EXCL)
 *	fill P N (N bytes of a pattern) | sum P (size and CRC-32)
 *	chmod P OCTAL | fsync P | link A B | cd P
 *	waitgone P (polls until P does not exist, at most 60 s)
 *	fill4k P N, sum4k P: fill and sum in 4 KiB write()s and read()s
 *	keep P TEXT: writes TEXT to P and never closes it (the image's
 *	exit must write it back under cache=loose)
 *	hold P: opens P and prints its first 64 bytes, keeping it open;
 *	reread: prints them again through that descriptor; release: closes it
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cairn/errname.h>

static char buf[256 * 1024];

static int fail(void)
{
	printf("! %s\n", cn_errname(-errno));
	return 0;
}

static uint32_t crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	int k;

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static int put(const char *p, const char *text, int flags)
{
	int fd = open(p, O_WRONLY | O_CREAT | flags, 0644);
	ssize_t n;

	if (fd < 0)
		return fail();
	n = write(fd, text, strlen(text));
	if (n < 0) {
		close(fd);
		return fail();
	}
	if (close(fd))
		return fail();
	printf("= %zd\n", n);
	return 0;
}

static int cat(const char *p)
{
	int fd = open(p, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return fail();
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return fail();
	buf[n] = '\0';
	printf("= %s\n", buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ls(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *e;
	char *names[512];
	unsigned int n = 0, i;

	if (!d)
		return fail();
	errno = 0;
	while ((e = readdir(d)) && n < 512) {
		names[n] = malloc(strlen(e->d_name) + 3);
		sprintf(names[n++], "%s%s", e->d_name,
			e->d_type == DT_DIR ? "/" :
			e->d_type == DT_LNK ? "@" : "");
	}
	if (errno) {
		closedir(d);
		return fail();
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("=");
	for (i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	return 0;
}

static int held = -1;

/* The first 64 bytes of fd, printed; 0 or fail(). */
static int show(int fd)
{
	ssize_t n = pread(fd, buf, 64, 0);

	if (n < 0)
		return fail();
	buf[n] = '\0';
	printf("= %s\n", buf);
	return 0;
}

static int fill(const char *p, long n, long piece)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long done = 0, i;
	uint32_t crc = 0;

	if (fd < 0)
		return fail();
	while (done < n) {
		long k = n - done < piece ? n - done : piece;

		for (i = 0; i < k; i++)
			buf[i] = (char)((done + i) * 131 + ((done + i) >> 9));
		if (write(fd, buf, (size_t)k) != k) {
			close(fd);
			return fail();
		}
		crc = crc32(crc, (unsigned char *)buf, (size_t)k);
		done += k;
	}
	if (close(fd))
		return fail();
	printf("= %ld %08x\n", n, (unsigned int)crc);
	return 0;
}

static int sum(const char *p, size_t piece)
{
	int fd = open(p, O_RDONLY);
	uint32_t crc = 0;
	long total = 0;
	ssize_t n;

	if (fd < 0)
		return fail();
	while ((n = read(fd, buf, piece)) > 0) {
		crc = crc32(crc, (unsigned char *)buf, (size_t)n);
		total += n;
	}
	close(fd);
	if (n < 0)
		return fail();
	printf("= %ld %08x\n", total, (unsigned int)crc);
	return 0;
}

static int waitgone(const char *p)
{
	struct stat st;
	struct timespec ts = { 0, 50 * 1000000 };
	int i;

	printf("waiting\n");
	fflush(stdout);
	for (i = 0; i < 1200; i++) {
		if (stat(p, &st))
			break;
		nanosleep(&ts, NULL);
	}
	printf("= %s\n", i < 1200 ? "gone" : "still there");
	return 0;
}

static const char *const plain[] = {
	"mkdir", "rmdir", "rm", "mv", "symlink", "link", "cd", "truncate",
	"chmod",
};

static int run(int argc, char **argv)
{
	const char *op = argv[0], *a = argc > 1 ? argv[1] : "",
		   *b = argc > 2 ? argv[2] : "";
	struct stat st;
	ssize_t n;
	int fd;

	if (!strcmp(op, "cat"))
		return cat(a);
	if (!strcmp(op, "write"))
		return put(a, b, O_TRUNC);
	if (!strcmp(op, "append"))
		return put(a, b, O_APPEND);
	if (!strcmp(op, "excl"))
		return put(a, b, O_EXCL);
	if (!strcmp(op, "ls"))
		return ls(a);
	if (!strcmp(op, "fill"))
		return fill(a, atol(b), (long)sizeof(buf));
	if (!strcmp(op, "fill4k"))
		return fill(a, atol(b), 4096);
	if (!strcmp(op, "sum"))
		return sum(a, sizeof(buf));
	if (!strcmp(op, "sum4k"))
		return sum(a, 4096);
	if (!strcmp(op, "keep")) {
		fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, b, strlen(b)) < 0)
			return fail();
		printf("= %zu\n", strlen(b));
		return 0;
	}
	if (!strcmp(op, "hold")) {
		held = open(a, O_RDONLY);
		return held < 0 ? fail() : show(held);
	}
	if (!strcmp(op, "reread"))
		return show(held);
	if (!strcmp(op, "release")) {
		if (close(held))
			return fail();
		held = -1;
		printf("= 0\n");
		return 0;
	}
	if (!strcmp(op, "waitgone"))
		return waitgone(a);
	if (!strcmp(op, "stat")) {
		if (lstat(a, &st))
			return fail();
		printf("= %s %04o %lld\n", S_ISDIR(st.st_mode) ? "dir" :
		       S_ISLNK(st.st_mode) ? "link" : S_ISREG(st.st_mode) ?
		       "file" : "other", (unsigned int)(st.st_mode & 07777),
		       (long long)st.st_size);
		return 0;
	}
	if (!strcmp(op, "readlink")) {
		n = readlink(a, buf, sizeof(buf) - 1);
		if (n < 0)
			return fail();
		buf[n] = '\0';
		printf("= %s\n", buf);
		return 0;
	}
	if (!strcmp(op, "fsync")) {
		fd = open(a, O_RDWR);
		if (fd < 0)
			return fail();
		if (write(fd, "", 0) < 0 || fsync(fd)) {
			close(fd);
			return fail();
		}
		close(fd);
		printf("= 0\n");
		return 0;
	}
	if ((!strcmp(op, "mkdir") && mkdir(a, 0755)) ||
	    (!strcmp(op, "rmdir") && rmdir(a)) ||
	    (!strcmp(op, "rm") && unlink(a)) ||
	    (!strcmp(op, "mv") && rename(a, b)) ||
	    (!strcmp(op, "symlink") && symlink(a, b)) ||
	    (!strcmp(op, "link") && link(a, b)) ||
	    (!strcmp(op, "cd") && chdir(a)) ||
	    (!strcmp(op, "truncate") && truncate(a, atol(b))) ||
	    (!strcmp(op, "chmod") && chmod(a, (mode_t)strtol(b, NULL, 8))))
		return fail();
	for (n = 0; n < (ssize_t)(sizeof(plain) / sizeof(plain[0])); n++) {
		if (!strcmp(op, plain[n])) {
			printf("= 0\n");
			return 0;
		}
	}
	printf("? unknown op %s\n", op);
	return 1;
}

int main(int argc, char **argv)
{
	int i, n, bad = 0;
	char *w[4], *p;

	for (i = 1; i < argc; i++) {
		printf("> %s\n", argv[i]);
		for (n = 0, p = strtok(argv[i], " "); p && n < 4;
		     p = strtok(NULL, " "))
			w[n++] = p;
		if (n)
			bad |= run(n, w);
	}
	printf("ninep: done\n");
	return bad;
}
