/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unpacking a cpio archive into the VFS, entry by entry, through the
 * cn_vfs_* calls (no descriptors, so no POSIX layer needed: this also
 * builds for the host). Hard links follow newc's convention: the entries
 * of one inode share (ino, dev), and the data may come with any of them
 * (GNU cpio puts it on the last): the first makes the file, the others
 * link to it and write their data, if any, into the shared file.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cairn/cpio.h>
#include <cairn/errname.h>
#include <cairn/initrd.h>
#include <cairn/log.h>
#include <cairn/vfs.h>

struct hardlink {
	uint32_t ino, major, minor;
	char *path;
};

struct unpack {
	const char *target;
	size_t tlen;
	struct cn_initrd_stats st;
	struct hardlink *links;
	size_t nlinks, cap;
	char path[PATH_MAX];
	char buf[CN_CPIO_NAME_MAX];
};

/* Builds u->path from the entry's name: 1 for the target itself. */
static int make_path(struct unpack *u, const char *name)
{
	const char *p, *s;
	size_t len;

	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			break;
	}
	if (!*name || !strcmp(name, "."))
		return 1;
	for (p = name; *p; p = *s ? s + 1 : s) {
		for (s = p; *s && *s != '/'; s++)
			;
		if (s - p == 2 && p[0] == '.' && p[1] == '.')
			return -EPERM;
	}
	len = strlen(name);
	if (u->tlen + 1 + len >= sizeof(u->path))
		return -ENAMETOOLONG;
	memcpy(u->path, u->target, u->tlen);
	u->path[u->tlen] = '/';
	memcpy(u->path + u->tlen + 1, name, len + 1);
	while (len > 1 && u->path[u->tlen + len] == '/')
		u->path[u->tlen + len--] = '\0';	/* "dir/" */
	return 0;
}

/* Makes the parent directories of u->path. */
static int make_parents(struct unpack *u)
{
	char *slash = strrchr(u->path, '/');
	int r;

	if (!slash || slash == u->path)
		return 0;
	*slash = '\0';
	r = cn_vfs_mkdir_p(u->path, 0755);
	*slash = '/';
	return r;
}

static int write_file(struct unpack *u, const struct cn_cpio_entry *e,
		      bool trunc)
{
	const char *d = e->data;
	struct cn_file *f;
	size_t done = 0;
	ssize_t n;
	int r;

	/* A symlink already there is replaced, never written through. */
	int flags = O_WRONLY | O_CREAT | (trunc ? O_TRUNC | O_NOFOLLOW : 0);

	r = cn_vfs_open_file(CN_VFS_CWD, u->path, flags, e->mode & 07777, &f);
	if (r == -ELOOP && !cn_vfs_unlink(CN_VFS_CWD, u->path, 0))
		r = cn_vfs_open_file(CN_VFS_CWD, u->path, flags,
				     e->mode & 07777, &f);
	if (r == -ENOENT && !make_parents(u))
		r = cn_vfs_open_file(CN_VFS_CWD, u->path, flags,
				     e->mode & 07777, &f);
	if (r)
		return r;
	while (done < e->size) {
		n = f->ops->write(f, d + done, e->size - done, (off_t)done);
		if (n <= 0) {
			r = n ? (int)n : -EIO;
			break;
		}
		done += (size_t)n;
	}
	cn_file_put(f);
	u->st.bytes += done;
	return r;
}

static struct hardlink *find_link(struct unpack *u,
				  const struct cn_cpio_entry *e)
{
	size_t i;

	for (i = 0; i < u->nlinks; i++)
		if (u->links[i].ino == e->ino &&
		    u->links[i].major == e->dev_major &&
		    u->links[i].minor == e->dev_minor)
			return &u->links[i];
	return NULL;
}

static void remember_link(struct unpack *u, const struct cn_cpio_entry *e)
{
	struct hardlink *l;

	if (u->nlinks == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 8;

		l = realloc(u->links, cap * sizeof(*l));
		if (!l)
			return;		/* later names become copies */
		u->links = l;
		u->cap = cap;
	}
	l = &u->links[u->nlinks];
	l->path = strdup(u->path);
	if (!l->path)
		return;
	l->ino = e->ino;
	l->major = e->dev_major;
	l->minor = e->dev_minor;
	u->nlinks++;
}

