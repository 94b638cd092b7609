/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * httpd: the site in rootfs/www, and two dynamic routes describing the
 * running image: /status (HTML) and /status.json.
 */
#include <stdio.h>
#include <string.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/biglock.h>
#include <cairn/boot.h>
#include <cairn/cpu.h>
#include <cairn/file.h>
#include <cairn/httpd.h>
#include <cairn/lwip_stats.h>
#include <cairn/plat.h>
#include <cairn/sched.h>
#include <cairn/sched_policy.h>
#include <cairn/timer.h>

struct facts {
	unsigned long long uptime_ms, used, total, peak, requests, conns;
	unsigned long long sendfile_lent, sendfile_copied, refused;
	unsigned long long switches, page_tables;
	struct cn_lwip_stats net;
	unsigned int threads, open;
	const char *alloc;
};

static void count_thread(struct cn_thread *t, void *arg)
{
	(void)t;
	(*(unsigned int *)arg)++;
}

static void gather(struct facts *f)
{
	struct cn_alloc *a = cn_alloc_default();
	struct cn_alloc_stats as = { 0 };
	struct cn_httpd_stats hs;
	struct cn_sendfile_stats ss;

	cn_alloc_stats(a, &as);
	cn_httpd_stats(&hs);
	cn_file_sendfile_stats(&ss);
	f->sendfile_lent = ss.lent;
	f->sendfile_copied = ss.copied;
	f->uptime_ms = cn_time_ns() / 1000000;
	f->used = as.used;
	f->total = as.total;
	f->peak = as.peak;
	f->page_tables = cn_arch_page_tables_on_heap(NULL);
	f->alloc = cn_alloc_name(a);
	f->requests = hs.requests;
	f->conns = hs.connections;
	f->open = hs.open;
	f->refused = hs.refused;
	cn_lwip_stats_read(&f->net);
	f->threads = 0;
	cn_thread_foreach(count_thread, &f->threads);
	f->switches = 0;
	for (unsigned int i = 0; i < cn_cpu_count(); i++) {
		struct cn_sched_cpu_stats cs;

		cn_sched_cpu_stats_read(i, &cs);
		f->switches += cs.switches;
	}
}

/* The stack's counters as "net":{...}} (the end of /status.json). */
static int net_json(const struct cn_lwip_stats *s, char *buf, size_t len)
{
	return snprintf(buf, len, "\"net\":{\"tcp_in_segs\":%llu,"
		"\"tcp_out_segs\":%llu,\"tcp_retrans\":%llu,"
		"\"tcp_syn_dups\":%llu,\"tcp_dupacks\":%llu,\"tcp_ooseq\":%llu,"
		"\"tcp_passive_opens\":%llu,\"tcp_syn_backlog_drops\":%llu,"
		"\"tcp_syn_timewait\":%llu,\"tcp_timewait_reused\":%llu,"
		"\"tcp_drops\":%llu,"
		"\"tcp_mem_errors\":%llu,\"tcp_resets_sent\":%llu,"
		"\"memp_errors\":%llu,"
		"\"rx_drops\":%llu,\"tx_drops\":%llu,"
		"\"rx_missed_wakeups\":%llu,\"tx_missed_wakeups\":%llu}}\n",
		(unsigned long long)s->tcp_in_segs,
		(unsigned long long)s->tcp_out_segs,
		(unsigned long long)s->tcp_retrans,
		(unsigned long long)s->tcp_syn_dups,
		(unsigned long long)s->tcp_dupacks,
		(unsigned long long)s->tcp_ooseq,
		(unsigned long long)s->tcp_passive_opens,
		(unsigned long long)s->tcp_syn_backlog_drops,
		(unsigned long long)s->tcp_syn_timewait,
		(unsigned long long)s->tcp_timewait_reused,
		(unsigned long long)s->tcp_drops,
		(unsigned long long)s->tcp_mem_errors,
		(unsigned long long)s->tcp_resets_sent,
		(unsigned long long)s->memp_errors,
		(unsigned long long)s->rx_drops,
		(unsigned long long)s->tx_drops,
		(unsigned long long)s->rx_missed_wakeups,
		(unsigned long long)s->tx_missed_wakeups);
}

/*
 * What serialises the CPUs, as counts a benchmark compares before and
 * after a run (support/bench/smp/http.py): the big lock, the scheduler's
 * lock, lib/alloc's lock and per-CPU caches, and per CPU its context
 * switches, threads stolen and time halted (millions of cycles). All of
 * it is cheap to read.
 */
static int smp_json(char *buf, size_t len)
{
	struct cn_alloc_smp_stats as;
	struct cn_big_stats bs;
	unsigned long long sched_taken = 0, sched_held = 0;
	unsigned int i;
	int n, m;

	cn_alloc_smp_stats_read(&as);
	cn_big_stats_read(&bs);
	for (i = 0; i < cn_cpu_count(); i++) {
		struct cn_sched_cpu_stats cs;

		cn_sched_cpu_stats_read(i, &cs);
		sched_taken += cs.locked;
		sched_held += cs.lock_contended;
	}
	n = snprintf(buf, len, "\"smp\":{\"cpus\":%u,"
		     "\"big_lock_taken\":%llu,\"big_lock_contended\":%llu,"
		     "\"big_lock_slept\":%llu,"
		     "\"sched_lock_taken\":%llu,\"sched_lock_contended\":%llu,"
		     "\"alloc_lock_taken\":%llu,\"alloc_lock_contended\":%llu,"
		     "\"alloc_cache_hits\":%llu,\"alloc_cache_refills\":%llu,"
		     "\"alloc_cache_flushes\":%llu", cn_cpu_count(),
		     (unsigned long long)bs.taken,
		     (unsigned long long)bs.contended,
		     (unsigned long long)bs.slept, sched_taken, sched_held,
		     (unsigned long long)as.lock_taken,
		     (unsigned long long)as.lock_contended,
		     (unsigned long long)as.cache_hits,
		     (unsigned long long)as.cache_refills,
		     (unsigned long long)as.cache_flushes);
	for (i = 0; i < cn_cpu_count() && i < 8 && n > 0 && (size_t)n < len;
	     i++) {
		struct cn_sched_cpu_stats cs;

		cn_sched_cpu_stats_read(i, &cs);
		m = snprintf(buf + n, len - (size_t)n,
			     ",\"cpu%u_switches\":%llu,\"cpu%u_stolen\":%llu,"
			     "\"cpu%u_idle_mcycles\":%llu", i, cs.switches, i,
			     cs.stolen, i,
			     (unsigned long long)(cn_cpus[i].idle_cycles /
						  1000000));
		n = m < 0 ? m : n + m;
	}
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "},");
	return n;
}

