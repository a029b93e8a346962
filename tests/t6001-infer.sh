#!/bin/sh
# tm-infer: output layout, weights that sum to 1, masks, refusals, and no
# look-ahead (another future after day t leaves days up to t unchanged).
. "$(dirname "$0")/lib.sh"

test_need_numpy
EVAL=$TOP/tests/helpers/tm_train_eval.py

test_expect_success 'setup: a small model' '
	tmt-slots -n 30 -a 5 -p 5 -d 80 -k 0.3 -s 3 >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 3 --valid 20 -o model.tmt \
	    <slots.tmt &&
	test -s model.tmt
'

test_expect_success 'one frame per day, weights and cash sum to 1' '
	tm-infer -m model.tmt <slots.tmt >out.tmt &&
	$PY - <<-PYEOF
	import sys; sys.argv = ["x"]
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	ins = list(frames("slots.tmt")); outs = list(frames("out.tmt"))
	assert len(ins) == len(outs) == 80, (len(ins), len(outs))
	for (hi, a), (ho, o) in zip(ins, outs):
	    assert ho["labels"]["field"] == ["weight", "confidence"]
	    assert ho["labels"]["slot"] == hi["labels"]["slot"]
	    assert ho["coords"]["date"] == hi["coords"]["date"]
	    w, c = o[:, 0], o[:, 1]
	    assert abs(w.sum() + ho["coords"]["cash"] - 1) < 1e-5, w.sum()
	    assert (w >= 0).all() and (c >= 0).all() and (c <= 1).all()
	    assert (w[35:] == 0).all() and (c[35:] == 0).all(), "padding"
	PYEOF
'

test_expect_success 'archived slots never gain weight' '
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	outs = [o for _, o in frames("out.tmt")]
	for a, b in zip(outs, outs[1:]):
	    assert (b[30:35, 0] <= a[30:35, 0] + 1e-7).all()
	PYEOF
'

test_expect_success '--last writes only the last frame, the same bytes' '
	tm-infer --last -m model.tmt <slots.tmt >last.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	a = list(frames("out.tmt")); b = list(frames("last.tmt"))
	assert len(b) == 1 and (a[-1][1] == b[0][1]).all()
	PYEOF
'

test_expect_success 'no look-ahead: another future after day 50' '
	tmt-slots -n 30 -a 5 -p 5 -d 80 -k 0.3 -s 3 -x 50 >alt.tmt &&
	tm-infer -m model.tmt <alt.tmt >alt-out.tmt &&
	$PY "$EVAL" --same slots.tmt alt.tmt 50 &&
	$PY "$EVAL" --same out.tmt alt-out.tmt 50
'

test_expect_success '--weights seeds the first day from a weight frame' '
	tm-infer -m model.tmt --weights last.tmt <slots.tmt >w.tmt &&
	! cmp -s w.tmt out.tmt
'

test_expect_success 'a model whose features are missing is refused (65)' '
	tmt-slots -n 30 -d 20 -f 2 >fewer.tmt &&
	test_must_fail --status 65 tm-infer -m model.tmt <fewer.tmt 2>err &&
	grep "f2" err
'

test_expect_success 'a flat model on another slot count is refused (65)' '
	tm-train -q --algo dpg --arch flat --seed 1 --epochs 1 --valid 20 \
	    -o flat.tmt <slots.tmt &&
	tm-infer -m flat.tmt <slots.tmt >/dev/null &&
	tmt-slots -n 20 -d 20 >other.tmt &&
	test_must_fail --status 65 tm-infer -m flat.tmt <other.tmt
'

test_expect_success 'missing model 66, not a model 65, usage 64' '
	test_must_fail --status 66 tm-infer -m nosuch.tmt <slots.tmt &&
	test_must_fail --status 65 tm-infer -m slots.tmt <slots.tmt &&
	test_must_fail --status 64 tm-infer <slots.tmt &&
	test_must_fail --status 64 tm-infer -m model.tmt extra <slots.tmt
'

test_expect_success 'a stream that is not slots is refused (65)' '
	printf "garbage" | test_must_fail --status 65 tm-infer -m model.tmt
