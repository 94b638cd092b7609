/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every platform provides to the rest of Cairn: the boot information,
 * the console, time and power-off. One platform is linked into an image
 * (plat/<name>/); libraries call these and never a platform's internals.
 */
#ifndef CAIRN_PLAT_H
#define CAIRN_PLAT_H

#include <stddef.h>
#include <stdint.h>
#include <cairn/compiler.h>

#define CN_BOOTINFO_MAX_MEM 32

enum cn_mem_type {
	CN_MEM_RAM = 1,		/* usable RAM (the image may sit inside) */
	CN_MEM_RESERVED = 2,	/* firmware, ACPI, MMIO: do not touch */
};

struct cn_mem_region {
	uint64_t start;
	uint64_t size;
	enum cn_mem_type type;
};

/* Filled by the platform before cn_boot_start(); read-only afterwards. */
struct cn_bootinfo {
	const char *cmdline;		/* never NULL; "" when none */
	struct cn_mem_region mem[CN_BOOTINFO_MAX_MEM];
	unsigned int nr_mem;
	uint64_t initrd_start;		/* physical address, 0 if none */
	uint64_t initrd_size;
	uint64_t acpi_rsdp;		/* ACPI root pointer, 0 if not given */
	const char *plat_name;		/* "qemu-x86_64" */
	const char *machine;		/* what the platform detected, e.g. "pc" */
	/* Linear framebuffer the boot loader set up (Multiboot2/UEFI GOP), 0 if none. */
	uint64_t fb_addr;		/* physical address */
	uint32_t fb_pitch, fb_width, fb_height;	/* bytes per line, pixels */
	uint8_t fb_bpp;			/* bits per pixel (32 or 24 expected) */
	const char *boot_protocol;	/* "pvh", "multiboot2", "multiboot" */
};

/*
 * Writes len bytes to the console; never blocks for long, never fails.
 * The platform's console comes first; it then hands the bytes to the
 * consoles registered with <cairn/console.h> (a screen).
 */
void cn_plat_console_write(const char *buf, size_t len);

/*
 * Reads one byte from the console (the platform's, then the registered
 * ones: a keyboard). Returns the byte (0..255), or -EAGAIN
 * when none is waiting and nonblock is set. Without nonblock it waits.
 */
int cn_plat_console_getc(int nonblock);

/* Nanoseconds since boot, monotonic. The first call may calibrate (~2 ms). */
uint64_t cn_plat_time_ns(void);

/*
 * CPUs the board says may exist, present or not (ACPI's MADT lists QEMU's
 * -smp maxcpus); at least 1. Drivers read it to know whether QEMU's TCG
 * keeps their fences: it translates them away when it can only ever run
 * one vCPU (drivers/virtio's sync reads).
 */
unsigned int cn_plat_cpus_possible(void);

/*
 * CPUs the board has and would let the image start (the MADT's enabled
 * or online-capable ones; the device tree's /cpus); at least 1. An image
 * built without SMP uses one and says so when there are more.
 */
unsigned int cn_plat_cpus_present(void);

/* Converts a count of cn_arch_cycles() into nanoseconds (may calibrate). */
uint64_t cn_plat_cycles_to_ns(uint64_t cycles);

/*
 * Called by the architecture's entry code once the CPU runs C code, with the
 * boot protocol's argument (on x86_64 PVH: the hvm_start_info address).
 * Fills the boot information and calls cn_boot_start(). Never returns.
 */
CN_NORETURN void cn_plat_start(uintptr_t boot_arg);

/*
 * One-shot timer. The handler runs in interrupt context at or after the
 * deadline (cn_plat_time_ns() scale); it may also run early for far
 * deadlines, so it must check the time and re-arm. A new arm replaces the
 * previous one; 0 cancels. The first arm may calibrate (~1 ms).
 */
void cn_plat_timer_set_handler(void (*fn)(void));
void cn_plat_timer_arm(uint64_t deadline_ns);

