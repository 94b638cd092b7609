/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/picolibc: the heap behind malloc, console descriptors, errno. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cairn/test.h>

/* C constructors run before the app (and this test runner), in priority
 * order, with the libraries up: the heap is there. */
static int ctor_order[2], ctor_count;
static void *ctor_block;

__attribute__((constructor(200))) static void ctor_late(void)
{
	ctor_order[ctor_count++ & 1] = 200;
	ctor_block = malloc(64);
}

__attribute__((constructor(101))) static void ctor_early(void)
{
	ctor_order[ctor_count++ & 1] = 101;
}

CN_TEST(picolibc, constructors_ran_once_in_priority_order)
{
	CN_EXPECT_EQ(ctor_count, 2);
	CN_EXPECT_EQ(ctor_order[0], 101);
	CN_EXPECT_EQ(ctor_order[1], 200);
	CN_EXPECT_NOT_NULL(ctor_block);
	free(ctor_block);
}

/*
 * Outside the image: above it, or below it where the platform has RAM
 * there (qemu-aarch64 loads the image 2 MiB into RAM).
 */
CN_TEST(picolibc, malloc_gives_writable_memory_outside_the_image)
{
	extern char __image_start[], __image_end[];
	size_t n = 1 << 20;
	unsigned char *p = malloc(n);

	CN_ASSERT_NOT_NULL(p);
	CN_EXPECT_TRUE((uintptr_t)p >= (uintptr_t)__image_end ||
		       (uintptr_t)p + n <= (uintptr_t)__image_start);
	memset(p, 0xa5, n);
	CN_EXPECT_EQ(p[0], 0xa5);
	CN_EXPECT_EQ(p[n - 1], 0xa5);
	free(p);
}

static volatile size_t half_max = SIZE_MAX / 2;

CN_TEST(picolibc, malloc_of_too_much_fails_with_enomem)
{
	errno = 0;
	CN_EXPECT_NULL(malloc((size_t)1 << 40));
	CN_EXPECT_EQ(errno, ENOMEM);
	CN_EXPECT_NULL(calloc(half_max, 4));	/* n * size overflows */
}

CN_TEST(picolibc, console_descriptors)
{
	char c;

	CN_EXPECT_EQ(write(1, "", 0), 0);
	CN_EXPECT_EQ(write(7, "x", 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(read(1, &c, 1), -1);
	CN_EXPECT_EQ(errno, EBADF);
	CN_EXPECT_EQ(lseek(1, 0, SEEK_SET), -1);
	CN_EXPECT_EQ(errno, ESPIPE);
	CN_EXPECT_EQ(isatty(2), 1);
	CN_EXPECT_EQ(isatty(9), 0);
}

/* memmove/memcpy/memset (arch/x86_64/string.c on x86_64, picolibc's
 * elsewhere) against byte-by-byte models: every length to 80, every
 * alignment of both ends, overlaps in both directions. */
CN_TEST(picolibc, memmove_memcpy_memset_match_byte_models)
{
	static unsigned char buf[256], model[256];
	/* volatile: the compiler must not turn the models into calls to
	 * the functions under test. */
	volatile unsigned char *vm = model;
	size_t n, so, dof, i, bad = 0;

	for (n = 0; n <= 80; n++)
		for (so = 0; so < 16; so++)
			for (dof = 0; dof < 32; dof++) {
				for (i = 0; i < sizeof(buf); i++)
					buf[i] = vm[i] = (unsigned char)(i * 7 + 1);
				/* The model: through a copy, so overlap is right. */
				{
					volatile unsigned char tmp[128];

					for (i = 0; i < n; i++)
						tmp[i] = vm[64 + so + i];
					for (i = 0; i < n; i++)
						vm[64 + dof + i] = tmp[i];
				}
				if (memmove(buf + 64 + dof, buf + 64 + so, n) !=
				    buf + 64 + dof)
					bad++;
				bad += memcmp(buf, model, sizeof(buf)) != 0;
			}
	CN_EXPECT_EQ(bad, 0);
	for (n = 0; n <= 80; n++)
		for (dof = 0; dof < 16; dof++) {
			memset(buf, 0xee, sizeof(buf));
			for (i = 0; i < sizeof(model); i++)
				vm[i] = i >= 100 + dof && i < 100 + dof + n ?
					(unsigned char)(n + 3) : 0xee;
			if (memset(buf + 100 + dof, (int)(n + 3) | 0x100, n) !=
			    buf + 100 + dof)
				bad++;
			bad += memcmp(buf, model, sizeof(buf)) != 0;
			memset(buf, 0, sizeof(buf));
			memcpy(buf + dof, model + 100, n);
			for (i = 0; i < n; i++)
				bad += buf[dof + i] != model[100 + i];
			bad += dof && buf[dof - 1] != 0;
			bad += buf[dof + n] != 0;
		}
	CN_EXPECT_EQ(bad, 0);
}
