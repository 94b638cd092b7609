/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mbed TLS's mutex type under MBEDTLS_THREADING_ALT: a lib/sched mutex
 * (lib/mbedtls/port.c hands Mbed TLS the functions over it).
 */
#ifndef CAIRN_MBEDTLS_THREADING_ALT_H
#define CAIRN_MBEDTLS_THREADING_ALT_H

#include <cairn/sync.h>

typedef struct {
	struct cn_mutex m;
	char is_valid;
} mbedtls_threading_mutex_t;

#endif
