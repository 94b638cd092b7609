/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lists a tree, one line per entry, sorted by name:
 *
 *	D 0755 /data
 *	F 0644 12 3610a686 /etc/hello.txt     (mode, size, CRC-32 of the data)
 *	L /etc/hello.txt /link                (target, path)
 *	C 0666 /dev/null                      (devices are not read)
 *
 * then "filels: N entries". Files are read with fopen/fread (picolibc's
 * stdio on the VFS), directories with scandir. tests/test_files.py
 * compares the lines with the folder it packed into the initrd.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static unsigned int count;

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

static int file_crc(const char *path, uint32_t *crc, long *size)
{
	static unsigned char buf[8192];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	*crc = 0;
	*size = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		*crc = crc32(*crc, buf, n);
		*size += (long)n;
	}
	n = ferror(f);
	fclose(f);
	return n ? -1 : 0;
}

static void walk(const char *dir)
{
	static char target[PATH_MAX];	/* recursion: off the stack */
	char *path = malloc(PATH_MAX);
	struct dirent **list;
	struct stat st;
	uint32_t crc;
	long size;
	ssize_t t;
	int n, i;

	n = path ? scandir(dir, &list, NULL, alphasort) : -1;
	if (n < 0) {
		printf("E %s: %s\n", dir, strerror(errno));
		free(path);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			free(list[i]);
			continue;
		}
		snprintf(path, PATH_MAX, "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		free(list[i]);
		count++;
		if (lstat(path, &st)) {
			printf("E %s: %s\n", path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			printf("D %04o %s\n", (unsigned)(st.st_mode & 07777),
			       path);
			walk(path);
		} else if (S_ISLNK(st.st_mode)) {
			t = readlink(path, target, sizeof(target) - 1);
			target[t < 0 ? 0 : t] = '\0';
			printf("L %s %s\n", target, path);
		} else if (S_ISREG(st.st_mode)) {
			if (file_crc(path, &crc, &size))
				printf("E %s: %s\n", path, strerror(errno));
			else
				printf("F %04o %ld %08x %s\n",
				       (unsigned)(st.st_mode & 07777), size,
				       (unsigned)crc, path);
		} else {
			printf("C %04o %s\n", (unsigned)(st.st_mode & 07777),
			       path);
		}
	}
	free(list);
	free(path);
}

int main(int argc, char *argv[])
{
	const char *root = argc > 1 ? argv[1] : "/";

	walk(root);
	printf("filels: %u entries\n", count);
	return 0;
}
