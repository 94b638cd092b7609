/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FAT on-disk format without I/O (see fat_meta.h): boot sector
 * checks, FAT entry coding for 12, 16 and 32 bits, short and long names,
 * FAT timestamps. Pure functions of their arguments, so the same file
 * runs in the image and on the host under sanitizers and the fuzzer.
 */
#include <errno.h>
#include <string.h>
#include <cairn/civil.h>
#include "fat_meta.h"

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

int cn_fatfs_parse_bpb(const uint8_t *b, size_t len, uint64_t dev_bytes,
		       struct cn_fatfs_geom *g, const char **why)
{
	uint32_t fat16, total, spc, need_bits;
	uint64_t fat_bits;

	memset(g, 0, sizeof(*g));
	if (len < 512) {
		*why = "boot sector shorter than 512 bytes";
		return -EINVAL;
	}
	if (b[510] != 0x55 || b[511] != 0xaa ||
	    (b[0] != 0xeb && b[0] != 0xe9)) {
		*why = "no FAT boot sector (signature or jump missing)";
		return -EINVAL;
	}
	g->sector_size = cn_fatfs_le16(b + 11);
	spc = b[13];
	g->reserved = cn_fatfs_le16(b + 14);
	g->nfats = b[16];
	g->root_entries = cn_fatfs_le16(b + 17);
	total = cn_fatfs_le16(b + 19);
	fat16 = cn_fatfs_le16(b + 22);
	if (!total)
		total = cn_fatfs_le32(b + 32);
	if (!pow2(g->sector_size) || g->sector_size < 512 ||
	    g->sector_size > 4096 || g->sector_size > len) {
		*why = "bad sector size";
		return -EINVAL;
	}
	if (!pow2(spc) || spc * g->sector_size > 65536) {
		*why = "bad cluster size";
		return -EINVAL;
	}
	if (!g->reserved || !g->nfats || g->nfats > 4 || !total) {
		*why = "bad reserved sectors, FAT count or total size";
		return -EINVAL;
	}
	g->sec_per_clus = spc;
	g->cluster_size = spc * g->sector_size;
	g->total_sectors = total;
	if (fat16) {
		g->fat_sectors = fat16;
	} else {
		g->fat_sectors = cn_fatfs_le32(b + 36);
		g->type = 32;
		if (!g->fat_sectors || g->root_entries) {
			*why = "bad FAT32 header (FAT size or root entries)";
			return -EINVAL;
		}
		g->root_cluster = cn_fatfs_le32(b + 44);
		g->fsinfo = cn_fatfs_le16(b + 48);
		if (g->fsinfo >= g->reserved || g->fsinfo == 0xffff)
			g->fsinfo = 0;
	}
	g->root_sectors = (uint32_t)(((uint64_t)g->root_entries *
				      FAT_DIRENT_SIZE + g->sector_size - 1) /
				     g->sector_size);
	g->root_start = g->reserved + g->nfats * g->fat_sectors;
	if ((uint64_t)g->reserved + (uint64_t)g->nfats * g->fat_sectors +
	    g->root_sectors >= total) {
		*why = "the FATs and root directory fill the whole volume";
		return -EINVAL;
	}
	g->data_start = g->root_start + g->root_sectors;
	g->nclusters = (total - g->data_start) / spc;
	if (!g->type)
		g->type = g->nclusters < 4085 ? 12 :
			  g->nclusters < 65525 ? 16 : 32;
	if (g->type == 32 && fat16) {
		*why = "too many clusters for FAT16";
		return -EINVAL;
	}
	if (!g->nclusters || g->nclusters > 0x0ffffff5) {
		*why = "bad cluster count";
		return -EINVAL;
	}
	need_bits = g->type == 12 ? 12 : g->type == 16 ? 16 : 32;
	fat_bits = (uint64_t)g->fat_sectors * g->sector_size * 8;
	if (fat_bits < (uint64_t)(g->nclusters + 2) * need_bits) {
		*why = "the FAT is too small for the volume's clusters";
		return -EINVAL;
	}
	if (g->type == 32 && !cn_fatfs_valid_cluster(g, g->root_cluster)) {
		*why = "bad FAT32 root cluster";
		return -EINVAL;
	}
	if ((uint64_t)total * g->sector_size > dev_bytes) {
		*why = "the volume is larger than its device (truncated "
		       "image?)";
		return -EINVAL;
	}
	g->eoc = g->type == 12 ? 0xff8 : g->type == 16 ? 0xfff8 : 0x0ffffff8;
	g->bad = g->eoc - 1;
	return 0;
}

