/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FAT on-disk format, parsed without any I/O: the boot sector (BPB),
 * FAT entries, directory entries and VFAT long-name assembly. fatfs.c
 * reads sectors and hands them here; tests/host builds this file alone
 * and feeds it arbitrary bytes under ASan/UBSan and a fuzzer, so nothing
 * here trusts a byte it reads: every count is checked against the
 * buffer and the device before use.
 */
#ifndef FAT_META_H
#define FAT_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAT_DIRENT_SIZE		32
#define FAT_ATTR_RO		0x01
#define FAT_ATTR_HIDDEN		0x02
#define FAT_ATTR_SYSTEM		0x04
#define FAT_ATTR_VOLUME		0x08
#define FAT_ATTR_DIR		0x10
#define FAT_ATTR_ARCHIVE	0x20
#define FAT_ATTR_LFN		0x0f
#define FAT_DELETED		0xe5
#define FAT_LFN_CHARS		13	/* UTF-16 units per long-name entry */
#define FAT_LFN_MAX		255	/* UTF-16 units in a long name */
#define FAT_NT_LOWER_BASE	0x08	/* short name: base shown in lower case */
#define FAT_NT_LOWER_EXT	0x10

/* What the boot sector says, checked for consistency. */
struct cn_fatfs_geom {
	unsigned int type;		/* 12, 16 or 32 */
	uint32_t sector_size;		/* bytes: 512, 1024, 2048, 4096 */
	uint32_t cluster_size;		/* bytes */
	uint32_t sec_per_clus;
	uint32_t reserved;		/* sectors before the first FAT */
	uint32_t nfats;
	uint32_t fat_sectors;		/* of one FAT */
	uint32_t root_entries;		/* FAT12/16 fixed root */
	uint32_t root_start;		/* sector of the fixed root */
	uint32_t root_sectors;
	uint32_t data_start;		/* sector of cluster 2 */
	uint32_t total_sectors;
	uint32_t nclusters;		/* data clusters: 2 .. nclusters + 1 */
	uint32_t root_cluster;		/* FAT32; 0 on FAT12/16 */
	uint32_t fsinfo;		/* FAT32 FSInfo sector; 0: none */
	uint32_t eoc;			/* end-of-chain marker of this type */
	uint32_t bad;			/* bad-cluster marker */
};

/*
 * Parses the boot sector (buf, len bytes, at least 512) of a volume of
 * dev_bytes bytes. Returns 0, or -EINVAL with *why saying what is wrong
 * (a static string): not a FAT boot sector, impossible sizes, a volume
 * larger than its device (a truncated image).
 */
int cn_fatfs_parse_bpb(const uint8_t *buf, size_t len, uint64_t dev_bytes,
		       struct cn_fatfs_geom *g, const char **why);

/* Byte offset of FAT entry n from the start of the FAT. */
uint64_t cn_fatfs_fat_offset(const struct cn_fatfs_geom *g, uint32_t n);
/* Entry n from the 2 (FAT12/16) or 4 bytes at its offset. */
uint32_t cn_fatfs_fat_decode(const struct cn_fatfs_geom *g, uint32_t n,
			     const uint8_t *b);
/* Stores v as entry n into those bytes (keeping FAT32's top 4 bits and
 * the neighbour's nibble on FAT12). */
void cn_fatfs_fat_encode(const struct cn_fatfs_geom *g, uint32_t n,
			 uint8_t *b, uint32_t v);
/* Whether v (a decoded entry) ends a chain; a chain's next cluster is
 * valid when 2 <= v < nclusters + 2. */
bool cn_fatfs_is_eoc(const struct cn_fatfs_geom *g, uint32_t v);
bool cn_fatfs_valid_cluster(const struct cn_fatfs_geom *g, uint32_t c);

/* The first cluster of a short entry (FAT32 uses the high word). */
uint32_t cn_fatfs_dirent_cluster(const struct cn_fatfs_geom *g,
				 const uint8_t *de);
void cn_fatfs_dirent_set_cluster(uint8_t *de, uint32_t c);

/* The checksum of an 11-byte short name that long-name entries carry. */
uint8_t cn_fatfs_lfn_checksum(const uint8_t *shortname);

/* A long name being assembled from the entries before a short entry. */
struct cn_fatfs_lfn {
	uint16_t name[FAT_LFN_MAX + FAT_LFN_CHARS];
	unsigned int next;		/* sequence number expected; 0: none */
	unsigned int count;		/* entries seen */
	uint8_t checksum;
};

void cn_fatfs_lfn_reset(struct cn_fatfs_lfn *l);
/* Takes one long-name entry (attr 0x0f); out-of-order ones reset it. */
void cn_fatfs_lfn_feed(struct cn_fatfs_lfn *l, const uint8_t *de);

/*
 * The name of short entry de, as UTF-8 into out (size len >= 256*3+1,
 * NUL-terminated): the long name when l holds a complete one whose
 * checksum matches, else the 8.3 name (lower case where the entry says
 * so). Returns the name's length, 0 for an unusable entry; *nslots gets
 * the entries the name takes (long ones + 1).
 */
size_t cn_fatfs_entry_name(const struct cn_fatfs_lfn *l, const uint8_t *de,
			   char *out, size_t len, unsigned int *nslots);

/*
 * UTF-8 name -> UTF-16 (at most FAT_LFN_MAX units): the count, or -EINVAL
 * (bad UTF-8, a character FAT forbids) or -ENAMETOOLONG.
 */
int cn_fatfs_utf16(const char *name, size_t len, uint16_t *out);

/*
 * The 11-byte short name for name when it is a valid 8.3 name by itself
 * (any one case per part): returns true and sets *nt (case flags).
 */
bool cn_fatfs_is_short(const char *name, size_t len, uint8_t *sn,
		       uint8_t *nt);
/* A basis short name with numeric tail ~n (n >= 1) for a long name. */
void cn_fatfs_short_tail(const char *name, size_t len, unsigned int n,
			 uint8_t *sn);

/* Fills long-name entry i (1-based, from the short entry upwards) of
 * the nslots - 1 needed for the UTF-16 name u (n units). */
void cn_fatfs_lfn_fill(uint8_t *de, const uint16_t *u, unsigned int n,
		       unsigned int i, bool last, uint8_t checksum);

/* FAT date/time <-> seconds since 1970 (UTC). */
void cn_fatfs_time_to_fat(int64_t secs, uint16_t *date, uint16_t *time);
int64_t cn_fatfs_fat_to_time(uint16_t date, uint16_t time);

static inline uint16_t cn_fatfs_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t cn_fatfs_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void cn_fatfs_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void cn_fatfs_put32(uint8_t *p, uint32_t v)
{
	cn_fatfs_put16(p, (uint16_t)v);
	cn_fatfs_put16(p + 2, (uint16_t)(v >> 16));
}

#endif
