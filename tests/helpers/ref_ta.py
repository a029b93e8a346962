#!/usr/bin/python3
"""ref_ta.py - independent numpy references for tm-features(1).

Written from the published definitions (TA-Lib's C sources' formulas,
stockstats' pandas expressions, FinRL's turbulence), array at a time, not
as the C tool's streaming steps, and never by calling the tool.  Run with
Debian's /usr/bin/python3 (numpy).

    ref_ta.py import CSV >prices.tmt     date,ticker,open,high,low,close,volume
    ref_ta.py fixture >prices.tmt        IPO, halt, NaN bar, two kinds of split
    ref_ta.py check-ta PRICES FEATURES [TICKER...]   --set ta, 1e-6 relative
    ref_ta.py check-finrl PRICES FEATURES            --set finrl
    ref_ta.py check-default PRICES FEATURES          scale-free set, splits
    ref_ta.py check-turb PRICES FEATURES [K]         turbulence, K buckets
    ref_ta.py check-fund PRICES FUND FEATURES        point-in-time fundamentals
    ref_ta.py same-prefix FULL PART                  PART = first frames of FULL
    ref_ta.py bench PRICES                           numpy baseline timing

Exit 0 when every value agrees, 1 with the first few differences printed.
"""
import sys
import time

import numpy as np

import tmt_np

REL = 1e-6
nan = np.nan


# ------------------------------------------------------------------ loading

def load_prices(path):
    """Per ticker: day indices and the bars that have a close (no gaps
    invented), plus the date list."""
    rows = {}
    dates = []
    with open(path, "rb") as f:
        for h, a in tmt_np.frames(f):
            d = len(dates)
            dates.append(h["coords"]["date"])
            fl = h["labels"]["field"]
            ix = {n: fl.index(n) for n in fl}
            for r, t in enumerate(h["labels"]["ticker"]):
                row = a[r]

                def g(n, dflt=nan):
                    return row[ix[n]] if n in ix else dflt
                c = g("close")
                if not (np.isfinite(c) and c > 0):
                    continue
                hi, lo, v = g("high"), g("low"), g("volume")
                adj = g("adjclose", c)
                sp = g("split", 1.0)
                rows.setdefault(t, []).append(
                    (d, hi if np.isfinite(hi) else c, lo if np.isfinite(lo) else c,
                     c, v if np.isfinite(v) else 0.0, adj,
                     sp if np.isfinite(sp) and sp > 0 else 1.0))
    out = {}
    for t, rs in rows.items():
        a = np.array(rs, dtype=float)
        out[t] = dict(day=a[:, 0].astype(int), h=a[:, 1], l=a[:, 2], c=a[:, 3],
                      v=a[:, 4], a=a[:, 5], split=a[:, 6])
    return dates, out


def load_features(path):
    names, per, turb, dates = None, {}, [], []
    with open(path, "rb") as f:
        for h, a in tmt_np.frames(f):
            d = len(dates)
            dates.append(h["coords"]["date"])
            turb.append(h["coords"]["turbulence"])
            names = h["labels"]["feature"]
            for r, t in enumerate(h["labels"]["ticker"]):
                per.setdefault(t, {})[d] = a[r].astype(float)
    return names, per, np.array(turb), dates


def back_adjust(s):
    """Prices divided (volume multiplied) by every later split whose prices
    really were as traded: the split-adjusted series as of the last day."""
    h, l, c, v = s["h"].copy(), s["l"].copy(), s["c"].copy(), s["v"].copy()
    for i in range(1, len(c)):
        k = s["split"][i]
        if k == 1:
            continue
        m = (c[i] / s["a"][i]) / (c[i - 1] / s["a"][i - 1])
        if abs(np.log(m) + np.log(k)) < abs(np.log(m)):
            h[:i] /= k
            l[:i] /= k
            c[:i] /= k
            v[:i] *= k
    return h, l, c, v


# ------------------------------------------------------ TA-Lib definitions

def win(x, n):
    return np.lib.stride_tricks.sliding_window_view(x, n)


def pad(x, n, total):
    out = np.full(total, nan)
    out[n:n + len(x)] = x
    return out


