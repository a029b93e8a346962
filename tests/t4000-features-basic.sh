#!/bin/sh
# tm-features: options, exit codes, the feature-stream layout of
# CONVENTIONS.md and -k selection.
. "$(dirname "$0")/lib.sh"

test_need_numpy

test_expect_success 'usage errors exit 64 and print the synopsis' '
	test_must_fail --status 64 tm-features -q </dev/null &&
	test_must_fail --status 64 tm-features --set nosuch </dev/null &&
	test_must_fail --status 64 tm-features -k nosuch </dev/null &&
	test_must_fail --status 64 tm-features -k rsi,rsi </dev/null &&
	test_must_fail --status 64 tm-features -k close </dev/null &&
	test_must_fail --status 64 tm-features --buckets 0 </dev/null &&
	test_must_fail --status 64 tm-features --buckets 65 </dev/null &&
	tm-features -q 2>err </dev/null || test $? = 64 &&
	grep "^usage: tm-features \[-z\] \[-f fundamentals\] \[-k list\] \[--buckets buckets\]" err
'

test_expect_success 'missing input 66, bad stream 65, closed stdout fails' '
	test_must_fail --status 66 tm-features nosuch.tmt &&
	test_must_fail --status 66 tm-features -f nosuch.tmt </dev/null &&
	printf "not a stream" >junk &&
	test_must_fail --status 65 tm-features junk &&
	$PY "$TOP/tests/helpers/ref_ta.py" fixture >fx.tmt &&
	test_must_fail tm-features fx.tmt >&-
'

test_expect_success 'frames out of date order are bad data' '
	cat fx.tmt fx.tmt >twice.tmt &&
	test_must_fail --status 65 tm-features twice.tmt >/dev/null 2>err &&
	grep "dates not ascending" err
'

test_expect_success 'default set: 32 features then close and ret, F32, turbulence' '
	tm-features fx.tmt >def.tmt &&
	$PY - def.tmt fx.tmt <<-\PYEOF
	import sys, tmt_np
	want = ("rsi macd macd_signal macd_hist bb_pctb bb_width cci dx "
	    "close_sma30 close_sma60 natr vol20 ret_5 ret_20 vol_z pe pb ps eps "
	    "eps_growth roe de div_yield margin log_mcap new tenure pad0 pad1 "
	    "pad2 pad3 pad4 close ret").split()
	out = list(tmt_np.frames(open(sys.argv[1], "rb")))
	inp = list(tmt_np.frames(open(sys.argv[2], "rb")))
	assert len(out) == len(inp) == 300, len(out)
	for (h, a), (hi, ai) in zip(out, inp):
	    assert h["dtype"] == "F32" and h["axes"] == ["ticker", "feature"]
	    assert h["labels"]["feature"] == want, h["labels"]["feature"]
	    assert h["labels"]["ticker"] == hi["labels"]["ticker"]
	    assert h["coords"]["date"] == hi["coords"]["date"]
	    t = h["coords"]["turbulence"]
	    assert isinstance(t, float) and t == t and t >= 0
	    assert (a[:, 25:32] == 0).all()	# new, tenure, padding
	PYEOF
'

test_expect_success '-k picks and orders features; --set decides a shared name' '
	tm-features -k ret_5,rsi,obv fx.tmt >k.tmt &&
	tm-features --set ta -k macd fx.tmt >kta.tmt &&
	tm-features --set finrl -k macd fx.tmt >kfr.tmt &&
	tm-features --set ta fx.tmt >ta.tmt &&
	tm-features --set finrl fx.tmt >fr.tmt &&
	tm-features fx.tmt >def.tmt &&
	$PY - <<-\PYEOF
	import sys, tmt_np
	import numpy as np
	def load(p):
	    return list(tmt_np.frames(open(p, "rb")))
	k, kta, kfr = load("k.tmt"), load("kta.tmt"), load("kfr.tmt")
	ta, fr, de = load("ta.tmt"), load("fr.tmt"), load("def.tmt")
	assert k[0][0]["labels"]["feature"] == ["ret_5", "rsi", "obv", "close", "ret"]
	f = lambda fr_, n: fr_[0]["labels"]["feature"].index(n)
	for i in range(len(k)):
	    a = k[i][1]
	    assert np.array_equal(a[:, 0], de[i][1][:, f(de[i], "ret_5")], equal_nan=True)
	    assert np.array_equal(a[:, 1], de[i][1][:, f(de[i], "rsi")], equal_nan=True)
	    assert np.array_equal(a[:, 2], ta[i][1][:, f(ta[i], "obv")], equal_nan=True)
	    assert np.array_equal(kta[i][1][:, 0], ta[i][1][:, f(ta[i], "macd")], equal_nan=True)
	    assert np.array_equal(kfr[i][1][:, 0], fr[i][1][:, f(fr[i], "macd")], equal_nan=True)
	# TA-Lib and stockstats seed their EMAs apart: early values differ
	assert not np.allclose(ta[27][1][0, 2], fr[27][1][0, 0])
	PYEOF
'

test_expect_success '-z writes deflated frames with the same values' '
	tm-features -z fx.tmt >z.tmt &&
	tm-features fx.tmt >raw.tmt &&
	! cmp -s z.tmt raw.tmt &&
	tm-cat -o csv z.tmt >z.csv && tm-cat -o csv raw.tmt >raw.csv &&
	test_cmp raw.csv z.csv
'

test_done
