#!/bin/sh
# pipelines/walkforward.sh --quick on a small tm-synth market: the record
# covers every month once and every trading day once, each month's model
# was trained on nothing after the day before the month, the book carries
# over (the months' weights follow from the month before, not from cash;
# the backtest is one run), and the table's whole-record row is the
# tm-backtest metrics of the same weights.
. "$(dirname "$0")/lib.sh"
[ "${TM_SAN:-}" = 1 ] && test_skip_all 'a shell pipeline of tools each tested under the sanitizers on its own: plain build only'

test_need_numpy
EVAL=$TOP/tests/helpers/tm_train_eval.py
for t in tm-synth tm-features tm-slotmap tm-train tm-infer tm-backtest \
    tm-strategy tm-cat; do
	[ -x "$TM_BIN/$t" ] || test_skip_all "needs $t"
done
WF=$TOP/pipelines/walkforward.sh

# dates FILE: the coords.date of every frame, one a line
dates() { tm-cat --info "$1" | sed -n 's/.*"date":"\([0-9-]*\)".*/\1/p'; }

# rules_is_policy RECORD.csv: with every rule of tm-diff off, the
# dpg+rules rows of seeds 1 and 2 score as the dpg rows (to the CSV's
# digits).
rules_is_policy() {
	$PY - "$1" <<-\PYEOF
	import csv, sys
	rows = {(r["strategy"], r["seed"], r["period"]): r
	        for r in csv.DictReader(open(sys.argv[1]))}
	for s in ("1", "2"):
	    a, b = rows["dpg", s, "all"], rows["dpg+rules", s, "all"]
	    for k in ("days", "sharpe", "cagr", "volatility", "max_drawdown"):
	        assert abs(float(a[k]) - float(b[k])) <= 2e-6, (s, k, a[k], b[k])
	PYEOF
}

test_expect_success 'setup: a market and its slot stream' '
	tm-synth -n 30 -y 3 --seed 11 -o mkt &&
	tm-features -f mkt/fundamentals.tmt <mkt/prices.tmt >f.tmt &&
	mkdir d &&
	tm-slotmap -l 30,10,10 --members mkt/membership.csv f.tmt >d/slots.tmt \
	    2>/dev/null &&
	sed -n 2p mkt/membership.csv | cut -d, -f2 >bench &&
	test -s bench
'

test_expect_success 'usage errors exit 64' '
	test_must_fail --status 64 bash "$WF" &&
	test_must_fail --status 64 bash "$WF" -o x --from 2016-1 &&
	test_must_fail --status 64 bash "$WF" -o x --from 2016-05 --to 2016-04 \
	    -d d
'

test_expect_success '--quick runs on the market' '
	bash "$WF" --quick -d d -o out --from 2016-01 --to 2016-12 --years 1 \
	    -a dpg -n 2 -b "$(cat bench)" --baselines "equal invvol invvol-m" \
	    --buyhold "$(cat bench)" >stdout 2>progress &&
	grep -q "^Out-of-sample record" out/record.txt &&
	test_cmp out/record.txt stdout
'

test_expect_success 'every month once, every trading day once' '
	printf "2016-01\n2016-02\n2016-03\n" >expect &&
	for s in 1 2; do
		sed 1d out/dpg-s$s/months.csv | cut -d, -f1 >got &&
		test_cmp expect got &&
		ls out/dpg-s$s/weights | sed "s/\.tmt$//" >got &&
		test_cmp expect got &&
		tm-cat --from 2016-01-01 --to 2016-03-31 d/slots.tmt >win.tmt &&
		dates win.tmt >expect.days &&
		dates out/dpg-s$s/weights.tmt >got.days &&
		test_cmp expect.days got.days || exit 1
	done &&
	test "$(sort -u got.days | wc -l)" -eq "$(wc -l <got.days)" &&
	test "$(wc -l <got.days)" -gt 55
'

