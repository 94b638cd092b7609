/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File benchmark: the same program on Cairn (ramfs, apps/bench-files) and
 * in the Linux guest (tmpfs on /tmp), support/bench/files/bench.py.
 *
 *   filebench DIR [MIB [RUNS [FILES [sync]]]]  (defaults /tmp 32 5 2000)
 *
 * In DIR, after one untimed warm-up round, RUNS timed rounds of:
 *   write_4k_MBps      a new file of MIB MiB written with 4 KiB write()s
 *   read_4k_MBps       read back with 4 KiB read()s
 *   write_1m_MBps      the same with 1 MiB operations
 *   read_1m_MBps
 *   create_unlink_per_s  open(O_CREAT|O_EXCL) + close + unlink, FILES names
 * and prints the median of each as "name: value" (MB = 10^6 bytes). Each
 * write round starts from an empty file (O_TRUNC), so block allocation
 * is part of the figure on both sides. Timed with CLOCK_MONOTONIC.
 * With "sync" (file systems on a disk): each write pass ends with
 * fsync() inside the timed part, and each read pass starts with the page
 * cache dropped where there is one (Linux's /proc/sys/vm/drop_caches;
 * Cairn's fatfs keeps a 256 KiB sector cache and reads whole sectors
 * past it), so both sides move the file through the disk.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 101

static const char *dir = "/tmp";
static long mib = 32, files = 2000;
static int runs = 5;
static int sync_mode;
static char *buf;

/* Linux only: forget cached file data (nothing on Cairn). */
static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "3\n", 2) != 2)
			perror("filebench: drop_caches");
		close(fd);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double pass(int write_it, size_t chunk)
{
	char path[256];
	size_t total = (size_t)mib << 20, done;
	double t0 = now();
	int fd;

	snprintf(path, sizeof(path), "%s/filebench.dat", dir);
	if (sync_mode && !write_it) {
		drop_caches();
		t0 = now();
	}
	fd = open(path, write_it ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY,
		  0644);
	if (fd < 0)
		die("filebench: open");
	for (done = 0; done < total; done += chunk) {
		ssize_t n = write_it ? write(fd, buf, chunk)
				     : read(fd, buf, chunk);
		if (n != (ssize_t)chunk)
			die(write_it ? "filebench: write" : "filebench: read");
	}
	if (sync_mode && write_it && fsync(fd))
		die("filebench: fsync");
	if (close(fd))
		die("filebench: close");
	return (double)total / 1e6 / (now() - t0);
}

static double create_unlink(void)
{
	char path[256];
	double t0 = now();
	long i;
	int fd;

	for (i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("filebench: create");
		close(fd);
		if (unlink(path))
			die("filebench: unlink");
	}
	return (double)files / (now() - t0);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, (size_t)runs, sizeof(v[0]), cmp);
	return runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2;
}

int main(int argc, char **argv)
{
	static const char *names[] = {
		"write_4k_MBps", "read_4k_MBps", "write_1m_MBps",
		"read_1m_MBps", "create_unlink_per_s",
	};
	static double v[5][MAX_RUNS];
	char path[256];
	int r, k;

	if (argc > 1)
		dir = argv[1];
	if (argc > 2)
		mib = strtol(argv[2], NULL, 0);
	if (argc > 3)
		runs = atoi(argv[3]);
	if (argc > 4)
		files = strtol(argv[4], NULL, 0);
	if (argc > 5)
		sync_mode = !strcmp(argv[5], "sync");
	if (argc > 6 || (argc > 5 && !sync_mode) || mib < 1 || mib > 4096 ||
	    runs < 1 || runs > MAX_RUNS || files < 1) {
		fprintf(stderr, "usage: filebench [DIR [MIB [RUNS 1..%d "
			"[FILES [sync]]]]]\n", MAX_RUNS);
		return 2;
	}
	mkdir(dir, 0755);
	buf = malloc(1 << 20);
	if (!buf)
		die("filebench: malloc");
	memset(buf, 0x5a, 1 << 20);
	for (r = -1; r < runs; r++) {		/* -1: the warm-up */
		double w4 = pass(1, 4096), r4 = pass(0, 4096);
		double w1 = pass(1, 1 << 20), r1 = pass(0, 1 << 20);
		double cu = create_unlink();

		if (r < 0)
			continue;
		v[0][r] = w4;
		v[1][r] = r4;
		v[2][r] = w1;
		v[3][r] = r1;
		v[4][r] = cu;
	}
	snprintf(path, sizeof(path), "%s/filebench.dat", dir);
	unlink(path);
	for (k = 0; k < 5; k++)
		printf("%s: %.1f\n", names[k], median(v[k]));
	return 0;
}
