/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dlopen and friends: nothing can be loaded into a statically linked
 * image. Each failure leaves a message for dlerror(), as glibc does.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

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
