/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * picolibc's <setjmp.h> and POSIX's sigsetjmp/siglongjmp, which it
 * declares only for Cygwin and RTEMS. A sigjmp_buf is a jmp_buf and two
 * more words: whether the mask was saved, and the mask.
 *
 * sigsetjmp(env, savemask) saves what setjmp saves and, when savemask is
 * not 0, the calling thread's signal mask; it returns 0, and again the
 * value given to siglongjmp (1 for 0). siglongjmp(env, val) restores the
 * mask if it was saved (a handler left this way leaves its signal
 * blocked otherwise, as on Linux) and jumps back to sigsetjmp.
 * sigsetjmp is a function written in assembly per architecture (x86_64,
 * arm64): a C function cannot return twice into its caller's frame.
 */
#ifndef CAIRN_SETJMP_H
#define CAIRN_SETJMP_H

#include_next <setjmp.h>

_BEGIN_STD_C

typedef _JBTYPE sigjmp_buf[_JBLEN + 2];

int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
__noreturn void siglongjmp(sigjmp_buf env, int val);

_END_STD_C

#endif
