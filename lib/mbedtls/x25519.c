/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Curve25519's Montgomery ladder step and final inversion for Mbed TLS
 * (its MBEDTLS_ECP_INTERNAL_ALT hooks, ecp_internal_alt.h), in field
 * arithmetic made for the one prime p = 2^255 - 19: five 51-bit limbs,
 * 64x64->128-bit products, reduction by 19 * 2^255 = 19 (mod p) folded
 * into the products. Mbed TLS's generic code does each ladder step with
 * its arbitrary-size integers (allocations, a division-free but generic
 * reduction) and the inversion with a binary GCD; an X25519 key exchange
 * (two scalar multiplications per TLS handshake) costs several times
 * what it costs here. Mbed TLS keeps everything else: the ladder loop,
 * its constant-time swaps, the coordinate randomisation, the checks of
 * the inputs and of the result.
 *
 * Constant time: no branch and no memory index depends on a value; the
 * only test (a zero Z in the inversion) is of the public result, as in
 * Mbed TLS's own code (an error for a low-order point).
 *
 * mbedtls_internal_ecp_grp_capable() below answers for both files of
 * hooks: Curve25519 takes this file's, P-256 p256.c's; another curve
 * would stay on Mbed TLS's code.
 */
#include <stdint.h>
#include <string.h>
#include <mbedtls/ecp.h>
#include <mbedtls/bignum.h>
#include <mbedtls/platform_util.h>
#include "ecp_bytes.h"

#if defined(MBEDTLS_ECP_INTERNAL_ALT)

#define M51	((UINT64_C(1) << 51) - 1)

typedef unsigned __int128 u128;
typedef struct { uint64_t v[5]; } fe;	/* sum v[i] * 2^(51 i) */

/* The hooks' prototypes (Mbed TLS's private ecp_internal_alt.h). */
unsigned char mbedtls_internal_ecp_grp_capable(const mbedtls_ecp_group *grp);
int mbedtls_internal_ecp_init(const mbedtls_ecp_group *grp);
void mbedtls_internal_ecp_free(const mbedtls_ecp_group *grp);
int mbedtls_internal_ecp_double_add_mxz(const mbedtls_ecp_group *grp,
					mbedtls_ecp_point *R,
					mbedtls_ecp_point *S,
					const mbedtls_ecp_point *P,
					const mbedtls_ecp_point *Q,
					const mbedtls_mpi *d);
int mbedtls_internal_ecp_normalize_mxz(const mbedtls_ecp_group *grp,
				       mbedtls_ecp_point *P);

/* An integer below 2^255 (Mbed TLS keeps coordinates below p). */
static int fe_from_mpi(fe *h, const mbedtls_mpi *x)
{
	unsigned char b[32];
	uint64_t w0, w1, w2, w3;
	int rc = mbedtls_mpi_write_binary_le(x, b, sizeof(b));

	if (rc)
		return rc;
	w0 = load64(b);
	w1 = load64(b + 8);
	w2 = load64(b + 16);
	w3 = load64(b + 24);
	h->v[0] = w0 & M51;
	h->v[1] = (w0 >> 51 | w1 << 13) & M51;
	h->v[2] = (w1 >> 38 | w2 << 26) & M51;
	h->v[3] = (w2 >> 25 | w3 << 39) & M51;
	h->v[4] = (w3 >> 12) & M51;
	mbedtls_platform_zeroize(b, sizeof(b));
	return 0;
}

/* Carries until every limb is below 2^51 (the value below 2^255 + 2^52). */
static void fe_carry(fe *h)
{
	uint64_t c;
	int i;

	for (i = 0; i < 4; i++) {
		c = h->v[i] >> 51;
		h->v[i] &= M51;
		h->v[i + 1] += c;
	}
	c = h->v[4] >> 51;
	h->v[4] &= M51;
	h->v[0] += 19 * c;
	c = h->v[0] >> 51;
	h->v[0] &= M51;
	h->v[1] += c;
}

/* The unique representative in [0, p), as 32 little-endian bytes. */
static void fe_bytes(unsigned char b[32], const fe *f)
{
	fe t = *f;
	uint64_t q;
	int i;

	fe_carry(&t);
	fe_carry(&t);
	/* t < 2^255: t >= p exactly when t + 19 carries out of bit 255. */
	q = (t.v[0] + 19) >> 51;
	for (i = 1; i < 5; i++)
		q = (t.v[i] + q) >> 51;
	t.v[0] += 19 * q;
	for (i = 0; i < 4; i++) {
		t.v[i + 1] += t.v[i] >> 51;
		t.v[i] &= M51;
	}
	t.v[4] &= M51;
	store64(b, t.v[0] | t.v[1] << 51);
	store64(b + 8, t.v[1] >> 13 | t.v[2] << 38);
	store64(b + 16, t.v[2] >> 26 | t.v[3] << 25);
	store64(b + 24, t.v[3] >> 39 | t.v[4] << 12);
}

