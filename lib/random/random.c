/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The image's generator (<cairn/random.h>): chacha.c's core behind one
 * mutex, seeded from the CPU's generator and the registered sources, and
 * the C library's entry points on top: getrandom() and getentropy()
 * (picolibc's arc4random() calls the latter).
 *
 * Why the CPU is asked before every request but devices only once a
 * minute: RDSEED/RNDR cost a few hundred cycles, while a device source
 * is a round trip through a virtqueue and the host. Either alone is
 * enough to be trusted; the generator's output depends on both.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <cairn/arch.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/random.h>
#include <cairn/sync.h>

#define SEED_BYTES	32
#define PULL_EVERY_NS	(60ull * 1000000000ull)
#define GETRANDOM_MAX	33554431	/* per call, as Linux */

static struct cn_mutex lock = CN_MUTEX_INIT;
static struct cn_random_ctx ctx;
static struct cn_random_source *sources;
static bool seeded, trusted, cpu_ok, source_ok, pull_now;
static uint64_t next_pull;

/* 256 bits from the CPU's generator into the key; false when it has none. */
static bool mix_cpu(void)
{
	uint64_t w[SEED_BYTES / 8];
	unsigned int i;

	for (i = 0; i < SEED_BYTES / 8; i++)
		if (!cn_arch_random_u64(&w[i]))
			return false;
	cn_random_ctx_mix(&ctx, w, sizeof(w));
	memset(w, 0, sizeof(w));
	return true;
}

/* 256 bits from each registered source; true when one gave them all. */
static bool mix_sources(void)
{
	struct cn_random_source *s;
	uint8_t buf[SEED_BYTES];
	bool full = false;
	ssize_t n;

	for (s = sources; s; s = s->next) {
		size_t got = 0;

		while (got < sizeof(buf)) {
			n = s->read(s, buf + got, sizeof(buf) - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got)
			cn_random_ctx_mix(&ctx, buf, got);
		if (got == sizeof(buf))
			full = true;
		else
			cn_pr_warn("source %s gave %zu of %u bytes", s->name,
				   got, SEED_BYTES);
	}
	memset(buf, 0, sizeof(buf));
	next_pull = cn_plat_time_ns() + PULL_EVERY_NS;
	pull_now = false;
	return full;
}

/* Clock jitter: the cycle counter around loops whose length varies. */
static void mix_clocks(void)
{
	volatile uint32_t sink = 0;
	uint64_t t, prev = cn_arch_cycles(), w[2 * 64 + 2];
	int i, j;

	w[0] = cn_plat_rtc_seconds();
	w[1] = cn_plat_time_ns();
	for (i = 0; i < 2 * 64; i++) {
		for (j = 0; j < (int)(prev & 63) + 16; j++)
			sink += (uint32_t)j * 2654435761u;
		t = cn_arch_cycles();
		w[2 + i] = t - prev;
		prev = t;
	}
	(void)sink;
	cn_random_ctx_mix(&ctx, w, sizeof(w));
}

static void seed(void)
{
	char names[64];

	cpu_ok = mix_cpu();
	source_ok = mix_sources();
	trusted = cpu_ok || source_ok;
	if (!trusted) {
		mix_clocks();
		cn_pr_warn("no hardware entropy source (no CPU generator, no "
			   "virtio-rng): random numbers are seeded from clock "
			   "jitter only, fine for hash seeds, not for keys; "
			   "TLS refuses to start");
	} else {
		cn_random_sources(names, sizeof(names));
		cn_pr_info("seeded from %s", names);
	}
	seeded = true;
}

void cn_random_bytes(void *buf, size_t len)
{
	cn_mutex_lock(&lock);
	if (!seeded) {
		seed();
	} else {
		if (cpu_ok)
			mix_cpu();
		if (sources && (pull_now || cn_plat_time_ns() >= next_pull)) {
			if (mix_sources() && !trusted) {
				trusted = source_ok = true;
				cn_pr_info("a hardware source is here now: "
					   "trusted from now on");
			}
		}
	}
	cn_random_ctx_generate(&ctx, buf, len);
	cn_mutex_unlock(&lock);
}

bool cn_random_trusted(void)
{
	bool t;

	cn_mutex_lock(&lock);
	if (!seeded)
		seed();
	t = trusted;
	cn_mutex_unlock(&lock);
	return t;
}

int cn_random_source_register(struct cn_random_source *s)
{
	struct cn_random_source **p;

	if (!s || !s->read)
		return -EINVAL;
	cn_mutex_lock(&lock);
	for (p = &sources; *p; p = &(*p)->next)
		;
	s->next = NULL;
	*p = s;
	pull_now = true;
	cn_mutex_unlock(&lock);
	return 0;
}

static void append(char *buf, size_t size, size_t *at, const char *word)
{
	size_t n = strlen(word);

	if (*at + (*at ? 1 : 0) + n + 1 > size)
		return;
	if (*at)
		buf[(*at)++] = ' ';
	memcpy(buf + *at, word, n + 1);
	*at += n;
}

void cn_random_sources(char *buf, size_t size)
{
	struct cn_random_source *s;
	size_t at = 0;

	if (!size)
		return;
	buf[0] = 0;
	if (cpu_ok)
		append(buf, size, &at, "cpu");
	for (s = sources; s; s = s->next)
		append(buf, size, &at, s->name);
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if ((flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM |
				     GRND_INSECURE)) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) ==
	    (GRND_RANDOM | GRND_INSECURE)) {
		errno = EINVAL;
		return -1;
	}
	if (!buf && len) {
		errno = EFAULT;
		return -1;
	}
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	cn_random_bytes(buf, len);
	return (ssize_t)len;
}

/* As Linux and the BSDs: at most 256 bytes per call. */
int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	if (!buf && len) {
		errno = EFAULT;
		return -1;
	}
	cn_random_bytes(buf, len);
	return 0;
}
