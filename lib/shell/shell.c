/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shell's run loop: prompt, read keys into the line editor, split the
 * finished line into words, run the command with its output on the
 * console or in a file. Input comes through struct shell_io, so the same
 * loop serves the console (console.c) and the unit tests. Nothing typed
 * reaches a command unchecked: a line that does not parse, an unknown
 * command or a failed redirection prints one line and the prompt comes
 * back.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/param.h>
#include <cairn/sched.h>
#include <cairn/shell.h>
#include <cairn/table.h>
#include "shell_priv.h"

CN_TABLE_DECLARE(cn_shell_cmds, struct cn_shell_cmd);

static int columns = 80;	/* the terminal's width */

static int parse_columns(const char *val)
{
	char *end;
	long n = strtol(val, &end, 10);

	if (!*val || *end)
		return -EINVAL;
	if (n < 20 || n > 1000)
		return -ERANGE;
	columns = (int)n;
	return 0;
}
CN_PARAM_FN(shell, columns, parse_columns,
	    "terminal width for line editing, 20-1000 (default 80)");

struct cn_shell *cn_shell_new(const struct shell_io *io)
{
	struct cn_shell *sh = calloc(1, sizeof(*sh));

	if (!sh)
		return NULL;
	sh->io = io;
	sh->prompt = CONFIG_LIB_SHELL_PROMPT;
	sh->out_fd = -1;
	sh->cols = (size_t)columns;
	sh->plen = strlen(sh->prompt);
	return sh;
}

void cn_shell_free(struct cn_shell *sh)
{
	free(sh);
}

void cn_shell_console_write(struct cn_shell *sh, const char *s, size_t len)
{
	sh->io->write(sh->io->ctx, s, len);
}

void cn_shell_console_puts(struct cn_shell *sh, const char *s)
{
	cn_shell_console_write(sh, s, strlen(s));
}

/* Typeahead kept while a command ran comes first. */
int cn_shell_getc(struct cn_shell *sh)
{
	if (sh->ahead_r != sh->ahead_w)
		return sh->ahead[sh->ahead_r++ % SHELL_AHEAD];
	return sh->io->getc(sh->io->ctx);
}

int cn_shell_interrupted(struct cn_shell *sh)
{
	int c;

	/* Commands call this in their loops: let the app's threads run. */
	cn_thread_yield();
	while (!sh->interrupted && (c = sh->io->getc(sh->io->ctx)) >= 0) {
		if (c == 3)
			sh->interrupted = 1;
		else if (sh->ahead_w - sh->ahead_r < SHELL_AHEAD)
			sh->ahead[sh->ahead_w++ % SHELL_AHEAD] =
				(unsigned char)c;
	}
	return sh->interrupted;
}

static void vformat(struct cn_shell *sh, int console, const char *fmt,
		    va_list ap)
{
	char buf[256], *p = buf;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf)) {
		p = malloc((size_t)n + 1);
		if (p)
			vsnprintf(p, (size_t)n + 1, fmt, ap2);
		else
			p = buf, n = sizeof(buf) - 1;
	}
	va_end(ap2);
	if (n > 0) {
		if (console)
			cn_shell_console_write(sh, p, (size_t)n);
		else
			cn_shell_write(sh, p, (size_t)n);
	}
	if (p != buf)
		free(p);
}

void cn_shell_write(struct cn_shell *sh, const void *buf, size_t len)
{
	if (sh->out_fd >= 0)
		cn_shell_redirect_write(sh->out_fd, buf, len);
	else
		cn_shell_console_write(sh, buf, len);
}

void cn_shell_printf(struct cn_shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(sh, 0, fmt, ap);
	va_end(ap);
}

int cn_shell_error(struct cn_shell *sh, const char *fmt, ...)
{
	va_list ap;

	cn_shell_console_puts(sh, sh->cmd ? sh->cmd->name : "shell");
	cn_shell_console_puts(sh, ": ");
	va_start(ap, fmt);
	vformat(sh, 1, fmt, ap);
	va_end(ap);
	cn_shell_console_puts(sh, "\n");
	return 1;
}

int cn_shell_usage(struct cn_shell *sh)
{
	if (!sh->cmd)
		return 2;
	cn_shell_console_puts(sh, "usage: ");
	cn_shell_console_puts(sh, sh->cmd->name);
	if (sh->cmd->usage && *sh->cmd->usage) {
		cn_shell_console_puts(sh, " ");
		cn_shell_console_puts(sh, sh->cmd->usage);
	}
	cn_shell_console_puts(sh, "\n");
	return 2;
}

