/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU exceptions other than interrupts. Every one is fatal today, and the
 * report reads like x86_64's: the exception in words from the syndrome
 * register (ESR_EL1: exception class and, for aborts, the fault status
 * and whether it was a write), NULL accesses, stack overflows into a
 * guard page and W^X violations named as such, the thread, every
 * register, a backtrace, then what the libraries add
 * (cn_crash_report_end()), and the image stops with CN_EXIT_PANIC.
 * Faults of thread code are taken on the exception stack (vectors.S), so
 * a stack overflow is reported too. A fault inside this code stops at
 * once instead of recursing.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/cpu.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/symbols.h>
#include <cairn/arch/arm64.h>
#include "arm64_priv.h"

#define EC_UNKNOWN	0x00
#define EC_IABT		0x21
#define EC_DABT		0x25
#define EC_BRK		0x3c
#define ISS_WNR		(1u << 6)

static const struct cn_arch_crash_hooks *hooks;

void cn_arch_set_crash_hooks(const struct cn_arch_crash_hooks *h)
{
	hooks = h;
}

const char *cn_arch_crash_thread(void)
{
	const char *n = hooks && hooks->current_thread ?
			hooks->current_thread() : NULL;

	return n ? n : "main";
}

const char *cn_arch_crash_thread_name(const void *thread)
{
	return hooks && hooks->thread_name && thread ?
	       hooks->thread_name(thread) : NULL;
}

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "Undefined instruction";
	case 0x01: return "WFI/WFE trapped";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "Illegal execution state";
	case 0x15: return "SVC instruction";
	case 0x18: return "System register access trapped";
	case 0x20: return "Instruction abort from a lower level";
	case EC_IABT: return "Instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "Data abort from a lower level";
	case EC_DABT: return "Data abort";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "Floating-point exception";
	case 0x2f: return "SError";
	case 0x30: case 0x31: return "Breakpoint (debug)";
	case 0x32: case 0x33: return "Software step (debug)";
	case 0x34: case 0x35: return "Watchpoint (debug)";
	case EC_BRK: return "Breakpoint instruction (BRK)";
	default: return "Unknown exception";
	}
}

static const char *const kind_names[] = {
	NULL, "IRQ", "FIQ", "SError", NULL, "IRQ", "FIQ", "SError",
	"exception from a lower level",
};

/* Fault status (DFSC/IFSC) in words. */
static const char *fsc_name(unsigned int fsc)
{
	switch (fsc & 0x3c) {
	case 0x04: return "translation fault (unmapped)";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault (protected)";
	}
	if (fsc == 0x21)
		return "alignment fault";
	if (fsc == 0x10)
		return "synchronous external abort";
	return "other fault";
}

static void print_abort(unsigned int ec, uint32_t iss, uint64_t far)
{
	unsigned int fsc = iss & 0x3f;
	int perm = (fsc & 0x3c) == 0x0c, unmapped = (fsc & 0x3c) == 0x04;
	int fetch = ec == EC_IABT, write = !fetch && (iss & ISS_WNR);
	const char *what = fetch ? "instruction fetch" : write ? "write" :
			   "read";
	const char *owner = hooks && hooks->guard_owner ?
			    hooks->guard_owner(far) : NULL;

	if (!owner && cn_arm64_is_stack_guard(far))
		owner = "main";
	if (owner && unmapped)
		cn_crash_printf("  stack overflow: thread %s ran past the "
				"bottom of its stack (access at 0x%llx, in "
				"the guard page)\n", owner,
				(unsigned long long)far);
	else if (perm && write)
		cn_crash_printf("  W^X: write to read-only memory (code or "
				"constant data) at 0x%llx\n",
				(unsigned long long)far);
	else if (perm && fetch)
		cn_crash_printf("  W^X: executing memory that is not code "
				"at 0x%llx\n", (unsigned long long)far);
	if (far < 4096)
		cn_crash_printf("  NULL pointer access: %s at address 0x%llx\n",
				what, (unsigned long long)far);
	if (fetch)
		cn_crash_printf("  instruction abort at 0x%016llx: %s\n",
				(unsigned long long)far, fsc_name(fsc));
	cn_crash_printf("  %s of %s page at 0x%016llx (%s)\n", what,
			perm ? "a protected" : unmapped ? "an unmapped" : "a",
			(unsigned long long)far, fsc_name(fsc));
}

