/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * glibc's <features.h>, which the compiler's libstdc++ headers (configured
 * for Debian's glibc) include first of all. picolibc has no such file:
 * this one gives its feature macros (<sys/cdefs.h>) and answers
 * __GLIBC_PREREQ as the glibc those headers and libstdc++.a were built
 * against (2.36), so the headers take the same paths as the library
 * code: pthread calls made directly, __libc_single_threaded (lib/cxx
 * says 0) deciding whether reference counts are atomic.
 */
#ifndef CAIRN_CXX_FEATURES_H
#define CAIRN_CXX_FEATURES_H

#include <sys/cdefs.h>

#ifndef __GLIBC_PREREQ
#define __GLIBC_PREREQ(maj, min) \
	((maj) < 2 || ((maj) == 2 && (min) <= 36))
#endif

/* glibc's name for a locale handle, used in libstdc++'s headers for
 * std::__c_locale (a pointer there, so in the compiled library too).
 * Nothing here hands one to picolibc, whose locale_t is an int: streams
 * and locales are not supported (lib/cxx/README.md). */
#ifdef __cplusplus
typedef struct __locale_struct *__locale_t;
#endif

#endif
