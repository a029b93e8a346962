#!/bin/sh
# The planted signal end to end, through the real tools: tm-synth --signal
# | tm-features -c signal | tm-slotmap, cut by date with tm-cat (train on
# the first 70% of days, score the rest), tm-train, tm-infer, scored by
# tests/tm_train_eval.py (numpy, not the code under test) against equal
# weight with the same timing and 0.1% costs.
#
# tm-synth's signal of day t predicts day t+1's return, which the
# execution timing (decide on t, trade at the close of t+1, earn t+2's
# ret) cannot trade: as planted, no algorithm may show an edge from it,
# a check of the whole pipeline for look-ahead.  To show the pipeline
# learns what it can trade, lead.tmt is a copy of the prices whose
# signal on day t is the one tm-synth drew on t+1 (a deliberately leaked
# fixture: the predictor of t+2's return); on it every algorithm must
# beat equal weight by a wide margin.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
EVAL=$TOP/tests/tm_train_eval.py
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3 with numpy'
for t in tm-synth tm-features tm-slotmap tm-cat tm-train tm-infer; do
	[ -x "$TM_BIN/$t" ] || test_skip_all "needs $t"
done

# The index holds round(0.9 * 150) = 135 members: 150 active slots fit.
pipe() {
	tm-features -s default "$@" -f m/fundamentals.tmt |
	    tm-slotmap -l 150,20,20 -m m/membership.csv
}

test_expect_success 'setup: market, lead fixture, slot streams, 70/30 split' '
	tm-synth -n 150 -y 2.5 --seed 11 --signal 0.5 -o m &&
	$PY - m/prices.tmt lead.tmt <<-\PYEOF &&
	import sys; sys.path.insert(0, "'"$TOP"'/tests"); import tmt_np
	import numpy as np
	fr = list(tmt_np.frames(open(sys.argv[1], "rb")))
	w = tmt_np.Writer(open(sys.argv[2], "wb"))
	for i, (h, a) in enumerate(fr):
	    a = a.copy(); j = h["labels"]["field"].index("signal"); nxt = {}
	    if i + 1 < len(fr):
	        hn, an = fr[i + 1]
	        nxt = dict(zip(hn["labels"]["ticker"],
	                       an[:, hn["labels"]["field"].index("signal")]))
	    a[:, j] = [nxt.get(t, np.nan) for t in h["labels"]["ticker"]]
	    w.frame(a, h["axes"], h["labels"], h.get("coords"), h.get("meta"))
	w.end()
	PYEOF
	pipe -c signal m/prices.tmt >sig.tmt &&
	pipe -c signal lead.tmt >lead-s.tmt &&
	pipe lead.tmt >none.tmt &&
	n=$(tm-cat --info sig.tmt | wc -l) &&
	test "$n" -gt 600 &&
	k=$((n * 7 / 10)) &&
	to=$($PY "$EVAL" --date sig.tmt $((k - 1))) &&
	from=$($PY "$EVAL" --date sig.tmt $k) &&
	for s in sig lead-s none; do
		tm-cat --to "$to" $s.tmt >$s-train.tmt &&
		tm-cat --from "$from" $s.tmt >$s-oos.tmt || return 1
	done &&
	$PY -c "exec(open(\"$EVAL\").read().split(\"if sys.argv[1] ==\")[0])
