/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * P-256's point doubling and mixed addition for Mbed TLS (its
 * MBEDTLS_ECP_INTERNAL_ALT hooks MBEDTLS_ECP_DOUBLE_JAC_ALT and
 * MBEDTLS_ECP_ADD_MIXED_ALT; x25519.c says which groups take them), in
 * Montgomery arithmetic for the one prime p = 2^256 - 2^224 + 2^192 +
 * 2^96 - 1: four 64-bit limbs, 128-bit products, and since p = -1 mod
 * 2^64 each reduction step needs no multiplication by -1/p. These two
 * are the inner loop of Mbed TLS's comb method, so of the ECDSA
 * signature of every TLS handshake (and of P-256 key exchanges); Mbed
 * TLS's generic code does each field operation with its arbitrary-size
 * integers (an allocation and a generic reduction per product).
 *
 * The tail of the file serves ecp_mul.c and ecdsa_sign.c: k G from a
 * fixed-base table, and ECDSA's arithmetic modulo the group order.
 *
 * The hooks' formulas and special cases are Mbed TLS's own (ecp.c's
 * ecp_double_jac() for A = -3 and ecp_add_mixed()), so the results are
 * the same points; the branches are the ones Mbed TLS has (on the zero
 * point and on P == +-Q, which its comb method's callers rule out for
 * secret-dependent inputs). The field operations themselves have no
 * branch and no memory index that depends on a value.
 */
#include <stdint.h>
#include <string.h>
#include <mbedtls/ecp.h>
#include <mbedtls/bignum.h>
#include <mbedtls/platform_util.h>
#include "ecp_bytes.h"
#include "ecp_fast.h"

#if defined(MBEDTLS_ECP_INTERNAL_ALT)

typedef unsigned __int128 u128;
typedef struct { uint64_t v[4]; } fp;	/* a * 2^256 mod p (Montgomery) */

int mbedtls_internal_ecp_double_jac(const mbedtls_ecp_group *grp,
				    mbedtls_ecp_point *R,
				    const mbedtls_ecp_point *P);
int mbedtls_internal_ecp_add_mixed(const mbedtls_ecp_group *grp,
				   mbedtls_ecp_point *R,
				   const mbedtls_ecp_point *P,
				   const mbedtls_ecp_point *Q);

static const uint64_t p256[4] = {
	UINT64_C(0xffffffffffffffff), UINT64_C(0x00000000ffffffff), 0,
	UINT64_C(0xffffffff00000001)
};
static const fp r2 = { {	/* 2^512 mod p: into Montgomery form */
	3, UINT64_C(0xfffffffbffffffff), UINT64_C(0xfffffffffffffffe),
	UINT64_C(0x00000004fffffffd)
} };
static const fp one = { { 1, 0, 0, 0 } };	/* out of it */

