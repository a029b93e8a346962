#!/bin/sh
# A whole simulated year: pipelines/daily.sh on every trading day of 2017
# of a small tm-synth market and pipelines/monthly.sh --if-first after it
# every day, as the crontab runs them (20:00, after the 18:00 daily job).
# What a user relies on across the year: one live model every day; each
# month one candidate trained, gated, shadowed for TM_SHADOW_DAYS and then
# promoted or retired; the registry within its size, never pruning the
# live model; the portfolio carried over every day without loss; the run
# log holding every job's real exit status; the monthly mails in the
# spool; the book's value path that of tm-backtest replaying the applied
# weights.
. "$(dirname "$0")/lib.sh"
jobs_setup
KEEP=6		# registry size for the year (TM_MODELS_KEEP): pruning happens
SHADOW=5	# TM_SHADOW_DAYS

# jnum KEY: KEY's number in each JSON line on stdin
jnum() { sed -n "s/.*\"$1\": *\([-0-9.eE+]*\).*/\1/p"; }
# statuses: the registry's VERSION:STATUS, space-separated
statuses() {
	tm-model -d data/models list |
	    awk -F "\t" "NR > 1 { printf \"%s:%s \", \$1, \$6 }"
}
# job SCRIPT ARGS: a job as the crontab runs it, logging to runlog.jsonl
job() { TM_CONF=tm.conf TM_LOG=$TRASH/runlog.jsonl bash "$@"; }

test_expect_success 'setup: a 3-year market, a live model to the end of 2016' '
	tm-synth -n 30 -y 3 --seed 11 -o mkt &&
	tm-cat -k close -r QQQ -o csv mkt/benchmark.tmt | sed 1d |
	    cut -d, -f1 >alldays &&
	grep "^2017-" alldays >days &&
	test "$(wc -l <days)" -ge 250 &&
	D0=$(grep "^2016-" alldays | tail -n 1) &&
	mkdir -p data/log &&
	OPENBLAS_NUM_THREADS=1 &&
	export OPENBLAS_NUM_THREADS &&
	jobs_model $D0 data $LAYOUT live.tmt \
	    --algo dpg --seed 3 --epochs 1 --hidden 8,8 &&
	tm-model -d data/models add --status live live.tmt &&
	{ jobs_conf data TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=1 \
	    TM_EPOCHS=1; cat <<-EOF; } >tm.conf
	TM_DIFF_OPTS="--off all --threshold 0 --cost 0.001"
	TM_GATE_TURNOVER=0.5
	TM_SHADOW_DAYS=$SHADOW
	TM_ROLLBACK_DAYS=10
	TM_ROLLBACK_LIMIT=0.02
	TM_MODELS_KEEP=$KEEP
	EOF
'

# The year.  After each job: its exit status, the live version it ran
# with, the registry's versions and statuses; the applied weights and
# recommendations are kept for the replay.  On Independence Day, a
# weekday without a session, the daily job is run too: it must fail
# (66: no prices for that day) and change nothing.  The run log goes
# beside data/log, not in it: tm-report would read it back every day.
test_expect_success 'the year: the daily job every trading day, the monthly job after it' '
	mkdir -p w r &&
	while read -r d; do
		lv=$(basename "$(tm-model -d data/models live)" .tmt)
		if [ $d = 2017-07-05 ]; then
			st=0; job "$DAILY" 2017-07-04 2>holiday.err || st=$?
			echo "daily.sh $st" >>jobs
			test $st = 66 || { echo "holiday: exit $st"; exit 1; }
		fi
		st=0; job "$DAILY" $d 2>>daily.err || st=$?
		echo "daily.sh $st" >>jobs
		test $st = 0 || { echo "daily $d: exit $st"; exit 1; }
		cp data/state/weights.tmt w/$d.tmt
		cp data/state/recs.tmt r/$d.tmt
		printf "%s\t%s\t%s\n" $d $lv "$(statuses)" >>after-daily
		st=0; job "$MONTHLY" --if-first 2>>monthly.err || st=$?
		echo "monthly.sh $st" >>jobs
		test $st = 0 || { echo "monthly $d: exit $st"; exit 1; }
		printf "%s\t%s\n" $d "$(statuses)" >>after-monthly
	done <days &&
	test "$(wc -l <after-daily)" -eq "$(wc -l <days)"
'

