/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * 9P2000.L messages: the encoder and the decoder lib/9pfs uses, apart from
 * any transport or file system so that they build on the host too, where
 * they run under ASan/UBSan and a fuzzer (tests/host/fuzz_9p.c).
 *
 * A message is size[4] type[1] tag[2] then the body, little-endian;
 * strings are len[2] bytes (no NUL); a qid is type[1] version[4] path[8].
 *
 * Encoding: cn_9pfs_msg_start() then cn_9pfs_put_*() then
 * cn_9pfs_msg_finish(), which returns the length, or 0 when the message did
 * not fit the buffer (nothing is ever written past it).
 *
 * Decoding: cn_9pfs_reply_open() checks the header of a reply against the
 * request (size field equal to the bytes received, the tag, the type) and
 * turns an Rlerror into its errno; then cn_9pfs_get_*() read the body.
 * A read past the end sets m->err and yields zeros; cn_9pfs_msg_ok() says
 * whether every read was within the message. Nothing here trusts a size
 * from the wire.
 */
#ifndef CAIRN_9PFS_PROTO_H
#define CAIRN_9PFS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Message types (9P2000.L and the 9P2000 ones it keeps). */
enum {
	CN_9P_RLERROR = 7,
	CN_9P_TSTATFS = 8,
	CN_9P_TLOPEN = 12,
	CN_9P_TLCREATE = 14,
	CN_9P_TSYMLINK = 16,
	CN_9P_TREADLINK = 22,
	CN_9P_TGETATTR = 24,
	CN_9P_TSETATTR = 26,
	CN_9P_TREADDIR = 40,
	CN_9P_TFSYNC = 50,
	CN_9P_TLINK = 70,
	CN_9P_TMKDIR = 72,
	CN_9P_TRENAMEAT = 74,
	CN_9P_TUNLINKAT = 76,
	CN_9P_TVERSION = 100,
	CN_9P_TATTACH = 104,
	CN_9P_TFLUSH = 108,
	CN_9P_TWALK = 110,
	CN_9P_TREAD = 116,
	CN_9P_TWRITE = 118,
	CN_9P_TCLUNK = 120,
};
/* The reply to T is T + 1. */

#define CN_9P_HDR	7		/* size[4] type[1] tag[2] */
#define CN_9P_IOHDR	24	/* header + fid, offset, count (Linux's) */
#define CN_9P_NOTAG	0xffff
#define CN_9P_NOFID	0xffffffffu
#define CN_9P_MAXWELEM	16		/* names in one Twalk */
#define CN_9P_MIN_MSIZE	4096	/* less is refused */

/* Open flags on the wire are Linux's (9P2000.L), whatever the C library's. */
#define CN_9P_O_RDONLY		0
#define CN_9P_O_WRONLY		1
#define CN_9P_O_RDWR		2
#define CN_9P_O_CREAT		0100
#define CN_9P_O_EXCL		0200
#define CN_9P_O_TRUNC		01000
#define CN_9P_O_APPEND		02000
#define CN_9P_O_DIRECTORY	0200000
#define CN_9P_O_NOFOLLOW	0400000
#define CN_9P_AT_REMOVEDIR	0x200

/* Tgetattr request_mask / Rgetattr valid: the basic fields. */
#define CN_9P_GETATTR_BASIC	0x7ffull

/* Tsetattr valid bits. */
#define CN_9P_SETATTR_MODE	0x1
#define CN_9P_SETATTR_SIZE	0x8
#define CN_9P_SETATTR_ATIME	0x10
#define CN_9P_SETATTR_MTIME	0x20
#define CN_9P_SETATTR_ATIME_SET	0x80
#define CN_9P_SETATTR_MTIME_SET	0x100

/* Qid types. */
#define CN_9P_QTDIR	0x80
#define CN_9P_QTSYMLINK	0x02

struct cn_9pfs_msg {
	uint8_t *buf;
	uint32_t cap;		/* encoding: buffer size; decoding: len */
	uint32_t pos;
	bool err;		/* a put did not fit / a get ran past */
};

