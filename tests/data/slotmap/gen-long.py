#!/usr/bin/python3
"""gen-long.py NDAYS NTICKERS OUTPREFIX - a long synthetic membership history
for the tm-slotmap state tests and benchmark: OUTPREFIX.txt (tmt-mkframes
text: one frame per weekday from 2000-01-03, fields close ret new) and
OUTPREFIX.csv (date,ticker,action).  NTICKERS start as members; from day 5
on, every day one member is removed and one new ticker added, so the slot
assignment (and the state file) changes on every frame while the archive
(12 months of removes, about 260) stays within 300 slots."""
import datetime
import sys

ndays, nstart, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
day = datetime.date(2000, 1, 3)
members = ["T%05d" % i for i in range(nstart)]
nxt = nstart
ev = [(day, t, "add") for t in members]
frames = []
for k in range(ndays):
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    if k >= 5:
        gone = members.pop((k * 7919) % len(members))
        new = "T%05d" % nxt
        nxt += 1
        members.append(new)
        ev.append((day, gone, "remove"))
        ev.append((day, new, "add"))
    # Rows: today's members, one stranger, and one member missing (halted).
    rows = [t for i, t in enumerate(members) if i != k % len(members)]
    rows.append("X%05d" % k)
    frames.append((day, rows))
    day += datetime.timedelta(days=1)
with open(prefix + ".txt", "w") as f:
    f.write("fields close ret new\n")
    for d, rows in frames:
        f.write("date %s\ncoord turbulence %d\n" % (d, d.toordinal() % 17))
        for t in rows:
            n = int(t[1:])
            f.write("%s %d.%02d %d.%03d 7\n" % (t, n % 300 + 1, n % 97,
                                              0, (n * 31 + d.day) % 1000))
with open(prefix + ".csv", "w") as f:
    f.write("date,ticker,action\n")
    for d, t, a in ev:
        f.write("%s,%s,%s\n" % (d, t, a))
