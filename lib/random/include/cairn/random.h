/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * random: the image's one cryptographically secure random generator, the
 * one behind getrandom(), getentropy(), /dev/random and /dev/urandom,
 * arc4random() and lib/mbedtls's entropy.
 *
 * A ChaCha20 generator with fast key erasure (every request ends by
 * replacing the key with fresh generator output, so a later look at the
 * state cannot recompute earlier output), keyed from the hardware
 * sources the image has:
 *
 *  - the CPU's generator, cn_arch_random_u64() (RDSEED/RDRAND on x86_64,
 *    RNDR on arm64): 256 bits at first use and before every request;
 *  - registered sources (drivers/virtio-rng): 256 bits at first use,
 *    when a source registers, and then once a minute.
 *
 * "Trusted" means at least one of them delivered 256 bits: only then
 * should keys be made (lib/mbedtls refuses otherwise). An image with
 * neither is seeded once from clock jitter, warns at first use, and
 * cn_random_trusted() stays false.
 */
#ifndef CAIRN_RANDOM_H
#define CAIRN_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The ChaCha20 block function of RFC 8439, section 2.3: the 64-byte key
 * stream block for key, counter and nonce (32-bit words, little-endian
 * as in the RFC's byte serialisation) written to out. Pure, no state.
 */
void cn_random_chacha20_block(const uint32_t key[8], uint32_t counter,
			      const uint32_t nonce[3], uint8_t out[64]);

/*
 * The generator's core, with no lock, no source and no platform (it also
 * builds on the host). Start from a zeroed context; mix in seed material,
 * then generate.
 */
struct cn_random_ctx {
	uint32_t key[8];
	uint64_t counter;	/* blocks generated under this key */
};

/*
 * Folds len bytes of seed material into the key: each 32-byte piece is
 * XORed into the key, which is then replaced by the first half of a
 * ChaCha20 block under it (a one-way step: the old key cannot be
 * recovered from the new one).
 */
void cn_random_ctx_mix(struct cn_random_ctx *c, const void *seed,
		       size_t len);

/* len bytes of output, then a new key (fast key erasure). */
void cn_random_ctx_generate(struct cn_random_ctx *c, void *buf, size_t len);

/*
 * Fills buf with len random bytes. Never fails; never blocks for long
 * (a registered source may be asked for 32 bytes, with a deadline).
 * Threads only, not interrupt handlers.
 */
void cn_random_bytes(void *buf, size_t len);

/*
 * True when the generator was seeded with 256 bits from a hardware source
 * (the CPU's or a registered device). Seeds the generator if it was not
 * yet. Code that makes keys must refuse to when this is false.
 */
bool cn_random_trusted(void);

/*
 * A hardware entropy source a driver registers (drivers/virtio-rng).
 * read() fills buf with up to len bytes of full entropy and returns how
 * many, or a negative errno; it runs in a thread with the generator's
 * lock held, may sleep, and must give up after about a second.
 */
struct cn_random_source {
	const char *name;
	ssize_t (*read)(struct cn_random_source *s, void *buf, size_t len);
	void *priv;
	struct cn_random_source *next;	/* the generator's */
};

/*
 * Adds s (which must stay valid) to the sources; the next request draws
 * from it. Returns 0, or -EINVAL when s has no read().
 */
int cn_random_source_register(struct cn_random_source *s);

/*
 * The sources in use, for logs and /status: e.g. "cpu", "cpu virtio-rng",
 * or "" when none. Writes at most size bytes (NUL-terminated) to buf.
 */
void cn_random_sources(char *buf, size_t size);

#endif
