#!/bin/sh
# tm-backtest and tm-train agree: a model backtested in-process (-m) over
# the validation tail reproduces, to the last digit, the validation Sharpe
# and return tm-train stored for the epoch it kept; tm-infer's F32 weight
# stream over the same days gives the same run to float precision.
. "$(dirname "$0")/lib.sh"

test_need_numpy
EVAL=$TOP/tests/helpers/tm_train_eval.py

# 120 days, 20 for validation: decisions 98 .. 117 are validated.
test_expect_success 'setup: a model and its validation window' '
	tmt-slots -n 30 -a 5 -p 5 -d 120 -k 0.3 -s 3 -r 9 >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 3 --valid 20 -o model.tmt \
	    <slots.tmt &&
	"$PY" "$EVAL" --date slots.tmt 98 >from &&
	test -s from
'

test_expect_success 'tm-backtest -m: the validation Sharpe and return, bit for bit' '
	tm-backtest -q -m model.tmt --from "$(cat from)" --metrics m.json \
	    slots.tmt >eq.tmt &&
	"$PY" - <<-PYEOF
	import json, sys
	import tmt_np
	fr = [a for h, a in tmt_np.frames(open("model.tmt", "rb"))
	      if h["axes"] == ["epoch", "metric"]]
	M = fr[0]
	best = max(range(len(M)), key=lambda i: (M[i, 1], -i))
	m = json.load(open("m.json"))
	assert m["days"] == 20, m["days"]
	assert repr(m["sharpe"]) == repr(float(M[best, 2])), (m["sharpe"], M[best])
	assert repr(m["total_return"]) == repr(float(M[best, 3])), (m, M[best])
	PYEOF
'

test_expect_success 'tm-infer weights through tm-backtest -w: the same run' '
	tm-cat --from "$(cat from)" slots.tmt >tail.tmt &&
	tm-infer -m model.tmt <tail.tmt >w.tmt &&
	tm-backtest -q -w w.tmt --metrics mw.json tail.tmt >/dev/null &&
	"$PY" - <<-PYEOF
	import json
	a = json.load(open("m.json")); b = json.load(open("mw.json"))
	for k in ("sharpe", "total_return", "max_drawdown", "turnover"):
	    assert abs(a[k] - b[k]) <= 1e-5 * max(1, abs(a[k])), (k, a[k], b[k])
	assert b["days"] == 20
	PYEOF
'

test_expect_success '--band: tm-train validates through the same banded fill' '
	tm-train -q --algo dpg --seed 1 --epochs 3 --valid 20 --band 0.01 \
	    -o modelb.tmt <slots.tmt &&
	tm-cat --info modelb.tmt | grep -q "band.\{2,3\}0\.01[,}]" &&
	tm-backtest -q -m modelb.tmt --band 0.01 --from "$(cat from)" \
	    --metrics mb.json slots.tmt >/dev/null &&
	tm-backtest -q -m modelb.tmt --from "$(cat from)" \
	    --metrics mb0.json slots.tmt >/dev/null &&
	"$PY" - <<-PYEOF
	import json, sys
	import tmt_np
	fr = [(h, a) for h, a in tmt_np.frames(open("modelb.tmt", "rb"))
	      if h["axes"] == ["epoch", "metric"]]
	M = fr[0][1]
	best = max(range(len(M)), key=lambda i: (M[i, 1], -i))
	m = json.load(open("mb.json")); m0 = json.load(open("mb0.json"))
	assert repr(m["sharpe"]) == repr(float(M[best, 2])), (m["sharpe"], M[best])
	assert repr(m["total_return"]) == repr(float(M[best, 3])), (m, M[best])
	assert m["turnover"] < m0["turnover"], (m["turnover"], m0["turnover"])
	PYEOF
'

