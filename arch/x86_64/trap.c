/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU exceptions. Every one is fatal today: the report names the exception
 * in words (or gives cn_crash()'s message for its ud2: abort(), assert()), decodes page-fault error codes (and NULL accesses), names the
 * thread, prints all registers and a backtrace, then what the libraries
 * add (cn_crash_report_end(): last log lines, heap state, the symbolizer
 * command), and stops the image with CN_EXIT_PANIC.
 * A fault inside this code stops at once instead of recursing.
 */
#include <stdint.h>
#include <cairn/arch.h>
#include <cairn/boot.h>
#include <cairn/cpu.h>
#include <cairn/panic.h>
#include <cairn/plat.h>
#include <cairn/symbols.h>
#include <cairn/arch/x86_64.h>
#include "x86_64_priv.h"

static const char *const names[32] = {
	"Divide error (#DE)", "Debug (#DB)", "Non-maskable interrupt (NMI)",
	"Breakpoint (#BP)", "Overflow (#OF)", "Bound range exceeded (#BR)",
	"Invalid opcode (#UD)", "Device not available (#NM)",
	"Double fault (#DF)", "Coprocessor segment overrun",
	"Invalid TSS (#TS)", "Segment not present (#NP)",
	"Stack-segment fault (#SS)", "General protection fault (#GP)",
	"Page fault (#PF)", "Reserved (15)", "x87 floating-point error (#MF)",
	"Alignment check (#AC)", "Machine check (#MC)",
	"SIMD floating-point exception (#XM)", "Virtualization exception (#VE)",
	"Control protection exception (#CP)", "Reserved (22)", "Reserved (23)",
	"Reserved (24)", "Reserved (25)", "Reserved (26)", "Reserved (27)",
	"Hypervisor injection (#HV)", "VMM communication (#VC)",
	"Security exception (#SX)", "Reserved (31)",
};

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

static void print_pf(uint64_t err, uint64_t cr2)
{
	const char *owner = hooks && hooks->guard_owner ?
			    hooks->guard_owner(cr2) : NULL;

	if (!owner && cn_x86_is_stack_guard(cr2))
		owner = "main";
	if (owner)
		cn_crash_printf("  stack overflow: thread %s ran past the "
				"bottom of its stack (access at 0x%llx, in "
				"the guard page)\n", owner,
				(unsigned long long)cr2);
	else if ((err & 0x3) == 0x3)
		cn_crash_printf("  W^X: write to read-only memory (code or "
				"constant data) at 0x%llx\n",
				(unsigned long long)cr2);
	else if ((err & 0x11) == 0x11)
		cn_crash_printf("  W^X: executing memory that is not code "
				"at 0x%llx\n", (unsigned long long)cr2);
	if (cr2 < CN_PAGE_SIZE)
		cn_crash_printf("  NULL pointer access: %s at address 0x%llx\n",
				err & 0x10 ? "instruction fetch" :
				err & 0x2 ? "write" : "read",
				(unsigned long long)cr2);
	cn_crash_printf("  %s of %s page at 0x%016llx%s%s\n",
			err & 0x10 ? "instruction fetch" :
			err & 0x2 ? "write" : "read",
			err & 0x1 ? "a protected" : "an unmapped",
			(unsigned long long)cr2,
			err & 0x4 ? ", user mode" : "",
			err & 0x8 ? ", reserved bit set" : "");
}

static void print_rip(uint64_t rip)
{
	uintptr_t off;
	const char *fn = cn_sym_lookup(rip, &off);

	if (fn)
		cn_crash_printf("  at %s+0x%lx (0x%016llx)\n", fn,
				(unsigned long)off, (unsigned long long)rip);
	else
		cn_crash_printf("  at 0x%016llx\n", (unsigned long long)rip);
}

static void print_regs(const struct cn_arch_trap_frame *f)
{
	uint64_t cr0, cr3, cr4;

	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));
