/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <stdio.h> and the POSIX calls lib/picolibc adds to it:
 * dprintf, vdprintf and open_memstream (stdio_ext.c).
 */
#ifndef CAIRN_PICOLIBC_STDIO_H
#define CAIRN_PICOLIBC_STDIO_H

#include_next <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * printf to descriptor fd, unbuffered: the bytes written, or -1 with
 * errno (EBADF for a bad fd, what write() says otherwise; EINVAL for a
 * NULL fmt).
 */
int dprintf(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, __builtin_va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * A write-only stream into a buffer that grows: after each write, fflush
 * and fclose, *ptr is the buffer (NUL-terminated) and *size the bytes
 * before the NUL (up to the current position). The caller frees *ptr
 * after fclose. NULL with errno EINVAL for a NULL ptr or size, ENOMEM.
 */
FILE *open_memstream(char **ptr, size_t *size);

#ifdef __cplusplus
}
#endif

#endif
