# SPDX-License-Identifier: BSD-3-Clause
"""gdb commands for Cairn images (gdb's Python API; make debug loads it).

    cairn-threads               every thread: id, name, state, stack use,
                                saved stack pointer (* those on a CPU: with
                                SMP "on CPU N", N also being gdb's thread
                                N+1, the vCPU, in `info threads`)
    cairn-bt [TID|NAME|all]     a thread's stack, from the registers its
                                last context switch saved (default: all)

Load it by hand with `gdb -x support/gdb/cairn.py <app>.elf`.

Threads are read from lib/sched/thread.c: the list `all_threads` of
`struct cn_thread` (linked by all_next) and `current`, through the debug
information of the .elf, so the script follows the struct as it changes.
A thread that is not running was switched out by cn_arch_ctx_switch
(arch/<arch>/switch.S), which left on its stack, from its saved sp up:
on x86_64 the MXCSR and x87 control words (8 bytes), r15, r14, r13, r12,
rbx, rbp, rflags and the return address; on arm64 x19-x28, then x29 (the
frame pointer) and x30 (the return address), d8-d15, DAIF and FPCR. The
walk starts there and follows the
frame pointers (everything is built with -fno-omit-frame-pointer); a new
thread that never ran shows the function it will run. A thread on a CPU
gets gdb's own backtrace, from that vCPU's registers: with SMP, QEMU's
stub shows each vCPU as a gdb thread, and lib/core's `cn_cpus[]` names
the Cairn thread each one runs.
"""
import os

import gdb

GUARD = 4096            # lib/sched: guard page below each stack
STACK_FILL = 0xa5       # lib/sched: fill of unused stack
# switch.S's frame, from the saved sp: (frame pointer, return address).
SAVED_FP_PC = {"x86_64": (6 * 8, 8 * 8), "aarch64": (10 * 8, 11 * 8)}
MAX_FRAMES = 64
STATE_NAMES = ("ready", "running", "blocked", "sleeping", "exited",
               "stopped")


def _sched_symbol(name):
    """A static variable of lib/sched/thread.c, or None."""
    try:
        for sym in gdb.lookup_static_symbols(name):
            if sym.symtab and sym.symtab.filename.endswith("sched/thread.c"):
                return sym
    except AttributeError:      # gdb before 10
        pass
    return gdb.lookup_static_symbol(name)


def _u64(addr):
    data = gdb.selected_inferior().read_memory(addr, 8)
    return int.from_bytes(bytes(data), "little")


CPU_ONLINE = 2          # lib/core's CN_CPU_ONLINE


def _on_cpus():
    """{address of a thread on a CPU: that CPU's number, or None on an
    image without SMP}. With SMP each CPU's area (lib/core's cn_cpus[])
    names the thread it runs; without, lib/sched's `current` does."""
    cur = _sched_symbol("current")
    if cur is not None:
        return {int(cur.value()): None}
    try:
        cpus = gdb.parse_and_eval("cn_cpus")
    except gdb.error:
        return {}
    lo, hi = cpus.type.range()
    out = {}
    for i in range(lo, hi + 1):
        c = cpus[i]
        if int(c["state"]) == CPU_ONLINE and int(c["thread"]):
            out[int(c["thread"])] = i
    return out


def threads():
    """[(gdb.Value pointer to struct cn_thread, CPU or False)]: the CPU
    is None for the running thread of an image without SMP, the CPU's
    number with SMP, False for a thread not on a CPU."""
    head = _sched_symbol("all_threads")
    if head is None:
        raise gdb.GdbError("no Cairn threads in this image (lib/sched is "
                           "not selected, or no debug information)")
    running = _on_cpus()
    out = []
    t = head.value()
    while int(t) and len(out) < 4096:
        out.append((t, running.get(int(t), False)))
        t = t["all_next"]
    return out


def _where(cpu):
    """How the listing says a thread is on a CPU."""
    return "on the CPU" if cpu is None else "on CPU %d" % cpu


def _name(t):
    try:
        return t["name"].string(length=32).split("\0")[0]
    except gdb.error:
        return "?"


def _state(t):
    s = int(t["state"])
    return STATE_NAMES[s] if 0 <= s < len(STATE_NAMES) else str(s)


