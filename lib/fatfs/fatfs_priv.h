/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/fatfs: the mounted volume, its nodes and the cache. */
#ifndef FATFS_PRIV_H
#define FATFS_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/statvfs.h>
#include <cairn/vfs_fs.h>
#include "fat_meta.h"

#define PENDING_MAX	64

struct dloc {
	uint32_t sec;			/* volume sector of the short entry */
	uint32_t off;			/* byte offset in it */
};

struct fatfs;

struct fnode {
	struct cn_vnode vn;
	struct fnode *next;		/* fs->nodes */
	struct fatfs *fs;
	uint32_t first;			/* first cluster; 0: empty file or
					 * the fixed root */
	uint32_t size;
	uint32_t pfirst;		/* parent directory's first cluster */
	uint32_t idx, nslots;		/* short entry's index; entries used */
	struct dloc loc;
	uint32_t hint_idx, hint_clus;	/* last cluster reached */
	uint8_t attr;
	bool type_dir, unlinked, is_root;
	bool bad;			/* broken chain: I/O gives -EIO */
};

/* Kinds of cached sectors, in the order write-back writes them. */
enum { BUF_DATA, BUF_FAT, BUF_DIR, BUF_KINDS };
#define BUF_NOREAD	0x1		/* buf_get: the caller overwrites it */

struct buf {
	uint32_t sec;
	int hnext;			/* hash chain (index), -1 ends */
	uint8_t kind;
	bool valid, dirty, ref;		/* ref: used since the hand passed */
	uint8_t *data;
};

struct fatfs {
	struct fatfs *next_vol;		/* mounted volumes (sync at exit) */
	struct cn_blkdev *bd;
	struct cn_vfs_mount *mnt;
	struct cn_fatfs_geom g;
	uint32_t dev_per_sec;		/* device sectors per volume sector */
	uint32_t free_count, next_free;
	bool fsinfo_dirty, in_writeback;
	int error;			/* sticky -EIO after a failed write */
	unsigned int warned;
	uint32_t pending[PENDING_MAX];	/* chains freed after write-back */
	unsigned int npending;
	struct fnode *nodes, *root;
	/* the cache */
	struct buf *bufs;
	int *hash;
	unsigned int nbufs, ndirty[BUF_KINDS];
	unsigned int hand;		/* CLOCK */
	uint8_t *stage;			/* for merged writes */
	uint32_t stage_bytes;
	/*
	 * Readahead (fatfs.c): bytes [ra_pos, ra_pos + ra_len) of file
	 * ra_node as they are on disk, read where none of the sectors was
	 * cached; dropped when that file is written, truncated or freed.
	 * The window doubles from RA_MIN to ra_max while reads go on
	 * sequentially, and falls back to RA_MIN when they jump.
	 */
	uint8_t *ra;
	struct fnode *ra_node;
	uint64_t ra_pos;
	uint32_t ra_len, ra_win, ra_max;
	struct buf *tmpbuf;
	/* scratch for scans and names (under the VFS lock) */
	struct cn_fatfs_lfn lfn;
	char name[256 * 3 + 1];
	uint16_t u16[FAT_LFN_MAX + 1];
};

/*
 * Shared between fatfs.c and cache.c only: global names under the
 * library's prefix (test_build's Exports rule), short names in the code.
 */
#define cache_init		cn_fatfs_cache_init
#define cache_free		cn_fatfs_cache_free
#define buf_get			cn_fatfs_buf_get
#define buf_dirty		cn_fatfs_buf_dirty
#define buf_cached		cn_fatfs_buf_cached
#define fs_read_sectors		cn_fatfs_read_sectors
#define fs_write_sectors	cn_fatfs_write_sectors
#define fs_writeback		cn_fatfs_writeback
#define fs_sync			cn_fatfs_sync
#define fat_get			cn_fatfs_fat_get
#define fat_set			cn_fatfs_fat_set
#define free_chain_now		cn_fatfs_free_chain_now

/* cache.c */
int cache_init(struct fatfs *fs);
void cache_free(struct fatfs *fs);
int buf_get(struct fatfs *fs, uint32_t sec, int kind, int flags,
	    struct buf **out);
void buf_dirty(struct fatfs *fs, struct buf *b);
int fs_read_sectors(struct fatfs *fs, uint32_t sec, void *buf, uint32_t n);
int fs_write_sectors(struct fatfs *fs, uint32_t sec, const void *buf,
		     uint32_t n);
/* Whether sector sec is in the cache (clean or dirty). */
bool buf_cached(struct fatfs *fs, uint32_t sec);
/* Writes every dirty sector in crash-safe order (no final flush). */
int fs_writeback(struct fatfs *fs);
/* fs_writeback, then the device's write cache is flushed. */
int fs_sync(struct fatfs *fs);

/* fatfs.c, for cache.c */
int fat_get(struct fatfs *fs, uint32_t n, uint32_t *v);
int fat_set(struct fatfs *fs, uint32_t n, uint32_t v);
int free_chain_now(struct fatfs *fs, uint32_t c);

#endif
