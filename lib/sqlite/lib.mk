# SPDX-License-Identifier: BSD-3-Clause
# Cairn's port (this folder) and SQLite's amalgamation, compiled unmodified
# from the cache ($(sqlite-src), set by the top Makefile).
lib-$(CONFIG_LIB_SQLITE) += sqlite sqlite-core
sqlite-srcs-y := port.c
sqlite-srcs-$(CONFIG_LIB_SQLITE_TEST) += tests/test_sqlite.c

# "/.": never empty, even in the pass before deps.py has named the folder
# (an empty one would make this library's folder lib/sqlite's).
sqlite-core-dir := $(sqlite-src)/.
sqlite-core-srcs-y := sqlite3.c
# Serialized threading on lib/pthread; the unix VFS as on any POSIX
# system. Upstream code: its style is not ours to warn about.
sqlite-core-cflags-y := -DSQLITE_THREADSAFE=1 -DSQLITE_OS_UNIX=1 \
	-DHAVE_NANOSLEEP=1 \
	-w
# The flags a Linux distribution compiles SQLite with (Kconfig help).
sqlite-core-cflags-$(CONFIG_LIB_SQLITE_NO_FRAME_POINTER) += \
	-fomit-frame-pointer -foptimize-sibling-calls
global-cflags-$(CONFIG_LIB_SQLITE) += -I$(sqlite-src)
