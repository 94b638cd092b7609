# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_RANDOM) += random
random-srcs-y := chacha.c random.c
random-srcs-$(CONFIG_LIB_RANDOM_TEST) += tests/test_chacha.c tests/test_random.c
