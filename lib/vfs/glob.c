/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glob() and globfree() (picolibc declares them, implements neither).
 * The pattern is taken one '/'-separated component at a time: a
 * component without *, ? [ or \ is a name to look up, any other is
 * matched with fnmatch() against the entries of the directory reached so
 * far (a leading '.' only by a leading '.'). Flags: GLOB_APPEND,
 * GLOB_DOOFFS, GLOB_ERR, GLOB_MARK, GLOB_NOCHECK, GLOB_NOSORT,
 * GLOB_NOMAGIC, GLOB_NOESCAPE; the BSD extensions (GLOB_BRACE,
 * GLOB_TILDE, GLOB_ALTDIRFUNC, GLOB_LIMIT) are ignored.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct gl {
	glob_t *g;
	int flags;
	int (*errfn)(const char *path, int err);
	char **list;			/* the new matches */
	size_t n, cap;
	int err;			/* GLOB_NOSPACE, GLOB_ABEND or 0 */
};

static bool has_magic(const char *s, size_t len, bool esc)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[' ||
		    (esc && s[i] == '\\'))
			return true;
	return false;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static void add(struct gl *s, const char *path)
{
	size_t len = strlen(path);
	bool mark = (s->flags & GLOB_MARK) && len && path[len - 1] != '/' &&
		    is_dir(path);
	char **l, *copy;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		l = realloc(s->list, s->cap * sizeof(*l));
		if (!l) {
			s->err = GLOB_NOSPACE;
			return;
		}
		s->list = l;
	}
	copy = malloc(len + 2);
	if (!copy) {
		s->err = GLOB_NOSPACE;
		return;
	}
	memcpy(copy, path, len);
	strcpy(copy + len, mark ? "/" : "");
	s->list[s->n++] = copy;
}

/* A directory could not be read: GLOB_ERR or errfn may end the glob. */
static void dir_error(struct gl *s, const char *dir, int err)
{
	if ((s->errfn && s->errfn(dir, err)) || (s->flags & GLOB_ERR))
		s->err = GLOB_ABEND;
}

/*
 * path (PATH_MAX bytes) holds len bytes: what is matched so far, "" or
 * ending in '/'. Matches pat against what lies below.
 */
static void expand(struct gl *s, char *path, size_t len, const char *pat)
{
	const char *end;
	size_t clen, n;
	struct dirent *de;
	char comp[NAME_MAX + 1];
	DIR *d;
	int fl = FNM_PERIOD |
		 ((s->flags & GLOB_NOESCAPE) ? FNM_NOESCAPE : 0);

	if (s->err)
		return;
	if (!*pat) {
		/* A pattern ending in '/' names directories only. */
		if (len && is_dir(path))
			add(s, path);
		return;
	}
	end = strchr(pat, '/');
	clen = end ? (size_t)(end - pat) : strlen(pat);
	if (clen > NAME_MAX)
		return;
	while (end && end[1] == '/')
		end++;
	if (!has_magic(pat, clen, !(s->flags & GLOB_NOESCAPE))) {
		struct stat st;

		if (len + clen + 1 >= PATH_MAX)
			return;
		memcpy(path + len, pat, clen);
		path[len + clen] = end ? '/' : '\0';
		path[len + clen + !!end] = '\0';
		if (end)
			expand(s, path, len + clen + 1, end + 1);
		else if (!lstat(path, &st))
			add(s, path);
		path[len] = '\0';
		return;
	}
	memcpy(comp, pat, clen);
	comp[clen] = '\0';
	d = opendir(len ? path : ".");
	if (!d) {
		if (errno != ENOENT && errno != ENOTDIR)
			dir_error(s, len ? path : ".", errno);
		return;
	}
	while (!s->err && (de = readdir(d))) {
		n = strlen(de->d_name);
		if (fnmatch(comp, de->d_name, fl) || len + n + 1 >= PATH_MAX)
			continue;
		memcpy(path + len, de->d_name, n + 1);
		if (end) {
			path[len + n] = '/';
			path[len + n + 1] = '\0';
			if (is_dir(path))
				expand(s, path, len + n + 1, end + 1);
		} else {
			add(s, path);
		}
	}
	path[len] = '\0';
	closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the new matches to g->gl_pathv (after gl_offs NULLs). */
static int publish(struct gl *s)
{
	glob_t *g = s->g;
	size_t offs = (s->flags & GLOB_DOOFFS) ? (size_t)g->gl_offs : 0;
	size_t old = (s->flags & GLOB_APPEND) && g->gl_pathv ? g->gl_pathc : 0;
	char **v;
	size_t i;

	if (!(s->flags & GLOB_APPEND) || !g->gl_pathv) {
		g->gl_pathv = NULL;
		g->gl_pathc = 0;
	}
	v = realloc(g->gl_pathv, (offs + old + s->n + 1) * sizeof(*v));
	if (!v)
		return GLOB_NOSPACE;
	for (i = 0; i < offs && !old; i++)
		v[i] = NULL;
	if (!(s->flags & GLOB_NOSORT) && s->n > 1)
		qsort(s->list, s->n, sizeof(*s->list), cmp);
	memcpy(v + offs + old, s->list, s->n * sizeof(*v));
	v[offs + old + s->n] = NULL;
	g->gl_pathv = v;
	g->gl_pathc = (int)(old + s->n);
	g->gl_matchc = (int)s->n;
	g->gl_flags = s->flags;
	s->n = 0;
	return 0;
}

int glob(const char *restrict pat, int flags,
	 int (*errfn)(const char *path, int err), glob_t *restrict g)
{
	struct gl s = { .g = g, .flags = flags, .errfn = errfn };
	const char *orig = pat;
	bool magic;
	char *path;
	int r;

	if (!pat || !g)
		return GLOB_ABEND;
	path = malloc(PATH_MAX);
	if (!path)
		return GLOB_NOSPACE;
	path[0] = '\0';
	if (*pat == '/') {
		strcpy(path, "/");
		while (*pat == '/')
			pat++;
	}
	expand(&s, path, strlen(path), pat);
	free(path);
	magic = has_magic(orig, strlen(orig), !(flags & GLOB_NOESCAPE));
	if (!s.err && !s.n &&
	    ((flags & GLOB_NOCHECK) || ((flags & GLOB_NOMAGIC) && !magic))) {
		/* The pattern itself, as given. */
		s.flags &= ~GLOB_MARK;
		add(&s, orig);
	}
	r = s.err;
	if (!r && !s.n)
		r = GLOB_NOMATCH;
	if (!r)
		r = publish(&s);
	else if (!(flags & GLOB_APPEND)) {
		g->gl_pathc = 0;
		g->gl_pathv = NULL;
	}
	while (s.n)
		free(s.list[--s.n]);
	free(s.list);
	return r;
}

void globfree(glob_t *g)
{
	size_t offs = (g->gl_flags & GLOB_DOOFFS) ? (size_t)g->gl_offs : 0;
	int i;

	if (!g->gl_pathv)
		return;
	for (i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[offs + i]);
	free(g->gl_pathv);
	g->gl_pathv = NULL;
	g->gl_pathc = 0;
}
