/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ECDSA signing for Mbed TLS (MBEDTLS_ECDSA_SIGN_ALT): one per TLS
 * handshake, with the server's P-256 key. Mbed TLS's own
 * mbedtls_ecdsa_sign() spent as long on the inversion of k (its
 * constant-time binary GCD over big integers) as on k G; here both are
 * p256.c's (the fixed-base table, and 1/k by exponentiation modulo n).
 *
 * What stays Mbed TLS's: the nonce k, drawn by mbedtls_ecp_gen_privkey()
 * from f_rng, which for the deterministic signatures TLS makes is the
 * HMAC_DRBG of RFC 6979 that ecdsa.c seeds with the key and the hash; so
 * the signatures are the ones Mbed TLS's code gives (the in-image test
 * checks RFC 6979's P-256 vector). P-256 is the only short Weierstrass
 * curve in our configuration; any other group is refused.
 */
#include <mbedtls/ecdsa.h>
#include <mbedtls/platform_util.h>
#include "ecp_fast.h"

int mbedtls_ecdsa_sign(mbedtls_ecp_group *grp, mbedtls_mpi *r, mbedtls_mpi *s,
		       const mbedtls_mpi *d, const unsigned char *buf,
		       size_t blen,
		       int (*f_rng)(void *, unsigned char *, size_t),
		       void *p_rng)
{
	unsigned char kb[32], db[32], eb[32], rb[32], sb[32];
	mbedtls_mpi k, e;
	int rc, tries;

	if (grp->id != MBEDTLS_ECP_DP_SECP256R1 || f_rng == NULL)
		return MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	if (mbedtls_mpi_cmp_int(d, 1) < 0 ||
	    mbedtls_mpi_cmp_mpi(d, &grp->N) >= 0)
		return MBEDTLS_ERR_ECP_INVALID_KEY;
	mbedtls_mpi_init(&k);
	mbedtls_mpi_init(&e);
	/* SEC1 4.1.3 step 5: the leftmost 256 bits of the hash, mod n. */
	if ((rc = mbedtls_mpi_read_binary(&e, buf, blen > 32 ? 32 : blen)))
		goto out;
	if (mbedtls_mpi_cmp_mpi(&e, &grp->N) >= 0 &&
	    (rc = mbedtls_mpi_sub_mpi(&e, &e, &grp->N)))
		goto out;
	if ((rc = mbedtls_mpi_write_binary_le(d, db, 32)) ||
	    (rc = mbedtls_mpi_write_binary_le(&e, eb, 32)))
		goto out;
	rc = MBEDTLS_ERR_ECP_RANDOM_FAILED;
	for (tries = 0; tries < 10; tries++) {
		int sr;

		if ((rc = mbedtls_ecp_gen_privkey(grp, &k, f_rng, p_rng)) ||
		    (rc = mbedtls_mpi_write_binary_le(&k, kb, 32)))
			break;
		sr = cn_mbedtls_p256_sign(rb, sb, kb, db, eb);
		if (sr == -2) {			/* no table yet: build it */
			if (cn_mbedtls_ecp_tables_init()) {
				rc = MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
				break;
			}
			sr = cn_mbedtls_p256_sign(rb, sb, kb, db, eb);
		}
		rc = MBEDTLS_ERR_ECP_RANDOM_FAILED;
		if (sr)
			continue;		/* r or s was 0 */
		if (!(rc = mbedtls_mpi_read_binary_le(r, rb, 32)))
			rc = mbedtls_mpi_read_binary_le(s, sb, 32);
		break;
	}
out:
	mbedtls_platform_zeroize(kb, sizeof(kb));
	mbedtls_platform_zeroize(db, sizeof(db));
	mbedtls_mpi_free(&k);
	mbedtls_mpi_free(&e);
	return rc;
}
