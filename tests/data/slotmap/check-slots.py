#!/usr/bin/python3
"""check-slots.py INPUT.tmt MEMBERSHIP.csv SLOTS.tmt A R P - check a
tm-slotmap run against an independent model of the rules in tm-slotmap(1),
reading both streams with tests/helpers/tmt_np.py (no libcommon code):

- every frame has A+R+P rows, regions 0/1/2 in that order, and the columns
  are the input fields, then new, tenure, region;
- the active tickers are exactly the members by the CSV on that date;
- a ticker active on two consecutive frames keeps its slot;
- the archive holds exactly the stocks removed less than 12 months ago
  and not re-added (when none had to be evicted early);
- new and tenure follow whole calendar months from the add or remove date;
- each occupied slot's features equal the input row (as float32), NaN when
  the ticker has no row (input new/tenure/region columns are overwritten); empty and padding slots are NaN but for region.
The per-slot checks run on every frame where membership changed and on
every 10th frame (Python is slow); the set checks on every frame.
Prints one summary line; exits 1 on the first mismatch."""
import csv
import datetime
import functools
import sys

import numpy as np
import tmt_np  # tests/helpers/, on the PYTHONPATH tests/lib.sh sets

inp, mcsv, slots = sys.argv[1:4]
A, R, P = (int(x) for x in sys.argv[4:7])


@functools.lru_cache(maxsize=None)
def months(a, b):
    """Whole months from a to b, counted by stepping: the month starting
    on day a.day completes on that day, or on the 1st after a short month."""
    m = 0
    while True:
        y, mo = divmod(a.month - 1 + m + 1, 12)
        y += a.year
        try:
            nxt = datetime.date(y, mo + 1, a.day)
        except ValueError:
            nxt = datetime.date(y + (mo == 11), (mo + 1) % 12 + 1, 1)
        if nxt > b:
            return m
        m += 1


def fail(msg):
    print("check-slots: " + msg)
    sys.exit(1)


ev = []
with open(mcsv) as f:
    for row in csv.DictReader(f):
        ev.append((datetime.date.fromisoformat(row["date"]),
                   row["action"] == "add", row["ticker"]))
# Removes before adds on a date, as documented.
ev.sort(key=lambda e: (e[0], e[1], e[2]))

members, added, removed = set(), {}, {}
ei = 0
prev_slot = {}
nframes = narch_max = nnew = 0
gi = tmt_np.frames(open(inp, "rb"))
gs = tmt_np.frames(open(slots, "rb"))
nfull = 0
for (hi, ai), (hs, s) in zip(gi, gs):
    d = datetime.date.fromisoformat(hs["coords"]["date"])
    if hi["coords"]["date"] != hs["coords"]["date"]:
        fail("frame %d: dates %s and %s" % (nframes, hi["coords"]["date"], d))
    changed = ei < len(ev) and ev[ei][0] <= d
    while ei < len(ev) and ev[ei][0] <= d:
        ed, isadd, t = ev[ei]
        if isadd:
            members.add(t)
            added[t] = ed
            removed.pop(t, None)
        else:
            members.discard(t)
            removed[t] = ed
        ei += 1
    for t in [t for t, r in removed.items() if months(r, d) >= 12]:
        del removed[t]
    labs = hs["labels"]["slot"]
    fields = hs["labels"]["feature"]
    ifields = hi["labels"]["field"]
    want = list(ifields) + [c for c in ("new", "tenure", "region")
                            if c not in ifields]
    if fields != want or s.shape != (A + R + P, len(want)):
        fail("%s: columns %s shape %s" % (d, fields, s.shape))
    cn, ct, cr = (fields.index(c) for c in ("new", "tenure", "region"))
    reg = np.array([0] * A + [1] * R + [2] * P, dtype=np.float32)
    if not np.array_equal(s[:, cr], reg):
        fail("%s: regions" % d)
    active = {t for t in labs[:A] if t}
    if active != members:
        fail("%s: active %d tickers, members %d; e.g. %s" % (
            d, len(active), len(members),
            sorted(active ^ members)[:3]))
    arch = {t for t in labs[A:A + R] if t}
    if len(removed) <= R and arch != set(removed):
        fail("%s: archive %s, removed %s" % (d, sorted(arch)[:5],
                                              sorted(removed)[:5]))
    if any(labs[A + R:]):
        fail("%s: a padding slot has a ticker" % d)
    narch_max = max(narch_max, len(arch))
    slot = {t: i for i, t in enumerate(labs[:A]) if t}
    for t, i in slot.items():
        if prev_slot.get(t, (None, -2))[1] == nframes - 1 and \
                prev_slot[t][0] != i:
            fail("%s: %s moved from slot %d to %d" % (
                d, t, prev_slot[t][0], i))
        prev_slot[t] = (i, nframes)
    nframes += 1
    if not changed and nframes % 10:
        continue
    nfull += 1
    rowof = {t: i for i, t in enumerate(hi["labels"]["ticker"])}
    # Input columns named new/tenure/region are overwritten, not copied.
    keep = [j for j, c in enumerate(ifields)
            if c not in ("new", "tenure", "region")]
    cols = [fields.index(ifields[j]) for j in keep]
    idx = np.array([rowof.get(t, -1) if t else -2 for t in labs])
    occ, have = idx != -2, idx >= 0
    other = np.delete(s[~occ], cr, axis=1)
    if not np.all(np.isnan(other)):
        fail("%s: an empty or padding slot is not NaN" % d)
    want = np.full((len(labs), len(keep)), np.nan, np.float32)
    want[have] = ai[idx[have]][:, keep].astype(np.float32)
    if not np.array_equal(s[occ][:, cols], want[occ], equal_nan=True):
        fail("%s: features differ from the input" % d)
    wn, wt = [], []
    for i in np.flatnonzero(occ):
        t = labs[i]
        if i < A:
            m = months(added[t], d)
            wn.append(float(m < 3))
            wt.append(float(m))
            nnew += m < 3
        else:
            wn.append(0.0)
            wt.append(float(-1 - months(removed[t], d)))
    if not (np.array_equal(s[occ, cn], wn) and np.array_equal(s[occ, ct], wt)):
        bad = np.flatnonzero((s[occ, cn] != wn) | (s[occ, ct] != wt))[0]
        i = np.flatnonzero(occ)[bad]
        fail("%s: %s new/tenure %g/%g, want %g/%g" % (
            d, labs[i], s[i, cn], s[i, ct], wn[bad], wt[bad]))
if next(gi, None) is not None or next(gs, None) is not None:
    fail("frame counts differ")
print("ok %d frames (%d in full), %d changes, at most %d archived, "
      "%d new slot-days seen" % (nframes, nfull, ei, narch_max, nnew))
