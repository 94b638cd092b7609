/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for path resolution and the calls on names (lib/vfs
 * over lib/ramfs; tests/host/build_files.py fuzz path). Each input is a
 * program run against a fresh ramfs on "/": operations of one byte
 * followed by their path arguments, each NUL-terminated (the last may
 * end with the input):
 *
 *   op % 24: 0 mkdir A          1 create A (and write)   2 symlink A -> B
 *            3 unlink A         4 rmdir A                5 rename A B
 *            6 link A B         7 stat A, check realpath 8 lstat A
 *            9 open A, keep it  10 close the oldest      11 chdir A
 *            12 getcwd, check   13 readlink A            14 truncate A
 *            15 mount ramfs A   16 umount A              17 list dir A
 *            18 access A        19 mkdir -p A            20 write kept
 *            21 read kept       22 open A O_CREAT|EXCL   23 realpath A
 *
 * Every result must be 0 (or a count) or an error a caller may expect
 * (ENOENT, EEXIST, ENOTDIR, ...); never EIO, ENOMEM, a crash or an ASan
 * report. After a successful stat, realpath must name the same file;
 * getcwd must name "." (unless a mount shadows them, see same_file).
 * At the end every file is closed, every mount unmounted, "/" too: a
 * leaked reference makes that fail (abort), a leaked allocation is
 * reported by ASan.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cairn/log.h>
#include <cairn/vfs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_OPEN 4
#define MAX_MOUNTS 4

static struct cn_file *open_files[MAX_OPEN];
static unsigned int nr_open, nr_mounts;
static int trace;		/* FUZZ_PATH_TRACE=1: print each operation */

static void fail(const char *what, int r)
{
	fprintf(stderr, "fuzz_path: %s (%d)\n", what, r);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	cn_log_runtime_level = -1;
	trace = getenv("FUZZ_PATH_TRACE") != NULL;
	return 0;
}

/* The errors a program may get for a bad path or a bad request. */
static void expect(long r, const char *op)
{
	static const int ok[] = {
		ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, ELOOP,
		ENAMETOOLONG, EBUSY, EXDEV, EPERM, EMLINK, EROFS, ERANGE,
		EACCES, EFBIG, EOPNOTSUPP,
	};
	size_t i;

	if (r >= 0)
		return;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (-r == ok[i])
			return;
	fail(op, (int)r);
}

static const char *arg(const uint8_t **p, const uint8_t *end, char *buf,
		       size_t len)
{
	size_t n = 0;

	while (*p < end && **p && n < len - 1)
		buf[n++] = (char)*(*p)++;
	if (*p < end)
		(*p)++;			/* the NUL (or a byte too many) */
	buf[n] = '\0';
	return buf;
}

/*
 * a and b must be the same file. With mounts made, a path computed from a
 * directory (getcwd, realpath) may be shadowed by a mount made on one of
 * its ancestors later, as on Linux: it then names nothing or another file.
 */
static void same_file(const char *a, const char *b, const char *what)
{
	struct stat x, y;

	if (cn_vfs_stat(CN_VFS_CWD, a, &x, 0) ||
	    cn_vfs_stat(CN_VFS_CWD, b, &y, 0)) {
		if (nr_mounts)
			return;
		fail(what, -1);
	}
	if (nr_mounts && (x.st_dev != y.st_dev || x.st_ino != y.st_ino))
		return;
	if (x.st_dev != y.st_dev || x.st_ino != y.st_ino)
		fail(what, 0);
}

static void check_realpath(const char *a)
{
	static char out[PATH_MAX];
	int r = cn_vfs_realpath(a, out, sizeof(out));

	expect(r, "realpath");
	if (r >= 0) {
		if (out[0] != '/' || (size_t)r != strlen(out))
			fail("realpath gave a bad path", r);
		same_file(a, out, "realpath named another file");
	}
}

static void list_dir(const char *a)
{
	static char buf[2048];
	struct cn_file *f;
	int r = cn_vfs_open_file(CN_VFS_CWD, a, O_RDONLY | O_DIRECTORY, 0, &f);
	int fd;
	ssize_t n;

	expect(r, "open directory");
	if (r)
		return;
	fd = cn_fd_install(f, false);
	cn_file_put(f);
	if (fd < 0)
		fail("cn_fd_install", fd);
	while ((n = cn_vfs_getdents(fd, buf, sizeof(buf))) > 0)
		;
	expect(n, "getdents");
	cn_fd_close(fd);
}