test_expect_success '--adjust, --cap: validation, tm-backtest -m and tm-infer alike' '
	tm-train -q --algo dpg --seed 1 --epochs 3 --valid 20 --adjust 0.3 \
	    --cap 0.1 -o modela.tmt <slots.tmt &&
	tm-cat --info modela.tmt | grep -q "\"adjust\":\"0.29999" &&
	tm-cat --info modela.tmt | grep -q "\"cap\":\"0.1000" &&
	tm-backtest -q -m modela.tmt --from "$(cat from)" --metrics ma.json \
	    slots.tmt >/dev/null &&
	tm-infer -m modela.tmt <tail.tmt >wa.tmt &&
	tm-backtest -q -w wa.tmt --metrics mwa.json tail.tmt >/dev/null &&
	"$PY" - <<-PYEOF
	import json, sys
	import tmt_np
	M = [a for h, a in tmt_np.frames(open("modela.tmt", "rb"))
	     if h["axes"] == ["epoch", "metric"]][0]
	best = max(range(len(M)), key=lambda i: (M[i, 1], -i))
	m = json.load(open("ma.json")); b = json.load(open("mwa.json"))
	assert repr(m["sharpe"]) == repr(float(M[best, 2])), (m["sharpe"], M[best])
	assert repr(m["total_return"]) == repr(float(M[best, 3])), (m, M[best])
	for k in ("sharpe", "total_return", "turnover"):
	    assert abs(m[k] - b[k]) <= 1e-5 * max(1, abs(m[k])), (k, m[k], b[k])
	PYEOF
'

test_expect_success '--xsec: validation and tm-backtest -m agree; recorded' '
	tm-train -q --algo dpg --seed 1 --epochs 3 --valid 20 --xsec \
	    -o modelx.tmt <slots.tmt &&
	tm-cat --info modelx.tmt | grep -q "\"xsec\":\"1\"" &&
	tm-backtest -q -m modelx.tmt --from "$(cat from)" --metrics mx.json \
	    slots.tmt >/dev/null &&
	"$PY" - <<-PYEOF
	import json, sys
	import tmt_np
	M = [a for h, a in tmt_np.frames(open("modelx.tmt", "rb"))
	     if h["axes"] == ["epoch", "metric"]][0]
	best = max(range(len(M)), key=lambda i: (M[i, 1], -i))
	m = json.load(open("mx.json"))
	assert repr(m["sharpe"]) == repr(float(M[best, 2])), (m["sharpe"], M[best])
	PYEOF
'

# A shift of one feature by a constant of the day, the same for every
# slot, is invisible to a model that standardises across the day, and
# moves one that does not.
test_expect_success '--xsec: a per-day shift of a feature leaves the weights' '
	"$PY" - <<-PYEOF &&
	import sys, math
	import tmt_np
	import numpy as np
	w = tmt_np.Writer(open("shift.tmt", "wb"))
	for t, (h, a) in enumerate(tmt_np.frames(open("tail.tmt", "rb"))):
	    a = a.copy()
	    j = h["labels"]["feature"].index("f1")
	    a[:, j] += np.float32(0.05 * math.sin(t))
	    w.frame(a, h["axes"], h["labels"], h.get("coords"), h.get("meta"))
	w.end()
	PYEOF
	tm-infer -m modelx.tmt <tail.tmt >x0.tmt &&
	tm-infer -m modelx.tmt <shift.tmt >x1.tmt &&
	tm-infer -m model.tmt <tail.tmt >p0.tmt &&
	tm-infer -m model.tmt <shift.tmt >p1.tmt &&
	"$PY" - <<-PYEOF
	import sys
	import tmt_np
	import numpy as np
	def W(f):
	    return np.array([a[:, 0] for h, a in tmt_np.frames(open(f, "rb"))])
	dx = np.abs(W("x0.tmt") - W("x1.tmt")).max()
	dp = np.abs(W("p0.tmt") - W("p1.tmt")).max()
	assert dx < 1e-5, dx
	assert dp > 1e-4, dp
	PYEOF
'

test_expect_success 'tm-backtest -m: a missing model 66, a bad one 65' '
	test_must_fail --status 66 tm-backtest -q -m nosuch.tmt slots.tmt \
	    >/dev/null &&
	test_must_fail --status 65 tm-backtest -q -m slots.tmt slots.tmt \
	    >/dev/null
'
test_done
