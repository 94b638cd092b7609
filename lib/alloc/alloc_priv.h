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
/* pc0 is our caller, pc1 its caller: skips the C library's malloc(). */
uintptr_t cn_alloc_dbg_caller(uintptr_t pc0, uintptr_t pc1);

#endif
