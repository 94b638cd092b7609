/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `reboot` through the platform's reset (cn_plat_reset(): PSCI
 * SYSTEM_RESET on qemu-aarch64). x86_64 still has its own
 * (reboot_x86_64.c) until that moves to its platform.
 */
#include <cairn/plat.h>
#include "shell_priv.h"

void cn_shell_reset(void)
{
	cn_plat_reset();
}
