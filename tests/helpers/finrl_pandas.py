#!/usr/bin/python3
"""finrl_pandas.py - the baseline of tests/bench/features.sh: FinRL's eight
stockstats indicators (macd, boll_ub, boll_lb, rsi_30, cci_30, dx_30,
close_30_sma, close_60_sma) computed the way a pandas user would, column
at a time over the whole long table (grouped ewm and rolling, no Python
loop over tickers or rows), with the definitions of tm-features(1)'s
finrl set (pandas min_periods=1 windows, adjust=True exponential means).

  finrl_pandas.py csv FILE.csv[.gz]    read the long CSV, compute
  finrl_pandas.py pickle FILE.pkl      read a pickled frame, compute
  finrl_pandas.py topickle CSV OUT     parse the CSV once, pickle it
  finrl_pandas.py check CSV TM.csv FINDINGS
      compute from CSV and compare with tm-features' values (tm-cat -o
      csv), every row of every ticker without a bad-bar finding

Each run prints one line on stderr: the seconds spent reading and
computing, measured inside the process (the whole process, interpreter
and import of pandas included, is what the benchmark times)."""

import json
import sys
import time

import numpy as np
import pandas as pd

COLS = ["macd", "boll_ub", "boll_lb", "rsi_30", "cci_30", "dx_30",
        "close_30_sma", "close_60_sma"]


def read_csv(path):
    df = pd.read_csv(path, dtype={"ticker": str})
    # Per ticker in date order (the shared file is already so sorted; a
    # stable sort keeps that and makes any other order right).
    df = df.sort_values(["ticker", "date"], kind="stable", ignore_index=True)
    return df


def grouped(df, cols, f):
    """f applied to df[cols] grouped by ticker, in df's row order."""
    g = df.groupby("ticker", sort=False)[cols]
    r = f(g)
    return r.droplevel(0).to_numpy()


def finrl(df):
    c = df["close"].to_numpy(dtype=float)
    h = df["high"].to_numpy(dtype=float)
    lo = df["low"].to_numpy(dtype=float)
    first = (df["ticker"] != df["ticker"].shift()).to_numpy()
    pos = df.groupby("ticker", sort=False).cumcount().to_numpy()
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        e = grouped(df, ["close"],
                    lambda g: g.ewm(span=12).mean())[:, 0] - \
            grouped(df, ["close"], lambda g: g.ewm(span=26).mean())[:, 0]
        out["macd"] = e
        m = grouped(df, ["close"],
                    lambda g: g.rolling(20, min_periods=1).mean())[:, 0]
        sd = grouped(df, ["close"],
                     lambda g: g.rolling(20, min_periods=1).std())[:, 0]
        out["boll_ub"] = m + 2 * sd
        out["boll_lb"] = m - 2 * sd

        pc = np.empty_like(c)
        pc[1:] = c[:-1]
        pc[first] = c[first]
        d = c - pc			# 0 on a ticker's first bar
        tp = (h + lo + c) / 3
        tr = np.maximum(h - lo, np.maximum(abs(h - pc), abs(lo - pc)))
        hd = np.empty_like(h)
        hd[1:] = h[1:] - h[:-1]
        ld = np.empty_like(lo)
        ld[1:] = lo[:-1] - lo[1:]
        pdm = np.where((hd > 0) & (hd > ld), hd, 0.0)
        mdm = np.where((ld > 0) & (ld > hd), ld, 0.0)
        pdm[first] = np.nan
        mdm[first] = np.nan
        t = pd.DataFrame({"ticker": df["ticker"], "up": (d + abs(d)) / 2,
                          "dn": (-d + abs(d)) / 2, "tr": tr, "pdm": pdm,
                          "mdm": mdm, "tp": tp, "close": c})
        s = grouped(t, ["up", "dn", "tr", "pdm", "mdm"],
                    lambda g: g.ewm(alpha=1 / 30).mean())
        out["rsi_30"] = 100 - 100 / (1 + s[:, 0] / s[:, 1])
        pdi = s[:, 3] / s[:, 2] * 100
        mdi = s[:, 4] / s[:, 2] * 100
        out["dx_30"] = abs(pdi - mdi) / (pdi + mdi) * 100
        out["dx_30"][first] = np.nan

        r = grouped(t, ["tp", "close"],
                    lambda g: g.rolling(30, min_periods=1).mean())
        avg = r[:, 0]
        out["close_30_sma"] = r[:, 1]
        # mean absolute deviation over up to 30 bars: one array pass a lag
        n = np.minimum(pos + 1, 30)
        mad = np.zeros_like(tp)
        for k in range(30):
            x = np.empty_like(tp)
            x[k:] = tp[:len(tp) - k]
            x[:k] = tp[:k]
            mad += np.where(pos >= k, abs(x - avg), 0.0)
        mad /= n
        out["cci_30"] = np.where(mad != 0, (tp - avg) / (0.015 * mad), np.nan)
        out["close_60_sma"] = grouped(
            t, ["close"], lambda g: g.rolling(60, min_periods=1).mean())[:, 0]
    return pd.DataFrame({"date": df["date"], "ticker": df["ticker"], **out})


