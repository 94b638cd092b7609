/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The line-editing interface SQLite's shell.c calls when built with
 * HAVE_LINENOISE (the names of the linenoise library's API), implemented
 * by linenoise.c for Cairn's serial console: QEMU puts the host's
 * terminal in raw mode, so without this nothing typed would be echoed.
 */
#ifndef CAIRN_SQLITE_SHELL_LINENOISE_H
#define CAIRN_SQLITE_SHELL_LINENOISE_H

#include <stddef.h>

typedef struct linenoiseCompletions {
	size_t len;
	char **cvec;
} linenoiseCompletions;

typedef void linenoiseCompletionCallback(const char *,
					 linenoiseCompletions *);

/* Reads one line after printing prompt: a malloc'ed string without its
 * newline, or NULL at end of input (Ctrl-D on an empty line). */
char *linenoise(const char *prompt);
int linenoiseHistoryAdd(const char *line);
int linenoiseHistorySetMaxLen(int len);
int linenoiseHistorySave(const char *filename);
int linenoiseHistoryLoad(const char *filename);
/* Tab completion is not offered: the callback is accepted and unused. */
void linenoiseSetCompletionCallback(linenoiseCompletionCallback *fn);
void linenoiseAddCompletion(linenoiseCompletions *lc, const char *str);

#endif
