/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What picolibc expects from an operating system, provided by Cairn:
 *
 *  - a TLS block for the boot thread before anything touches errno
 *    (the first CN_INIT_EARLY function, ahead of command-line parsing);
 *  - C and C++ constructors of the app and the libraries, run once at
 *    the start of the app level: after every library is up (a global
 *    C++ object may allocate, print, open files), before main;
 *  - read/write/lseek/close on descriptors 0-2 going to the console
 *    (console_io.c; lib/fdtab replaces them when it is selected);
 *  - _exit() powering off with the status;
 *  - sbrk() over the largest free piece of RAM, until an allocator
 *    library takes over malloc.
 *
 * Return conventions here are POSIX (-1 and errno), since the callers are
 * the C library and ordinary C code.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <cairn/arch.h>
#include <cairn/init.h>
#include <cairn/boot.h>
#include <cairn/plat.h>

extern char __cn_boot_tls[], __cn_boot_tls_end[], __image_start[], __image_end[];
extern void __libc_init_array(void);

static int tls_boot_init(void)
{
	if ((size_t)(__cn_boot_tls_end - __cn_boot_tls) <
	    cn_arch_tls_area_size())
		return -ENOMEM;
	cn_arch_tls_set(cn_arch_tls_init(__cn_boot_tls));
	return 0;
}
CN_INIT_PRIO(tls_boot_init, CN_INIT_EARLY, 0);

static int constructors(void)
{
	__libc_init_array();
	return 0;
}
CN_INIT_PRIO(constructors, CN_INIT_APP, 0);

void _exit(int status)
{
	cn_plat_halt(status);
}

/*
 * The heap is the largest piece of RAM not holding the image or the
 * initrd: usually from __image_end to the end of its region, but for an
 * image in low memory the RAM above 1 MiB.
 */
static void heap_pick(uintptr_t *lo, uintptr_t *hi)
{
	const struct cn_bootinfo *bi = cn_bootinfo();
	uintptr_t img_lo = (uintptr_t)__image_start;
	uintptr_t img_hi = (uintptr_t)__image_end;
	unsigned int i;

	*lo = *hi = img_hi;
	for (i = 0; bi && i < bi->nr_mem; i++) {
		const struct cn_mem_region *r = &bi->mem[i];
		uintptr_t s = (uintptr_t)r->start, e = (uintptr_t)(r->start + r->size);

		if (r->type != CN_MEM_RAM || r->start >= UINTPTR_MAX - r->size)
			continue;
		if (s < img_hi && e > img_lo)
			s = img_hi;		/* the part after the image */
		if (bi->initrd_size && bi->initrd_start >= s &&
		    bi->initrd_start < e)
			e = (uintptr_t)bi->initrd_start;
		if (e > s && e - s > *hi - *lo) {
			*lo = s;
			*hi = e;
		}
	}
}

void *sbrk(ptrdiff_t incr)
{
	static uintptr_t base, brk, limit;
	uintptr_t old;

	if (!base) {
		heap_pick(&base, &limit);
		brk = base;
	}
	if ((incr > 0 && (uintptr_t)incr > limit - brk) ||
	    (incr < 0 && (uintptr_t)-incr > brk - base)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	old = brk;
	brk += incr;
	return (void *)old;
}