test_expect_success 'exactly one live model every day, the one the day was decided by' '
	cut -f3 after-daily >s1 && cut -f2 after-monthly >s2 &&
	test "$(cat s1 s2 | awk "{ print gsub(/:live /, \"\") }" | sort -u)" = 1 &&
	sed "s/.*\"date\": *\"\\([-0-9]*\\)\", *\"model\": *\"\\([0-9a-f]*\\)\".*/\\1 \\2/" \
	    data/state/journal.jsonl >decided &&
	cut -f1,2 after-daily | tr "\t" " " >expect &&
	test_cmp expect decided
'

# new_versions: DATE VERSION STATUS for each version the monthly job added
new_versions() {
	paste after-daily after-monthly | awk -F "\t" "{
		n = split(\$3, a, \" \"); split(\$5, b, \" \")
		for (i in a) { split(a[i], x, \":\"); had[x[1]] = 1 }
		for (i in b) { split(b[i], x, \":\"); if (!(x[1] in had))
			print \$1, x[1], x[2] }
		delete had }"
}

test_expect_success 'each month: one candidate on its first trading day, gated and mailed' '
	awk "{ m = substr(\$0, 1, 7) } m != pm { print } { pm = m }" days >firsts &&
	test "$(wc -l <firsts)" -eq 12 &&
	grep -q "^2017-01-03\$" firsts &&
	new_versions >added &&
	cut -d" " -f1 added >got && test_cmp firsts got &&
	! grep -v -E " (shadow|retired)\$" added &&
	for d in $(cat firsts); do
		grep -l "^Subject: .*monthly $d: \\(pass\\|fail\\)" data/spool/new/* \
		    >/dev/null || { echo "no monthly mail for $d"; exit 1; }
	done &&
	test "$(grep -l "^Subject: .*monthly " data/spool/new/* | wc -l)" -eq 12
'

test_expect_success 'each shadow runs TM_SHADOW_DAYS days, then is promoted or retired' '
	grep " shadow\$" added >shadows &&
	test -s shadows &&
	while read -r d v st; do
		i=$(grep -n "^$d\$" days | cut -d: -f1)
		# the days after d: shadow for SHADOW - 1, judged on the SHADOW-th
		sed -n "$((i + 1)),$((i + SHADOW))p" after-daily |
		    awk -F "\t" -v v=$v "{ s = \"gone\"; n = split(\$3, a, \" \")
			for (k = 1; k <= n; k++) { split(a[k], x, \":\")
				if (x[1] == v) s = x[2] }
			print \$1, s }" >path &&
		test "$(sed "\$d" path | cut -d" " -f2 | sort -u)" = shadow &&
		j=$(tail -n 1 path) &&
		case ${j#* } in live | retired) ;; *) echo "$v: $j"; exit 1 ;; esac &&
		grep -l -e "promoted $v after $SHADOW shadow days" \
		    -e "retired $v after $SHADOW shadow days" data/spool/new/* |
		    xargs grep -l "^Subject: .*daily ${j% *}: model changes" >/dev/null ||
		    { echo "$v: no mail on ${j% *}"; exit 1; }
		echo "${j#* }" >>outcomes
	done <shadows &&
	grep -q live outcomes && grep -q retired outcomes
'

test_expect_success 'the registry keeps TM_MODELS_KEEP versions and never prunes the live one' '
	cat s1 s2 | awk "{ if (NF > $KEEP) bad++ } END { exit bad > 0 }" &&
	cat s1 s2 | tr " " "\n" | cut -d: -f1 | sort -u | grep -c . >nseen &&
	test "$(cat nseen)" -gt $KEEP &&
	grep -q "\"pruned\"" data/models/journal.jsonl &&
	# the rollbacks of the year: to the version before, or, with none
	# left (the version rolled back to has no earlier one), said in a
	# critical mail that day
	grep -l "rolled back from" data/spool/new/* >/dev/null &&
	grep -c "could not be rolled back" daily.err >n1 || : &&
	grep -l "could not be rolled back" data/spool/new/* |
	    xargs -r grep -l "^Subject: \\[CRITICAL\\]" | wc -l >n2 &&
	test_cmp n1 n2
'

test_expect_success 'the portfolio carries over every day: no reset, nothing lost' '
	J=data/state/journal.jsonl &&
	! grep -q "\"reset\"" $J &&
	sed "s/.*\"date\": *\"\\([-0-9]*\\)\".*/\\1/" $J >jd && test_cmp days jd &&
	jnum value_before <$J | sed 1d >before &&
	jnum value_after <$J | sed "\$d" >after &&
	test "$(wc -l <before)" -eq $(($(wc -l <days) - 1)) &&
	test_cmp after before &&
	test "$(jnum value_before <$J | sed -n 1p)" = 1000000.0
'

test_expect_success 'the run log holds every job with the status it exited with' '
	grep -o "\"tool\":\"[a-z]*\\.sh\".*\"exit\":[0-9]*" runlog.jsonl |
	    sed "s/\"tool\":\"\\([a-z.]*\\)\".*\"exit\":\\([0-9]*\\)/\\1 \\2/" >logged &&
	test_cmp jobs logged &&
	grep -q "\"tool\":\"daily.sh\",\"args\":\\[\"2017-07-04\"\\].*\"exit\":66" runlog.jsonl &&
	# its tools all ended well: only the job says the day failed
	! grep "\"tool\":\"tm-" runlog.jsonl | grep "\"2017-07-04\"" | grep -v "\"exit\":0"
'

test_expect_success 'the holiday changed nothing and said why' '
	grep -q "2017-07-04: no prices for that day" holiday.err &&
	test ! -e data/states/2017-07-04
'

test_expect_success 'the value path is tm-backtest replaying the applied weights' '
	tm-features -f mkt/fundamentals.tmt mkt/prices.tmt |
	    tm-slotmap -l $LAYOUT --members mkt/membership.csv |
	    tm-cat --from "$(sed -n 1p days)" >year.tmt &&
	cat w/*.tmt >weights.tmt && cat r/*.tmt >recs.tmt &&
	tm-backtest -q --cost 0.001 -w weights.tmt year.tmt >eq-w.tmt &&
	tm-backtest -q --cost 0.001 --index recs.tmt year.tmt >eq-i.tmt &&
	tm-cat -o csv -k value eq-w.tmt | sed 1d | cut -d, -f1,3 >replay &&
	tm-cat -o csv -k value eq-i.tmt | sed 1d | cut -d, -f1,3 >index &&
	test_cmp replay index &&
	sed "s/.*\"date\": *\"\\([-0-9]*\\)\".*\"index\": *\\([-0-9.eE+]*\\).*/\\1,\\2/" \
	    data/state/journal.jsonl | sed 1,2d >book &&
	test "$(wc -l <book)" -eq $(($(wc -l <days) - 2)) &&
	test "$(wc -l <replay)" -eq "$(wc -l <book)" &&
	awk -F, "NR == FNR { v[\$1] = \$2; next }
	    !(\$1 in v) || v[\$1] != \$2 + 0 { print; bad++ } END { exit bad > 0 }" \
	    book replay
'

test_done
