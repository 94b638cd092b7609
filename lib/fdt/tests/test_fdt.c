/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/fdt on a device tree built here, token by token, in the shape QEMU
 * -M virt makes: /chosen with bootargs and a 64-bit initrd range,
 * /memory, a PL011 under the root, a node in /soc with one-cell
 * addresses. Then the same blob damaged in every way a byte can be: the
 * parser must return errors, never read outside the blob (the host build
 * runs under AddressSanitizer with the blob in a buffer of exactly its
 * size).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/fdt.h>
#include <cairn/test.h>

#define BEGIN	1
#define END	2
#define PROP	3
#define NOP	4
#define FEND	9

struct builder {
	uint8_t st[2048], strs[512];
	uint32_t nst, nstrs;
};

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void tok(struct builder *b, uint32_t v)
{
	be32(b->st + b->nst, v);
	b->nst += 4;
}

static void bytes(struct builder *b, const void *p, uint32_t n)
{
	memcpy(b->st + b->nst, p, n);
	b->nst += n;
	while (b->nst & 3)
		b->st[b->nst++] = 0;
}

static void node(struct builder *b, const char *name)
{
	tok(b, BEGIN);
	bytes(b, name, (uint32_t)strlen(name) + 1);
}

static uint32_t str_off(struct builder *b, const char *name)
{
	uint32_t i = 0;

	while (i < b->nstrs) {
		if (strcmp((char *)b->strs + i, name) == 0)
			return i;
		i += (uint32_t)strlen((char *)b->strs + i) + 1;
	}
	memcpy(b->strs + b->nstrs, name, strlen(name) + 1);
	b->nstrs += (uint32_t)strlen(name) + 1;
	return i;
}

static void prop(struct builder *b, const char *name, const void *v,
		 uint32_t n)
{
	tok(b, PROP);
	tok(b, n);
	tok(b, str_off(b, name));
	bytes(b, v, n);
}

static void prop_cells(struct builder *b, const char *name,
		       const uint32_t *cells, unsigned int n)
{
	uint8_t v[64];
	unsigned int i;

	for (i = 0; i < n; i++)
		be32(v + 4 * i, cells[i]);
	prop(b, name, v, 4 * n);
}

#define CELLS(b, name, ...) do {					\
	static const uint32_t c_[] = { __VA_ARGS__ };			\
	prop_cells(b, name, c_, sizeof(c_) / 4);			\
} while (0)

/* A virt-like tree in a malloc'd buffer of exactly its size. */
static uint8_t *make_blob(uint32_t *size)
{
	static struct builder b;
	static const char compat[] = "arm,pl011\0arm,primecell";
	uint32_t off_st = 40 + 16, off_strs, total;
	uint8_t *blob;

	memset(&b, 0, sizeof(b));
	node(&b, "");
	CELLS(&b, "#address-cells", 2);
	CELLS(&b, "#size-cells", 2);
	tok(&b, NOP);
	node(&b, "chosen");
	prop(&b, "bootargs", "log.level=debug -- a b", 23);
	CELLS(&b, "linux,initrd-start", 0, 0x48000000);
	CELLS(&b, "linux,initrd-end", 0, 0x48001000);
	tok(&b, END);
	node(&b, "memory@40000000");
	prop(&b, "device_type", "memory", 7);
	CELLS(&b, "reg", 0, 0x40000000, 0, 0x8000000);
	tok(&b, END);
	node(&b, "pl011@9000000");
	prop(&b, "compatible", compat, sizeof(compat));
	CELLS(&b, "reg", 0, 0x9000000, 0, 0x1000);
	CELLS(&b, "interrupts", 0, 1, 4);
	tok(&b, END);
	node(&b, "soc");
	CELLS(&b, "#address-cells", 1);
	CELLS(&b, "#size-cells", 1);
	node(&b, "virtio_mmio@a000000");
	prop(&b, "compatible", "virtio,mmio", 12);
	CELLS(&b, "reg", 0xa000000, 0x200, 0xa000200, 0x200);
	tok(&b, END);
	node(&b, "virtio_mmio@a000200");
	prop(&b, "compatible", "virtio,mmio", 12);
	tok(&b, END);
	tok(&b, END);
	tok(&b, END);
	tok(&b, FEND);

	off_strs = off_st + b.nst;
	total = off_strs + b.nstrs;
	blob = calloc(1, total);
	if (!blob)
		return NULL;
	be32(blob, 0xd00dfeed);
	be32(blob + 4, total);
	be32(blob + 8, off_st);
	be32(blob + 12, off_strs);
	be32(blob + 16, 40);		/* empty reservation map */
	be32(blob + 20, 17);
	be32(blob + 24, 16);
	be32(blob + 32, b.nstrs);
	be32(blob + 36, b.nst);
	memcpy(blob + off_st, b.st, b.nst);
	memcpy(blob + off_strs, b.strs, b.nstrs);
	*size = total;
	return blob;
}

