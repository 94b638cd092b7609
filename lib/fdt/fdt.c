/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flattened device tree reader. The structure block is a sequence of
 * big-endian 32-bit tokens: BEGIN_NODE (+ NUL-terminated name, padded to
 * 4 bytes), END_NODE, PROP (+ length, name offset into the strings block,
 * value padded to 4), NOP, END. Every read goes through the checks in
 * token() and str(), so a corrupt or hostile blob (this code is fuzzed on
 * the host) yields -EINVAL, never an access outside [blob, blob + size).
 */
#include <errno.h>
#include <string.h>
#include <cairn/fdt.h>

#define FDT_MAGIC	0xd00dfeedu
#define FDT_BEGIN_NODE	1u
#define FDT_END_NODE	2u
#define FDT_PROP	3u
#define FDT_NOP		4u
#define FDT_END		9u
#define MAX_DEPTH	64

uint32_t cn_fdt_totalsize(const void *blob)
{
	return cn_fdt32(blob) == FDT_MAGIC ?
	       cn_fdt32((const uint8_t *)blob + 4) : 0;
}

int cn_fdt_init(struct cn_fdt *fdt, const void *blob, size_t max)
{
	const uint8_t *h = blob;
	uint32_t total;

	if (!blob || max < 40 || cn_fdt32(h) != FDT_MAGIC)
		return -EINVAL;
	total = cn_fdt32(h + 4);
	if (total < 40 || total > max)
		return -EINVAL;
	if (cn_fdt32(h + 20) < 16)
		return -ENOTSUP;
	fdt->blob = h;
	fdt->size = total;
	fdt->off_struct = cn_fdt32(h + 8);
	fdt->off_strings = cn_fdt32(h + 12);
	fdt->size_strings = cn_fdt32(h + 32);
	fdt->size_struct = cn_fdt32(h + 36);
	if (fdt->off_struct > total || fdt->size_struct > total -
	    fdt->off_struct || (fdt->off_struct | fdt->size_struct) & 3 ||
	    fdt->off_strings > total ||
	    fdt->size_strings > total - fdt->off_strings)
		return -EINVAL;
	return 0;
}

/* The token at off (structure-relative), or 0 when off is outside. */
static uint32_t token(const struct cn_fdt *fdt, uint32_t off)
{
	if (off > fdt->size_struct || fdt->size_struct - off < 4)
		return 0;
	return cn_fdt32(fdt->blob + fdt->off_struct + off);
}

/* Length of the NUL-terminated string at p within [p, end), or -1. */
static int strnlen_in(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q = p;

	while (q < end && *q)
		q++;
	return q < end ? (int)(q - p) : -1;
}

static const char *str(const struct cn_fdt *fdt, uint32_t nameoff)
{
	const uint8_t *s = fdt->blob + fdt->off_strings;

	if (nameoff >= fdt->size_strings ||
	    strnlen_in(s + nameoff, s + fdt->size_strings) < 0)
		return NULL;
	return (const char *)s + nameoff;
}

/*
 * The offset of the token after the one at off, or -EINVAL. *tag gets
 * the tag at off.
 */
static int skip(const struct cn_fdt *fdt, uint32_t off, uint32_t *tag)
{
	const uint8_t *base = fdt->blob + fdt->off_struct;
	uint32_t len;
	int n;

	*tag = token(fdt, off);
	switch (*tag) {
	case FDT_BEGIN_NODE:
		n = strnlen_in(base + off + 4, base + fdt->size_struct);
		if (n < 0)
			return -EINVAL;
		return (int)((off + 4 + (uint32_t)n + 1 + 3) & ~3u);
	case FDT_PROP:
		if (fdt->size_struct - off < 12)
			return -EINVAL;
		len = token(fdt, off + 4);
		if (len > fdt->size_struct - off - 12)
			return -EINVAL;
		return (int)((off + 12 + len + 3) & ~3u);
	case FDT_END_NODE:
	case FDT_NOP:
		return (int)off + 4;
	default:
		return -EINVAL;		/* END, 0 (outside) or garbage */
	}
}

int cn_fdt_next_node(const struct cn_fdt *fdt, int node, int *depth)
{
	uint32_t tag;
	int d = depth ? *depth : 0, off;

	if (node < 0) {
		for (off = 0; token(fdt, (uint32_t)off) == FDT_NOP; off += 4)
			;
		if (token(fdt, (uint32_t)off) != FDT_BEGIN_NODE)
			return -EINVAL;
		if (depth)
			*depth = 0;
		return off;
	}
	if (token(fdt, (uint32_t)node) != FDT_BEGIN_NODE)
		return -EINVAL;
	off = skip(fdt, (uint32_t)node, &tag);
	while (off >= 0) {
		uint32_t at = (uint32_t)off;

		off = skip(fdt, at, &tag);
		if (tag == FDT_BEGIN_NODE) {
			if (++d > MAX_DEPTH && depth)
				return -EINVAL;
			if (depth)
				*depth = d;
			return (int)at;
		}
		/* Closing the root ends the walk (when depth is tracked). */
		if (tag == FDT_END_NODE && --d < 0 && depth)
			return -ENOENT;
		if (off < 0 && token(fdt, at) == FDT_END)
			return -ENOENT;
	}
	return -EINVAL;
}

