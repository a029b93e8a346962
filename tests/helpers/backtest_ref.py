#!/usr/bin/python3
"""backtest_ref.py: fixtures and an independent numpy check for tm-backtest.

  make DIR DAYS SEED   write DIR/slots.txt and DIR/weights.txt (tmt-mkframes
                       text): tickers A B C D with seeded returns, and daily
                       weights (some short, some days without a frame: hold)
  check SLOTS WEIGHTS EQUITY METRICS COST BENCH [BAND]
                       simulate the weights in numpy (decide on t, trade at
                       the close of t+1, earn t+2; cost on |w - held|; with
                       BAND, a ticker whose target is within BAND of its
                       held weight keeps it, the others are scaled to fill
                       the rest: the no-trade band), then
                       compute every metric the way empyrical does and
                       compare with tm-backtest's --metrics JSON and its
                       equity stream (relative 1e-9).
"""
import json, os, sys
import numpy as np

import tmt_np

TICK = ["A", "B", "C", "D"]


def dates(n):
    import datetime
    d, out = datetime.date(2021, 1, 4), []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return out


def make(d, days, seed):
    rng = np.random.default_rng(seed)
    ds = dates(days)
    ret = rng.normal(0.0004, 0.012, (days, 4))
    ret[0] = 0
    close = 50 * np.cumprod(1 + ret, axis=0)
    with open(os.path.join(d, "slots.txt"), "w") as f:
        f.write("axes slot field\nfields close ret region\n")
        for t in range(days):
            f.write("date %s\n" % ds[t])
            for i, k in enumerate(TICK):
                f.write("%s %.9g %.9g 0\n" % (k, close[t, i], ret[t, i]))
    with open(os.path.join(d, "weights.txt"), "w") as f:
        f.write("axes ticker field\nfields weight confidence\n")
        for t in range(days):
            if t % 7 == 3:
                continue            # no frame: hold
            w = rng.uniform(-0.2, 0.5, 4)
            w[rng.uniform(size=4) < 0.2] = 0
            f.write("date %s\ncoord cash %.17g\n" % (ds[t], 1 - w.sum()))
            for i, k in enumerate(TICK):
                f.write("%s %.17g 0.5\n" % (k, w[i]))


def frames(p):
    with open(p, "rb") as f:
        return list(tmt_np.frames(f))


def close(a, b, what, rel=1e-9):
    if a is None or b is None:
        assert a is None and b is None, (what, a, b)
        return
    assert abs(a - b) <= rel * max(1.0, abs(b)), (what, a, b)


def check(slots, weights, equity, metrics, cost, bench, band=0.0):
    S = frames(slots)
    flds = S[0][0]["labels"]["field"]
    ret = np.array([a[:, flds.index("ret")] for _, a in S], dtype=float)
    ds = [h["coords"]["date"] for h, _ in S]
    T, N = ret.shape
    W = {}
    for h, a in frames(weights):
        wl = h["labels"]["ticker"]
        w = np.array([a[wl.index(k), 0] for k in TICK], dtype=float)
        # The targets are scaled to fill the book: weights and cash of
        # an F32 stream need not sum to 1 exactly.
        W[h["coords"]["date"]] = w / (w.sum() + h["coords"]["cash"])
    held = np.zeros(N)
    r, turn, calls = [], [], []
    for t in range(T - 2):
        w = W.get(ds[t], held)
        if band > 0:
            kept = np.abs(w - held) < band
            free = 1 - w[kept].sum()
            k = (1 - held[kept].sum()) / free if free > 0 else 0
            w = np.where(kept, held, k * w)
        tu = np.abs(w - held).sum()
        rp = (w * ret[t + 2]).sum()
        r.append((1 - cost * tu) * (1 + rp) - 1)
        turn.append(tu)
        for i in range(N):
            if abs(w[i] - held[i]) > 1e-3:
                calls.append((t + 1, i, w[i] > held[i]))
        held = w * (1 + ret[t + 2]) / (1 + rp)
    r, turn = np.array(r), np.array(turn)
    n = len(r)
    V = np.cumprod(1 + r)
    b = ret[2:, TICK.index(bench)] if bench else None
    m = json.load(open(metrics))
    E = frames(equity)
    ef = E[0][0]["labels"]["field"]
    er = np.array([a[0, ef.index("return")] for _, a in E])
    assert len(E) == n, (len(E), n)
    assert np.allclose(er, r, rtol=0, atol=1e-12), "daily returns"
    assert [h["coords"]["date"] for h, _ in E] == ds[2:], "equity dates"
    assert np.allclose([a[0, ef.index("turnover")] for _, a in E], turn,
                       atol=1e-12), "turnover stream"
    sd = r.std(ddof=1)
    close(m["days"], n, "days")
    close(m["total_return"], V[-1] - 1, "total_return")
    close(m["cagr"], V[-1] ** (252 / n) - 1, "cagr")
    close(m["volatility"], sd * np.sqrt(252), "volatility")
    close(m["sharpe"], np.sqrt(252) * r.mean() / sd, "sharpe")
    down = np.sqrt(np.mean(np.minimum(r, 0) ** 2)) * np.sqrt(252)
    close(m["sortino"], r.mean() * 252 / down, "sortino")
    Vs = np.concatenate([[1.0], V])
    dd = Vs / np.maximum.accumulate(Vs) - 1
    close(m["max_drawdown"], dd.min(), "max_drawdown")
    tr = int(dd.argmin())
    pk = int(np.argmax(Vs[:tr + 1]))
    # Value index k is the close of day k+1 of the slot stream.
    assert m["mdd_trough"] == ds[tr + 1], (m["mdd_trough"], ds[tr + 1])
    assert m["mdd_peak"] == ds[pk + 1], (m["mdd_peak"], ds[pk + 1])
    rec = [k for k in range(tr + 1, n + 1) if Vs[k] >= Vs[pk]]
    assert m["mdd_recovery"] == (ds[rec[0] + 1] if rec else None), "recovery"
    close(m["calmar"], (V[-1] ** (252 / n) - 1) / abs(dd.min()), "calmar")
    close(m["win_rate"], np.mean(r > 0), "win_rate")
    close(m["turnover"], turn.mean(), "turnover")
    if bench:
        bi = TICK.index(bench)
        res = b - b.mean()
        beta = np.mean(res * r) / np.mean(res ** 2)
        close(m["beta"], beta, "beta")
        close(m["alpha"], (1 + np.mean(r - beta * b)) ** 252 - 1, "alpha")
        act = r - b
        close(m["information_ratio"], act.mean() / act.std(ddof=1), "ir")
        close(m["bench_return"], np.prod(1 + b) - 1, "bench_return")
    for h in (30, 90):
        for buy, name in ((True, "buy"), (False, "sell")):
            nc = won = 0
            for (d, i, isbuy) in calls:
                if isbuy != buy or d + h >= T:
                    continue
                a = np.prod(1 + ret[d + 1:d + h + 1, i])
                bb = np.prod(1 + ret[d + 1:d + h + 1, bi]) if bench else 1
                nc += 1
                won += (a > bb) if buy else (a < bb)
            got = m["%s_%d" % (name, h)]
            assert got["calls"] == nc, (name, h, got, nc)
            close(got["success"], won / nc if nc else None, name)
    print("ok %d days, %d calls" % (n, len(calls)))


if sys.argv[1] == "make":
    make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
elif sys.argv[1] == "check":
    check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5],
          float(sys.argv[6]), sys.argv[7] if len(sys.argv) > 7 and
          sys.argv[7] != "-" else None,
          float(sys.argv[8]) if len(sys.argv) > 8 else 0.0)
