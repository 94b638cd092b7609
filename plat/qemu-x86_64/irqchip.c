/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupt lines of the board: the I/O APICs, found in the ACPI MADT
 * (from the PVH start info's root pointer, else the BIOS area scan), with
 * the firmware's ISA overrides. A line is a global system interrupt (GSI)
 * number; routing one sends it to a vector on this CPU's local APIC. Both
 * machines have an I/O APIC at 0xfec00000; microvm with ACPI adds a second
 * one (GSIs 24-47) for its virtio-mmio slots. Without a MADT the first one
 * is assumed, which is what both machines have.
 *
 * Nothing here runs until a driver routes a line: an image without
 * devices never reads the ACPI tables.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include "qemu_priv.h"

#define MAX_IOAPICS	4
#define MAX_OVERRIDES	16
#define IOAPIC_DEFAULT	0xfec00000u
#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_LOW		(1u << 13)
#define LAPIC_ID	0xfee00020u

struct ioapic {
	uintptr_t base;
	unsigned int gsi_base;
	unsigned int nr_lines;
};

struct override {
	uint8_t isa_irq;
	unsigned int gsi;
	unsigned int flags;		/* CN_IRQ_* */
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics;
static struct override overrides[MAX_OVERRIDES];
static unsigned int nr_overrides;
static int discovered;

static uint32_t ioapic_read(const struct ioapic *io, unsigned int reg)
{
	*(volatile uint32_t *)(io->base + IOREGSEL) = reg;
	return *(volatile uint32_t *)(io->base + IOWIN);
}

static void ioapic_write(const struct ioapic *io, unsigned int reg,
			 uint32_t v)
{
	*(volatile uint32_t *)(io->base + IOREGSEL) = reg;
	*(volatile uint32_t *)(io->base + IOWIN) = v;
}

static int checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const uint8_t *find_rsdp(void)
{
	uint64_t given = cn_bootinfo()->acpi_rsdp;
	uintptr_t a;

	if (given && given < (1ull << 32))
		return (const uint8_t *)(uintptr_t)given;
	for (a = 0xe0000; a < 0x100000; a += 16)
		if (memcmp((const void *)a, "RSD PTR ", 8) == 0 &&
		    checksum_ok((const void *)a, 20))
			return (const uint8_t *)a;
	return NULL;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/*
 * An ACPI table by signature ("APIC": the MADT) through the XSDT (ACPI
 * 2+) or the RSDT, checksums checked; NULL if none.
 */
const uint8_t *cn_qemu_acpi_table(const char *sig)
{
	const uint8_t *rsdp = find_rsdp(), *sdt;
	unsigned int i, n, esz;

	if (!rsdp || memcmp(rsdp, "RSD PTR ", 8))
		return NULL;
	if (rsdp[15] >= 2 && rd64(rsdp + 24) && rd64(rsdp + 24) < (1ull << 32)) {
		sdt = (const uint8_t *)(uintptr_t)rd64(rsdp + 24);
		esz = 8;
	} else {
		sdt = (const uint8_t *)(uintptr_t)rd32(rsdp + 16);
		esz = 4;
	}
	if (!sdt || rd32(sdt + 4) < 36 || !checksum_ok(sdt, rd32(sdt + 4)))
		return NULL;
	n = (rd32(sdt + 4) - 36) / esz;
	for (i = 0; i < n; i++) {
		uint64_t a = esz == 8 ? rd64(sdt + 36 + 8 * i)
				      : rd32(sdt + 36 + 4 * i);
		const uint8_t *t = (const uint8_t *)(uintptr_t)a;

		if (a && a < (1ull << 32) && memcmp(t, sig, 4) == 0 &&
		    checksum_ok(t, rd32(t + 4)))
			return t;
	}
	return NULL;
}

static void add_ioapic(uintptr_t base, unsigned int gsi_base)
{
	struct ioapic *io;

	if (nr_ioapics == MAX_IOAPICS)
		return;
	io = &ioapics[nr_ioapics];
	io->base = base;
	io->gsi_base = gsi_base;
	io->nr_lines = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
	nr_ioapics++;
}

/* MPS INTI flags (polarity bits 0-1, trigger bits 2-3) to CN_IRQ_*. */
static unsigned int inti_flags(unsigned int f, unsigned int dflt)
{
	unsigned int r = dflt;

	if ((f & 3) == 1)
		r &= ~CN_IRQ_ACTIVE_LOW;
	else if ((f & 3) == 3)
		r |= CN_IRQ_ACTIVE_LOW;
	if (((f >> 2) & 3) == 1)
		r &= ~CN_IRQ_LEVEL;
	else if (((f >> 2) & 3) == 3)
		r |= CN_IRQ_LEVEL;
	return r;
}

static void discover(void)
{
	const uint8_t *madt, *p, *end;
	unsigned int i, j;

	if (discovered)
		return;
	discovered = 1;
	madt = cn_qemu_acpi_table("APIC");
	if (madt) {
		end = madt + rd32(madt + 4);
		for (p = madt + 44; p + 2 <= end && p[1] >= 2; p += p[1]) {
			if (p[0] == 1 && p[1] >= 12)
				add_ioapic(rd32(p + 4), rd32(p + 8));
			else if (p[0] == 2 && p[1] >= 10 &&
				 nr_overrides < MAX_OVERRIDES) {
				struct override *o = &overrides[nr_overrides++];
				uint16_t f;

				memcpy(&f, p + 8, 2);
				o->isa_irq = p[3];
				o->gsi = rd32(p + 4);
				o->flags = inti_flags(f, 0);
			}
		}
	}
	if (!nr_ioapics)
		add_ioapic(IOAPIC_DEFAULT, 0);
	/* Every line starts masked, whatever the firmware left. */
	for (i = 0; i < nr_ioapics; i++)
		for (j = 0; j < ioapics[i].nr_lines; j++)
			ioapic_write(&ioapics[i], IOAPIC_REDTBL(j), RTE_MASKED);
	for (i = 0; i < nr_ioapics; i++)
		cn_pr_debug("I/O APIC at %#lx: lines %u-%u%s",
			    (unsigned long)ioapics[i].base, ioapics[i].gsi_base,
			    ioapics[i].gsi_base + ioapics[i].nr_lines - 1,
			    madt ? "" : " (no ACPI MADT: assumed)");
}

/*
 * The MADT's Local APIC (type 0) and x2APIC (type 9) entries, in order:
 * fn(apic_id, usable, arg) for each when fn is given, usable when the
 * entry is enabled or may be brought online. The number of entries,
 * usable or not; -1 without a MADT.
 */
int cn_qemu_madt_cpus(void (*fn)(uint32_t apic_id, int usable, void *arg),
		      void *arg)
{
	const uint8_t *madt = cn_qemu_acpi_table("APIC"), *p, *end;
	int n = 0;

	if (!madt)
		return -1;
	end = madt + rd32(madt + 4);
	for (p = madt + 44; p + 2 <= end && p[1] >= 2; p += p[1]) {
		if (p[0] == 0 && p[1] >= 8) {
			if (fn)
				fn(p[3], (rd32(p + 4) & 3) != 0, arg);
			n++;
		} else if (p[0] == 9 && p[1] >= 16) {
			if (fn)
				fn(rd32(p + 4), (rd32(p + 8) & 3) != 0, arg);
			n++;
		}
	}
	return n;
}

/* The MADT's CPU entries, enabled or not (QEMU's maxcpus). */
unsigned int cn_plat_cpus_possible(void)
{
	int n = cn_qemu_madt_cpus(NULL, NULL);

	return n > 0 ? (unsigned int)n : 1;
}

static void count_usable(uint32_t apic_id, int usable, void *arg)
{
	(void)apic_id;
	*(unsigned int *)arg += usable != 0;
}

/* The MADT's usable CPU entries (QEMU's -smp N, not maxcpus). */
unsigned int cn_plat_cpus_present(void)
{
	unsigned int n = 0;

	cn_qemu_madt_cpus(count_usable, &n);
	return n ? n : 1;
}

static const struct ioapic *ioapic_of(unsigned int line, unsigned int *pin)
{
	unsigned int i;

	discover();
	for (i = 0; i < nr_ioapics; i++) {
		if (line >= ioapics[i].gsi_base &&
		    line < ioapics[i].gsi_base + ioapics[i].nr_lines) {
			*pin = line - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

unsigned int cn_plat_irq_nr_controllers(void)
{
	discover();
	return nr_ioapics;
}

unsigned int cn_plat_isa_irq_line(unsigned int isa_irq, unsigned int *flags)
{
	unsigned int i;

	discover();
	for (i = 0; i < nr_overrides; i++) {
		if (overrides[i].isa_irq == isa_irq) {
			if (flags)
				*flags = overrides[i].flags;
			return overrides[i].gsi;
		}
	}
	if (flags)
		*flags = CN_IRQ_EDGE;
	return isa_irq;
}

int cn_plat_irq_route(unsigned int line, unsigned int vector,
		      unsigned int flags)
{
	const struct ioapic *io;
	unsigned int pin;
	uint32_t lo, apic_id;

	if (vector < 32 || vector > 254)
		return -EINVAL;
	io = ioapic_of(line, &pin);
	if (!io)
		return -ENODEV;
	apic_id = *(volatile uint32_t *)LAPIC_ID >> 24;
	lo = vector;
	if (flags & CN_IRQ_LEVEL)
		lo |= RTE_LEVEL;
	if (flags & CN_IRQ_ACTIVE_LOW)
		lo |= RTE_LOW;
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, apic_id << 24);
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
	return 0;
}

int cn_plat_irq_mask(unsigned int line, int masked)
{
	const struct ioapic *io;
	unsigned int pin;
	uint32_t lo;

	io = ioapic_of(line, &pin);
	if (!io)
		return -ENODEV;
	lo = ioapic_read(io, IOAPIC_REDTBL(pin));
	lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
	return 0;
}
