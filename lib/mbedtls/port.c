/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mbed TLS on Cairn: the hardware entropy hook (MBEDTLS_ENTROPY_HARDWARE_
 * ALT) and the RNG callback over lib/random, the mutexes
 * (MBEDTLS_THREADING_ALT) over lib/sched's, and cn_mbedtls_ready().
 *
 * Why the entropy hook refuses instead of handing out clock-jitter bytes
 * when lib/random is untrusted: Mbed TLS's CTR_DRBG (behind PSA) would
 * happily stretch them into keys that look random and are not. Failing
 * there makes psa_crypto_init() fail, so no key is ever made from them.
 */
#include <errno.h>
#include <string.h>
#include <cairn/init.h>
#include <cairn/log.h>
#include <cairn/mbedtls.h>
#include <cairn/random.h>
#include <cairn/sync.h>
#include <cairn/timer.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/platform_time.h>
#include <mbedtls/threading.h>
#include <psa/crypto.h>
#include "ecp_fast.h"

/* Mbed TLS declares it in a private header (library/entropy_poll.h). */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len,
			  size_t *olen);

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len,
			  size_t *olen)
{
	*olen = 0;
	if (!cn_random_trusted())
		return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
	cn_random_bytes(output, len);
	*olen = len;
	return 0;
}

int cn_mbedtls_rng(void *ctx, unsigned char *out, size_t len)
{
	if (!cn_random_trusted())
		return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
	cn_random_bytes(out, len);
	return 0;
}

/* Mbed TLS's monotonic milliseconds (ticket lifetimes, TLS 1.3 ages). */
mbedtls_ms_time_t mbedtls_ms_time(void)
{
	return (mbedtls_ms_time_t)(cn_time_ns() / 1000000u);
}

static void mutex_init(mbedtls_threading_mutex_t *m)
{
	cn_mutex_init(&m->m, 0);
	m->is_valid = 1;
}

static void mutex_free(mbedtls_threading_mutex_t *m)
{
	m->is_valid = 0;
}

static int mutex_lock(mbedtls_threading_mutex_t *m)
{
	if (!m->is_valid || cn_mutex_lock(&m->m))
		return MBEDTLS_ERR_THREADING_BAD_INPUT_DATA;
	return 0;
}

static int mutex_unlock(mbedtls_threading_mutex_t *m)
{
	if (!m->is_valid || cn_mutex_unlock(&m->m))
		return MBEDTLS_ERR_THREADING_BAD_INPUT_DATA;
	return 0;
}

/* Before anything in Mbed TLS runs: its global mutexes need these. */
static int mbedtls_port_init(void)
{
	mbedtls_threading_set_alt(mutex_init, mutex_free, mutex_lock,
				  mutex_unlock);
	return 0;
}
CN_INIT_PRIO(mbedtls_port_init, CN_INIT_LIB, 0);

int cn_mbedtls_ready(void)
{
	static struct cn_mutex lock = CN_MUTEX_INIT;
	static int state = 1;	/* 1: not tried yet */
	psa_status_t st;

	cn_mutex_lock(&lock);
	if (state == 1) {
		if (!cn_random_trusted()) {
			state = -ENODEV;
		} else if ((st = psa_crypto_init()) != PSA_SUCCESS) {
			cn_pr_err("psa_crypto_init failed: %d", (int)st);
			state = -EIO;
		} else if (cn_mbedtls_ecp_tables_init()) {
			cn_pr_err("fixed-base tables: self-check failed");
			state = -EIO;
		} else {
			state = 0;
		}
	}
	cn_mutex_unlock(&lock);
	return state;
}
