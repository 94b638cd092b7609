/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <utime.h> as POSIX has it: picolibc's gives struct utimbuf without
 * time_t and declares no utime(). lib/vfs implements it (posix.c).
 */
#ifndef _UTIME_H
#define _UTIME_H

#include <sys/types.h>
#include <sys/utime.h>

/* times NULL: now. */
int utime(const char *path, const struct utimbuf *times);

#endif
