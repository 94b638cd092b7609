/* SPDX-License-Identifier: BSD-3-Clause */
/* Accept-Encoding q-values (encoding.c); also built on the host. */
#include <stddef.h>
#include <cairn/http_encoding.h>
#include <cairn/test.h>

CN_TEST(http_encoding, weights_of_listed_codings)
{
	CN_EXPECT_EQ(cn_http_coding_q("gzip", "gzip"), 1000);
	CN_EXPECT_EQ(cn_http_coding_q("deflate, gzip;q=0.5", "gzip"), 500);
	CN_EXPECT_EQ(cn_http_coding_q("GZip ; Q = 0.25 ,br", "gzip"), 250);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=1.000", "gzip"), 1000);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=0.001", "gzip"), 1);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;level=9;q=0.7", "gzip"), 700);
	CN_EXPECT_EQ(cn_http_coding_q("x-gzip", "gzip"), 1000);
	CN_EXPECT_EQ(cn_http_coding_q("br, deflate", "gzip"), -1);
	CN_EXPECT_EQ(cn_http_coding_q("", "gzip"), -1);
	CN_EXPECT_EQ(cn_http_coding_q(NULL, "gzip"), -1);
	CN_EXPECT_EQ(cn_http_coding_q(",, gzip ,", "gzip"), 1000);
	CN_EXPECT_EQ(cn_http_coding_q("gzipper, agzip", "gzip"), -1);
}

CN_TEST(http_encoding, star_and_own_entry)
{
	CN_EXPECT_EQ(cn_http_coding_q("*", "gzip"), 1000);
	CN_EXPECT_EQ(cn_http_coding_q("*;q=0.1", "gzip"), 100);
	/* The coding's own entry wins over "*", in either order. */
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=0, *", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("*, gzip;q=0", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("*;q=0, gzip", "gzip"), 1000);
}

CN_TEST(http_encoding, malformed_weights_are_no)
{
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=2", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=1.5", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=0.0001", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=abc", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("gzip;q=-1", "gzip"), 0);
	CN_EXPECT_EQ(cn_http_coding_q("gzip q=0.5", "gzip"), 0);
}

CN_TEST(http_encoding, gzip_decision)
{
	CN_EXPECT_TRUE(cn_http_accepts_gzip("gzip, deflate, br"));
	CN_EXPECT_TRUE(cn_http_accepts_gzip("deflate, gzip;q=0.5"));
	CN_EXPECT_TRUE(cn_http_accepts_gzip("*"));
	CN_EXPECT_TRUE(cn_http_accepts_gzip("x-gzip"));
	CN_EXPECT_TRUE(cn_http_accepts_gzip("gzip;q=0.5, identity;q=0.5"));
	CN_EXPECT_FALSE(cn_http_accepts_gzip(NULL));
	CN_EXPECT_FALSE(cn_http_accepts_gzip(""));
	CN_EXPECT_FALSE(cn_http_accepts_gzip("identity"));
	CN_EXPECT_FALSE(cn_http_accepts_gzip("gzip;q=0"));
	CN_EXPECT_FALSE(cn_http_accepts_gzip("gzip;q=0.000"));
	CN_EXPECT_FALSE(cn_http_accepts_gzip("br, *;q=0"));
	CN_EXPECT_FALSE(cn_http_accepts_gzip("gzip;q=0.5, identity"));
	CN_EXPECT_FALSE(cn_http_accepts_gzip("gzip;q=0.5, *"));
}
