/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/fdtab. */
#ifndef FDTAB_PRIV_H
#define FDTAB_PRIV_H

#include <cairn/file.h>

/* Descriptors 0-2 from boot: never released. */
extern struct cn_file cn_fdtab_console_in, cn_fdtab_console_out;

static inline bool cn_fdtab_is_console(const struct cn_file *f)
{
	return f == &cn_fdtab_console_in || f == &cn_fdtab_console_out;
}

#endif