CN_TEST(fdt, header_checks)
{
	struct cn_fdt f;
	uint32_t size;
	uint8_t *blob = make_blob(&size);

	CN_ASSERT_NOT_NULL(blob);
	CN_EXPECT_EQ(cn_fdt_init(&f, blob, size), 0);
	CN_EXPECT_EQ(cn_fdt_totalsize(blob), size);
	CN_EXPECT_EQ(cn_fdt_init(&f, blob, size - 1), -EINVAL);
	CN_EXPECT_EQ(cn_fdt_init(&f, NULL, size), -EINVAL);
	blob[0] ^= 1;
	CN_EXPECT_EQ(cn_fdt_init(&f, blob, size), -EINVAL);
	CN_EXPECT_EQ(cn_fdt_totalsize(blob), 0);
	blob[0] ^= 1;
	be32(blob + 20, 15);
	CN_EXPECT_EQ(cn_fdt_init(&f, blob, size), -ENOTSUP);
	be32(blob + 20, 17);
	be32(blob + 36, size);		/* structure block past the end */
	CN_EXPECT_EQ(cn_fdt_init(&f, blob, size), -EINVAL);
	free(blob);
}

CN_TEST(fdt, paths_names_and_parents)
{
	struct cn_fdt f;
	uint32_t size;
	uint8_t *blob = make_blob(&size);
	int root, chosen, soc, v;

	CN_ASSERT_NOT_NULL(blob);
	CN_ASSERT_EQ(cn_fdt_init(&f, blob, size), 0);
	root = cn_fdt_path_offset(&f, "/");
	CN_EXPECT_GE(root, 0);
	CN_EXPECT_STREQ(cn_fdt_node_name(&f, root), "");
	chosen = cn_fdt_path_offset(&f, "/chosen");
	CN_EXPECT_GE(chosen, 0);
	CN_EXPECT_STREQ(cn_fdt_node_name(&f, chosen), "chosen");
	CN_EXPECT_EQ(cn_fdt_parent(&f, chosen), root);
	CN_EXPECT_EQ(cn_fdt_parent(&f, root), -ENOENT);
	/* Without "@unit" the first such node matches. */
	v = cn_fdt_path_offset(&f, "/soc/virtio_mmio");
	CN_EXPECT_GE(v, 0);
	CN_EXPECT_STREQ(cn_fdt_node_name(&f, v), "virtio_mmio@a000000");
	v = cn_fdt_path_offset(&f, "/soc/virtio_mmio@a000200");
	CN_EXPECT_STREQ(cn_fdt_node_name(&f, v), "virtio_mmio@a000200");
	soc = cn_fdt_path_offset(&f, "/soc");
	CN_EXPECT_EQ(cn_fdt_parent(&f, v), soc);
	CN_EXPECT_EQ(cn_fdt_path_offset(&f, "/soc/nosuch"), -ENOENT);
	CN_EXPECT_EQ(cn_fdt_path_offset(&f, "/virtio_mmio"), -ENOENT);
	CN_EXPECT_EQ(cn_fdt_path_offset(&f, "chosen"), -EINVAL);
	CN_EXPECT_NULL(cn_fdt_node_name(&f, 3));	/* not a node */
	free(blob);
}

CN_TEST(fdt, properties)
{
	struct cn_fdt f;
	uint32_t size, len, v;
	uint8_t *blob = make_blob(&size);
	int chosen;
	const char *args;
	const uint8_t *p;

	CN_ASSERT_NOT_NULL(blob);
	CN_ASSERT_EQ(cn_fdt_init(&f, blob, size), 0);
	chosen = cn_fdt_path_offset(&f, "/chosen");
	args = cn_fdt_getprop(&f, chosen, "bootargs", &len);
	CN_ASSERT_NOT_NULL(args);
	CN_EXPECT_EQ(len, 23);
	CN_EXPECT_STREQ(args, "log.level=debug -- a b");
	p = cn_fdt_getprop(&f, chosen, "linux,initrd-end", &len);
	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_EQ(len, 8);
	CN_EXPECT_EQ(cn_fdt64(p), 0x48001000);
	CN_EXPECT_NULL(cn_fdt_getprop(&f, chosen, "nosuch", &len));
	CN_EXPECT_EQ(cn_fdt_getprop_u32(&f, 0, "#size-cells", 0, &v), 0);
	CN_EXPECT_EQ(v, 2);
	CN_EXPECT_EQ(cn_fdt_getprop_u32(&f, 0, "#size-cells", 1, &v),
		     -ERANGE);
	CN_EXPECT_EQ(cn_fdt_getprop_u32(&f, 0, "nosuch", 0, &v), -ENOENT);
	free(blob);
}

