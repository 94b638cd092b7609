/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dlopen and friends: nothing can be loaded into a statically linked
 * image. Each failure leaves a message for dlerror(), as glibc does.
 * dladdr() answers from the image's symbol table (<cairn/symbols.h>);
 * dl_iterate_phdr() reports no shared object, as lib/cxx's does for
 * libgcc's unwinder: this one is weak so that lib/cxx's (the same
 * answer) wins when both are linked.
 */
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cairn/boot.h>
#include <cairn/symbols.h>

extern char __image_start[], __image_end[];

static __thread char msg[160];
static __thread int has_msg;

static void *nothing(const char *what, const char *name)
{
	snprintf(msg, sizeof(msg), "%s%s%s: dynamic loading is not "
		 "supported (the image is linked statically)", what,
		 name ? " " : "", name ? name : "");
	has_msg = 1;
	return NULL;
}

void *dlopen(const char *file, int mode)
{
	(void)mode;
	return nothing("dlopen", file);
}

void *dlsym(void *handle, const char *name)
{
	(void)handle;
	return nothing("dlsym", name);
}

int dlclose(void *handle)
{
	(void)handle;
	nothing("dlclose", NULL);
	return -1;
}

char *dlerror(void)
{
	if (!has_msg)
		return NULL;
	has_msg = 0;
	return msg;
}

int dladdr(const void *addr, Dl_info *info)
{
	uintptr_t a = (uintptr_t)addr, off;
	const char *name;

	if (!info || a < (uintptr_t)__image_start ||
	    a >= (uintptr_t)__image_end)
		return 0;
	info->dli_fname = cn_build_app();
	info->dli_fbase = __image_start;
	info->dli_sname = NULL;
	info->dli_saddr = NULL;
	name = cn_sym_lookup(a, &off);
	if (name) {
		info->dli_sname = name;
		info->dli_saddr = (void *)(a - off);
	}
	return 1;
}

__attribute__((weak)) int
dl_iterate_phdr(int (*fn)(struct dl_phdr_info *info, size_t size,
			  void *data), void *data)
{
	(void)fn;
	(void)data;
	return 0;
}
