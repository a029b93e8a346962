#!/bin/sh
# tm-strategy's portfolio baselines against numpy on a small tm-synth
# market: equal, invvol, momentum, meanrev and blend to float precision, minvar
# (Ledoit-Wolf shrinkage, long only) to solver precision, and its weights
# >= 0 summing to 1.
. "$(dirname "$0")/lib.sh"

test_need_numpy

# ref.py STRATEGY PRICES WEIGHTS [k=v ...]: recompute the strategy from
# the prices with numpy and compare with the weight stream.
cat >"$TRASH/ref.py" <<'PYEOF'
import sys
import numpy as np
import tmt_np

strat, prices, weights = sys.argv[1:4]
kw = dict(a.split("=", 1) for a in sys.argv[4:])

def frames(path):
    with open(path, "rb") as f:
        return list(tmt_np.frames(f))

P = frames(prices)
W = frames(weights)
assert len(P) == len(W), (len(P), len(W))
names = sorted({t for h, _ in P for t in h["labels"]["ticker"]})
col = {t: i for i, t in enumerate(names)}
T, K = len(P), len(names)
ac = np.full((T, K), np.nan)
for t, (h, a) in enumerate(P):
    fj = h["labels"]["field"].index("adjclose")
    for i, tk in enumerate(h["labels"]["ticker"]):
        ac[t, col[tk]] = a[i, fj]
ret = np.full((T, K), np.nan)
ret[1:] = ac[1:] / ac[:-1] - 1

def lw(X):
    # sklearn.covariance.ledoit_wolf_shrinkage on centred X, then the
    # shrunk covariance.
    n, p = X.shape
    S = X.T @ X / n
    mu = np.trace(S) / p
    X2 = X ** 2
    beta_ = np.sum(X2.T @ X2)
    delta_ = np.sum((X.T @ X) ** 2) / n ** 2
    beta = (beta_ / n - delta_) / (p * n)
    delta = (delta_ - 2 * mu * np.trace(S) + p * mu ** 2) / p
    beta = min(beta, delta)
    k = 0 if beta == 0 else beta / delta
    if "shrink" in kw and float(kw["shrink"]) >= 0:
        k = float(kw["shrink"])
    return (1 - k) * S + k * mu * np.eye(p)

worst = 0
for t, ((h, a), (hw, w)) in enumerate(zip(P, W)):
    tick = h["labels"]["ticker"]
    assert hw["labels"]["ticker"] == tick
    assert hw["labels"]["field"] == ["weight", "confidence"]
    assert hw["coords"]["date"] == h["coords"]["date"]
    ids = [col[x] for x in tick]
    ok = np.array([np.isfinite(ac[t, j]) and ac[t, j] > 0 for j in ids])
    want = np.zeros(len(tick))
    if strat == "equal":
        want[ok] = 1 / ok.sum()
    elif strat in ("invvol", "minvar"):
        L = int(kw.get("lookback", 20 if strat == "invvol" else 60))
        el = [i for i, j in enumerate(ids) if ok[i] and t - L + 1 >= 0
              and np.isfinite(ret[t - L + 1:t + 1, j]).all()]
        R = np.array([ret[t - L + 1:t + 1, ids[i]] for i in el]).T
        if strat == "invvol" and el:
            sd = R.std(axis=0, ddof=1)
            want[el] = (1 / sd) / (1 / sd).sum()
        elif el:
            S = lw(R - R.mean(axis=0))
            keep = np.ones(len(el), bool)
            while True:
                x = np.zeros(len(el))
                x[keep] = np.linalg.solve(S[np.ix_(keep, keep)],
                                          np.ones(keep.sum()))
                x /= x.sum()
                if (x[keep] >= 0).all():
                    break
                keep &= x >= 0
            want[el] = x
    elif strat in ("momentum", "meanrev"):
        L, k = int(kw["lookback"]), int(kw["top_k"])
        s = int(kw.get("skip", 0))
        sign = 1 if strat == "momentum" else -1
        sc = np.full(len(tick), np.nan)
        if t - L >= 0:
            for i, j in enumerate(ids):
                sc[i] = sign * (ac[t - s, j] / ac[t - L, j] - 1)
        rank = [i for i in np.argsort(-sc, kind="stable")
                if ok[i] and np.isfinite(sc[i])][:k]
        want[rank] = 1 / len(rank) if rank else 0
    elif strat == "blend":
        a_, b_ = frames(kw["a"]), frames(kw["b"])
        x, y = float(kw["x"]), float(kw["y"])
        want = x * a_[t][1][:, 0] + y * b_[t][1][:, 0]
    got = w[:, 0].astype(float)
    worst = max(worst, np.abs(got - want).max())
    cash = hw["coords"]["cash"]
    assert abs(cash - (1 - got.sum())) < 1e-5, (t, cash, got.sum())