CN_TEST(fdt, compatible_and_reg)
{
	struct cn_fdt f;
	uint32_t size;
	uint8_t *blob = make_blob(&size);
	uint64_t a, s;
	int uart, v1, v2;

	CN_ASSERT_NOT_NULL(blob);
	CN_ASSERT_EQ(cn_fdt_init(&f, blob, size), 0);
	uart = cn_fdt_find_compatible(&f, -1, "arm,primecell");
	CN_EXPECT_GE(uart, 0);
	CN_EXPECT_EQ(cn_fdt_find_compatible(&f, -1, "arm,pl011"), uart);
	CN_EXPECT_EQ(cn_fdt_is_compatible(&f, uart, "arm,pl01"), 0);
	CN_EXPECT_EQ(cn_fdt_reg(&f, uart, 0, &a, &s), 0);
	CN_EXPECT_EQ(a, 0x9000000);
	CN_EXPECT_EQ(s, 0x1000);
	CN_EXPECT_EQ(cn_fdt_reg(&f, uart, 1, &a, &s), -ENOENT);
	/* In /soc: one cell each, two entries; the search goes on after. */
	v1 = cn_fdt_find_compatible(&f, uart, "virtio,mmio");
	CN_EXPECT_GE(v1, 0);
	CN_EXPECT_EQ(cn_fdt_reg(&f, v1, 1, &a, &s), 0);
	CN_EXPECT_EQ(a, 0xa000200);
	CN_EXPECT_EQ(s, 0x200);
	v2 = cn_fdt_find_compatible(&f, v1, "virtio,mmio");
	CN_EXPECT_GT(v2, v1);
	CN_EXPECT_EQ(cn_fdt_reg(&f, v2, 0, &a, &s), -ENOENT);
	CN_EXPECT_EQ(cn_fdt_find_compatible(&f, v2, "virtio,mmio"), -ENOENT);
	free(blob);
}

/* Everything the parser offers, on whatever the blob now holds. */
static void walk_all(const struct cn_fdt *f)
{
	int n, depth = 0, steps = 0;
	uint64_t a, s;
	uint32_t len, v;

	for (n = cn_fdt_next_node(f, -1, &depth); n >= 0 && steps < 1000;
	     n = cn_fdt_next_node(f, n, &depth), steps++) {
		cn_fdt_node_name(f, n);
		cn_fdt_getprop(f, n, "compatible", &len);
		cn_fdt_getprop_u32(f, n, "#address-cells", 0, &v);
		cn_fdt_is_compatible(f, n, "virtio,mmio");
		cn_fdt_reg(f, n, 0, &a, &s);
	}
	cn_fdt_path_offset(f, "/soc/virtio_mmio@a000200");
	cn_fdt_find_compatible(f, -1, "virtio,mmio");
}

CN_TEST(fdt, every_damaged_byte_is_survived)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x01, 0x02, 0x03,
					  0x09, 0x80, 0x7f };
	uint32_t size, i, j;
	uint8_t *blob = make_blob(&size);
	unsigned int accepted = 0;

	CN_ASSERT_NOT_NULL(blob);
	for (i = 0; i < size; i++) {
		uint8_t keep = blob[i];

		for (j = 0; j < sizeof(values); j++) {
			struct cn_fdt f;

			blob[i] = values[j];
			if (cn_fdt_init(&f, blob, size) == 0) {
				accepted++;
				walk_all(&f);
			}
		}
		blob[i] = keep;
	}
	CN_EXPECT_GT(accepted, 0);
	/* And every truncation of the structure block. */
	for (i = 0; i < size; i += 4) {
		struct cn_fdt f;

		CN_ASSERT_EQ(cn_fdt_init(&f, blob, size), 0);
		f.size_struct = i < f.size_struct ? i : f.size_struct;
		walk_all(&f);
	}
	free(blob);
}