def sma(x, n):
    if len(x) < n:
        return np.full(len(x), nan)
    return pad(win(x, n).mean(axis=1), n - 1, len(x))


def ema_seeded(x, n, start):
    """EMA with k = 2/(n+1) seeded at index start by the mean of the n
    values ending there (TA-Lib's default compatibility)."""
    out = np.full(len(x), nan)
    if len(x) <= start:
        return out
    k = 2.0 / (n + 1)
    out[start] = np.mean(x[start - n + 1:start + 1])
    for i in range(start + 1, len(x)):
        out[i] = (x[i] - out[i - 1]) * k + out[i - 1]
    return out


def wilder_rsi(c, n):
    out = np.full(len(c), nan)
    if len(c) <= n:
        return out
    d = np.diff(c)
    g, lo = np.where(d > 0, d, 0.0), np.where(d < 0, -d, 0.0)
    ag, al = g[:n].mean(), lo[:n].mean()
    for i in range(n, len(c)):
        if i > n:
            ag = (ag * (n - 1) + g[i - 1]) / n
            al = (al * (n - 1) + lo[i - 1]) / n
        s = ag + al
        out[i] = 0.0 if abs(s) < 1e-8 else 100.0 * ag / s
    return out


def macd(c):
    slow, fast = ema_seeded(c, 26, 25), ema_seeded(c, 12, 25)
    line = fast - slow
    sig = np.full(len(c), nan)
    if len(c) > 33:
        sig[25:] = ema_seeded(line[25:], 9, 8)
    return line, sig, line - sig


def bbands(c):
    m = sma(c, 20)
    sd = np.full(len(c), nan)
    if len(c) >= 20:
        sd[19:] = win(c, 20).std(axis=1)
    sd = np.where(sd < 1e-4, 0.0, sd)	# TA-Lib: variance below 1e-8 is 0
    return m + 2 * sd, m, m - 2 * sd


def cci(tp, n):
    out = np.full(len(tp), nan)
    if len(tp) < n:
        return out
    w = win(tp, n)
    m = w.mean(axis=1)
    mad = np.abs(w - m[:, None]).mean(axis=1)
    d = tp[n - 1:] - m
    ok = (d != 0) & (mad != 0)
    out[n - 1:] = np.where(ok, d / np.where(ok, 0.015 * mad, 1), 0.0)
    return out


def true_range(h, lo, c):
    tr = np.full(len(c), nan)
    tr[1:] = np.max([h[1:] - lo[1:], np.abs(h[1:] - c[:-1]),
                     np.abs(lo[1:] - c[:-1])], axis=0)
    return tr


def atr(h, lo, c, n):
    tr = true_range(h, lo, c)
    out = np.full(len(c), nan)
    if len(c) <= n:
        return out
    out[n] = tr[1:n + 1].mean()
    for i in range(n + 1, len(c)):
        out[i] = (out[i - 1] * (n - 1) + tr[i]) / n
    return out


def dm(h, lo):
    up = np.zeros(len(h))
    dn = np.zeros(len(h))
    dp, dm_ = np.diff(h), -np.diff(lo)
    dn[1:] = np.where((dm_ > 0) & (dp < dm_), dm_, 0.0)
    up[1:] = np.where(~((dm_ > 0) & (dp < dm_)) & (dp > 0) & (dp > dm_), dp, 0.0)
    return up, dn


def dx_adx(h, lo, c, n):
    """TA-Lib DX(n) and ADX(n): Wilder sums of +DM, -DM and TR."""
    up, dn = dm(h, lo)
    tr = true_range(h, lo, c)
    dx = np.full(len(c), nan)
    ok = np.zeros(len(c), bool)
    if len(c) <= n:
        return dx, np.full(len(c), nan)
    sp, sm, st = up[1:n].sum(), dn[1:n].sum(), tr[1:n].sum()
    for i in range(n, len(c)):
        sp = sp - sp / n + up[i]
        sm = sm - sm / n + dn[i]
        st = st - st / n + tr[i]
        if abs(st) >= 1e-8:
            p, m = 100 * sp / st, 100 * sm / st
            if abs(p + m) >= 1e-8:
                dx[i], ok[i] = 100 * abs(m - p) / (p + m), True
                continue
        dx[i] = 0.0 if i == n else dx[i - 1]
    adx = np.full(len(c), nan)
    if len(c) > 2 * n - 1:
        a = np.where(ok[n:2 * n], dx[n:2 * n], 0.0).sum() / n
        adx[2 * n - 1] = a
        for i in range(2 * n, len(c)):
            if ok[i]:
                a = (a * (n - 1) + dx[i]) / n
            adx[i] = a
    return dx, adx


