/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/alloc: the debug layer's entry points. */
#ifndef ALLOC_PRIV_H
#define ALLOC_PRIV_H

#include <stdio.h>
#include <cairn/alloc_backend.h>

void *cn_alloc_dbg_memalign(struct cn_alloc *a, size_t align, size_t size,
			    uintptr_t caller);
void cn_alloc_dbg_free(struct cn_alloc *a, void *user, uintptr_t caller);
size_t cn_alloc_dbg_size(void *user);
void cn_alloc_dbg_forget(struct cn_alloc *a);
/*
 * The first of pc0 (the API's internal caller), pc1, pc2 that is not an
 * allocation wrapper (cn_alloc_malloc(), the C library's malloc()...).
 */
uintptr_t cn_alloc_dbg_caller(uintptr_t pc0, uintptr_t pc1, uintptr_t pc2);

#endif
