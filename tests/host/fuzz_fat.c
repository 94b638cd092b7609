/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/fatfs/fat_meta.c on an arbitrary disk image (the
 * input). What fatfs.c does with a volume's metadata, done here on the
 * bytes in memory: parse the boot sector, walk the root directory and its
 * subdirectories (depth 3) through their cluster chains with a loop
 * check, assemble long names, walk each file's chain. Every sector read
 * outside the input is an error, never an access (ASan checks it); names
 * must come out as UTF-8 the name functions take back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fat_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct vol {
	const uint8_t *data;
	size_t size;
	struct cn_fatfs_geom g;
};

static const uint8_t *sector(const struct vol *v, uint64_t s)
{
	uint64_t off = s * v->g.sector_size;

	if (off >= v->size || v->size - off < v->g.sector_size)
		return NULL;
	return v->data + off;
}

/* Next cluster: 0 at the end or on an error. */
static uint32_t next(const struct vol *v, uint32_t c)
{
	uint64_t off = cn_fatfs_fat_offset(&v->g, c);
	uint64_t pos = (uint64_t)v->g.reserved * v->g.sector_size + off;
	uint32_t n;

	if (!cn_fatfs_valid_cluster(&v->g, c) || pos + 4 > v->size)
		return 0;
	n = cn_fatfs_fat_decode(&v->g, c, v->data + pos);
	return cn_fatfs_valid_cluster(&v->g, n) ? n : 0;
}

/* Chain length with Brent's loop check; 0 for a loop. */
static uint32_t chain(const struct vol *v, uint32_t first)
{
	uint32_t t = first, h = first, power = 1, lam = 1, len = 1;

	if (!cn_fatfs_valid_cluster(&v->g, first))
		return 0;
	while ((h = next(v, h))) {
		if (h == t || len++ > v->g.nclusters)
			return 0;
		if (power == lam) {
			t = h;
			power *= 2;
			lam = 0;
		}
		lam++;
	}
	return len;
}

static void check_name(const char *name, size_t len)
{
	uint16_t u[FAT_LFN_MAX + 1];
	uint8_t sn[11], nt;

	if (len > 255 || strlen(name) != len || memchr(name, '/', len))
		abort();
	(void)cn_fatfs_utf16(name, len, u);
	if (!cn_fatfs_is_short(name, len, sn, &nt))
		cn_fatfs_short_tail(name, len, 3, sn);
}

static void walk_dir(const struct vol *v, uint32_t first, int depth)
{
	uint32_t eps = v->g.sector_size / FAT_DIRENT_SIZE, idx, c = first;
	uint32_t steps = 0, sub;
	uint64_t s;
	struct cn_fatfs_lfn l;
	const uint8_t *sec, *de;
	char name[256 * 3 + 1];
	unsigned int ns;
	size_t len;

	if (depth > 3 || (first && !chain(v, first)))
		return;
	cn_fatfs_lfn_reset(&l);
	for (idx = 0; idx < 4096; idx++) {
		if (!first) {
			if (idx >= v->g.root_entries)
				return;
			s = v->g.root_start + idx / eps;
		} else {
			uint32_t per = v->g.cluster_size / FAT_DIRENT_SIZE;

			if (idx && idx % per == 0 && !(c = next(v, c)))
				return;
			if (++steps > 1u << 16)
				return;
			s = v->g.data_start + (uint64_t)(c - 2) *
			    v->g.sec_per_clus + (idx % per) / eps;
		}
		sec = sector(v, s);
		if (!sec)
			return;
		de = sec + (idx % eps) * FAT_DIRENT_SIZE;
		if (!de[0])
			return;
		if (de[0] == FAT_DELETED) {
			cn_fatfs_lfn_reset(&l);
			continue;
		}
		if ((de[11] & 0x3f) == FAT_ATTR_LFN) {
			cn_fatfs_lfn_feed(&l, de);
			continue;
		}
		len = cn_fatfs_entry_name(&l, de, name, sizeof(name), &ns);
		cn_fatfs_lfn_reset(&l);
		if (!len || ns < 1 || ns > 21)
			continue;
		check_name(name, len);
		sub = cn_fatfs_dirent_cluster(&v->g, de);
		if ((de[11] & FAT_ATTR_DIR) && name[0] != '.' && sub != first)
			walk_dir(v, sub, depth + 1);
		else
			(void)chain(v, sub);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vol v = { data, size };
	const char *why = NULL;
	uint16_t d, t;

	if (cn_fatfs_parse_bpb(data, size, size, &v.g, &why)) {
		if (!why)
			abort();
		return 0;
	}
	if ((uint64_t)v.g.total_sectors * v.g.sector_size > size ||
	    v.g.data_start >= v.g.total_sectors)
		abort();
	walk_dir(&v, v.g.type == 32 ? v.g.root_cluster : 0, 0);
	if (size >= 4) {
		cn_fatfs_time_to_fat((int64_t)cn_fatfs_le32(data) << 1, &d, &t);
		(void)cn_fatfs_fat_to_time(d, t);
	}
	return 0;
}
