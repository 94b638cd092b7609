/* SPDX-License-Identifier: BSD-3-Clause */
/* Never reached: LIB_TEST_RUN runs the tests and powers off before main. */
#include <stdio.h>

int main(void)
{
	puts("sqlite: main reached, the test runner did not run");
	return 2;
}
