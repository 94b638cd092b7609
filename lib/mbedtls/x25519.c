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
 * what it costs here. Through the hooks, Mbed TLS keeps the ladder
 * loop, its swaps, the coordinate randomisation and the checks.
 *
 * The tail of the file does whole multiplications instead (ecp_mul.c
 * sends Mbed TLS's there): the ladder with the field elements kept in
 * limbs from the first bit to the last, and a fixed-base multiplication
 * for key generation through a table on the equivalent Edwards curve.
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
#include "ecp_fast.h"

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

/* 32 little-endian bytes, the top bit ignored (RFC 7748's decodeUCoordinate). */
static void fe_from_bytes(fe *h, const unsigned char b[32])
{
	uint64_t w0 = load64(b), w1 = load64(b + 8), w2 = load64(b + 16),
		 w3 = load64(b + 24);

	h->v[0] = w0 & M51;
	h->v[1] = (w0 >> 51 | w1 << 13) & M51;
	h->v[2] = (w1 >> 38 | w2 << 26) & M51;
	h->v[3] = (w2 >> 25 | w3 << 39) & M51;
	h->v[4] = (w3 >> 12) & M51;
}

/* An integer below 2^255 (Mbed TLS keeps coordinates below p). */
static int fe_from_mpi(fe *h, const mbedtls_mpi *x)
{
	unsigned char b[32];
	int rc = mbedtls_mpi_write_binary_le(x, b, sizeof(b));

	if (rc)
		return rc;
	fe_from_bytes(h, b);
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

/* h = sum t[i] 2^(51 i) mod p, limbs back below 2^51 (r[1]: 2^51 + a bit). */
static void fe_reduce128(fe *h, u128 t[5])
{
	uint64_t r[5];
	u128 c;
	int i;

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

/* Inputs' limbs below 2^54: the sums below stay under 2^128. */
static void fe_mul(fe *h, const fe *f, const fe *g)
{
	const uint64_t *a = f->v, *b = g->v;
	uint64_t b1 = 19 * b[1], b2 = 19 * b[2], b3 = 19 * b[3],
		 b4 = 19 * b[4];
	u128 t[5];

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
	fe_reduce128(h, t);
}

/* f^2: the products of fe_mul() with the symmetric ones paired. */
static void fe_sq(fe *h, const fe *f)
{
	const uint64_t *a = f->v;
	uint64_t d0 = 2 * a[0], d1 = 2 * a[1], d2 = 2 * a[2], d3 = 2 * a[3],
		 a3_19 = 19 * a[3], a4_19 = 19 * a[4];
	u128 t[5];

	t[0] = (u128)a[0] * a[0] + (u128)d1 * a4_19 + (u128)d2 * a3_19;
	t[1] = (u128)d0 * a[1] + (u128)d2 * a4_19 + (u128)a[3] * a3_19;
	t[2] = (u128)d0 * a[2] + (u128)a[1] * a[1] + (u128)d3 * a4_19;
	t[3] = (u128)d0 * a[3] + (u128)d1 * a[2] + (u128)a[4] * a4_19;
	t[4] = (u128)d0 * a[4] + (u128)d1 * a[3] + (u128)a[2] * a[2];
	fe_reduce128(h, t);
}

/* f c for a small constant c (below 2^20). */
static void fe_mul_small(fe *h, const fe *f, uint64_t c)
{
	u128 t[5];
	int i;

	for (i = 0; i < 5; i++)
		t[i] = (u128)f->v[i] * c;
	fe_reduce128(h, t);
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
	fe_mul_small(&rz, &t, 121666);	/* a24 E, a24 = (A + 2)/4 */
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


/*
 * Whole X25519 multiplications (ecp_mul.c sends Mbed TLS's to them):
 * the field elements stay in limbs from the first bit of the scalar to
 * the last, where the hooks above go through Mbed TLS's integers at
 * every ladder step.
 */

/* a, b = b, a when swap is 1; unchanged when 0; no branch. */
static void fe_cswap(fe *a, fe *b, uint64_t swap)
{
	uint64_t mask = (uint64_t)0 - swap, t;
	int i;

	for (i = 0; i < 5; i++) {
		t = mask & (a->v[i] ^ b->v[i]);
		a->v[i] ^= t;
		b->v[i] ^= t;
	}
}

/* a = b when flag is 1; no branch. */
static void fe_cmov(fe *a, const fe *b, uint64_t flag)
{
	uint64_t mask = (uint64_t)0 - flag;
	int i;

	for (i = 0; i < 5; i++)
		a->v[i] ^= mask & (a->v[i] ^ b->v[i]);
}

static int fe_is_zero(const fe *f)
{
	unsigned char b[32], acc = 0;
	int i;

	fe_bytes(b, f);
	for (i = 0; i < 32; i++)
		acc |= b[i];
	return !acc;
}

/* out = x / z; -1 for z = 0 (the point at infinity: a public result). */
static int fe_ratio(unsigned char out[32], const fe *x, const fe *z)
{
	fe zi, r;

	if (fe_is_zero(z))
		return -1;
	fe_invert(&zi, z);
	fe_mul(&r, x, &zi);
	fe_bytes(out, &r);
	return 0;
}

/* RFC 7748, section 5: the Montgomery ladder over bits 254..0 of k. */
int cn_mbedtls_x25519(unsigned char out[32], const unsigned char k[32],
		      const unsigned char u[32], const unsigned char *rnd)
{
	fe x1, x2 = { { 1 } }, z2 = { { 0 } }, x3, z3 = { { 1 } };
	fe a, aa, b, bb, c, d, e, da, cb;
	uint64_t swap = 0, bit;
	int t, rc;

	fe_from_bytes(&x1, u);
	x3 = x1;
	if (rnd) {
		/* (x3 : z3) = (u r : r), r random and not 0: the same point. */
		fe r;

		fe_from_bytes(&r, rnd);
		if (!fe_is_zero(&r)) {
			fe_mul(&x3, &x1, &r);
			z3 = r;
		}
	}
	for (t = 254; t >= 0; t--) {
		bit = (k[t >> 3] >> (t & 7)) & 1;
		swap ^= bit;
		fe_cswap(&x2, &x3, swap);
		fe_cswap(&z2, &z3, swap);
		swap = bit;
		fe_add(&a, &x2, &z2);
		fe_sq(&aa, &a);
		fe_sub(&b, &x2, &z2);
		fe_sq(&bb, &b);
		fe_sub(&e, &aa, &bb);
		fe_add(&c, &x3, &z3);
		fe_sub(&d, &x3, &z3);
		fe_mul(&da, &d, &a);
		fe_mul(&cb, &c, &b);
		fe_add(&x3, &da, &cb);
		fe_sq(&x3, &x3);
		fe_sub(&z3, &da, &cb);
		fe_sq(&z3, &z3);
		fe_mul(&z3, &z3, &x1);
		fe_mul(&x2, &aa, &bb);
		fe_mul_small(&z2, &e, 121665);	/* (A - 2)/4 */
		fe_add(&z2, &z2, &aa);
		fe_mul(&z2, &z2, &e);
	}
	fe_cswap(&x2, &x3, swap);
	fe_cswap(&z2, &z3, swap);
	rc = fe_ratio(out, &x2, &z2);
	mbedtls_platform_zeroize(&x2, sizeof(x2));
	mbedtls_platform_zeroize(&x3, sizeof(x3));
	return rc;
}

/*
 * Fixed base. Curve25519 is birationally equivalent to the twisted
 * Edwards curve -x^2 + y^2 = 1 + d x^2 y^2, d = -121665/121666 (the one
 * of Ed25519), by u = (1 + y)/(1 - y); its base point u = 9 is Ed25519's
 * B (y = 4/5). On the Edwards curve the addition law is complete (no
 * special case for doubling or the neutral point), so k B can be summed
 * from a table of multiples of B with no branch at all:
 *
 *   k = sum e_i 16^i, e_i in [-8, 8] (i = 0..63: signed radix 16),
 *   k B = sum e_i (16^i B), each e_i (16^i B) read from ed_tab[i][|e_i|-1]
 *   (negated for e_i < 0; the neutral point for e_i = 0),
 *
 * 64 mixed additions and no doubling, against 255 ladder steps. The
 * entries are affine, as (y + x, y - x, 2 d x y); each look-up reads all
 * eight of a row and keeps one by masks, so neither the time nor the
 * memory addresses depend on the scalar. The table (64 x 8 entries, 60
 * KiB of bss) is built once by cn_mbedtls_x25519_table_init().
 */
struct ed_pre {
	fe ypx, ymx, xy2d;
};

struct ed_p3 {			/* extended: x = X/Z, y = Y/Z, x y = T/Z */
	fe x, y, z, t;
};

static struct ed_pre ed_tab[64][8];
static fe ed_d2;		/* 2 d */
static int ed_ready;

/* Ed25519's B: x (the even root), y = 4/5, little-endian. */
static const unsigned char ed_bx[32] = {
	0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25,
	0x95, 0x60, 0xc7, 0x2c, 0x69, 0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2,
	0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21
};

/* r = p + q, q affine (add-2008-hwcd-3 for a = -1, Z2 = 1). */
static void ed_madd(struct ed_p3 *r, const struct ed_p3 *p,
		    const struct ed_pre *q)
{
	fe a, b, c, d, e, f, g, h;

	fe_sub(&a, &p->y, &p->x);
	fe_mul(&a, &a, &q->ymx);		/* A = (Y1 - X1)(y2 - x2) */
	fe_add(&b, &p->y, &p->x);
	fe_mul(&b, &b, &q->ypx);		/* B = (Y1 + X1)(y2 + x2) */
	fe_mul(&c, &p->t, &q->xy2d);		/* C = T1 2d x2 y2 */
	fe_add(&d, &p->z, &p->z);		/* D = 2 Z1 */
	fe_sub(&e, &b, &a);
	fe_sub(&f, &d, &c);
	fe_add(&g, &d, &c);
	fe_add(&h, &b, &a);
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

/* r = 2 p (dbl-2008-hwcd for a = -1). */
static void ed_dbl(struct ed_p3 *r, const struct ed_p3 *p)
{
	static const fe zero;
	fe a, b, c, e, f, g, h, s;

	fe_sq(&a, &p->x);
	fe_sq(&b, &p->y);
	fe_sq(&c, &p->z);
	fe_add(&c, &c, &c);			/* C = 2 Z^2 */
	fe_add(&s, &a, &b);
	fe_add(&e, &p->x, &p->y);
	fe_sq(&e, &e);
	fe_sub(&e, &e, &s);			/* E = (X + Y)^2 - A - B */
	fe_sub(&g, &b, &a);			/* G = B - A */
	fe_sub(&f, &g, &c);			/* F = G - C */
	fe_sub(&h, &zero, &s);			/* H = -A - B */
	fe_mul(&r->x, &e, &f);
	fe_mul(&r->y, &g, &h);
	fe_mul(&r->t, &e, &h);
	fe_mul(&r->z, &f, &g);
}

/* Affine (x, y) -> table entry. */
static void ed_pre_from(struct ed_pre *q, const fe *x, const fe *y)
{
	fe_add(&q->ypx, y, x);
	fe_carry(&q->ypx);
	fe_sub(&q->ymx, y, x);
	fe_mul(&q->xy2d, x, y);
	fe_mul(&q->xy2d, &q->xy2d, &ed_d2);
}

/* inv[i] = 1 / z[i] with one inversion (Montgomery's trick); n <= 9. */
static void fe_batch_invert(fe *inv, const fe *z, int n)
{
	fe acc[9], t;
	int i;

	acc[0] = z[0];
	for (i = 1; i < n; i++)
		fe_mul(&acc[i], &acc[i - 1], &z[i]);
	fe_invert(&t, &acc[n - 1]);
	for (i = n - 1; i > 0; i--) {
		fe_mul(&inv[i], &t, &acc[i - 1]);
		fe_mul(&t, &t, &z[i]);
	}
	inv[0] = t;
}

int cn_mbedtls_x25519_table_init(void)
{
	static const fe one = { { 1 } };
	fe bx, by, lhs, rhs, t, x2, y2, z[9], zi[9];
	struct ed_p3 e[9];
	struct ed_pre base;
	int i, j;

	if (__atomic_load_n(&ed_ready, __ATOMIC_ACQUIRE))
		return 0;
	/* d = -121665 / 121666, y = 4 / 5. */
	{
		fe n = { { 121665 } }, m = { { 121666 } }, zero = { { 0 } };

		fe_invert(&t, &m);
		fe_mul(&t, &t, &n);
		fe_sub(&t, &zero, &t);		/* d */
		fe_add(&ed_d2, &t, &t);
		fe_carry(&ed_d2);
		n = (fe){ { 4 } };
		m = (fe){ { 5 } };
		fe_invert(&by, &m);
		fe_mul(&by, &by, &n);
	}
	fe_from_bytes(&bx, ed_bx);
	/* B on the curve: -x^2 + y^2 = 1 + d x^2 y^2 (2 d x^2 y^2 / 2). */
	fe_sq(&x2, &bx);
	fe_sq(&y2, &by);
	fe_sub(&lhs, &y2, &x2);
	fe_add(&lhs, &lhs, &lhs);
	fe_mul(&rhs, &x2, &y2);
	fe_mul(&rhs, &rhs, &ed_d2);
	fe_add(&rhs, &rhs, &one);
	fe_add(&rhs, &rhs, &one);
	fe_sub(&t, &lhs, &rhs);
	if (!fe_is_zero(&t))
		return -1;
	ed_pre_from(&base, &bx, &by);
	for (i = 0; i < 64; i++) {
		/* e[j] = (j + 1) 16^i B; e[8] = 16^(i+1) B. */
		e[0].x = bx;
		e[0].y = by;
		e[0].z = one;
		fe_mul(&e[0].t, &bx, &by);
		for (j = 1; j < 8; j++)
			ed_madd(&e[j], &e[j - 1], &base);
		ed_dbl(&e[8], &e[7]);
		for (j = 0; j < 9; j++)
			z[j] = e[j].z;
		fe_batch_invert(zi, z, 9);
		for (j = 0; j < 9; j++) {
			fe_mul(&x2, &e[j].x, &zi[j]);
			fe_mul(&y2, &e[j].y, &zi[j]);
			if (j < 8) {
				ed_pre_from(&ed_tab[i][j], &x2, &y2);
			} else {
				bx = x2;
				by = y2;
				ed_pre_from(&base, &bx, &by);
			}
		}
	}
	__atomic_store_n(&ed_ready, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Signed radix 16: e[i] in [-8, 8), the last in [-8, 8] (k < 2^255). */
static void recode16(signed char e[64], const unsigned char k[32])
{
	int i, carry = 0;

	for (i = 0; i < 32; i++) {
		e[2 * i] = (signed char)(k[i] & 15);
		e[2 * i + 1] = (signed char)(k[i] >> 4);
	}
	for (i = 0; i < 63; i++) {
		e[i] = (signed char)(e[i] + carry);
		carry = (e[i] + 8) >> 4;
		e[i] = (signed char)(e[i] - (carry << 4));
	}
	e[63] = (signed char)(e[63] + carry);
}

/* q = e (16^i B), by masks over the whole row. */
static void ed_select(struct ed_pre *q, int i, int e)
{
	uint64_t neg = (uint64_t)((unsigned int)e >> 31);
	unsigned int abs = (unsigned int)((e ^ -(int)neg) + (int)neg);
	struct ed_pre n;
	int j;

	memset(q, 0, sizeof(*q));
	q->ypx.v[0] = 1;			/* the neutral point (0, 1) */
	q->ymx.v[0] = 1;
	for (j = 0; j < 8; j++) {
		uint64_t eq = ((uint64_t)(abs ^ (unsigned int)(j + 1)) - 1) >> 63;

		fe_cmov(&q->ypx, &ed_tab[i][j].ypx, eq);
		fe_cmov(&q->ymx, &ed_tab[i][j].ymx, eq);
		fe_cmov(&q->xy2d, &ed_tab[i][j].xy2d, eq);
	}
	/* -(x, y) = (-x, y): swap y + x and y - x, negate 2 d x y. */
	{
		static const fe zero;

		n.ypx = q->ymx;
		n.ymx = q->ypx;
		fe_sub(&n.xy2d, &zero, &q->xy2d);
	}
	fe_cmov(&q->ypx, &n.ypx, neg);
	fe_cmov(&q->ymx, &n.ymx, neg);
	fe_cmov(&q->xy2d, &n.xy2d, neg);
}

int cn_mbedtls_x25519_base(unsigned char out[32], const unsigned char k[32])
{
	struct ed_p3 r = { .y = { { 1 } }, .z = { { 1 } } };
	struct ed_pre q;
	signed char e[64];
	fe num, den;
	int i, rc;

	if (!__atomic_load_n(&ed_ready, __ATOMIC_ACQUIRE))
		return -2;
	recode16(e, k);
	for (i = 0; i < 64; i++) {
		ed_select(&q, i, e[i]);
		ed_madd(&r, &r, &q);
	}
	/* u = (1 + y)/(1 - y) = (Z + Y)/(Z - Y). */
	fe_add(&num, &r.z, &r.y);
	fe_sub(&den, &r.z, &r.y);
	rc = fe_ratio(out, &num, &den);
	mbedtls_platform_zeroize(e, sizeof(e));
	mbedtls_platform_zeroize(&r, sizeof(r));
	mbedtls_platform_zeroize(&q, sizeof(q));
	return rc;
}

#endif /* MBEDTLS_ECP_INTERNAL_ALT */