uint64_t cn_fatfs_fat_offset(const struct cn_fatfs_geom *g, uint32_t n)
{
	if (g->type == 12)
		return (uint64_t)n + n / 2;
	return (uint64_t)n * (g->type / 8);
}

uint32_t cn_fatfs_fat_decode(const struct cn_fatfs_geom *g, uint32_t n,
			     const uint8_t *b)
{
	uint32_t v;

	switch (g->type) {
	case 12:
		v = cn_fatfs_le16(b);
		return n & 1 ? v >> 4 : v & 0xfff;
	case 16:
		return cn_fatfs_le16(b);
	default:
		return cn_fatfs_le32(b) & 0x0fffffff;
	}
}

void cn_fatfs_fat_encode(const struct cn_fatfs_geom *g, uint32_t n,
			 uint8_t *b, uint32_t v)
{
	switch (g->type) {
	case 12:
		if (n & 1) {
			b[0] = (uint8_t)((b[0] & 0x0f) | (v << 4 & 0xf0));
			b[1] = (uint8_t)(v >> 4);
		} else {
			b[0] = (uint8_t)v;
			b[1] = (uint8_t)((b[1] & 0xf0) | (v >> 8 & 0x0f));
		}
		break;
	case 16:
		cn_fatfs_put16(b, (uint16_t)v);
		break;
	default:
		cn_fatfs_put32(b, (cn_fatfs_le32(b) & 0xf0000000) |
				  (v & 0x0fffffff));
	}
}

bool cn_fatfs_is_eoc(const struct cn_fatfs_geom *g, uint32_t v)
{
	return v >= g->eoc;
}

bool cn_fatfs_valid_cluster(const struct cn_fatfs_geom *g, uint32_t c)
{
	return c >= 2 && c - 2 < g->nclusters;
}

uint32_t cn_fatfs_dirent_cluster(const struct cn_fatfs_geom *g,
				 const uint8_t *de)
{
	uint32_t c = cn_fatfs_le16(de + 26);

	if (g->type == 32)
		c |= (uint32_t)cn_fatfs_le16(de + 20) << 16;
	return c;
}

void cn_fatfs_dirent_set_cluster(uint8_t *de, uint32_t c)
{
	cn_fatfs_put16(de + 26, (uint16_t)c);
	cn_fatfs_put16(de + 20, (uint16_t)(c >> 16));
}

uint8_t cn_fatfs_lfn_checksum(const uint8_t *sn)
{
	uint8_t sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sn[i]);
	return sum;
}

static const uint8_t lfn_pos[FAT_LFN_CHARS] = {
	1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30
};

void cn_fatfs_lfn_reset(struct cn_fatfs_lfn *l)
{
	l->next = 0;
	l->count = 0;
}

void cn_fatfs_lfn_feed(struct cn_fatfs_lfn *l, const uint8_t *de)
{
	unsigned int k = de[0] & 0x1f, i;

	if (de[0] & 0x40) {
		cn_fatfs_lfn_reset(l);
		if (!k || k > 20)
			return;
		l->checksum = de[13];
		memset(l->name, 0xff, sizeof(l->name));
	} else if (!l->next || k + 1 != l->next || de[13] != l->checksum) {
		cn_fatfs_lfn_reset(l);
		return;
	}
	if (!k) {
		cn_fatfs_lfn_reset(l);
		return;
	}
	for (i = 0; i < FAT_LFN_CHARS; i++)
		l->name[(k - 1) * FAT_LFN_CHARS + i] =
			cn_fatfs_le16(de + lfn_pos[i]);
	l->next = k;		/* the next entry must be k - 1; 1: complete */
	l->count++;
}

/* Appends code point c as UTF-8; false if it does not fit. */
static bool put_utf8(char *out, size_t len, size_t *o, uint32_t c)
{
	uint8_t b[4];
	size_t n, i;

	if (c == '/' || c == 0)
		c = '_';
	if (c < 0x80) {
		b[0] = (uint8_t)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (uint8_t)(0xc0 | c >> 6);
		b[1] = (uint8_t)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (uint8_t)(0xe0 | c >> 12);
		b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | c >> 18);
		b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[3] = (uint8_t)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*o + n >= len)
		return false;
	for (i = 0; i < n; i++)
		out[(*o)++] = (char)b[i];
	return true;
}

