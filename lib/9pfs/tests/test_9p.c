/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The 9P2000.L encoder and decoder (lib/9pfs/proto.c), in the image and
 * on the host under ASan/UBSan: byte-exact messages, replies with every
 * kind of fault a server could send, Linux's errno numbers.
 */
#include <errno.h>
#include <string.h>
#include <cairn/9pfs_proto.h>
#include <cairn/test.h>

/* A reply of type with tag and body (blen bytes), its size field right. */
static uint32_t reply(uint8_t *buf, uint8_t type, uint16_t tag,
		      const void *body, uint32_t blen)
{
	uint32_t len = CN_9P_HDR + blen;

	buf[0] = (uint8_t)len;
	buf[1] = (uint8_t)(len >> 8);
	buf[2] = (uint8_t)(len >> 16);
	buf[3] = (uint8_t)(len >> 24);
	buf[4] = type;
	buf[5] = (uint8_t)tag;
	buf[6] = (uint8_t)(tag >> 8);
	if (blen)
		memcpy(buf + CN_9P_HDR, body, blen);
	return len;
}

CN_TEST(9p, encodes_twalk_byte_for_byte)
{
	static const uint8_t want[] = {
		24, 0, 0, 0, CN_9P_TWALK, 3, 0,	/* size type tag */
		1, 0, 0, 0, 2, 0, 0, 0,			/* fid newfid */
		1, 0, 5, 0, 'h', 'e', 'l', 'l', 'o',	/* 1 name */
	};
	uint8_t buf[64];
	struct cn_9pfs_msg m;

	cn_9pfs_msg_start(&m, buf, sizeof(buf), CN_9P_TWALK, 3);
	cn_9pfs_put_u32(&m, 1);
	cn_9pfs_put_u32(&m, 2);
	cn_9pfs_put_u16(&m, 1);
	cn_9pfs_put_str(&m, "hello", 5);
	CN_ASSERT_EQ(cn_9pfs_msg_finish(&m), (uint32_t)sizeof(want));
	CN_EXPECT_EQ(memcmp(buf, want, sizeof(want)), 0);
}

CN_TEST(9p, encodes_u64_little_endian)
{
	uint8_t buf[32];
	struct cn_9pfs_msg m;

	cn_9pfs_msg_start(&m, buf, sizeof(buf), CN_9P_TREAD, 0);
	cn_9pfs_put_u64(&m, 0x0102030405060708ull);
	CN_ASSERT_EQ(cn_9pfs_msg_finish(&m), 15u);
	CN_EXPECT_EQ(buf[7], 8);
	CN_EXPECT_EQ(buf[14], 1);
}

CN_TEST(9p, refuses_a_message_larger_than_the_buffer)
{
	uint8_t buf[16 + 4];
	struct cn_9pfs_msg m;
	char name[64];

	memset(name, 'x', sizeof(name));
	cn_9pfs_msg_start(&m, buf, 16, CN_9P_TWALK, 0);
	cn_9pfs_put_str(&m, name, sizeof(name));
	buf[16] = 0xaa;
	CN_EXPECT_EQ(cn_9pfs_msg_finish(&m), 0u);
	CN_EXPECT_EQ(buf[16], 0xaa);		/* nothing written past */
	cn_9pfs_msg_start(&m, buf, 16, CN_9P_TWALK, 0);
	cn_9pfs_put_str(&m, name, 70000);	/* longer than a string */
	CN_EXPECT_EQ(cn_9pfs_msg_finish(&m), 0u);
	cn_9pfs_msg_start(&m, buf, 4, CN_9P_TWALK, 0);
	CN_EXPECT_EQ(cn_9pfs_msg_finish(&m), 0u);
}

CN_TEST(9p, decodes_rwalk)
{
	uint8_t buf[64], body[2 + 13] = { 1, 0, CN_9P_QTDIR, 7, 0, 0, 0,
					  0x11, 0x22, 0, 0, 0, 0, 0, 0x80 };
	struct cn_9pfs_msg m;
	struct cn_9pfs_qid q;
	uint32_t len = reply(buf, CN_9P_TWALK + 1, 5, body, sizeof(body));

	CN_ASSERT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TWALK, 5, NULL),
		     0);
	CN_EXPECT_EQ(cn_9pfs_get_u16(&m), 1);
	cn_9pfs_get_qid(&m, &q);
	CN_EXPECT_EQ(q.type, CN_9P_QTDIR);
	CN_EXPECT_EQ(q.version, 7u);
	CN_EXPECT_EQ(q.path, 0x8000000000002211ull);
	CN_EXPECT_EQ(cn_9pfs_msg_ok(&m), 0);
}

