#!/bin/sh
# tm-synth: the statistical properties the model promises, measured with
# numpy on a 300-ticker, 4-year market.  Tolerances are loose enough for
# any seed and tight enough to fail when a feature is switched off.
. "$(dirname "$0")/lib.sh"

test_need_numpy

cat >"$TRASH/stats.py" <<'PY'
"""stats.py DIR WHAT: one statistical check of a tm-synth folder."""
import csv, os, sys
import numpy as np
from tmt_np import frames

d, what = sys.argv[1], sys.argv[2]
px = [(h["labels"]["ticker"], h["labels"]["field"], a)
      for h, a in frames(open(os.path.join(d, "prices.tmt"), "rb"))]
tick = sorted({t for p in px for t in p[0]})
ix = {t: i for i, t in enumerate(tick)}
fields = px[0][1]
X = np.full((len(px), len(tick), len(fields)), np.nan)
for k, (tk, fl, a) in enumerate(px):
    X[k, [ix[t] for t in tk]] = a
# R[k] is the total log return from day k to day k+1.
R = np.diff(np.log(X[:, :, fields.index("adjclose")]), axis=0)

def kurt(x):
    x = x[np.isfinite(x)]
    x = x - x.mean()
    return np.mean(x ** 4) / np.mean(x ** 2) ** 2

def check(ok, msg):
    print(msg)
    if not ok:
        print("FAIL")
        sys.exit(1)

if what == "tails":
    ks = [kurt(R[:, j]) for j in range(R.shape[1])
          if np.isfinite(R[:, j]).sum() > 250]
    check(np.median(ks) > 3.5, "median kurtosis %.2f (normal: 3)" % np.median(ks))

if what == "clustering":
    m = np.nanmean(R, axis=1)
    m2 = (m - m.mean()) ** 2
    ac = [np.corrcoef(m2[:-L], m2[L:])[0, 1] for L in range(1, 6)]
    # Without GARCH these are ~N(0, 1/sqrt(1000)): about +-0.03.
    check(ac[0] > 0.05 and np.mean(ac) > 0.05,
          "autocorrelation of squared market returns, lags 1-5: %s" %
          np.round(ac, 3))

if what == "sectors":
    sector = {r["ticker"]: r["sector"] for r in
              csv.DictReader(open(os.path.join(d, "universe.csv")))}
    full = np.all(np.isfinite(R), axis=0)
    C = np.corrcoef(R[:, full].T)
    sec = np.array([sector[t] for t, f in zip(tick, full) if f])
    same = sec[:, None] == sec[None, :]
    off = ~np.eye(len(sec), dtype=bool)
    w, a = C[same & off].mean(), C[~same].mean()
    check(a > 0.05 and w > a + 0.05,
          "mean correlation within sectors %.3f, across %.3f" % (w, a))

if what == "bars":
    C = X[:, :, fields.index("close")]
    O = X[:, :, fields.index("open")]
    V = X[:, :, fields.index("volume")]
    sp = X[:, :, fields.index("split")]
    dv = X[:, :, fields.index("dividend")]
    gap = (O[1:] + dv[1:]) * sp[1:] / C[:-1] - 1
    gap = gap[np.isfinite(gap)]
    check(np.mean(gap != 0) > 0.9 and np.median(np.abs(gap)) < 0.02,
          "open gaps: %.3f nonzero, median size %.4f" %
          (np.mean(gap != 0), np.median(np.abs(gap))))
    # Volume rises with the size of the move, stock by stock.
    cs = []
    for j in range(R.shape[1]):
        a, v = np.abs(R[:, j]), np.log(V[1:, j])
        ok = np.isfinite(a) & np.isfinite(v)
        if ok.sum() > 250:
            cs.append(np.corrcoef(a[ok], v[ok])[0, 1])
    check(np.median(cs) > 0.2,
          "median corr(|return|, log volume) %.3f" % np.median(cs))

if what in ("signal", "nosignal"):
    S = X[:, :, fields.index("signal")]
    def corr(s, r):
        s, r = s.ravel(), r.ravel()
        ok = np.isfinite(s) & np.isfinite(r)
        return np.corrcoef(s[ok], r[ok])[0, 1]
    # R[i] is the return of day i+1, so S[:-2] against R[1:] pairs
    # signal_t with ret_t+2, the return a policy reading day t can earn.
    two, nxt, same = corr(S[:-2], R[1:]), corr(S[:-1], R), corr(S[1:], R)
    print("corr(signal_t, ret_t+2) %.4f, ret_t+1 %.4f, ret_t %.4f" %
          (two, nxt, same))
    # About 300k pairs: the noise on a zero correlation is about 0.002.
    check(abs(same) < 0.02, "the signal does not leak today's return")
    check(abs(nxt) < 0.02, "the signal says nothing of tomorrow's return")
    if what == "signal":
        check(two > 0.2, "the signal predicts the return of t+2")
    else:
        check(abs(two) < 0.02, "no signal, no prediction")
PY

test_expect_success 'write the markets' '
	tm-synth -n 300 -y 4 --seed 11 -o m &&
	tm-synth -n 300 -y 4 --seed 11 --signal 0.5 -o s &&
	tm-synth -n 300 -y 4 --seed 11 --signal 0 -o z
'

test_expect_success 'fat tails: daily returns have kurtosis above 3' '
	$PY stats.py m tails
'
test_expect_success 'volatility clustering in the market factor' '
	$PY stats.py m clustering
'
test_expect_success 'returns correlate more within a sector than across' '
	$PY stats.py m sectors
'
test_expect_success 'opens gap a little; volume follows the size of the move' '
	$PY stats.py m bars
'
test_expect_success '--signal 0.5: signal_t predicts the return of t+2, not t+1' '
	$PY stats.py s signal
'
test_expect_success '--signal 0: the field is there and predicts nothing' '
	$PY stats.py z nosignal
'

# --signal 0 only adds the column: the draws are the same with and
# without it, so a K of 0 is the plain market.
test_expect_success '--signal 0 bars are the plain market bars' '
	$PY - <<-\EOF
	import sys
	import numpy as np
	from tmt_np import frames
	a = list(frames(open("m/prices.tmt", "rb")))
	b = list(frames(open("z/prices.tmt", "rb")))
	assert len(a) == len(b)
	for (ha, xa), (hb, xb) in zip(a, b):
	    assert hb["labels"]["field"] == ha["labels"]["field"] + ["signal"]
	    assert ha["labels"]["ticker"] == hb["labels"]["ticker"]
	    assert np.array_equal(xa, xb[:, :8])
	EOF
'

test_done