static size_t long_name(const struct cn_fatfs_lfn *l, char *out, size_t len)
{
	unsigned int i, n = l->count * FAT_LFN_CHARS;
	size_t o = 0;
	uint32_t c;

	for (i = 0; i < n && l->name[i]; i++) {
		c = l->name[i];
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n &&
		    l->name[i + 1] >= 0xdc00 && l->name[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) +
			    (l->name[i + 1] - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = '?';
		}
		if (!put_utf8(out, len, &o, c))
			return 0;
	}
	if (i > FAT_LFN_MAX)
		return 0;
	out[o] = '\0';
	return o;
}

static size_t short_part(const uint8_t *p, size_t n, bool lower, char *out,
			 size_t len, size_t *o)
{
	size_t i, end = n;
	uint32_t c;

	while (end && p[end - 1] == ' ')
		end--;
	for (i = 0; i < end; i++) {
		c = p[i];
		if (i == 0 && c == 0x05)
			c = 0xe5;
		if (lower && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!put_utf8(out, len, o, c))
			return 0;
	}
	return end;
}

size_t cn_fatfs_entry_name(const struct cn_fatfs_lfn *l, const uint8_t *de,
			   char *out, size_t len, unsigned int *nslots)
{
	size_t o = 0, n;

	*nslots = 1;
	if (len < 16)
		return 0;
	if (l->count && l->next == 1 &&
	    cn_fatfs_lfn_checksum(de) == l->checksum) {
		n = long_name(l, out, len < 256 ? len : 256);
		if (n) {
			*nslots = l->count + 1;
			return n;
		}
	}
	if (!short_part(de, 8, de[12] & FAT_NT_LOWER_BASE, out, len, &o))
		return 0;
	if (de[8] != ' ') {
		out[o++] = '.';
		if (!short_part(de + 8, 3, de[12] & FAT_NT_LOWER_EXT, out,
				len, &o))
			return 0;
	}
	out[o] = '\0';
	return o;
}

int cn_fatfs_utf16(const char *name, size_t len, uint16_t *out)
{
	const uint8_t *s = (const uint8_t *)name;
	size_t i = 0;
	int n = 0;
	uint32_t c;
	unsigned int more;

	while (i < len) {
		c = s[i++];
		if (c < 0x80) {
			more = 0;
		} else if ((c & 0xe0) == 0xc0) {
			c &= 0x1f;
			more = 1;
		} else if ((c & 0xf0) == 0xe0) {
			c &= 0x0f;
			more = 2;
		} else if ((c & 0xf8) == 0xf0) {
			c &= 0x07;
			more = 3;
		} else {
			return -EINVAL;
		}
		for (; more; more--) {
			if (i >= len || (s[i] & 0xc0) != 0x80)
				return -EINVAL;
			c = c << 6 | (s[i++] & 0x3f);
		}
		if (c < 0x20 || c > 0x10ffff || (c >= 0xd800 && c < 0xe000) ||
		    (c < 0x80 && strchr("\"*/:<>?\\|", (int)c)))
			return -EINVAL;
		if (c >= 0x10000) {
			if (n + 2 > FAT_LFN_MAX)
				return -ENAMETOOLONG;
			c -= 0x10000;
			out[n++] = (uint16_t)(0xd800 + (c >> 10));
			out[n++] = (uint16_t)(0xdc00 + (c & 0x3ff));
		} else {
			if (n + 1 > FAT_LFN_MAX)
				return -ENAMETOOLONG;
			out[n++] = (uint16_t)c;
		}
	}
	return n;
}

static bool short_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("!#$%&'()-@^_`{}~", c) != NULL;
}

/* Case of one part: 0 no letters, 1 upper, 2 lower, 3 mixed or invalid. */
static int part_case(const char *p, size_t n)
{
	int kind = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c >= 'a' && c <= 'z')
			kind |= 2;
		else if (c >= 'A' && c <= 'Z')
			kind |= 1;
		else if (!c || !short_char(c))
			return 3;
	}
	return kind;
}

