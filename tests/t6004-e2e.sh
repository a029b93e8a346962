#!/bin/sh
# End to end: tm-synth | tm-features | tm-slotmap | tm-train, tm-infer.
. "$(dirname "$0")/lib.sh"

for t in tm-synth tm-features tm-slotmap; do
	[ -x "$TM_BIN/$t" ] || test_skip_all "needs $t"
done
PY=/usr/bin/python3
EVAL=$TOP/tests/helpers/tm_train_eval.py

test_expect_success 'setup: a year of a synthetic market in r1000 slots' '
	tm-synth -n 60 -y 1 -o syn --seed 3 &&
	tm-features -f syn/fundamentals.tmt syn/prices.tmt |
	    tm-slotmap --members syn/membership.csv >slots.tmt
'

test_expect_success 'train on the slot stream and infer the last day' '
	tm-train -q --algo dpg --seed 1 --epochs 2 -o m.tmt <slots.tmt &&
	tm-infer --last -m m.tmt <slots.tmt >last.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	(h, o), = list(frames("last.tmt"))
	assert o.shape == (1200, 2) and h["meta"]["layout"] == "r1000"
	assert abs(o[:, 0].sum() + h["coords"]["cash"] - 1) < 1e-5
	assert (o[1100:, 0] == 0).all(), "padding slots hold nothing"
	PYEOF
'
test_done
