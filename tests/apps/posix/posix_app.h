/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POSIX_APP_H
#define POSIX_APP_H

/* sockets.c: `posix sockets`. */
int sockets_and_signals(void);

#endif