#define R "%016llx"
#define V(x) (unsigned long long)(x)
	cn_crash_printf("  RIP " R "  RSP " R "  RFLAGS " R "\n",
			V(f->rip), V(f->rsp), V(f->rflags));
	cn_crash_printf("  RAX " R "  RBX " R "  RCX " R "\n",
			V(f->rax), V(f->rbx), V(f->rcx));
	cn_crash_printf("  RDX " R "  RSI " R "  RDI " R "\n",
			V(f->rdx), V(f->rsi), V(f->rdi));
	cn_crash_printf("  RBP " R "  R8  " R "  R9  " R "\n",
			V(f->rbp), V(f->r8), V(f->r9));
	cn_crash_printf("  R10 " R "  R11 " R "  R12 " R "\n",
			V(f->r10), V(f->r11), V(f->r12));
	cn_crash_printf("  R13 " R "  R14 " R "  R15 " R "\n",
			V(f->r13), V(f->r14), V(f->r15));
	cn_crash_printf("  CS  %04llx  SS  %04llx  CR0 " R "  CR2 " R "\n",
			V(f->cs), V(f->ss), V(cr0), V(cn_read_cr2()));
	cn_crash_printf("  CR3 " R "  CR4 " R "\n", V(cr3), V(cr4));
#undef R
#undef V
}

/*
 * The stack pointer the backtrace may read at, or 0. After a stack
 * overflow it points into the unmapped guard page (the fault's page), and
 * reading the top of the stack there would fault again; the frame chain
 * above it is intact.
 */
static uint64_t readable_rsp(const struct cn_arch_trap_frame *f,
			     unsigned int vec, uint64_t cr2)
{
	if (vec == 8 || (vec == 14 && !(f->error & 1) &&
			 f->rsp >> 12 == cr2 >> 12))
		return 0;
	return f->rsp;
}

void cn_arch_trap(struct cn_arch_trap_frame *f);
void cn_arch_trap(struct cn_arch_trap_frame *f)
{
	static int in_trap;
	static uint64_t first_vec, first_rip, first_cr2;
	uint64_t cr2 = cn_read_cr2();
	unsigned int vec = (unsigned int)f->vector;

#ifdef CONFIG_SMP
	if (vec == 2 && cn_x86_lock_nmi(&f->rip))
		return;			/* a lock's kick (locksleep.c) */
#endif
	if (in_trap++) {
		cn_crash_raw_hex("\nCRASH: exception while reporting a crash; vector",
			vec);
		cn_crash_raw_hex("at", f->rip);
		cn_crash_raw_hex("\n  first exception: vector", first_vec);
		cn_crash_raw_hex("at", first_rip);
		cn_crash_raw_hex("cr2", first_cr2);
		cn_plat_console_write("\n", 1);
		cn_plat_halt(CN_EXIT_PANIC);
	}
	first_vec = vec;
	first_rip = f->rip;
	first_cr2 = cr2;
	if (vec == 6 && cn_crash_message())	/* cn_crash()'s ud2 */
		cn_crash_printf("\nCRASH: %s\n", cn_crash_message());
	else
		cn_crash_printf("\nCRASH: %s, vector %u, error code 0x%llx\n",
				vec < 32 ? names[vec] : "unknown interrupt",
				vec, (unsigned long long)f->error);
	if (vec == 14)
		print_pf(f->error, cr2);
	if (vec == 8)
		cn_crash_printf("  (a double fault is most often a stack "
				"overflow)\n");
	cn_crash_printf("  thread: %s\n", cn_arch_crash_thread());
	if (cn_cpu_count() > 1)
		cn_crash_printf("  CPU: %u (APIC id %u) of %u\n", cn_cpu_id(),
				(unsigned int)cn_cpu_self()->hw_id,
				cn_cpu_count());
	print_rip(f->rip);
	print_regs(f);
	cn_x86_backtrace_trap(f->rip, f->rbp, readable_rsp(f, vec, cr2));
	cn_crash_report_end();
	cn_plat_halt(CN_EXIT_PANIC);
}
