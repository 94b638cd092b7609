/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rngtest: what lib/random's generator was seeded from, for
 * tests/test_random.py to compare with the devices and CPU it booted with.
 */
#include <stdio.h>
#include <sys/random.h>
#include <cairn/random.h>

int main(void)
{
	unsigned char b[16];
	char names[64];
	bool trusted = cn_random_trusted();
	int i;

	cn_random_sources(names, sizeof(names));
	printf("rngtest: trusted %s, sources '%s'\n", trusted ? "yes" : "no",
	       names);
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		printf("rngtest: getrandom failed\n");
		return 1;
	}
	printf("rngtest: bytes ");
	for (i = 0; i < (int)sizeof(b); i++)
		printf("%02x", b[i]);
	printf("\n");
	return 0;
}