/* r = t - p if t (with carry hi) >= p, else t; t below 2p. */
static void fp_reduce(fp *r, const uint64_t t[4], uint64_t hi)
{
	uint64_t s[4], borrow = 0, keep;
	int i;

	for (i = 0; i < 4; i++) {
		u128 d = (u128)t[i] - p256[i] - borrow;

		s[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	/* Keep t when it had no carry and subtracting p borrowed. */
	keep = (uint64_t)0 - ((~hi & 1) & borrow);
	for (i = 0; i < 4; i++)
		r->v[i] = (t[i] & keep) | (s[i] & ~keep);
}

/* r = a b / 2^256 mod p (CIOS); a b below p 2^256. */
static void fp_mul(fp *r, const fp *a, const fp *b)
{
	uint64_t t[6] = { 0 }, m;
	u128 c;
	int i, j;

#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		c = 0;
#pragma GCC unroll 4
		for (j = 0; j < 4; j++) {
			c += (u128)a->v[j] * b->v[i] + t[j];
			t[j] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[4] = (uint64_t)c;
		t[5] = (uint64_t)(c >> 64);
		m = t[0];			/* t[0] * (-1/p mod 2^64) */
		c = ((u128)m * p256[0] + t[0]) >> 64;
#pragma GCC unroll 4
		for (j = 1; j < 4; j++) {
			c += (u128)m * p256[j] + t[j];
			t[j - 1] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[3] = (uint64_t)c;
		t[4] = t[5] + (uint64_t)(c >> 64);
	}
	fp_reduce(r, t, t[4]);
}

static void fp_add(fp *r, const fp *a, const fp *b)
{
	uint64_t t[4];
	u128 c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		c += (u128)a->v[i] + b->v[i];
		t[i] = (uint64_t)c;
		c >>= 64;
	}
	fp_reduce(r, t, (uint64_t)c);
}

static void fp_sub(fp *r, const fp *a, const fp *b)
{
	uint64_t t[4], borrow = 0, mask;
	u128 d, c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		d = (u128)a->v[i] - b->v[i] - borrow;
		t[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	mask = (uint64_t)0 - borrow;		/* add p back when negative */
	for (i = 0; i < 4; i++) {
		c += (u128)t[i] + (p256[i] & mask);
		r->v[i] = (uint64_t)c;
		c >>= 64;
	}
}

static int fp_is_zero(const fp *a)
{
	return !(a->v[0] | a->v[1] | a->v[2] | a->v[3]);
}

/* An integer below 2^256 into Montgomery form. */
static int fp_from_mpi(fp *r, const mbedtls_mpi *x)
{
	unsigned char b[32];
	fp t;
	int rc = mbedtls_mpi_write_binary_le(x, b, sizeof(b)), i;

	if (rc)
		return rc;
	for (i = 0; i < 4; i++)
		t.v[i] = load64(b + 8 * i);
	fp_mul(r, &t, &r2);
	mbedtls_platform_zeroize(b, sizeof(b));
	return 0;
}

static int fp_to_mpi(mbedtls_mpi *x, const fp *a)
{
	unsigned char b[32];
	fp t;
	int rc, i;

	fp_mul(&t, a, &one);
	for (i = 0; i < 4; i++)
		store64(b + 8 * i, t.v[i]);
	rc = mbedtls_mpi_read_binary_le(x, b, sizeof(b));
	mbedtls_platform_zeroize(b, sizeof(b));
	return rc;
}

struct jac {
	fp x, y, z;
};

static int jac_from(struct jac *j, const mbedtls_ecp_point *P)
{
	int rc;

	if ((rc = fp_from_mpi(&j->x, &P->MBEDTLS_PRIVATE(X))) ||
	    (rc = fp_from_mpi(&j->y, &P->MBEDTLS_PRIVATE(Y))) ||
	    (rc = fp_from_mpi(&j->z, &P->MBEDTLS_PRIVATE(Z))))
		return rc;
	return 0;
}

static int jac_to(mbedtls_ecp_point *R, const struct jac *j)
{
	int rc;

	if ((rc = fp_to_mpi(&R->MBEDTLS_PRIVATE(X), &j->x)) ||
	    (rc = fp_to_mpi(&R->MBEDTLS_PRIVATE(Y), &j->y)) ||
	    (rc = fp_to_mpi(&R->MBEDTLS_PRIVATE(Z), &j->z)))
		return rc;
	return 0;
}

/* R = 2P for A = -3 (4M + 4S), as ecp_double_jac(). */
static void jac_double(struct jac *r, const struct jac *p)
{
	fp m, s, t, u, w;

	fp_mul(&w, &p->z, &p->z);		/* Z^2 */
	fp_add(&t, &p->x, &w);
	fp_sub(&u, &p->x, &w);
	fp_mul(&w, &t, &u);			/* (X + Z^2)(X - Z^2) */
	fp_add(&m, &w, &w);
	fp_add(&m, &m, &w);			/* M = 3 (X + Z^2)(X - Z^2) */
	fp_mul(&t, &p->y, &p->y);
	fp_add(&t, &t, &t);			/* 2 Y^2 */
	fp_mul(&s, &p->x, &t);
	fp_add(&s, &s, &s);			/* S = 4 X Y^2 */
	fp_mul(&u, &t, &t);
	fp_add(&u, &u, &u);			/* U = 8 Y^4 */
	fp_mul(&w, &p->y, &p->z);
	fp_add(&r->z, &w, &w);			/* Z' = 2 Y Z */
	fp_mul(&t, &m, &m);
	fp_sub(&t, &t, &s);
	fp_sub(&t, &t, &s);			/* T = M^2 - 2 S */
	fp_sub(&s, &s, &t);
	fp_mul(&s, &s, &m);
	fp_sub(&r->y, &s, &u);			/* Y' = M (S - T) - U */
	r->x = t;				/* X' = T */
}

int mbedtls_internal_ecp_double_jac(const mbedtls_ecp_group *grp,
				    mbedtls_ecp_point *R,
				    const mbedtls_ecp_point *P)
{
	struct jac p, r;
	int rc;

	(void)grp;
	if ((rc = jac_from(&p, P)))
		return rc;
	jac_double(&r, &p);
	return jac_to(R, &r);
}

/* R = P + Q, Q affine (Z = 1): ecp_add_mixed()'s cases and formulas. */
int mbedtls_internal_ecp_add_mixed(const mbedtls_ecp_group *grp,
				   mbedtls_ecp_point *R,
				   const mbedtls_ecp_point *P,
				   const mbedtls_ecp_point *Q)
{
	struct jac p, r;
	fp qx, qy, t0, t1, t2, t3;
	int rc;

	(void)grp;
	if (!Q->MBEDTLS_PRIVATE(Z).MBEDTLS_PRIVATE(p))
		return MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	if (mbedtls_mpi_cmp_int(&P->MBEDTLS_PRIVATE(Z), 0) == 0)
		return mbedtls_ecp_copy(R, Q);
	if (mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(Z), 0) == 0)
		return mbedtls_ecp_copy(R, P);
	if (mbedtls_mpi_cmp_int(&Q->MBEDTLS_PRIVATE(Z), 1) != 0)
		return MBEDTLS_ERR_ECP_BAD_INPUT_DATA;
	if ((rc = jac_from(&p, P)) ||
	    (rc = fp_from_mpi(&qx, &Q->MBEDTLS_PRIVATE(X))) ||
	    (rc = fp_from_mpi(&qy, &Q->MBEDTLS_PRIVATE(Y))))
		return rc;
	fp_mul(&t0, &p.z, &p.z);		/* Z1^2 */
	fp_mul(&t1, &t0, &p.z);			/* Z1^3 */
	fp_mul(&t0, &t0, &qx);
	fp_mul(&t1, &t1, &qy);
	fp_sub(&t0, &t0, &p.x);			/* H = X2 Z1^2 - X1 */
	fp_sub(&t1, &t1, &p.y);			/* r = Y2 Z1^3 - Y1 */
	if (fp_is_zero(&t0)) {
		if (fp_is_zero(&t1)) {		/* P == Q */
			jac_double(&r, &p);
			return jac_to(R, &r);
		}
		return mbedtls_ecp_set_zero(R);	/* P == -Q */
	}
	fp_mul(&r.z, &p.z, &t0);		/* Z3 = Z1 H */
	fp_mul(&t2, &t0, &t0);			/* H^2 */
	fp_mul(&t3, &t2, &t0);			/* H^3 */
	fp_mul(&t2, &t2, &p.x);			/* X1 H^2 */
	fp_add(&t0, &t2, &t2);
	fp_mul(&r.x, &t1, &t1);
	fp_sub(&r.x, &r.x, &t0);
	fp_sub(&r.x, &r.x, &t3);		/* X3 = r^2 - 2 X1 H^2 - H^3 */
	fp_sub(&t2, &t2, &r.x);
	fp_mul(&t2, &t2, &t1);
	fp_mul(&t3, &t3, &p.y);
	fp_sub(&r.y, &t2, &t3);			/* Y3 = r (X1 H^2 - X3) - Y1 H^3 */
	return jac_to(R, &r);
}


/*
 * Fixed base: k G for ECDSA signatures (the nonce's k G) and P-256 key
 * generation, from a table of G's multiples (ecp_mul.c sends Mbed TLS's
 * calls here when the point is the group's G):
 *
 *   k = sum e_i 16^i, e_i in [-8, 8) (i = 0..63) plus a last e_64 in
 *   {0, 1} (signed radix 16 of a k below 2^256),
 *   k G = sum e_i (16^i G), each read from p256_tab[i][|e_i| - 1] and
 *   negated (y -> p - y) for e_i < 0,
 *
 * 65 mixed additions and no doubling, against Mbed TLS's comb (its
 * doublings and additions through its integers). The additions use the
 * incomplete Jacobian formulas, which fail only when both points are
 * equal, opposite or infinite: the sum so far is s 16^i G with
 * |s| < 16^i and the new term e_i 16^i G with |e_i| >= 1, so both
 * s - e_i 16^i and s + e_i 16^i are nonzero and below n in size; the
 * last term (2^256 G) could only meet one for k >= n or k = 0, which the
 * caller refused. The neutral cases (no term yet, a zero digit) are
 * chosen by masks, not branches: every row costs one look-up of all
 * eight entries and one addition, whatever k is. The table (65 x 8
 * affine points, Montgomery form, 33 KiB of bss) is built once by
 * cn_mbedtls_p256_table_init().
 */
struct aff {
	fp x, y;
};

static struct aff p256_tab[65][8];
static int p256_ready;

static void fp_cmov(fp *a, const fp *b, uint64_t flag)
{
	uint64_t mask = (uint64_t)0 - flag;
	int i;

	for (i = 0; i < 4; i++)
		a->v[i] ^= mask & (a->v[i] ^ b->v[i]);
}

static void fp_sq_n(fp *r, const fp *a, int n)
{
	fp_mul(r, a, a);
	while (--n > 0)
		fp_mul(r, r, r);
}

/*
 * r = a^(p - 2) = 1/a (Fermat), p - 2 = 2^256 - 2^224 + 2^192 + 2^96 - 3
 * in binary: 32 ones, 31 zeros and a one, 96 zeros, 94 ones, 0, 1. The
 * chain builds runs of ones (x_n = a^(2^n - 1)): 255 squarings and 12
 * products, the same whatever a is.
 */
static void fp_inv(fp *r, const fp *a)
{
	fp x2, x3, x6, x12, x15, x30, x32, t;

	fp_sq_n(&t, a, 1);
	fp_mul(&x2, &t, a);
	fp_sq_n(&t, &x2, 1);
	fp_mul(&x3, &t, a);
	fp_sq_n(&t, &x3, 3);
	fp_mul(&x6, &t, &x3);
	fp_sq_n(&t, &x6, 6);
	fp_mul(&x12, &t, &x6);
	fp_sq_n(&t, &x12, 3);
	fp_mul(&x15, &t, &x3);
	fp_sq_n(&t, &x15, 15);
	fp_mul(&x30, &t, &x15);
	fp_sq_n(&t, &x30, 2);
	fp_mul(&x32, &t, &x2);
	fp_sq_n(&t, &x32, 32);
	fp_mul(&t, &t, a);
	fp_sq_n(&t, &t, 128);
	fp_mul(&t, &t, &x32);
	fp_sq_n(&t, &t, 32);
	fp_mul(&t, &t, &x32);
	fp_sq_n(&t, &t, 30);
	fp_mul(&t, &t, &x30);
	fp_sq_n(&t, &t, 2);
	fp_mul(r, &t, a);
}

/* r = p + (qx, qy), q affine, no special case (see above). */
static void jac_add_aff(struct jac *r, const struct jac *p, const fp *qx,
			const fp *qy)
{
	fp t0, t1, t2, t3, x3, z3;

	fp_mul(&t0, &p->z, &p->z);		/* Z1^2 */
	fp_mul(&t1, &t0, &p->z);		/* Z1^3 */
	fp_mul(&t0, &t0, qx);
	fp_mul(&t1, &t1, qy);
	fp_sub(&t0, &t0, &p->x);		/* H = X2 Z1^2 - X1 */
	fp_sub(&t1, &t1, &p->y);		/* R = Y2 Z1^3 - Y1 */
	fp_mul(&z3, &p->z, &t0);		/* Z3 = Z1 H */
	fp_mul(&t2, &t0, &t0);			/* H^2 */
	fp_mul(&t3, &t2, &t0);			/* H^3 */
	fp_mul(&t2, &t2, &p->x);		/* X1 H^2 */
	fp_add(&t0, &t2, &t2);
	fp_mul(&x3, &t1, &t1);
	fp_sub(&x3, &x3, &t0);
	fp_sub(&x3, &x3, &t3);			/* X3 = R^2 - 2 X1 H^2 - H^3 */
	fp_sub(&t2, &t2, &x3);
	fp_mul(&t2, &t2, &t1);
	fp_mul(&t3, &t3, &p->y);
	fp_sub(&r->y, &t2, &t3);		/* Y3 = R (X1 H^2 - X3) - Y1 H^3 */
	r->x = x3;
	r->z = z3;
}

int cn_mbedtls_p256_table_init(const unsigned char gx[32],
			       const unsigned char gy[32])
{
	struct jac e[9];
	struct aff base;
	fp one_m, acc[9], t, zi, zi2;
	int i, j;

	if (__atomic_load_n(&p256_ready, __ATOMIC_ACQUIRE))
		return 0;
	fp_mul(&one_m, &one, &r2);		/* 1 in Montgomery form */
	for (i = 0; i < 4; i++) {
		base.x.v[i] = load64(gx + 8 * i);
		base.y.v[i] = load64(gy + 8 * i);
	}
	fp_mul(&base.x, &base.x, &r2);
	fp_mul(&base.y, &base.y, &r2);
	for (i = 0; i < 65; i++) {
		/* e[j] = (j + 1) 16^i G; e[8] = 16^(i+1) G. */
		e[0].x = base.x;
		e[0].y = base.y;
		e[0].z = one_m;
		jac_double(&e[1], &e[0]);
		for (j = 2; j < 8; j++)
			jac_add_aff(&e[j], &e[j - 1], &base.x, &base.y);
		jac_double(&e[8], &e[7]);
		/* One inversion for the nine Z (Montgomery's trick). */
		acc[0] = e[0].z;
		for (j = 1; j < 9; j++)
			fp_mul(&acc[j], &acc[j - 1], &e[j].z);
		fp_inv(&t, &acc[8]);
		for (j = 8; j >= 0; j--) {
			if (j) {
				fp_mul(&zi, &t, &acc[j - 1]);
				fp_mul(&t, &t, &e[j].z);
			} else {
				zi = t;
			}
			fp_mul(&zi2, &zi, &zi);
			fp_mul(&e[j].x, &e[j].x, &zi2);
			fp_mul(&zi2, &zi2, &zi);
			fp_mul(&e[j].y, &e[j].y, &zi2);
		}
		for (j = 0; j < 8; j++) {
			p256_tab[i][j].x = e[j].x;
			p256_tab[i][j].y = e[j].y;
		}
		base.x = e[8].x;
		base.y = e[8].y;
	}
	__atomic_store_n(&p256_ready, 1, __ATOMIC_RELEASE);
	return 0;
}

int cn_mbedtls_p256_base(unsigned char x[32], unsigned char y[32],
			 const unsigned char k[32])
{
	static const fp zero;
	struct jac r, s;
	struct aff q;
	fp one_m, ny, zi, t;
	signed char e[65];
	uint64_t inf = 1;	/* r is still the point at infinity */
	int i, j, carry = 0;

	if (!__atomic_load_n(&p256_ready, __ATOMIC_ACQUIRE))
		return -2;
	fp_mul(&one_m, &one, &r2);
	for (i = 0; i < 32; i++) {
		e[2 * i] = (signed char)(k[i] & 15);
		e[2 * i + 1] = (signed char)(k[i] >> 4);
	}
	for (i = 0; i < 64; i++) {
		e[i] = (signed char)(e[i] + carry);
		carry = (e[i] + 8) >> 4;
		e[i] = (signed char)(e[i] - (carry << 4));
	}
	e[64] = (signed char)carry;
	r.x = r.y = r.z = zero;
	for (i = 0; i < 65; i++) {
		uint64_t neg = (uint64_t)((unsigned int)(int)e[i] >> 31);
		unsigned int abs = (unsigned int)((e[i] ^ -(int)neg) +
						  (int)neg);
		uint64_t nz = ((uint64_t)abs + UINT64_C(0xffffffff)) >> 32;

		q.x = q.y = zero;
		for (j = 0; j < 8; j++) {
			uint64_t eq = ((uint64_t)(abs ^ (unsigned int)(j + 1)) -
				       1) >> 63;

			fp_cmov(&q.x, &p256_tab[i][j].x, eq);
			fp_cmov(&q.y, &p256_tab[i][j].y, eq);
		}
		fp_sub(&ny, &zero, &q.y);
		fp_cmov(&q.y, &ny, neg);
		jac_add_aff(&s, &r, &q.x, &q.y);
		/* A zero digit keeps r; the first term replaces it. */
		fp_cmov(&r.x, &s.x, nz);
		fp_cmov(&r.y, &s.y, nz);
		fp_cmov(&r.z, &s.z, nz);
		fp_cmov(&r.x, &q.x, nz & inf);
		fp_cmov(&r.y, &q.y, nz & inf);
		fp_cmov(&r.z, &one_m, nz & inf);
		inf &= nz ^ 1;
	}
	mbedtls_platform_zeroize(e, sizeof(e));
	if (inf | fp_is_zero(&r.z))
		return -1;
	fp_inv(&zi, &r.z);
	fp_mul(&t, &zi, &zi);
	fp_mul(&r.x, &r.x, &t);
	fp_mul(&t, &t, &zi);
	fp_mul(&r.y, &r.y, &t);
	fp_mul(&r.x, &r.x, &one);		/* out of Montgomery form */
	fp_mul(&r.y, &r.y, &one);
	for (i = 0; i < 4; i++) {
		store64(x + 8 * i, r.x.v[i]);
		store64(y + 8 * i, r.y.v[i]);
	}
	mbedtls_platform_zeroize(&r, sizeof(r));
	mbedtls_platform_zeroize(&s, sizeof(s));
	return 0;
}


/*
 * ECDSA's arithmetic modulo the group order n (mbedtls_ecdsa_sign() in
 * ecdsa_sign.c): s = (e + r d) / k mod n. Montgomery form again (CIOS,
 * with -1/n mod 2^64 this time), and 1/k as k^(n - 2) by square and
 * multiply over the public exponent's bits: the same products whatever
 * k is, where Mbed TLS's constant-time binary inversion took as long as
 * the whole k G above.
 */
static const uint64_t n256[4] = {
	UINT64_C(0xf3b9cac2fc632551), UINT64_C(0xbce6faada7179e84),
	UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffff00000000)
};
static const uint64_t n_r2[4] = {	/* 2^512 mod n */
	UINT64_C(0x83244c95be79eea2), UINT64_C(0x4699799c49bd6fa6),
	UINT64_C(0x2845b2392b6bec59), UINT64_C(0x66e12d94f3d95620)
};
#define N0	UINT64_C(0xccd1c8aaee00bc4f)	/* -1/n mod 2^64 */

/* r = t - n if t (carry hi) >= n, else t; t below 2n. */
static void sn_reduce(uint64_t r[4], const uint64_t t[4], uint64_t hi)
{
	uint64_t s[4], borrow = 0, keep;
	int i;

	for (i = 0; i < 4; i++) {
		u128 d = (u128)t[i] - n256[i] - borrow;

		s[i] = (uint64_t)d;
		borrow = (uint64_t)(d >> 64) & 1;
	}
	keep = (uint64_t)0 - ((~hi & 1) & borrow);
	for (i = 0; i < 4; i++)
		r[i] = (t[i] & keep) | (s[i] & ~keep);
}

/* r = a b / 2^256 mod n; a, b below n. */
static void sn_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[6] = { 0 }, m;
	u128 c;
	int i, j;

#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		c = 0;
#pragma GCC unroll 4
		for (j = 0; j < 4; j++) {
			c += (u128)a[j] * b[i] + t[j];
			t[j] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[4] = (uint64_t)c;
		t[5] = (uint64_t)(c >> 64);
		m = t[0] * N0;
		c = ((u128)m * n256[0] + t[0]) >> 64;
#pragma GCC unroll 4
		for (j = 1; j < 4; j++) {
			c += (u128)m * n256[j] + t[j];
			t[j - 1] = (uint64_t)c;
			c >>= 64;
		}
		c += t[4];
		t[3] = (uint64_t)c;
		t[4] = t[5] + (uint64_t)(c >> 64);
	}
	sn_reduce(r, t, t[4]);
}

