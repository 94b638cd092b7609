/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to lib/shell: one shell's state, shared by the run loop
 * (shell.c), the line editor (edit.c), the console glue (console.c) and
 * the commands. The unit tests drive a shell through a fake struct
 * shell_io.
 */
#ifndef SHELL_PRIV_H
#define SHELL_PRIV_H

#include <stddef.h>
#include <cairn/shell.h>

#define SHELL_LINE_MAX	CONFIG_LIB_SHELL_LINE_MAX
#define SHELL_HISTORY	CONFIG_LIB_SHELL_HISTORY
#define SHELL_ARGS_MAX	32
#define SHELL_AHEAD	64

struct shell_io {
	/*
	 * The next input byte (0-255); -EAGAIN when none is waiting; any
	 * other negative value ends the shell (tests: end of input).
	 */
	int (*getc)(void *ctx);
	/* Waits a little for input (the console: sleeps, never spins). */
	void (*idle)(void *ctx);
	void (*write)(void *ctx, const char *buf, size_t len);
	void *ctx;
};

struct cn_shell {
	const struct shell_io *io;
	const char *prompt;

	/* The line being edited: len bytes, the cursor at pos. */
	char line[SHELL_LINE_MAX + 1];
	size_t len, pos;
	int esc;			/* escape-sequence state (edit.c) */
	char esc_arg[8];
	size_t esc_len;
	int prev;			/* the byte before, for CR LF */
	int overflow;			/* bytes were dropped: a full line */
	/* The terminal: its width, the prompt's, the cursor's row. */
	size_t cols, plen, row;

	/* History: hist_n lines, the newest at (hist_head - 1). */
	char hist[SHELL_HISTORY][SHELL_LINE_MAX + 1];
	unsigned int hist_n, hist_head;
	unsigned int browse;		/* 0: new line, k: k-th newest */
	char saved[SHELL_LINE_MAX + 1];	/* the new line while browsing */

	/* Bytes typed while a command ran, for the next prompt. */
	unsigned char ahead[SHELL_AHEAD];
	unsigned int ahead_r, ahead_w;
	int interrupted;

	/* The running command and where its output goes (-1: console). */
	const struct cn_shell_cmd *cmd;
	int out_fd;
	int status;			/* of the last command */
};

/* What edit_key() says about the byte it took. */
enum {
	SHELL_EDIT_MORE,		/* keep reading */
	SHELL_EDIT_LINE,		/* Enter: sh->line is complete */
	SHELL_EDIT_CANCEL,		/* Ctrl-C: the line is dropped */
	SHELL_EDIT_TOO_LONG,		/* Enter on a line that lost bytes */
};

/* Candidates for tab completion (edit.c collects, files.c adds paths). */
struct shell_comp {
	const char *base;		/* what a candidate must start with */
	size_t base_len;
	unsigned int n;
	int single_dir;			/* the one candidate is a dir */
	char common[SHELL_LINE_MAX + 1];	/* longest common prefix */
	char list[1024];		/* "a  b/  c" for display */
	size_t list_len;
};

/* shell.c */
struct cn_shell *cn_shell_new(const struct shell_io *io);
void cn_shell_free(struct cn_shell *sh);
/* Runs the prompt loop until io->getc ends it. */
void cn_shell_run(struct cn_shell *sh);
int cn_shell_run_line(struct cn_shell *sh, const char *line);
/*
 * Splits line into words in out (at least 2 * strlen(line) + 2 bytes):
 * quotes ' and ", backslash escapes, `> file` and `>> file`. Returns
 * argc, or -1 with *err set.
 */
int cn_shell_parse(const char *line, char *out, char **argv, int max,
		   const char **redir, int *append, const char **err);
const struct cn_shell_cmd *cn_shell_find(const char *name);
void cn_shell_console_write(struct cn_shell *sh, const char *s, size_t len);
void cn_shell_console_puts(struct cn_shell *sh, const char *s);
int cn_shell_getc(struct cn_shell *sh);
/* Runs fn for every registered command, in name order. */
void cn_shell_foreach_cmd(void (*fn)(const struct cn_shell_cmd *c, void *arg),
			  void *arg);

/* edit.c */
void cn_shell_edit_start(struct cn_shell *sh);
int cn_shell_edit_key(struct cn_shell *sh, int c);
void cn_shell_history_add(struct cn_shell *sh, const char *line);
/* The k-th newest history line (1: the newest), NULL if none. */
const char *cn_shell_history_get(struct cn_shell *sh, unsigned int k);
void cn_shell_comp_add(struct shell_comp *c, const char *name, int is_dir);

/* files.c (files_none.c without lib/vfs) */
void cn_shell_complete_path(struct cn_shell *sh, const char *word,
			    struct shell_comp *c);
/* Opens the target of `>` / `>>`: a descriptor or -errno. */
int cn_shell_redirect_open(const char *path, int append);
void cn_shell_redirect_write(int fd, const void *buf, size_t len);
void cn_shell_redirect_close(int fd);

#endif