static int status_json(const struct cn_http_req *r, struct cn_http_resp *w,
		       void *arg)
{
	struct facts f;
	char body[3072];
	int n, m;

	(void)r, (void)arg;
	gather(&f);
	n = snprintf(body, sizeof(body),
		     "{\"app\":\"%s\",\"platform\":\"%s\",\"machine\":\"%s\","
		     "\"libraries\":\"%s\",\"allocator\":\"%s\","
		     "\"scheduler\":\"%s\",\"uptime_ms\":%llu,"
		     "\"heap_total\":%llu,\"heap_used\":%llu,\"heap_peak\":%llu,"
		     "\"threads\":%u,\"requests\":%llu,\"connections\":%llu,"
		     "\"open_connections\":%u,\"sendfile_lent\":%llu,"
		     "\"sendfile_copied\":%llu,\"refused\":%llu,"
		     "\"switches\":%llu,\"heap_page_tables\":%llu,"
		     "\"tcp_timewait\":%u,\"tcp_active\":%u,",
		     cn_build_app(), cn_bootinfo()->plat_name,
		     cn_bootinfo()->machine, cn_build_libs(), f.alloc,
		     cn_sched_policy_name(), f.uptime_ms, f.total, f.used,
		     f.peak, f.threads, f.requests, f.conns, f.open,
		     f.sendfile_lent, f.sendfile_copied, f.refused,
		     f.switches, f.page_tables, f.net.tcp_timewait_now,
		     f.net.tcp_active_now);
	if (n < 0 || (size_t)n >= sizeof(body))
		return cn_http_reply(w, 500, "text/plain", "too long\n", 9);
	m = smp_json(body + n, sizeof(body) - (size_t)n);
	if (m < 0 || (size_t)m >= sizeof(body) - (size_t)n)
		return cn_http_reply(w, 500, "text/plain", "too long\n", 9);
	n += m;
	m = net_json(&f.net, body + n, sizeof(body) - (size_t)n);
	if (m < 0 || (size_t)m >= sizeof(body) - (size_t)n)
		return cn_http_reply(w, 500, "text/plain", "too long\n", 9);
	return cn_http_reply(w, 200, "application/json", body,
			     (size_t)(n + m));
}

static int status_html(const struct cn_http_req *r, struct cn_http_resp *w,
		       void *arg)
{
	struct facts f;
	char body[3072];
	int n;

	(void)r, (void)arg;
	gather(&f);
	n = snprintf(body, sizeof(body),
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		"<title>Cairn: status</title>"
		"<link rel=\"stylesheet\" href=\"/style.css\"></head><body>\n"
		"<h1>What this image is running</h1>\n<table>\n"
		"<tr><th>App</th><td>%s</td></tr>\n"
		"<tr><th>Platform</th><td>%s (QEMU -M %s)</td></tr>\n"
		"<tr><th>Libraries</th><td>%s</td></tr>\n"
		"<tr><th>Allocator</th><td>%s</td></tr>\n"
		"<tr><th>Scheduler</th><td>%s</td></tr>\n"
		"<tr><th>Uptime</th><td>%llu.%03llu s</td></tr>\n"
		"<tr><th>Heap</th><td>%llu KiB used of %llu KiB "
		"(peak %llu KiB)</td></tr>\n"
		"<tr><th>Threads</th><td>%u</td></tr>\n"
		"<tr><th>Requests served</th><td>%llu on %llu connections "
		"(%u open)</td></tr>\n</table>\n"
		"<p><a href=\"/\">Home</a> &middot; "
		"<a href=\"/status.json\">JSON</a></p>\n</body></html>\n",
		cn_build_app(), cn_bootinfo()->plat_name,
		cn_bootinfo()->machine, cn_build_libs(), f.alloc,
		cn_sched_policy_name(), f.uptime_ms / 1000, f.uptime_ms % 1000,
		f.used >> 10, f.total >> 10, f.peak >> 10, f.threads,
		f.requests, f.conns, f.open);
	return cn_http_reply(w, 200, "text/html; charset=utf-8", body,
			     (size_t)n);
}

int main(void)
{
	cn_httpd_route("GET", "/status.json", status_json, NULL);
	cn_httpd_route("GET", "/status", status_html, NULL);
	cn_httpd_route("HEAD", "/status.json", status_json, NULL);
	cn_httpd_route("HEAD", "/status", status_html, NULL);
	/*
	 * The guest cannot know which host port QEMU forwards to it (make
	 * run's HOSTFWD): the launcher prints that address before the boot.
	 */
	printf("httpd: the address to open is on the launcher's line "
	       "'cairn: tcp ... -> guest port 80: http://...' above; "
	       "stop QEMU with Ctrl-A X\n");
	return cn_httpd_serve(NULL) ? 1 : 0;
}
