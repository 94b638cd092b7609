/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C library's allocation functions on the default allocator, so that
 * picolibc-based code gets Cairn's heap and picolibc keeps none of its own
 * (its malloc members are never linked: these definitions come first).
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>

void *malloc(size_t size)
{
	return cn_alloc_malloc(cn_alloc_default(), size);
}

void free(void *p)
{
	cn_alloc_free(cn_alloc_default(), p);
}

void *calloc(size_t n, size_t size)
{
	return cn_alloc_calloc(cn_alloc_default(), n, size);
}

void *realloc(void *p, size_t size)
{
	return cn_alloc_realloc(cn_alloc_default(), p, size);
}

void *memalign(size_t align, size_t size)
{
	return cn_alloc_memalign(cn_alloc_default(), align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	return cn_alloc_memalign(cn_alloc_default(), align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = cn_alloc_memalign(cn_alloc_default(), align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return cn_alloc_memalign(cn_alloc_default(), CN_PAGE_SIZE, size);
}

size_t malloc_usable_size(void *p)
{
	return cn_alloc_usable_size(cn_alloc_default(), p);
}
