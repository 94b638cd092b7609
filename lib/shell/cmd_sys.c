/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads and memory: ps, kill, free. The scheduler's and allocators'
 * lists are read with interrupts off into a snapshot, printed afterwards:
 * printing may block (a redirection to a file), and a thread may exit
 * meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairn/biglock.h>
#include <cairn/alloc.h>
#include <cairn/arch.h>
#include <cairn/cpu.h>
#include <cairn/sched.h>
#include <cairn/shell.h>

#define PS_MAX		256
#define ALLOCS_MAX	16

struct ps_row {
	int id;
	enum cn_thread_state state;
	size_t used, size;
	int self;
	unsigned int cpu;
	char name[32];
};

struct ps_snap {
	struct ps_row *rows;
	unsigned int n, seen;
};

static void take_thread(struct cn_thread *t, void *arg)
{
	struct ps_snap *s = arg;
	struct ps_row *r;

	if (s->seen++ >= PS_MAX)
		return;
	r = &s->rows[s->n++];
	r->id = cn_thread_id(t);
	r->state = cn_thread_state(t);
	r->used = cn_thread_stack_used(t);
	r->size = cn_thread_stack_size(t);
	r->self = t == cn_thread_current();
	r->cpu = cn_thread_cpu(t);
	snprintf(r->name, sizeof(r->name), "%s", cn_thread_name(t));
}

static int cmp_id(const void *a, const void *b)
{
	return ((const struct ps_row *)a)->id - ((const struct ps_row *)b)->id;
}

static int cmd_ps(struct cn_shell *sh, int argc, char **argv)
{
	struct ps_snap s = { 0 };
	unsigned long flags;
	unsigned int i;

	if (argc > 1)
		return cn_shell_usage(sh);
	s.rows = malloc(PS_MAX * sizeof(*s.rows));
	if (!s.rows)
		return cn_shell_error(sh, "out of memory");
	flags = cn_big_lock();
	cn_thread_foreach(take_thread, &s);
	cn_big_unlock(flags);
	qsort(s.rows, s.n, sizeof(*s.rows), cmp_id);
	/* With several CPUs, the one each thread runs (or last ran) on. */
	if (cn_cpu_count() > 1)
		cn_shell_printf(sh, "  TID %-20s %-9s CPU %s\n", "NAME", "STATE",
				"STACK USED/SIZE");
	else
		cn_shell_printf(sh, "  TID %-20s %-9s %s\n", "NAME", "STATE",
				"STACK USED/SIZE");
	for (i = 0; i < s.n; i++) {
		const struct ps_row *r = &s.rows[i];
		char stack[40];

		if (r->size)
			snprintf(stack, sizeof(stack), "%zu/%zu KiB (%zu%%)",
				 (r->used + 1023) / 1024, r->size / 1024,
				 r->used * 100 / r->size);
		else
			snprintf(stack, sizeof(stack), "boot stack");
		if (cn_cpu_count() > 1)
			cn_shell_printf(sh, "%c%4d %-20s %-9s %3u %s\n",
					r->self ? '*' : ' ', r->id, r->name,
					cn_thread_state_name(r->state), r->cpu,
					stack);
		else
			cn_shell_printf(sh, "%c%4d %-20s %-9s %s\n",
					r->self ? '*' : ' ', r->id, r->name,
					cn_thread_state_name(r->state), stack);
	}
	if (s.seen > s.n)
		cn_shell_printf(sh, "  (%u more not shown)\n", s.seen - s.n);
	free(s.rows);
	return 0;
}
CN_SHELL_CMD(ps, cmd_ps, "",
	     "threads: id, name, state, CPU (with SMP), stack used (* this shell)");

static const char *cpu_state_name(enum cn_cpu_state s)
{
	static const char *const names[] = {
		"absent", "starting", "online", "failed",
	};

	return (unsigned int)s < CN_ARRAY_SIZE(names) ? names[s] : "?";
}

/*
 * The CPUs' load: BUSY is the share of the time since it came up (since
 * power-on for CPU 0) that it was not halted in its idle loop; QUEUE the
 * threads READY in its run queue now; SWITCHES and STOLEN the scheduler's
 * counts (STOLEN: threads it took from other CPUs' queues). `ps` shows
 * which threads run where. Without SMP (one CPU) the idle time is not
 * measured.
 */
