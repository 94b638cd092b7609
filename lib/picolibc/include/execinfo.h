/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <execinfo.h> as glibc's: backtraces of the calling thread from its
 * frame records (Cairn builds keep frame pointers), named from the
 * image's symbol table (<cairn/symbols.h>). lib/picolibc.
 */
#ifndef _EXECINFO_H
#define _EXECINFO_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Stores up to size return addresses, the caller of backtrace() first;
 * returns how many (0 for size <= 0 or a NULL buffer).
 */
int backtrace(void **buffer, int size);

/*
 * One malloc'd block of n strings "image(function+0xoff) [0xaddr]"
 * ("image() [0xaddr]" where no name is known); the caller frees the
 * block (not the strings). NULL with errno ENOMEM, or EINVAL for n < 0
 * or a NULL buffer.
 */
char **backtrace_symbols(void *const *buffer, int n);

/* The same lines, each ending in a newline, written to fd. */
void backtrace_symbols_fd(void *const *buffer, int n, int fd);

#ifdef __cplusplus
}
#endif

#endif
