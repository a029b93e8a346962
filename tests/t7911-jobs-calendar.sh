#!/bin/sh
# The jobs and the calendar, as the crontab runs them: monthly.sh
# --if-first on the system's first applied day, on a first session after a
# holiday, on the first applied day after a missed first session, and on a
# system started mid-month; daily.sh without a DATE when no new session
# came; the run log's line for each job with the status it exited with.
. "$(dirname "$0")/lib.sh"
jobs_setup

nver() { tm-model -d "$1"/models list | sed 1d | wc -l; }
# job CONF SCRIPT ARGS: a job with CONF, logging to log.jsonl
job() { c=$1; shift; TM_CONF=$c TM_LOG=$TRASH/log.jsonl bash "$@"; }

# start DIR: a data folder with a live model trained to 2016-12-30
start() {
	mkdir -p "$1/states/2016-12-30" &&
	tm-slotmap -l $LAYOUT --members mkt/membership.csv \
	    -s "$1/states/2016-12-30/slots.json" f.tmt >/dev/null &&
	tm-model -d "$1/models" add --status live live.tmt >/dev/null
}

test_expect_success 'setup: a market to 2017, a live model to 2016-12-30' '
	tm-synth -n 30 -y 3 --seed 5 -o mkt &&
	tm-cat -k close -r QQQ -o csv mkt/benchmark.tmt | sed 1d |
	    cut -d, -f1 >days &&
	# 2017-01-02 is a holiday: the first session of 2017 is the 3rd
	! grep -q "^2017-01-02\$" days && grep -q "^2017-01-03\$" days &&
	grep -q "^2016-12-30\$" days &&
	tm-cat --to 2016-12-30 mkt/prices.tmt |
	    tm-features -f mkt/fundamentals.tmt >f.tmt &&
	tm-slotmap -l $LAYOUT --members mkt/membership.csv f.tmt |
	    tm-train -q --algo dpg --seed 3 --epochs 1 --hidden 4,4 -o live.tmt &&
	for d in a b; do
		jobs_conf $d TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=1 \
		    TM_EPOCHS=1 TM_GATE_TURNOVER=100 >$d.conf || exit 1
	done &&
	start a
'

test_expect_success '--if-first retrains on the first applied day, a first session after a holiday' '
	job a.conf "$DAILY" 2017-01-03 &&
	test "$(grep -c . a/state/journal.jsonl)" -eq 1 &&
	job a.conf "$MONTHLY" --if-first &&
	test "$(nver a)" -eq 2 &&
	test -f a/models/.retrained-2017-01
'

test_expect_success '--if-first the next day: nothing' '
	job a.conf "$DAILY" 2017-01-04 &&
	cp a/models/registry.json before.json &&
	job a.conf "$MONTHLY" --if-first &&
	test_cmp before.json a/models/registry.json
'

test_expect_success 'a missed first session: the first applied day of the month retrains' '
	job a.conf "$DAILY" 2017-02-02 &&
	job a.conf "$MONTHLY" --if-first &&
	test "$(nver a)" -eq 3 &&
	test -f a/models/.retrained-2017-02
'

test_expect_success 'a system started mid-month waits for the next first session' '
	start b &&
	job b.conf "$DAILY" 2017-01-10 &&
	cp b/models/registry.json before.json &&
	job b.conf "$MONTHLY" --if-first &&
	test_cmp before.json b/models/registry.json &&
	test ! -e b/models/.retrained-2017-01
'

test_expect_success 'without a DATE, a day applied already is no new session' '
	# the market as it stands on the evening of 2017-02-03 (a Friday),
	# and again on the Monday before its bars come in
	mkdir cut && cp mkt/*.csv mkt/benchmark.tmt mkt/fundamentals.tmt cut/ &&
	tm-cat --to 2017-02-03 mkt/prices.tmt >cut/prices.tmt &&
	{ cat a.conf; echo TM_SYNTH_DIR=cut; } >cut.conf &&
	job cut.conf "$DAILY" &&
	test "$(readlink a/state)" = states/2017-02-03 &&
	cp a/state/portfolio.json before.json &&
	n0=$(ls a/spool/new | wc -l) &&
	job cut.conf "$DAILY" 2>err &&
	grep -q "2017-02-03: no new session since the last applied day" err &&
	test_cmp before.json a/state/portfolio.json &&
	test "$(ls a/spool/new | wc -l)" -eq $n0 &&
	test "$(grep -c . a/state/journal.jsonl)" -eq 4
'

# jobs: TOOL EXIT of each job line of the run log
jobs_logged() {
	sed -n "s/.*\"tool\":\"\([a-z]*\.sh\)\".*\"exit\":\([0-9]*\).*/\1 \2/p" log.jsonl
}

test_expect_success 'the run log: a job that fails with its tools at 0 is logged with its status' '
	: >log.jsonl &&
	# 2017-01-16, Martin Luther King Day: no session
	test_must_fail --status 66 job b.conf "$DAILY" 2017-01-16 2>err &&
	grep -q "no prices for that day" err &&
	test "$(jobs_logged)" = "daily.sh 66" &&
	grep "\"tool\":\"tm-" log.jsonl >tools &&
	test -s tools && ! grep -v "\"exit\":0," tools
'

test_expect_success 'the run log: a skipped --if-first is 0, a failing stage its status' '
	: >log.jsonl &&
	job b.conf "$MONTHLY" --if-first &&
	{ cat b.conf; echo TM_ALGOS=nosuch; } >bad.conf &&
	test_must_fail --status 64 job bad.conf "$MONTHLY" 2017-01-10 2>err &&
	grep -q "stage train nosuch seed 1 failed (exit 64)" err &&
	printf "monthly.sh 0\nmonthly.sh 64\n" >expect &&
	jobs_logged >got && test_cmp expect got &&
	grep "\"tool\":\"monthly.sh\"" log.jsonl | sed -n 2p |
	    grep -q "\"args\":\\[\"2017-01-10\"\\]" &&
	# a DATE that is not one is refused before anything runs
	test_must_fail --status 64 job b.conf "$MONTHLY" "2017-1-10\"x" 2>err &&
	grep -q "not a date" err &&
	tail -n 1 log.jsonl | grep -q "\"args\":\\[\"2017-1-10\\\\\"x\"\\],.*\"exit\":64" &&
	# the same for the daily job: logged, no alert (a usage error, not an
	# incident), and the usage line for anything but [FLAG] [DATE]
	n0=$(ls b/spool/new | wc -l) &&
	test_must_fail --status 64 job b.conf "$DAILY" 2017-13 2>err &&
	grep -q "^daily: 2017-13: not a date (YYYY-MM-DD)\$" err &&
	tail -n 1 log.jsonl | grep -q "\"tool\":\"daily.sh\",\"args\":\\[\"2017-13\"\\],.*\"exit\":64" &&
	test "$(ls b/spool/new | wc -l)" -eq $n0 &&
	for a in "--if-first -x" "--fetch-only" "2017-01-10 2017-01-11" "-h"; do
		test_must_fail --status 64 job b.conf "$MONTHLY" $a 2>err &&
		grep -q -x "usage: monthly.sh \[--if-first\] \[DATE\]" err || exit 1
	done &&
	for a in "--fetch-only -x" "--if-first" "2017-01-10 2017-01-11" "--help"; do
		test_must_fail --status 64 job b.conf "$DAILY" $a 2>err &&
		grep -q -x "usage: daily.sh \[--fetch-only\] \[DATE\]" err || exit 1
	done
'

test_done
