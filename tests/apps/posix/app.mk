# SPDX-License-Identifier: BSD-3-Clause
app-srcs-y := main.c sockets.c linkprobe.c
