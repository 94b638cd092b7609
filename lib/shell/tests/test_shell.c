/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/shell through a fake console: the parser, the editor's keys and
 * escape sequences, history, completion, running commands (a command
 * registered here, unknown ones, redirection) and random input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/shell.h>
#include <cairn/test.h>
#include "../shell_priv.h"

struct fake {
	const char *in;
	size_t len, pos;
	char out[8192];
	size_t out_len;
};

static int fake_getc(void *ctx)
{
	struct fake *f = ctx;

	return f->pos < f->len ? (unsigned char)f->in[f->pos++] : -EPIPE;
}

static void fake_idle(void *ctx)
{
	(void)ctx;
}

static void fake_write(void *ctx, const char *buf, size_t len)
{
	struct fake *f = ctx;

	if (len > sizeof(f->out) - 1 - f->out_len)
		len = sizeof(f->out) - 1 - f->out_len;
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
	f->out[f->out_len] = '\0';
}

static struct fake fk;
static const struct shell_io fake_io = {
	.getc = fake_getc, .idle = fake_idle, .write = fake_write, .ctx = &fk,
};

static struct cn_shell *fresh(const char *in, size_t len)
{
	memset(&fk, 0, sizeof(fk));
	fk.in = in;
	fk.len = len;
	return cn_shell_new(&fake_io);
}

/* Feeds keys to the editor; returns the last edit result. */
static int keys(struct cn_shell *sh, const char *k)
{
	int r = SHELL_EDIT_MORE;

	for (; *k; k++)
		r = cn_shell_edit_key(sh, (unsigned char)*k);
	return r;
}

static char seen[256];
static int seen_argc, zz_runs;

static int cmd_zz_test(struct cn_shell *sh, int argc, char **argv)
{
	int i;

	zz_runs++;
	seen_argc = argc;
	seen[0] = '\0';
	for (i = 1; i < argc; i++)
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen),
			 "[%s]", argv[i]);
	cn_shell_printf(sh, "zz %d\n", argc);
	return argc > 3 ? cn_shell_usage(sh) : 0;
}
CN_SHELL_CMD(zz_test, cmd_zz_test, "[a] [b]", "unit-test command");

CN_TEST(shell, parse_words_quotes_and_escapes)
{
	char out[128], *argv[8];
	const char *redir, *err = NULL;
	int append;
	int n = cn_shell_parse("  ls  -l 'a b' \"c \\\"d\\\"\" e\\ f \"\"", out,
			       argv, 8, &redir, &append, &err);

	CN_ASSERT_EQ(n, 6);
	CN_EXPECT_STREQ(argv[0], "ls");
	CN_EXPECT_STREQ(argv[1], "-l");
	CN_EXPECT_STREQ(argv[2], "a b");
	CN_EXPECT_STREQ(argv[3], "c \"d\"");
	CN_EXPECT_STREQ(argv[4], "e f");
	CN_EXPECT_STREQ(argv[5], "");
	CN_EXPECT_NULL(argv[6]);
	CN_EXPECT_NULL(redir);
}

CN_TEST(shell, parse_redirections)
{
	char out[128], *argv[8];
	const char *redir, *err = NULL;
	int append;

	CN_ASSERT_EQ(cn_shell_parse("echo hi>/tmp/x", out, argv, 8, &redir,
				    &append, &err), 2);
	CN_EXPECT_STREQ(redir, "/tmp/x");
	CN_EXPECT_EQ(append, 0);
	CN_ASSERT_EQ(cn_shell_parse("echo a >> 'f g' b", out, argv, 8,
				    &redir, &append, &err), 3);
	CN_EXPECT_STREQ(redir, "f g");
	CN_EXPECT_EQ(append, 1);
	CN_EXPECT_STREQ(argv[2], "b");
}

