# SPDX-License-Identifier: BSD-3-Clause
# Our start-up (main.c) and line editor (linenoise.c), and SQLite's shell.c
# compiled unmodified from the amalgamation folder deps.py made: its main
# renamed, its line input through linenoise.h (this folder).
app-srcs-y := main.c linenoise.c
lib-y += sqlite-shell
# "/.": never empty (see lib/sqlite/lib.mk).
sqlite-shell-dir := $(sqlite-src)/.
sqlite-shell-srcs-y := shell.c
sqlite-shell-cflags-y := -I$(APP) -Dmain=cn_sqlite_shell_main \
	-DHAVE_LINENOISE=1 -DSQLITE_THREADSAFE=1 -DSQLITE_OS_UNIX=1 -w
