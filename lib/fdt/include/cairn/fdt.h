/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A read-only parser of flattened device trees (DTB, the Devicetree
 * Specification's binary form), for platforms whose firmware or VMM
 * describes the board that way (QEMU -M virt, Firecracker on arm64).
 *
 * The blob is untrusted input: every offset and length is checked against
 * the blob's own header and against the size the caller says is readable,
 * so a corrupt tree gives an error, never a read outside it. Nodes are
 * named by their offset in the structure block (an int >= 0); functions
 * that look something up return that offset, or a negative errno.
 * Nothing allocates; nothing blocks; all may run before the heap exists.
 */
#ifndef CAIRN_FDT_H
#define CAIRN_FDT_H

#include <stddef.h>
#include <stdint.h>

struct cn_fdt {
	const uint8_t *blob;
	uint32_t size;		/* totalsize from the header, checked */
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
};

/*
 * Checks the header of the blob at blob (at most max bytes readable) and
 * fills *fdt. Returns 0, -EINVAL (no DTB magic, blocks outside the blob)
 * or -ENOTSUP (a version older than 16).
 */
int cn_fdt_init(struct cn_fdt *fdt, const void *blob, size_t max);

/* Total size of a blob whose header is at blob, or 0 without the magic. */
uint32_t cn_fdt_totalsize(const void *blob);

/*
 * Walks nodes in document order. Pass -1 to get the root. *depth is the
 * nesting level of the returned node (root: 0) and must be kept between
 * calls; with depth NULL nothing is tracked and the walk may start at any
 * node. Returns the next node's offset, -ENOENT at the end, or -EINVAL
 * for a malformed tree.
 */
int cn_fdt_next_node(const struct cn_fdt *fdt, int node, int *depth);

/* The node's name ("uart@9000000", root: ""), or NULL if node is bad. */
const char *cn_fdt_node_name(const struct cn_fdt *fdt, int node);

/*
 * The node at an absolute path ("/", "/chosen", "/soc/uart@1"); a path
 * component without "@unit" also matches a name with one. Returns the
 * offset, -ENOENT or -EINVAL.
 */
int cn_fdt_path_offset(const struct cn_fdt *fdt, const char *path);

/* The parent of node: its offset, or -ENOENT for the root, -EINVAL. */
int cn_fdt_parent(const struct cn_fdt *fdt, int node);

/*
 * The value of property name of node and its length in *len (may be
 * NULL), or NULL when the node has no such property or is malformed.
 * Values are big-endian and only 4-byte aligned.
 */
const void *cn_fdt_getprop(const struct cn_fdt *fdt, int node,
			   const char *name, uint32_t *len);

/* Property cell i (32-bit) into *val: 0, -ENOENT (no property), -ERANGE. */
int cn_fdt_getprop_u32(const struct cn_fdt *fdt, int node, const char *name,
		       unsigned int i, uint32_t *val);

/* 1 if compat is one of the node's "compatible" strings, else 0. */
int cn_fdt_is_compatible(const struct cn_fdt *fdt, int node,
			 const char *compat);

/*
 * The first node after `after` (-1: from the start) compatible with
 * compat: its offset, -ENOENT or -EINVAL.
 */
int cn_fdt_find_compatible(const struct cn_fdt *fdt, int after,
			   const char *compat);

/*
 * Entry i of the node's "reg", decoded with the parent's #address-cells
 * and #size-cells (defaults 2 and 1). Returns 0, -ENOENT (no reg or no
 * such entry), -ERANGE (cells wider than 64 bits) or -EINVAL.
 */
int cn_fdt_reg(const struct cn_fdt *fdt, int node, unsigned int i,
	       uint64_t *addr, uint64_t *size);

/* Big-endian readers for property values. */
static inline uint32_t cn_fdt32(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline uint64_t cn_fdt64(const void *p)
{
	return (uint64_t)cn_fdt32(p) << 32 | cn_fdt32((const uint8_t *)p + 4);
}

#endif