static int fe_to_mpi(mbedtls_mpi *x, const fe *f)
{
	unsigned char b[32];
	int rc;

	fe_bytes(b, f);
	rc = mbedtls_mpi_read_binary_le(x, b, sizeof(b));
	mbedtls_platform_zeroize(b, sizeof(b));
	return rc;
}

static void fe_add(fe *h, const fe *f, const fe *g)
{
	int i;

	for (i = 0; i < 5; i++)
		h->v[i] = f->v[i] + g->v[i];
}

/* f - g + 4p: limbs stay positive for g's limbs below 2^53. */
static void fe_sub(fe *h, const fe *f, const fe *g)
{
	static const uint64_t p4[5] = {
		4 * (M51 - 18), 4 * M51, 4 * M51, 4 * M51, 4 * M51
	};
	int i;

	for (i = 0; i < 5; i++)
		h->v[i] = f->v[i] + p4[i] - g->v[i];
	fe_carry(h);
}

/* Inputs' limbs below 2^54: the sums below stay under 2^128. */
static void fe_mul(fe *h, const fe *f, const fe *g)
{
	const uint64_t *a = f->v, *b = g->v;
	uint64_t b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3],
		 b4 = 19 * b[4], r[5];
	u128 t[5], c;
	int i;

	t[0] = (u128)a[0] * b[0] + (u128)a[1] * b4 + (u128)a[2] * b3 +
	       (u128)a[3] * b2 + (u128)a[4] * b1;
	t[1] = (u128)a[0] * b[1] + (u128)a[1] * b[0] + (u128)a[2] * b4 +
	       (u128)a[3] * b3 + (u128)a[4] * b2;
	t[2] = (u128)a[0] * b[2] + (u128)a[1] * b[1] + (u128)a[2] * b[0] +
	       (u128)a[3] * b4 + (u128)a[4] * b3;
	t[3] = (u128)a[0] * b[3] + (u128)a[1] * b[2] + (u128)a[2] * b[1] +
	       (u128)a[3] * b[0] + (u128)a[4] * b4;
	t[4] = (u128)a[0] * b[4] + (u128)a[1] * b[3] + (u128)a[2] * b[2] +
	       (u128)a[3] * b[1] + (u128)a[4] * b[0];
	for (i = 0; i < 4; i++) {
		r[i] = (uint64_t)t[i] & M51;
		t[i + 1] += t[i] >> 51;
	}
	r[4] = (uint64_t)t[4] & M51;
	c = (t[4] >> 51) * 19 + r[0];
	r[0] = (uint64_t)c & M51;
	r[1] += (uint64_t)(c >> 51);
	memcpy(h->v, r, sizeof(r));
}

static void fe_sq(fe *h, const fe *f)
{
	fe_mul(h, f, f);
}

static void fe_sq_n(fe *h, const fe *f, int n)
{
	fe_sq(h, f);
	while (--n > 0)
		fe_sq(h, h);
}

/* z^(p - 2) = 1/z (0 for 0): p - 2 = 2^255 - 21. */
static void fe_invert(fe *out, const fe *z)
{
	fe z2, z9, z11, a, b, c;

	fe_sq(&z2, z);			/* z^2 */
	fe_sq_n(&a, &z2, 2);		/* z^8 */
	fe_mul(&z9, &a, z);		/* z^9 */
	fe_mul(&z11, &z9, &z2);		/* z^11 */
	fe_sq(&a, &z11);		/* z^22 */
	fe_mul(&a, &a, &z9);		/* z^(2^5 - 1) */
	fe_sq_n(&b, &a, 5);
	fe_mul(&a, &b, &a);		/* z^(2^10 - 1) */
	fe_sq_n(&b, &a, 10);
	fe_mul(&b, &b, &a);		/* z^(2^20 - 1) */
	fe_sq_n(&c, &b, 20);
	fe_mul(&c, &c, &b);		/* z^(2^40 - 1) */
	fe_sq_n(&c, &c, 10);
	fe_mul(&b, &c, &a);		/* z^(2^50 - 1) */
	fe_sq_n(&c, &b, 50);
	fe_mul(&c, &c, &b);		/* z^(2^100 - 1) */
	fe_sq_n(&a, &c, 100);
	fe_mul(&a, &a, &c);		/* z^(2^200 - 1) */
	fe_sq_n(&a, &a, 50);
	fe_mul(&a, &a, &b);		/* z^(2^250 - 1) */
	fe_sq_n(&a, &a, 5);
	fe_mul(out, &a, &z11);		/* z^(2^255 - 32 + 11) */
}