'
test_expect_success '--adjust a: the first day is a times the full move from cash' '
	tm-cat --to "$(tm-cat --info slots.tmt | head -n 1 |
	    sed -n "s/.*\"date\":\"\([0-9-]*\)\".*/\1/p")" slots.tmt >day1.tmt &&
	tm-infer -m model.tmt <day1.tmt >full1.tmt &&
	tm-infer -m model.tmt --adjust 0.25 <day1.tmt >adj1.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	(hf, f), = frames("full1.tmt"); (ha, a), = frames("adj1.tmt")
	import numpy as np
	assert f[:, 0].sum() > 0.5, f[:, 0].sum()
	assert np.allclose(a[:, 0], 0.25 * f[:, 0], rtol=1e-6, atol=1e-9)
	assert abs(ha["coords"]["cash"] - (1 - 0.25 * (1 - hf["coords"]["cash"]))) < 1e-6
	assert (a[:, 1] == f[:, 1]).all(), "confidence: the head, unadjusted"
	assert ha["meta"]["model"] != hf["meta"]["model"], "the version names the adjust"
	PYEOF
'

test_expect_success '--adjust: every day moves that fraction, turnover falls' '
	tm-infer -m model.tmt --adjust 0.25 <slots.tmt >adj.tmt &&
	tm-infer -m model.tmt --adjust 1 <slots.tmt >one.tmt &&
	cmp one.tmt out.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	import numpy as np
	W = np.array([o[:, 0] for _, o in frames("adj.tmt")], dtype=float)
	F = np.array([o[:, 0] for _, o in frames("out.tmt")], dtype=float)
	ta = np.abs(np.diff(W, axis=0)).sum(1).mean()
	tf = np.abs(np.diff(F, axis=0)).sum(1).mean()
	assert ta < 0.5 * tf, (ta, tf)
	assert (W >= -1e-7).all() and (W.sum(1) <= 1 + 1e-5).all()
	PYEOF
'

test_expect_success '--cap w: no slot above w, the excess water-filled (numpy)' '
	tm-infer -m model.tmt --cap 0.04 <day1.tmt >cap1.tmt &&
	tm-infer -m model.tmt --cap 0.04 <slots.tmt >cap.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	import numpy as np
	(hf, f), = frames("full1.tmt"); (hc, c), = frames("cap1.tmt")
	(hs, sl), = frames("day1.tmt")
	kind = sl[:, hs["labels"]["feature"].index("region")]
	w = f[:, 0].astype(float); cash = hf["coords"]["cash"]
	assert w.max() > 0.04, w.max()
	act = kind == 0
	for _ in range(len(w)):
	    ex = np.clip(w - 0.04, 0, None).sum()
	    if ex <= 0:
	        break
	    w = np.minimum(w, 0.04)
	    below = act & (w < 0.04)
	    if w[below].sum() <= 0:
	        cash += ex
	        break
	    w[below] += ex * w[below] / w[below].sum()
	assert np.allclose(c[:, 0], w, rtol=1e-5, atol=1e-7), abs(c[:, 0] - w).max()
	assert abs(hc["coords"]["cash"] - cash) < 1e-6
	for h, o in frames("cap.tmt"):
	    assert o[:, 0].max() <= 0.04 + 1e-7, (h["coords"]["date"], o[:, 0].max())
	    assert abs(o[:, 0].sum() + h["coords"]["cash"] - 1) < 1e-5
	PYEOF
'

test_expect_success '--cap 1 changes nothing' '
	tm-infer -m model.tmt --cap 1 <slots.tmt >cap1all.tmt &&
	cmp cap1all.tmt out.tmt
'

test_expect_success '--adjust out of (0, 1] is a usage error' '
	test_must_fail --status 64 tm-infer -m model.tmt --adjust 0 <day1.tmt &&
	test_must_fail --status 64 tm-infer -m model.tmt --adjust 1.5 <day1.tmt &&
	test_must_fail --status 64 tm-infer -m model.tmt --cap 0 <day1.tmt
'

test_done
