#!/bin/sh
# t2002: tm-synth --sentiment R: the sentiment stream (CONVENTIONS.md)
# leads day t+2's return, is seeded, and leaves every other output
# byte-identical.
. "$(dirname "$0")/lib.sh"

test_need_numpy

test_expect_success 'usage: R in [0, 1], and only with -o' '
	test_must_fail --status 64 tm-synth -n 5 -y 0.1 -o x --sentiment 1.5 &&
	test_must_fail --status 64 tm-synth -n 5 -y 0.1 --sentiment 0.2
'

test_expect_success 'the other outputs are byte-identical; same seed, same stream' '
	tm-synth -n 60 -y 2 --seed 5 -o a &&
	tm-synth -n 60 -y 2 --seed 5 --sentiment 0.2 -o b &&
	tm-synth -n 60 -y 2 --seed 5 --sentiment 0.2 -o c &&
	for f in a/*; do cmp "$f" "b/${f#a/}" || exit 1; done &&
	test "$(ls b | wc -l)" = $(( $(ls a | wc -l) + 1 )) &&
	cmp b/sentiment.tmt c/sentiment.tmt &&
	tm-synth -n 60 -y 2 --seed 6 --sentiment 0.2 -o d &&
	! cmp -s b/sentiment.tmt d/sentiment.tmt
'

# lead.py DIR: layout checks with the independent reader, then the
# correlation of day t sentiment with the log return of day t+lag, lag
# 0..3, one a line.
cat >"$TRASH/lead.py" <<'PY'
import sys
import numpy as np
from tmt_np import frames

def load(path):
    with open(path, "rb") as f:
        return [(h, a.copy()) for h, a in frames(f)]

d = sys.argv[1]
P, S = load(d + "/prices.tmt"), load(d + "/sentiment.tmt")
assert len(P) == len(S), (len(P), len(S))
for (ph, pa), (sh, sa) in zip(P, S):
    assert sh["dtype"] == "F64", sh["dtype"]
    assert sh["labels"]["field"] == ["sentiment", "articles"]
    assert sh["coords"]["date"] == ph["coords"]["date"]
    assert sh["labels"]["ticker"] == ph["labels"]["ticker"]
    n = sa[:, 1]
    assert ((n >= 0) & (n <= 5) & (n == np.round(n))).all()
    assert (np.isnan(sa[:, 0]) == (n == 0)).all()
    v = sa[:, 0][n > 0]
    assert ((v >= -1) & (v <= 1)).all()

def adj(t):
    h, a = P[t]
    return dict(zip(h["labels"]["ticker"],
                    a[:, h["labels"]["field"].index("adjclose")]))

A = [adj(t) for t in range(len(P))]
for lag in range(4):
    xs, ys = [], []
    for t in range(max(0, 1 - lag), len(S) - lag):
        h, a = S[t]
        for k, tk in enumerate(h["labels"]["ticker"]):
            x = a[k, 0]
            r = np.log(A[t + lag].get(tk, np.nan) /
                       A[t + lag - 1].get(tk, np.nan))
            if np.isfinite(x) and np.isfinite(r):
                xs.append(x)
                ys.append(r)
    print("%.4f" % np.corrcoef(xs, ys)[0, 1])
PY

test_expect_success 'day t leads day t+2 return, not t or t+1 (independent reader)' '
	"$PY" "$TRASH/lead.py" b >corr &&
	cat corr >&2 &&
	awk "NR == 3 && \$1 > 0.1 { ok++ }
	    NR != 3 && \$1 < 0.05 && \$1 > -0.05 { ok++ }
	    END { exit ok == 4 ? 0 : 1 }" corr &&
	tm-synth -n 60 -y 2 --seed 5 --sentiment 0 -o z &&
	"$PY" "$TRASH/lead.py" z >corr0 &&
	cat corr0 >&2 &&
	awk "\$1 > 0.05 || \$1 < -0.05 { bad++ } END { exit bad ? 1 : 0 }" corr0
'

test_done