CN_TEST(shell, parse_errors_are_named)
{
	char out[256], *argv[4];
	const char *redir, *err = NULL;
	int append;

	CN_EXPECT_EQ(cn_shell_parse("echo 'open", out, argv, 4, &redir,
				    &append, &err), -1);
	CN_EXPECT_STREQ(err, "unterminated quote");
	CN_EXPECT_EQ(cn_shell_parse("echo >", out, argv, 4, &redir, &append,
				    &err), -1);
	CN_EXPECT_STREQ(err, "> needs a file name");
	CN_EXPECT_EQ(cn_shell_parse("echo > a > b", out, argv, 4, &redir,
				    &append, &err), -1);
	CN_EXPECT_STREQ(err, "only one > per line");
	CN_EXPECT_EQ(cn_shell_parse("a b c d e", out, argv, 4, &redir,
				    &append, &err), -1);
	CN_EXPECT_STREQ(err, "too many arguments");
	CN_EXPECT_EQ(cn_shell_parse("   ", out, argv, 4, &redir, &append,
				    &err), 0);
}

CN_TEST(shell, editor_moves_inserts_and_deletes)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	/* "abc", Left Left, X: aXbc; End (ESC [ F), Backspace: aXb */
	CN_EXPECT_EQ(keys(sh, "abc\x1b[D\x1b[DX\x1b[F\x7f"), SHELL_EDIT_MORE);
	CN_EXPECT_STREQ(sh->line, "aXb");
	/* Home (ESC [ 1 ~), Delete (ESC [ 3 ~), Ctrl-E, Ctrl-H */
	keys(sh, "\x1b[1~\x1b[3~\x05\x08");
	CN_EXPECT_STREQ(sh->line, "X");
	/* SS3 Home (ESC O H), Ctrl-F, Ctrl-B, Ctrl-D at the end is nothing */
	keys(sh, "\x1bOHy\x06\x02\x06\x04");
	CN_EXPECT_STREQ(sh->line, "yX");
	CN_EXPECT_EQ(sh->pos, 2);
	cn_shell_free(sh);
}

CN_TEST(shell, editor_cuts_words_and_lines)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	keys(sh, "one two  three\x17");		/* Ctrl-W */
	CN_EXPECT_STREQ(sh->line, "one two  ");
	/* Ctrl-A, Ctrl-F three times, Ctrl-K */
	keys(sh, "\x01\x06\x06\x06\x0b");
	CN_EXPECT_STREQ(sh->line, "one");
	keys(sh, "\x02\x15");			/* Ctrl-B, Ctrl-U */
	CN_EXPECT_STREQ(sh->line, "e");
	CN_EXPECT_EQ(sh->pos, 0);
	cn_shell_free(sh);
}

CN_TEST(shell, enter_cr_lf_and_ctrl_c)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	CN_EXPECT_EQ(keys(sh, "ls\r"), SHELL_EDIT_LINE);
	CN_EXPECT_STREQ(sh->line, "ls");
	cn_shell_edit_start(sh);
	/* The LF of CR LF is no second Enter. */
	CN_EXPECT_EQ(keys(sh, "\n"), SHELL_EDIT_MORE);
	CN_EXPECT_EQ(keys(sh, "x\n"), SHELL_EDIT_LINE);
	cn_shell_edit_start(sh);
	CN_EXPECT_EQ(keys(sh, "abc\x03"), SHELL_EDIT_CANCEL);
	CN_EXPECT_STREQ(sh->line, "");
	CN_EXPECT_TRUE(strstr(fk.out, "^C\n") != NULL);
	cn_shell_free(sh);
}

CN_TEST(shell, odd_bytes_and_unknown_sequences_are_dropped)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	/* Non-ASCII, NUL-like controls, an unknown CSI, Alt-x, a CSI cut
	 * short by a control byte (the byte then counts on its own). */
	keys(sh, "a\xc3\xa9\x80\xff\x1b[99;5Zb\x1bxc\x1b[1\x07"
		 "d\x1b[123456789Ce");
	CN_EXPECT_STREQ(sh->line, "abcde");
	cn_shell_free(sh);
}

CN_TEST(shell, line_never_overflows)
{
	struct cn_shell *sh = fresh("", 0);
	unsigned int i;

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	for (i = 0; i < 3 * SHELL_LINE_MAX; i++)
		cn_shell_edit_key(sh, i % 3 ? 'a' : 0x02);	/* Ctrl-B */
	CN_EXPECT_EQ(sh->len, SHELL_LINE_MAX);
	CN_EXPECT_EQ(strlen(sh->line), SHELL_LINE_MAX);
	cn_shell_free(sh);
}

