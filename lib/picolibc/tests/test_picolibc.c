/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/picolibc: the heap behind malloc, console descriptors, errno. */
#include <errno.h>
#include <execinfo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
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

#ifdef CONFIG_LIB_FDTAB
/* What dprintf wrote into a pipe, as a string. */
static void drain(int fd, char *out, size_t size)
{
	ssize_t n = read(fd, out, size - 1);

	out[n > 0 ? n : 0] = '\0';
}
#endif

CN_TEST(picolibc, dprintf_writes_to_a_descriptor)
{
	char big[600];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
#ifdef CONFIG_LIB_FDTAB
	{
		char got[700];
		int p[2];

		CN_ASSERT_EQ(pipe(p), 0);
		CN_EXPECT_EQ(dprintf(p[1], "%s=%d", "n", 42), 4);
		drain(p[0], got, sizeof(got));
		CN_EXPECT_STREQ(got, "n=42");
		/* Longer than the stack buffer: formatted on the heap. */
		CN_EXPECT_EQ(dprintf(p[1], "<%s>", big), 601);
		drain(p[0], got, sizeof(got));
		CN_EXPECT_EQ(strlen(got), 601);
		CN_EXPECT_EQ(got[0], '<');
		CN_EXPECT_EQ(got[600], '>');
		CN_EXPECT_EQ(close(p[0]), 0);
		CN_EXPECT_EQ(close(p[1]), 0);
	}
#else
	CN_EXPECT_EQ(dprintf(1, "%s", ""), 0);
#endif
	errno = 0;
	CN_EXPECT_EQ(dprintf(-1, "x"), -1);
	CN_EXPECT_EQ(errno, EBADF);
	errno = 0;
	CN_EXPECT_EQ(dprintf(77, "x"), -1);	/* not open */
	CN_EXPECT_EQ(errno, EBADF);
}

CN_TEST(picolibc, open_memstream_grows_and_publishes)
{
	char *buf = (char *)1;
	size_t size = 99;
	FILE *f = open_memstream(&buf, &size);
	int i;

	CN_ASSERT_NOT_NULL(f);
	CN_EXPECT_NOT_NULL(buf);
	CN_EXPECT_EQ(size, 0);
	CN_EXPECT_EQ(fprintf(f, "hello %d", 7), 7);
	CN_EXPECT_EQ(fflush(f), 0);
	CN_EXPECT_EQ(size, 7);
	CN_EXPECT_STREQ(buf, "hello 7");
	for (i = 0; i < 1000; i++)		/* grows well past 64 */
		fputc('a' + i % 26, f);
	CN_EXPECT_EQ(fflush(f), 0);
	CN_EXPECT_EQ(size, 1007);
	CN_EXPECT_EQ(buf[1006], 'a' + 999 % 26);
	CN_EXPECT_EQ(buf[1007], '\0');
	/* Seek back: size is the position; the data after stays. */
	CN_EXPECT_EQ(fseek(f, 5, SEEK_SET), 0);
	CN_EXPECT_EQ(fflush(f), 0);
	CN_EXPECT_EQ(size, 5);
	fputc('!', f);
	CN_EXPECT_EQ(fseek(f, 0, SEEK_END), 0);
	CN_EXPECT_EQ(fflush(f), 0);
	CN_EXPECT_EQ(size, 1007);
	CN_EXPECT_EQ(buf[5], '!');
	CN_EXPECT_EQ(fseek(f, -1, SEEK_SET), -1);	/* before the start */
	CN_EXPECT_EQ(fclose(f), 0);
	CN_EXPECT_EQ(size, 1007);
	CN_EXPECT_EQ(strncmp(buf, "hello!", 6), 0);
	free(buf);

	errno = 0;
	CN_EXPECT_NULL(open_memstream(NULL, &size));
	CN_EXPECT_EQ(errno, EINVAL);
	errno = 0;
	CN_EXPECT_NULL(open_memstream(&buf, NULL));
	CN_EXPECT_EQ(errno, EINVAL);
}

CN_TEST(picolibc, open_wmemstream_counts_wide_characters)
{
	wchar_t *w = NULL;
	size_t size = 99;
	FILE *f = open_wmemstream(&w, &size);

	CN_ASSERT_NOT_NULL(f);
	CN_EXPECT_EQ(size, 0);
	CN_EXPECT_EQ(fputwc(L'h', f), (wint_t)L'h');
	CN_EXPECT_EQ(fputwc(L'i', f), (wint_t)L'i');
	CN_EXPECT_EQ(fflush(f), 0);
	CN_EXPECT_EQ(size, 2);
	CN_EXPECT_EQ(w[0], L'h');
	CN_EXPECT_EQ(w[1], L'i');
	CN_EXPECT_EQ(w[2], L'\0');
	CN_EXPECT_EQ(fclose(f), 0);
	free(w);
	errno = 0;
	CN_EXPECT_NULL(open_wmemstream(NULL, &size));
	CN_EXPECT_EQ(errno, EINVAL);
}

static void never_called(void)
{
}

/* quick_exit itself ends the image: only registration is tested. */
CN_TEST(picolibc, at_quick_exit_registers)
{
	CN_EXPECT_NE(at_quick_exit(NULL), 0);
	CN_EXPECT_EQ(at_quick_exit(never_called), 0);
}

static __attribute__((noinline)) int traced(void **buf, int n)
{
	int r = backtrace(buf, n);

	__asm__ volatile("" ::: "memory");	/* not a tail call */
	return r;
}

CN_TEST(picolibc, backtrace_names_the_callers)
{
	void *buf[16];
	char **names;
	int n = traced(buf, 16), i;
	bool found = false;

	CN_ASSERT_TRUE(n >= 2);
	names = backtrace_symbols(buf, n);
	CN_ASSERT_NOT_NULL(names);
	for (i = 0; i < n; i++)
		CN_EXPECT_NOT_NULL(strstr(names[i], " [0x"));
#ifdef CONFIG_BUILD_SYMBOLS
	CN_EXPECT_NOT_NULL(strstr(names[0], "(traced"));
	for (i = 0; i < n; i++)
		found |= strstr(names[i], "backtrace_names_the_callers") != 0;
	CN_EXPECT_TRUE(found);
#else
	(void)found;
#endif
	free(names);
	CN_EXPECT_EQ(traced(buf, 1), 1);	/* no more than asked */
	CN_EXPECT_EQ(backtrace(buf, 0), 0);
	CN_EXPECT_EQ(backtrace(NULL, 4), 0);
	errno = 0;
	CN_EXPECT_NULL(backtrace_symbols(buf, -1));
	CN_EXPECT_EQ(errno, EINVAL);
	backtrace_symbols_fd(buf, 1, -1);	/* EBADF: nothing, no crash */
}
