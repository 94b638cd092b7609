/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cpio newc reader on good, cut and corrupt archives (also run on the
 * host under ASan/UBSan, where every cut archive is an exact-size heap
 * copy, so a read past its end is caught).
 */
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/cpio.h>
#include <cairn/test.h>
#include "newc.h"

static unsigned char arc[4096];

static struct newc good(void)
{
	struct newc a = { arc, 0, sizeof(arc), 0, false };

	newc_entry(&a, "etc", 0040755, NULL);
	newc_entry(&a, "etc/a", 0100644, "hello");
	newc_entry(&a, "l", 0120777, "etc/a");
	newc_trailer(&a);
	return a;
}

/* Walks buf to the end: the entries seen, and the final result. */
static int walk(const void *buf, size_t len, int *result, char *err,
		size_t errlen)
{
	struct cn_cpio c;
	struct cn_cpio_entry e;
	int n = 0, r;

	cn_cpio_init(&c, buf, len);
	while ((r = cn_cpio_next(&c, &e)) == 1)
		n++;
	*result = r;
	if (err) {
		strncpy(err, c.err, errlen - 1);
		err[errlen - 1] = '\0';
	}
	return n;
}

CN_TEST(cpio, reads_a_good_archive)
{
	struct newc a = good();
	struct cn_cpio_entry e;
	struct cn_cpio c;

	cn_cpio_init(&c, a.buf, a.len);
	CN_ASSERT_EQ(cn_cpio_next(&c, &e), 1);
	CN_EXPECT_STREQ(e.name, "etc");
	CN_EXPECT_EQ(e.mode, 0040755);
	CN_EXPECT_EQ(e.index, 0);
	CN_EXPECT_EQ(e.offset, 0);
	CN_ASSERT_EQ(cn_cpio_next(&c, &e), 1);
	CN_EXPECT_STREQ(e.name, "etc/a");
	CN_EXPECT_EQ(e.namelen, 5);
	CN_EXPECT_EQ(e.size, 5);
	CN_EXPECT_EQ(memcmp(e.data, "hello", 5), 0);
	CN_EXPECT_EQ(e.mtime, 1700000000u);
	CN_EXPECT_EQ(e.nlink, 1);
	CN_ASSERT_EQ(cn_cpio_next(&c, &e), 1);
	CN_EXPECT_EQ(e.mode & 0170000, 0120000);
	CN_EXPECT_EQ(memcmp(e.data, "etc/a", 5), 0);
	CN_EXPECT_EQ(cn_cpio_next(&c, &e), 0);
	CN_EXPECT_EQ(cn_cpio_next(&c, &e), 0);		/* and stays so */
}

CN_TEST(cpio, checksums_of_070702)
{
	unsigned char *p;
	struct newc a = { arc, 0, sizeof(arc), 0, true };
	char err[256];
	int r;

	newc_entry(&a, "f", 0100600, "checked data");
	newc_trailer(&a);
	CN_EXPECT_EQ(walk(a.buf, a.len, &r, NULL, 0), 1);
	CN_EXPECT_EQ(r, 0);
	p = memmem(a.buf, a.len, "checked", 7);
	CN_ASSERT_NOT_NULL(p);
	p[0] ^= 1;
	CN_EXPECT_EQ(walk(a.buf, a.len, &r, err, sizeof(err)), 0);
	CN_EXPECT_EQ(r, -EINVAL);
	CN_EXPECT_TRUE(strstr(err, "entry 0 'f'") != NULL);
	CN_EXPECT_TRUE(strstr(err, "checksum mismatch") != NULL);
}

/* Every cut of a good archive is an error, never a crash or a hang. */
CN_TEST(cpio, every_truncation_is_an_error)
{
	struct newc a = good();
	int r, n, bad = 0;
	size_t cut;
	char err[256];

	for (cut = 0; cut < a.len - 3; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);

		CN_ASSERT_NOT_NULL(copy);
		memcpy(copy, a.buf, cut);
		n = walk(copy, cut, &r, err, sizeof(err));
		free(copy);
		if (r != -EINVAL || n > 3 || !err[0])
			bad++;
	}
	CN_EXPECT_EQ(bad, 0);
	/* Only the trailer's last padding may be missing. */
	CN_EXPECT_EQ(walk(a.buf, a.len - 3, &r, NULL, 0), 3);
	CN_EXPECT_EQ(r, 0);
}

