/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Raw frame rate through a Linux AF_PACKET socket (make bench-net): the
 * Linux side; netdev_tx.c is the same measurement on Cairn's netdev API.
 *
 * Sends the same minimum-size Ethernet frames (60 bytes: broadcast,
 * ethertype 0x88b5, which QEMU's user network drops without answering)
 * with send() on a blocking SOCK_RAW packet socket bound to IFACE, for
 * RUNS rounds of SECONDS each after a warm-up of 2000 frames. MODE `qdisc` (the default)
 * goes through the interface's queueing discipline, as any program's
 * frames do; `bypass` sets PACKET_QDISC_BYPASS, which hands each frame
 * straight to the driver, like cn_netdev_tx(): a full device queue then
 * fails the send with ENOBUFS, and the send is retried (see send_one()).
 * A device that takes no frame for 2 s ends the program with status 1,
 * as netdev_tx.c does: virtio-net's transmit queue has been seen to stall
 * under TCG on a loaded host (the kernel then logs "NETDEV WATCHDOG ...
 * transmit queue 0 timed out"), and without a bound send() would wait
 * for it forever and the guest would never power off.
 *
 * The figure is what the device completed: the interface's tx_packets
 * (virtio_net counts a frame when it reaps its completion) over a round,
 * divided by its length; the queue is drained after each round, and
 * frames accepted but never completed (dropped by the qdisc) show up as
 * `lost` in the round's detail line (the kernel's own frames, IPv6
 * neighbour discovery after `ip link set up`, can make it negative).
 * Then, one `key: value` a line (prefixed `bypass_` in bypass mode), the
 * medians over the rounds:
 *
 *   frames_per_s: X    completed frames per second
 *   frames_per_s_min, frames_per_s_max: the slowest and fastest round
 *   accepted_per_s: Y  frames send() accepted per second
 *
 * Usage: packet_tx [SECONDS [RUNS [MODE [IFACE]]]]
 *        (defaults 2, 5, qdisc, eth0)
 * Waits up to 5 s for IFACE to be up (operstate), which `ip link set
 * IFACE up` starts. Build: gcc -O2 -static -o packet_tx packet_tx.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define FRAME_LEN	60
#define ETHERTYPE	0x88b5
#define CHECK_EVERY	64
#define SLEEP_US	50	/* pause when the device queue stays full */
#define WARMUP		2000	/* frames sent and completed before timing */
#define MAX_RUNS	100
#define STALL_NS	2000000000LL	/* no frame taken for this long: stop */

static const char *iface = "eth0";
static int fd;
static uint8_t frame[FRAME_LEN];
static unsigned long long enobufs;

static void die(const char *what)
{
	fprintf(stderr, "packet_tx: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int read_sysfs(const char *what, char *buf, size_t size)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", iface, what);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

/* The interface's completed-frame count (virtio_net: at TX reap). */
static unsigned long long tx_packets(void)
{
	char buf[32];

	if (read_sysfs("statistics/tx_packets", buf, sizeof(buf)))
		die("reading statistics/tx_packets");
	return strtoull(buf, NULL, 10);
}

static void wait_up(void)
{
	char buf[32] = "";
	int i;

	for (i = 0; i < 500; i++) {
		if (read_sysfs("operstate", buf, sizeof(buf)) == 0 &&
		    strncmp(buf, "up", 2) == 0)
			return;
		usleep(10000);
	}
	fprintf(stderr, "packet_tx: %s is not up (operstate %s)\n", iface,
		buf[0] ? strtok(buf, "\n") : "unknown");
	exit(1);
}

/*
 * Sends one frame. ENOBUFS (bypass mode: the device queue is full) is
 * retried at once, then after a 50 us sleep each time, as netdev_tx.c
 * does with -EAGAIN (the sleep hands the host CPU to QEMU's device thread).
 */
static void send_one(void)
{
	long long stalled = 0;
	int tries = 0;

	while (send(fd, frame, FRAME_LEN, 0) != FRAME_LEN) {
		if (errno == ENOBUFS || errno == EAGAIN) {
			enobufs++;
			if (tries++)
				usleep(SLEEP_US);
		} else if (errno != EINTR) {
			die("send");
		}
		if (!stalled) {
			stalled = now_ns() + STALL_NS;
		} else if (now_ns() > stalled) {
			fprintf(stderr, "packet_tx: %s has taken no frame for "
				"2 s (tx_packets %llu): its transmit queue "
				"stalled\n", iface, tx_packets());
			exit(1);
		}
	}
}

/* Waits until the device completed `target` frames, at most 1 s. */
static void drain(unsigned long long target)
{
	long long deadline = now_ns() + 1000000000LL;

	while (tx_packets() < target && now_ns() < deadline)
		usleep(1000);
}

struct result {
	double fps, aps;	/* completed, accepted per second */
};

/* One timed round of `seconds`; prints its detail line. */
static struct result run_round(double seconds)
{
	unsigned long long base, done0, done1, n = 0, end_tx;
	long long t0, t1, end;
	struct result r;
	double s;

	base = done0 = tx_packets();
	enobufs = 0;
	t0 = now_ns();
	end = t0 + (long long)(seconds * 1e9);
	for (;;) {
		if (n % CHECK_EVERY == 0 && now_ns() >= end)
			break;
		send_one();
		n++;
	}
	t1 = now_ns();
	done1 = tx_packets();
	drain(base + n);
	end_tx = tx_packets();

	s = (double)(t1 - t0) / 1e9;
	printf("packet_tx: %.3f s: %llu accepted, %llu completed in the "
	       "window, %llu ENOBUFS retries, %lld lost\n", s, n,
	       done1 - done0, enobufs, (long long)(base + n) - (long long)end_tx);
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
	const char *mode = argc > 3 ? argv[3] : "qdisc";
	int bypass = strcmp(mode, "bypass") == 0, one = 1, i;
	const char *prefix = bypass ? "bypass_" : "";
	double fps[MAX_RUNS], aps[MAX_RUNS];
	struct timeval half_second = { 0, 500000 };
	unsigned long long base;
	struct sockaddr_ll sll;
	struct ifreq ifr;

	if (argc > 4)
		iface = argv[4];
	if (argc > 5 || !(seconds > 0 && seconds <= 60) || runs < 1 ||
	    runs > MAX_RUNS || (!bypass && strcmp(mode, "qdisc"))) {
		fprintf(stderr, "usage: packet_tx [SECONDS (0-60] [RUNS 1-%d "
			"[qdisc|bypass [IFACE]]]]\n", MAX_RUNS);
		return 2;
	}
	wait_up();
	/* Protocol 0: this socket receives nothing. */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket(AF_PACKET)");
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(iface);
	if (!sll.sll_ifindex)
		die(iface);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind");
	/* A send() blocked on a stalled queue returns EAGAIN after 0.5 s. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &half_second,
		       sizeof(half_second)))
		die("SO_SNDTIMEO");
	if (bypass && setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
				 sizeof(one)))
		die("PACKET_QDISC_BYPASS");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");

	memset(frame, 0xff, ETH_ALEN);
	memcpy(frame + ETH_ALEN, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	frame[12] = ETHERTYPE >> 8;
	frame[13] = ETHERTYPE & 0xff;
	for (i = ETH_HLEN; i < FRAME_LEN; i++)
		frame[i] = (uint8_t)i;
	printf("packet_tx: %s, %s, %d-byte frames, %d x %.1f s\n", iface,
	       bypass ? "PACKET_QDISC_BYPASS" : "through the qdisc",
	       FRAME_LEN, runs, seconds);

	base = tx_packets();
	for (i = 0; i < WARMUP; i++)
		send_one();
	drain(base + WARMUP);
	for (i = 0; i < runs; i++) {
		struct result r = run_round(seconds);

		fps[i] = r.fps;
		aps[i] = r.aps;
	}
	printf("%sframes_per_s: %.1f\n", prefix, median(fps, runs));
	/* median() sorted them */
	printf("%sframes_per_s_min: %.1f\n", prefix, fps[0]);
	printf("%sframes_per_s_max: %.1f\n", prefix, fps[runs - 1]);
	printf("%saccepted_per_s: %.1f\n", prefix, median(aps, runs));
	return 0;
}
