#!/bin/sh
# tm-diff: the state's value is the training evaluation's value for the
# same weights (day by day, to the last digit), confidence orders the
# picks, re-applying a day changes nothing, an older day is refused, a
# reset is journaled, a model change keeps the portfolio.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# dates FILE: the dates of a weight stream, one a line.
dates() {
	tm-cat -o csv -k weight "$1" | awk -F, 'NR > 1 && $1 != p { print $1; p = $1 }'
}

# daybyday STATE SLOTS WEIGHTS [OPTIONS]: tm-diff once a day, each run
# seeing the slot stream up to that day only; prints "DATE INDEX" (%.17g).
daybyday() {
	st=$1 sl=$2 wt=$3
	shift 3
	for d in $(dates "$wt"); do
		tm-cat --from "$d" --to "$d" "$wt" >day.tmt &&
		tm-cat --to "$d" "$sl" >upto.tmt &&
		tm-diff -s "$st" --slots upto.tmt "$@" day.tmt >rec.tmt ||
		return 1
		"$PY" -c 'import json, sys
s = json.load(open(sys.argv[1] + "/portfolio.json"))
print(s["date"], "%.17g" % s["index"])' "$st" || return 1
	done
}

test_expect_success 'setup: a model and its weights over a stream with reconstitution' '
	tmt-slots -n 30 -a 5 -p 5 -d 70 -r 7 -s 3 >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 10 -o m.tmt <slots.tmt &&
	tm-infer -m m.tmt <slots.tmt >w.tmt &&
	test "$(dates w.tmt | wc -l)" = 70
'

test_expect_success 'day by day, the index is the evaluation value to the last digit' '
	tmt-envval slots.tmt w.tmt >env.txt &&
	test "$(wc -l <env.txt)" = 68 &&
	daybyday st slots.tmt w.tmt --off all --threshold 0 >diff.txt &&
	join env.txt diff.txt >both &&
	test "$(wc -l <both)" = 68 &&
	awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" both &&
	# and the value moved: not a portfolio stuck in cash
	! awk "\$2 == 1 { n++ } END { exit n > 2 ? 0 : 1 }" both
'

test_expect_success 'the same with another cost, and value = capital * index' '
	tm-cat --to 2020-02-14 w.tmt >w30.tmt &&
	tmt-envval -c 0.004 slots.tmt w30.tmt >env4.txt &&
	daybyday st4 slots.tmt w30.tmt --off all --threshold 0 --cost 0.004 \
	    --capital 1 >diff4.txt &&
	join env4.txt diff4.txt | awk "\$2 != \$3 { bad = 1 } END { exit bad }" &&
	head -n "$(wc -l <env4.txt)" env.txt >env30.txt &&
	! cmp -s env30.txt env4.txt &&
	"$PY" -c "import json; s = json.load(open(\"st4/portfolio.json\"))