static void print_pc(uint64_t pc)
{
	uintptr_t off;
	const char *fn = cn_sym_lookup(pc, &off);

	if (fn)
		cn_crash_printf("  at %s+0x%lx (0x%016llx)\n", fn,
				(unsigned long)off, (unsigned long long)pc);
	else
		cn_crash_printf("  at 0x%016llx\n", (unsigned long long)pc);
}

static void print_regs(const struct cn_arch_trap_frame *f)
{
	unsigned int i;

#define R "%016llx"
#define V(x) (unsigned long long)(x)
	for (i = 0; i < 28; i += 4)
		cn_crash_printf("  X%-2u " R "  X%-2u " R "  X%-2u " R
				"  X%-2u " R "\n", i, V(f->x[i]), i + 1,
				V(f->x[i + 1]), i + 2, V(f->x[i + 2]), i + 3,
				V(f->x[i + 3]));
	cn_crash_printf("  X28 " R "  FP  " R "  LR  " R "  SP  " R "\n",
			V(f->x[28]), V(f->x[29]), V(f->x[30]), V(f->sp));
	cn_crash_printf("  PC  " R "  PSTATE " R "  ESR " R "  FAR " R "\n",
			V(f->elr), V(f->spsr), V(f->esr), V(f->far));
	cn_crash_printf("  SCTLR " R "  TTBR0 " R "  TPIDR " R "\n",
			V(cn_arm64_read_sysreg(sctlr_el1)),
			V(cn_arm64_read_sysreg(ttbr0_el1)),
			V(cn_arm64_read_sysreg(tpidr_el0)));
#undef R
#undef V
}

/*
 * kind: 0 synchronous exception of thread code, 4 of exception-handling
 * code, 2/3 and 6/7 FIQ and SError, 8 anything from a lower level.
 */
void cn_arch_trap(struct cn_arch_trap_frame *f, unsigned int kind);
void cn_arch_trap(struct cn_arch_trap_frame *f, unsigned int kind)
{
	static int in_trap;
	static uint64_t first_esr, first_pc, first_far;
	unsigned int ec = (unsigned int)(f->esr >> 26) & 0x3f;
	int sync = kind == 0 || kind == 4;

	if (in_trap++) {
		cn_crash_raw_hex("\nCRASH: exception while reporting a crash; ESR",
			f->esr);
		cn_crash_raw_hex("at", f->elr);
		cn_crash_raw_hex("FAR", f->far);
		cn_crash_raw_hex("\n  first exception: ESR", first_esr);
		cn_crash_raw_hex("at", first_pc);
		cn_crash_raw_hex("FAR", first_far);
		cn_plat_console_write("\n", 1);
		cn_plat_halt(CN_EXIT_PANIC);
	}
	first_esr = f->esr;
	first_pc = f->elr;
	first_far = f->far;
	if (sync && ec == EC_BRK && cn_crash_message())	/* cn_crash()'s BRK */
		cn_crash_printf("\nCRASH: %s\n", cn_crash_message());
	else if (sync)
		cn_crash_printf("\nCRASH: %s, ESR 0x%08llx (class 0x%02x)\n",
				ec_name(ec), (unsigned long long)f->esr, ec);
	else
		cn_crash_printf("\nCRASH: unexpected %s, ESR 0x%08llx\n",
				kind < CN_ARRAY_SIZE(kind_names) &&
				kind_names[kind] ? kind_names[kind] : "?",
				(unsigned long long)f->esr);
	if (sync && (ec == EC_DABT || ec == EC_IABT))
		print_abort(ec, (uint32_t)f->esr & 0x1ffffff, f->far);
	if (kind == 4)
		cn_crash_printf("  (in exception-handling code)\n");
	cn_crash_printf("  thread: %s\n", cn_arch_crash_thread());
	if (cn_cpu_count() > 1)
		cn_crash_printf("  CPU: %u (MPIDR affinity %#x) of %u\n",
				cn_cpu_id(), (unsigned int)cn_cpu_self()->hw_id,
				cn_cpu_count());
	print_pc(f->elr);
	print_regs(f);
	cn_arm64_backtrace_trap(f->elr, f->x[30], f->x[29]);
	cn_crash_report_end();
	cn_plat_halt(CN_EXIT_PANIC);
}