/* Seconds since 1970-01-01 UTC from the real-time clock; 0 if none. */
uint64_t cn_plat_rtc_seconds(void);

/*
 * Powers the machine off; under QEMU, QEMU exits and the launcher returns
 * status (0..127 are passed through exactly). Never returns.
 */
CN_NORETURN void cn_plat_halt(int status);

/*
 * Resets the machine (the shell's `reboot`); under QEMU with -no-reboot,
 * as the launcher starts it, QEMU exits and the launcher reports that the
 * guest stopped without a status. Never returns.
 */
CN_NORETURN void cn_plat_reset(void);

/*
 * Interrupt lines of the board (x86: global system interrupts of the
 * I/O APICs). cn_plat_irq_route() sends line to vector on this CPU,
 * unmasked, with the trigger and polarity in flags; it returns 0, -EINVAL
 * (bad vector) or -ENODEV (no controller has that line). The vector's
 * handler is registered with cn_arch_irq_register().
 */
#define CN_IRQ_EDGE		0x0
#define CN_IRQ_LEVEL		0x1
#define CN_IRQ_ACTIVE_LOW	0x2
int cn_plat_irq_route(unsigned int line, unsigned int vector,
		      unsigned int flags);
int cn_plat_irq_mask(unsigned int line, int masked);
/* The line an ISA IRQ arrives on, after the firmware's overrides. */
unsigned int cn_plat_isa_irq_line(unsigned int isa_irq, unsigned int *flags);
unsigned int cn_plat_irq_nr_controllers(void);

/*
 * PCI configuration space: 32-bit access to bus/device/function at a
 * 4-byte aligned offset below 256. Reads of a missing function return
 * all ones. Returns -ENODEV on a platform without PCI.
 */
int cn_plat_pci_conf_read(unsigned int bus, unsigned int dev,
			  unsigned int fn, unsigned int off, uint32_t *val);
int cn_plat_pci_conf_write(unsigned int bus, unsigned int dev,
			   unsigned int fn, unsigned int off, uint32_t val);

/*
 * Where BARs go on a board whose firmware leaves them unassigned (QEMU
 * virt booted with -kernel): fills up to max windows and returns how many
 * there are; 0 where the firmware has assigned every BAR (pc), and the
 * PCI bus then keeps the firmware's addresses. cpu is where the window
 * appears to the CPU, bus the PCI address there (I/O: the port number).
 */
#define CN_PCI_WIN_IO		0
#define CN_PCI_WIN_MEM32	1
#define CN_PCI_WIN_MEM64	2
struct cn_plat_pci_window {
	uint64_t cpu;
	uint64_t bus;
	uint64_t size;
	unsigned int type;		/* CN_PCI_WIN_* */
};
unsigned int cn_plat_pci_windows(struct cn_plat_pci_window *out,
				 unsigned int max);

/*
 * The interrupt line (for cn_plat_irq_route) and CN_IRQ_* flags that INTx
 * pin (1-4 = INTA-INTD) of bus/dev/fn arrives on, from the board's
 * description (the device tree's interrupt-map). Returns 0, or -ENOENT
 * where the board does not say (pc: the firmware wrote the line into the
 * device's Interrupt Line register), -EINVAL for a description it cannot
 * read.
 */
int cn_plat_pci_intx(unsigned int bus, unsigned int dev, unsigned int fn,
		     unsigned int pin, unsigned int *line, unsigned int *flags);

/*
 * Memory-mapped virtio devices of the board (microvm's slots): fills up to
 * max entries and returns how many there are. Slots without a device are
 * included; the transport checks each one.
 */
struct cn_plat_mmio_dev {
	uint64_t base;
	uint64_t size;
	unsigned int line;		/* interrupt line */
	unsigned int line_flags;	/* CN_IRQ_* */
};
unsigned int cn_plat_virtio_mmio_slots(struct cn_plat_mmio_dev *out,
				       unsigned int max);

#endif
