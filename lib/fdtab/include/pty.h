/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * openpty (Linux's <pty.h>): there are no pseudo-terminals here, so it
 * fails with ENOENT, as Linux without devpts (lib/fdtab).
 */
#ifndef _PTY_H
#define _PTY_H

#include <termios.h>
#include <sys/ioctl.h>

int openpty(int *master, int *slave, char *name, const struct termios *t,
	    const struct winsize *ws);

#endif
