# SPDX-License-Identifier: BSD-3-Clause
app-srcs-y := main.c
# The misuse is deliberate: these are crash tests.
app-cflags-y := -Wno-use-after-free -Wno-free-nonheap-object
