/* SPDX-License-Identifier: BSD-3-Clause */
/* The smallest Cairn app: a greeting and the arguments it was given. */
#include <stdio.h>

int main(int argc, char *argv[])
{
	int i;

	printf("%s\n", CONFIG_APP_HELLOWORLD_GREETING);
	for (i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
