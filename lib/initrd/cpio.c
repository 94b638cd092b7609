/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpio newc reader. An entry is a 110-byte ASCII header (magic and 13
 * eight-digit hex fields), the name with its NUL, padding to 4 bytes, the
 * data, padding to 4 bytes. The archive ends with an entry named
 * "TRAILER!!!"; zero bytes may follow, and another archive after them.
 * Every step checks its lengths against what is left of the buffer, with
 * sizes compared before any addition that could overflow.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cairn/cpio.h>

#define HDR_LEN		110
#define TRAILER		"TRAILER!!!"

enum { ST_START, ST_ENTRIES, ST_AFTER_TRAILER, ST_END, ST_ERROR };

/* Header fields, in order after the 6-byte magic. */
enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE,
	F_CHECK, NR_FIELDS
};

static const char *const field_names[NR_FIELDS] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

void cn_cpio_init(struct cn_cpio *c, const void *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = buf ? len : 0;
	c->state = ST_START;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

__attribute__((format(printf, 4, 5)))
static int fail(struct cn_cpio *c, const char *name, size_t at,
		const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (name)
		snprintf(c->err, sizeof(c->err),
			 "entry %u '%.80s' (offset %zu): %.120s", c->index,
			 name, at, detail);
	else
		snprintf(c->err, sizeof(c->err),
			 "entry %u (offset %zu): %.120s", c->index, at, detail);
	c->state = ST_ERROR;
	return -EINVAL;
}

static int hexfield(const unsigned char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		unsigned char ch = p[i];
		uint32_t d;

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			d = (uint32_t)((ch | 0x20) - 'a' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* What the bytes at a bad magic look like, for a useful message. */
static const char *guess(const unsigned char *p, size_t left)
{
	if (left >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "a gzip-compressed file: the initrd must be an "
		       "uncompressed cpio (newc), as support/mkinitrd.py makes";
	if (left >= 6 && !memcmp(p, "\xfd" "7zXZ", 6))
		return "an xz-compressed file: the initrd must be an "
		       "uncompressed cpio (newc)";
	if (left >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
		return "a zstd-compressed file: the initrd must be an "
		       "uncompressed cpio (newc)";
	if (left >= 6 && !memcmp(p, "070707", 6))
		return "an old-format (odc) cpio: use the newc format "
		       "(cpio -H newc, or support/mkinitrd.py)";
	return "not a cpio newc header (magic 070701 or 070702)";
}

static bool valid_type(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0100000: case 0040000: case 0120000: case 0020000:
	case 0060000: case 0010000: case 0140000:
		return true;
	}
	return false;
}

/* Skips zero padding after a trailer: 0 at the end, 1 for more. */
static int skip_padding(struct cn_cpio *c)
{
	while (c->off < c->len && c->buf[c->off] == 0)
		c->off++;
	if (c->off == c->len) {
		c->state = ST_END;
		return 0;
	}
	if (c->off & 3)
		return fail(c, NULL, c->off, "data after the trailer is not "
			    "4-byte aligned");
	c->state = ST_ENTRIES;
	return 1;
}

static int parse_header(struct cn_cpio *c, uint32_t f[NR_FIELDS],
			bool *crc)
{
	const unsigned char *h = c->buf + c->off;
	size_t left = c->len - c->off;
	int i;

	if (left < 6 || (memcmp(h, "070701", 6) && memcmp(h, "070702", 6))) {
		if (left < 6 && !memcmp(h, "070701", left))
			return fail(c, NULL, c->off, "header cut short (%zu "
				    "of %d bytes)", left, HDR_LEN);
		return fail(c, NULL, c->off, "%s", guess(h, left));
	}
	if (left < HDR_LEN)
		return fail(c, NULL, c->off, "header cut short (%zu of %d "
			    "bytes)", left, HDR_LEN);
	*crc = h[5] == '2';
	for (i = 0; i < NR_FIELDS; i++) {
		if (hexfield(h + 6 + 8 * i, &f[i]))
			return fail(c, NULL, c->off, "field '%s' is not 8 hex "
				    "digits", field_names[i]);
	}
	return 0;
}

static int check_entry(struct cn_cpio *c, struct cn_cpio_entry *e,
		       const uint32_t f[NR_FIELDS], bool crc)
{
	const unsigned char *d = e->data;
	uint32_t sum = 0;
	size_t i;

	if (!valid_type(f[F_MODE]))
		return fail(c, e->name, e->offset, "unknown file type in "
			    "mode 0%o", (unsigned int)f[F_MODE]);
	if ((f[F_MODE] & 0170000) == 0120000 &&
	    (e->size == 0 || e->size >= CN_CPIO_NAME_MAX))
		return fail(c, e->name, e->offset, "symlink target of %zu "
			    "bytes (1 to %d)", e->size, CN_CPIO_NAME_MAX - 1);
	if (crc) {
		for (i = 0; i < e->size; i++)
			sum += d[i];
		if (sum != f[F_CHECK])
			return fail(c, e->name, e->offset, "checksum mismatch "
				    "(header says 0x%08x, data sums to 0x%08x)",
				    (unsigned int)f[F_CHECK],
				    (unsigned int)sum);
	}
	return 0;
}

static int parse_entry(struct cn_cpio *c, struct cn_cpio_entry *e)
{
	uint32_t f[NR_FIELDS];
	size_t at = c->off, namesz, name_end, data, left;
	const char *name;
	bool crc = false;
	int r;

	r = parse_header(c, f, &crc);
	if (r)
		return r;
	namesz = f[F_NAMESIZE];
	if (namesz == 0 || namesz > CN_CPIO_NAME_MAX)
		return fail(c, NULL, at, "bad name size %zu (1 to %d)",
			    namesz, CN_CPIO_NAME_MAX);
	left = c->len - at - HDR_LEN;
	if (namesz > left)
		return fail(c, NULL, at, "name cut short (%zu of %zu bytes)",
			    left, namesz);
	name = (const char *)c->buf + at + HDR_LEN;
	if (name[namesz - 1] != '\0' || strlen(name) != namesz - 1)
		return fail(c, NULL, at, "name is not NUL-terminated");
	name_end = at + HDR_LEN + namesz;
	data = align4(name_end);
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->namelen = namesz - 1;
	e->offset = at;
	e->index = c->index;
	e->size = f[F_FILESIZE];
	left = data <= c->len ? c->len - data : 0;
	if (e->size > left || (e->size && data > c->len))
		return fail(c, name, at, "file data cut short: %zu of %zu "
			    "bytes left in the archive", left, e->size);
	e->data = c->buf + (data <= c->len ? data : c->len);
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->ino = f[F_INO];
	e->dev_major = f[F_DEVMAJOR];
	e->dev_minor = f[F_DEVMINOR];
	e->rdev_major = f[F_RDEVMAJOR];
	e->rdev_minor = f[F_RDEVMINOR];
	/* The last padding may be missing at the very end of the buffer. */
	c->off = data + e->size <= c->len ? data + e->size : c->len;
	c->off = align4(c->off) <= c->len ? align4(c->off) : c->len;
	if (!strcmp(name, TRAILER))
		return 0;
	r = check_entry(c, e, f, crc);
	if (r)
		return r;
	c->index++;
	return 1;
}

int cn_cpio_next(struct cn_cpio *c, struct cn_cpio_entry *e)
{
	int r;

	for (;;) {
		switch (c->state) {
		case ST_END:
			return 0;
		case ST_ERROR:
			return -EINVAL;
		case ST_AFTER_TRAILER:
			r = skip_padding(c);
			if (r <= 0)
				return r;
			break;
		case ST_START:
			if (c->len == 0)
				return fail(c, NULL, 0, "the archive is empty");
			c->state = ST_ENTRIES;
			break;
		default:
			if (c->off >= c->len)
				return fail(c, NULL, c->off, "the archive ends "
					    "without its TRAILER!!! entry "
					    "(cut short?)");
			r = parse_entry(c, e);
			if (r)
				return r;
			c->state = ST_AFTER_TRAILER;
		}
	}
}
