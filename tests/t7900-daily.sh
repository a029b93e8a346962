#!/bin/sh
# pipelines/daily.sh end to end on a small tm-synth market: day after day
# across a month boundary, a re-run of a date, an older date refused, a
# failing stage that alerts and leaves the state as it was.
. "$(dirname "$0")/lib.sh"
jobs_setup

# state_date: the last applied date of the current state.
state_date() {
	sed -n 's/.*"date": *"\([0-9-]*\)".*/\1/p' data/state/portfolio.json |
	    head -n 1
}

test_expect_success 'setup: a market, its slot state and a model up to D0' '
	tm-synth -n 80 -y 2 --seed 5 -o mkt &&
	# D0 and 8 trading days around the last month boundary but one
	tm-cat --last 60 -k close -r QQQ -o csv mkt/benchmark.tmt |
	    sed 1d | cut -d, -f1 >all &&
	awk "{ m = substr(\$0, 1, 7); if (NR > 1 && m != pm) b[++nb] = NR; pm = m;
	    d[NR] = \$0 } END { for (i = b[nb - 1] - 5; i < b[nb - 1] + 4; i++)
	    print d[i] }" all >days &&
	test "$(wc -l <days)" -eq 9 &&
	test "$(cut -c1-7 days | sort -u | wc -l)" -eq 2 &&
	D0=$(sed -n 1p days) &&
	jobs_model $D0 data 100,20,20 model.tmt --algo dpg --seed 1 --epochs 1 &&
	cat >tm.conf <<-EOF
	TM_DATA=data
	TM_SOURCE=synth
	TM_SYNTH_DIR=mkt
	TM_LAYOUT=100,20,20
	TM_MODEL=$PWD/model.tmt
	TM_MAIL=spool
	TM_MAIL_TO=ops@example.org
	EOF
	echo "TM_BIN=$TM_BIN" >>tm.conf
'

run_daily() { TM_CONF=tm.conf bash "$DAILY" "$@"; }

test_expect_success 'the first day: state, journal, report, mail in the spool' '
	D1=$(sed -n 2p days) &&
	run_daily $D1 &&
	test "$(state_date)" = $D1 &&
	test "$(wc -l <data/state/journal.jsonl)" -eq 1 &&
	test -s data/out/$D1/report.txt &&
	test -s data/out/dashboard/index.html &&
	test "$(ls data/spool/new | wc -l)" -eq 1
'

test_expect_success 'a re-run of the same date gives the same state' '
	D1=$(sed -n 2p days) &&
	cp data/state/portfolio.json before.json &&
	run_daily $D1 &&
	test_cmp before.json data/state/portfolio.json &&
	test "$(wc -l <data/state/journal.jsonl)" -eq 1
'

test_expect_success 'day by day across the month boundary' '
	sed -n "3,\$p" days | while read -r d; do
		run_daily $d || exit 1
	done &&
	test "$(state_date)" = "$(tail -n 1 days)" &&
	test "$(wc -l <data/state/journal.jsonl)" -eq "$(($(wc -l <days) - 1))" &&
	last=$(tail -n 1 days) &&
	grep -q "\"month\": *\"$(echo $last | cut -c1-7)\"" data/state/portfolio.json
'

test_expect_success 'an older date is refused and the state stays' '
	cp data/state/portfolio.json before.json &&
	test_must_fail run_daily "$(sed -n 5p days)" 2>err &&
	grep -q "older than the last applied day" err &&
	test_cmp before.json data/state/portfolio.json
'

test_expect_success 'a failing stage alerts, names the stage, changes no state' '
	cp data/state/portfolio.json before.json &&
	n0=$(ls data/spool/new | wc -l) &&
	sed "s|^TM_MODEL=.*|TM_MODEL=$PWD/no-such-model.tmt|" tm.conf >bad.conf &&
	last=$(tail -n 1 days) &&
	test_must_fail env TM_CONF=bad.conf bash "$DAILY" $last 2>err &&
	grep -q "stage infer failed" err &&
	test_cmp before.json data/state/portfolio.json &&
	test "$(ls data/spool/new | wc -l)" -eq $((n0 + 1)) &&
	grep -l "infer failed" data/spool/new/* >/dev/null
'

test_done