static void sn_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t t[4];
	u128 c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		c += (u128)a[i] + b[i];
		t[i] = (uint64_t)c;
		c >>= 64;
	}
	sn_reduce(r, t, (uint64_t)c);
}

/* r = a^(n - 2) = 1/a, a in Montgomery form; n - 2 is public. */
static void sn_inv(uint64_t r[4], const uint64_t a[4])
{
	static const uint64_t e[4] = {
		UINT64_C(0xf3b9cac2fc63254f), UINT64_C(0xbce6faada7179e84),
		UINT64_C(0xffffffffffffffff), UINT64_C(0xffffffff00000000)
	};
	uint64_t t[4];
	int i;

	memcpy(t, a, sizeof(t));		/* bit 255 of e is 1 */
	for (i = 254; i >= 0; i--) {
		sn_mul(t, t, t);
		if ((e[i >> 6] >> (i & 63)) & 1)
			sn_mul(t, t, a);
	}
	memcpy(r, t, sizeof(t));
}

static int is_zero4(const uint64_t a[4])
{
	return !(a[0] | a[1] | a[2] | a[3]);
}

int cn_mbedtls_p256_sign(unsigned char rb[32], unsigned char sb[32],
			 const unsigned char kb[32], const unsigned char db[32],
			 const unsigned char eb[32])
{
	static const uint64_t one4[4] = { 1, 0, 0, 0 };
	unsigned char x[32], y[32];
	uint64_t k[4], d[4], e[4], r[4], s[4], t[4];
	int i, rc;

	if ((rc = cn_mbedtls_p256_base(x, y, kb)))
		return rc;
	for (i = 0; i < 4; i++) {
		r[i] = load64(x + 8 * i);
		k[i] = load64(kb + 8 * i);
		d[i] = load64(db + 8 * i);
		e[i] = load64(eb + 8 * i);
	}
	sn_reduce(r, r, 0);			/* x < p < 2n: r = x mod n */
	if (is_zero4(r))
		return -1;
	for (i = 0; i < 4; i++)
		store64(rb + 8 * i, r[i]);
	sn_mul(k, k, n_r2);			/* into Montgomery form */
	sn_mul(d, d, n_r2);
	sn_mul(e, e, n_r2);
	sn_mul(t, r, n_r2);
	sn_mul(t, t, d);			/* r d */
	sn_add(t, t, e);			/* e + r d */
	sn_inv(k, k);				/* 1/k */
	sn_mul(s, k, t);
	sn_mul(s, s, one4);			/* out of Montgomery form */
	rc = is_zero4(s) ? -1 : 0;
	for (i = 0; i < 4; i++)
		store64(sb + 8 * i, s[i]);
	mbedtls_platform_zeroize(k, sizeof(k));
	mbedtls_platform_zeroize(d, sizeof(d));
	mbedtls_platform_zeroize(t, sizeof(t));
	return rc;
}

#endif /* MBEDTLS_ECP_INTERNAL_ALT */
