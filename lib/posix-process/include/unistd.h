/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <unistd.h> and the glibc calls lib/posix-process adds to it:
 * setdomainname() and syscall().
 */
#ifndef CAIRN_POSIX_PROCESS_UNISTD_H
#define CAIRN_POSIX_PROCESS_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * confstr() names, with glibc's numbers (picolibc defines them only for
 * Cygwin and RTEMS). Between _CS_LFS_CFLAGS and _CS_V7_ENV come the
 * flags of each programming environment, in glibc's order.
 */
#ifndef _CS_PATH
#define _CS_PATH				0
#define _CS_POSIX_V6_WIDTH_RESTRICTED_ENVS	1
#define _CS_GNU_LIBC_VERSION			2
#define _CS_GNU_LIBPTHREAD_VERSION		3
#define _CS_POSIX_V5_WIDTH_RESTRICTED_ENVS	4
#define _CS_POSIX_V7_WIDTH_RESTRICTED_ENVS	5
#define _CS_V6_WIDTH_RESTRICTED_ENVS	_CS_POSIX_V6_WIDTH_RESTRICTED_ENVS
#define _CS_V5_WIDTH_RESTRICTED_ENVS	_CS_POSIX_V5_WIDTH_RESTRICTED_ENVS
#define _CS_V7_WIDTH_RESTRICTED_ENVS	_CS_POSIX_V7_WIDTH_RESTRICTED_ENVS
#define _CS_LFS_CFLAGS				1000
#define _CS_LFS_LDFLAGS				1001
#define _CS_LFS_LIBS				1002
#define _CS_LFS_LINTFLAGS			1003
#define _CS_LFS64_CFLAGS			1004
#define _CS_LFS64_LDFLAGS			1005
#define _CS_LFS64_LIBS				1006
#define _CS_LFS64_LINTFLAGS			1007
#define _CS_XBS5_ILP32_OFF32_CFLAGS		1100
#define _CS_XBS5_LP64_OFF64_CFLAGS		1108
#define _CS_XBS5_LP64_OFF64_LDFLAGS		1109
#define _CS_XBS5_LP64_OFF64_LIBS		1110
#define _CS_POSIX_V6_ILP32_OFF32_CFLAGS		1116
#define _CS_POSIX_V6_LP64_OFF64_CFLAGS		1124
#define _CS_POSIX_V6_LP64_OFF64_LDFLAGS		1125
#define _CS_POSIX_V6_LP64_OFF64_LIBS		1126
#define _CS_POSIX_V7_ILP32_OFF32_CFLAGS		1132
#define _CS_POSIX_V7_LP64_OFF64_CFLAGS		1140
#define _CS_POSIX_V7_LP64_OFF64_LDFLAGS		1141
#define _CS_POSIX_V7_LP64_OFF64_LIBS		1142
#define _CS_POSIX_V7_LPBIG_OFFBIG_LINTFLAGS	1147
#define _CS_V6_ENV				1148
#define _CS_V7_ENV				1149
#endif

/* Sets the NIS domain name (len bytes, at most 64: EINVAL beyond). */
int setdomainname(const char *name, size_t len);

/* "root" into name: 0, ERANGE when it does not fit (picolibc declares
 * it only with _POSIX_THREAD_SAFE_FUNCTIONS). */
int getlogin_r(char *name, size_t len);

/* -1 with errno ENOSYS, warning once per number (<sys/syscall.h>). */
long syscall(long number, ...);

#ifdef __cplusplus
}
#endif

#endif
