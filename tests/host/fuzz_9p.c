/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/9pfs's decoder on arbitrary replies, as the
 * client reads them. The first byte picks the request the reply answers;
 * the rest is the reply. Every read must stay inside the reply (ASan),
 * a reply the header check accepts must have the size it says, and
 * strings, data and directory entries handed out must lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/9pfs_proto.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t requests[] = {
	CN_9P_TVERSION, CN_9P_TATTACH, CN_9P_TWALK, CN_9P_TLOPEN,
	CN_9P_TLCREATE, CN_9P_TREAD, CN_9P_TWRITE, CN_9P_TGETATTR,
	CN_9P_TREADDIR, CN_9P_TREADLINK, CN_9P_TSTATFS, CN_9P_TCLUNK,
};

static void inside(const void *p, uint32_t n, const uint8_t *b, uint32_t len)
{
	if (p && ((const uint8_t *)p < b ||
		  (const uint8_t *)p + n > b + len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cn_9pfs_msg m;
	struct cn_9pfs_qid q;
	struct cn_9pfs_attr a;
	struct cn_9pfs_statfs st;
	struct cn_9pfs_dirent e;
	const char *s;
	const void *d;
	uint8_t *buf, type;
	uint32_t len, n, pos;
	uint16_t k, i;
	int r;

	if (size < 1 || size > (1u << 20))
		return 0;
	type = requests[data[0] % sizeof(requests)];
	len = (uint32_t)size - 1;
	/* An exact-size copy: ASan sees any read past the reply. */
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	r = cn_9pfs_reply_open(&m, buf, len, type,
			       type == CN_9P_TVERSION ? CN_9P_NOTAG : 1, NULL);
	if (r == 0 && (len < CN_9P_HDR || (buf[0] | buf[1] << 8 |
					   buf[2] << 16 |
					   (uint32_t)buf[3] << 24) != len))
		abort();
	if (r) {
		free(buf);
		return 0;
	}
	switch (type) {
	case CN_9P_TVERSION:
		(void)cn_9pfs_get_u32(&m);
		k = cn_9pfs_get_str(&m, &s);
		inside(k ? s : NULL, k, buf, len);
		break;
	case CN_9P_TWALK:
		k = cn_9pfs_get_u16(&m);
		for (i = 0; i < k && !m.err; i++)
			cn_9pfs_get_qid(&m, &q);
		break;
	case CN_9P_TATTACH:
	case CN_9P_TLOPEN:
	case CN_9P_TLCREATE:
		cn_9pfs_get_qid(&m, &q);
		(void)cn_9pfs_get_u32(&m);
		break;
	case CN_9P_TREAD:
	case CN_9P_TREADDIR:
		n = cn_9pfs_get_u32(&m);
		d = cn_9pfs_get_data(&m, n);
		inside(d, n, buf, len);
		if (d && type == CN_9P_TREADDIR) {
			pos = 0;
			while (cn_9pfs_dirent_next(d, n, &pos, &e) > 0) {
				inside(e.name, e.namelen, buf, len);
				if (pos > n)
					abort();
			}
		}
		break;
	case CN_9P_TWRITE:
		(void)cn_9pfs_get_u32(&m);
		break;
	case CN_9P_TGETATTR:
		cn_9pfs_get_attr(&m, &a);
		break;
	case CN_9P_TREADLINK:
		k = cn_9pfs_get_str(&m, &s);
		inside(k ? s : NULL, k, buf, len);
		break;
	case CN_9P_TSTATFS:
		cn_9pfs_get_statfs(&m, &st);
		break;
	}
	if (m.pos > len)
		abort();
	(void)cn_9pfs_msg_ok(&m);
	free(buf);
	return 0;
}