def _stack_use(t):
    stack, size = int(t["stack"]), int(t["stack_size"])
    if not stack or not size:
        return "boot stack"
    try:
        data = bytes(gdb.selected_inferior().read_memory(stack + GUARD,
                                                         size))
    except gdb.MemoryError:
        return "?/%d KiB" % (size // 1024)
    unused = len(data) - len(data.lstrip(bytes([STACK_FILL])))
    used = size - unused
    return "%d/%d KiB" % ((used + 1023) // 1024, size // 1024)


def _describe(pc, is_return):
    """'func () at file:line' for pc (a return address looks one back)."""
    look = pc - 1 if is_return else pc
    fn = "??"
    try:
        # The innermost function first, then those it is inlined in.
        names, block = [], gdb.block_for_pc(look)
        while block is not None and not block.is_static:
            if block.function is not None and (
                    not names or names[-1] != block.function.print_name):
                names.append(block.function.print_name)
            block = block.superblock
        if names:
            fn = " () inlined in ".join(names)
    except RuntimeError:
        pass
    if fn == "??":
        sym = gdb.execute("info symbol 0x%x" % look, to_string=True)
        if not sym.startswith("No symbol"):
            fn = sym.split()[0]
    sal = gdb.find_pc_line(look)
    where = ""
    if sal.symtab is not None:
        where = " at %s:%d" % (sal.symtab.filename, sal.line)
    return "%s ()%s" % (fn, where)


def _walk(rip, rbp, first_is_return):
    frames = [(rip, first_is_return)]
    while rbp and len(frames) < MAX_FRAMES and not rbp & 7:
        try:
            nxt, ret = _u64(rbp), _u64(rbp + 8)
        except gdb.MemoryError:
            break
        if not ret:
            break
        frames.append((ret, True))
        if nxt <= rbp:
            break
        rbp = nxt
    return frames


def _arch():
    """x86_64 or aarch64, from the architecture gdb debugs."""
    try:
        name = gdb.selected_inferior().architecture().name()
    except (gdb.error, AttributeError):
        name = ""
    return "aarch64" if "aarch64" in name else "x86_64"


def _symbol_addr(name):
    try:
        return int(gdb.parse_and_eval("(unsigned long)&%s" % name))
    except gdb.error:
        return None


def _vcpu_thread(cpu):
    """gdb's thread for vCPU cpu: QEMU's stub lists the vCPUs in order,
    as threads 1.1, 1.2, ..."""
    for th in gdb.selected_inferior().threads():
        if th.ptid[1] == cpu + 1:
            return th
    return None


def backtrace(t, cpu):
    if cpu is not False:
        here = gdb.selected_thread()
        there = _vcpu_thread(cpu) if cpu is not None else None
        if there is not None:
            there.switch()
        try:
            for i, frame in enumerate(_frames_of_gdb()):
                gdb.write("  #%-2d %s\n" % (i, frame))
        finally:
            if there is not None and here is not None:
                here.switch()
        return
    sp = int(t["sp"])
    fp_off, pc_off = SAVED_FP_PC[_arch()]
    rip, rbp = _u64(sp + pc_off), _u64(sp + fp_off)
    if rip == _symbol_addr("cn_arch_thread_start"):
        gdb.write("  (not started yet: it will run %s)\n"
                  % _describe(int(t["fn"]), False).split(" at ")[0])
        return
    for i, (pc, is_return) in enumerate(_walk(rip, rbp, True)):
        gdb.write("  #%-2d 0x%016x in %s\n" % (i, pc,
                                              _describe(pc, is_return)))


def _frames_of_gdb():
    frame, out = gdb.newest_frame(), []
    while frame is not None and frame.pc() and len(out) < MAX_FRAMES:
        sal = frame.find_sal()
        where = ""
        if sal.symtab is not None:
            where = " at %s:%d" % (sal.symtab.filename, sal.line)
        out.append("0x%016x in %s ()%s" % (int(frame.pc()),
                                           frame.name() or "??", where))
        frame = frame.older()
    return out


class CairnThreads(gdb.Command):
    """List Cairn threads: id, name, state, stack used/size, saved sp.
The thread on the CPU is marked with *. Usage: cairn-threads"""

    def __init__(self):
        super().__init__("cairn-threads", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        rows = threads()
        gdb.write("  %-4s %-20s %-9s %-16s %s\n" % (
            "TID", "NAME", "STATE", "STACK USED", "SAVED SP"))
        for t, cpu in sorted(rows, key=lambda r: int(r[0]["id"])):
            gdb.write("%s %-4d %-20s %-9s %-16s %s\n" % (
                " " if cpu is False else "*", int(t["id"]), _name(t),
                _state(t), _stack_use(t),
                "0x%x" % int(t["sp"]) if cpu is False
                else "(%s)" % _where(cpu)))


class CairnBacktrace(gdb.Command):
    """Backtrace of Cairn threads from their saved registers.
Usage: cairn-bt [TID | NAME | all]   (default: all)"""

    def __init__(self):
        super().__init__("cairn-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        rows = sorted(threads(), key=lambda r: int(r[0]["id"]))
        if arg and arg != "all":
            rows = [r for r in rows
                    if str(int(r[0]["id"])) == arg or _name(r[0]) == arg]
            if not rows:
                raise gdb.GdbError("no thread %s (cairn-threads lists "
                                   "them)" % arg)
        for t, cpu in rows:
            gdb.write("thread %d \"%s\" (%s%s):\n" % (
                int(t["id"]), _name(t), _state(t),
                "" if cpu is False else ", " + _where(cpu)))
            if _state(t) == "exited":
                gdb.write("  (exited: waiting to be joined)\n")
                continue
            backtrace(t, cpu)




def _source_paths():
    """Images name their sources relative (the Makefile's prefix maps
    make builds reproducible): lib/core/boot.c from the tree, lwip/...
    from the cache, <app>/... for an app outside the tree. Tell gdb where
    those are; the build folder beside the .elf knows the last two."""
    try:
        root = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
        gdb.execute("directory " + root, to_string=True)
        build = os.path.dirname(gdb.current_progspace().filename or "")
    except (NameError, gdb.error):
        return
    try:
        with open(os.path.join(build, "lwip-src.mk")) as f:
            lwip = f.read().split(":=", 1)[1].strip()
        gdb.execute("set substitute-path lwip " + lwip, to_string=True)
    except (OSError, IndexError, gdb.error):
        pass
    try:
        with open(os.path.join(build, ".app")) as f:
            app = f.read().strip()
        if not app.startswith(root + os.sep):
            gdb.execute("set substitute-path %s %s"
                        % (os.path.basename(app), app), to_string=True)
    except (OSError, gdb.error):
        pass


_source_paths()
CairnThreads()
CairnBacktrace()
gdb.write("Cairn: 'break main' then 'continue'; cairn-threads lists the "
          "threads, cairn-bt [TID|name] shows their stacks.\n")