def stoch_willr(h, lo, c):
    n = 14
    fk = np.full(len(c), nan)
    wr = np.full(len(c), nan)
    if len(c) >= n:
        hh, ll = win(h, n).max(axis=1), win(lo, n).min(axis=1)
        rng = hh - ll
        fk[n - 1:] = np.where(rng != 0, 100 * (c[n - 1:] - ll) / np.where(rng != 0, rng, 1), 0)
        wr[n - 1:] = np.where(rng != 0, -100 * (hh - c[n - 1:]) / np.where(rng != 0, rng, 1), 0)
    sk = np.full(len(c), nan)
    sk[n - 1:] = sma(fk[n - 1:], 3) if len(c) >= n else []
    sd = np.full(len(c), nan)
    sd[n + 1:] = sma(sk[n + 1:], 3) if len(c) > n + 1 else []
    return sk, sd, wr


def mfi(h, lo, c, v, n=14):
    tp = (h + lo + c) / 3
    out = np.full(len(c), nan)
    if len(c) <= n:
        return out
    d = np.diff(tp)
    mf = tp[1:] * v[1:]
    pos = win(np.where(d > 0, mf, 0.0), n).sum(axis=1)
    neg = win(np.where(d < 0, mf, 0.0), n).sum(axis=1)
    s = pos + neg
    out[n:] = np.where(s < 1, 0.0, 100 * pos / np.where(s < 1, 1, s))
    return out


def obv(c, v):
    sgn = np.zeros(len(c))
    sgn[1:] = np.sign(np.diff(c))
    return v[0] + np.cumsum(sgn * v)


def talib_all(h, lo, c, v):
    tp = (h + lo + c) / 3
    r = {}
    r["rsi_14"], r["rsi_30"] = wilder_rsi(c, 14), wilder_rsi(c, 30)
    r["macd"], r["macd_signal"], r["macd_hist"] = macd(c)
    r["bb_upper"], r["bb_middle"], r["bb_lower"] = bbands(c)
    r["cci_14"], r["cci_30"] = cci(tp, 14), cci(tp, 30)
    r["dx_14"], r["adx_14"] = dx_adx(h, lo, c, 14)
    r["dx_30"], _ = dx_adx(h, lo, c, 30)
    r["atr_14"] = atr(h, lo, c, 14)
    r["natr_14"] = r["atr_14"] / c * 100
    r["sma_30"], r["sma_60"] = sma(c, 30), sma(c, 60)
    r["ema_20"] = ema_seeded(c, 20, 19)
    r["obv"] = obv(c, v)
    r["stoch_k"], r["stoch_d"], r["willr_14"] = stoch_willr(h, lo, c)
    r["mfi_14"] = mfi(h, lo, c, v)
    p10 = np.full(len(c), nan)
    p10[10:] = c[:-10] if len(c) > 10 else []
    r["roc_10"] = (c / p10 - 1) * 100
    r["mom_10"] = c - p10
    return r


# ------------------------------------------------- stockstats definitions

def ewm_adjust(x, alpha):
    """pandas ewm(alpha, adjust=True, ignore_na=False).mean(), NaNs skipped."""
    out = np.full(len(x), nan)
    w = 1 - alpha
    num = den = 0.0
    started = False
    for i, xi in enumerate(x):
        if started:
            num *= w
            den *= w
        if np.isfinite(xi):
            num += xi
            den += 1
            started = True
        if started:
            out[i] = num / den
    return out


def rolling(x, n, f):
    return np.array([f(x[max(0, i - n + 1):i + 1]) for i in range(len(x))])


