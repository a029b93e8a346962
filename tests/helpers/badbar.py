"""badbar.py - the bad-bar rule of libcommon/badbar.c, in Python, for the
scorers and for the test that both flag the same bars (t4500).

No look-ahead: a bar is judged with the bars before it only.  A close
more than JUMP (50%) away from the last accepted close, with no split that
day, is held as suspect: bad on its own day.  The next bar decides what
the suspect was: closer (in log) to the last accepted close than to the
suspect, it was a glitch that reverted ("jump_revert"); else the move was
real ("jump_kept") and the suspect's close becomes the reference.  Either
way the suspect day stays bad: its features were due on that day.

Usage as a program: badbar.py CSV  (date,ticker,open,high,low,close,volume
[,split]; sorted by ticker then date or by date) prints one line per
finding, "KIND TICKER DATE", the C tool's order within a ticker.
"""
import csv
import gzip
import math
import sys

JUMP = 0.5        # |close / ref - 1| above this, no split: suspect
VOLX = 10.0       # volume above VOLX x the median of the last NVOL ...
FLAT = 1e-4       # ... with |close / ref - 1| below FLAT: a volume spike
NVOL = 20
MINVOL = 10       # accepted volumes needed before the spike test runs
TOL = 1e-6        # relative slack of the range tests (rounding)

OK, NONPOS, HILO, RANGE, VOLSPIKE, JUMPK = range(6)
NAMES = ["ok", "nonpositive_price", "high_below_low", "close_outside_range",
         "volume_spike", "jump"]
HELD_NONE, HELD_REVERT, HELD_KEPT = 0, 1, 2


def _fin(x):
    return x is not None and math.isfinite(x)


def impossible(o, h, l, c):
    """The stateless checks: a bar no market can print."""
    for x in (o, h, l, c):
        if _fin(x) and x <= 0:
            return NONPOS
    if _fin(h) and _fin(l) and h < l * (1 - TOL):
        return HILO
    if _fin(l) and c < l * (1 - TOL):
        return RANGE
    if _fin(h) and c > h * (1 + TOL):
        return RANGE
    return OK


class BadBar:
    """One ticker's state, as struct tm_badbar."""

    def __init__(self):
        self.ref = math.nan
        self.susp = math.nan
        self.suspday = None
        self.vol = []

    def push(self, day, o, h, l, c, v, split=1.0):
        """Feed the next bar; returns (kind, held, heldday): kind for this
        bar (OK = good), held the verdict on the suspect bar held from
        before (HELD_NONE when none was decided by this bar)."""
        held, heldday = HELD_NONE, None
        if not _fin(c):
            return OK, held, heldday    # no bar: nothing to judge
        k = impossible(o, h, l, c)
        if k != OK:
            return k, held, heldday
        if _fin(self.susp):
            heldday = self.suspday
            if abs(math.log(c / self.ref)) <= abs(math.log(c / self.susp)):
                held = HELD_REVERT
            else:
                held = HELD_KEPT
                self.ref = self.susp
            self.susp = math.nan
            self.suspday = None
        nosplit = not _fin(split) or split == 1.0
        if _fin(self.ref) and nosplit and abs(c / self.ref - 1) > JUMP:
            self.susp, self.suspday = c, day
            return JUMPK, held, heldday
        if (_fin(v) and _fin(self.ref) and len(self.vol) >= MINVOL
                and abs(c / self.ref - 1) < FLAT):
            s = sorted(self.vol)
            n = len(s)
            med = s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])
            if med > 0 and v > VOLX * med:
                return VOLSPIKE, held, heldday
        self.ref = c
        if _fin(v) and v > 0:
            self.vol.append(v)
            if len(self.vol) > NVOL:
                del self.vol[0]
        return OK, held, heldday


def _num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return math.nan


def scan(rows):
    """rows: dicts with date, ticker, open, high, low, close, volume
    [, split], in date order per ticker.  Yields (kind, ticker, date)."""
    st = {}
    for r in rows:
        t = r["ticker"]
        b = st.setdefault(t, BadBar())
        k, held, hd = b.push(r["date"], _num(r.get("open")),
                             _num(r.get("high")), _num(r.get("low")),
                             _num(r.get("close")), _num(r.get("volume")),
                             _num(r.get("split", "1")))
        if held == HELD_REVERT:
            yield "jump_revert", t, hd
        elif held == HELD_KEPT:
            yield "jump_kept", t, hd
        if k != OK:
            yield NAMES[k], t, r["date"]


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: badbar.py CSV")
    op = gzip.open if argv[1].endswith(".gz") else open
    with op(argv[1], "rt", newline="") as f:
        for k, t, d in scan(csv.DictReader(f)):
            print(k, t, d)


if __name__ == "__main__":
    main(sys.argv)