a = list(frames(\"sig-train.tmt\")); b = list(frames(\"sig-oos.tmt\"))
assert len(a) == $k and len(a) + len(b) == $n
assert a[-1][0][\"coords\"][\"date\"] < b[0][0][\"coords\"][\"date\"]"
'

test_expect_success 'the signal as planted predicts t+1, the lead one t+2' '
	$PY - <<-\PYEOF
	exec(open("'"$EVAL"'").read().split("if sys.argv[1] ==")[0])
	def corr(path, lag):
	    fr = list(frames(path)); f = fr[0][0]["labels"]["feature"]
	    S = np.array([a[:, f.index("signal")] for _, a in fr], float)
	    R = np.array([a[:, f.index("ret")] for _, a in fr], float)
	    x, y = S[:len(S) - lag], R[lag:]
	    with np.errstate(all="ignore"):
	        y = y - np.nanmean(y, axis=1, keepdims=True)
	    m = np.isfinite(x) & np.isfinite(y)
	    return np.corrcoef(x[m], y[m])[0, 1]
	c = [corr("sig.tmt", 1), corr("sig.tmt", 2), corr("lead-s.tmt", 2)]
	assert c[0] > 0.3 and abs(c[1]) < 0.05 and c[2] > 0.3, c
	PYEOF
'

# The bar: Sharpe 2 and return 20 points above equal weight's over the
# ~190 days out of sample.  An untrained policy (below) is a random
# concentrated book that can beat equal weight by a few points by luck:
# it must fail this bar.  edge FILE: no such edge either way (< bar).
bar() {
	$PY -c "
ms, es, mr, er = map(float, open('$1').read().split())
assert ms > es + 2 and mr > er + 0.20, (ms, es, mr, er)"
}
noedge() {
	$PY -c "
ms, es, mr, er = map(float, open('$1').read().split())
assert ms - es < 2 and mr - er < 0.20, (ms, es, mr, er)"
}

# score MODEL STREAM: out-of-sample weights and their score, and the
# model must have read the features it should.
score() {
	tm-infer -m "$1.tmt" <"$2-oos.tmt" >"$1.out" &&
	$PY "$EVAL" "$2-oos.tmt" "$1.out" 0 >"$1.score" &&
	cat "$1.score" &&
	$PY -c "exec(open('$EVAL').read().split('if sys.argv[1] ==')[0])
f = list(frames('$1.tmt'))[1][0]['labels']['feature']
assert ('signal' in f) == ('$2' != 'none'), f"
}

learn() {
	algo=$1; shift
	test_expect_success "$algo beats equal weight out of sample on the tradable signal" "
		tm-train -q --algo $algo --seed 1 $* -o $algo.tmt <lead-s-train.tmt &&
		score $algo lead-s && bar $algo.score
	"
}
# Under ASan the trainers run 2-3 times slower: dpg only there.
learn dpg
if [ -z "${TM_SAN:-}" ]; then
	# epochs: the best validation epoch of each came at or before these
	learn ppo --epochs 5
	learn a2c
	learn sac --epochs 2
else
	test_skip 'ppo, a2c, sac on the tradable signal' 'sanitizer pass: dpg only'
fi

test_expect_success 'an untrained policy does not pass the bar' '
	tm-train -q --algo a2c --seed 1 --epochs 1 --lr 1e-9 -o still.tmt \
	    <lead-s-train.tmt &&
	score still lead-s && ! bar still.score 2>/dev/null
'

test_expect_success 'without -c signal, dpg shows no large edge' '
	tm-train -q --algo dpg --seed 1 -o blind.tmt <none-train.tmt &&
	score blind none && noedge blind.score
'

test_expect_success 'the signal as planted gives dpg no large edge (no look-ahead)' '
	tm-train -q --algo dpg --seed 1 -o late.tmt <sig-train.tmt &&
	score late sig && noedge late.score
'

# What the task asked for, with tm-synth's signal as planted, cannot
# hold under the execution timing (see the top); measured with seed 1
# and the epochs above (model Sharpe vs EW's, model return vs EW's; on
# the lead fixture the same runs give Sharpe 6.4 to 14.2, return +204%
# and up; the untrained control 0.24 and +2.2%):
test_skip 'dpg beats equal weight on the signal as planted' \
	'unexploitable (t+1 predictor): -0.45 vs -0.25, -9.9% vs -5.7%'
test_skip 'ppo beats equal weight on the signal as planted' \
	'unexploitable (t+1 predictor): -0.30 vs -0.25, -6.3% vs -5.7%'
test_skip 'a2c beats equal weight on the signal as planted' \
	'unexploitable (t+1 predictor): -0.41 vs -0.25, -8.2% vs -5.7%'
test_skip 'sac beats equal weight on the signal as planted' \
	'unexploitable (t+1 predictor): -1.01 vs -0.25, -31.3% vs -5.7%'
test_done