def finrl_all(h, lo, c):
    r = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        r["macd"] = ewm_adjust(c, 2 / 13) - ewm_adjust(c, 2 / 27)
        m = rolling(c, 20, np.mean)
        sd = rolling(c, 20, lambda w: np.std(w, ddof=1) if len(w) > 1 else nan)
        r["boll_ub"], r["boll_lb"] = m + 2 * sd, m - 2 * sd
        d = np.concatenate([[0.0], np.diff(c)])
        p = ewm_adjust((d + abs(d)) / 2, 1 / 30)
        n = ewm_adjust((-d + abs(d)) / 2, 1 / 30)
        r["rsi_30"] = 100 - 100 / (1 + p / n)
        tp = (h + lo + c) / 3
        tm = rolling(tp, 30, np.mean)
        mad = rolling(tp, 30, lambda w: np.mean(np.abs(w - w.mean())))
        r["cci_30"] = np.where(mad != 0, (tp - tm) / (0.015 * mad), nan)
        pc = np.concatenate([[c[0]], c[:-1]])
        tr = np.max([h - lo, abs(h - pc), abs(lo - pc)], axis=0)
        hd = np.concatenate([[nan], np.diff(h)])
        ld = np.concatenate([[nan], -np.diff(lo)])
        pdm = np.where((hd > 0) & (hd > ld), hd, 0.0)
        mdm = np.where((ld > 0) & (ld > hd), ld, 0.0)
        pdm[0] = mdm[0] = nan
        a = ewm_adjust(tr, 1 / 30)
        pdi = ewm_adjust(pdm, 1 / 30) / a * 100
        mdi = ewm_adjust(mdm, 1 / 30) / a * 100
        r["dx_30"] = abs(pdi - mdi) / (pdi + mdi) * 100
        r["close_30_sma"] = rolling(c, 30, np.mean)
        r["close_60_sma"] = rolling(c, 60, np.mean)
    return r


# ------------------------------------------------------------- comparing

class Checker:
    def __init__(self):
        self.n = 0
        self.bad = []

    def cmp(self, what, got, want, abs_floor=0.0):
        got = np.asarray(got, float)
        want = np.asarray(want, float)
        gn, wn = ~np.isfinite(got), ~np.isfinite(want)
        for i in np.nonzero(gn != wn)[0][:3]:
            self.bad.append("%s[%d]: got %r want %r" % (what, i, got[i], want[i]))
        ok = ~gn & ~wn
        if not ok.any():
            return
        scale = np.max(np.abs(want[ok]))
        tol = REL * np.maximum(np.abs(want[ok]), 1e-6 * scale) + abs_floor
        err = np.abs(got[ok] - want[ok])
        self.n += int(ok.sum())
        for i in np.nonzero(err > tol)[0][:3]:
            j = np.nonzero(ok)[0][i]
            self.bad.append("%s[%d]: got %.9g want %.9g" % (what, j, got[j], want[j]))

    def done(self, label):
        if self.bad:
            print("%s: %d differences, e.g.:" % (label, len(self.bad)))
            for b in self.bad[:20]:
                print("  " + b)
            return 1
        if self.n == 0:
            print("%s: nothing compared" % label)
            return 1
        print("%s: %d values agree" % (label, self.n))
        return 0


def series_of(per, s, names, name):
    j = names.index(name)
    return np.array([per[d][j] for d in s["day"]])


def has_split(s):
    return bool((s["split"] != 1).any())


def check_ta(prices, feats, only):
    _, ps = load_prices(prices)
    names, per, _, _ = load_features(feats)
    ck = Checker()
    for t, s in sorted(ps.items()):
        if (only and t not in only) or has_split(s):
            continue
        ref = talib_all(s["h"], s["l"], s["c"], s["v"])
        for k, want in ref.items():
            if k in names:
                ck.cmp("%s %s" % (t, k), series_of(per[t], s, names, k), want)
    return ck.done("check-ta")


def check_finrl(prices, feats):
    _, ps = load_prices(prices)
    names, per, _, _ = load_features(feats)
    ck = Checker()
    for t, s in sorted(ps.items()):
        if has_split(s):
            continue
        for k, want in finrl_all(s["h"], s["l"], s["c"]).items():
            ck.cmp("%s %s" % (t, k), series_of(per[t], s, names, k), want)
    return ck.done("check-finrl")


