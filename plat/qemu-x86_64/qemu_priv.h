/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to plat/qemu-x86_64. */
#ifndef QEMU_PRIV_H
#define QEMU_PRIV_H

void cn_qemu_console_init(void);

#endif