test_expect_success 'no month traded on a model trained past its first day' '
	for s in 1 2; do
		sed 1d out/dpg-s$s/months.csv |
		while IFS=, read -r m first last model to tto init; do
			# read the model file itself, not the record
			mto=$(tm-cat --info out/dpg-s$s/$model | head -n 1 |
			    sed -n "s/.*\"to\":\"\([0-9-]*\)\".*/\1/p") &&
			test -n "$mto" && test "$mto" = "$to" &&
			test "$mto" \< "$m-01" && test "$tto" \< "$m-01" &&
			test "$first" \> "$tto" &&
			# the days after the training window up to the month are
			# the 10 held out for validation (--quick): the latest
			# data, and nothing of the month
			n=$(tm-cat --from "$(date -u -d "$mto +1 day" +%F)" \
			    --to "$(date -u -d "$first -1 day" +%F)" d/slots.tmt |
			    dates - | wc -l) &&
			test "$n" -eq 10 || exit 1
		done || exit 1
	done
'

test_expect_success 'each retrain is warm started from the month before' '
	sed 1d out/dpg-s1/months.csv | cut -d, -f1,7 >got &&
	printf "2016-01,\n2016-02,models/2016-01.tmt\n2016-03,models/2016-02.tmt\n" \
	    >expect &&
	test_cmp expect got &&
	tm-cat --info out/dpg-s1/models/2016-02.tmt | head -n 1 |
	    grep -q "warm..:true" &&
	tm-cat --info out/dpg-s1/models/2016-01.tmt | head -n 1 |
	    grep -q "warm..:false"
'

test_expect_success 'the book carries over: months follow the month before' '
	R=out/dpg-s1 &&
	for m in 2016-02 2016-03; do
		p=$(date -u -d "$m-01 -1 month" +%Y-%m) &&
		tm-cat --from $m-01 --to $(date -u -d "$m-01 +1 month -1 day" +%F) \
		    d/slots.tmt >m.tmt &&
		tm-infer -m $R/models/$m.tmt -w $R/weights/$p.tmt <m.tmt >carry.tmt &&
		tm-infer -m $R/models/$m.tmt <m.tmt >cash.tmt &&
		$PY - $R/weights/$m.tmt carry.tmt cash.tmt <<-PYEOF || exit 1
		import sys
		exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
		got, carry, cash = (list(frames(f)) for f in sys.argv[1:4])
		(h, g), (_, c), (_, z) = got[0], carry[0], cash[0]
		assert (g == c).all(), "first day not from the month before"
		assert abs(g[:, 0] - z[:, 0]).sum() > 1e-6, "no difference from cash"
		PYEOF
	done
'

test_expect_success 'one backtest run: the value compounds across months' '
	$PY - out/dpg-s1/equity.csv out/dpg-s1/weights.tmt <<-PYEOF
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1])))
	v = 1.0
	for r in rows:
	    v *= 1 + float(r["return"])
	    assert abs(v - float(r["value"])) < 1e-9 * v, (r["date"], v)
	# invested at every month boundary: no return to cash
	months = sorted({r["date"][:7] for r in rows})
	for m in months[1:]:
	    first = [r for r in rows if r["date"][:7] == m][0]
	    assert float(first["gross"]) > 0.5, (m, first["gross"])
	    assert float(first["turnover"]) < 0.5, (m, first["turnover"])
	PYEOF
'

test_expect_success 'the whole record row is the tm-backtest metrics' '
	$PY - out/record.csv out/dpg-s1/metrics.json <<-PYEOF
	import csv, json, math, sys
	rows = [r for r in csv.DictReader(open(sys.argv[1]))
	        if r["strategy"] == "dpg" and r["seed"] == "1"
	        and r["period"] == "all"]
	assert len(rows) == 1, rows
	r, m = rows[0], json.load(open(sys.argv[2]))
	assert int(r["days"]) == m["days"], (r["days"], m["days"])
	for k in ("sharpe", "sortino", "cagr", "volatility", "max_drawdown",
	          "turnover", "alpha", "beta"):
	    assert math.isclose(float(r[k]), m[k], rel_tol=1e-4, abs_tol=2e-6), \
	        (k, r[k], m[k])
	PYEOF
'