def check_default(prices, feats):
    """The scale-free set on the split-adjusted series: as-of-t rescaling
    in the tool must give what a full back-adjustment gives."""
    _, ps = load_prices(prices)
    names, per, _, _ = load_features(feats)
    ck = Checker()
    for t, s in sorted(ps.items()):
        h, lo, c, v = back_adjust(s)
        r = talib_all(h, lo, c, v)
        a = s["a"]
        with np.errstate(divide="ignore", invalid="ignore"):
            ret = np.concatenate([[nan], a[1:] / a[:-1] - 1])
            lr = np.log(np.concatenate([[nan], a[1:] / a[:-1]]))
            want = {
                "rsi": r["rsi_14"] / 100, "macd": r["macd"] / c,
                "macd_signal": r["macd_signal"] / c, "macd_hist": r["macd_hist"] / c,
                "bb_pctb": np.where(r["bb_upper"] == r["bb_lower"], 0.5,
                                    (c - r["bb_lower"]) / (r["bb_upper"] - r["bb_lower"])),
                "bb_width": (r["bb_upper"] - r["bb_lower"]) / r["bb_middle"],
                "cci": r["cci_14"] / 100, "dx": r["dx_14"] / 100,
                "close_sma30": c / r["sma_30"] - 1, "close_sma60": c / r["sma_60"] - 1,
                "natr": r["natr_14"] / 100,
                "ret_5": pad(a[5:] / a[:-5] - 1, 5, len(a)) if len(a) > 5 else a * nan,
                "ret_20": pad(a[20:] / a[:-20] - 1, 20, len(a)) if len(a) > 20 else a * nan,
                "vol20": pad(win(lr[1:], 20).std(axis=1, ddof=1), 20, len(a)) if len(a) > 20 else a * nan,
            }
            if len(a) >= 20:
                w = win(v, 20)
                m, sd = w.mean(axis=1), w.std(axis=1)
                z = np.where(sd > 1e-9 * m, (v[19:] - m) / np.where(sd > 0, sd, 1), 0.0)
                want["vol_z"] = pad(z, 19, len(a))
        bb = np.where(np.isfinite(want["bb_pctb"]), 0.0, nan)
        for k, w in want.items():
            # %b divides by the band width: allow for that cancellation
            ck.cmp("%s %s" % (t, k), series_of(per[t], s, names, k), w,
                   abs_floor=1e-6 if k in ("bb_pctb", "vol_z") else 0.0)
        ck.cmp("%s ret" % t, series_of(per[t], s, names, "ret"), ret)
        ck.cmp("%s close" % t, series_of(per[t], s, names, "close"), s["c"])
        del bb
    return ck.done("check-default")


def fnv1a(s):
    h = 2166136261
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def check_turb(prices, feats, k=11):
    dates, ps = load_prices(prices)
    _, _, turb, _ = load_features(feats)
    nd = len(dates)
    ssum, cnt = np.zeros((nd, k)), np.zeros((nd, k))
    for t, s in ps.items():
        b = fnv1a(t) % k
        r = s["a"][1:] / s["a"][:-1] - 1
        np.add.at(ssum[:, b], s["day"][1:], r)
        np.add.at(cnt[:, b], s["day"][1:], 1)
    y = np.where(cnt > 0, ssum / np.maximum(cnt, 1), 0.0)
    want = np.zeros(nd)
    count = 0
    for i in range(252, nd):
        hist = y[i - 252:i]
        dev = y[i] - hist.mean(axis=0)
        d = dev @ np.linalg.pinv(np.cov(hist, rowvar=False)) @ dev
        if d > 0:
            count += 1
            want[i] = d if count > 2 else 0.0
    ck = Checker()
    ck.cmp("turbulence", turb, want, abs_floor=1e-9)
    if nd > 252 and not (want[252:] > 0).any():
        ck.bad.append("turbulence: never positive after warm-up")
    return ck.done("check-turb")


