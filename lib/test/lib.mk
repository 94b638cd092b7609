# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_TEST) += test
test-srcs-y := test.c
test-srcs-$(CONFIG_LIB_TEST_SELFTEST) += tests/test_test.c
