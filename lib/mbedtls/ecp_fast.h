/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole scalar multiplications in this folder's own arithmetic, for the
 * two curves TLS uses here (x25519.c, p256.c), and the dispatcher that
 * sends Mbed TLS's calls to them (ecp_mul.c). Private to lib/mbedtls.
 *
 * Scalars and coordinates are 32 little-endian bytes. The functions
 * return 0, or -1 when the result is the point at infinity (a public
 * fact: the caller turns it into Mbed TLS's error for it); the *_base
 * ones return -2 while their table is not built yet.
 */
#ifndef LIB_MBEDTLS_ECP_FAST_H
#define LIB_MBEDTLS_ECP_FAST_H

#include <mbedtls/ecp.h>

/* u(k P) for u = u(P) (top bit ignored, as RFC 7748 says); rnd: 32
 * random bytes that randomise the ladder's projective coordinates, or
 * NULL. */
int cn_mbedtls_x25519(unsigned char out[32], const unsigned char k[32],
		      const unsigned char u[32], const unsigned char *rnd);
/* u(k B), B the base point (u = 9), through the fixed-base table. */
int cn_mbedtls_x25519_base(unsigned char out[32], const unsigned char k[32]);
int cn_mbedtls_x25519_table_init(void);

/* Affine (x, y) of k G on P-256 through the fixed-base table; k < 2^256
 * with k G not the point at infinity for 0 < k < n. */
int cn_mbedtls_p256_base(unsigned char x[32], unsigned char y[32],
			 const unsigned char k[32]);
/* ECDSA P-256: r = x(k G) mod n, s = (e + r d) / k mod n, for d, e, k
 * below n; -1 when r or s is 0 (draw another k). */
int cn_mbedtls_p256_sign(unsigned char r[32], unsigned char s[32],
			 const unsigned char k[32], const unsigned char d[32],
			 const unsigned char e[32]);
/* Builds the table from G's affine coordinates. */
int cn_mbedtls_p256_table_init(const unsigned char gx[32],
			       const unsigned char gy[32]);

/* Mbed TLS's own entry points under the names its callers use
 * (lib.mk renames them in ecdh.c, ecdsa.c, pk_ecc.c, psa_crypto_ecp.c). */
int cn_mbedtls_ecp_mul(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
		       const mbedtls_mpi *m, const mbedtls_ecp_point *P,
		       int (*f_rng)(void *, unsigned char *, size_t),
		       void *p_rng);
int cn_mbedtls_ecp_mul_restartable(mbedtls_ecp_group *grp,
				   mbedtls_ecp_point *R,
				   const mbedtls_mpi *m,
				   const mbedtls_ecp_point *P,
				   int (*f_rng)(void *, unsigned char *, size_t),
				   void *p_rng,
				   mbedtls_ecp_restart_ctx *rs_ctx);
/* Builds both tables once (cn_mbedtls_ready() calls it); 0 or -errno. */
int cn_mbedtls_ecp_tables_init(void);

#endif
