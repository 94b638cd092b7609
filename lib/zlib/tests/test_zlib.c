/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * zlib in the image: known answers (CRC-32 and Adler-32 of fixed
 * strings, the standard check values), compress()/uncompress() round
 * trips, a gzip stream made with deflateInit2(windowBits 31) whose
 * header and trailer are checked byte by byte and inflated back, and a
 * .gz file written and read with the gz* calls on a ramfs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cairn/test.h>
#include <cairn/vfs.h>

/* Text that compresses (repeats) but not trivially (a counter in it). */
static size_t sample(unsigned char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; n + 64 < len; i++)
		n += (size_t)snprintf((char *)buf + n, len - n,
				      "line %u: the quick brown fox %u\n", i,
				      (i * 2654435761u) % 1000);
	return n;
}

CN_TEST(zlib, crc32_and_adler32_known_answers)
{
	const unsigned char *s = (const unsigned char *)"123456789";

	/* The CRC-32 (IEEE) and Adler-32 check values of "123456789". */
	CN_EXPECT_EQ(crc32(0, s, 9), 0xcbf43926ul);
	CN_EXPECT_EQ(adler32(1, s, 9), 0x091e01deul);
	CN_EXPECT_EQ(crc32(0, Z_NULL, 0), 0ul);
	/* Incremental equals one go; combine joins two halves. */
	CN_EXPECT_EQ(crc32(crc32(0, s, 4), s + 4, 5), 0xcbf43926ul);
	CN_EXPECT_EQ(crc32_combine(crc32(0, s, 4), crc32(0, s + 4, 5), 5),
		     0xcbf43926ul);
	CN_EXPECT_STREQ(zlibVersion(), ZLIB_VERSION);
}

CN_TEST(zlib, compress_uncompress_round_trip)
{
	size_t cap = 64 * 1024;
	unsigned char *src = malloc(cap), *dst, *back;
	uLongf dlen, blen;
	size_t n = sample(src, cap);
	int level;

	CN_ASSERT_NOT_NULL(src);
	dst = malloc(compressBound(n));
	back = malloc(n);
	CN_ASSERT_NOT_NULL(dst);
	CN_ASSERT_NOT_NULL(back);
	for (level = 0; level <= 9; level += 3) {
		dlen = compressBound(n);
		CN_ASSERT_EQ(compress2(dst, &dlen, src, n, level), Z_OK);
		if (level)
			CN_EXPECT_LT(dlen, n / 3);
		blen = n;
		CN_ASSERT_EQ(uncompress(back, &blen, dst, dlen), Z_OK);
		CN_EXPECT_EQ(blen, n);
		CN_EXPECT_EQ(memcmp(back, src, n), 0);
	}
	/* A corrupted stream and a short buffer are errors, not crashes. */
	dst[dlen / 2] ^= 0x55;
	blen = n;
	CN_EXPECT_NE(uncompress(back, &blen, dst, dlen), Z_OK);
	dst[dlen / 2] ^= 0x55;
	blen = n / 2;
	CN_EXPECT_EQ(uncompress(back, &blen, dst, dlen), Z_BUF_ERROR);
	free(back);
	free(dst);
	free(src);
}

CN_TEST(zlib, gzip_stream_with_window_bits_31)
{
	size_t cap = 32 * 1024, n;
	unsigned char *src = malloc(cap), *gz = malloc(cap), *back = malloc(cap);
	z_stream zs;
	size_t glen;

	CN_ASSERT_NOT_NULL(src);
	CN_ASSERT_NOT_NULL(gz);
	CN_ASSERT_NOT_NULL(back);
	n = sample(src, cap);
	memset(&zs, 0, sizeof(zs));
	CN_ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8,
				  Z_DEFAULT_STRATEGY), Z_OK);
	/* Fed in small pieces, as a server streaming a file would. */
	zs.next_out = gz;
	zs.avail_out = (uInt)cap;
	for (size_t off = 0; off < n; off += 1000) {
		zs.next_in = src + off;
		zs.avail_in = (uInt)(n - off < 1000 ? n - off : 1000);
		CN_ASSERT_EQ(deflate(&zs, Z_NO_FLUSH), Z_OK);
	}
	CN_ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
	glen = zs.total_out;
	CN_EXPECT_EQ(deflateEnd(&zs), Z_OK);
	/* RFC 1952: magic 1f 8b, method 8 (deflate); the trailer is the
	 * CRC-32 and the length of the input, little-endian. */
	CN_EXPECT_EQ(gz[0], 0x1f);
	CN_EXPECT_EQ(gz[1], 0x8b);
	CN_EXPECT_EQ(gz[2], 8);
	CN_EXPECT_EQ((uLong)gz[glen - 8] | (uLong)gz[glen - 7] << 8 |
		     (uLong)gz[glen - 6] << 16 | (uLong)gz[glen - 5] << 24,
		     crc32(0, src, (uInt)n));
	CN_EXPECT_EQ((size_t)gz[glen - 4] | (size_t)gz[glen - 3] << 8 |
		     (size_t)gz[glen - 2] << 16 | (size_t)gz[glen - 1] << 24,
		     n);
	/* Inflated back, with gzip detection (windowBits 15 + 32). */
	memset(&zs, 0, sizeof(zs));
	CN_ASSERT_EQ(inflateInit2(&zs, 47), Z_OK);
	zs.next_in = gz;
	zs.avail_in = (uInt)glen;
	zs.next_out = back;
	zs.avail_out = (uInt)cap;
	CN_EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
	CN_EXPECT_EQ(zs.total_out, n);
	CN_EXPECT_EQ(memcmp(back, src, n), 0);
	CN_EXPECT_EQ(inflateEnd(&zs), Z_OK);
	free(back);
	free(gz);
	free(src);
}

CN_TEST(zlib, gz_files_on_ramfs)
{
	char line[64];
	gzFile f;
	int i;

	CN_ASSERT_EQ(cn_vfs_mkdir_p("/zlib-test", 0755), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "/zlib-test", 0, ""), 0);
	f = gzopen("/zlib-test/a.gz", "wb9");
	CN_ASSERT_NOT_NULL(f);
	for (i = 0; i < 100; i++)
		CN_EXPECT_GT(gzprintf(f, "row %d of %s\n", i, "a.gz"), 0);
	CN_EXPECT_EQ(gzclose(f), Z_OK);
	f = gzopen("/zlib-test/a.gz", "rb");
	CN_ASSERT_NOT_NULL(f);
	for (i = 0; i < 100; i++)
		if (!gzgets(f, line, sizeof(line)))
			break;
	CN_EXPECT_EQ(i, 100);
	CN_EXPECT_STREQ(line, "row 99 of a.gz\n");
	CN_EXPECT_NULL(gzgets(f, line, sizeof(line)));
	CN_EXPECT_TRUE(gzeof(f));
	CN_EXPECT_EQ(gzclose(f), Z_OK);
	CN_EXPECT_NULL(gzopen("/zlib-test/missing.gz", "rb"));
	CN_EXPECT_EQ(cn_vfs_umount("/zlib-test"), 0);
}