assert s[\"value\"] == s[\"capital\"] * s[\"index\"], s"
'

test_expect_success 'a tm-synth market through features, slotmap, train and infer: same value' '
	tm-synth -n 120 -y 2 --seed 2 -o syn &&
	tm-features <syn/prices.tmt |
	    tm-slotmap -l 150,20,10 --members syn/membership.csv >all.tmt &&
	tm-cat --from 2016-06-01 all.tmt >ss.tmt &&
	tm-train -q --algo dpg --seed 2 --epochs 1 -o sm.tmt <ss.tmt &&
	tm-infer -m sm.tmt <ss.tmt | tm-cat --from 2016-11-01 >sw.tmt &&
	tm-cat --from 2016-11-01 ss.tmt >ss2.tmt &&
	tmt-envval ss2.tmt sw.tmt >senv.txt &&
	test "$(wc -l <senv.txt)" -gt 20 &&
	daybyday sst ss2.tmt sw.tmt --off all --threshold 0 >sdiff.txt &&
	join senv.txt sdiff.txt >sboth &&
	test "$(wc -l <sboth)" = "$(wc -l <senv.txt)" &&
	awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" sboth
'

test_expect_success 'the recommendation stream: fields, reasons, coords, journal' '
	tm-cat --info rec.tmt >info &&
	grep -q "\"field\":\[\"action\",\"target\",\"current\",\"delta\",\"shares\",\"price\",\"confidence\",\"reason\"\]" info &&
	grep -q "\"reasons\":\"policy," info &&
	for k in date value cash hwm pnl; do
		grep -q "\"$k\":" info || return 1
	done &&
	test "$(wc -l <sst/journal.jsonl)" = "$(dates sw.tmt | wc -l)" &&
	"$PY" - sst <<-\PYEOF
	import json, sys
	lines = [json.loads(l) for l in open(sys.argv[1] + "/journal.jsonl")]
	for a, b in zip(lines, lines[1:]):
	    assert a["value_after"] == b["value_before"]
	    assert a["date"] < b["date"]
	for l in lines:
	    for k in ("model", "inputs", "cash", "bench", "trades", "fired",
	              "warnings", "critical"):
	        assert k in l, k
	    assert l["inputs"]["weights"].startswith("crc32:")
	assert any(l["trades"] for l in lines)
	# across the month boundary: month_start is the last value of November
	s = json.load(open(sys.argv[1] + "/portfolio.json"))
	nov = [l for l in lines if l["date"] < "2016-12-01"]
	assert nov and s["month"] == "2016-12", s["month"]
	assert s["month_start"] == nov[-1]["value_after"], s["month_start"]
	assert s["hwm"] >= max(l["value_after"] for l in lines)
	PYEOF
'

test_expect_success 'confidence is the percentile rank of the target: it orders the picks' '
	tm-cat -o csv -k target,confidence rec.tmt | tail -n +2 >tc &&
	test "$(wc -l <tc)" -gt 20 &&
	"$PY" - <<-\PYEOF
	rows = [l.strip().split(",") for l in open("tc")]
	tc = [(float(r[2]), float(r[3])) for r in rows]
	confs = sorted(set(c for _, c in tc))
	assert len(confs) > 10, confs
	for t1, c1 in tc:
	    for t2, c2 in tc:
	        if t1 > t2:
	            assert c1 > c2, (t1, c1, t2, c2)
	assert max(c for _, c in tc) == 1.0
	PYEOF
'

test_expect_success 'the same date twice changes nothing and says so' '
	d=$(dates w.tmt | tail -n 1) &&
	tm-cat --from $d --to $d w.tmt >last.tmt &&
	cp st/portfolio.json before.json && cp st/journal.jsonl before.jsonl &&
	tm-cat -o csv st/last.tmt >rec-before.csv &&
	tm-diff -s st --slots slots.tmt --off all --threshold 0 last.tmt \
	    >again.tmt 2>err &&
	grep -q "$d: already applied; the state is unchanged" err &&
	cmp before.json st/portfolio.json &&
	cmp before.jsonl st/journal.jsonl &&
	tm-cat -o csv again.tmt >rec-again.csv &&
	test_cmp rec-before.csv rec-again.csv
'

test_expect_success 'an older date is refused with status 65' '
	d=$(dates w.tmt | sed -n 40p) &&
	tm-cat --from $d --to $d w.tmt >old.tmt &&
	test_must_fail --status 65 tm-diff -s st --slots slots.tmt old.tmt \
	    2>err &&
	grep -q "tm-diff: weights: $d: older than" err &&
	cmp before.json st/portfolio.json &&
	cmp before.jsonl st/journal.jsonl
'

test_expect_success '--reset starts fresh and journals why' '
	d=$(dates w.tmt | tail -n 1) &&
	tm-diff -s st --slots slots.tmt --reset "new model v2" last.tmt \
	    >/dev/null &&
	tail -n 2 st/journal.jsonl | head -n 1 >resetline &&
	grep -q "\"reset\":\"new model v2\"" resetline &&
	grep -q "\"date\":\"$d\"" resetline &&
	"$PY" -c "import json; s = json.load(open(\"st/portfolio.json\"))
assert s[\"index\"] == 1 and s[\"capital\"] == 1e6, s
assert s[\"date\"] == \"$d\""
'

test_expect_success 'a model change keeps the portfolio, with a warning' '
	tm-train -q --algo dpg --seed 9 --epochs 1 --valid 10 -o m2.tmt <slots.tmt &&
	tm-infer -m m2.tmt <slots.tmt >w2.tmt &&
	tm-cat --to 2020-02-14 w.tmt >wa.tmt &&
	tm-diff -s mc --slots slots.tmt wa.tmt >/dev/null &&
	tm-cat --from 2020-02-18 --to 2020-02-18 w2.tmt >d.tmt &&
	tm-diff -s mc --slots slots.tmt d.tmt >/dev/null 2>err &&
	grep -q "the portfolio carries on" err &&
	! grep -q reset mc/journal.jsonl &&
	test "$(grep -c . mc/journal.jsonl)" = 32 &&
	m2=$(tm-cat --info w2.tmt | head -n 1 | sed "s/.*\"model\":\"\([0-9a-f]*\)\".*/\1/") &&
	tail -n 1 mc/journal.jsonl | grep -q "\"model\":\"$m2\"" &&
	"$PY" -c "import json, sys; s = json.load(open(\"mc/portfolio.json\"))
assert s[\"model\"] == sys.argv[1] and s[\"index\"] != 1, s" "$m2"
'

test_expect_success 'the first EXAMPLES block of tm-diff(1) runs' '
	command -v mandoc >/dev/null || { echo "# no mandoc: skipped"; exit 0; }
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$TOP/man/tm-diff.1" | col -bx |
	    sed -n "/^EXAMPLES\$/,/^[A-Z]/p" >ex &&
	awk "/A synthetic market/ { on = 1; next }
	    on && NF { blk = 1; print; next } blk && !NF { exit }" ex >ex.sh &&
	grep -q "tm-diff -s state" ex.sh &&
	mkdir exdir && (cd exdir && sh -eu ../ex.sh >out.csv) &&
	head -n 1 exdir/out.csv | grep -q "^date,ticker,action,target,current,delta,shares,price,confidence,reason\$" &&
	test -s exdir/state/portfolio.json
'

test_expect_success 'usage errors exit 64' '
	test_must_fail --status 64 tm-diff --slots slots.tmt w.tmt &&
	test_must_fail --status 64 tm-diff -s x w.tmt &&
	test_must_fail --status 64 tm-diff -s x --slots - - <w.tmt &&
	test_must_fail --status 64 tm-diff -s x --slots slots.tmt --off nosuch \
	    w.tmt &&
	test_must_fail --status 66 tm-diff -s x --slots nope.tmt w.tmt
'

# Equal weights are the same targets every day: after the first fill the
# target equals the current weight on the decision day, and the drift of
# the next day is what the fill trades back.  The old rule held it
# (a HOLD froze the slot even at --threshold 0) and the index drifted
# away from the evaluation's.
if "$PY" -c "import numpy" 2>/dev/null; then
test_expect_success 'threshold 0: a target equal to the weight still trades the drift' '
	mkdir eqd && (cd eqd && "$PY" "$TOP/tests/helpers/backtest_ref.py" make . 40 3) &&
	tmt-mkframes <eqd/slots.txt >eqd/slots.tmt &&
	tm-strategy equal <eqd/slots.tmt >eqd/w.tmt &&
	tmt-envval eqd/slots.tmt eqd/w.tmt >eqd/env.txt &&
	daybyday eqd/st eqd/slots.tmt eqd/w.tmt --off all --threshold 0 \
	    >eqd/diff.txt &&
	join eqd/env.txt eqd/diff.txt >eqd/both &&
	test "$(wc -l <eqd/both)" = 38 &&
	awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" eqd/both
'
else
	test_skip 'threshold 0: equal weights trade the drift' 'needs numpy'
fi

test_done
