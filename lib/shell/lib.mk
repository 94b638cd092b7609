# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_SHELL) += shell
shell-srcs-y := shell.c edit.c console.c cmd_core.c cmd_sys.c
shell-srcs-$(CONFIG_LIB_SHELL_AUTOSTART) += autostart.c
shell-srcs-$(CONFIG_LIB_SHELL_FILES) += files.c fileops.c
shell-srcs-$(if $(CONFIG_LIB_SHELL_FILES),,y) += files_none.c
shell-srcs-$(CONFIG_LIB_SHELL_NET) += cmd_net.c
shell-srcs-$(CONFIG_LIB_SHELL_TEST) += tests/test_shell.c
