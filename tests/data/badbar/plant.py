"""plant.py - a price CSV (date,ticker,open,high,low,close,volume,split)
of 4 tickers over 90 NYSE trading days from 2015-01-05, smooth random walks with
glitches planted at known days; prints the CSV on stdout and, with
--expect, the findings the plants must give instead ("KIND TICKER DATE",
sorted); with --date N, the date of day N.  The expected list is the plant list, not the rule's output."""
import datetime
import random
import sys

N = 90
rng = random.Random(7)
HOLIDAYS = {"2015-01-19", "2015-02-16", "2015-04-03", "2015-05-25"}
d, days = datetime.date(2015, 1, 5), []
while len(days) < N:
    if d.weekday() < 5 and d.isoformat() not in HOLIDAYS:
        days.append(d.isoformat())
    d += datetime.timedelta(days=1)

# (ticker, day index, what)
PLANTS = [
    ("AAA", 30, "div100"),      # whole bar at 1/100, back the next day
    ("AAA", 60, "close10"),     # close alone at 1/10: outside [low, high]
    ("BBB", 40, "realjump"),    # +80% that stays: a real move
    ("CCC", 25, "hilo"),        # high below low
    ("CCC", 35, "closehigh"),   # close above high
    ("CCC", 45, "zero"),        # open 0
    ("DDD", 55, "volspike"),    # 50x volume, close unchanged
    ("DDD", 70, "split"),       # a 2-for-1 as traded: halves, not a jump
]
EXPECT = {
    "div100": ["jump", "jump_revert"],
    "close10": ["close_outside_range"],
    "realjump": ["jump", "jump_kept"],
    "hilo": ["high_below_low"],
    "closehigh": ["close_outside_range"],
    "zero": ["nonpositive_price"],
    "volspike": ["volume_spike"],
    "split": [],
}


def rows():
    out = []
    for t in ("AAA", "BBB", "CCC", "DDD"):
        c, lvl = 50.0, 1.0
        plant = {i: w for (tt, i, w) in PLANTS if tt == t}
        for i, day in enumerate(days):
            c *= 1 + rng.gauss(0, 0.01)
            w = plant.get(i)
            if w == "realjump":
                lvl = 1.8
            if w == "split":
                lvl /= 2
            cc = c * lvl
            o = cc * (1 + rng.gauss(0, 0.003))
            h, l = max(o, cc) * 1.005, min(o, cc) * 0.995
            v, sp = float(rng.randint(90000, 110000)), 1.0
            if w == "div100":
                o, h, l, cc = o / 100, h / 100, l / 100, cc / 100
            elif w == "close10":
                cc /= 10
            elif w == "hilo":
                h, l = l, h
            elif w == "closehigh":
                cc = h * 1.02
            elif w == "zero":
                o = 0.0
            elif w == "volspike":
                cc, o, h, l, v = out[-1][5], out[-1][5], out[-1][5], \
                    out[-1][5], v * 50
                c = cc / lvl
            elif w == "split":
                sp = 2.0
            out.append([day, t, o, h, l, cc, v, sp])
    out.sort(key=lambda r: (r[0], r[1]))
    return out


def main():
    rs = rows()
    if sys.argv[1:2] == ["--date"]:
        print(days[int(sys.argv[2])])
        return
    if sys.argv[1:] == ["--expect"]:
        exp = []
        for t, i, w in PLANTS:
            exp += ["%s %s %s" % (k, t, days[i]) for k in EXPECT[w]]
        print("\n".join(sorted(exp)))
        return
    print("date,ticker,open,high,low,close,volume,split")
    for r in rs:
        print(",".join([r[0], r[1]] + [repr(float(x)) for x in r[2:]]))


main()