CN_TEST(9p, rlerror_gives_the_errno)
{
	uint8_t buf[32], body[4] = { 39, 0, 0, 0 };	/* Linux ENOTEMPTY */
	struct cn_9pfs_msg m;
	uint32_t len = reply(buf, CN_9P_RLERROR, 2, body, 4);

	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TUNLINKAT, 2,
					NULL), -ENOTEMPTY);
	body[0] = 2;
	len = reply(buf, CN_9P_RLERROR, 2, body, 4);
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TWALK, 2, NULL),
		     -ENOENT);
	/* A truncated Rlerror is garbage, not an errno. */
	len = reply(buf, CN_9P_RLERROR, 2, body, 2);
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TWALK, 2, NULL),
		     -EIO);
}

CN_TEST(9p, linux_errno_numbers)
{
	CN_EXPECT_EQ(cn_9pfs_errno(1), EPERM);
	CN_EXPECT_EQ(cn_9pfs_errno(13), EACCES);
	CN_EXPECT_EQ(cn_9pfs_errno(17), EEXIST);
	CN_EXPECT_EQ(cn_9pfs_errno(20), ENOTDIR);
	CN_EXPECT_EQ(cn_9pfs_errno(21), EISDIR);
	CN_EXPECT_EQ(cn_9pfs_errno(28), ENOSPC);
	CN_EXPECT_EQ(cn_9pfs_errno(30), EROFS);
	CN_EXPECT_EQ(cn_9pfs_errno(36), ENAMETOOLONG);
	CN_EXPECT_EQ(cn_9pfs_errno(38), ENOSYS);
	CN_EXPECT_EQ(cn_9pfs_errno(39), ENOTEMPTY);
	CN_EXPECT_EQ(cn_9pfs_errno(40), ELOOP);
	CN_EXPECT_EQ(cn_9pfs_errno(95), EOPNOTSUPP);
	CN_EXPECT_EQ(cn_9pfs_errno(0), EIO);
	CN_EXPECT_EQ(cn_9pfs_errno(4000), EIO);
}

CN_TEST(9p, refuses_replies_that_do_not_match)
{
	uint8_t buf[32], body[4] = { 0 };
	struct cn_9pfs_msg m;
	const char *why = NULL;
	uint32_t len = reply(buf, CN_9P_TCLUNK + 1, 1, NULL, 0);

	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TCLUNK, 1, &why),
		     0);
	/* Another tag. */
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TCLUNK, 2, &why),
		     -EIO);
	CN_EXPECT_STREQ(why, "reply with an unknown tag");
	/* Another type. */
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TWALK, 1, &why),
		     -EIO);
	/* Size field larger and smaller than what arrived. */
	len = reply(buf, CN_9P_TREAD + 1, 1, body, 4);
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len - 1, CN_9P_TREAD, 1,
					&why), -EIO);
	CN_EXPECT_STREQ(why, "size field differs from the bytes received");
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, len + 1, CN_9P_TREAD, 1,
					&why), -EIO);
	/* Shorter than a header. */
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, 6, CN_9P_TREAD, 1, &why),
		     -EIO);
	CN_EXPECT_EQ(cn_9pfs_reply_open(&m, buf, 0, CN_9P_TREAD, 1, &why),
		     -EIO);
}

