# SPDX-License-Identifier: BSD-3-Clause
# Cairn's tests (this folder) and zlib itself, compiled unmodified from
# the cache ($(zlib-src), set by the top Makefile) with zconf.h as
# shipped; the gz* functions use the POSIX file calls of lib/vfs.
lib-$(CONFIG_LIB_ZLIB) += zlib zlib-core
zlib-srcs-y :=
zlib-srcs-$(CONFIG_LIB_ZLIB_TEST) += tests/test_zlib.c

# "/.": never empty, even in the pass before deps.py has named the folder.
zlib-core-dir := $(zlib-src)/.
zlib-core-srcs-y := adler32.c compress.c crc32.c deflate.c gzclose.c \
	gzlib.c gzread.c gzwrite.c infback.c inffast.c inflate.c \
	inftrees.c trees.c uncompr.c zutil.c
# What zlib's configure finds on a POSIX system. Upstream code: its style
# is not ours to warn about.
zlib-core-cflags-y := -DHAVE_UNISTD_H -DHAVE_STDARG_H -w
global-cflags-$(CONFIG_LIB_ZLIB) += $(if $(zlib-src),-I$(zlib-src))
