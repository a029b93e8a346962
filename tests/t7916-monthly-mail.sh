#!/bin/sh
# The monthly mail's content against numbers worked out here: the
# retraining summary (warm start or not), the gate's numbers with the
# benchmark's buy and hold over the same out-of-sample days (return,
# Sharpe, max drawdown from its closes), and the month's performance and
# risk (the state of the month just ended: its month-to-date return from
# the journal); with no live model and no applied day, a cold start that
# goes live at once and says there are no figures yet.
. "$(dirname "$0")/lib.sh"
jobs_setup
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# mail_of DATA DAY: the monthly mail's text for DAY, CRs dropped
mail_of() {
	m=$(grep -l "^Subject: .*monthly $2: " "$1"/spool/new/*) &&
	test "$(echo "$m" | wc -l)" = 1 && tr -d "\r" <"$m"
}

test_expect_success 'setup: a live model, the last days of January applied' '
	jobs_market a &&
	jobs_conf a TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=1 TM_EPOCHS=1 \
	    TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 TM_GATE_TURNOVER=100 >tm.conf &&
	for d in 2017-01-26 2017-01-27 2017-01-30 2017-01-31 2017-02-01; do
		TM_CONF=tm.conf bash "$DAILY" $d 2>>daily.err || exit 1
	done &&
	TM_CONF=tm.conf bash "$MONTHLY" --if-first 2>monthly.err &&
	mail_of a 2017-02-01 >mail &&
	cat mail
'

test_expect_success 'the summary: warm start, the candidate now a shadow' '
	grep -q "^Monthly retraining for 2017-02-01 (dpg, 1 seeds, warm start: yes)\\.\$" mail &&
	grep -q "^The candidate is now shadow\\.\$" mail
'

test_expect_success 'the benchmark over the out-of-sample days, as computed here' '
	gfrom=$(sed -n "s/^Candidate [0-9a-f]*, out of sample \\([-0-9]*\\)\\.\\.2017-02-01:\$/\\1/p" mail) &&
	test -n "$gfrom" &&
	tm-cat -k close -o csv -r QQQ --to 2017-02-01 mkt/benchmark.tmt | sed 1d >qqq &&
	sed -n "s/^ *QQQ *Sharpe \\([^ ]*\\)  max drawdown \\([^ ]*\\)  return \\([^ ]*\\) (buy and hold)\$/\\1 \\2 \\3/p" mail >got &&
	test -s got &&
	"$PY" - "$gfrom" <<-\PYEOF
	import math, sys
	rows = [l.strip().split(",") for l in open("qqq")]
	i = [r[0] for r in rows].index(sys.argv[1])
	c = [float(r[2]) for r in rows[i - 1:]]      # from the close before gfrom
	r = [c[k] / c[k - 1] - 1 for k in range(1, len(c))]
	m = sum(r) / len(r)
	sd = math.sqrt(sum((x - m) ** 2 for x in r) / (len(r) - 1))
	sharpe = math.sqrt(252) * m / sd
	peak, dd = c[0], 0.0
	for x in c:
	    peak = max(peak, x); dd = min(dd, x / peak - 1)
	ret = c[-1] / c[0] - 1
	got = [float(x) for x in open("got").read().split()]
	want = [sharpe, dd, ret]
	assert all(abs(g - w) < 1e-5 for g, w in zip(got, want)), (got, want)
	assert dd < 0 and len(r) == 30, (dd, len(r))
	PYEOF
	bs=$(cut -d" " -f1 got) &&
	tm-model -d a/models list --json | grep -q "\"bench_sharpe\": $bs"
'

test_expect_success 'the month just ended: its state, its return from the journal' '
	grep -q "^The month to 2017-01-31, the live portfolio:\$" mail &&
	grep -q "^  this month: return .* max drawdown" mail &&
	grep -q "^PERFORMANCE (" mail &&
	"$PY" - <<-\PYEOF
	import json, re
	j = [json.loads(l) for l in open("a/states/2017-01-31/journal.jsonl")]
	jan = [x for x in j if x["date"].startswith("2017-01")]
	want = "%+.2f%%" % (100 * (jan[-1]["value_after"] / jan[0]["value_before"] - 1))
	text = open("mail").read()
	got = re.search(r"^  month to date (\S+)", text, re.M).group(1)
	assert got == want, (got, want)
	PYEOF
'

test_expect_success 'no live model, no applied day: a cold start goes live, no figures yet' '
	sed "s/^TM_DATA=.*/TM_DATA=b/" tm.conf >b.conf &&
	TM_CONF=b.conf bash "$MONTHLY" 2017-02-01 2>b.err &&
	mail_of b 2017-02-01 >bmail &&
	grep -q "warm start: no)\\.\$" bmail &&
	grep -q "^The candidate is now live\\.\$" bmail &&
	grep -q "^The month before 2017-02: no day applied, no figures yet\\.\$" bmail &&
	test "$(tm-model -d b/models list | grep -c "	live	")" = 1
'

test_done
