/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cooperative policy: threads switch only when they block, sleep,
 * yield or exit, which lib/sched's mechanics already do. The policy adds
 * nothing to them; it names itself so reports and the menu say which one
 * runs.
 */
#include <cairn/init.h>
#include <cairn/sched_policy.h>

static const struct cn_sched_policy coop = {
	.name = "cooperative",
};

static int coop_init(void)
{
	cn_sched_set_policy(&coop);
	return 0;
}
CN_INIT(coop_init, CN_INIT_LIB);
