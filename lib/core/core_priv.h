/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to lib/core: shared between its files and its tests only. */
#ifndef CORE_PRIV_H
#define CORE_PRIV_H

#include <stdint.h>

int cn_core_split_words(char *s, char **words, int max);

#endif
