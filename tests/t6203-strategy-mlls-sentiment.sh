#!/bin/sh
# t6203: mlls with sentiment features (sentiment=FILE): fit and run,
# refusals, no look-ahead, and on tm-synth --sentiment the sentiment-fed
# mlls beats the price-only one out of sample.
. "$(dirname "$0")/lib.sh"

test_need_numpy

TH="-p long_threshold=0.5 -p short_threshold=0.5"

# Four synthetic years: fit on the first two, judge on the last two.
test_expect_success 'setup: tm-synth --sentiment, the first two years' '
	tm-synth -n 40 -y 4 --seed 7 --sentiment 0.3 -o syn &&
	tm-cat --to 2016-12-31 syn/prices.tmt >train.tmt
'

test_expect_success 'fit with sentiment: a 14-feature model, reproducible' '
	tm-strategy fit -p epochs=20 -p sentiment=syn/sentiment.tmt \
	    -o s.tmt train.tmt &&
	tm-strategy fit -p epochs=20 -p sentiment=syn/sentiment.tmt \
	    -o s2.tmt train.tmt &&
	cmp s.tmt s2.tmt &&
	tm-cat --info s.tmt | grep "\"sentiment\":\"sma1,2,4,8,16\"" &&
	tm-cat --info s.tmt | grep "\"sent1\",\"sent2\",\"sent4\",\"sent8\",\"sent16\"" &&
	tm-strategy fit -p epochs=20 -o p.tmt train.tmt &&
	! tm-cat --info p.tmt | grep -q sentiment
'

test_expect_success 'refusals: model and run must agree; bad streams 66 / 65' '
	test_must_fail --status 64 tm-strategy -p model=s.tmt mlls \
	    syn/prices.tmt &&
	test_must_fail --status 64 tm-strategy -p model=p.tmt \
	    -p sentiment=syn/sentiment.tmt mlls syn/prices.tmt &&
	test_must_fail --status 66 tm-strategy -p model=s.tmt \
	    -p sentiment=nosuch.tmt mlls syn/prices.tmt &&
	test_must_fail --status 65 tm-strategy -p model=s.tmt \
	    -p sentiment=p.tmt mlls syn/prices.tmt
'

test_expect_success 'no look-ahead: cutting prices and sentiment after day t keeps day t' '
	tm-strategy -p model=s.tmt -p sentiment=syn/sentiment.tmt $TH mlls \
	    syn/prices.tmt >ws.tmt &&
	tm-cat -o csv ws.tmt >full.csv &&
	awk -F, "NR > 1 && \$3 != 0" full.csv | grep -q . &&
	d=$(cut -d, -f1 full.csv | sort -u | sed -n 700p) &&
	tm-cat --to "$d" syn/prices.tmt >cut.tmt &&
	tm-cat --to "$d" syn/sentiment.tmt >scut.tmt &&
	tm-strategy -p model=s.tmt -p sentiment=scut.tmt $TH mlls cut.tmt |
	    tm-cat -o csv >part.csv &&
	awk -F, -v d="$d" "NR == 1 || \$1 <= d" full.csv >want &&
	test_cmp want part.csv &&
	tm-strategy -p model=s.tmt -p sentiment=scut.tmt $TH mlls \
	    syn/prices.tmt | tm-cat -o csv | awk -F, -v d="$d" \
	    "NR == 1 || \$1 <= d" >part2.csv &&
	test_cmp want part2.csv
'

test_expect_success 'the sentiment stream of tm-fetch --news is read as it is' '
	tm-fetch --news --csv "$TOP/tests/data/fetch/av-news.json" >n.tmt \
	    2>/dev/null &&
	tm-strategy -p model=s.tmt -p sentiment=n.tmt $TH mlls \
	    syn/prices.tmt >wn.tmt &&
	tm-cat --info wn.tmt | grep -q "sentiment=n.tmt"
'

# oos.py PRICES FROM WEIGHTS...: each weight stream's daily return from
# FROM on (weights of day t earn day t+2 in adjusted closes), computed
# here from the files alone: "mean sharpe" per line.
cat >"$TRASH/oos.py" <<'PY'
import math, sys
import numpy as np
from tmt_np import frames

def load(p):
    with open(p, "rb") as f:
        return [(h, a.copy()) for h, a in frames(f)]

P = load(sys.argv[1])
start = sys.argv[2]
adj = [dict(zip(h["labels"]["ticker"],
                a[:, h["labels"]["field"].index("adjclose")])) for h, a in P]
dates = [h["coords"]["date"] for h, a in P]
for wf in sys.argv[3:]:
    W = load(wf)
    assert [h["coords"]["date"] for h, a in W] == dates
    rs = []
    for t in range(len(W) - 2):
        if dates[t] < start:
            continue
        h, a = W[t]
        wc = h["labels"]["field"].index("weight")
        r = 0.0
        for k, tk in enumerate(h["labels"]["ticker"]):
            w = a[k, wc]
            x = adj[t + 2].get(tk, np.nan) / adj[t + 1].get(tk, np.nan) - 1
            if w != 0 and np.isfinite(x):
                r += w * x
        rs.append(r)
    rs = np.array(rs)
    sd = rs.std()
    print("%.6f %.3f" % (rs.mean(), rs.mean() / sd * math.sqrt(252)
                         if sd > 0 else 0.0))
PY

test_expect_success 'out of sample (2017-2018): sentiment-fed mlls beats price-only' '
	tm-strategy -p model=p.tmt $TH mlls syn/prices.tmt >wp.tmt &&
	"$PY" "$TRASH/oos.py" syn/prices.tmt 2017-01-01 wp.tmt ws.tmt >oos &&
	cat oos >&2 &&
	awk "NR == 1 { m = \$1; s = \$2 }
	    NR == 2 { ok = \$1 > m && \$2 > s && \$2 > 1 }
	    END { exit ok ? 0 : 1 }" oos
'

test_done