CN_TEST(shell, a_line_over_the_limit_is_refused_not_cut)
{
	static char in[2 * SHELL_LINE_MAX + 64];
	struct cn_shell *sh;
	size_t n = 0;

	/* "zz_test aaaa...": too long; then a line of exactly the limit. */
	n += (size_t)snprintf(in, sizeof(in), "zz_test ");
	memset(in + n, 'a', SHELL_LINE_MAX);
	n += SHELL_LINE_MAX;
	in[n++] = '\r';
	n += (size_t)snprintf(in + n, sizeof(in) - n, "zz_test ");
	memset(in + n, 'b', SHELL_LINE_MAX - 8);
	n += SHELL_LINE_MAX - 8;
	in[n++] = '\r';
	sh = fresh(in, n);
	CN_ASSERT_NOT_NULL(sh);
	zz_runs = 0;
	seen[0] = '\0';
	cn_shell_run(sh);
	CN_EXPECT_EQ(zz_runs, 1);
	CN_EXPECT_EQ(seen[1], 'b');
	CN_EXPECT_EQ(strlen(seen), SHELL_LINE_MAX - 8 + 2);
	CN_EXPECT_TRUE(strstr(fk.out, "shell: line too long (over ") != NULL);
	CN_EXPECT_EQ(sh->hist_n, 1);		/* only the line that ran */
	/* Emptying the line forgets the overflow. */
	cn_shell_edit_start(sh);
	for (n = 0; n < SHELL_LINE_MAX + 5; n++)
		cn_shell_edit_key(sh, 'c');
	CN_EXPECT_EQ(keys(sh, "\x15zz_test\r"), SHELL_EDIT_LINE);
	cn_shell_edit_start(sh);
	for (n = 0; n < SHELL_LINE_MAX + 5; n++)
		cn_shell_edit_key(sh, 'c');
	CN_EXPECT_EQ(keys(sh, "\r"), SHELL_EDIT_TOO_LONG);
	cn_shell_free(sh);
}

/* The output since the last reset, for checking escape sequences. */
static const char *drawn(void)
{
	return fk.out;
}

CN_TEST(shell, history_redraw_clears_every_row_of_a_wrapped_line)
{
	struct cn_shell *sh = fresh("", 0);
	char longer[121], expect[64];

	CN_ASSERT_NOT_NULL(sh);
	CN_ASSERT_EQ(sh->cols, 80);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	cn_shell_history_add(sh, longer);	/* prompt + 120: two rows */
	cn_shell_history_add(sh, "ls");
	cn_shell_edit_start(sh);
	keys(sh, "\x1b[A\x1b[A");		/* the long one */
	CN_EXPECT_STREQ(sh->line, longer);
	CN_EXPECT_EQ(sh->row, 1);
	fk.out_len = 0;
	keys(sh, "\x1b[B");			/* back to "ls" */
	/* Up one row to the prompt's, then redraw and erase below. */
	snprintf(expect, sizeof(expect), "\x1b[1A\r%sls\x1b[J",
		 CONFIG_LIB_SHELL_PROMPT);
	CN_EXPECT_STREQ(drawn(), expect);
	CN_EXPECT_EQ(sh->row, 0);
	/* Home on the long line: up to the first row, right past the prompt. */
	keys(sh, "\x1b[A");
	fk.out_len = 0;
	keys(sh, "\x1b[H");
	snprintf(expect, sizeof(expect), "\x1b[1A\r\x1b[%zuC",
		 strlen(CONFIG_LIB_SHELL_PROMPT));
	CN_EXPECT_TRUE(strstr(drawn(), expect) != NULL);
	CN_EXPECT_EQ(sh->row, 0);
	cn_shell_free(sh);
}

