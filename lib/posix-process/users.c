/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The user database of a one-user system: root (uid 0, gid 0), with the
 * home directory $HOME names (else "/"). Programs look themselves up to
 * find a home directory (SQLite's shell for ~/.sqliterc) or a name to
 * print; any other uid or name is unknown (NULL, errno left alone, as
 * glibc does for "no such entry").
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

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
