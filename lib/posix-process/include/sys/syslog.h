/* SPDX-License-Identifier: BSD-3-Clause */
/* <sys/syslog.h>: the same as <syslog.h>, as on Linux. lib/posix-process. */
#include <syslog.h>
