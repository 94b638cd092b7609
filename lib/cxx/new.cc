// SPDX-License-Identifier: BSD-3-Clause
/*
 * operator new and delete, every form C++17 has, over the C library's
 * malloc (lib/alloc): plain, array, nothrow, aligned (posix_memalign) and
 * sized deletes. A failing plain new throws std::bad_alloc when
 * exceptions are on (after asking the new-handler, as the standard
 * says), else it ends the image with a crash report: it must never
 * return NULL.
 */
#include <new>
#include <stdlib.h>
#include "cxx_priv.h"

static void *alloc_aligned(std::size_t size, std::size_t align)
{
	void *p = nullptr;

	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size ? size : 1) != 0)
		return nullptr;
	return p;
}

static void *alloc(std::size_t size, std::size_t align)
{
	return align ? alloc_aligned(size, align) : malloc(size ? size : 1);
}

static void *alloc_or_fail(std::size_t size, std::size_t align)
{
	void *p;

	while (!(p = alloc(size, align))) {
#if __cpp_exceptions
		std::new_handler h = std::get_new_handler();

		if (!h)
			throw std::bad_alloc();
		h();
#else
		cn_cxx_out_of_memory(size);
#endif
	}
	return p;
}

void *operator new(std::size_t n)
{
	return alloc_or_fail(n, 0);
}

void *operator new[](std::size_t n)
{
	return alloc_or_fail(n, 0);
}

void *operator new(std::size_t n, const std::nothrow_t &) noexcept
{
	return alloc(n, 0);
}

void *operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
	return alloc(n, 0);
}

void *operator new(std::size_t n, std::align_val_t a)
{
	return alloc_or_fail(n, static_cast<std::size_t>(a));
}

void *operator new[](std::size_t n, std::align_val_t a)
{
	return alloc_or_fail(n, static_cast<std::size_t>(a));
}

void *operator new(std::size_t n, std::align_val_t a,
		   const std::nothrow_t &) noexcept
{
	return alloc(n, static_cast<std::size_t>(a));
}

void *operator new[](std::size_t n, std::align_val_t a,
		     const std::nothrow_t &) noexcept
{
	return alloc(n, static_cast<std::size_t>(a));
}

/* Every delete is free(): posix_memalign's blocks are free()d too. */
void operator delete(void *p) noexcept { free(p); }
void operator delete[](void *p) noexcept { free(p); }
void operator delete(void *p, std::size_t) noexcept { free(p); }
void operator delete[](void *p, std::size_t) noexcept { free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { free(p); }
void operator delete(void *p, std::align_val_t) noexcept { free(p); }
void operator delete[](void *p, std::align_val_t) noexcept { free(p); }
void operator delete(void *p, std::size_t, std::align_val_t) noexcept
{
	free(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept
{
	free(p);
}
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
	free(p);
}
void operator delete[](void *p, std::align_val_t,
		       const std::nothrow_t &) noexcept
{
	free(p);
}
