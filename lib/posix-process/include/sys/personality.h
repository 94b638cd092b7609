/* SPDX-License-Identifier: BSD-3-Clause */
/* <sys/personality.h>: the one execution domain, Linux's. lib/posix-process. */
#ifndef _SYS_PERSONALITY_H
#define _SYS_PERSONALITY_H

#define PER_LINUX	0x0000
#define PER_MASK	0x00ff
#define ADDR_NO_RANDOMIZE 0x0040000

/*
 * Returns the current persona, PER_LINUX (0): for the query 0xffffffff
 * and for PER_LINUX (setting it changes nothing); any other persona,
 * flags included, is refused: -1 with errno EINVAL.
 */
int personality(unsigned long persona);

#endif
