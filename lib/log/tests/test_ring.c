/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/log's ring of recent lines (LIB_LOG_RING). */
#include <stdio.h>
#include <string.h>
#include <cairn/log.h>
#include <cairn/test.h>
#include "../log_priv.h"

struct got {
	char lines[8][64];
	unsigned int n, total, first, sequence_ok;
	int last;
};

static void collect(const char *line, size_t len, void *arg)
{
	struct got *g = arg;
	unsigned int v;

	if (g->n < 8 && len < sizeof(g->lines[0])) {
		memcpy(g->lines[g->n], line, len);
		g->lines[g->n][len] = '\0';
	}
	g->n++;
	if (sscanf(line, "ring line %u", &v) == 1) {
		if (g->total == 0)
			g->first = v;
		else if ((int)v != g->last + 1)
			g->sequence_ok = 0;
		g->last = (int)v;
		g->total++;
	}
}

CN_TEST(log, ring_gives_the_last_lines_oldest_first)
{
	struct got g = { .sequence_ok = 1 };
	char line[32];
	unsigned int i;
	int n;

	for (i = 0; i < 1000; i++) {
		n = snprintf(line, sizeof(line), "ring line %u\n", i);
		cn_log_ring_add(line, (size_t)n);
	}
	CN_EXPECT_EQ(cn_log_recent(3, collect, &g), 3);
	CN_EXPECT_STREQ(g.lines[0], "ring line 997");
	CN_EXPECT_STREQ(g.lines[2], "ring line 999");
}

CN_TEST(log, ring_drops_the_line_the_wrap_cut)
{
	struct got g = { .sequence_ok = 1 };
	char line[32];
	unsigned int i;
	int n;

	for (i = 0; i < 1000; i++) {
		n = snprintf(line, sizeof(line), "ring line %u\n", i);
		cn_log_ring_add(line, (size_t)n);
	}
	cn_log_recent(0, collect, &g);
	/* Every line kept is whole and they follow each other. */
	CN_EXPECT_EQ(g.n, g.total);
	CN_EXPECT_TRUE(g.sequence_ok);
	CN_EXPECT_EQ(g.last, 999);
	CN_EXPECT_GT(g.first, 0);
	CN_EXPECT_GE(g.total * 15, CONFIG_LIB_LOG_RING_SIZE - 15);
}

CN_TEST(log, printed_lines_reach_the_ring)
{
	struct got g = { .sequence_ok = 1 };

	cn_log_print(CN_LOG_ERR, "logtest", "ring line %d", 4242);
	CN_EXPECT_EQ(cn_log_recent(1, collect, &g), 1);
	CN_EXPECT_TRUE(strstr(g.lines[0], "] ERR  logtest: ring line 4242") !=
		       NULL);
}
