# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_HTTPD) += httpd
httpd-srcs-y := parse.c server.c static.c encoding.c gzip.c
httpd-srcs-$(CONFIG_LIB_HTTPD_GZIP_DYNAMIC) += gzip_dynamic.c
httpd-srcs-$(if $(CONFIG_LIB_HTTPD_GZIP_DYNAMIC),,y) += gzip_none.c
httpd-srcs-$(CONFIG_LIB_HTTPD_THREADS) += threads.c
httpd-srcs-$(CONFIG_LIB_HTTPD_EVENTS) += events.c
httpd-srcs-$(CONFIG_LIB_HTTPD_TLS) += tls.c
httpd-srcs-$(if $(CONFIG_LIB_HTTPD_TLS),,y) += tls_none.c
httpd-srcs-$(CONFIG_LIB_HTTPD_TEST) += tests/test_parse.c tests/test_encoding.c
