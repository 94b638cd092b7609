// SPDX-License-Identifier: BSD-3-Clause
/*
 * Without exceptions: libstdc++'s headers still call std::__throw_*()
 * where the standard says "throws" (a vector's at() out of range, a
 * length error). Defined in libstdc++.a, which needs exceptions; here
 * each one ends the image with the crash report naming the error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <bits/functexcept.h>
#include "cxx_priv.h"

#define NORET(name, what)						\
	void std::name(const char *msg)					\
	{								\
		cn_cxx_fatal(what, msg);				\
	}

NORET(__throw_logic_error, "logic_error")
NORET(__throw_domain_error, "domain_error")
NORET(__throw_invalid_argument, "invalid_argument")
NORET(__throw_length_error, "length_error")
NORET(__throw_out_of_range, "out_of_range")
NORET(__throw_runtime_error, "runtime_error")
NORET(__throw_range_error, "range_error")
NORET(__throw_overflow_error, "overflow_error")
NORET(__throw_underflow_error, "underflow_error")

/* libstdc++'s formats use %zu and %s, which picolibc's vsnprintf has. */
void std::__throw_out_of_range_fmt(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cn_cxx_fatal("out_of_range", msg);
}

void std::__throw_bad_alloc()
{
	cn_cxx_fatal("bad_alloc", "");
}

void std::__throw_bad_array_new_length()
{
	cn_cxx_fatal("bad_array_new_length", "");
}

void std::__throw_bad_cast()
{
	cn_cxx_fatal("bad_cast", "");
}

void std::__throw_bad_typeid()
{
	cn_cxx_fatal("bad_typeid", "");
}

void std::__throw_bad_function_call()
{
	cn_cxx_fatal("bad_function_call", "");
}

void std::__throw_system_error(int err)
{
	cn_cxx_fatal("system_error", "");
}
