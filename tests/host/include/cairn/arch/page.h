/* SPDX-License-Identifier: BSD-3-Clause */
/* Host builds (tests/host/build.py): the page of every Cairn target. */
#ifndef CAIRN_ARCH_PAGE_H
#define CAIRN_ARCH_PAGE_H

#define CN_ARCH_PAGE_SHIFT	12

#endif