CN_TEST(shell, typing_to_the_last_column_moves_to_the_next_row)
{
	struct cn_shell *sh = fresh("", 0);
	size_t i, fill = 80 - strlen(CONFIG_LIB_SHELL_PROMPT);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	for (i = 0; i + 1 < fill; i++)
		cn_shell_edit_key(sh, 'y');
	CN_EXPECT_EQ(sh->row, 0);
	fk.out_len = 0;
	cn_shell_edit_key(sh, 'z');		/* the 80th column */
	CN_EXPECT_STREQ(drawn(), "z\r\n");
	CN_EXPECT_EQ(sh->row, 1);
	fk.out_len = 0;
	cn_shell_edit_key(sh, 0x7f);		/* back over the row's start */
	CN_EXPECT_EQ(sh->row, 0);
	CN_EXPECT_TRUE(strstr(drawn(), "\x1b[1A\r") == drawn());
	cn_shell_free(sh);
}

CN_TEST(shell, history_browses_and_keeps_the_new_line)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_history_add(sh, "first");
	cn_shell_history_add(sh, "second");
	cn_shell_history_add(sh, "second");	/* a repeat is kept once */
	cn_shell_history_add(sh, "   ");	/* blank: not kept */
	CN_EXPECT_EQ(sh->hist_n, 2);
	cn_shell_edit_start(sh);
	keys(sh, "new");
	keys(sh, "\x1b[A");
	CN_EXPECT_STREQ(sh->line, "second");
	keys(sh, "\x1b[A\x1b[A");		/* past the oldest: stays */
	CN_EXPECT_STREQ(sh->line, "first");
	keys(sh, "\x1b[B");
	CN_EXPECT_STREQ(sh->line, "second");
	keys(sh, "\x0e");			/* Ctrl-N */
	CN_EXPECT_STREQ(sh->line, "new");
	keys(sh, "\x1b[B");
	CN_EXPECT_STREQ(sh->line, "new");
	cn_shell_free(sh);
}

CN_TEST(shell, history_wraps_around)
{
	struct cn_shell *sh = fresh("", 0);
	char line[16];
	unsigned int i;

	CN_ASSERT_NOT_NULL(sh);
	for (i = 0; i < SHELL_HISTORY + 5; i++) {
		snprintf(line, sizeof(line), "cmd%u", i);
		cn_shell_history_add(sh, line);
	}
	CN_EXPECT_EQ(sh->hist_n, SHELL_HISTORY);
	snprintf(line, sizeof(line), "cmd%u", SHELL_HISTORY + 4);
	CN_EXPECT_STREQ(cn_shell_history_get(sh, 1), line);
	CN_EXPECT_STREQ(cn_shell_history_get(sh, SHELL_HISTORY), "cmd5");
	CN_EXPECT_NULL(cn_shell_history_get(sh, SHELL_HISTORY + 1));
	cn_shell_free(sh);
}

CN_TEST(shell, tab_completes_command_names)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_edit_start(sh);
	keys(sh, "zz_t\t");
	CN_EXPECT_STREQ(sh->line, "zz_test ");
	cn_shell_edit_start(sh);
	fk.out_len = 0;
	keys(sh, "r\t");		/* reboot, rm, rmdir...: a list */
	CN_EXPECT_TRUE(strstr(fk.out, "rmdir") != NULL);
	CN_EXPECT_TRUE(strstr(fk.out, "reboot") != NULL);
	cn_shell_edit_start(sh);
	keys(sh, "rmd\t");
	CN_EXPECT_STREQ(sh->line, "rmdir ");
	cn_shell_edit_start(sh);
	keys(sh, "qqq\t");		/* nothing: the line stays */
	CN_EXPECT_STREQ(sh->line, "qqq");
	cn_shell_free(sh);
}