def check_fund(prices, fund, feats):
    """pe and log_mcap against the latest filing dated on or before the
    day, its per-share values brought to the day's shares by every split
    after its quarter end."""
    dates, ps = load_prices(prices)
    names, per, _, _ = load_features(feats)
    filings = {}
    with open(fund, "rb") as f:
        for h, a in tmt_np.frames(f):
            fl = h["labels"]["field"]
            for r, t in enumerate(h["labels"]["ticker"]):
                filings.setdefault(t, []).append(
                    (h["coords"]["date"], h["coords"].get("period", ""),
                     a[r][fl.index("eps")], a[r][fl.index("shares")]))
    ck = Checker()
    seen_before = 0
    for t, s in sorted(ps.items()):
        fs = filings.get(t, [])
        splits = [(dates[d], k) for d, k in zip(s["day"], s["split"]) if k != 1]
        want_pe, want_mc = [], []
        for d, c in zip(s["day"], s["c"]):
            day = dates[d]
            cur = [f for f in fs if f[0] <= day]
            if not cur:
                want_pe.append(nan)
                want_mc.append(nan)
                if any(f[0] > day for f in fs):
                    seen_before += 1
                continue
            fd, period, eps, sh = cur[-1]
            m = np.prod([k for sd, k in splits if period < sd <= day] or [1.0])
            eps, sh = eps / m, sh * m
            want_pe.append(c / eps if eps != 0 else nan)
            want_mc.append(np.log(c * sh) if c * sh > 0 else nan)
        ck.cmp("%s pe" % t, series_of(per[t], s, names, "pe"), want_pe)
        ck.cmp("%s log_mcap" % t, series_of(per[t], s, names, "log_mcap"), want_mc)
    if seen_before == 0:
        ck.bad.append("no day before a first filing was checked")
    return ck.done("check-fund")


def same_prefix(full, part):
    a = list(tmt_np.frames(open(full, "rb")))
    b = list(tmt_np.frames(open(part, "rb")))
    if not b or len(b) >= len(a):
        print("same-prefix: want a shorter second stream (%d vs %d frames)" % (len(b), len(a)))
        return 1
    for i, ((ha, xa), (hb, xb)) in enumerate(zip(a, b)):
        if ha["coords"] != hb["coords"] or ha["labels"] != hb["labels"] or \
                xa.tobytes() != xb.tobytes():
            print("same-prefix: frame %d (%s) differs" % (i, ha["coords"]["date"]))
            return 1
    print("same-prefix: %d frames bit-identical" % len(b))
    return 0


# --------------------------------------------------------------- fixtures

def import_csv(path, out):
    import csv
    days = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            days.setdefault(row["date"], []).append(row)
    w = tmt_np.Writer(out)
    fields = ["open", "high", "low", "close", "adjclose", "volume", "split", "dividend"]
    for d in sorted(days):
        rs = days[d]

        def num(x):
            return float(x) if x not in ("", None) else nan
        a = np.array([[num(r["open"]), num(r["high"]), num(r["low"]), num(r["close"]),
                       num(r["close"]), num(r["volume"]), 1.0, 0.0] for r in rs])
        w.frame(a, ["ticker", "field"], {"ticker": [r["ticker"] for r in rs],
                                         "field": fields}, {"date": d})
    w.end()


