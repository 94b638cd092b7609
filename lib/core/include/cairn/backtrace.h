/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backtraces by frame records, the part every architecture shares. Every
 * Cairn object is built with -fno-omit-frame-pointer, so the frame
 * pointer (x86_64 %rbp, arm64 x29) points at a pair {caller's frame
 * pointer, return address}. The architecture finds the first frames of a
 * trap (leaf functions, faults inside a prologue) and calls these for the
 * rest. A corrupt chain must not fault again: a record is only followed
 * while it lies in RAM the boot information reports, is aligned, and
 * moves up the stack. All print through cn_crash_printf().
 */
#ifndef CAIRN_BACKTRACE_H
#define CAIRN_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

/* True when [addr, addr + len) is RAM (always, before the platform). */
bool cn_backtrace_in_ram(uint64_t addr, uint64_t len);

/*
 * Prints frame n: addr with function+offset. Frames after the first are
 * return addresses, looked up one byte back so that a call ending its
 * function still names the caller.
 */
void cn_backtrace_frame(unsigned int n, uint64_t addr);

/* Prints the frames of the record chain at fp, numbering from n. */
void cn_backtrace_walk(unsigned int n, uint64_t fp);

/*
 * "Backtrace:" and the chain at fp (the caller's frame address), skipping
 * skip records first; nothing when fp is not a usable record.
 */
void cn_backtrace_from(uint64_t fp, unsigned int skip);

/* After a trap's frames: the addr2line hint when pc has no name. */
void cn_backtrace_names_hint(uint64_t pc);

#endif
