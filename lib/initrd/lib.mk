# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_INITRD) += initrd
initrd-srcs-y := cpio.c unpack.c initrd.c
initrd-srcs-$(CONFIG_LIB_INITRD_EMBED) += embed.c blob.S
initrd-srcs-$(if $(CONFIG_LIB_INITRD_EMBED),,y) += embed_none.c
initrd-srcs-$(CONFIG_LIB_ALLOC) += giveback.c
initrd-srcs-$(if $(CONFIG_LIB_ALLOC),,y) += giveback_none.c
initrd-srcs-$(CONFIG_LIB_INITRD_TEST) += tests/test_cpio.c tests/test_initrd.c
# The linked-in archive: the Makefile packs it into $(O)/initrd.cpio.
initrd-cflags-$(CONFIG_LIB_INITRD_EMBED) += -DCN_INITRD_FILE='"$(O)/initrd.cpio"'
$(O)/lib/initrd/blob.o: $(O)/initrd.cpio
