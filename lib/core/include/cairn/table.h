/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linker tables: arrays whose elements are defined in any object file of
 * the image, so that a driver registers itself where it is written and no
 * central list needs editing. A bus declares a table once (in the .c file
 * that walks it) and every driver adds an entry:
 *
 *   CN_TABLE_DECLARE(pci_drivers, struct cn_pci_driver);    (the bus)
 *   CN_TABLE_ENTRY(pci_drivers, struct cn_pci_driver, mydrv) = { ... };
 *   cn_table_foreach(pci_drivers, struct cn_pci_driver, d) { ... }
 *
 * Entries live in .cn_table.<name>.1, between the empty markers of
 * .cn_table.<name>.0 and .2; the linker script keeps and sorts them by
 * name, so the table is contiguous and garbage collection leaves it alone.
 * Entries must be of the table's type only (all the same size).
 */
#ifndef CAIRN_TABLE_H
#define CAIRN_TABLE_H

#include <cairn/compiler.h>

#define CN_TABLE_SECTION_(name, part)	".cn_table." #name "." #part

#define CN_TABLE_DECLARE(name, type)					\
	static const type CN_CONCAT(__cn_table_start_, name)[0]		\
		CN_USED CN_ALIGNED(8)					\
		CN_SECTION(CN_TABLE_SECTION_(name, 0));			\
	static const type CN_CONCAT(__cn_table_end_, name)[0]			\
		CN_USED CN_ALIGNED(8)					\
		CN_SECTION(CN_TABLE_SECTION_(name, 2))

#define CN_TABLE_ENTRY(name, type, ident)				\
	static const type CN_CONCAT(__cn_tabent_, ident) CN_USED CN_ALIGNED(8) \
		CN_SECTION(CN_TABLE_SECTION_(name, 1) "." #ident)

#define cn_table_foreach(name, type, it)				\
	for (const type *it = CN_CONCAT(__cn_table_start_, name);	\
	     it < CN_CONCAT(__cn_table_end_, name); it++)

#endif
