#!/bin/sh
# Shadows at the edges of a month: a shadow that spans a month end while
# the next month's candidate joins it (two shadows at once, each judged
# after its own TM_SHADOW_DAYS); a rollback of the live model while a
# shadow runs (the shadow goes on, the portfolio carries on, the shadow is
# judged against the book the rolled-back model then decided); a re-run
# of a day after a model change (the models of that day, or refused once
# they are pruned); a candidate failing the gate (drawdown) retired, the
# live model kept, the mail giving the gate's numbers.
. "$(dirname "$0")/lib.sh"
jobs_setup

st_of() { tm-model -d data/models list | awk -F "\t" -v v="$1" '$1 == v { print $6 }'; }
shadows() { tm-model -d data/models list | awk -F "\t" '$6 == "shadow" { print $1 }'; }
live() { basename "$(tm-model -d data/models live)" .tmt; }
job() { c=$1; shift; TM_CONF=$c bash "$@"; }
daily() { for d in "$@"; do job tm.conf "$DAILY" "$d" 2>>daily.err || return 1; done; }

test_expect_success 'setup: a market to 2017, a live model to 2016-12-30' '
	jobs_market data &&
	jobs_conf data TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=1 TM_EPOCHS=1 \
	    TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 TM_GATE_TURNOVER=100 \
	    TM_SHADOW_DAYS=6 >tm.conf
'

test_expect_success 'a shadow across the month end, the next month s candidate beside it' '
	daily 2017-01-24 2017-01-25 &&
	# retrained by hand late in January: its 6 days end in February
	job tm.conf "$MONTHLY" 2017-01-25 &&
	v1=$(shadows) && test -n "$v1" &&
	daily 2017-01-26 2017-01-27 2017-01-30 2017-01-31 2017-02-01 &&
	test "$(st_of $v1)" = shadow &&
	job tm.conf "$MONTHLY" --if-first &&
	test "$(shadows | wc -l)" -eq 2 &&
	v2=$(shadows | grep -v -x $v1) &&
	echo $v1 >v1 && echo $v2 >v2 &&
	daily 2017-02-02 &&
	# v1: 01-26 .. 02-02, six days; v2 has had one
	case $(st_of $v1) in live | retired) ;; *) exit 1 ;; esac &&
	test "$(st_of $v2)" = shadow &&
	test "$(cat data/state/shadow/$v2/since)" = 2017-02-02 &&
	grep -l -e "promoted $v1 after 6 shadow days" -e "retired $v1 after 6 shadow days" \
	    data/spool/new/* >/dev/null &&
	daily 2017-02-03 &&
	# judged, v1 leaves the state the next day
	test ! -e data/state/shadow/$v1 &&
	daily 2017-02-06 2017-02-07 2017-02-08 &&
	test "$(st_of $v2)" = shadow &&
	daily 2017-02-09 &&
	case $(st_of $v2) in live | retired) ;; *) exit 1 ;; esac &&
	test "$(tm-model -d data/models list | grep -c "	live	")" -eq 1 &&
	! grep -q "\"reset\"" data/state/journal.jsonl &&
	test "$(grep -c . data/state/journal.jsonl)" -eq 13
'

test_expect_success 'a rollback while a shadow runs: the shadow goes on and is judged' '
	# a live model with an earlier one to go back to
	jobs_train 8 l2.tmt &&
	prev=$(live) &&
	tm-model -d data/models add --status live l2.tmt >/dev/null &&
	l2=$(live) &&
	daily 2017-02-10 2017-02-13 &&
	# the next shadow, in by hand
	jobs_train 9 s3.tmt &&
	tm-model -d data/models add --status shadow s3.tmt >/dev/null &&
	s3=$(shadows) &&
	daily 2017-02-14 2017-02-15 &&
	# l2 has decided its last 2 days: a limit of -1 rolls it back
	{ cat tm.conf; echo TM_ROLLBACK_DAYS=2; echo TM_ROLLBACK_LIMIT=-1; } >rb.conf &&
	job rb.conf "$DAILY" 2017-02-16 2>err &&
	grep -q "rolled back from $l2" err &&
	test "$(live)" = $prev &&
	test "$(st_of $s3)" = shadow &&
	test "$(cat data/state/shadow/$s3/since)" = 2017-02-14 &&
	test "$(grep -c . data/state/shadow/$s3/journal.jsonl)" -eq \
	    "$(grep -c . data/state/journal.jsonl)" &&
	daily 2017-02-17 2017-02-21 &&
	# 02-14 .. 02-22 is six sessions (02-20 a holiday): judged on the 22nd
	test "$(st_of $s3)" = shadow &&
	daily 2017-02-22 &&
	case $(st_of $s3) in live | retired) ;; *) exit 1 ;; esac &&
	grep -l -e "promoted $s3 after 6" -e "retired $s3 after 6" data/spool/new/* >/dev/null &&
	test "$(tm-model -d data/models list | grep -c "	live	")" -eq 1 &&
	! grep -q "\"reset\"" data/state/journal.jsonl
'

test_expect_success 'a re-run after a model change decides with the models of that day' '
	D=data/states/2017-02-22 &&
	was=$(sed -n "\$s/.*\"model\": *\"\([^\"]*\)\".*/\1/p" $D/journal.jsonl) &&
	test -n "$was" && test -e data/models/$was.tmt &&
	ls $D/shadow >sh.before &&
	cp $D/portfolio.json p.before && cp $D/journal.jsonl j.before &&
	jobs_train 10 l4.tmt &&
	tm-model -d data/models add --status live l4.tmt >/dev/null &&
	l4=$(live) && test "$l4" != "$was" &&
	cp data/models/registry.json r.before &&
	daily 2017-02-22 &&
	test_cmp p.before $D/portfolio.json && test_cmp j.before $D/journal.jsonl &&
	ls $D/shadow >sh.after && test_cmp sh.before sh.after &&
	# the registry is left alone: no promotion, retirement nor rollback
	test_cmp r.before data/models/registry.json &&
	# once that day s model is pruned, the re-run is refused
	jobs_train 11 l5.tmt &&
	tm-model -d data/models --keep 1 add l5.tmt >/dev/null &&
	test ! -e data/models/$was.tmt &&
	test_must_fail --status 66 job tm.conf "$DAILY" 2017-02-22 2>err &&
	grep -q "2017-02-22: re-run: model $was, which decided that day, is not in" err &&
	test_cmp p.before $D/portfolio.json && test "$(live)" = "$l4"
