#!/usr/bin/python3
"""realdata_eval.py FOLD FROM TO SLOTS QQQCSV [COST] NAME=WEIGHTS ...

Out-of-sample scoring of tm-infer output on the real data, independent of
the C code (tests/bench/realdata.sh).  SLOTS is the slot stream fed to tm-infer,
starting a few days before FROM; each WEIGHTS is tm-infer's output for it.
Days scored: those in [FROM, TO] whose return a decision could earn.
Timing as CONVENTIONS.md: weights decided from day t's frame are traded at
the close of t+1 and earn day t+2's ret; the cost (default 0.001) is paid
on |w - w_held| per ticker, w_held being the previous weights after the
day's drift, starting from all cash.  Positions are followed by ticker,
not slot, so a reconstitution that moves a stock to the archive (or hands
its slot to another) neither loses nor invents a return; a missing ret
counts as 0.  Equal weight: 1/n over the slots tradable on day t (region 0,
a ticker, finite ret and close), same timing and costs.  QQQ: buy and hold
of the benchmark's close over the same days, no costs.
Prints one table: annualised Sharpe (sqrt(252) mean/sd, ddof 1, rf 0),
CAGR ((V_T/V_0)^(252/n) - 1), max drawdown, total return, mean daily
turnover.  Bad bars: the scorer applies the bad-bar rule of tests/helpers/badbar.py
to the closes it reads (see clean()), so no glitch is ever booked."""
import csv
import sys

import numpy as np

# The one Python TMT reader of the suite, tests/helpers/tmt_np.py (strict:
# CRCs, sequence, end frame), and the bad-bar rule: beside this file when
# it runs as a script, on the PYTHONPATH tests/lib.sh sets when a test
# imports it.
import tmt_np
import badbar


def frames(path):
    with open(path, "rb") as f:
        yield from tmt_np.frames(f)


def clean(R, C, dates):
    """The bad-bar rule (tests/helpers/badbar.py, the one tm-features applies)
    over each ticker's closes C (days x tickers, NaN: no bar): a flagged
    day earns 0 and its return is carried into the next good day's, which
    so runs from the last good close, as tm-features' ret does.  A slot
    stream made by tm-features already has NaN there (nothing is
    flagged); one made without the rule books no glitch either.  Returns
    the (ticker column, day) pairs flagged; R is changed in place."""
    bad = []
    nan = float("nan")
    for k in range(R.shape[1]):
        b, carry, pend = badbar.BadBar(), 1.0, False
        for d in range(R.shape[0]):
            c = C[d, k]
            if not np.isfinite(c):
                continue
            kind, _, _ = b.push(dates[d], nan, nan, nan, float(c), nan)
            if kind != badbar.OK:
                carry *= 1 + R[d, k]
                R[d, k] = 0.0
                pend = True
                bad.append((k, d))
            elif pend:
                R[d, k] = carry * (1 + R[d, k]) - 1
                carry, pend = 1.0, False
    return bad


def stats(r, turn):
    r = np.asarray(r, dtype=float)
    v = np.concatenate(([1.0], np.cumprod(1 + r)))
    sh = np.sqrt(252) * r.mean() / r.std(ddof=1)
    cagr = v[-1] ** (252 / len(r)) - 1
    mdd = (1 - v / np.maximum.accumulate(v)).max()
    return sh, cagr, mdd, v[-1] - 1, turn


def run(W, R, first, last, cost):
    """W, R: days x tickers (weights decided, returns earned that day)."""
    held = np.zeros(W.shape[1])
    out, turns = [], []
    for t in range(first, last + 1):
        w = W[t]
        turn = np.abs(w - held).sum()
        rr = R[t + 2]
        rp = (w * rr).sum()
        out.append((1 - cost * turn) * (1 + rp) - 1)
        turns.append(turn)
        held = w * (1 + rr) / (1 + rp)
    return stats(out, np.mean(turns))