const char *cn_fdt_node_name(const struct cn_fdt *fdt, int node)
{
	uint32_t tag;

	if (node < 0 || skip(fdt, (uint32_t)node, &tag) < 0 ||
	    tag != FDT_BEGIN_NODE)
		return NULL;
	return (const char *)fdt->blob + fdt->off_struct + node + 4;
}

/* Does a node called name match the path component [c, c + n)? */
static int name_matches(const char *name, const char *c, size_t n)
{
	if (strncmp(name, c, n) != 0)
		return 0;
	return name[n] == '\0' || (name[n] == '@' && !memchr(c, '@', n));
}

int cn_fdt_path_offset(const struct cn_fdt *fdt, const char *path)
{
	int node = cn_fdt_next_node(fdt, -1, NULL), depth = 0, want = 0;

	if (node < 0 || !path || path[0] != '/')
		return node < 0 ? node : -EINVAL;
	while (*path) {
		const char *c = path + 1;
		size_t n = strcspn(c, "/");
		int start = want;

		if (n == 0) {		/* "/" or a trailing slash */
			path = c;
			continue;
		}
		want++;
		for (;;) {
			const char *name;

			node = cn_fdt_next_node(fdt, node, &depth);
			if (node < 0 || depth <= start)
				return node < 0 && node != -ENOENT ? node :
				       -ENOENT;
			name = cn_fdt_node_name(fdt, node);
			if (depth == want && name &&
			    name_matches(name, c, n))
				break;
		}
		path = c + n;
	}
	return node;
}

int cn_fdt_parent(const struct cn_fdt *fdt, int node)
{
	int stack[MAX_DEPTH + 1];
	int off = cn_fdt_next_node(fdt, -1, NULL), depth = 0;

	while (off >= 0) {
		stack[depth] = off;
		if (off == node)
			return depth ? stack[depth - 1] : -ENOENT;
		off = cn_fdt_next_node(fdt, off, &depth);
	}
	return off == -ENOENT ? -EINVAL : off;
}

const void *cn_fdt_getprop(const struct cn_fdt *fdt, int node,
			   const char *name, uint32_t *len)
{
	uint32_t tag;
	int off;

	if (node < 0 || token(fdt, (uint32_t)node) != FDT_BEGIN_NODE)
		return NULL;
	off = skip(fdt, (uint32_t)node, &tag);
	while (off >= 0) {
		uint32_t at = (uint32_t)off;
		const char *pname;

		off = skip(fdt, at, &tag);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP || off < 0)
			return NULL;	/* properties come before subnodes */
		pname = str(fdt, token(fdt, at + 8));
		if (pname && strcmp(pname, name) == 0) {
			if (len)
				*len = token(fdt, at + 4);
			return fdt->blob + fdt->off_struct + at + 12;
		}
	}
	return NULL;
}

int cn_fdt_getprop_u32(const struct cn_fdt *fdt, int node, const char *name,
		       unsigned int i, uint32_t *val)
{
	uint32_t len;
	const uint8_t *p = cn_fdt_getprop(fdt, node, name, &len);

	if (!p)
		return -ENOENT;
	if (i >= len / 4)
		return -ERANGE;
	*val = cn_fdt32(p + 4 * i);
	return 0;
}

int cn_fdt_is_compatible(const struct cn_fdt *fdt, int node,
			 const char *compat)
{
	uint32_t len;
	const char *p = cn_fdt_getprop(fdt, node, "compatible", &len);
	size_t want = strlen(compat);

	while (p && len > 0) {
		const char *nul = memchr(p, '\0', len);
		size_t n = nul ? (size_t)(nul - p) : len;

		if (n == want && memcmp(p, compat, n) == 0)
			return 1;
		if (!nul)
			break;
		len -= (uint32_t)n + 1;
		p = nul + 1;
	}
	return 0;
}

int cn_fdt_find_compatible(const struct cn_fdt *fdt, int after,
			   const char *compat)
{
	int node;

	/* Without depth tracking the walk may start at any node. */
	for (node = cn_fdt_next_node(fdt, after, NULL); node >= 0;
	     node = cn_fdt_next_node(fdt, node, NULL))
		if (cn_fdt_is_compatible(fdt, node, compat))
			return node;
	return node;
}

static int read_cells(const uint8_t *p, uint32_t cells, uint64_t *v)
{
	if (cells > 2)
		return -ERANGE;
	*v = cells == 2 ? cn_fdt64(p) : cells == 1 ? cn_fdt32(p) : 0;
	return 0;
}

int cn_fdt_reg(const struct cn_fdt *fdt, int node, unsigned int i,
	       uint64_t *addr, uint64_t *size)
{
	uint32_t ac = 2, sc = 1, len, entry;
	int parent = cn_fdt_parent(fdt, node);
	const uint8_t *p;
	uint64_t a, s;

	if (parent == -EINVAL)
		return -EINVAL;
	if (parent >= 0) {
		cn_fdt_getprop_u32(fdt, parent, "#address-cells", 0, &ac);
		cn_fdt_getprop_u32(fdt, parent, "#size-cells", 0, &sc);
	}
	if (ac > 2 || sc > 2)
		return -ERANGE;
	p = cn_fdt_getprop(fdt, node, "reg", &len);
	entry = 4 * (ac + sc);
	if (!p || !entry || i >= len / entry)
		return -ENOENT;
	p += i * entry;
	if (read_cells(p, ac, &a) || read_cells(p + 4 * ac, sc, &s))
		return -ERANGE;
	if (addr)
		*addr = a;
	if (size)
		*size = s;
	return 0;
}
