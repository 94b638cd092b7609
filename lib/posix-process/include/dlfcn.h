/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <dlfcn.h> (lib/posix-process): an image is linked statically and has no
 * loader, so dlopen() always fails, with dlerror() saying why; programs
 * that can load plug-ins (SQLite's extensions) build and run without.
 * dladdr() names a function of the image from its symbol table.
 */
#ifndef _DLFCN_H
#define _DLFCN_H

#define RTLD_LAZY	0x0001
#define RTLD_NOW	0x0002
#define RTLD_GLOBAL	0x0100
#define RTLD_LOCAL	0
#define RTLD_NODELETE	0x1000
#define RTLD_NOLOAD	0x0004
#define RTLD_DEFAULT	((void *)0)
#define RTLD_NEXT	((void *)-1l)

/* NULL; dlerror() then says dynamic loading is not supported. */
void *dlopen(const char *file, int mode);
/* NULL (no handle can exist; RTLD_DEFAULT finds nothing either). */
void *dlsym(void *handle, const char *name);
/* -1: no handle can exist. */
int dlclose(void *handle);
/* The last failure's message once, then NULL. */
char *dlerror(void);

typedef struct {
	const char *dli_fname;	/* the object: the image (the app's name) */
	void *dli_fbase;	/* where it starts */
	const char *dli_sname;	/* the function containing the address */
	void *dli_saddr;	/* its address */
} Dl_info;

/*
 * What contains addr: nonzero, with info filled, for an address in the
 * image (dli_sname and dli_saddr NULL when the image has no names or the
 * address is in no function: data, as glibc for an unexported name); 0
 * for an address outside the image or a NULL info.
 */
int dladdr(const void *addr, Dl_info *info);

#endif