static int cmd_cpus(struct cn_shell *sh, int argc, char **argv)
{
	unsigned int i, n = cn_cpu_count();
	unsigned long long sched_taken = 0, sched_held = 0;

	if (argc > 1)
		return cn_shell_usage(sh);
	cn_shell_printf(sh, "  CPU  HW ID  STATE    BUSY  QUEUE   SWITCHES "
			"    STOLEN IRQS       CALLS\n");
	for (i = 0; i < n; i++) {
		const struct cn_cpu *c = &cn_cpus[i];
		struct cn_sched_cpu_stats st;
		char busy[16] = "-";
		uint64_t now = cn_arch_cycles(), up = now - c->online_cycles;
		uint64_t since = c->halted_since, idle_c = c->idle_cycles;

		if (since && since < now)
			idle_c += now - since;	/* halted right now */
		if (idle_c > up)
			idle_c = up;
		if (cn_cpu_count() > 1 && c->state == CN_CPU_ONLINE && up)
			snprintf(busy, sizeof(busy), "%u%%", (unsigned int)
				 ((up - idle_c) * 100 / up));
		cn_sched_cpu_stats_read(i, &st);
		sched_taken += st.locked;
		sched_held += st.lock_contended;
		cn_shell_printf(sh, "%c%4u  %5u  %-8s %-5s %5u %10llu %10llu "
				"%-10llu %llu\n",
				c == cn_cpu_self() ? '*' : ' ', c->id,
				(unsigned int)c->hw_id,
				cpu_state_name(c->state), busy, st.queued,
				st.switches, st.stolen,
				(unsigned long long)c->nr_irqs,
				(unsigned long long)c->nr_calls);
	}
	cn_shell_printf(sh, "%u of %u CPUs online\n", cn_cpu_online(), n);
	if (n > 1) {
		struct cn_big_stats bs;

		cn_big_stats_read(&bs);
		cn_shell_printf(sh, "big lock: taken %llu times, found held "
				"%llu times, slept on %llu times\n",
				(unsigned long long)bs.taken,
				(unsigned long long)bs.contended,
				(unsigned long long)bs.slept);
		cn_shell_printf(sh, "scheduler's lock: taken %llu times, "
				"found held %llu times\n", sched_taken,
				sched_held);
	}
	return 0;
}
CN_SHELL_CMD(cpus, cmd_cpus, "",
	     "CPUs: state, busy share, run queue, switches, steals, interrupts, "
	     "cross-CPU calls (* this one)");

struct kill_req {
	int id;
	struct cn_thread *found;
};

static void find_thread(struct cn_thread *t, void *arg)
{
	struct kill_req *k = arg;

	if (cn_thread_id(t) == k->id)
		k->found = t;
}

/* argv[1] as a thread id into k->id; 0, or an error printed. */
static int parse_tid(struct cn_shell *sh, char **argv, struct kill_req *k)
{
	char *end;
	long id;

	id = strtol(argv[1], &end, 10);
	if (*end || !*argv[1] || id < 0 || id > 0x7fffffff)
		return cn_shell_error(sh, "'%.20s' is not a thread id (ps "
				      "lists them)", argv[1]);
	k->id = (int)id;
	return 0;
}

/* What kill, stop and run do to the thread they found. */
enum thread_act { ACT_KILL, ACT_STOP, ACT_RUN };

/*
 * Finds thread TID (argv[1]), never this shell, and acts on it under the
 * big lock, so it cannot be freed between; its name into name. Returns
 * the action's result (0 or -errno) with *id set, or the shell's status
 * (above 0) after an error was printed (usage, a bad id, no such thread,
 * this shell).
 */
static int act_on_thread(struct cn_shell *sh, int argc, char **argv,
			 enum thread_act act, char name[32], int *id)
{
	struct kill_req k = { 0 };
	unsigned long flags;
	int rc;

	if (argc != 2)
		return cn_shell_usage(sh);
	if (parse_tid(sh, argv, &k))
		return 1;
	*id = k.id;
	flags = cn_big_lock();
	cn_thread_foreach(find_thread, &k);
	if (!k.found || k.found == cn_thread_current()) {
		cn_big_unlock(flags);
		return k.found ? cn_shell_error(sh, "%d is this shell", k.id)
			       : cn_shell_error(sh, "no thread %d", k.id);
	}
	snprintf(name, 32, "%s", cn_thread_name(k.found));
	rc = act == ACT_KILL ? cn_thread_kill(k.found) :
	     act == ACT_STOP ? cn_thread_stop(k.found) :
			       cn_thread_resume(k.found);
	cn_big_unlock(flags);
	return rc;
}

static int cmd_kill(struct cn_shell *sh, int argc, char **argv)
{
	char name[32];
	int id, rc = act_on_thread(sh, argc, argv, ACT_KILL, name, &id);

	if (rc > 0)
		return rc;
	if (rc == -EINVAL)
		return cn_shell_error(sh, "%s cannot be killed (poweroff ends "
				      "the image)", name);
	if (rc == -ESRCH)
		return cn_shell_error(sh, "%s has already exited", name);
	if (rc)
		return cn_shell_error(sh, "%s: %s", name, strerror(-rc));
	cn_thread_yield();	/* let it run its exit */
	cn_shell_printf(sh, "killed %d (%s)\n", id, name);
	return 0;
}
CN_SHELL_CMD(kill, cmd_kill, "TID", "end a thread (ps shows the ids)");