def check(csv, tmcsv, findings):
    bad = set()
    with open(findings) as f:
        for line in f:
            if '"finding"' in line:
                bad.add(json.loads(line)["ticker"])
    want = finrl(read_csv(csv))
    got = pd.read_csv(tmcsv, dtype={"ticker": str})
    want = want[~want["ticker"].isin(bad)]
    got = got[~got["ticker"].isin(bad)]
    got = got.sort_values(["ticker", "date"], kind="stable", ignore_index=True)
    want = want.reset_index(drop=True)
    if len(got) != len(want) or not (
            (got["ticker"] == want["ticker"]).all() and
            (got["date"] == want["date"]).all()):
        print("finrl check: rows differ: tm-features %d, pandas %d"
              % (len(got), len(want)), file=sys.stderr)
        return 1
    # tm-features writes F32: 2^-24 relative rounding, and sums in another
    # order; RTOL covers both, ATOL the values that cancel to about 0.
    RTOL, ATOL = 1e-6, 1e-6
    fails = 0
    for col in COLS:
        a = got[col].to_numpy(dtype=float)
        b = want[col].to_numpy(dtype=float)
        nan_a, nan_b = np.isnan(a), np.isnan(b)
        inf_ok = np.isinf(a) & (a == b)
        fin = ~(nan_a | nan_b) & ~inf_ok
        err = np.abs(a[fin] - b[fin])
        tol = RTOL * np.abs(b[fin]) + ATOL
        nbad = int((err > tol).sum()) + int((nan_a != nan_b).sum())
        big = np.abs(b[fin]) > 1e-3
        rel = err[big] / np.abs(b[fin][big])
        print("finrl check: %-13s %8d values, NaN at the same %d, max abs "
              "%.3g, max rel (|pandas| > 1e-3) %.3g, %d outside" % (
                  col, len(a), int((nan_a & nan_b).sum()), err.max(),
                  rel.max(), nbad))
        fails += nbad
    print("finrl check: %d tickers, %d rows compared (%d tickers with a "
          "bad-bar finding left out), tolerance |d| <= %g |pandas| + %g: %s"
          % (got["ticker"].nunique(), len(got), len(bad), RTOL, ATOL,
             "agree" if fails == 0 else "%d values DISAGREE" % fails))
    return 1 if fails else 0


def main(argv):
    t0 = time.perf_counter()
    if argv[1] == "csv":
        df = read_csv(argv[2])
    elif argv[1] == "pickle":
        df = pd.read_pickle(argv[2])
    elif argv[1] == "topickle":
        read_csv(argv[2]).to_pickle(argv[3])
        return 0
    elif argv[1] == "check":
        return check(argv[2], argv[3], argv[4])
    else:
        print(__doc__, file=sys.stderr)
        return 64
    t1 = time.perf_counter()
    r = finrl(df)
    t2 = time.perf_counter()
    print("pandas: %d rows, read %.3f s, compute %.3f s"
          % (len(r), t1 - t0, t2 - t1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