def main(argv):
    fold, lo, hi, slots_path, qqq_path = argv[1:6]
    rest = argv[6:]
    cost = 0.001
    if rest and "=" not in rest[0]:
        cost = float(rest.pop(0))
    slots = list(frames(slots_path))
    dates = [h["coords"]["date"] for h, _ in slots]
    h0 = slots[0][0]
    fields = h0["labels"][h0["axes"][1]]
    fi = {k: fields.index(k) for k in ("ret", "close", "region")}
    tickers = sorted({t for h, _ in slots for t in h["labels"][h["axes"][0]]
                      if t})
    col = {t: i for i, t in enumerate(tickers)}
    T, K = len(slots), len(tickers)
    R = np.zeros((T, K))
    C = np.full((T, K), np.nan)
    EW = np.zeros((T, K))
    for d, (h, a) in enumerate(slots):
        lab = h["labels"][h["axes"][0]]
        ret, close, reg = (a[:, fi[k]].astype(float)
                           for k in ("ret", "close", "region"))
        ok = np.array([bool(x) for x in lab]) & np.isfinite(ret) \
            & np.isfinite(close)
        act = ok & (reg == 0)
        for i in np.nonzero(ok)[0]:
            R[d, col[lab[i]]] = ret[i]
            C[d, col[lab[i]]] = close[i]
        n = act.sum()
        for i in np.nonzero(act)[0]:
            EW[d, col[lab[i]]] = 1.0 / n
    bad = clean(R, C, dates)
    if bad:
        print("realdata_eval: %d bad bars held out (tests/helpers/badbar.py)"
              % len(bad), file=sys.stderr)
        for k, d in bad:
            EW[d, k] = 0.0     # untradable that day: the weight goes to cash
    # decisions t whose earning day t+2 lies in [lo, hi]
    days = [d for d in range(2, T) if lo <= dates[d] <= hi]
    if len(days) < 20:
        sys.exit("realdata_eval: %s: only %d days to score in %s..%s"
                 % (fold, len(days), lo, hi))
    first, last = days[0] - 2, days[-1] - 2
    rows = []
    for spec in rest:
        name, path = spec.split("=", 1)
        out = list(frames(path))
        if [h["coords"]["date"] for h, _ in out] != dates:
            sys.exit("realdata_eval: %s: dates differ from the slots" % path)
        W = np.zeros((T, K))
        for d, (h, a) in enumerate(out):
            lab = h["labels"][h["axes"][0]]
            w = a[:, h["labels"][h["axes"][1]].index("weight")].astype(float)
            for i in np.nonzero(w)[0]:
                W[d, col[lab[i]]] += w[i]
        rows.append((name, run(W, R, first, last, cost)))
    rows.append(("equal weight", run(EW, R, first, last, cost)))
    q = {}
    with open(qqq_path, newline="") as f:
        for rec in csv.DictReader(f):
            if rec["ticker"] == "QQQ":
                q[rec["date"]] = float(rec["close"])
    qd = sorted(q)
    qi = {d: i for i, d in enumerate(qd)}
    miss = [dates[d] for d in days if dates[d] not in qi]
    if miss:
        sys.exit("realdata_eval: QQQ has no close on %s" % miss[0])
    qr = [q[dates[d]] / q[qd[qi[dates[d]] - 1]] - 1 for d in days]
    rows.append(("QQQ buy-and-hold", stats(qr, 0.0)))
    print("fold %s: scored %s..%s, %d days, cost %g"
          % (fold, dates[days[0]], dates[days[-1]], len(days), cost))
    print("%-18s %7s %8s %8s %9s %9s" % ("strategy", "Sharpe", "CAGR",
                                         "MaxDD", "total", "turnover"))
    for name, (sh, cagr, mdd, tot, turn) in rows:
        print("%-18s %7.2f %7.2f%% %7.2f%% %8.2f%% %9.4f"
              % (name, sh, 100 * cagr, 100 * mdd, 100 * tot, turn))


if __name__ == "__main__":
    main(sys.argv)