CN_TEST(cpio, a_cut_names_the_entry)
{
	struct newc a = good();
	char err[256];
	int r;

	/* Inside the data of etc/a: entry 1. */
	CN_EXPECT_EQ(walk(a.buf, 116 + 110 + 6 + 2, &r, err, sizeof(err)), 1);
	CN_EXPECT_EQ(r, -EINVAL);
	CN_EXPECT_TRUE(strstr(err, "entry 1 'etc/a'") != NULL);
	CN_EXPECT_TRUE(strstr(err, "file data cut short") != NULL);
	CN_EXPECT_EQ(walk(a.buf, 50, &r, err, sizeof(err)), 0);
	CN_EXPECT_TRUE(strstr(err, "header cut short (50 of 110") != NULL);
	/* At an entry boundary, without a trailer. */
	CN_EXPECT_EQ(walk(a.buf, 116, &r, err, sizeof(err)), 1);
	CN_EXPECT_TRUE(strstr(err, "without its TRAILER!!!") != NULL);
	CN_EXPECT_EQ(walk(a.buf, 0, &r, err, sizeof(err)), 0);
	CN_EXPECT_TRUE(strstr(err, "empty") != NULL);
}

CN_TEST(cpio, bad_magic_says_what_the_file_looks_like)
{
	static const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 };
	char err[256];
	int r;

	walk(gz, sizeof(gz), &r, err, sizeof(err));
	CN_EXPECT_EQ(r, -EINVAL);
	CN_EXPECT_TRUE(strstr(err, "gzip") != NULL);
	walk("070707000000000000000000000000", 30, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "odc") != NULL);
	walk("hello, not an archive", 21, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "not a cpio newc header") != NULL);
}

CN_TEST(cpio, corrupt_headers)
{
	struct newc a;
	char err[256];
	int r;

	a = good();
	arc[6 + 8 * 6 + 3] = 'g';			/* filesize of "etc" */
	CN_EXPECT_EQ(walk(a.buf, a.len, &r, err, sizeof(err)), 0);
	CN_EXPECT_TRUE(strstr(err, "field 'filesize' is not 8 hex") != NULL);
	a = good();
	memcpy(arc + 6 + 8 * 11, "00000000", 8);	/* namesize 0 */
	walk(a.buf, a.len, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "bad name size 0") != NULL);
	a = good();
	memcpy(arc + 6 + 8 * 11, "7FFFFFFF", 8);
	walk(a.buf, a.len, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "bad name size") != NULL);
	a = good();
	memcpy(arc + 6 + 8 * 11, "00000003", 8);	/* "etc" w/o NUL */
	walk(a.buf, a.len, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "not NUL-terminated") != NULL);
	a = good();
	memcpy(arc + 6 + 8 * 1, "00170755", 8);		/* type 017 */
	walk(a.buf, a.len, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "unknown file type") != NULL);
	CN_EXPECT_TRUE(strstr(err, "entry 0 'etc'") != NULL);
	a = good();
	memcpy(arc + 6 + 8 * 6, "7FFFFFF0", 8);		/* huge filesize */
	walk(a.buf, a.len, &r, err, sizeof(err));
	CN_EXPECT_TRUE(strstr(err, "file data cut short") != NULL);
}

CN_TEST(cpio, empty_symlink_target_is_corrupt)
{
	struct newc a = { arc, 0, sizeof(arc), 0, false };
	char err[256];
	int r;

	newc_entry(&a, "l", 0120777, "");
	newc_trailer(&a);
	CN_EXPECT_EQ(walk(a.buf, a.len, &r, err, sizeof(err)), 0);
	CN_EXPECT_EQ(r, -EINVAL);
	CN_EXPECT_TRUE(strstr(err, "symlink target") != NULL);
}

CN_TEST(cpio, padding_and_concatenated_archives)
{
	struct newc a = good();
	int r;

	memset(arc + a.len, 0, 512);			/* zero padding */
	a.len += 512;
	CN_EXPECT_EQ(walk(a.buf, a.len, &r, NULL, 0), 3);
	CN_EXPECT_EQ(r, 0);
	newc_entry(&a, "second", 0100644, "x");	/* another archive */
	newc_trailer(&a);
	CN_EXPECT_EQ(walk(a.buf, a.len, &r, NULL, 0), 4);
	CN_EXPECT_EQ(r, 0);
	a = good();
	arc[a.len] = 0;
	arc[a.len + 1] = '0';				/* misaligned */
	CN_EXPECT_EQ(walk(a.buf, a.len + 2, &r, NULL, 0), 3);
	CN_EXPECT_EQ(r, -EINVAL);
}
