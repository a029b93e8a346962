#!/usr/bin/python3
"""tm_train_eval.py SLOTS WEIGHTS FIRST [COST]
(also: --date SLOTS I, the date of frame I; --same A B K, see below): out-of-sample scoring of
tm-infer output, independent of the C code: weights decided on day t earn
day t+2's ret (traded at the close of t+1), cost on |w - w_drifted|.
Prints: model_sharpe ew_sharpe model_return ew_return (decisions from day
index FIRST to T-3), Sharpe annualised sqrt(252) mean/sd."""
import sys
import numpy as np

# The one Python TMT reader of the suite, tests/helpers/tmt_np.py (strict:
# CRCs, sequence, end frame): beside this file when it runs as a script,
# on the PYTHONPATH tests/lib.sh sets when the tests exec its top half.
import tmt_np


def frames(path):
    with open(path, "rb") as f:
        yield from tmt_np.frames(f)

def run(ret, region, W, first, cost):
    T, N = ret.shape
    held = np.zeros(N); r = []
    for t in range(first, T - 2):
        w = W[t]
        turn = np.abs(w - held).sum()
        rr = np.nan_to_num(ret[t + 2])
        rp = (w * rr).sum()
        r.append((1 - cost * turn) * (1 + rp) - 1)
        held = w * (1 + rr) / (1 + rp)
    r = np.array(r)
    sh = np.sqrt(252) * r.mean() / r.std(ddof=1)
    return sh, np.prod(1 + r) - 1

if sys.argv[1] == "--date":
    for i, (h, _) in enumerate(frames(sys.argv[2])):
        if i == int(sys.argv[3]):
            print(h["coords"]["date"]); sys.exit(0)
    sys.exit(1)
if sys.argv[1] == "--same":
    # --same A B K: the first K frames equal, and some later one differs
    a, b, k = list(frames(sys.argv[2])), list(frames(sys.argv[3])), int(sys.argv[4])
    for i in range(k):
        assert np.array_equal(a[i][1], b[i][1], equal_nan=True) and a[i][0] == b[i][0], "frame %d differs" % i
    assert any(not np.array_equal(x[1], y[1], equal_nan=True) for x, y in zip(a[k:], b[k:])), "future identical"
    print("ok"); sys.exit(0)
slots = list(frames(sys.argv[1]))
out = list(frames(sys.argv[2]))
first = int(sys.argv[3]); cost = float(sys.argv[4]) if len(sys.argv) > 4 else 0.001
fields = slots[0][0]["labels"]["feature"] if "feature" in slots[0][0]["labels"] else slots[0][0]["labels"]["field"]
ret = np.array([a[:, fields.index("ret")] for _, a in slots], dtype=float)
region = np.array([a[:, fields.index("region")] for _, a in slots])
assert len(out) == len(slots), (len(out), len(slots))
W = np.array([a[:, 0] for _, a in out], dtype=float)
act = (region == 0) & np.isfinite(ret)
EW = act / act.sum(axis=1, keepdims=True)
ms, mr = run(ret, region, W, first, cost)
es, er = run(ret, region, EW, first, cost)
print("%.4f %.4f %.4f %.4f" % (ms, es, mr, er))