test_expect_success 'mean and spread over seeds, baselines on the same days' '
	grep -q "^dpg,mean,all," out/record.csv &&
	grep -q "^dpg,sd,all," out/record.csv &&
	d=$(grep "^dpg,1,all," out/record.csv | cut -d, -f4) &&
	for b in equal invvol "buyhold-$(cat bench)"; do
		test "$(grep "^$b,-,all," out/record.csv | cut -d, -f4)" = "$d" ||
		    exit 1
	done &&
	grep -q "+-" out/record.txt
'

test_expect_success 'the Deflated Sharpe Ratio of the best walk, against an independent computation' '
	test "$(wc -l <out/trials.jsonl)" = 2 &&
	grep -q "^Selection: the best of 2 walks" out/record.txt &&
	/usr/bin/python3 - <<-\PYEOF
	import json, math
	from statistics import NormalDist
	N = NormalDist()
	tr = [json.loads(l) for l in open("out/trials.jsonl")]
	for s, t in zip((1, 2), tr):
	    m = json.load(open("out/dpg-s%d/metrics.json" % s))
	    assert t["trial"] == "dpg-s%d" % s, t
	    for k in ("sharpe", "skew", "kurtosis", "days"):
	        assert t[k] == m[k], (k, t[k], m[k])
	d = json.load(open("out/dsr.json"))
	sr = [t["sharpe"] / math.sqrt(252) for t in tr]
	b = max(range(2), key=lambda i: sr[i])
	mu = sum(sr) / 2
	var = sum((x - mu) ** 2 for x in sr) / 1
	g = 0.5772156649015329
	sr0 = math.sqrt(var) * ((1 - g) * N.inv_cdf(1 - 1 / 2) +
	                        g * N.inv_cdf(1 - 1 / (2 * math.e)))
	t = tr[b]
	den = 1 - t["skew"] * sr[b] + (t["kurtosis"] - 1) / 4 * sr[b] ** 2
	dsr = N.cdf((sr[b] - sr0) * math.sqrt(t["days"] - 1) / math.sqrt(den))
	assert d["trials"] == 2 and d["best"]["trial"] == t["trial"], d
	assert abs(d["sr0"] - sr0 * math.sqrt(252)) < 1e-9, (d["sr0"], sr0)
	assert abs(d["dsr"] - dsr) < 1e-6, (d["dsr"], dsr)
	PYEOF
'

test_expect_success 'the seed ensemble: the mean of the seeds'"'"' weights, scored like a walk' '
	grep -q "^dpg-ens,-,all," out/record.csv &&
	grep -q "^dpg-ens " out/record.txt &&
	for s in 1 2; do
		tm-cat -o csv -k weight out/dpg-s$s/weights.tmt >w$s.csv || return 1
	done &&
	tm-cat -o csv -k weight out/base-dpg-ens/weights.tmt >we.csv &&
	/usr/bin/python3 - <<-\PYEOF
	import csv
	def rows(p):
	    return {(r[0], r[1]): float(r[2]) for r in list(csv.reader(open(p)))[1:]}
	a, b, e = rows("w1.csv"), rows("w2.csv"), rows("we.csv")
	n = 0
	for k, v in e.items():
	    want = (a.get(k, 0) + b.get(k, 0)) / 2
	    assert abs(v - want) < 1e-6, (k, v, want)
	    n += v > 0
	assert n > 100, n
	PYEOF
'

test_expect_success 'a monthly baseline trades on each first day only' '
	dates out/base-invvol-m/weights.tmt >got &&
	dates out/base-invvol/weights.tmt |
	    awk "{ m = substr(\$0, 1, 7) } m != pm { print } { pm = m }" >expect &&
	test_cmp expect got &&
	grep -q "^invvol-m,-,all," out/record.csv
'

test_expect_success 'ALGO+rules: the weights through tm-diff, scored from its index' '
	grep -q "^dpg+rules,1,all," out/record.csv &&
	grep -q "^dpg+rules,mean,all," out/record.csv &&
	test -s out/dpg+rules-s1/recs.tmt &&
	d=$(grep "^dpg,1,all," out/record.csv | cut -d, -f4) &&
	test "$(grep "^dpg+rules,1,all," out/record.csv | cut -d, -f4)" = "$d" &&
	test "$(grep "^dpg+rules,1,all," out/record.csv | cut -d, -f10)" = nan &&
	grep -q "^dpg+rules .* - " out/record.txt
