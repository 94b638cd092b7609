/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FAT format functions of fat_meta.c on boot sectors and directory
 * entries built here: what mkfs.fat writes is accepted with the right
 * geometry, every inconsistency is refused with a reason, FAT12's
 * half-byte neighbours survive an update, long names assemble only from
 * complete, in-order runs with the right checksum. Runs in the unit image
 * and on the host under ASan/UBSan (tests/test_host_fat.py).
 */
#include <errno.h>
#include <string.h>
#include <cairn/test.h>
#include "../fat_meta.h"

/* A FAT16 boot sector as mkfs.fat makes for 16 MiB: 512-byte sectors,
 * 4 per cluster, 4 reserved, 2 FATs of 32 sectors, 512 root entries. */
static void bpb16(uint8_t *b)
{
	memset(b, 0, 512);
	b[0] = 0xeb;
	b[1] = 0x3c;
	b[2] = 0x90;
	cn_fatfs_put16(b + 11, 512);
	b[13] = 4;
	cn_fatfs_put16(b + 14, 4);
	b[16] = 2;
	cn_fatfs_put16(b + 17, 512);
	cn_fatfs_put16(b + 19, 32768);
	b[21] = 0xf8;
	cn_fatfs_put16(b + 22, 32);
	b[510] = 0x55;
	b[511] = 0xaa;
}

CN_TEST(fatfs, bpb_fat16_geometry)
{
	struct cn_fatfs_geom g;
	const char *why = NULL;
	uint8_t b[512];

	bpb16(b);
	CN_ASSERT_EQ(cn_fatfs_parse_bpb(b, sizeof(b), 16 << 20, &g, &why), 0);
	CN_EXPECT_EQ(g.type, 16u);
	CN_EXPECT_EQ(g.cluster_size, 2048u);
	CN_EXPECT_EQ(g.root_start, 4u + 64u);
	CN_EXPECT_EQ(g.root_sectors, 32u);
	CN_EXPECT_EQ(g.data_start, 100u);
	CN_EXPECT_EQ(g.nclusters, (32768u - 100u) / 4u);
	CN_EXPECT_EQ(g.eoc, 0xfff8u);
}

CN_TEST(fatfs, bpb_refuses_what_does_not_add_up)
{
	struct cn_fatfs_geom g;
	const char *why = NULL;
	uint8_t b[512];

	bpb16(b);
	b[511] = 0;
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	CN_EXPECT_NOT_NULL(strstr(why, "signature"));
	bpb16(b);
	cn_fatfs_put16(b + 11, 768);
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	CN_EXPECT_STREQ(why, "bad sector size");
	bpb16(b);
	b[13] = 3;
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	bpb16(b);
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 8 << 20, &g, &why), -EINVAL);
	CN_EXPECT_NOT_NULL(strstr(why, "truncated"));
	bpb16(b);
	cn_fatfs_put16(b + 22, 4);		/* FAT too small */
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	bpb16(b);
	cn_fatfs_put16(b + 22, 0);		/* FAT32 without a FAT size */
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	bpb16(b);
	cn_fatfs_put16(b + 14, 0);
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	bpb16(b);
	cn_fatfs_put16(b + 22, 0x7fff);		/* FATs fill the volume */
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 512, 16 << 20, &g, &why), -EINVAL);
	CN_EXPECT_EQ(cn_fatfs_parse_bpb(b, 511, 16 << 20, &g, &why), -EINVAL);
}

CN_TEST(fatfs, fat12_entries_keep_their_neighbours)
{
	struct cn_fatfs_geom g = { .type = 12, .eoc = 0xff8 };
	uint8_t fat[8] = { 0 };
	uint32_t n;

	for (n = 0; n < 5; n++)
		cn_fatfs_fat_encode(&g, n, fat + cn_fatfs_fat_offset(&g, n),
				    0xa00 + n);
	cn_fatfs_fat_encode(&g, 2, fat + cn_fatfs_fat_offset(&g, 2), 0xfff);
	CN_EXPECT_EQ(cn_fatfs_fat_offset(&g, 3), 4u);
	for (n = 0; n < 5; n++)
		CN_EXPECT_EQ(cn_fatfs_fat_decode(&g, n, fat +
						 cn_fatfs_fat_offset(&g, n)),
			     n == 2 ? 0xfffu : 0xa00u + n);
	CN_EXPECT_TRUE(cn_fatfs_is_eoc(&g, 0xfff));
	CN_EXPECT_FALSE(cn_fatfs_is_eoc(&g, 0xff7));
}

CN_TEST(fatfs, fat32_keeps_the_top_bits)
{
	struct cn_fatfs_geom g = { .type = 32, .nclusters = 100 };
	uint8_t e[4] = { 0xff, 0xff, 0xff, 0xff };

	cn_fatfs_fat_encode(&g, 7, e, 0x1234);
	CN_EXPECT_EQ(cn_fatfs_le32(e), 0xf0001234u);
	CN_EXPECT_EQ(cn_fatfs_fat_decode(&g, 7, e), 0x1234u);
	CN_EXPECT_TRUE(cn_fatfs_valid_cluster(&g, 101));
	CN_EXPECT_FALSE(cn_fatfs_valid_cluster(&g, 102));
	CN_EXPECT_FALSE(cn_fatfs_valid_cluster(&g, 1));
}

/* Entries of name as fatfs.c writes them: long ones, then the short. */
static unsigned int make_entries(uint8_t ents[][32], const char *name,
				 const char *shortname)
{
	uint16_t u[FAT_LFN_MAX];
	int n = cn_fatfs_utf16(name, strlen(name), u);
	unsigned int k = (unsigned int)(n + 12) / 13, i;
	uint8_t sum = cn_fatfs_lfn_checksum((const uint8_t *)shortname);

	for (i = 0; i < k; i++)
		cn_fatfs_lfn_fill(ents[i], u, (unsigned int)n, k - i, i == 0,
				  sum);
	memset(ents[k], 0, 32);
	memcpy(ents[k], shortname, 11);
	ents[k][11] = FAT_ATTR_ARCHIVE;
	return k + 1;
}

