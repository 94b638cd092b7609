/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What libgcc's unwinder (libgcc_eh) and libsupc++ expect from the system
 * when exceptions are on. Both were built for Debian's glibc; Cairn
 * answers the few glibc names they use:
 *
 *  - the unwind tables: the image's .eh_frame (kept by eh_frame.ld) is
 *    registered with __register_frame_info, the interface crtbegin.o
 *    uses on systems without PT_GNU_EH_FRAME lookup. _dl_find_object and
 *    dl_iterate_phdr, the unwinder's other two ways to find tables, say
 *    "no loaded objects": there are none besides the image.
 *  - __libc_single_threaded is 0: libsupc++ keeps its reference counts
 *    atomic (threads may share exception objects).
 *
 * libgcc_eh takes its locks only when it sees glibc's threads (the weak
 * __pthread_key_create), which it never does here; so the table is
 * registered and sorted at boot, before any thread but the boot one
 * exists, and afterwards the unwinder only reads it.
 */
#include <stddef.h>
#include <stdint.h>
#include <cairn/init.h>

struct dl_phdr_info;
struct dl_find_object;

void __register_frame_info(const void *begin, void *object);
void *_Unwind_Find_FDE(void *pc, void *bases);
int _dl_find_object(void *pc, struct dl_find_object *result);
int dl_iterate_phdr(int (*fn)(struct dl_phdr_info *, size_t, void *),
		    void *data);

char __libc_single_threaded;

extern const char __cn_eh_frame_start[];

/* libgcc's struct object (unwind-dw2-fde.h): six words; room to spare. */
static uintptr_t eh_object[16];

int _dl_find_object(void *pc, struct dl_find_object *result)
{
	(void)pc;
	(void)result;
	return -1;
}

int dl_iterate_phdr(int (*fn)(struct dl_phdr_info *, size_t, void *),
		    void *data)
{
	(void)fn;
	(void)data;
	return 0;
}

/* At the library level: after the allocator (sorting allocates), before
 * any C++ code (constructors run at the app level) or thread. */
static int cxx_eh_init(void)
{
	void *bases[3];		/* struct dwarf_eh_bases */

	if (*(const uint32_t *)__cn_eh_frame_start == 0)
		return 0;	/* no C++ code with unwind tables */
	__register_frame_info(__cn_eh_frame_start, eh_object);
	/* The first lookup of any address sorts the table: now. */
	_Unwind_Find_FDE((void *)(uintptr_t)cxx_eh_init, bases);
	return 0;
}
CN_INIT_PRIO(cxx_eh_init, CN_INIT_LIB, 0);
