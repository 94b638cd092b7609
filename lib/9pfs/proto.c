/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 9P2000.L encoding and decoding (see <cairn/9pfs_proto.h>). Bounds are
 * checked at every step against the buffer, never against a size read
 * from the wire; the one size field the decoder reads is compared with
 * what the transport actually received.
 */
#include <errno.h>
#include <string.h>
#include <cairn/9pfs_proto.h>

void cn_9pfs_msg_start(struct cn_9pfs_msg *m, void *buf, uint32_t cap,
		       uint8_t type, uint16_t tag)
{
	m->buf = buf;
	m->cap = cap;
	m->pos = 0;
	m->err = cap < CN_9P_HDR;
	cn_9pfs_put_u32(m, 0);
	cn_9pfs_put_u8(m, type);
	cn_9pfs_put_u16(m, tag);
}

static uint8_t *room(struct cn_9pfs_msg *m, uint32_t n)
{
	uint8_t *p;

	if (m->err || n > m->cap - m->pos) {
		m->err = true;
		return NULL;
	}
	p = m->buf + m->pos;
	m->pos += n;
	return p;
}

static void put_le(struct cn_9pfs_msg *m, uint64_t v, unsigned int n)
{
	uint8_t *p = room(m, n);
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void cn_9pfs_put_u8(struct cn_9pfs_msg *m, uint8_t v)
{
	put_le(m, v, 1);
}

void cn_9pfs_put_u16(struct cn_9pfs_msg *m, uint16_t v)
{
	put_le(m, v, 2);
}

void cn_9pfs_put_u32(struct cn_9pfs_msg *m, uint32_t v)
{
	put_le(m, v, 4);
}

void cn_9pfs_put_u64(struct cn_9pfs_msg *m, uint64_t v)
{
	put_le(m, v, 8);
}

void cn_9pfs_put_str(struct cn_9pfs_msg *m, const char *s, size_t len)
{
	if (len > 0xffff) {
		m->err = true;
		return;
	}
	cn_9pfs_put_u16(m, (uint16_t)len);
	cn_9pfs_put_data(m, s, (uint32_t)len);
}

void cn_9pfs_put_data(struct cn_9pfs_msg *m, const void *p, uint32_t len)
{
	uint8_t *d = room(m, len);

	if (d && len)
		memcpy(d, p, len);
}

uint32_t cn_9pfs_msg_finish(struct cn_9pfs_msg *m)
{
	uint32_t len = m->pos;

	if (m->err)
		return 0;
	m->pos = 0;
	cn_9pfs_put_u32(m, len);
	m->pos = len;
	return len;
}

static uint64_t get_le(struct cn_9pfs_msg *m, unsigned int n)
{
	const uint8_t *p = room(m, n);
	uint64_t v = 0;
	unsigned int i;

	if (!p)
		return 0;
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint8_t cn_9pfs_get_u8(struct cn_9pfs_msg *m)
{
	return (uint8_t)get_le(m, 1);
}

uint16_t cn_9pfs_get_u16(struct cn_9pfs_msg *m)
{
	return (uint16_t)get_le(m, 2);
}

uint32_t cn_9pfs_get_u32(struct cn_9pfs_msg *m)
{
	return (uint32_t)get_le(m, 4);
}

uint64_t cn_9pfs_get_u64(struct cn_9pfs_msg *m)
{
	return get_le(m, 8);
}

void cn_9pfs_get_qid(struct cn_9pfs_msg *m, struct cn_9pfs_qid *q)
{
	q->type = cn_9pfs_get_u8(m);
	q->version = cn_9pfs_get_u32(m);
	q->path = cn_9pfs_get_u64(m);
}

uint16_t cn_9pfs_get_str(struct cn_9pfs_msg *m, const char **s)
{
	uint16_t len = cn_9pfs_get_u16(m);

	*s = cn_9pfs_get_data(m, len);
	if (!*s) {
		*s = "";
		return 0;
	}
	return len;
}

const void *cn_9pfs_get_data(struct cn_9pfs_msg *m, uint32_t len)
{
	return room(m, len);
}

void cn_9pfs_get_attr(struct cn_9pfs_msg *m, struct cn_9pfs_attr *a)
{
	a->valid = cn_9pfs_get_u64(m);
	cn_9pfs_get_qid(m, &a->qid);
	a->mode = cn_9pfs_get_u32(m);
	a->uid = cn_9pfs_get_u32(m);
	a->gid = cn_9pfs_get_u32(m);
	a->nlink = cn_9pfs_get_u64(m);
	a->rdev = cn_9pfs_get_u64(m);
	a->size = cn_9pfs_get_u64(m);
	a->blksize = cn_9pfs_get_u64(m);
	a->blocks = cn_9pfs_get_u64(m);
	a->atime_sec = cn_9pfs_get_u64(m);
	a->atime_nsec = cn_9pfs_get_u64(m);
	a->mtime_sec = cn_9pfs_get_u64(m);
	a->mtime_nsec = cn_9pfs_get_u64(m);
	a->ctime_sec = cn_9pfs_get_u64(m);
	a->ctime_nsec = cn_9pfs_get_u64(m);
	/* btime, gen, data_version: not used. */
	(void)cn_9pfs_get_data(m, 4 * 8);
}

void cn_9pfs_get_statfs(struct cn_9pfs_msg *m, struct cn_9pfs_statfs *s)
{
	s->type = cn_9pfs_get_u32(m);
	s->bsize = cn_9pfs_get_u32(m);
	s->blocks = cn_9pfs_get_u64(m);
	s->bfree = cn_9pfs_get_u64(m);
	s->bavail = cn_9pfs_get_u64(m);
	s->files = cn_9pfs_get_u64(m);
	s->ffree = cn_9pfs_get_u64(m);
	s->fsid = cn_9pfs_get_u64(m);
	s->namelen = cn_9pfs_get_u32(m);
}

int cn_9pfs_msg_ok(const struct cn_9pfs_msg *m)
{
	return m->err ? -EIO : 0;
}

int cn_9pfs_reply_open(struct cn_9pfs_msg *m, const void *buf, uint32_t len,
		       uint8_t req_type, uint16_t tag, const char **why)
{
	uint32_t size;
	uint8_t type;
	uint16_t rtag;
	const char *dummy;

	if (!why)
		why = &dummy;
	m->buf = (uint8_t *)buf;
	m->cap = len;
	m->pos = 0;
	m->err = false;
	if (len < CN_9P_HDR) {
		*why = "reply shorter than a header";
		return -EIO;
	}
	size = cn_9pfs_get_u32(m);
	type = cn_9pfs_get_u8(m);
	rtag = cn_9pfs_get_u16(m);
	if (size != len) {
		*why = "size field differs from the bytes received";
		return -EIO;
	}
	if (rtag != tag) {
		*why = "reply with an unknown tag";
		return -EIO;
	}
	if (type == CN_9P_RLERROR) {
		uint32_t e = cn_9pfs_get_u32(m);

		if (m->err) {
			*why = "truncated Rlerror";
			return -EIO;
		}
		return -cn_9pfs_errno(e);
	}
	if (type != (uint8_t)(req_type + 1)) {
		*why = "reply of another type than the request's";
		return -EIO;
	}
	return 0;
}

int cn_9pfs_dirent_next(const void *data, uint32_t len, uint32_t *pos,
			struct cn_9pfs_dirent *e)
{
	struct cn_9pfs_msg m = { (uint8_t *)data, len, *pos, false };

	if (*pos >= len)
		return 0;
	cn_9pfs_get_qid(&m, &e->qid);
	e->offset = cn_9pfs_get_u64(&m);
	e->type = cn_9pfs_get_u8(&m);
	e->namelen = cn_9pfs_get_str(&m, &e->name);
	if (m.err || !e->namelen)
		return -EIO;
	*pos = m.pos;
	return 1;
}

/*
 * Linux's errno numbers 1-34 are the C library's too (both follow V7);
 * from 35 on they differ, so each is named here.
 */
static const struct {
	uint16_t linux_no;
	int err;
} linux_errnos[] = {
	{ 35, EDEADLK }, { 36, ENAMETOOLONG }, { 37, ENOLCK },
	{ 38, ENOSYS }, { 39, ENOTEMPTY }, { 40, ELOOP },
	{ 61, ENODATA }, { 75, EOVERFLOW }, { 84, EILSEQ },
	{ 95, EOPNOTSUPP }, { 110, ETIMEDOUT }, { 116, ESTALE },
	{ 122, EDQUOT }, { 125, ECANCELED },
};

int cn_9pfs_errno(uint32_t e)
{
	size_t i;

	if (e >= 1 && e <= 34)
		return (int)e;
	for (i = 0; i < sizeof(linux_errnos) / sizeof(linux_errnos[0]); i++)
		if (linux_errnos[i].linux_no == e)
			return linux_errnos[i].err;
	return EIO;
}
