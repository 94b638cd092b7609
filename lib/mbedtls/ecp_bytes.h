/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Little-endian 64-bit words in and out of byte strings, for the ECP
 * hooks (x25519.c, p256.c), which take coordinates from Mbed TLS's
 * integers as 32 little-endian bytes.
 */
#ifndef LIB_MBEDTLS_ECP_BYTES_H
#define LIB_MBEDTLS_ECP_BYTES_H

#include <stdint.h>

static inline uint64_t load64(const unsigned char *b)
{
	uint64_t x = 0;
	int i;

	for (i = 7; i >= 0; i--)
		x = x << 8 | b[i];
	return x;
}

static inline void store64(unsigned char *b, uint64_t x)
{
	int i;

	for (i = 0; i < 8; i++, x >>= 8)
		b[i] = (unsigned char)x;
}

#endif
