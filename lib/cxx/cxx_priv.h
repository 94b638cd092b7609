/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/cxx's own calls between its C and C++ files. */
#ifndef CXX_PRIV_H
#define CXX_PRIV_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A plain new that cannot be satisfied without exceptions: the crash
 * report ("operator new: out of memory (N bytes)"); never returns. */
__attribute__((noreturn)) void cn_cxx_out_of_memory(size_t size);

/* What would have been thrown without exceptions: "C++ exception
 * <what> (exceptions are off): <msg>" as the crash report. */
__attribute__((noreturn)) void cn_cxx_fatal(const char *what,
					    const char *msg);

#ifdef __cplusplus
}
#endif

#endif