unsigned char mbedtls_internal_ecp_grp_capable(const mbedtls_ecp_group *grp)
{
	return grp->id == MBEDTLS_ECP_DP_CURVE25519 ||
	       grp->id == MBEDTLS_ECP_DP_SECP256R1;
}

int mbedtls_internal_ecp_init(const mbedtls_ecp_group *grp)
{
	(void)grp;
	return 0;
}

void mbedtls_internal_ecp_free(const mbedtls_ecp_group *grp)
{
	(void)grp;
}

/*
 * R = 2P, S = P + Q, given d = X(P - Q): the same formulas as Mbed
 * TLS's ecp_double_add_mxz() (5M + 4S and one product by (A + 2) / 4).
 */
int mbedtls_internal_ecp_double_add_mxz(const mbedtls_ecp_group *grp,
					mbedtls_ecp_point *R,
					mbedtls_ecp_point *S,
					const mbedtls_ecp_point *P,
					const mbedtls_ecp_point *Q,
					const mbedtls_mpi *d)
{
	static const fe a24 = { { 121666, 0, 0, 0, 0 } };
	fe px, pz, qx, qz, dx, pp, pm, qp, qm, t, rx, rz, sx, sz;
	int rc;

	(void)grp;
	if ((rc = fe_from_mpi(&px, &P->MBEDTLS_PRIVATE(X))) ||
	    (rc = fe_from_mpi(&pz, &P->MBEDTLS_PRIVATE(Z))) ||
	    (rc = fe_from_mpi(&qx, &Q->MBEDTLS_PRIVATE(X))) ||
	    (rc = fe_from_mpi(&qz, &Q->MBEDTLS_PRIVATE(Z))) ||
	    (rc = fe_from_mpi(&dx, d)))
		return rc;
	fe_add(&pp, &px, &pz);		/* Pp = PX + PZ */
	fe_sub(&pm, &px, &pz);		/* Pm = PX - PZ */
	fe_add(&qp, &qx, &qz);		/* Qp = QX + QZ */
	fe_sub(&qm, &qx, &qz);		/* Qm = QX - QZ */
	fe_mul(&qm, &qm, &pp);		/* Qm * Pp */
	fe_mul(&qp, &qp, &pm);		/* Qp * Pm */
	fe_sq(&pp, &pp);		/* Pp^2 */
	fe_sq(&pm, &pm);		/* Pm^2 */
	fe_mul(&rx, &pp, &pm);		/* RX = Pp^2 Pm^2 */
	fe_sub(&t, &pp, &pm);		/* E = Pp^2 - Pm^2 */
	fe_mul(&rz, &a24, &t);		/* a24 E */
	fe_add(&rz, &rz, &pm);		/* a24 E + Pm^2 */
	fe_mul(&rz, &rz, &t);		/* RZ = E (a24 E + Pm^2) */
	fe_add(&sx, &qm, &qp);
	fe_sq(&sx, &sx);		/* SX = (Qm Pp + Qp Pm)^2 */
	fe_sub(&sz, &qm, &qp);
	fe_sq(&sz, &sz);
	fe_mul(&sz, &sz, &dx);		/* SZ = d (Qm Pp - Qp Pm)^2 */
	if ((rc = fe_to_mpi(&R->MBEDTLS_PRIVATE(X), &rx)) ||
	    (rc = fe_to_mpi(&R->MBEDTLS_PRIVATE(Z), &rz)) ||
	    (rc = fe_to_mpi(&S->MBEDTLS_PRIVATE(X), &sx)) ||
	    (rc = fe_to_mpi(&S->MBEDTLS_PRIVATE(Z), &sz)))
		return rc;
	return 0;
}

/* X = X / Z, Z = 1; a zero Z (the point at infinity) is an error. */
int mbedtls_internal_ecp_normalize_mxz(const mbedtls_ecp_group *grp,
				       mbedtls_ecp_point *P)
{
	fe x, z, zi;
	unsigned char b[32], acc = 0;
	int rc, i;

	(void)grp;
	if ((rc = fe_from_mpi(&x, &P->MBEDTLS_PRIVATE(X))) ||
	    (rc = fe_from_mpi(&z, &P->MBEDTLS_PRIVATE(Z))))
		return rc;
	fe_bytes(b, &z);
	for (i = 0; i < 32; i++)
		acc |= b[i];
	if (!acc)
		return MBEDTLS_ERR_MPI_NOT_ACCEPTABLE;
	fe_invert(&zi, &z);
	fe_mul(&x, &x, &zi);
	if ((rc = fe_to_mpi(&P->MBEDTLS_PRIVATE(X), &x)))
		return rc;
	return mbedtls_mpi_lset(&P->MBEDTLS_PRIVATE(Z), 1);
}

#endif /* MBEDTLS_ECP_INTERNAL_ALT */
