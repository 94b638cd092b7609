/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generic boot sequence and how an image ends.
 *
 * The platform fills a struct cn_bootinfo and calls cn_boot_start(), which
 * runs the CN_INIT_EARLY functions, applies the command-line parameters,
 * runs the other init levels in order, calls main(argc, argv) and powers
 * off with main's return value as the exit status.
 */
#ifndef CAIRN_BOOT_H
#define CAIRN_BOOT_H

#include <cairn/compiler.h>
#include <cairn/plat.h>

/* Exit statuses Cairn itself uses (an app's own are 0..127 too). */
#define CN_EXIT_USAGE	64	/* bad command line or parameter */
#define CN_EXIT_PANIC	70	/* crash, panic, failed assertion */
/* A signal's default action ended the image (lib/posix-signal): Linux's
 * 128 + N does not fit QEMU's exit channel (0-127). */
#define CN_EXIT_SIGNAL	71

CN_NORETURN void cn_boot_start(const struct cn_bootinfo *bi);

/* The boot information the platform passed; NULL before cn_boot_start(). */
const struct cn_bootinfo *cn_bootinfo(void);

/*
 * Logs the boot information at debug level: command line, memory map,
 * initrd. Platforms call it from an init at the plat level, once
 * log.level= from the command line is in force.
 */
void cn_bootinfo_log(void);

/* Ends the image with status (as exit() does, without atexit handlers). */
CN_NORETURN void cn_exit(int status);

/* Cycles from the first instruction to the call of main(). */
uint64_t cn_boot_cycles_to_main(void);

/* The app's name and the libraries linked in ("alloc core ..."). */
const char *cn_build_app(void);
const char *cn_build_libs(void);

#endif
