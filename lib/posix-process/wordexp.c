/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wordexp() without a shell: words split on blanks, with the quoting
 * rules of sh (backslash, '...', "..."), a leading ~ or ~/ as $HOME, and
 * $NAME / ${NAME} from the environment (split into words when unquoted,
 * as sh splits on blanks). What needs a shell fails as glibc would fail
 * for it: command substitution ($(...) and `...`) with WRDE_CMDSUB,
 * whatever the flags; arithmetic and the ${NAME:-...} forms with
 * WRDE_SYNTAX; an unquoted | & ; < > ( ) { } or newline with
 * WRDE_BADCHAR. There is no globbing: * ? [ stay as they are.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>

struct words {
	char *buf;		/* the word being built */
	size_t len, cap;
	bool open;		/* a word exists, even empty ("") */
	char **v;		/* finished words */
	size_t n, vcap;
};

static int add(struct words *w, char c)
{
	if (w->len + 2 > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 32;
		char *b = realloc(w->buf, cap);

		if (!b)
			return WRDE_NOSPACE;
		w->buf = b;
		w->cap = cap;
	}
	w->buf[w->len++] = c;
	w->open = true;
	return 0;
}

static int end_word(struct words *w)
{
	char *s;

	if (!w->open)
		return 0;
	if (w->n + 1 > w->vcap) {
		size_t cap = w->vcap ? w->vcap * 2 : 8;
		char **v = realloc(w->v, cap * sizeof(*v));

		if (!v)
			return WRDE_NOSPACE;
		w->v = v;
		w->vcap = cap;
	}
	s = malloc(w->len + 1);
	if (!s)
		return WRDE_NOSPACE;
	memcpy(s, w->buf, w->len);
	s[w->len] = '\0';
	w->v[w->n++] = s;
	w->len = 0;
	w->open = false;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Appends a variable's value; unquoted, blanks in it separate words. */
static int add_value(struct words *w, const char *val, bool quoted)
{
	int r = 0;

	if (quoted)
		w->open = true;
	for (; *val && !r; val++) {
		if (!quoted && (blank(*val) || *val == '\n'))
			r = end_word(w);
		else
			r = add(w, *val);
	}
	return r;
}

/* $NAME or ${NAME} at s (just past '$'); *used: the bytes taken. */
static int expand(struct words *w, const char *s, size_t *used,
		  bool quoted, int flags)
{
	char name[128];
	size_t n = 0, skip = 0;
	const char *val;

	*used = 0;
	if (*s == '(')
		return s[1] == '(' ? WRDE_SYNTAX : WRDE_CMDSUB;
	if (*s == '{') {
		skip = 1;
		while (isalnum((unsigned char)s[skip + n]) || s[skip + n] == '_')
			n++;
		if (!n || s[skip + n] != '}')
			return WRDE_SYNTAX;	/* ${} or ${NAME:-...} */
	} else {
		while (isalnum((unsigned char)s[n]) || s[n] == '_')
			n++;
		if (!n || isdigit((unsigned char)s[0]))
			return add(w, '$');	/* a lone '$' is itself */
	}
	if (n >= sizeof(name))
		return WRDE_BADVAL;
	memcpy(name, s + skip, n);
	name[n] = '\0';
	*used = n + 2 * skip;
	val = getenv(name);
	if (!val && (flags & WRDE_UNDEF))
		return WRDE_BADVAL;
	return add_value(w, val ? val : "", quoted);
}

/* At a word's start: ~ or ~/... is $HOME; ~user is left as it is. */
static int tilde(struct words *w, const char *s, size_t *used)
{
	const char *home = getenv("HOME");

	*used = 0;
	if (s[1] && s[1] != '/' && !blank(s[1]))
		return 0;
	*used = 1;
	return add_value(w, home ? home : "/", true);
}

static int split(struct words *w, const char *s, int flags)
{
	bool dq = false;
	size_t used;
	int r = 0;

	for (; *s && !r; s++) {
		char c = *s;

		if (c == '`')
			return WRDE_CMDSUB;
		if (c == '$') {
			r = expand(w, s + 1, &used, dq, flags);
			s += used;
		} else if (dq && c == '"') {
			dq = false;
		} else if (dq && c == '\\' && s[1] && strchr("$`\"\\", s[1])) {
			r = add(w, *++s);
		} else if (dq) {
			r = add(w, c);
		} else if (c == '"') {
			dq = true;
			w->open = true;
		} else if (c == '\'') {
			const char *e = strchr(s + 1, '\'');

			if (!e)
				return WRDE_SYNTAX;
			w->open = true;
			while (++s < e && !r)
				r = add(w, *s);
		} else if (c == '\\') {
			if (!s[1])
				return WRDE_SYNTAX;
			r = add(w, *++s);
		} else if (blank(c)) {
			r = end_word(w);
		} else if (strchr("|&;<>(){}\n", c)) {
			return WRDE_BADCHAR;
		} else if (c == '~' && !w->open) {
			r = tilde(w, s, &used);
			if (!r && !used)
				r = add(w, c);
		} else {
			r = add(w, c);
		}
	}
	if (!r && dq)
		return WRDE_SYNTAX;
	return r ? r : end_word(w);
}

void wordfree(wordexp_t *we)
{
	size_t i;

	if (!we || !we->we_wordv)
		return;
	for (i = 0; i < we->we_wordc; i++)
		free(we->we_wordv[we->we_offs + i]);
	free(we->we_wordv);
	we->we_wordv = NULL;
	we->we_wordc = 0;
}

/* Puts the words after we's offsets and earlier words (WRDE_APPEND). */
static int store(wordexp_t *we, struct words *w, int flags)
{
	size_t offs = flags & WRDE_DOOFFS ? we->we_offs : 0;
	size_t old = flags & WRDE_APPEND ? we->we_wordc : 0;
	char **v;
	size_t i;

	v = realloc(flags & WRDE_APPEND ? we->we_wordv : NULL,
		    (offs + old + w->n + 1) * sizeof(*v));
	if (!v)
		return WRDE_NOSPACE;
	if (!(flags & WRDE_APPEND))
		for (i = 0; i < offs; i++)
			v[i] = NULL;
	memcpy(v + offs + old, w->v, w->n * sizeof(*v));
	v[offs + old + w->n] = NULL;
	we->we_wordv = v;
	we->we_wordc = old + w->n;
	we->we_offs = offs;
	return 0;
}

int wordexp(const char *s, wordexp_t *we, int flags)
{
	struct words w = { 0 };
	size_t i;
	int r;

	if (!s || !we)
		return WRDE_BADVAL;
	if (flags & WRDE_REUSE)
		wordfree(we);
	if (!(flags & WRDE_APPEND)) {
		we->we_wordc = 0;
		we->we_wordv = NULL;
	}
	r = split(&w, s, flags);
	if (!r)
		r = store(we, &w, flags);
	if (r)
		for (i = 0; i < w.n; i++)
			free(w.v[i]);
	free(w.v);
	free(w.buf);
	return r;
}
