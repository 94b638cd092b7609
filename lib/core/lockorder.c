/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lock-order checker (<cairn/lockorder.h>). Each CPU keeps the locks
 * it holds, in the order taken, with their call sites. Taking lock L
 * while holding H records the order "H before L" in a table shared by
 * all CPUs, unless the table already knows a way from L to H (L before
 * H, or L before X before ... H): then both orders exist and the first
 * report of that pair is printed with every site. Everything runs with
 * this CPU's interrupts off and the table under its own test-and-set
 * word, which is not a checked lock (the checker must not watch itself).
 *
 * Bounded: 16 locks held at once per CPU and 1024 orders; past either
 * the checker stops learning (and says so once), it never fails a lock.
 */
#include <cairn/cpu.h>
#include <cairn/lockorder.h>
#include <cairn/panic.h>

#define MAX_HELD	16
#define MAX_ORDERS	1024
#define MAX_PATH	8	/* longest cycle looked for */

struct held {
	const void *lock;
	const char *site;
};

struct order {
	const void *first, *second;	/* first held when second taken */
	const char *first_site, *second_site;
	uint8_t reported;
};

static struct {
	struct held held[MAX_HELD];
	unsigned int n;
	unsigned int lost;	/* pushes past MAX_HELD, to pop */
} cpus[CONFIG_NR_CPUS];

static struct order orders[MAX_ORDERS];
static unsigned int norders;
static uint32_t table_lock;
static unsigned int nreports;
static struct cn_lockorder_report last;
static int full_said;

static void table_take(void)
{
	while (__atomic_exchange_n(&table_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&table_lock, __ATOMIC_RELAXED))
			cn_arch_cpu_relax();
}

static void table_give(void)
{
	__atomic_store_n(&table_lock, 0, __ATOMIC_RELEASE);
}

static struct order *find(const void *first, const void *second)
{
	unsigned int i;

	for (i = 0; i < norders; i++)
		if (orders[i].first == first && orders[i].second == second)
			return &orders[i];
	return NULL;
}

/*
 * An order chain from "from" to "to" of at most depth steps: fills
 * path[] with the orders walked and returns its length, or 0.
 */
static unsigned int chain(const void *from, const void *to,
			  struct order **path, unsigned int depth)
{
	unsigned int i, n;

	if (!depth)
		return 0;
	for (i = 0; i < norders; i++) {
		if (orders[i].first != from)
			continue;
		path[0] = &orders[i];
		if (orders[i].second == to)
			return 1;
		n = chain(orders[i].second, to, path + 1, depth - 1);
		if (n)
			return n + 1;
	}
	return 0;
}

static void report(unsigned int cpu, const struct held *h, const void *lock,
		   const char *site, struct order **path, unsigned int n)
{
	unsigned int i;

	nreports++;
	last.held = h->lock;
	last.taken = lock;
	last.held_site = h->site;
	last.taken_site = site;
	last.before_first_site = path[0]->first_site;
	last.before_second_site = path[n - 1]->second_site;
	last.cycle_len = n + 1;
	cn_crash_printf("LOCK ORDER: CPU %u takes lock %p at %s\n"
			"  while holding lock %p, taken at %s;\n",
			cpu, lock, site, h->lock, h->site);
	for (i = 0; i < n; i++)
		cn_crash_printf("  before, %p was held (taken at %s) when %p "
				"was taken at %s%s\n", path[i]->first,
				path[i]->first_site, path[i]->second,
				path[i]->second_site, i + 1 < n ? ";" : "");
	cn_crash_printf("  the %s can deadlock (doc/architecture.md, "
			"\"SMP and locking\")\n",
			n == 1 ? "two orders" : "cycle of orders");
}

static void learn(unsigned int cpu, const struct held *h, const void *lock,
		  const char *site)
{
	struct order *path[MAX_PATH];
	struct order *o;
	unsigned int n;

	if (h->lock == lock || find(h->lock, lock))
		return;
	n = chain(lock, h->lock, path, MAX_PATH);
	if (n) {
		if (!path[0]->reported) {
			path[0]->reported = 1;
			report(cpu, h, lock, site, path, n);
		}
		return;	/* the cycle is known: do not close it in the table */
	}
	if (norders == MAX_ORDERS) {
		if (!full_said)
			cn_crash_printf("LOCK ORDER: %u orders known, the "
					"checker learns no more\n", norders);
		full_said = 1;
		return;
	}
	o = &orders[norders++];
	o->first = h->lock;
	o->second = lock;
	o->first_site = h->site;
	o->second_site = site;
	o->reported = 0;
}

void cn_lockorder_acquire(const void *lock, const char *site, int trylock)
{
	unsigned long flags = cn_arch_irq_save();
	unsigned int cpu = cn_cpu_id();
	unsigned int i;

	if (!trylock && cpus[cpu].n) {
		table_take();
		for (i = 0; i < cpus[cpu].n; i++)
			learn(cpu, &cpus[cpu].held[i], lock, site);
		table_give();
	}
	if (cpus[cpu].n < MAX_HELD) {
		cpus[cpu].held[cpus[cpu].n].lock = lock;
		cpus[cpu].held[cpus[cpu].n].site = site;
		cpus[cpu].n++;
	} else {
		cpus[cpu].lost++;
	}
	cn_arch_irq_restore(flags);
}

void cn_lockorder_release(const void *lock)
{
	unsigned long flags = cn_arch_irq_save();
	unsigned int cpu = cn_cpu_id();
	unsigned int i;

	/* Usually the last one taken; any order is allowed. */
	for (i = cpus[cpu].n; i-- > 0;) {
		if (cpus[cpu].held[i].lock != lock)
			continue;
		for (; i + 1 < cpus[cpu].n; i++)
			cpus[cpu].held[i] = cpus[cpu].held[i + 1];
		cpus[cpu].n--;
		cn_arch_irq_restore(flags);
		return;
	}
	if (cpus[cpu].lost)
		cpus[cpu].lost--;
	cn_arch_irq_restore(flags);
}

void cn_lockorder_forget(const void *lock)
{
	unsigned long flags = cn_arch_irq_save();
	unsigned int i = 0;

	table_take();
	while (i < norders) {
		if (orders[i].first == lock || orders[i].second == lock)
			orders[i] = orders[--norders];
		else
			i++;
	}
	table_give();
	cn_arch_irq_restore(flags);
}

unsigned int cn_lockorder_reports(void)
{
	return __atomic_load_n(&nreports, __ATOMIC_RELAXED);
}

void cn_lockorder_last(struct cn_lockorder_report *r)
{
	unsigned long flags = cn_arch_irq_save();

	table_take();
	*r = last;
	table_give();
	cn_arch_irq_restore(flags);
}
