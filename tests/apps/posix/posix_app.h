/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef POSIX_APP_H
#define POSIX_APP_H

/* sockets.c: `posix sockets [ADDR]` (default 127.0.0.1). */
int sockets_and_signals(const char *addr);
/* linkprobe.c: `posix link`. */
int link_probe(void);

#endif
