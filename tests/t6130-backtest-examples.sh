#!/bin/sh
# tm-backtest(1): every EXAMPLES block runs, as printed, on a small market
# with a QQQ (a model trained on it, a buy-and-hold frame), and gives what
# the text says: the files it names, QQQ's chart with a marker for each
# entry and exit of its trades, buy-and-hold equal to QQQ compounded,
# 4,851 grid lines and the same best from sweep.sh, 100 sets on each of
# three tickers.
. "$(dirname "$0")/lib.sh"

test_need_numpy
REF=$TOP/tests/helpers/backtest_ref.py
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v parallel >/dev/null || test_skip_all 'GNU parallel is not installed'

test_expect_success 'setup: the market, a model, the buy-and-hold frame' '
	"$PY" "$REF" make . 300 9 &&
	sed "s/^B /QQQ /" slots.txt | tmt-mkframes >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 2 --valid 20 -o model.tmt \
	    <slots.tmt &&
	printf "axes ticker field\nfields weight confidence\ndate 2021-01-04\ncoord cash 0\nQQQ 1 1\n" |
	    tmt-mkframes -t F64 >qqq-hold.tmt &&
	ln -s "$TOP/pipelines" pipelines &&
	printf "A\nQQQ\nC\n" >tickers.txt &&
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$TOP/man/tm-backtest.1" |
	    col -bx | sed -n "/^EXAMPLES\$/,/^[A-Z]/p" |
	    sed -n "s/^           //p" >examples.sh &&
	test "$(grep -c "^tm-\\|^pipelines\\|^echo" examples.sh)" = 9
'

test_expect_success 'the EXAMPLES run' '
	sh -eu examples.sh >out 2>err
'

test_expect_success 'and give what they say' '
	test -s weights.tmt && test -s equity.svg &&
	head -1 trades.csv | grep -q "^ticker,side,entry_date" &&
	test "$(grep -c "^QQQ," trades.csv)" -gt 0 &&
	test "$(grep -c "<path class=\"e" qqq.svg)" = \
	    "$(($(grep -c "^QQQ," trades.csv) * 2))" &&
	test "$(wc -l <lines.jsonl)" = 4851 &&
	"$PY" - <<-PYEOF
	import json, sys, numpy as np
	import tmt_np
	S = list(tmt_np.frames(open("slots.tmt", "rb")))
	q = np.array([a[1, 1] for _, a in S], dtype=float)
	h = json.load(open("hold.json")); m = json.load(open("metrics.json"))
	assert abs(h["final_value"] - 0.999 * np.prod(1 + q[2:])) < 1e-12, h
	assert h["bench"] == "QQQ" and abs(h["beta"] - 1) < 1e-3, h["beta"]
	assert m["days"] == 298 and "alpha" in m
	b = json.load(open("best.json"))
	assert b["trials"] == 4851 and 0 <= b["dsr"] <= 1, b
	A = [json.loads(l) for l in open("all.jsonl")]
	assert [l["ticker"] for l in A] == ["A"] * 100 + ["QQQ"] * 100 + ["C"] * 100
	assert [(l["fast"], l["slow"]) for l in A[:100]] == [
	    (f, s) for f in range(5, 51, 5) for s in range(60, 241, 20)]
	PYEOF
'
test_done
