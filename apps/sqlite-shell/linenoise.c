/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small line editor for SQLite's shell on the serial console: echo,
 * Backspace, Ctrl-U (erase the line), Ctrl-C (drop it), Ctrl-D (end of
 * input on an empty line), and a history in memory walked with the Up
 * and Down arrows. Lines end at CR or LF, so input piped into QEMU (the
 * tests) reads the same as typing. Escape sequences other than the
 * arrows are swallowed rather than inserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "linenoise.h"

#define HISTORY_DEFAULT	100

static char **history;
static int hist_len, hist_max = HISTORY_DEFAULT;

struct line {
	char *buf;
	size_t len, cap;
};

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void outs(const char *s)
{
	out(s, strlen(s));
}

static int getbyte(void)
{
	unsigned char c;

	return read(STDIN_FILENO, &c, 1) == 1 ? c : -1;
}

static int put(struct line *l, char c)
{
	if (l->len + 1 >= l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 128;
		char *p = realloc(l->buf, cap);

		if (!p)
			return -1;
		l->buf = p;
		l->cap = cap;
	}
	l->buf[l->len++] = c;
	l->buf[l->len] = '\0';
	return 0;
}

/* Replaces the line with history entry i (hist_len: an empty line). */
static void recall(struct line *l, const char *prompt, int i)
{
	const char *s = i < hist_len ? history[i] : "";

	l->len = 0;
	if (l->buf)
		l->buf[0] = '\0';
	while (*s && put(l, *s) == 0)
		s++;
	outs("\r");
	outs(prompt);
	out(l->buf ? l->buf : "", l->len);
	outs("\033[K");
}

/* After ESC: "[A" up, "[B" down; anything else is read and ignored. */
static int escape(void)
{
	int c = getbyte();

	if (c != '[' && c != 'O')
		return 0;
	c = getbyte();
	while (c >= '0' && c <= '9')	/* "ESC [ 3 ~" and the like */
		c = getbyte();
	return c;
}

char *linenoise(const char *prompt)
{
	struct line l = { NULL, 0, 0 };
	int at = hist_len, c;

	fflush(stdout);
	outs(prompt);
	if (put(&l, 'x') < 0)
		return NULL;
	l.len = 0;
	l.buf[0] = '\0';
	for (;;) {
		c = getbyte();
		if (c < 0 || (c == 4 && l.len == 0)) {	/* Ctrl-D */
			free(l.buf);
			outs("\n");
			return NULL;
		}
		if (c == '\r' || c == '\n')
			break;
		if (c == 127 || c == 8) {		/* Backspace */
			if (l.len) {
				l.buf[--l.len] = '\0';
				outs("\b \b");
			}
		} else if (c == 21) {			/* Ctrl-U */
			recall(&l, prompt, hist_len);
		} else if (c == 3) {			/* Ctrl-C */
			outs("^C\n");
			outs(prompt);
			l.len = 0;
			l.buf[0] = '\0';
			at = hist_len;
		} else if (c == 27) {
			c = escape();
			if (c == 'A' && at > 0)
				recall(&l, prompt, --at);
			else if (c == 'B' && at < hist_len)
				recall(&l, prompt, ++at);
		} else if (c >= 32 || c == '\t') {
			char ch = (char)c;

			if (put(&l, ch) < 0)
				break;
			out(&ch, 1);
		}
	}
	outs("\n");
	return l.buf;
}

int linenoiseHistoryAdd(const char *line)
{
	char *copy;

	if (hist_max <= 0 || !line || !*line)
		return 0;
	if (hist_len && !strcmp(history[hist_len - 1], line))
		return 0;
	if (!history) {
		history = calloc((size_t)hist_max, sizeof(*history));
		if (!history)
			return 0;
	}
	copy = strdup(line);
	if (!copy)
		return 0;
	if (hist_len == hist_max) {
		free(history[0]);
		memmove(history, history + 1, sizeof(*history) * (hist_len - 1));
		hist_len--;
	}
	history[hist_len++] = copy;
	return 1;
}

int linenoiseHistorySetMaxLen(int len)
{
	char **h;
	int i, drop;

	if (len < 1)
		return 0;
	if (history && len != hist_max) {
		drop = hist_len > len ? hist_len - len : 0;
		for (i = 0; i < drop; i++)
			free(history[i]);
		memmove(history, history + drop,
			sizeof(*history) * (hist_len - drop));
		hist_len -= drop;
		h = realloc(history, sizeof(*history) * (size_t)len);
		if (!h)
			return 0;
		history = h;
	}
	hist_max = len;
	return 1;
}

/* The history is kept for the session only: ~/.sqlite_history would be
 * written to a ramfs that goes away with the image. */
int linenoiseHistorySave(const char *filename)
{
	(void)filename;
	return 0;
}

int linenoiseHistoryLoad(const char *filename)
{
	(void)filename;
	return 0;
}

void linenoiseSetCompletionCallback(linenoiseCompletionCallback *fn)
{
	(void)fn;
}

void linenoiseAddCompletion(linenoiseCompletions *lc, const char *str)
{
	(void)lc;
	(void)str;
}