static int regular(struct unpack *u, const struct cn_cpio_entry *e)
{
	struct hardlink *l = e->nlink > 1 ? find_link(u, e) : NULL;
	int r;

	if (!l) {
		r = write_file(u, e, true);
		if (!r && e->nlink > 1)
			remember_link(u, e);
		if (!r)
			u->st.files++;
		return r;
	}
	r = cn_vfs_link(CN_VFS_CWD, l->path, CN_VFS_CWD, u->path, 0);
	if (r == -EEXIST && !cn_vfs_unlink(CN_VFS_CWD, u->path, 0))
		r = cn_vfs_link(CN_VFS_CWD, l->path, CN_VFS_CWD, u->path, 0);
	if (r == -ENOENT && !make_parents(u))
		r = cn_vfs_link(CN_VFS_CWD, l->path, CN_VFS_CWD, u->path, 0);
	if (!r && e->size)
		r = write_file(u, e, false);	/* the data came late */
	if (!r)
		u->st.hardlinks++;
	return r;
}

static int directory(struct unpack *u, const struct cn_cpio_entry *e)
{
	struct stat st;
	int r = cn_vfs_mkdir(CN_VFS_CWD, u->path, e->mode & 07777);

	if (r == -ENOENT && !make_parents(u))
		r = cn_vfs_mkdir(CN_VFS_CWD, u->path, e->mode & 07777);
	if (r == -EEXIST) {
		r = cn_vfs_stat(CN_VFS_CWD, u->path, &st, AT_SYMLINK_NOFOLLOW);
		if (!r && !S_ISDIR(st.st_mode))
			r = -EEXIST;
	}
	if (!r)
		u->st.dirs++;
	return r;
}

static int symlink_entry(struct unpack *u, const struct cn_cpio_entry *e)
{
	int r;

	memcpy(u->buf, e->data, e->size);	/* size < sizeof(buf) */
	u->buf[e->size] = '\0';
	if (strlen(u->buf) != e->size)
		return -EINVAL;			/* a NUL in the target */
	r = cn_vfs_symlink(u->buf, CN_VFS_CWD, u->path);
	if (r == -EEXIST && !cn_vfs_unlink(CN_VFS_CWD, u->path, 0))
		r = cn_vfs_symlink(u->buf, CN_VFS_CWD, u->path);
	if (r == -ENOENT && !make_parents(u))
		r = cn_vfs_symlink(u->buf, CN_VFS_CWD, u->path);
	if (!r)
		u->st.symlinks++;
	return r;
}

static void entry(struct unpack *u, const struct cn_cpio_entry *e)
{
	struct timespec ts[2] = { { (time_t)e->mtime, 0 },
				  { (time_t)e->mtime, 0 } };
	const char *what = "cannot make it";
	int r = make_path(u, e->name);

	if (r == 1)
		return;			/* "." : the target itself */
	if (r == -EPERM)
		what = "a name with '..' is not allowed";
	if (!r) {
		switch (e->mode & S_IFMT) {
		case S_IFREG:
			r = regular(u, e);
			break;
		case S_IFDIR:
			r = directory(u, e);
			break;
		case S_IFLNK:
			r = symlink_entry(u, e);
			break;
		default:
			cn_pr_warn("entry %u '%s': device nodes, fifos and "
				   "sockets are not supported; skipped",
				   e->index, e->name);
			u->st.skipped++;
			return;
		}
		if (!r && !S_ISLNK(e->mode))
			cn_vfs_chmod(CN_VFS_CWD, u->path, e->mode & 07777,
				     AT_SYMLINK_NOFOLLOW);
		if (!r)
			cn_vfs_utimens(CN_VFS_CWD, u->path, ts,
				       AT_SYMLINK_NOFOLLOW);
	}
	if (r) {
		cn_pr_err("entry %u '%s': %s: %d (%s); skipped", e->index,
			  e->name, what, r, cn_errname(r));
		u->st.errors++;
	}
}

int cn_initrd_unpack(const void *buf, size_t len, const char *target,
		     struct cn_initrd_stats *st, char *msg, size_t msglen)
{
	struct unpack *u = calloc(1, sizeof(*u));
	struct cn_cpio_entry e;
	struct cn_cpio c;
	size_t i;
	int r;

	if (!u)
		return -ENOMEM;
	u->target = target;
	u->tlen = strlen(target);
	while (u->tlen && target[u->tlen - 1] == '/')
		u->tlen--;		/* "/" becomes "" + "/name" */
	cn_cpio_init(&c, buf, len);
	while ((r = cn_cpio_next(&c, &e)) == 1)
		entry(u, &e);
	if (r < 0 && msg && msglen) {
		strncpy(msg, c.err, msglen - 1);
		msg[msglen - 1] = '\0';
	}
	if (st)
		*st = u->st;
	for (i = 0; i < u->nlinks; i++)
		free(u->links[i].path);
	free(u->links);
	free(u);
	return r < 0 ? r : 0;
}
