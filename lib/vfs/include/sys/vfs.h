/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux's other name for <sys/statfs.h>. */
#include <sys/statfs.h>
