/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where Mbed TLS's scalar multiplications go. lib.mk compiles the Mbed
 * TLS files that ask for one on a TLS server's path (ecdh.c: key
 * exchanges; ecdsa.c: the k G of a signature; psa_crypto_ecp.c and
 * pk_ecc.c: public keys from private ones, as PSA's key generation
 * does) with mbedtls_ecp_mul and mbedtls_ecp_mul_restartable renamed to
 * the two functions below. They take the cases this folder does in its
 * own arithmetic and hand every other to Mbed TLS's code (ecp.c, which
 * keeps its names):
 *
 * - Curve25519, any point: the whole ladder in x25519.c's limbs, or,
 *   for the base point u = 9 (key generation), x25519.c's fixed-base
 *   table on the equivalent Edwards curve;
 * - P-256, the group's generator G: p256.c's fixed-base table;
 * - anything else (P-256 with another point, other curves): Mbed TLS,
 *   whose inner steps for P-256 are p256.c's hooks.
 *
 * The checks Mbed TLS makes before a multiplication (a valid scalar for
 * the curve, a point on it) are made here the same way, and the results
 * are the same points in the same form (affine, Z = 1; Curve25519: X
 * only); the in-image tests compare them with Mbed TLS's own for many
 * scalars.
 */
#include <errno.h>
#include <string.h>
#include <cairn/sync.h>
#include <mbedtls/ecp.h>
#include <mbedtls/platform_util.h>
#include "ecp_fast.h"

static int x25519_mul(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
		      const mbedtls_mpi *m, const mbedtls_ecp_point *P,
		      int (*f_rng)(void *, unsigned char *, size_t),
		      void *p_rng)
{
	unsigned char k[32], u[32], rnd[32], out[32];
	int rc, base;

	if ((rc = mbedtls_ecp_check_privkey(grp, m)) ||
	    (rc = mbedtls_ecp_check_pubkey(grp, P)))
		return rc;
	if ((rc = mbedtls_mpi_write_binary_le(m, k, sizeof(k))) ||
	    (rc = mbedtls_mpi_write_binary_le(&P->MBEDTLS_PRIVATE(X), u,
					      sizeof(u))))
		goto out;
	/* Whether P is the base point is public, not the scalar. */
	base = mbedtls_mpi_cmp_mpi(&P->MBEDTLS_PRIVATE(X),
				   &grp->G.MBEDTLS_PRIVATE(X)) == 0;
	rc = base ? cn_mbedtls_x25519_base(out, k) : -2;
	if (rc == -2) {
		if ((rc = f_rng(p_rng, rnd, sizeof(rnd))))
			goto out;
		rc = cn_mbedtls_x25519(out, k, u, rnd);
	}
	if (rc) {
		rc = MBEDTLS_ERR_MPI_NOT_ACCEPTABLE;	/* as ecp.c: no 1/Z */
		goto out;
	}
	if ((rc = mbedtls_mpi_read_binary_le(&R->MBEDTLS_PRIVATE(X), out,
					     sizeof(out))) ||
	    (rc = mbedtls_mpi_lset(&R->MBEDTLS_PRIVATE(Z), 1)))
		goto out;
	mbedtls_mpi_free(&R->MBEDTLS_PRIVATE(Y));
out:
	mbedtls_platform_zeroize(k, sizeof(k));
	mbedtls_platform_zeroize(out, sizeof(out));
	return rc;
}

/* 1 when it did it (rc in *rc), 0 to leave it to Mbed TLS. */
static int p256_mul_base(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
			 const mbedtls_mpi *m, int *rc)
{
	unsigned char k[32], x[32], y[32];

	if ((*rc = mbedtls_ecp_check_privkey(grp, m)))
		return 1;
	if ((*rc = mbedtls_mpi_write_binary_le(m, k, sizeof(k))))
		return 1;
	*rc = cn_mbedtls_p256_base(x, y, k);
	mbedtls_platform_zeroize(k, sizeof(k));
	if (*rc == -2)
		return 0;		/* no table yet */
	if (*rc) {
		*rc = MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
		return 1;
	}
	if ((*rc = mbedtls_mpi_read_binary_le(&R->MBEDTLS_PRIVATE(X), x, 32)) ||
	    (*rc = mbedtls_mpi_read_binary_le(&R->MBEDTLS_PRIVATE(Y), y, 32)) ||
	    (*rc = mbedtls_mpi_lset(&R->MBEDTLS_PRIVATE(Z), 1)))
		return 1;
	return 1;
}

int cn_mbedtls_ecp_mul_restartable(mbedtls_ecp_group *grp,
				   mbedtls_ecp_point *R,
				   const mbedtls_mpi *m,
				   const mbedtls_ecp_point *P,
				   int (*f_rng)(void *, unsigned char *, size_t),
				   void *p_rng,
				   mbedtls_ecp_restart_ctx *rs_ctx)
{
	int rc;

	if (f_rng == NULL)
		return MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	if (rs_ctx == NULL && grp->id == MBEDTLS_ECP_DP_CURVE25519)
		return x25519_mul(grp, R, m, P, f_rng, p_rng);
	if (rs_ctx == NULL && grp->id == MBEDTLS_ECP_DP_SECP256R1 &&
	    mbedtls_ecp_point_cmp(P, &grp->G) == 0 &&
	    p256_mul_base(grp, R, m, &rc))
		return rc;
	return mbedtls_ecp_mul_restartable(grp, R, m, P, f_rng, p_rng, rs_ctx);
}

int cn_mbedtls_ecp_mul(mbedtls_ecp_group *grp, mbedtls_ecp_point *R,
		       const mbedtls_mpi *m, const mbedtls_ecp_point *P,
		       int (*f_rng)(void *, unsigned char *, size_t),
		       void *p_rng)
{
	return cn_mbedtls_ecp_mul_restartable(grp, R, m, P, f_rng, p_rng,
					      NULL);
}

int cn_mbedtls_ecp_tables_init(void)
{
	static struct cn_mutex lock = CN_MUTEX_INIT;
	mbedtls_ecp_group grp;
	unsigned char gx[32], gy[32];
	int rc;

	cn_mutex_lock(&lock);
	if (cn_mbedtls_x25519_table_init()) {
		cn_mutex_unlock(&lock);
		return -EIO;
	}
	mbedtls_ecp_group_init(&grp);
	rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!rc)
		rc = mbedtls_mpi_write_binary_le(&grp.G.MBEDTLS_PRIVATE(X),
						 gx, sizeof(gx));
	if (!rc)
		rc = mbedtls_mpi_write_binary_le(&grp.G.MBEDTLS_PRIVATE(Y),
						 gy, sizeof(gy));
	mbedtls_ecp_group_free(&grp);
	if (!rc)
		rc = cn_mbedtls_p256_table_init(gx, gy);
	cn_mutex_unlock(&lock);
	return rc ? -EIO : 0;
}
