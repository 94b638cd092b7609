# SPDX-License-Identifier: BSD-3-Clause
app-srcs-y := main.c
app-srcs-$(CONFIG_APP_SHELL_TEST_CMDS) += testcmds.c