struct cn_9pfs_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* Rgetattr's fields (the basic ones). */
struct cn_9pfs_attr {
	uint64_t valid;
	struct cn_9pfs_qid qid;
	uint32_t mode, uid, gid;
	uint64_t nlink, rdev, size, blksize, blocks;
	uint64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec;
	uint64_t ctime_sec, ctime_nsec;
};

/* Rstatfs. */
struct cn_9pfs_statfs {
	uint32_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree, fsid;
	uint32_t namelen;
};

/* Starts message type with tag in buf (cap bytes). */
void cn_9pfs_msg_start(struct cn_9pfs_msg *m, void *buf, uint32_t cap,
		       uint8_t type, uint16_t tag);
void cn_9pfs_put_u8(struct cn_9pfs_msg *m, uint8_t v);
void cn_9pfs_put_u16(struct cn_9pfs_msg *m, uint16_t v);
void cn_9pfs_put_u32(struct cn_9pfs_msg *m, uint32_t v);
void cn_9pfs_put_u64(struct cn_9pfs_msg *m, uint64_t v);
/* A string of len bytes (more than 65535 sets err). */
void cn_9pfs_put_str(struct cn_9pfs_msg *m, const char *s, size_t len);
void cn_9pfs_put_data(struct cn_9pfs_msg *m, const void *p, uint32_t len);
/* Writes the size field: returns the message's length, 0 if err. */
uint32_t cn_9pfs_msg_finish(struct cn_9pfs_msg *m);

/*
 * Checks a reply of len bytes in buf to a request of type req_type sent
 * with tag, and positions m at its body. Returns 0, the errno of an
 * Rlerror (negative, translated from Linux's number by cn_9pfs_errno), or
 * -EIO for anything else: shorter than a header, a size field other than
 * len, another tag, a type other than req_type + 1. *why (may be NULL)
 * gets a short description of the fault for a log line.
 */
int cn_9pfs_reply_open(struct cn_9pfs_msg *m, const void *buf, uint32_t len,
		       uint8_t req_type, uint16_t tag, const char **why);

uint8_t cn_9pfs_get_u8(struct cn_9pfs_msg *m);
uint16_t cn_9pfs_get_u16(struct cn_9pfs_msg *m);
uint32_t cn_9pfs_get_u32(struct cn_9pfs_msg *m);
uint64_t cn_9pfs_get_u64(struct cn_9pfs_msg *m);
void cn_9pfs_get_qid(struct cn_9pfs_msg *m, struct cn_9pfs_qid *q);
/* A string: *s points into the message (not NUL-terminated); its length. */
uint16_t cn_9pfs_get_str(struct cn_9pfs_msg *m, const char **s);
/* len bytes of data in place: a pointer into the message, NULL if short. */
const void *cn_9pfs_get_data(struct cn_9pfs_msg *m, uint32_t len);
void cn_9pfs_get_attr(struct cn_9pfs_msg *m, struct cn_9pfs_attr *a);
void cn_9pfs_get_statfs(struct cn_9pfs_msg *m, struct cn_9pfs_statfs *s);

/* 0 when every get was within the message, else -EIO. */
int cn_9pfs_msg_ok(const struct cn_9pfs_msg *m);

/*
 * One entry of an Rreaddir's data (qid[13] offset[8] type[1] name[s]):
 * reads it at *pos of data (len bytes). Returns 1 and fills the entry,
 * 0 at the end, -EIO if the entry runs past the data or has an empty
 * name.
 */
struct cn_9pfs_dirent {
	struct cn_9pfs_qid qid;
	uint64_t offset;
	uint8_t type;
	const char *name;
	uint16_t namelen;
};
int cn_9pfs_dirent_next(const void *data, uint32_t len, uint32_t *pos,
			struct cn_9pfs_dirent *e);

/* The C library's errno (positive) for Linux's errno number e; EIO for
 * a number Linux does not have. */
int cn_9pfs_errno(uint32_t e);

#endif
