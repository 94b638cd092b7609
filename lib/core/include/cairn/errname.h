/* SPDX-License-Identifier: BSD-3-Clause */
/* Names of errno values, for log lines: cn_errname(-ENOMEM) is "ENOMEM". */
#ifndef CAIRN_ERRNAME_H
#define CAIRN_ERRNAME_H

/* Accepts err or -err; returns "E?" for a number it does not know. */
const char *cn_errname(int err);

#endif
