#!/bin/sh
# tm-features --carry: input fields copied through as features, after the
# selected ones and before close and ret; NaN where a frame lacks the
# field; names that would repeat an output column are usage errors.
. "$(dirname "$0")/lib.sh"

test_need_numpy
[ -x "$TM_BIN/tm-synth" ] || test_skip_all 'needs tm-synth'

base=open,high,low,close,adjclose,volume,split,dividend

# 40 days with the signal, then 20 with it moved to the first column,
# then the rest without it: the column is looked up frame by frame.
test_expect_success 'setup: prices with a signal field in some frames' '
	tm-synth -n 12 -y 0.4 --seed 5 --signal 0.5 -o m &&
	$PY "$TOP/tests/helpers/tm_train_eval.py" --date m/prices.tmt 39 >d39 &&
	$PY "$TOP/tests/helpers/tm_train_eval.py" --date m/prices.tmt 40 >d40 &&
	$PY "$TOP/tests/helpers/tm_train_eval.py" --date m/prices.tmt 59 >d59 &&
	$PY "$TOP/tests/helpers/tm_train_eval.py" --date m/prices.tmt 60 >d60 &&
	tm-cat --to "$(cat d39)" m/prices.tmt >a.tmt &&
	tm-cat --from "$(cat d40)" --to "$(cat d59)" -k signal,'$base' \
	    m/prices.tmt >b.tmt &&
	tm-cat --from "$(cat d60)" -k '$base' m/prices.tmt >c.tmt &&
	tm-cat a.tmt b.tmt c.tmt >mixed.tmt
'

test_expect_success 'usage: collisions, repeats and empty lists exit 64' '
	test_must_fail --status 64 tm-features --carry rsi </dev/null &&
	test_must_fail --status 64 tm-features --carry close </dev/null &&
	test_must_fail --status 64 tm-features --carry ret </dev/null &&
	test_must_fail --status 64 tm-features --carry signal,signal </dev/null &&
	test_must_fail --status 64 tm-features -k rsi,macd --carry macd </dev/null &&
	test_must_fail --status 64 tm-features --set ta --carry obv </dev/null &&
	test_must_fail --status 64 tm-features --carry "" </dev/null &&
	test_must_fail --status 64 tm-features --carry a,,b </dev/null &&
	test_must_fail --status 64 tm-features --carry rsi </dev/null
'

test_expect_success 'a name not selected is no collision' '
	tm-features -k rsi --carry macd,signal mixed.tmt >k.tmt &&
	tm-features -k rsi mixed.tmt >k0.tmt
'

test_expect_success 'carried values equal the input of the day, NaN when absent; column order' '
	tm-features mixed.tmt >plain.tmt &&
	tm-features --carry signal,dividend mixed.tmt >carry.tmt &&
	tm-features --carry signal mixed.tmt >long.tmt &&
	$PY - <<-\PYEOF
	import sys, tmt_np
	import numpy as np
	def load(p):
	    return list(tmt_np.frames(open(p, "rb")))
	inp, plain, carry = load("mixed.tmt"), load("plain.tmt"), load("carry.tmt")
	long_, k, k0 = load("long.tmt"), load("k.tmt"), load("k0.tmt")
	assert len(inp) == len(plain) == len(carry) == len(long_) > 60
	nsig = 0
	for i, ((hi, ai), (hp, ap), (hc, ac), (hl, al)) in \
	        enumerate(zip(inp, plain, carry, long_)):
	    fi = hi["labels"]["field"]
	    fp, fc = hp["labels"]["feature"], hc["labels"]["feature"]
	    n = len(fp) - 2
	    assert fc == fp[:n] + ["signal", "dividend", "close", "ret"], fc
	    assert hl["labels"]["feature"] == fp[:n] + ["signal", "close", "ret"]
	    assert hc["coords"] == hp["coords"] and hc["labels"]["ticker"] == hp["labels"]["ticker"]
	    # the other columns are untouched
	    assert np.array_equal(ac[:, :n], ap[:, :n], equal_nan=True), i
	    assert np.array_equal(ac[:, n + 2:], ap[:, n:], equal_nan=True), i
	    # the carried ones are the input of the same day, as F32
	    assert np.array_equal(ac[:, n + 1], ai[:, fi.index("dividend")].astype(np.float32), equal_nan=True)
	    if "signal" in fi:
	        want = ai[:, fi.index("signal")].astype(np.float32)
	        assert np.isfinite(want).any()
	        nsig += 1
	    else:
	        want = np.full(len(ai), np.nan, np.float32)
	    assert (i < 60) == ("signal" in fi), i
	    assert np.array_equal(ac[:, n], want, equal_nan=True), i
	    assert np.array_equal(al[:, n], want, equal_nan=True), i
	assert nsig == 60
	for (hk, ak), (h0, a0), (hi, ai) in zip(k, k0, inp):
	    assert hk["labels"]["feature"] == ["rsi", "macd", "signal", "close", "ret"]
	    fi = hi["labels"]["field"]
	    assert np.isnan(ak[:, 1]).all()	# no macd field in prices
	    assert np.array_equal(ak[:, [0, 3, 4]], a0, equal_nan=True)
	PYEOF
'
test_done