'

test_expect_success 'a candidate beyond the drawdown limit is retired, the live model stays' '
	lv=$(live) && test -z "$(shadows)" &&
	{ cat tm.conf; echo TM_GATE_MAXDD=0.001; } >dd.conf &&
	job dd.conf "$MONTHLY" 2017-02-22 2>err &&
	test "$(live)" = "$lv" && test -z "$(shadows)" &&
	m=$(grep -l "^Subject: .*monthly 2017-02-22: fail: drawdown" data/spool/new/*) &&
	test "$(echo "$m" | wc -l)" -eq 1 &&
	bv=$(sed -n "s/^Candidate \([0-9a-f]*\), out of sample .*/\1/p" $m) &&
	test "$(st_of $bv)" = retired &&
	# the mail gives the gate s numbers: a drawdown beyond -0.001
	dd=$(sed -n "s/^ *candidate .* max drawdown \([^ ]*\) .*/\1/p" $m) &&
	awk -v d="$dd" "BEGIN { exit !(d + 0 < -0.001) }" &&
	grep -q "^Gate: fail: drawdown (margin 100, max drawdown 0.001, turnover 100)" $m &&
	grep -q "^The candidate was retired" $m &&
	tm-model -d data/models list --json | grep -q "\"verdict\": \"fail: drawdown\"" &&
	daily 2017-02-23 && test "$(live)" = "$lv" &&
	tail -n 1 data/state/journal.jsonl | grep -q "\"model\": *\"$lv\""
'

test_expect_success 'below the limit with nothing to roll back to: a critical mail, the model stays' '
	mkdir -p one/states/2016-12-30 &&
	cp data/states/2016-12-30/slots.json one/states/2016-12-30/ &&
	tm-model -d one/models add --status live l0.tmt >/dev/null &&
	{ sed "s/^TM_DATA=.*/TM_DATA=one/" tm.conf; echo TM_ROLLBACK_DAYS=1
	  echo TM_ROLLBACK_LIMIT=-1; } >one.conf &&
	job one.conf "$DAILY" 2017-01-24 2>err &&
	grep -q "could not be rolled back: .*no earlier live version" err &&
	test "$(tm-model -d one/models list | grep -c "	live	")" -eq 1 &&
	grep -l "^Subject: \[CRITICAL\] daily 2017-01-24: model changes" \
	    one/spool/new/* >/dev/null
'

test_done