const struct cn_shell_cmd *cn_shell_find(const char *name)
{
	cn_table_foreach(cn_shell_cmds, struct cn_shell_cmd, c)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cn_shell_foreach_cmd(void (*fn)(const struct cn_shell_cmd *c, void *arg),
			  void *arg)
{
	cn_table_foreach(cn_shell_cmds, struct cn_shell_cmd, c)
		if (cn_shell_find(c->name) == c)	/* first of a name */
			fn(c, arg);
}

/* One word: quotes and backslashes removed. Returns 0 or -1 (*err). */
static int parse_word(const char **rp, char **wp, const char **err)
{
	const char *r = *rp;
	char *w = *wp;

	while (*r && *r != ' ' && *r != '\t' && *r != '>') {
		if (*r == '\'' || *r == '"') {
			char q = *r++;

			while (*r && *r != q) {
				if (q == '"' && *r == '\\' &&
				    (r[1] == '"' || r[1] == '\\'))
					r++;
				*w++ = *r++;
			}
			if (!*r) {
				*err = "unterminated quote";
				return -1;
			}
			r++;
		} else if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r++;
		} else {
			*w++ = *r++;
		}
	}
	*w++ = '\0';
	*rp = r;
	*wp = w;
	return 0;
}

int cn_shell_parse(const char *line, char *out, char **argv, int max,
		   const char **redir, int *append, const char **err)
{
	const char *r = line;
	char *w = out;
	int argc = 0, want_file = 0;

	*redir = NULL;
	*append = 0;
	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			break;
		if (*r == '>') {
			if (*redir || want_file) {
				*err = "only one > per line";
				return -1;
			}
			*append = r[1] == '>';
			r += 1 + *append;
			want_file = 1;
			continue;
		}
		if (!want_file && argc >= max - 1) {
			*err = "too many arguments";
			return -1;
		}
		if (want_file)
			*redir = w;
		else
			argv[argc++] = w;
		if (parse_word(&r, &w, err))
			return -1;
		want_file = 0;
	}
	if (want_file) {
		*err = "> needs a file name";
		return -1;
	}
	if (*redir && !**redir) {
		*err = "> needs a file name";
		return -1;
	}
	argv[argc] = NULL;
	return argc;
}

static int run_parsed(struct cn_shell *sh, int argc, char **argv,
		      const char *redir, int append)
{
	const struct cn_shell_cmd *cmd;
	int fd = -1, rc;

	if (argc == 0) {
		if (!redir)
			return 0;
		cn_shell_error(sh, "> needs a command before it");
		return 2;
	}
	cmd = cn_shell_find(argv[0]);
	if (!cmd) {
		cn_shell_error(sh, "unknown command '%.40s' (help lists the "
			       "commands)", argv[0]);
		return 127;
	}
	if (redir) {
		fd = cn_shell_redirect_open(redir, append);
		if (fd == -ENOSYS) {
			cn_shell_error(sh, "> needs files: select lib/vfs");
			return 1;
		}
		if (fd < 0) {
			cn_shell_error(sh, "cannot write '%.80s': %s", redir,
				       strerror(-fd));
			return 1;
		}
	}
	sh->cmd = cmd;
	sh->out_fd = fd;
	sh->interrupted = 0;
	rc = cmd->fn(sh, argc, argv);
	if (sh->interrupted)
		cn_shell_console_puts(sh, "^C\n");
	sh->cmd = NULL;
	sh->out_fd = -1;
	if (fd >= 0)
		cn_shell_redirect_close(fd);
	return rc;
}

int cn_shell_run_line(struct cn_shell *sh, const char *line)
{
	size_t len = strlen(line);
	char *argv[SHELL_ARGS_MAX + 1];
	char stack_out[2 * SHELL_LINE_MAX + 2], *out = stack_out;
	const char *redir, *err = NULL;
	int append, argc, rc;

	if (2 * len + 2 > sizeof(stack_out)) {
		out = malloc(2 * len + 2);
		if (!out) {
			cn_shell_error(sh, "out of memory");
			return 1;
		}
	}
	argc = cn_shell_parse(line, out, argv, SHELL_ARGS_MAX + 1, &redir,
			      &append, &err);
	if (argc < 0) {
		cn_shell_error(sh, "%s", err);
		rc = 2;
	} else {
		rc = run_parsed(sh, argc, argv, redir, append);
	}
	if (out != stack_out)
		free(out);
	sh->status = rc;
	return rc;
}

void cn_shell_run(struct cn_shell *sh)
{
	for (;;) {
		int c, r = SHELL_EDIT_MORE;

		cn_shell_edit_start(sh);
		while (r == SHELL_EDIT_MORE) {
			c = cn_shell_getc(sh);
			if (c == -EAGAIN) {
				sh->io->idle(sh->io->ctx);
				continue;
			}
			if (c < 0)
				return;
			r = cn_shell_edit_key(sh, c);
		}
		if (r == SHELL_EDIT_TOO_LONG) {
			/* What is left of it is not what was typed. */
			cn_shell_error(sh, "line too long (over %d bytes): "
				       "not run", SHELL_LINE_MAX);
			sh->status = 2;
		} else if (r == SHELL_EDIT_LINE) {
			char line[SHELL_LINE_MAX + 1];

			memcpy(line, sh->line, sh->len + 1);
			cn_shell_history_add(sh, line);
			cn_shell_run_line(sh, line);
		}
	}
}