CN_TEST(9p, reads_past_the_end_are_caught)
{
	/* Rread claiming 100 bytes with 4 present. */
	uint8_t buf[32], body[8] = { 100, 0, 0, 0, 'a', 'b', 'c', 'd' };
	struct cn_9pfs_msg m;
	const char *s;
	uint32_t len = reply(buf, CN_9P_TREAD + 1, 0, body, sizeof(body));
	uint32_t count;

	CN_ASSERT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TREAD, 0, NULL),
		     0);
	count = cn_9pfs_get_u32(&m);
	CN_EXPECT_EQ(count, 100u);
	CN_EXPECT_NULL(cn_9pfs_get_data(&m, count));
	CN_EXPECT_EQ(cn_9pfs_msg_ok(&m), -EIO);
	/* A string longer than the message. */
	body[0] = 0xff;
	body[1] = 0;
	len = reply(buf, CN_9P_TREADLINK + 1, 0, body, 4);
	CN_ASSERT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TREADLINK, 0,
					NULL), 0);
	CN_EXPECT_EQ(cn_9pfs_get_str(&m, &s), 0);
	CN_EXPECT_STREQ(s, "");
	CN_EXPECT_EQ(cn_9pfs_msg_ok(&m), -EIO);
	/* A u64 with 3 bytes left. */
	len = reply(buf, CN_9P_TGETATTR + 1, 0, body, 3);
	CN_ASSERT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TGETATTR, 0,
					NULL), 0);
	CN_EXPECT_EQ(cn_9pfs_get_u64(&m), 0ull);
	CN_EXPECT_EQ(cn_9pfs_msg_ok(&m), -EIO);
}

CN_TEST(9p, decodes_readdir_entries)
{
	uint8_t d[64];
	uint32_t n = 0, pos = 0;
	struct cn_9pfs_dirent e;

	/* Two entries: "a" (offset 5) and "bc" (offset 9). */
	memset(d, 0, sizeof(d));
	d[n] = 0;
	d[n + 5] = 42;			/* qid.path low byte */
	n += 13;
	d[n] = 5;
	n += 8;
	d[n++] = 8;			/* DT_REG */
	d[n++] = 1;
	d[n++] = 0;
	d[n++] = 'a';
	n += 13;
	d[n] = 9;
	n += 8;
	d[n++] = 4;			/* DT_DIR */
	d[n++] = 2;
	d[n++] = 0;
	d[n++] = 'b';
	d[n++] = 'c';
	CN_ASSERT_EQ(cn_9pfs_dirent_next(d, n, &pos, &e), 1);
	CN_EXPECT_EQ(e.qid.path, 42ull);
	CN_EXPECT_EQ(e.offset, 5ull);
	CN_EXPECT_EQ(e.type, 8);
	CN_EXPECT_EQ(e.namelen, 1);
	CN_EXPECT_EQ(e.name[0], 'a');
	CN_ASSERT_EQ(cn_9pfs_dirent_next(d, n, &pos, &e), 1);
	CN_EXPECT_EQ(e.offset, 9ull);
	CN_EXPECT_EQ(e.namelen, 2);
	CN_EXPECT_EQ(cn_9pfs_dirent_next(d, n, &pos, &e), 0);
	/* Cut inside the second entry's name. */
	pos = 0;
	CN_EXPECT_EQ(cn_9pfs_dirent_next(d, n - 1, &pos, &e), 1);
	CN_EXPECT_EQ(cn_9pfs_dirent_next(d, n - 1, &pos, &e), -EIO);
	/* An empty name. */
	d[13 + 8 + 1] = 0;
	pos = 0;
	CN_EXPECT_EQ(cn_9pfs_dirent_next(d, n, &pos, &e), -EIO);
}

CN_TEST(9p, decodes_rgetattr)
{
	uint8_t buf[200], body[160];
	struct cn_9pfs_msg m;
	struct cn_9pfs_attr a;
	uint32_t len;

	memset(body, 0, sizeof(body));
	body[8 + 13] = 0xa4;		/* mode 0100644 */
	body[8 + 13 + 1] = 0x81;
	body[8 + 13 + 12 + 16] = 123;	/* size */
	len = reply(buf, CN_9P_TGETATTR + 1, 0, body, 153);
	CN_ASSERT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TGETATTR, 0,
					NULL), 0);
	cn_9pfs_get_attr(&m, &a);
	CN_EXPECT_EQ(cn_9pfs_msg_ok(&m), 0);
	CN_EXPECT_EQ(a.mode, 0100644u);
	CN_EXPECT_EQ(a.size, 123ull);
	/* One byte short. */
	len = reply(buf, CN_9P_TGETATTR + 1, 0, body, 152);
	CN_ASSERT_EQ(cn_9pfs_reply_open(&m, buf, len, CN_9P_TGETATTR, 0,
					NULL), 0);
	cn_9pfs_get_attr(&m, &a);
	CN_EXPECT_EQ(cn_9pfs_msg_ok(&m), -EIO);
}
