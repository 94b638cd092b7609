/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Internet checksum as lwIP wants it (LWIP_CHKSUM, lwipopts.h):
 * the ones' complement sum of len bytes at data taken as 16-bit words
 * in memory order from data itself (an odd last byte padded with zero),
 * folded to 16 bits and not complemented, in the byte order of the
 * words (network order when stored back). Any alignment; len >= 0.
 * Pure: any context.
 */
#ifndef CAIRN_LWIP_CHKSUM_H
#define CAIRN_LWIP_CHKSUM_H

#include <stdint.h>

uint16_t cn_lwip_chksum(const void *data, int len);

#endif
