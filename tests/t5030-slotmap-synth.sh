#!/bin/sh
# tm-slotmap against an independent model (tests/data/slotmap/check-slots.py,
# reading the streams with tests/helpers/tmt_np.py): the hand fixture, a long daily
# churn, and ten years of tm-synth membership through r1000.
. "$(dirname "$0")/lib.sh"

test_need_numpy
D=$TOP/tests/data/slotmap
CHECK=$D/check-slots.py
export PY D CHECK

test_expect_success 'the model agrees on the reconstitution fixture' '
	tmt-mkframes <"$D/recon.frames" >recon.tmt &&
	tm-slotmap -l 4,2,1 --members "$D/recon.csv" recon.tmt >recon.out 2>/dev/null &&
	$PY "$CHECK" recon.tmt "$D/recon.csv" recon.out 4 2 1
'

test_expect_success 'the model catches a wrong run (it can fail)' '
	sed "/2020-06-01,AAA,remove/d" "$D/recon.csv" >other.csv &&
	test_must_fail $PY "$CHECK" recon.tmt other.csv recon.out 4 2 1 >msg &&
	grep "active" msg &&
	sed "/2021-08-02,CCC,add/d" "$D/recon.csv" >other2.csv &&
	tm-slotmap -l 4,2,1 --members other2.csv recon.tmt >other.out 2>/dev/null &&
	test_must_fail $PY "$CHECK" recon.tmt "$D/recon.csv" other.out 4 2 1
'

test_expect_success 'daily churn for 300 days, archive near full' '
	$PY "$D/gen-long.py" 300 200 gl &&
	tmt-mkframes <gl.txt >gl.tmt &&
	tm-slotmap -l 220,270,20 --members gl.csv gl.tmt >gl.out 2>err &&
	! grep "archive full" err &&
	$PY "$CHECK" gl.tmt gl.csv gl.out 220 270 20 >msg &&
	cat msg &&
	grep "at most 2[56][0-9] archived" msg
'

if command -v tm-synth >/dev/null 2>&1; then
	test_expect_success 'tm-synth: 10 years, 1,100 stocks' '
		tm-synth -n 1100 -y 10 --seed 1 -o syn &&
		test -s syn/prices.tmt && test -s syn/membership.csv
	'
	test_expect_success 'tm-synth membership through r1000: no overflow, no eviction' '
		tm-slotmap -l r1000 --members syn/membership.csv -s syn/state.json \
		    syn/prices.tmt >syn/slots.tmt 2>err &&
		! grep "archive full" err &&
		$PY -c "import json; json.load(open(\"syn/state.json\"))"
	'
	test_expect_success 'tm-synth run agrees with the model' '
		$PY "$CHECK" syn/prices.tmt syn/membership.csv syn/slots.tmt 1000 100 100
	'
else
	test_skip 'tm-synth: 10 years through r1000' 'bin/tm-synth not built'
fi

test_done
