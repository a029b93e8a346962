"""sma_np.py: the baseline of tests/bench/backtest.sh, a vectorised numpy
engine for tm-backtest's sma grid (the rules and costs of
man/tm-backtest.1), and the preparation of its input.

  sma_np.py prep SLOTS RETS.npy TICKERS [K]
      the first K tickers (sorted; all when K is absent) that are in
      every frame of the slot stream SLOTS: their daily ret as a T x K
      float64 matrix (nan kept), their names one a line into TICKERS
  sma_np.py grid RETS.npy COST FAST_LO FAST_HI FAST_STEP SLOW_LO SLOW_HI
      SLOW_STEP
      every set with fast < slow on every column: prints the best
      "column fast slow sharpe" and the number of sets run

The engine: the position decided on day t is the sign of SMA_fast -
SMA_slow of the total-return price (the compounded ret) up to t, kept
when equal, 0 for the first slow - 1 days; it is traded at the close of
t+1 against the drifted weight, paying COST times the weight traded, and
earns day t+2's ret; a missing ret is a frozen price.  For each fast
window the slows are one 2-D array over days, so the loop is over fast
windows and columns only."""
import sys
import numpy as np


def prep(slots, out, names, k):
    import tmt_np
    F = []
    with open(slots, "rb") as f:
        for h, a in tmt_np.frames(f):
            L = h["labels"]
            sl = L["slot"]
            F.append(({t: i for i, t in enumerate(sl)},
                      L["feature"].index("ret"), a))
    common = set(F[0][0])
    for m, _, _ in F[1:]:
        common &= set(m)
    tks = sorted(t for t in common if t)[:k]
    R = np.array([[float(a[m[t], j]) for t in tks] for m, j, a in F])
    np.save(out, R)
    with open(names, "w") as o:
        o.write("".join(t + "\n" for t in tks))


def grid(path, cost, fr, sr):
    R = np.nan_to_num(np.load(path), nan=0.0)
    T = R.shape[0]
    t = np.arange(T)
    best = (-np.inf, -1, 0, 0)
    nset = 0
    for c in range(R.shape[1]):
        r = R[:, c]
        P = np.cumprod(np.concatenate(([1.0], 1 + r[1:])))
        C = np.concatenate(([0.0], np.cumsum(P)))
        sma = {}
        for n in set(fr) | set(sr):
            v = np.full(T, np.nan)
            v[n - 1:] = (C[n:] - C[:T + 1 - n]) / n
            sma[n] = v
        r1 = r[2:T - 1]        # the day a decision's weight drifts
        r2 = r[2:]             # the day it earns
        for f in fr:
            slows = np.array([s for s in sr if s > f])
            if len(slows) == 0:
                continue
            S = np.stack([sma[s] for s in slows])
            d = sma[f][None, :] - S
            sig = np.sign(d)
            sig[np.isnan(d)] = 0
            warm = t[None, :] + 1 < slows[:, None]
            idx = np.where(warm | (sig != 0), t[None, :], 0)
            np.maximum.accumulate(idx, axis=1, out=idx)
            pos = np.take_along_axis(np.where(warm, 0.0, sig), idx,
                                     axis=1)[:, :T - 2]
            held = np.zeros_like(pos)
            p0 = pos[:, :-1]
            held[:, 1:] = p0 * (1 + r1) / (1 + p0 * r1)
            ret = (1 - cost * np.abs(pos - held)) * (1 + pos * r2) - 1
            mu = ret.mean(axis=1)
            sd = ret.std(axis=1, ddof=1)
            ok = sd > 0
            sh = np.where(ok, np.sqrt(252) * mu / np.where(ok, sd, 1), 0)
            k = int(np.argmax(sh))
            nset += len(slows)
            if sh[k] > best[0]:
                best = (sh[k], c, f, int(slows[k]))
    print(best[1], best[2], best[3], repr(float(best[0])), nset)


def rng(lo, hi, step):
    return list(range(int(lo), int(hi) + 1, int(step)))


if sys.argv[1] == "prep":
    prep(sys.argv[2], sys.argv[3], sys.argv[4],
         int(sys.argv[5]) if len(sys.argv) > 5 else None)
else:
    a = sys.argv[2:]
    grid(a[0], float(a[1]), rng(*a[2:5]), rng(*a[5:8]))
