#!/bin/sh
# tm-features fundamentals: point in time (a filing counts from its date,
# never before), per-share values brought through later splits, NaN when
# unknown, and the fundamentals stream never read ahead of the prices.
. "$(dirname "$0")/lib.sh"

test_need_numpy
REF="$PY $TOP/tests/helpers/ref_ta.py"

test_expect_success 'tm-synth market: pe and log_mcap from the latest filing' '
	tm-synth -n 60 -y 3 --seed 3 -o m &&
	tm-features -f m/fundamentals.tmt m/prices.tmt >f.tmt &&
	$REF check-fund m/prices.tmt m/fundamentals.tmt f.tmt
'

test_expect_success 'a filing applies from its date on, unknown fields are NaN' '
	$REF fixture >fx.tmt &&
	$PY - <<-\PYEOF &&
	import sys, tmt_np
	import numpy as np
	w = tmt_np.Writer(open("fund.tmt", "wb"))
	lab = {"ticker": ["AAA"], "field": ["eps", "bvps", "shares"]}
	w.frame(np.array([[2.0, 10.0, 1e6]]), ["ticker", "field"], lab,
	    {"date": "2015-02-14"})	# a Saturday: counts from Monday
	w.frame(np.array([[4.0, 20.0, 1e6]]), ["ticker", "field"], lab,
	    {"date": "2015-03-02"})
	w.end()
	PYEOF
	tm-features -f fund.tmt -k pe,pb,ps,eps fx.tmt >f2.tmt &&
	tm-cat -o csv f2.tmt | grep ",AAA," >aaa.csv &&
	grep "^2015-02-13,AAA,,,,," aaa.csv &&
	grep "^2015-02-16,AAA,[0-9.]*,[0-9.]*,,2," aaa.csv &&
	grep "^2015-02-27,AAA,[0-9.]*,[0-9.]*,,2," aaa.csv &&
	grep "^2015-03-02,AAA,[0-9.]*,[0-9.]*,,4," aaa.csv
'

test_expect_success 'fundamentals past the last price day change nothing before' '
	tm-cat --to 2016-06-30 m/prices.tmt >part.tmt &&
	tm-features -f m/fundamentals.tmt part.tmt >fpart.tmt &&
	$REF same-prefix f.tmt fpart.tmt
'

test_expect_success 'a bad fundamentals stream is bad data' '
	printf "junk" >bad.tmt &&
	test_must_fail --status 65 tm-features -f bad.tmt fx.tmt >/dev/null
'

test_done
