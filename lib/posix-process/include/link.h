/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <link.h>: dl_iterate_phdr() and the ELF program header types it hands
 * out (picolibc has no <elf.h>). An image is one statically linked object
 * with no loader: see dl_iterate_phdr below. lib/posix-process.
 */
#ifndef _LINK_H
#define _LINK_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t Elf64_Addr;
typedef uint16_t Elf64_Half;
typedef uint32_t Elf64_Word;
typedef uint64_t Elf64_Xword;
typedef uint64_t Elf64_Off;

typedef struct {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr;
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;
	Elf64_Xword p_memsz;
	Elf64_Xword p_align;
} Elf64_Phdr;

#define ElfW(type)	Elf64_##type

struct dl_phdr_info {
	ElfW(Addr) dlpi_addr;
	const char *dlpi_name;
	const ElfW(Phdr) *dlpi_phdr;
	ElfW(Half) dlpi_phnum;
	unsigned long long dlpi_adds;
	unsigned long long dlpi_subs;
	size_t dlpi_tls_modid;
	void *dlpi_tls_data;
};

/*
 * Calls fn for each loaded shared object: there is none (the image is not
 * one, and its program headers are not mapped), so fn is never called and
 * the result is 0. libgcc's unwinder asks this too and then uses the
 * tables lib/cxx registers; it must keep getting "none".
 */
int dl_iterate_phdr(int (*fn)(struct dl_phdr_info *info, size_t size,
			      void *data), void *data);

#endif
