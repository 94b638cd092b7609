/* SPDX-License-Identifier: BSD-3-Clause */
/* Where the linked-in archive is (blob.S). */
#include "initrd_priv.h"

extern const char cn_initrd_blob_start[], cn_initrd_blob_end[];

bool cn_initrd_embedded(const void **buf, size_t *len)
{
	*buf = cn_initrd_blob_start;
	*len = (size_t)(cn_initrd_blob_end - cn_initrd_blob_start);
	return true;
}
