/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * getrandom(), as Linux's <sys/random.h> (picolibc has none): lib/random
 * provides it over the image's generator (<cairn/random.h>).
 */
#ifndef _SYS_RANDOM_H
#define _SYS_RANDOM_H

#include <stddef.h>
#include <sys/types.h>

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

/*
 * Fills buf with len random bytes and returns len (never fewer: the
 * generator is always ready in Cairn, so GRND_NONBLOCK and GRND_RANDOM
 * change nothing). -1 with errno EINVAL for an unknown flag or
 * GRND_RANDOM | GRND_INSECURE together, EFAULT for a NULL buf with
 * len > 0.
 */
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

int getentropy(void *buf, size_t len);

#endif
