/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LIB_SHELL_AUTOSTART: the shell starts in its own thread beside the app,
 * after every other init; shell.start=0 on the command line keeps it off.
 */
#include <stdbool.h>
#include <cairn/init.h>
#include <cairn/param.h>
#include <cairn/shell.h>

static bool autostart = true;
CN_PARAM_BOOL(shell, start, autostart,
	      "0 or 1: start the shell beside the app at boot");

static int shell_autostart(void)
{
	return autostart ? cn_shell_start() : 0;
}
CN_INIT_PRIO(shell_autostart, CN_INIT_APP, 8);