CN_TEST(shell, runs_registered_commands_with_arguments)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	CN_EXPECT_EQ(cn_shell_run_line(sh, "zz_test one 'two words'"), 0);
	CN_EXPECT_EQ(seen_argc, 3);
	CN_EXPECT_STREQ(seen, "[one][two words]");
	CN_EXPECT_TRUE(strstr(fk.out, "zz 3\n") != NULL);
	fk.out_len = 0;
	CN_EXPECT_EQ(cn_shell_run_line(sh, "zz_test a b c"), 2);
	CN_EXPECT_TRUE(strstr(fk.out, "usage: zz_test [a] [b]\n") != NULL);
	fk.out_len = 0;
	cn_shell_run_line(sh, "help");
	CN_EXPECT_TRUE(strstr(fk.out, "zz_test [a] [b]") != NULL);
	CN_EXPECT_TRUE(strstr(fk.out, "unit-test command") != NULL);
	cn_shell_free(sh);
}

CN_TEST(shell, unknown_commands_and_bad_lines_print_one_line)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	CN_EXPECT_EQ(cn_shell_run_line(sh, "nosuch arg"), 127);
	CN_EXPECT_STREQ(fk.out, "shell: unknown command 'nosuch' (help "
			"lists the commands)\n");
	fk.out_len = 0;
	CN_EXPECT_EQ(cn_shell_run_line(sh, "echo \"x"), 2);
	CN_EXPECT_STREQ(fk.out, "shell: unterminated quote\n");
	fk.out_len = 0;
	CN_EXPECT_EQ(cn_shell_run_line(sh, "kill x"), 1);
	CN_EXPECT_STREQ(fk.out, "kill: 'x' is not a thread id (ps lists "
			"them)\n");
	fk.out_len = 0;
	CN_EXPECT_EQ(cn_shell_run_line(sh, "kill 99999"), 1);
	CN_EXPECT_STREQ(fk.out, "kill: no thread 99999\n");
	fk.out_len = 0;
	CN_EXPECT_EQ(cn_shell_run_line(sh, "log loud"), 2);
	CN_EXPECT_TRUE(strstr(fk.out, "log: unknown level 'loud'") != NULL);
	cn_shell_free(sh);
}

CN_TEST(shell, ps_and_free_show_this_thread_and_the_heap)
{
	struct cn_shell *sh = fresh("", 0);

	CN_ASSERT_NOT_NULL(sh);
	CN_EXPECT_EQ(cn_shell_run_line(sh, "ps"), 0);
	CN_EXPECT_TRUE(strstr(fk.out, "STATE") != NULL);
	CN_EXPECT_TRUE(strstr(fk.out, "running") != NULL);
	fk.out_len = 0;
	CN_EXPECT_EQ(cn_shell_run_line(sh, "free -b"), 0);
	CN_EXPECT_TRUE(strstr(fk.out, "allocs") != NULL);
	cn_shell_free(sh);
}

CN_TEST(shell, run_loop_ends_with_its_input)
{
	static const char in[] = "zz_test x\r\x1b[A\r\x03" "echo\r";
	struct cn_shell *sh = fresh(in, sizeof(in) - 1);

	CN_ASSERT_NOT_NULL(sh);
	seen_argc = 0;
	cn_shell_run(sh);		/* returns at the end of the input */
	CN_EXPECT_EQ(seen_argc, 2);
	CN_EXPECT_EQ(sh->hist_n, 2);	/* "zz_test x" once, "echo" */
	CN_EXPECT_STREQ(cn_shell_history_get(sh, 1), "echo");
	cn_shell_free(sh);
}

CN_TEST(shell, random_keys_never_break_the_editor)
{
	struct cn_shell *sh = fresh("", 0);
	unsigned int seed = 12345, i;

	CN_ASSERT_NOT_NULL(sh);
	cn_shell_history_add(sh, "zz_test old");
	cn_shell_edit_start(sh);
	for (i = 0; i < 20000; i++) {
		int c;

		seed = seed * 1103515245u + 12345u;
		c = (int)(seed >> 16) & 0xff;
		if (c == '\r' || c == '\n' || c == 3 || c == '\t')
			c = 'k';	/* no commands run, no listing */
		fk.out_len = 0;
		cn_shell_edit_key(sh, c);
		CN_ASSERT_TRUE(sh->len <= SHELL_LINE_MAX);
		CN_ASSERT_TRUE(sh->pos <= sh->len);
		CN_ASSERT_EQ(strlen(sh->line), sh->len);
	}
	cn_shell_free(sh);
}
