#!/bin/sh
# pipelines/daily.sh's models stage against numbers worked out here from
# the journal: the automatic rollback fires when the portfolio's growth
# over the last TM_ROLLBACK_DAYS days falls below 1 - TM_ROLLBACK_LIMIT and
# not when it is above (the limit set a hair either side of the loss the
# day made), and only when the live model decided all of those days; the
# approval gate (TM_REQUIRE_APPROVAL=1): a shadow whose results hold waits,
# still a shadow, with a warning mail each day, until tm-model approve;
# then it is promoted; and the shadow does not act: the live book is
# the one the job keeps without it.
. "$(dirname "$0")/lib.sh"
jobs_setup
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

live() { basename "$(tm-model -d "$1"/models live)" .tmt; }
st_of() { tm-model -d "$1"/models list | awk -F "\t" -v v="$2" '$1 == v { print $6 }'; }
# daily DATA DAY [KEY=VALUE...]: the daily job on DATA with more settings
daily() {
	_d=$1 _day=$2
	shift 2
	{ sed "s|^TM_DATA=.*|TM_DATA=$_d|" tm.conf; printf '%s\n' "$@"; } >"$_d.conf" &&
	TM_CONF=$_d.conf bash "$DAILY" "$_day" 2>>"$_d.err"
}
# growth JOURNAL N: value_after of the last line / value_before of the
# N-th from the end, at full precision
growth() {
	"$PY" - "$1" "$2" <<-\PYEOF
	import json, sys
	j = [json.loads(l) for l in open(sys.argv[1]) if '"reset"' not in l]
	n = int(sys.argv[2])
	print(repr(j[-1]["value_after"] / j[-n]["value_before"]))
	PYEOF
}

test_expect_success 'setup: a market, a live model with one before it' '
	jobs_market a &&
	for s in 4 5 6; do
		jobs_train $s m$s.tmt || exit 1
	done &&
	l0=$(live a) && echo $l0 >l0 &&
	tm-model -d a/models add --status live m4.tmt >/dev/null &&
	l1=$(live a) && echo $l1 >l1 && test $l1 != $l0 &&
	jobs_conf a "TM_DIFF_OPTS=\"--off all --threshold 0 --cost 0.001\"" \
	    TM_ROLLBACK_DAYS=3 >tm.conf &&
	daily a 2017-01-03 TM_ROLLBACK_LIMIT=1 &&
	daily a 2017-01-04 TM_ROLLBACK_LIMIT=1 &&
	cp -a a before3 &&
	daily a 2017-01-05 TM_ROLLBACK_LIMIT=1 &&
	test "$(live a)" = $l1 &&
	test "$(grep -c . a/state/journal.jsonl)" = 3 &&
	growth a/state/journal.jsonl 3 >g &&
	cat g
'

# at DIR LIMIT: 2017-01-05 on a copy of the data before it, with LIMIT
at() {
	rm -rf "$1" && cp -a before3 "$1" &&
	daily "$1" 2017-01-05 "TM_ROLLBACK_LIMIT=$2"
}

test_expect_success 'the same day, the limit a hair under the loss: rolled back' '
	lim=$(awk -v g="$(cat g)" "BEGIN { printf \"%.12g\", 1 - g - 1e-7 }") &&
	at b $lim &&
	test_cmp a/state/journal.jsonl b/state/journal.jsonl &&
	test "$(live b)" = "$(cat l0)" &&
	test "$(st_of b "$(cat l1)")" = retired &&
	grep -q "rolled back from $(cat l1): the portfolio grew .* over its last 3 days" b.err &&
	grep -l "^Subject: \[CRITICAL\] daily 2017-01-05: model changes" b/spool/new/* >/dev/null
'

test_expect_success 'the limit a hair over the loss: no rollback, no mail' '
	lim=$(awk -v g="$(cat g)" "BEGIN { printf \"%.12g\", 1 - g + 1e-7 }") &&
	at c $lim &&
	test_cmp a/state/journal.jsonl c/state/journal.jsonl &&
	test "$(live c)" = "$(cat l1)" &&
	! grep -q "rolled back" c.err &&
	! grep -l "model changes" c/spool/new/* >/dev/null
'

test_expect_success 'a live model that has not decided the whole window is not judged' '
	rm -rf d && cp -a before3 d &&
	tm-model -d d/models add --status live m5.tmt >/dev/null &&
	l2=$(live d) &&
	daily d 2017-01-05 TM_ROLLBACK_LIMIT=-1 &&
	test "$(live d)" = $l2 && ! grep -q "rolled back" d.err &&
	# three days of its own and the same limit rolls it back
	daily d 2017-01-06 TM_ROLLBACK_LIMIT=-1 && test "$(live d)" = $l2 &&
	daily d 2017-01-09 TM_ROLLBACK_LIMIT=-1 &&
	test "$(live d)" = "$(cat l1)" && grep -q "rolled back from $l2" d.err
'

test_expect_success 'approval required: a shadow that holds waits, warned, until approved' '
	rm -rf e && mkdir -p e/states/2016-12-30 &&
	cp a/states/2016-12-30/slots.json e/states/2016-12-30/ &&
	tm-model -d e/models add --status live l0.tmt >/dev/null &&
	tm-model -d e/models add --status shadow m6.tmt >/dev/null &&
	v=$(tm-model -d e/models list | awk -F "\t" "\$6 == \"shadow\" { print \$1 }") &&
	set -- TM_REQUIRE_APPROVAL=1 TM_SHADOW_DAYS=2 TM_SHADOW_MARGIN=100 TM_ROLLBACK_LIMIT=1 &&
	daily e 2017-01-03 "$@" && test "$(st_of e $v)" = shadow &&
	daily e 2017-01-04 "$@" && test "$(st_of e $v)" = shadow &&
	daily e 2017-01-05 "$@" && test "$(st_of e $v)" = shadow &&
	test "$(live e)" = "$(cat l0)" &&
	for d in 2017-01-04 2017-01-05; do
		m=$(grep -l "^Subject: \[WARNING\] daily $d: model changes" e/spool/new/*) &&
		grep -q "$v passed [0-9]* shadow days .* and waits for approval (tm-model approve $v)" $m ||
		    exit 1
	done &&
	tm-model -d e/models approve $v &&
	daily e 2017-01-06 "$@" &&
	test "$(live e)" = $v && test "$(st_of e "$(cat l0)")" = retired &&
	grep -l "promoted $v after 4 shadow days" e/spool/new/* >/dev/null &&
	# the book carried on across the promotion
	test "$(grep -c . e/state/journal.jsonl)" = 4 &&
	! grep -q "\"reset\"" e/state/journal.jsonl
'

test_expect_success 'a shadow does not act: the live book is the one without it' '
	rm -rf f && mkdir -p f/states/2016-12-30 &&
	cp a/states/2016-12-30/slots.json f/states/2016-12-30/ &&
	tm-model -d f/models add --status live l0.tmt >/dev/null &&
	for d in 2017-01-03 2017-01-04 2017-01-05; do
		daily f $d TM_ROLLBACK_LIMIT=1 || exit 1
	done &&
	test_cmp f/states/2017-01-05/journal.jsonl e/states/2017-01-05/journal.jsonl &&
	test_cmp f/states/2017-01-05/portfolio.json e/states/2017-01-05/portfolio.json &&
	v=$(ls e/states/2017-01-05/shadow) &&
	! cmp -s e/states/2017-01-05/shadow/$v/journal.jsonl e/states/2017-01-05/journal.jsonl
'

test_done
