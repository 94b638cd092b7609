/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An interactive shell on the serial console: a prompt with line editing
 * (arrows, history, tab completion), built-in commands (help, ls, cat,
 * ps, kill, free, log, ...) and any command a library or app registers
 * where it is written:
 *
 *	static int cmd_hello(struct cn_shell *sh, int argc, char **argv)
 *	{
 *		if (argc > 2)
 *			return cn_shell_usage(sh);
 *		cn_shell_printf(sh, "hello, %s\n",
 *				argc > 1 ? argv[1] : "world");
 *		return 0;
 *	}
 *	CN_SHELL_CMD(hello, cmd_hello, "[name]", "say hello");
 *
 * `help` lists every command with its one-line help, in name order.
 *
 * A command runs in the shell's thread. It writes its output with
 * cn_shell_printf()/cn_shell_write() (which follow a `> file`
 * redirection), reports a problem with cn_shell_error() (one line, to
 * the console) and returns 0 for success or a non-zero status. A
 * command that loops or waits should check cn_shell_interrupted() (the
 * user typed Ctrl-C) now and then. Commands must check their arguments:
 * nothing typed at the prompt may crash the image.
 */
#ifndef CAIRN_SHELL_H
#define CAIRN_SHELL_H

#include <stddef.h>
#include <cairn/compiler.h>
#include <cairn/table.h>

struct cn_shell;

typedef int (*cn_shell_cmd_fn)(struct cn_shell *sh, int argc, char **argv);

struct cn_shell_cmd {
	const char *name;
	const char *usage;	/* the arguments, e.g. "[-l] [dir...]" */
	const char *help;	/* one line for `help` */
	cn_shell_cmd_fn fn;
};

/*
 * Registers the command name (a C identifier, also the word typed) run
 * by fn. Two commands of the same name: the first in name order of the
 * registering files wins.
 */
#define CN_SHELL_CMD(name_, fn_, usage_, help_)				\
	CN_TABLE_ENTRY(cn_shell_cmds, struct cn_shell_cmd, name_) = {	\
		.name = #name_, .usage = usage_, .help = help_,		\
		.fn = fn_,						\
	}

/* Output of the running command: the console, or the file after `>`. */
CN_PRINTF(2, 3) void cn_shell_printf(struct cn_shell *sh, const char *fmt,
				     ...);
void cn_shell_write(struct cn_shell *sh, const void *buf, size_t len);

/*
 * Prints "<command>: <message>" as one line on the console (never into
 * a redirection). Returns 1, a failure status to return.
 */
CN_PRINTF(2, 3) int cn_shell_error(struct cn_shell *sh, const char *fmt,
				   ...);

/* Prints "usage: <command> <usage>" on the console; returns 2. */
int cn_shell_usage(struct cn_shell *sh);

/*
 * Whether Ctrl-C was typed since the command started; reads the console
 * without waiting (other bytes typed meanwhile are kept for the prompt).
 */
int cn_shell_interrupted(struct cn_shell *sh);

/*
 * Runs one command line as if typed (quotes, `>`/`>>` redirection) on
 * the console. Returns the command's status, 127 for an unknown command,
 * 2 for a line that does not parse, -ENOMEM. Blocks while the command
 * runs.
 */
int cn_shell_exec(const char *line);

/*
 * Runs the shell on the console in the calling thread: prompts, edits,
 * runs commands, forever (poweroff and reboot end the image). For an
 * app that is only a shell (apps/shell).
 */
CN_NORETURN void cn_shell_main(void);

/*
 * Starts the shell in its own thread "shell" beside the app (what
 * LIB_SHELL_AUTOSTART does at boot). Returns 0, -EBUSY (a shell already
 * reads the console) or -ENOMEM.
 */
int cn_shell_start(void);

#endif
