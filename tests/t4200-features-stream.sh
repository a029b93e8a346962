#!/bin/sh
# tm-features streams: no look-ahead (a day's frame is bit-identical
# whether the input stops there or goes on), IPOs warm up from their first
# bar, halts and NaN bars invent nothing, and splits (as traded, or
# already adjusted by the source) do not show up as crashes.
. "$(dirname "$0")/lib.sh"

test_need_numpy
REF="$PY $TOP/tests/helpers/ref_ta.py"

test_expect_success 'no look-ahead: truncated input gives the same frames' '
	tm-synth -n 60 -y 2 --seed 3 -o m &&
	tm-features -f m/fundamentals.tmt m/prices.tmt >full.tmt &&
	for d in 2015-03-02 2016-01-04 2016-06-30; do
		tm-cat --to $d m/prices.tmt >part.tmt &&
		tm-features -f m/fundamentals.tmt part.tmt >fpart.tmt &&
		$REF same-prefix full.tmt fpart.tmt || return 1
	done &&
	tm-features --set ta m/prices.tmt >fullta.tmt &&
	tm-features --set ta part.tmt >partta.tmt &&
	$REF same-prefix fullta.tmt partta.tmt
'

test_expect_success 'fixture: IPO, halt, NaN bar and splits against references' '
	$REF fixture >fx.tmt &&
	tm-features --set ta fx.tmt >fx-ta.tmt &&
	tm-features fx.tmt >fx-def.tmt &&
	tm-features --set finrl fx.tmt >fx-fr.tmt &&
	$REF check-ta fx.tmt fx-ta.tmt AAA IPO HALT ADJ &&
	$REF check-default fx.tmt fx-def.tmt &&
	$REF check-finrl fx.tmt fx-fr.tmt
'

test_expect_success 'fixture: warm-up, gaps and split days, spelled out' '
	$PY - <<-\PYEOF
	import sys, tmt_np
	import numpy as np
	fr = list(tmt_np.frames(open("fx-def.tmt", "rb")))
	ta = list(tmt_np.frames(open("fx-ta.tmt", "rb")))
	def val(frames, d, t, n):
	    h, a = frames[d]
	    if t not in h["labels"]["ticker"]:
	        return None
	    return a[h["labels"]["ticker"].index(t), h["labels"]["feature"].index(n)]
	# IPO lists on day 100: RSI(14) needs 15 bars, MACD signal 34
	assert val(ta, 99, "IPO", "rsi_14") is None
	assert np.isnan(val(ta, 113, "IPO", "rsi_14"))
	assert np.isfinite(val(ta, 114, "IPO", "rsi_14"))
	assert np.isnan(val(ta, 132, "IPO", "macd_signal"))
	assert np.isfinite(val(ta, 133, "IPO", "macd_signal"))
	assert np.isnan(val(fr, 100, "IPO", "ret")) and np.isfinite(val(fr, 101, "IPO", "ret"))
	# HALT: absent days 50..59, NaN bar on day 80: the bars after go on
	# from the last real one (SMA-60 needs 60 real bars: 50 before the
	# halt and 10 after make day 69, not day 59)
	assert val(ta, 55, "HALT", "rsi_14") is None
	assert all(np.isnan(val(fr, 80, "HALT", n)) for n in ("rsi", "close", "ret"))
	assert val(fr, 80, "HALT", "pad0") == 0
	assert np.isnan(val(ta, 68, "HALT", "sma_60"))
	assert np.isfinite(val(ta, 69, "HALT", "sma_60"))
	# SPL splits 4:1 as traded on day 150; ADJ carries split 2 on
	# day 120 with prices the source already adjusted
	for t, d in (("SPL", 150), ("ADJ", 120)):
	    r = val(fr, d, t, "ret")
	    assert abs(r) < 0.15, (t, r)
	    for n in ("rsi", "close_sma30", "natr", "cci", "bb_pctb"):
	        a, b = val(fr, d - 1, t, n), val(fr, d, t, n)
	        assert abs(b - a) < 1.0, (t, n, a, b)
	assert abs(val(fr, 150, "SPL", "close_sma30")) < 0.2
	PYEOF
'

test_expect_success 'tm-synth splits: scale-free features match back-adjusted references' '
	$PY - m/prices.tmt <<-\PYEOF &&
	import sys, ref_ta
	_, ps = ref_ta.load_prices(sys.argv[1])
	n = sum(ref_ta.has_split(s) for s in ps.values())
	assert n > 0, "no splits in the market"
	PYEOF
	$REF check-default m/prices.tmt full.tmt
'

test_done
