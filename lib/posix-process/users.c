/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The user database of a one-user system: root (uid 0, gid 0), with the
 * home directory $HOME names (else "/"). Programs look themselves up to
 * find a home directory (SQLite's shell for ~/.sqliterc) or a name to
 * print; any other uid or name is unknown (NULL, errno left alone, as
 * glibc does for "no such entry"). The reentrant forms copy the entry's
 * strings into the caller's buffer (ERANGE when it is too small, 0 with
 * *result NULL for no entry); the enumeration calls walk the one entry;
 * getlogin() names the user the process runs as: "root".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct passwd root_pw = {
	.pw_name = "root", .pw_passwd = "x", .pw_uid = 0, .pw_gid = 0,
	.pw_comment = "", .pw_gecos = "root", .pw_dir = "/", .pw_shell = "",
};

static char *root_mem[] = { NULL };
static struct group root_gr = {
	.gr_name = "root", .gr_passwd = "x", .gr_gid = 0, .gr_mem = root_mem,
};

static struct passwd *root(void)
{
	const char *home = getenv("HOME");

	root_pw.pw_dir = (char *)(home && *home ? home : "/");
	return &root_pw;
}

struct passwd *getpwuid(uid_t uid)
{
	return uid == 0 ? root() : NULL;
}

struct passwd *getpwnam(const char *name)
{
	return name && !strcmp(name, "root") ? root() : NULL;
}

struct group *getgrgid(gid_t gid)
{
	return gid == 0 ? &root_gr : NULL;
}

struct group *getgrnam(const char *name)
{
	return name && !strcmp(name, "root") ? &root_gr : NULL;
}

/* Copies s into the caller's buffer at *at; NULL when it does not fit. */
static char *put(const char *s, char **at, size_t *left)
{
	size_t n = strlen(s) + 1;
	char *d = *at;

	if (n > *left)
		return NULL;
	memcpy(d, s, n);
	*at += n;
	*left -= n;
	return d;
}

static int pw_copy(struct passwd *pw, char *buf, size_t len,
		   struct passwd **result)
{
	const struct passwd *src = root();
	char *at = buf;

	*result = NULL;
	if (!pw || (!buf && len))
		return EINVAL;
	*pw = *src;
	if (!(pw->pw_name = put(src->pw_name, &at, &len)) ||
	    !(pw->pw_passwd = put(src->pw_passwd, &at, &len)) ||
	    !(pw->pw_gecos = put(src->pw_gecos, &at, &len)) ||
	    !(pw->pw_dir = put(src->pw_dir, &at, &len)) ||
	    !(pw->pw_shell = put(src->pw_shell, &at, &len)))
		return ERANGE;
	pw->pw_comment = pw->pw_shell + strlen(pw->pw_shell);	/* "" */
	*result = pw;
	return 0;
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len,
	       struct passwd **result)
{
	if (!result)
		return EINVAL;
	if (!name || strcmp(name, "root")) {
		*result = NULL;
		return 0;
	}
	return pw_copy(pw, buf, len, result);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
	       struct passwd **result)
{
	if (!result)
		return EINVAL;
	if (uid != 0) {
		*result = NULL;
		return 0;
	}
	return pw_copy(pw, buf, len, result);
}

/* The member list (one NULL) goes first, aligned, then the strings. */
static int gr_copy(struct group *gr, char *buf, size_t len,
		   struct group **result)
{
	size_t pad = (size_t)(-(uintptr_t)buf & (sizeof(char *) - 1));
	char *at;

	*result = NULL;
	if (!gr || (!buf && len))
		return EINVAL;
	if (len < pad + sizeof(char *))
		return ERANGE;
	gr->gr_mem = (char **)(void *)(buf + pad);
	gr->gr_mem[0] = NULL;
	at = buf + pad + sizeof(char *);
	len -= pad + sizeof(char *);
	gr->gr_gid = root_gr.gr_gid;
	if (!(gr->gr_name = put(root_gr.gr_name, &at, &len)) ||
	    !(gr->gr_passwd = put(root_gr.gr_passwd, &at, &len)))
		return ERANGE;
	*result = gr;
	return 0;
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t len,
	       struct group **result)
{
	if (!result)
		return EINVAL;
	if (!name || strcmp(name, "root")) {
		*result = NULL;
		return 0;
	}
	return gr_copy(gr, buf, len, result);
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len,
	       struct group **result)
{
	if (!result)
		return EINVAL;
	if (gid != 0) {
		*result = NULL;
		return 0;
	}
	return gr_copy(gr, buf, len, result);
}

/* Enumeration: one entry, then NULL until the next set*ent(). */
static bool pw_done, gr_done;

struct passwd *getpwent(void)
{
	if (pw_done)
		return NULL;
	pw_done = true;
	return root();
}

void setpwent(void)
{
	pw_done = false;
}

void endpwent(void)
{
	pw_done = false;
}

struct group *getgrent(void)
{
	if (gr_done)
		return NULL;
	gr_done = true;
	return &root_gr;
}

void setgrent(void)
{
	gr_done = false;
}

void endgrent(void)
{
	gr_done = false;
}

char *getlogin(void)
{
	return root_pw.pw_name;
}

/* Linux: ERANGE when the name and its NUL do not fit. */
int getlogin_r(char *name, size_t len)
{
	if (!name)
		return EINVAL;
	if (len < sizeof("root"))
		return ERANGE;
	memcpy(name, "root", sizeof("root"));
	return 0;
}

/*
 * root belongs to group 0 only, which is its primary group: joining it
 * changes nothing. Anyone else is no user here (Linux's initgroups fails
 * with EPERM for an unprivileged caller; an unknown user leaves only the
 * given group, which must then be 0, as setgroups would require).
 */
int initgroups(const char *user, gid_t group)
{
	if (!user) {
		errno = EINVAL;
		return -1;
	}
	if (group != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
