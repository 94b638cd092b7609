/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/log: log.c hands every printed line to the ring. */
#ifndef LOG_PRIV_H
#define LOG_PRIV_H

#include <stddef.h>

/* Keeps line (len bytes, ending in a newline) in the ring buffer. */
void cn_log_ring_add(const char *line, size_t len);

#endif
