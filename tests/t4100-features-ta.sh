#!/bin/sh
# tm-features against independent numpy references (tests/helpers/ref_ta.py):
# every --set ta value within 1e-6 relative of TA-Lib's definitions after
# warm-up and NaN exactly during it, --set finrl against stockstats', the
# default set and turbulence; on the real DOW30 sample and on a synthetic
# market (always there).
. "$(dirname "$0")/lib.sh"

test_need_numpy
REF="$PY $TOP/tests/helpers/ref_ta.py"
DOW=${SHARED_DATA:+$SHARED_DATA/sample/dow30_daily_2016_2017.csv}

if [ -n "$DOW" ] && [ -r "$DOW" ]; then
	test_expect_success 'import the DOW30 sample (30 tickers x 470 days)' '
		$REF import "$DOW" >dow.tmt &&
		tm-features --set ta dow.tmt >dow-ta.tmt &&
		tm-features --set finrl dow.tmt >dow-finrl.tmt &&
		tm-features dow.tmt >dow-def.tmt
	'
	test_expect_success 'DOW30: --set ta equals TA-Lib definitions' '
		$REF check-ta dow.tmt dow-ta.tmt
	'
	test_expect_success 'DOW30: --set finrl equals stockstats definitions' '
		$REF check-finrl dow.tmt dow-finrl.tmt
	'
	test_expect_success 'DOW30: default set and carried close, ret' '
		$REF check-default dow.tmt dow-def.tmt
	'
	test_expect_success 'DOW30: turbulence (11 buckets) equals FinRL formula' '
		$REF check-turb dow.tmt dow-def.tmt
	'
	test_expect_success 'DOW30: turbulence with 64 buckets (-b 64)' '
		tm-features --buckets 64 -k rsi dow.tmt >dow-b64.tmt &&
		$REF check-turb dow.tmt dow-b64.tmt 64
	'
else
	test_skip 'DOW30 sample checks' 'no $SHARED_DATA/sample/dow30_daily_2016_2017.csv'
fi

test_expect_success 'synthetic market: ta, finrl, default, turbulence' '
	tm-synth -n 40 -y 2 --seed 11 >syn.tmt &&
	tm-features --set ta syn.tmt >syn-ta.tmt &&
	tm-features --set finrl syn.tmt >syn-finrl.tmt &&
	tm-features syn.tmt >syn-def.tmt &&
	$REF check-ta syn.tmt syn-ta.tmt &&
	$REF check-finrl syn.tmt syn-finrl.tmt &&
	$REF check-default syn.tmt syn-def.tmt &&
	$REF check-turb syn.tmt syn-def.tmt
'

test_done