tol = float(kw.get("tol", 1e-6))
assert worst < tol, (strat, worst)
print(strat, "worst", worst)
PYEOF

test_expect_success 'setup: a small tm-synth market' '
	tm-synth -n 8 -y 1 --seed 11 -o syn >/dev/null &&
	test -s syn/prices.tmt
'

test_expect_success 'equal against numpy' '
	tm-strategy equal syn/prices.tmt >w.tmt &&
	"$PY" ref.py equal syn/prices.tmt w.tmt
'

test_expect_success 'invvol against numpy (two lookbacks)' '
	tm-strategy invvol syn/prices.tmt >w.tmt &&
	"$PY" ref.py invvol syn/prices.tmt w.tmt &&
	tm-strategy -p lookback=5 invvol syn/prices.tmt >w.tmt &&
	"$PY" ref.py invvol syn/prices.tmt w.tmt lookback=5
'

test_expect_success 'momentum against numpy' '
	tm-strategy -p lookback=40 -p skip=5 -p top_k=3 momentum \
	    syn/prices.tmt >w.tmt &&
	"$PY" ref.py momentum syn/prices.tmt w.tmt lookback=40 \
	    skip=5 top_k=3 &&
	tm-strategy -p lookback=10 -p skip=0 -p top_k=1 momentum \
	    syn/prices.tmt >w.tmt &&
	"$PY" ref.py momentum syn/prices.tmt w.tmt lookback=10 \
	    skip=0 top_k=1
'

test_expect_success 'meanrev against numpy: the top_k losers' '
	tm-strategy meanrev syn/prices.tmt >w.tmt &&
	"$PY" ref.py meanrev syn/prices.tmt w.tmt lookback=5 top_k=10 &&
	tm-strategy -p lookback=20 -p top_k=2 meanrev syn/prices.tmt >w.tmt &&
	"$PY" ref.py meanrev syn/prices.tmt w.tmt lookback=20 top_k=2 &&
	tm-strategy -p lookback=20 -p skip=0 -p top_k=2 momentum syn/prices.tmt \
	    >m.tmt &&
	! cmp -s w.tmt m.tmt
'

test_expect_success 'minvar: weights >= 0 summing to 1, as numpy solves it' '
	tm-strategy minvar syn/prices.tmt >mv.tmt &&
	"$PY" ref.py minvar syn/prices.tmt mv.tmt tol=2e-5 &&
	tm-strategy -p lookback=20 -p shrink=0.3 minvar syn/prices.tmt >w.tmt &&
	"$PY" ref.py minvar syn/prices.tmt w.tmt lookback=20 \
	    shrink=0.3 tol=2e-5 &&
	"$PY" - <<-PYEOF
	import numpy as np, tmt_np
	n = 0
	for h, a in tmt_np.frames(open("mv.tmt", "rb")):
	    w = a[:, 0]
	    assert (w >= 0).all(), w
	    if w.sum() > 0:
	        assert abs(w.sum() - 1) < 1e-5 and abs(h["coords"]["cash"]) < 1e-5
	        n += 1
	assert n > 100, n
	PYEOF
'

test_expect_success 'minvar with full shrinkage is equal weight' '
	tm-strategy -p shrink=1 minvar syn/prices.tmt | tm-cat --last 1 -o csv |
	    awk -F, "NR > 1 { print \$3 }" | sort -u >got &&
	test "$(wc -l <got)" = 1
'

test_expect_success 'blend: fixed weights over two weight streams' '
	tm-strategy equal syn/prices.tmt >a.tmt &&
	tm-strategy invvol syn/prices.tmt >b.tmt &&
	tm-strategy -p streams=a.tmt,b.tmt -p weights=0.4,0.6 blend \
	    syn/prices.tmt >w.tmt &&
	"$PY" ref.py blend syn/prices.tmt w.tmt a=a.tmt b=b.tmt \
	    x=0.4 y=0.6 &&
	test_must_fail --status 64 tm-strategy -p streams=a.tmt,b.tmt \
	    -p weights=1 blend syn/prices.tmt
'

test_done