/*
 * stop TID / run TID: pause a thread and resume it (cn_thread_stop(),
 * cn_thread_resume()). The CPUs' idle threads have no id, so they
 * cannot be named here (lib/sched refuses them too).
 */
static int stop_or_run(struct cn_shell *sh, int argc, char **argv, int stop)
{
	char name[32];
	int id, rc = act_on_thread(sh, argc, argv, stop ? ACT_STOP : ACT_RUN,
				   name, &id);

	if (rc > 0)
		return rc;
	if (rc == -ESRCH)
		return cn_shell_error(sh, "%s has already exited", name);
	if (rc == -EALREADY)
		return cn_shell_error(sh, "%d (%s) is stopped already", id,
				      name);
	if (rc == -EINVAL)
		return cn_shell_error(sh, "%d (%s) is not stopped", id, name);
	if (rc == -EPERM)
		return cn_shell_error(sh, "%s is a CPU's idle thread", name);
	if (rc)
		return cn_shell_error(sh, "%s: %s", name, strerror(-rc));
	cn_shell_printf(sh, "%s %d (%s)\n", stop ? "stopped" : "resumed",
			id, name);
	return 0;
}

static int cmd_stop(struct cn_shell *sh, int argc, char **argv)
{
	return stop_or_run(sh, argc, argv, 1);
}
CN_SHELL_CMD(stop, cmd_stop, "TID",
	     "pause a thread until `run TID` (ps shows it stopped)");

static int cmd_run(struct cn_shell *sh, int argc, char **argv)
{
	return stop_or_run(sh, argc, argv, 0);
}
CN_SHELL_CMD(run, cmd_run, "TID", "resume a thread `stop` paused");

struct alloc_row {
	const char *name;
	struct cn_alloc_stats st;
};

struct alloc_snap {
	struct alloc_row rows[ALLOCS_MAX];
	unsigned int n;
};

static void take_alloc(struct cn_alloc *a, void *arg)
{
	struct alloc_snap *s = arg;

	if (s->n >= ALLOCS_MAX)
		return;
	s->rows[s->n].name = cn_alloc_name(a);
	cn_alloc_stats(a, &s->rows[s->n].st);
	s->n++;
}

static void size_str(char *buf, size_t len, size_t v, int unit)
{
	if (unit == 'b')
		snprintf(buf, len, "%zu", v);
	else if (unit == 'h' && v >= (10u << 20))
		snprintf(buf, len, "%zu.%zuM", v >> 20, (v >> 10) % 1024 / 103);
	else if (unit == 'h')
		snprintf(buf, len, "%zu.%zuK", v >> 10, v % 1024 / 103);
	else
		snprintf(buf, len, "%zu", v >> 10);
}

static int cmd_free(struct cn_shell *sh, int argc, char **argv)
{
	struct alloc_snap s;
	int unit = 'k';
	unsigned int i;

	if (argc > 2)
		return cn_shell_usage(sh);
	if (argc == 2) {
		if (strcmp(argv[1], "-b") && strcmp(argv[1], "-h") &&
		    strcmp(argv[1], "-k"))
			return cn_shell_usage(sh);
		unit = argv[1][1];
	}
	s.n = 0;
	cn_alloc_foreach(take_alloc, &s);
	cn_shell_printf(sh, "%-8s %12s %12s %12s %12s %9s %9s %6s\n",
			unit == 'b' ? "bytes" : unit == 'k' ? "KiB" : "",
			"total", "used", "peak", "free", "allocs", "frees",
			"failed");
	for (i = 0; i < s.n; i++) {
		const struct cn_alloc_stats *st = &s.rows[i].st;
		char t[24], u[24], p[24], f[24];

		size_str(t, sizeof(t), st->total, unit);
		size_str(u, sizeof(u), st->used, unit);
		size_str(p, sizeof(p), st->peak, unit);
		size_str(f, sizeof(f), st->free, unit);
		cn_shell_printf(sh, "%-8s %12s %12s %12s %12s %9llu %9llu "
				"%6llu\n", s.rows[i].name, t, u, p, f,
				(unsigned long long)st->nr_allocs,
				(unsigned long long)st->nr_frees,
				(unsigned long long)st->nr_failed);
	}
	return 0;
}
CN_SHELL_CMD(free, cmd_free, "[-b|-k|-h]",
	     "memory of each allocator (KiB; -b bytes, -h readable)");