def fixture(out):
    """300 business days; AAA plain, IPO lists on day 100, HALT misses
    days 50..59 and has a NaN bar on day 80, SPL splits 4:1 as traded on
    day 150, ADJ carries split 2 on day 120 but its prices were already
    adjusted (the tool must not rescale it)."""
    rng = np.random.default_rng(7)
    names = ["AAA", "IPO", "HALT", "SPL", "ADJ"]
    nd = 300
    px = {}
    for j, t in enumerate(names):
        r = rng.normal(0.0005, 0.02, nd)
        c = 50 * (j + 1) * np.exp(np.cumsum(r))
        o = c * np.exp(rng.normal(0, 0.005, nd))
        hi = np.maximum(o, c) * np.exp(np.abs(rng.normal(0, 0.01, nd)))
        lo = np.minimum(o, c) * np.exp(-np.abs(rng.normal(0, 0.01, nd)))
        v = np.round(np.exp(rng.normal(13, 0.5, nd)))
        px[t] = [o, hi, lo, c, c.copy(), v, np.ones(nd), np.zeros(nd)]
    o, hi, lo, c, a, v, sp, _ = px["SPL"]
    for x in (o, hi, lo, c):
        x[150:] /= 4		# as traded: the bar drops, adjclose does not
    v[150:] *= 4
    sp[150] = 4
    px["ADJ"][6][120] = 2
    w = tmt_np.Writer(out)
    d0 = np.datetime64("2015-01-02")
    for d in range(nd):
        day = str(np.busday_offset(d0, d, roll="forward"))
        rows, labels = [], []
        for t in names:
            if t == "IPO" and d < 100:
                continue
            if t == "HALT" and 50 <= d < 60:
                continue
            row = [x[d] for x in px[t]]
            if t == "HALT" and d == 80:
                row[:6] = [nan] * 6
            rows.append(row)
            labels.append(t)
        w.frame(np.array(rows), ["ticker", "field"],
                {"ticker": labels, "field": ["open", "high", "low", "close",
                                             "adjclose", "volume", "split", "dividend"]},
                {"date": day})
    w.end()


def bench(prices):
    """The numpy baseline: RSI(14), MACD, Bollinger(20), SMA(30/60) over
    every ticker, vectorised over tickers where numpy allows."""
    t0 = time.time()
    dates, tick, cl = [], {}, []
    for h, a in tmt_np.frames(open(prices, "rb")):
        fl = h["labels"]["field"].index("close")
        col = np.full(len(tick) + len(h["labels"]["ticker"]), nan)
        for r, t in enumerate(h["labels"]["ticker"]):
            j = tick.setdefault(t, len(tick))
            if j >= len(col):
                col = np.concatenate([col, np.full(j - len(col) + 1, nan)])
            col[j] = a[r, fl]
        cl.append(col)
        dates.append(h["coords"]["date"])
    n = len(tick)
    c = np.full((len(cl), n), nan)
    for i, col in enumerate(cl):
        c[i, :len(col)] = col[:n]
    t1 = time.time()
    np.seterr(all="ignore")
    for n_ in (30, 60, 20):
        cs = np.nancumsum(c, axis=0)
        _ = (cs[n_:] - cs[:-n_]) / n_
    sq = np.nancumsum(c * c, axis=0)
    _ = np.sqrt(np.maximum((sq[20:] - sq[:-20]) / 20 - _ * _, 0))
    d = np.diff(c, axis=0)
    g, lo = np.where(d > 0, d, 0), np.where(d < 0, -d, 0)
    ag, al = np.nanmean(g[:14], axis=0), np.nanmean(lo[:14], axis=0)
    e12, e26 = c[0].copy(), c[0].copy()
    for i in range(14, len(d)):
        ag = (ag * 13 + g[i]) / 14
        al = (al * 13 + lo[i]) / 14
        _ = 100 * ag / (ag + al)
    for i in range(1, len(c)):
        e12 = e12 + (c[i] - e12) * (2 / 13)
        e26 = e26 + (c[i] - e26) * (2 / 27)
    t2 = time.time()
    print("numpy baseline: load %.2f s, compute %.2f s, total %.2f s, %d tickers x %d days"
          % (t1 - t0, t2 - t1, t2 - t0, n, len(dates)))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    cmd, args = argv[1], argv[2:]
    if cmd == "import":
        import_csv(args[0], sys.stdout.buffer)
        return 0
    if cmd == "fixture":
        fixture(sys.stdout.buffer)
        return 0
    if cmd == "check-ta":
        return check_ta(args[0], args[1], set(args[2:]))
    if cmd == "check-finrl":
        return check_finrl(args[0], args[1])
    if cmd == "check-default":
        return check_default(args[0], args[1])
    if cmd == "check-turb":
        return check_turb(args[0], args[1], int(args[2]) if len(args) > 2 else 11)
    if cmd == "check-fund":
        return check_fund(args[0], args[1], args[2])
    if cmd == "same-prefix":
        return same_prefix(args[0], args[1])
    if cmd == "bench":
        return bench(args[0])
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
