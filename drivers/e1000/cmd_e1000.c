/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shell's `e1000` (built when lib/shell is in the image): each e1000's
 * frames against the register writes and interrupts they cost, the
 * figures that matter under emulation, where each is an exit into QEMU.
 */
#include <cairn/shell.h>
#include "e1000_priv.h"

static int cmd_e1000(struct cn_shell *sh, int argc, char **argv)
{
	struct cn_e1000_counters c;
	unsigned int i;

	(void)argv;
	if (argc > 1)
		return cn_shell_usage(sh);
	for (i = 0; cn_e1000_counters(i, &c) == 0; i++)
		cn_shell_printf(sh, "%s: tx %llu frames %llu doorbells, rx %llu "
				"frames %llu doorbells, %llu interrupts %llu "
				"ICR reads (itr %u/s: ITR %u, tx_batch %d)\n",
				c.nd->name,
				(unsigned long long)c.nd->stats.tx_packets,
				(unsigned long long)c.tx_doorbells,
				(unsigned long long)c.nd->stats.rx_packets,
				(unsigned long long)c.rx_doorbells,
				(unsigned long long)c.irqs,
				(unsigned long long)c.icr_reads, c.itr,
				(unsigned int)c.itr_reg,
				c.tx_batch);
	if (!i)
		cn_shell_printf(sh, "(no e1000)\n");
	return 0;
}
CN_SHELL_CMD(e1000, cmd_e1000, "",
	     "e1000 NICs: frames, doorbell writes, interrupts");