bool cn_fatfs_is_short(const char *name, size_t len, uint8_t *sn,
		       uint8_t *nt)
{
	const char *dot = memchr(name, '.', len);
	size_t bl = dot ? (size_t)(dot - name) : len;
	size_t el = dot ? len - bl - 1 : 0, i;
	int bc, ec;

	if (!bl || bl > 8 || el > 3 || (dot && !el) ||
	    (dot && memchr(dot + 1, '.', el)))
		return false;
	bc = part_case(name, bl);
	ec = el ? part_case(dot + 1, el) : 0;
	if (bc == 3 || ec == 3)
		return false;
	memset(sn, ' ', 11);
	for (i = 0; i < bl; i++)
		sn[i] = (uint8_t)(name[i] >= 'a' && name[i] <= 'z' ?
				  name[i] - 32 : name[i]);
	for (i = 0; i < el; i++)
		sn[8 + i] = (uint8_t)(dot[1 + i] >= 'a' && dot[1 + i] <= 'z' ?
				      dot[1 + i] - 32 : dot[1 + i]);
	if (sn[0] == 0xe5)
		sn[0] = 0x05;
	*nt = (bc == 2 ? FAT_NT_LOWER_BASE : 0) |
	      (ec == 2 ? FAT_NT_LOWER_EXT : 0);
	return true;
}

static size_t basis(const char *p, size_t n, uint8_t *out, size_t max)
{
	size_t i, o = 0;

	for (i = 0; i < n && o < max; i++) {
		char c = p[i];

		if (c == ' ' || c == '.')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		out[o++] = (uint8_t)(short_char(c) ? c : '_');
	}
	return o;
}

void cn_fatfs_short_tail(const char *name, size_t len, unsigned int n,
			 uint8_t *sn)
{
	const char *dot = NULL;
	char tail[12];
	size_t i, bl, tl = 0, keep;
	unsigned int v = n;

	for (i = len; i > 0; i--)
		if (name[i - 1] == '.') {
			dot = name + i - 1;
			break;
		}
	if (dot == name)
		dot = NULL;		/* ".profile": all base */
	memset(sn, ' ', 11);
	bl = basis(name, dot ? (size_t)(dot - name) : len, sn, 8);
	if (!bl)
		sn[bl++] = '_';
	if (dot)
		basis(dot + 1, len - (size_t)(dot + 1 - name), sn + 8, 3);
	do {
		tail[tl++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && tl < 10);
	tail[tl++] = '~';
	keep = bl < 8 - tl ? bl : 8 - tl;
	for (i = 0; i < tl; i++)
		sn[keep + i] = (uint8_t)tail[tl - 1 - i];
	for (i = keep + tl; i < 8; i++)
		sn[i] = ' ';
}

void cn_fatfs_lfn_fill(uint8_t *de, const uint16_t *u, unsigned int n,
		       unsigned int i, bool last, uint8_t checksum)
{
	unsigned int p, idx;
	uint16_t c;

	memset(de, 0, FAT_DIRENT_SIZE);
	de[0] = (uint8_t)(i | (last ? 0x40 : 0));
	de[11] = FAT_ATTR_LFN;
	de[13] = checksum;
	for (p = 0; p < FAT_LFN_CHARS; p++) {
		idx = (i - 1) * FAT_LFN_CHARS + p;
		c = idx < n ? u[idx] : idx == n ? 0 : 0xffff;
		cn_fatfs_put16(de + lfn_pos[p], c);
	}
}

void cn_fatfs_time_to_fat(int64_t secs, uint16_t *date, uint16_t *time)
{
	int64_t days, z, era, y;
	unsigned int doe, yoe, doy, mp, d, m, sod;

	if (secs < 315532800)		/* 1980-01-01 */
		secs = 315532800;
	if (secs > 4354819199)		/* 2107-12-31 23:59:59 */
		secs = 4354819199;
	days = secs / 86400;
	sod = (unsigned int)(secs % 86400);
	z = days + 719468;
	era = z / 146097;
	doe = (unsigned int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
	*time = (uint16_t)((sod / 3600) << 11 | (sod / 60 % 60) << 5 |
			   (sod % 60) / 2);
}

int64_t cn_fatfs_fat_to_time(uint16_t date, uint16_t time)
{
	unsigned int m = date >> 5 & 0xf, d = date & 0x1f;
	unsigned int h = time >> 11, mi = time >> 5 & 0x3f, s = (time & 0x1f) * 2;

	if (!m || m > 12)
		m = 1;
	if (!d)
		d = 1;
	if (h > 23)
		h = 23;
	if (mi > 59)
		mi = 59;
	if (s > 59)
		s = 59;
	return cn_days_from_civil(1980 + (date >> 9), m, d) * 86400 +
	       h * 3600 + mi * 60 + s;
}