'

test_expect_success '--rules-only: only the +rules rows again, from the walks out holds' '
	cp -R out out5 &&
	bash "$WF" --quick --rules-only -d d -o out5 --from 2016-01 --to 2016-12 \
	    --years 1 -a dpg -n 2 -b "$(cat bench)" \
	    --baselines "equal invvol invvol-m" --buyhold "$(cat bench)" \
	    >stdout5 2>progress5 &&
	! grep -q "trained\|baseline" progress5 &&
	grep -q "dpg+rules seed 2: " progress5 &&
	test_cmp out/record.csv out5/record.csv &&
	for s in 1 2; do
		cmp out/dpg-s$s/weights.tmt out5/dpg-s$s/weights.tmt &&
		cmp out/dpg-s$s/equity.csv out5/dpg-s$s/equity.csv &&
		cmp out/dpg+rules-s$s/recs.tmt out5/dpg+rules-s$s/recs.tmt || exit 1
	done &&
	bash "$WF" --quick --rules-only -d d -o out5 --from 2016-01 --to 2016-12 \
	    --years 1 -a dpg -n 2 -b "$(cat bench)" \
	    --baselines "equal invvol invvol-m" --buyhold "$(cat bench)" \
	    --diff-opts "--off all --threshold 0" >/dev/null 2>progress5 &&
	grep "^dpg,\|^equal,\|^invvol" out/record.csv >expect &&
	grep "^dpg,\|^equal,\|^invvol" out5/record.csv >got &&
	test_cmp expect got &&
	rules_is_policy out5/record.csv &&
	test_must_fail --status 65 bash "$WF" --quick --rules-only -d d -o out5 \
	    --from 2016-02 --to 2016-12 --years 1 -a dpg -n 2 --baselines "" \
	    --buyhold "" 2>err5 &&
	grep -q "not of the months" err5
'

test_expect_success '--diff-opts with every rule off: +rules is the policy row' '
	bash "$WF" --quick --resume -d d -o out --from 2016-01 --to 2016-12 \
	    --years 1 -a dpg -n 2 -b "$(cat bench)" --baselines "" --buyhold "" \
	    --diff-opts "--off all --threshold 0" >/dev/null 2>progress4 &&
	rules_is_policy out/record.csv
'

test_expect_success '--resume goes on from the first missing month' '
	cp -R out out2 &&
	rm out2/dpg-s1/models/2016-03.tmt out2/dpg-s1/weights/2016-03.tmt &&
	bash "$WF" --quick --resume -d d -o out2 --from 2016-01 --to 2016-12 \
	    --years 1 -a dpg -b "$(cat bench)" --baselines "" --buyhold "" \
	    >/dev/null 2>progress2 &&
	grep -q "2016-01: kept from an earlier run" progress2 &&
	grep -q "2016-02: kept from an earlier run" progress2 &&
	! grep -q "2016-03: kept" progress2 &&
	cmp out/dpg-s1/models/2016-03.tmt out2/dpg-s1/models/2016-03.tmt &&
	cmp out/dpg-s1/weights.tmt out2/dpg-s1/weights.tmt
'

test_expect_success '--adjust and --band reach tm-infer, tm-train and the scoring' '
	bash "$WF" --quick -d d -o out3 --from 2016-01 --to 2016-12 --years 1 \
	    -a dpg -b "$(cat bench)" --baselines "equal" --buyhold "" \
	    --adjust 0.5 --band 0.001 >/dev/null 2>progress3 &&
	R=out3/dpg-s1 &&
	grep -q "\"band\": *0.001" $R/metrics.json &&
	grep -q "\"band\": *0.001" out3/base-equal/metrics.json &&
	tm-cat --info $R/models/2016-02.tmt | head -n 1 |
	    grep -q "band.\{2,3\}0\.001[,}]" &&
	tm-cat --from 2016-02-01 --to 2016-02-29 d/slots.tmt >m.tmt &&
	tm-infer -m $R/models/2016-02.tmt -w $R/weights/2016-01.tmt \
	    --adjust 0.5 <m.tmt >adj.tmt &&
	cmp adj.tmt $R/weights/2016-02.tmt
'

test_done
