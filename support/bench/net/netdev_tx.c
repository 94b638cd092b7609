/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raw frame rate through Cairn's netdev API (make bench-net): the Cairn
 * side; packet_tx.c is the same measurement on a Linux guest.
 *
 * Sends minimum-size Ethernet frames (60 bytes: broadcast, ethertype
 * 0x88b5, IEEE "local experimental", which QEMU's user network drops
 * without answering) through cn_netdev_tx() as fast as it takes them,
 * for RUNS rounds of SECONDS each, after a warm-up of 2000 frames. A full
 * queue (-EAGAIN) is answered with cn_netdev_poll(), which reaps TX
 * completions, and a retry, after a 50 us sleep if it is still full (see
 * send_one()); completions are also reaped every 64 frames. One frame is
 * one cn_netbuf_alloc(), filled, and handed to the driver, which frees
 * it. A queue that stays full for 2 s (the device stopped) ends the
 * program with status 1.
 *
 * The figure is what the device completed: the driver's tx_packets
 * (counted when a completion is reaped) over a round, divided by its
 * length. After each round the queue is drained, so frames accepted but
 * never completed show up as `lost` in the round's detail line. Then,
 * one `key: value` a line, the medians over the rounds:
 *
 *   frames_per_s: X    completed frames per second
 *   frames_per_s_min, frames_per_s_max: the slowest and fastest round
 *   accepted_per_s: Y  frames cn_netdev_tx() accepted per second
 *
 * Usage: netdev_tx [SECONDS [RUNS]]   (defaults 2 and 5)
 * Exit status 0, 1 on a transmit error, 2 without a network device.
 * apps/bench-netdev builds this file (its main.c links here).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/netdev.h>
#include <cairn/sched.h>
#include <cairn/timer.h>

#define FRAME_LEN	60
#define ETHERTYPE	0x88b5
#define REAP_EVERY	64
#define SLEEP_NS	50000		/* pause when the queue stays full */
#define STALL_NS	2000000000ull	/* full this long: give up */
#define WARMUP		2000	/* frames sent and completed before timing */
#define MAX_RUNS	100

static struct cn_netdev *nd;
static uint8_t frame[FRAME_LEN];
static unsigned long long eagain;

/*
 * Sends one frame. A full queue is reaped (cn_netdev_poll) and retried;
 * if it is still full, the thread sleeps SLEEP_NS first. Sleeping halts
 * the vCPU, which under TCG hands the host CPU to QEMU's device thread:
 * spinning instead made the figure collapse (by up to 4x) whenever
 * another program kept one of the host's cores busy. The queue holds 256
 * frames, several hundred microseconds of work for the device, so the
 * device does not run dry meanwhile.
 */
static void send_one(void)
{
	struct cn_netbuf *nb = cn_netbuf_alloc(FRAME_LEN);
	uint64_t stalled = 0;
	int rc;

	if (!nb) {
		printf("netdev_tx: out of memory\n");
		exit(1);
	}
	memcpy(nb->data, frame, FRAME_LEN);
	nb->len = FRAME_LEN;
	while ((rc = cn_netdev_tx(nd, 0, nb)) == -EAGAIN) {
		eagain++;
		cn_netdev_poll(nd, 0, REAP_EVERY);
		rc = cn_netdev_tx(nd, 0, nb);
		if (rc != -EAGAIN)
			break;
		if (!stalled)
			stalled = cn_time_ns() + STALL_NS;
		else if (cn_time_ns() > stalled) {
			printf("netdev_tx: the transmit queue has been full for "
			       "%llu ms: the device stopped sending\n",
			       (unsigned long long)(STALL_NS / 1000000));
			exit(1);
		}
		cn_thread_sleep_ns(SLEEP_NS);
		cn_netdev_poll(nd, 0, REAP_EVERY);
	}
	if (rc) {
		printf("netdev_tx: cn_netdev_tx failed: %d\n", rc);
		exit(1);
	}
}

/* Reaps completions until every accepted frame is done or 1 s passes. */
static void drain(uint64_t accepted)
{
	uint64_t deadline = cn_time_ns() + 1000000000ull;

	while (nd->stats.tx_packets + nd->stats.tx_drops < accepted &&
	       cn_time_ns() < deadline)
		cn_netdev_poll(nd, 0, REAP_EVERY);
}

struct result {
	double fps, aps;	/* completed, accepted per second */
};

/* One timed round of `seconds`; prints its detail line. */
static struct result run_round(double seconds)
{
	uint64_t t0, t1, end, done0, done1, n = 0, base;
	struct result r;
	double s;

	base = nd->stats.tx_packets + nd->stats.tx_drops;
	eagain = 0;
	done0 = nd->stats.tx_packets;
	t0 = cn_time_ns();
	end = t0 + (uint64_t)(seconds * 1e9);
	for (;;) {
		if (n % REAP_EVERY == 0) {
			cn_netdev_poll(nd, 0, REAP_EVERY);
			if (cn_time_ns() >= end)
				break;
		}
		send_one();
		n++;
	}
	t1 = cn_time_ns();
	done1 = nd->stats.tx_packets;
	drain(base + n);

	s = (double)(t1 - t0) / 1e9;
	printf("netdev_tx: %.3f s: %llu accepted, %llu completed in the "
	       "window, %llu -EAGAIN retries, %lld lost\n", s,
	       (unsigned long long)n, (unsigned long long)(done1 - done0),
	       eagain, (long long)(base + n) - (long long)(nd->stats.tx_packets
							    + nd->stats.tx_drops));
	r.fps = (double)(done1 - done0) / s;
	r.aps = (double)n / s;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 2.0;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	double fps[MAX_RUNS], aps[MAX_RUNS];
	uint64_t base;
	char mac[18];
	int i;

	if (argc > 3 || !(seconds > 0 && seconds <= 60) || runs < 1 ||
	    runs > MAX_RUNS) {
		printf("netdev_tx: usage: netdev_tx [SECONDS (0-60] [RUNS "
		       "1-%d]]\n", MAX_RUNS);
		return 2;
	}
	nd = cn_netdev_get(0);
	if (!nd) {
		printf("netdev_tx: no network device\n");
		return 2;
	}
	memset(frame, 0xff, CN_ETH_ALEN);
	memcpy(frame + CN_ETH_ALEN, nd->mac, CN_ETH_ALEN);
	frame[12] = ETHERTYPE >> 8;
	frame[13] = ETHERTYPE & 0xff;
	for (i = CN_ETH_HLEN; i < FRAME_LEN; i++)
		frame[i] = (uint8_t)i;
	printf("netdev_tx: %s (%s, %s), %d-byte frames, %d x %.1f s\n",
	       nd->name, nd->driver, cn_netdev_mac_str(nd->mac, mac),
	       FRAME_LEN, runs, seconds);

	base = nd->stats.tx_packets + nd->stats.tx_drops;
	for (i = 0; i < WARMUP; i++)
		send_one();
	drain(base + WARMUP);
	for (i = 0; i < runs; i++) {
		struct result r = run_round(seconds);

		fps[i] = r.fps;
		aps[i] = r.aps;
	}
	printf("frames_per_s: %.1f\n", median(fps, runs));
	printf("frames_per_s_min: %.1f\n", fps[0]);	/* sorted by median() */
	printf("frames_per_s_max: %.1f\n", fps[runs - 1]);
	printf("accepted_per_s: %.1f\n", median(aps, runs));
	return 0;
}
