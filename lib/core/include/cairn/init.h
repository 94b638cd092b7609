/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Initialisation by levels. A library registers its init function where it
 * is defined:
 *
 *	static int netdev_init(void) { ... return 0 or -errno; }
 *	CN_INIT(netdev_init, CN_INIT_LIB);
 *
 * The macro places a descriptor in the section .cn_init.<level>.<prio>; the
 * linker sorts those sections by name, so the boot code runs the functions
 * level by level and, within a level, by priority (0 first, 9 last; 5 with
 * CN_INIT), then in link order. There is no central table to edit.
 * `make initorder` prints the resolved order; `init.verbose=1` logs each call.
 *
 * Levels, in order:
 *   EARLY  0  before command-line parameters: TLS and the C library state
 *   ARCH   1  CPU features
 *   PLAT   2  platform: console input, timers, firmware tables
 *   MEM    3  physical memory, page tables, allocators
 *   BUS    4  buses that find devices (PCI, virtio-mmio)
 *   DEV    5  device drivers and their subsystems
 *   LIB    6  libraries without hardware (schedulers, protocol stacks)
 *   FS     7  file systems and mounts
 *   NET    8  network configuration
 *   APP    9  just before main(): application set-up, test runners
 *
 * An init function returns 0 or a negative errno value. A failure is logged
 * with the function's name and the error; boot goes on unless the function
 * was registered with CN_INIT_REQUIRED(), in which case the image stops with
 * exit status CN_EXIT_PANIC. Init functions run once, in the boot thread,
 * with interrupts in whatever state the previous levels left them.
 */
#ifndef CAIRN_INIT_H
#define CAIRN_INIT_H

#include <cairn/compiler.h>

#define CN_INIT_EARLY	0
#define CN_INIT_ARCH	1
#define CN_INIT_PLAT	2
#define CN_INIT_MEM	3
#define CN_INIT_BUS	4
#define CN_INIT_DEV	5
#define CN_INIT_LIB	6
#define CN_INIT_FS	7
#define CN_INIT_NET	8
#define CN_INIT_APP	9

#define CN_INIT_F_REQUIRED	0x1

struct cn_init_entry {
	const char *lib;	/* library that registered it */
	const char *name;	/* the function's name */
	int (*fn)(void);
	unsigned char level;
	unsigned char prio;
	unsigned char flags;
};

#define CN_INIT_ENTRY_(fn_, level_, prio_, flags_)			\
	static const struct cn_init_entry				\
	CN_CONCAT(__cn_initent_, fn_) CN_USED CN_ALIGNED(8)		\
	CN_SECTION(".cn_init." CN_STR(level_) "." CN_STR(prio_)		\
		   "." #fn_) = {					\
		.lib = CN_LIBNAME, .name = #fn_, .fn = fn_,		\
		.level = level_, .prio = prio_, .flags = flags_,	\
	}

/* Register fn at a level (CN_INIT_*), priority 5. */
#define CN_INIT(fn, level)		CN_INIT_ENTRY_(fn, level, 5, 0)
/* Register fn at a level with an explicit priority 0..9. */
#define CN_INIT_PRIO(fn, level, prio)	CN_INIT_ENTRY_(fn, level, prio, 0)
/* As CN_INIT, but a failure stops the image. */
#define CN_INIT_REQUIRED(fn, level)	\
	CN_INIT_ENTRY_(fn, level, 5, CN_INIT_F_REQUIRED)
#define CN_INIT_REQUIRED_PRIO(fn, level, prio)	\
	CN_INIT_ENTRY_(fn, level, prio, CN_INIT_F_REQUIRED)

/* Name of a level ("early", "arch", ...); "?" for an unknown number. */
const char *cn_init_level_name(unsigned int level);

#endif
