# SPDX-License-Identifier: BSD-3-Clause
"""Files, side by side over several boots: the FAT and 9p parts boot each
side --boots times, alternating (Cairn, Linux, Cairn, ...), so that a
change in the host's load falls on both sides alike. Each boot prints the
medians of its --runs rounds; a figure is the median over the boots with
its range (slowest..fastest), and the ratio is the ratio of the two
medians with the range of the boots' own ratios (Cairn's boot i against
Linux's boot i). A wide range means the host moved the figures, not
which side is faster: under TCG every request waits for QEMU's threads,
which wait for a host core."""
from support.bench import harness as h


def boots(n, cairn, linux):
    """cairn() and linux() n times, alternating: (Cairn's figures, Linux's
    figures, why Cairn's first failure, why Linux's, each None if none);
    the figures are lists of n entries, None for a boot that failed, so
    that entry i of both is one pair; cairn and linux return (figures or
    None, why) as harness.cairn_run does."""
    got = {"c": ([], None), "l": ([], None)}
    for i in range(n):
        h.say("boot %d of %d, each side" % (i + 1, n))
        for side, fn in (("c", cairn), ("l", linux)):
            fig, why = fn()
            got[side][0].append(fig)
            if not fig and not got[side][1]:
                got[side] = (got[side][0], why)
    return got["c"][0], got["l"][0], got["c"][1], got["l"][1]


def compare(names, cs, ls, fig_prefix, goal=None):
    """Table rows and summary rows for names [(key, label)] from the
    boots' figures cs (Cairn) and ls (Linux), as boots() gives them;
    goal: a ratio to reach. The ratio's range is over the boots where
    both sides gave figures."""
    rows, summary = [], []
    for k, label in names:
        c = [x[k] for x in cs if x]
        l = [x[k] for x in ls if x]
        if not c or not l:
            rows.append([label, h.spread(l) if l else "failed",
                         h.spread(c) if c else "failed", "-"])
            summary.append(h.failed_row(fig_prefix + label,
                                        "no figures from one side"))
            continue
        r = [a[k] / b[k] for a, b in zip(cs, ls) if a and b and b[k]]
        med = h.median(c) / h.median(l) if h.median(l) else 0
        rtext = "%.2fx" % med + (" (%.2fx..%.2fx in %d pairs)" % (
            min(r), max(r), len(r)) if r else "")
        rows.append([label, h.spread(l), h.spread(c), rtext])
        summary.append(h.row(
            fig_prefix + label + " (%d/%d boots)" % (len(c), len(l)),
            h.spread(c), h.spread(l), rtext,
            ">= %.1fx" % goal if goal else "",
            med >= goal if goal else None))
    return rows, summary
