/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiler helpers shared by every library. No functions, only macros. */
#ifndef CAIRN_COMPILER_H
#define CAIRN_COMPILER_H

#define CN_SECTION(s)		__attribute__((section(s)))
#define CN_USED			__attribute__((used))
#define CN_NORETURN		__attribute__((noreturn))
#define CN_PRINTF(f, a)		__attribute__((format(printf, f, a)))
#define CN_ALIGNED(n)		__attribute__((aligned(n)))
#define CN_WEAK			__attribute__((weak))
#define CN_NOINLINE		__attribute__((noinline))
#define cn_likely(x)		__builtin_expect(!!(x), 1)
#define cn_unlikely(x)		__builtin_expect(!!(x), 0)

#define CN_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CN_STR_(x)		#x
#define CN_STR(x)		CN_STR_(x)
#define CN_CONCAT_(a, b)	a##b
#define CN_CONCAT(a, b)		CN_CONCAT_(a, b)
#define CN_ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define CN_ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))

/* Library name of the translation unit, set by the build (-DCN_LIBNAME). */
#ifndef CN_LIBNAME
#define CN_LIBNAME "?"
#endif

#endif
