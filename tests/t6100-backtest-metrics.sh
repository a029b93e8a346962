#!/bin/sh
# tm-backtest: the equity stream and every metric against an independent
# numpy simulation and empyrical's definitions (tests/helpers/backtest_ref.py),
# buy-and-hold equal to the ticker's own compounded return, the trade
# list, --long-only, and the refusals.
. "$(dirname "$0")/lib.sh"

test_need_numpy
REF=$TOP/tests/helpers/backtest_ref.py

test_expect_success 'setup: four tickers, daily weights with shorts' '
	"$PY" "$REF" make . 300 5 &&
	tmt-mkframes <slots.txt >slots.tmt &&
	tmt-mkframes -t F64 <weights.txt >w64.tmt &&
	tmt-mkframes <weights.txt >w32.tmt
'

test_expect_success 'metrics and equity match numpy (cost, benchmark)' '
	tm-backtest -q -b B -w w64.tmt --metrics m.json slots.tmt >eq.tmt &&
	"$PY" "$REF" check slots.tmt w64.tmt eq.tmt m.json 0.001 B
'

test_expect_success '--band 0 is the fill without a band, bit for bit' '
	tm-backtest -q -b B --band 0 -w w64.tmt --metrics mb0.json slots.tmt \
	    >eqb0.tmt &&
	cmp eq.tmt eqb0.tmt
'

test_expect_success '--band: the no-trade band matches numpy, and trades less' '
	tm-backtest -q -b B --band 0.2 -w w64.tmt --metrics mb.json \
	    slots.tmt >eqb.tmt &&
	"$PY" "$REF" check slots.tmt w64.tmt eqb.tmt mb.json 0.001 B 0.2 &&
	"$PY" -c "import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert b[\"band\"] == 0.2 and a[\"band\"] == 0, (a[\"band\"], b[\"band\"])