static size_t name_of(uint8_t ents[][32], unsigned int count, char *out,
		      unsigned int *nslots)
{
	struct cn_fatfs_lfn l;
	unsigned int i;

	cn_fatfs_lfn_reset(&l);
	for (i = 0; i + 1 < count; i++)
		cn_fatfs_lfn_feed(&l, ents[i]);
	return cn_fatfs_entry_name(&l, ents[count - 1], out, 800, nslots);
}

CN_TEST(fatfs, long_names_assemble_and_check)
{
	static const char *name = "A long name, with caf\xc3\xa9 and \xf0\x9f\x98\x80.txt";
	uint8_t ents[24][32];
	char out[800];
	unsigned int count = make_entries(ents, name, "ALONGN~1TXT"), ns;

	CN_EXPECT_EQ(count, 4u);
	CN_EXPECT_EQ(name_of(ents, count, out, &ns), strlen(name));
	CN_EXPECT_STREQ(out, name);
	CN_EXPECT_EQ(ns, 4u);
	/* Another short entry (checksum differs): its 8.3 name. */
	memcpy(ents[count - 1], "OTHER   TXT", 11);
	name_of(ents, count, out, &ns);
	CN_EXPECT_STREQ(out, "OTHER.TXT");
	CN_EXPECT_EQ(ns, 1u);
	/* A missing middle entry: no long name either. */
	count = make_entries(ents, name, "ALONGN~1TXT");
	memmove(ents[1], ents[2], 64);
	name_of(ents, count - 1, out, &ns);
	CN_EXPECT_STREQ(out, "ALONGN~1.TXT");
}

CN_TEST(fatfs, short_names_and_their_case)
{
	uint8_t sn[11], nt = 0xff, de[32] = { 0 };
	struct cn_fatfs_lfn none;
	char out[64];
	unsigned int ns;

	CN_EXPECT_TRUE(cn_fatfs_is_short("readme.txt", 10, sn, &nt));
	CN_EXPECT_EQ(memcmp(sn, "README  TXT", 11), 0);
	CN_EXPECT_EQ(nt, FAT_NT_LOWER_BASE | FAT_NT_LOWER_EXT);
	CN_EXPECT_TRUE(cn_fatfs_is_short("MAKEFILE", 8, sn, &nt));
	CN_EXPECT_EQ(nt, 0);
	CN_EXPECT_FALSE(cn_fatfs_is_short("Makefile", 8, sn, &nt));
	CN_EXPECT_FALSE(cn_fatfs_is_short("a.b.c", 5, sn, &nt));
	CN_EXPECT_FALSE(cn_fatfs_is_short("toolongname", 11, sn, &nt));
	CN_EXPECT_FALSE(cn_fatfs_is_short("a b", 3, sn, &nt));
	cn_fatfs_short_tail("my long file.html", 17, 1, sn);
	CN_EXPECT_EQ(memcmp(sn, "MYLONG~1HTM", 11), 0);
	cn_fatfs_short_tail(".profile", 8, 12, sn);
	CN_EXPECT_EQ(memcmp(sn, "PROFI~12   ", 11), 0);
	memcpy(de, "README  TXT", 11);
	de[12] = FAT_NT_LOWER_BASE;
	cn_fatfs_lfn_reset(&none);
	cn_fatfs_entry_name(&none, de, out, sizeof(out), &ns);
	CN_EXPECT_STREQ(out, "readme.TXT");
}

CN_TEST(fatfs, utf16_refuses_what_fat_cannot_hold)
{
	uint16_t u[FAT_LFN_MAX + 1];
	char big[300];

	CN_EXPECT_EQ(cn_fatfs_utf16("a?b", 3, u), -EINVAL);
	CN_EXPECT_EQ(cn_fatfs_utf16("a:b", 3, u), -EINVAL);
	CN_EXPECT_EQ(cn_fatfs_utf16("a\x01", 2, u), -EINVAL);
	CN_EXPECT_EQ(cn_fatfs_utf16("\xc3", 1, u), -EINVAL);
	CN_EXPECT_EQ(cn_fatfs_utf16("\xed\xa0\x80", 3, u), -EINVAL);
	CN_EXPECT_EQ(cn_fatfs_utf16("\xf0\x9f\x98\x80", 4, u), 2);
	CN_EXPECT_EQ(u[0], 0xd83d);
	memset(big, 'x', sizeof(big));
	CN_EXPECT_EQ(cn_fatfs_utf16(big, 255, u), 255);
	CN_EXPECT_EQ(cn_fatfs_utf16(big, 256, u), -ENAMETOOLONG);
}

CN_TEST(fatfs, timestamps_round_trip)
{
	uint16_t d, t;

	cn_fatfs_time_to_fat(1764936000, &d, &t);	/* 2025-12-05 12:00 */
	CN_EXPECT_EQ(d, (uint16_t)((2025 - 1980) << 9 | 12 << 5 | 5));
	CN_EXPECT_EQ(t, (uint16_t)(12 << 11));
	CN_EXPECT_EQ(cn_fatfs_fat_to_time(d, t), 1764936000);
	cn_fatfs_time_to_fat(0, &d, &t);		/* clamped to 1980 */
	CN_EXPECT_EQ(cn_fatfs_fat_to_time(d, t), 315532800);
	CN_EXPECT_EQ(cn_fatfs_fat_to_time(0xffff, 0xffff) > 0, 1);
}
