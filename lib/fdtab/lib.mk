# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_FDTAB) += fdtab
fdtab-srcs-y := fdtab.c console.c poll.c locks.c pipe.c sendfile.c \
	fileio.c termios.c
fdtab-srcs-$(CONFIG_LIB_POSIX_SIGNAL) += sigpipe.c
fdtab-srcs-$(if $(CONFIG_LIB_POSIX_SIGNAL),,y) += sigpipe_none.c
fdtab-srcs-$(CONFIG_LIB_FDTAB_TEST) += tests/test_fdtab.c tests/test_pipe.c \
	tests/test_tty.c
# select() covers every descriptor the table can hold.
global-cflags-$(CONFIG_LIB_FDTAB) += -DFD_SETSIZE=$(CONFIG_LIB_FDTAB_MAX)