assert b[\"turnover\"] < 0.9 * a[\"turnover\"], (a[\"turnover\"], b[\"turnover\"])
" m.json mb.json &&
	! "$PY" "$REF" check slots.tmt w64.tmt eqb.tmt mb.json 0.001 B 2>/dev/null
'

# tm-diff's paper portfolio with every rule off is the environment's
# book: its index, scored by --index, gives a run's metrics.
test_expect_success '--index: tm-diff with the rules off scores as -w does' '
	tm-strategy equal <slots.tmt >eqw.tmt &&
	mkdir ist &&
	tm-diff -s ist --slots slots.tmt --off all --threshold 0 eqw.tmt \
	    >recs.tmt 2>/dev/null &&
	tm-backtest -q -b B -w eqw.tmt --metrics mw.json slots.tmt >eqw.eq &&
	tm-backtest -q -b B --index recs.tmt --metrics mi.json slots.tmt \
	    >eqi.eq &&
	"$PY" - <<-PYEOF
	import json, sys
	import tmt_np
	a = json.load(open("mw.json")); b = json.load(open("mi.json"))
	assert b["days"] == a["days"] == 298, (a["days"], b["days"])
	assert b["turnover"] is None and a["turnover"] > 0
	for k in ("total_return", "final_value", "max_drawdown", "mdd_trough",
	          "from", "to", "bench_return"):
	    assert b[k] == a[k], (k, a[k], b[k])
	for k in ("sharpe", "sortino", "cagr", "volatility", "beta", "alpha"):
	    assert abs(a[k] - b[k]) <= 1e-9 * max(1, abs(a[k])), (k, a[k], b[k])
	E = [x for _, x in tmt_np.frames(open("eqi.eq", "rb"))]
	W = [x for _, x in tmt_np.frames(open("eqw.eq", "rb"))]
	assert len(E) == len(W) == 298
	assert all(abs(e[0, 0] - w[0, 0]) < 1e-12 for e, w in zip(E, W))
	PYEOF
'

test_expect_success '--index: a day without an index 65, a frame without one 65' '
	tm-cat --to 2021-06-30 recs.tmt >short.tmt &&
	test_must_fail --status 65 tm-backtest -q --index short.tmt slots.tmt \
	    >/dev/null 2>err &&
	grep -q "no index for 2021-07-01" err &&
	test_must_fail --status 65 tm-backtest -q --index eqw.tmt slots.tmt \
	    >/dev/null 2>err &&
	grep -q "coords.index" err &&
	test_must_fail --status 64 tm-backtest -q --index recs.tmt \
	    --trades t.csv slots.tmt >/dev/null &&
	test_must_fail --status 64 tm-backtest -q --index recs.tmt -w eqw.tmt \
	    slots.tmt >/dev/null &&
	! test -e t.csv
'

test_expect_success '--band out of range is a usage error' '
	test_must_fail --status 64 tm-backtest -q --band -0.1 -w w64.tmt slots.tmt &&
	test_must_fail --status 64 tm-backtest -q --band 2 -w w64.tmt slots.tmt
'

test_expect_success 'metrics match numpy (no cost, no benchmark, F32 weights)' '
	tm-backtest -q --cost 0 -w w32.tmt --metrics m0.json <slots.tmt >eq0.tmt &&
	"$PY" "$REF" check slots.tmt w32.tmt eq0.tmt m0.json 0 &&
	! grep -q beta m0.json
'

# One frame on the first day, all in A: the run holds it to the end.
cat >bh.txt <<'EOF2'
axes ticker field
fields weight confidence
date 2021-01-04
coord cash 0
A 1 1
EOF2
mv bh.txt "$TRASH/"

test_expect_success 'buy-and-hold of A equals A compounded (and pays one cost)' '
	tmt-mkframes -t F64 <bh.txt >bh.tmt &&
	tm-backtest -q --cost 0 -w bh.tmt --metrics bh0.json --trades bh.csv \
	    slots.tmt >bh0.tmt &&
	tm-backtest -q --cost 0.002 -w bh.tmt --metrics bh2.json slots.tmt >/dev/null &&
	"$PY" - <<-PYEOF
	import json, sys, numpy as np
	import tmt_np
	S = list(tmt_np.frames(open("slots.tmt", "rb")))
	a = np.array([x[0, 1] for _, x in S], dtype=float)
	own = np.prod(1 + a[2:]) - 1
	m0 = json.load(open("bh0.json")); m2 = json.load(open("bh2.json"))
	assert abs(m0["total_return"] - own) < 1e-12, (m0["total_return"], own)
	assert abs(m2["final_value"] - 0.998 * (1 + own)) < 1e-12
	assert abs(m0["turnover"] - 1 / 298) < 1e-15, m0["turnover"]
	PYEOF
'

test_expect_success 'the trade list: one long trade of A, entry to the end' '
	test "$(wc -l <bh.csv)" = 2 &&
	head -1 bh.csv >hdr &&
	echo ticker,side,entry_date,entry_price,exit_date,exit_price,shares,pnl,days,reason >want &&
	test_cmp want hdr &&
	sed -n 2p bh.csv | cut -d, -f1,2,3,5,9,10 >got &&
	last=$("$PY" "$TOP/tests/helpers/tm_train_eval.py" --date slots.tmt 299) &&
	echo "A,long,2021-01-05,$last,298,end" >want &&
	test_cmp want got
'

test_expect_success 'trades of a daily stream: reversals and exits are listed' '
	tm-backtest -q -w w64.tmt --trades t.csv slots.tmt >/dev/null &&
	grep -q ",reverse\$" t.csv && grep -q ",exit\$" t.csv &&
	grep -q ",short," t.csv && grep -q ",long," t.csv
'

test_expect_success '--long-only refuses a short weight (65), takes a long one' '
	test_must_fail --status 65 tm-backtest -q --long-only -w w64.tmt \
	    slots.tmt >/dev/null 2>err &&
	grep -q "short weight" err &&
	tm-backtest -q --long-only -w bh.tmt slots.tmt >/dev/null
'

test_expect_success '--chart writes an SVG with the curves' '
	tm-backtest -q -b B -w w64.tmt --chart c.svg slots.tmt >/dev/null &&
	grep -q "^<svg" c.svg && test "$(grep -c "<polyline" c.svg)" = 3
'

test_expect_success 'refusals: usage 64, missing file 66, bad data 65' '
	sed "s/^A 1 1/Z 1 1/" bh.txt | tmt-mkframes >bad.tmt &&
	test_must_fail --status 65 tm-backtest -q -w bad.tmt slots.tmt >/dev/null &&
	test_must_fail --status 65 tm-backtest -q -b ZZ -w bh.tmt slots.tmt \
	    >/dev/null &&
	test_must_fail --status 66 tm-backtest -q -w nosuch.tmt slots.tmt \
	    >/dev/null &&
	test_must_fail --status 64 tm-backtest -q slots.tmt >/dev/null &&
	test_must_fail --status 64 tm-backtest -q --bogus >/dev/null &&
	printf garbage | test_must_fail --status 65 tm-backtest -q -w bh.tmt \
	    >/dev/null
'
test_done
