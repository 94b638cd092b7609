/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <glob.h> (glob_t and the BSD flag values) and the one POSIX
 * flag it lacks, GLOB_NOESCAPE. lib/vfs implements glob and globfree.
 */
#ifndef CAIRN_VFS_GLOB_H
#define CAIRN_VFS_GLOB_H

#include_next <glob.h>

#ifndef GLOB_NOESCAPE
#define GLOB_NOESCAPE	0x2000	/* a backslash is an ordinary character */
#endif

#endif
