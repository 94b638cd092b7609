/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands every shell has: help, echo, history, uptime, log, dmesg,
 * reboot, poweroff.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/shell.h>
#include <cairn/timer.h>
#include "shell_priv.h"

static void help_line(const struct cn_shell_cmd *c, void *arg)
{
	struct cn_shell *sh = arg;
	char head[64];

	snprintf(head, sizeof(head), "%s%s%s", c->name,
		 c->usage && *c->usage ? " " : "", c->usage ? c->usage : "");
	cn_shell_printf(sh, "  %-28s %s\n", head, c->help ? c->help : "");
}

static int cmd_help(struct cn_shell *sh, int argc, char **argv)
{
	const struct cn_shell_cmd *c;

	if (argc > 2)
		return cn_shell_usage(sh);
	if (argc == 2) {
		c = cn_shell_find(argv[1]);
		if (!c)
			return cn_shell_error(sh, "no command '%.40s'",
					      argv[1]);
		help_line(c, sh);
		return 0;
	}
	cn_shell_printf(sh, "Commands (Tab completes names and paths; "
			"Up/Down: history; Ctrl-C: drop the line):\n");
	cn_shell_foreach_cmd(help_line, sh);
	return 0;
}
CN_SHELL_CMD(help, cmd_help, "[command]", "list the commands, or one");

static int cmd_echo(struct cn_shell *sh, int argc, char **argv)
{
	int i = 1, newline = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (; i < argc; i++) {
		cn_shell_write(sh, argv[i], strlen(argv[i]));
		if (i + 1 < argc)
			cn_shell_write(sh, " ", 1);
	}
	if (newline)
		cn_shell_write(sh, "\n", 1);
	return 0;
}
CN_SHELL_CMD(echo, cmd_echo, "[-n] [word...] [> file]",
	     "print the words (-n: no newline)");

static int cmd_history(struct cn_shell *sh, int argc, char **argv)
{
	unsigned int k;

	if (argc > 1)
		return cn_shell_usage(sh);
	for (k = sh->hist_n; k >= 1; k--)
		cn_shell_printf(sh, "%4u  %s\n", sh->hist_n - k + 1,
				cn_shell_history_get(sh, k));
	return 0;
}
CN_SHELL_CMD(history, cmd_history, "", "the lines typed before");

static int cmd_uptime(struct cn_shell *sh, int argc, char **argv)
{
	uint64_t ns = cn_time_ns(), s = ns / 1000000000u;

	if (argc > 1)
		return cn_shell_usage(sh);
	cn_shell_printf(sh, "up %llu:%02llu:%02llu.%03llu (%llu.%03llu s)\n",
			(unsigned long long)(s / 3600),
			(unsigned long long)(s / 60 % 60),
			(unsigned long long)(s % 60),
			(unsigned long long)(ns / 1000000u % 1000),
			(unsigned long long)s,
			(unsigned long long)(ns / 1000000u % 1000));
	return 0;
}
CN_SHELL_CMD(uptime, cmd_uptime, "", "time since boot");

static const char *const level_names[] = { "error", "warn", "info",
					   "debug" };

static int cmd_log(struct cn_shell *sh, int argc, char **argv)
{
	int i;

	if (argc > 2)
		return cn_shell_usage(sh);
	if (argc == 2) {
		for (i = CN_LOG_ERR; i <= CN_LOG_DEBUG; i++)
			if (strcmp(argv[1], level_names[i]) == 0 ||
			    (argv[1][0] == '0' + i && !argv[1][1]))
				break;
		if (i > CN_LOG_DEBUG) {
			cn_shell_error(sh, "unknown level '%.20s' (error, "
				       "warn, info, debug or 0-3)", argv[1]);
			return 2;
		}
		cn_log_set_level(i);
	}
	i = cn_log_level();
	cn_shell_printf(sh, "log level: %s (%d)\n",
			i >= 0 && i <= CN_LOG_DEBUG ? level_names[i] : "?",
			i);
	return 0;
}
CN_SHELL_CMD(log, cmd_log, "[error|warn|info|debug]",
	     "show or set the runtime log level");

struct recent {
	char *buf;
	size_t len, size;
};

/* Runs with interrupts off (cn_log_recent): copy, print later. */
static void copy_line(const char *line, size_t len, void *arg)
{
	struct recent *r = arg;

	if (r->len + len + 1 > r->size)
		return;
	memcpy(r->buf + r->len, line, len);
	r->len += len;
	r->buf[r->len++] = '\n';
}

static int cmd_dmesg(struct cn_shell *sh, int argc, char **argv)
{
	struct recent r = { .size = 16384 };
	char *end;
	long n = 0;

	if (argc > 2)
		return cn_shell_usage(sh);
	if (argc == 2) {
		n = strtol(argv[1], &end, 10);
		if (*end || n <= 0 || n > 100000)
			return cn_shell_usage(sh);
	}
	r.buf = malloc(r.size);
	if (!r.buf)
		return cn_shell_error(sh, "out of memory");
	if (!cn_log_recent((unsigned int)n, copy_line, &r))
		cn_shell_printf(sh, "(no log lines kept)\n");
	cn_shell_write(sh, r.buf, r.len);
	free(r.buf);
	return 0;
}
CN_SHELL_CMD(dmesg, cmd_dmesg, "[lines]", "the last log lines");

static int cmd_reboot(struct cn_shell *sh, int argc, char **argv)
{
	if (argc > 1)
		return cn_shell_usage(sh);
	cn_shell_printf(sh, "rebooting\n");
	/* picolibc's fflush(NULL) does not mean "every stream" */
	fflush(stdout);
	fflush(stderr);
	cn_plat_reset();
}
CN_SHELL_CMD(reboot, cmd_reboot, "",
	     "reset the machine (QEMU with -no-reboot exits)");

static int cmd_poweroff(struct cn_shell *sh, int argc, char **argv)
{
	char *end;
	long status = 0;

	if (argc > 2)
		return cn_shell_usage(sh);
	if (argc == 2) {
		status = strtol(argv[1], &end, 10);
		if (*end || !*argv[1] || status < 0 || status > 127)
			return cn_shell_usage(sh);
	}
	cn_shell_printf(sh, "powering off\n");
	exit((int)status);
}
CN_SHELL_CMD(poweroff, cmd_poweroff, "[status]",
	     "end the image (QEMU exits with status, 0-127)");
