/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64's base page (the MMU runs with a 4 KiB granule), behind the names
 * <cairn/arch.h> declares. Included only through <cairn/arch.h>.
 */
#ifndef CAIRN_ARCH_PAGE_H
#define CAIRN_ARCH_PAGE_H

#define CN_ARCH_PAGE_SHIFT	12

#endif