static void op(uint8_t code, const char *a, const char *b)
{
	static char buf[PATH_MAX];
	struct cn_file *f;
	struct stat st;
	long r = 0;

	switch (code % 24) {
	case 0: r = cn_vfs_mkdir(CN_VFS_CWD, a, 0755); break;
	case 1:
		r = cn_vfs_open_file(CN_VFS_CWD, a, O_WRONLY | O_CREAT |
				     O_TRUNC, 0644, &f);
		if (!r) {
			r = f->ops->write(f, b, strlen(b), 0);
			cn_file_put(f);
		}
		break;
	case 2: r = cn_vfs_symlink(b, CN_VFS_CWD, a); break;
	case 3: r = cn_vfs_unlink(CN_VFS_CWD, a, 0); break;
	case 4: r = cn_vfs_unlink(CN_VFS_CWD, a, AT_REMOVEDIR); break;
	case 5: r = cn_vfs_rename(CN_VFS_CWD, a, CN_VFS_CWD, b); break;
	case 6: r = cn_vfs_link(CN_VFS_CWD, a, CN_VFS_CWD, b, 0); break;
	case 7:
		r = cn_vfs_stat(CN_VFS_CWD, a, &st, 0);
		if (!r)
			check_realpath(a);
		break;
	case 8: r = cn_vfs_stat(CN_VFS_CWD, a, &st, AT_SYMLINK_NOFOLLOW); break;
	case 9:
		if (nr_open == MAX_OPEN)
			break;
		r = cn_vfs_open_file(CN_VFS_CWD, a, strlen(b) % 2 ? O_RDWR :
				     O_RDONLY, 0, &f);
		if (!r)
			open_files[nr_open++] = f;
		break;
	case 10:
		if (nr_open) {
			cn_file_put(open_files[0]);
			memmove(open_files, open_files + 1,
				--nr_open * sizeof(open_files[0]));
		}
		break;
	case 11: r = cn_vfs_chdir(a); break;
	case 12:
		r = cn_vfs_getcwd(buf, sizeof(buf));
		if (r >= 0)
			same_file(buf, ".", "getcwd named another directory");
		else if (r != -ENOENT)
			fail("getcwd", (int)r);
		r = 0;
		break;
	case 13: r = cn_vfs_readlink(CN_VFS_CWD, a, buf, sizeof(buf)); break;
	case 14: r = cn_vfs_truncate(a, (off_t)strlen(b) * 1000); break;
	case 15:
		if (nr_mounts == MAX_MOUNTS)
			break;
		r = cn_vfs_mount("ramfs", a, 0, strlen(b) % 3 ? "" : "ro");
		nr_mounts += !r;
		break;
	case 16:
		if (cn_vfs_realpath(a, buf, sizeof(buf)) == 1)
			break;		/* "/" stays until the end */
		r = cn_vfs_umount(a);
		if (!r && nr_mounts)
			nr_mounts--;
		break;
	case 17: list_dir(a); break;
	case 18: r = cn_vfs_access(CN_VFS_CWD, a, (int)strlen(b) & 7, 0); break;
	case 19: r = cn_vfs_mkdir_p(a, 0700); break;
	case 20:
		if (nr_open) {
			f = open_files[strlen(a) % nr_open];
			r = f->ops->write(f, b, strlen(b),
					  (off_t)strlen(a) * 97);
			if (r == -EBADF || r == -EISDIR)
				r = 0;
		}
		break;
	case 21:
		if (nr_open) {
			f = open_files[strlen(a) % nr_open];
			r = f->ops->read(f, buf, sizeof(buf), (off_t)strlen(b));
			if (r == -EISDIR)
				r = 0;
		}
		break;
	case 22:
		r = cn_vfs_open_file(CN_VFS_CWD, a, O_RDWR | O_CREAT | O_EXCL,
				     0600, &f);
		if (!r)
			cn_file_put(f);
		break;
	case 23: check_realpath(a); break;
	}
	if (trace)
		fprintf(stderr, "op %2d '%s' '%s': %ld\n", code % 24, a, b, r);
	expect(r, "an operation");
}

struct mounts {
	char paths[MAX_MOUNTS + 1][PATH_MAX];
	unsigned int n;
};

static void collect(const char *path, const char *fstype, unsigned long flags,
		    void *arg)
{
	struct mounts *m = arg;

	(void)fstype, (void)flags;
	if (m->n <= MAX_MOUNTS)
		strcpy(m->paths[m->n++], path);
}

/*
 * Unmounts everything but "/". A mount point made from inside a directory
 * that a later mount hides has a path that names something else until
 * that later mount goes: so, passes from the newest mount back, until
 * none is left or a pass unmounts nothing (then a reference leaked).
 */
static void cleanup(void)
{
	static struct mounts m;
	unsigned int i, gone;
	int r;

	while (nr_open)
		cn_file_put(open_files[--nr_open]);
	if (cn_vfs_chdir("/"))
		fail("chdir / at the end", 0);
	do {
		m.n = 0;
		cn_vfs_mounts(collect, &m);
		for (gone = 0, i = m.n; i > 1; i--) {	/* the first is "/" */
			r = cn_vfs_umount(m.paths[i - 1]);
			if (trace)
				fprintf(stderr, "umount %s: %d\n",
					m.paths[i - 1], r);
			gone += r == 0;
		}
	} while (m.n > 1 && gone);
	if (m.n > 1)
		fail("a mount did not unmount: a reference leaked", (int)m.n);
	r = cn_vfs_umount("/");
	if (r)
		fail("/ did not unmount: a reference leaked", r);
	nr_mounts = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char a[PATH_MAX + 8], b[PATH_MAX + 8];
	const uint8_t *p = data, *end = data + size;
	uint8_t code;

	if (cn_vfs_mount("ramfs", "/", 0, ""))
		fail("cannot mount ramfs on /", 0);
	while (p < end) {
		code = *p++;
		arg(&p, end, a, sizeof(a));
		arg(&p, end, b, sizeof(b));
		op(code, a, b);
	}
	cleanup();
	return 0;
}
