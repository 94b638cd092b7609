/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <stdlib.h> and the glibc calls lib/posix-process adds to it:
 * clearenv() and getloadavg().
 */
#ifndef CAIRN_POSIX_PROCESS_STDLIB_H
#define CAIRN_POSIX_PROCESS_STDLIB_H

#include_next <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Empties the environment; 0. */
int clearenv(void);

/*
 * Stores nelem (at most 3) load averages: 0.0 each, no average is kept.
 * Returns the number stored, -1 for a negative nelem.
 */
int getloadavg(double loadavg[], int nelem);

#ifdef __cplusplus
}
#endif

#endif
