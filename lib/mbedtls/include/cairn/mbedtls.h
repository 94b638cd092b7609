/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mbedtls: Mbed TLS 3.6 (Debian's source package, built with
 * <cairn/mbedtls_config.h>) and the glue that ties it to Cairn: entropy
 * from lib/random, mutexes from lib/sched, time from the RTC. Users
 * include Mbed TLS's own headers (<mbedtls/ssl.h>, <psa/crypto.h>) and
 * call cn_mbedtls_ready() before anything that makes keys.
 */
#ifndef CAIRN_MBEDTLS_H
#define CAIRN_MBEDTLS_H

#include <stddef.h>

/*
 * Checks that keys can be made and starts PSA crypto (once; later calls
 * return the first answer). Returns 0; -ENODEV when lib/random has no
 * hardware source (cn_random_trusted() is false: keys would be
 * predictable, so nothing should be made); -EIO when PSA crypto failed to
 * start (logged with Mbed TLS's code). Threads only.
 */
int cn_mbedtls_ready(void);

/*
 * An f_rng for Mbed TLS (mbedtls_ssl_conf_rng(), mbedtls_pk_parse_key()):
 * lib/random's generator. 0, or MBEDTLS_ERR_ENTROPY_SOURCE_FAILED when it
 * is untrusted. ctx is unused.
 */
int cn_mbedtls_rng(void *ctx, unsigned char *out, size_t len);

#endif
