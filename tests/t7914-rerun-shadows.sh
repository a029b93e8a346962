#!/bin/sh
# A re-run of an applied day by pipelines/daily.sh, as the job itself and
# with TM_MODEL, after the registry changed that evening (the day's shadow
# judged, the monthly job's next candidate put in shadow): the day's
# shadows are those of its state as it was, each journaled once for the
# day (the same journal, line for line), the newer shadow does not join
# that day, no shadow is judged a second time and the registry is left
# alone; the next day goes on from the re-run day as from the first run.
# With TM_MODEL a shadow whose file was pruned since is left out (said);
# without it the re-run is refused (66).
. "$(dirname "$0")/lib.sh"
jobs_setup

shadows() { tm-model -d data/models list | awk -F "\t" '$6 == "shadow" { print $1 }'; }
st_of() { tm-model -d data/models list | awk -F "\t" -v v="$1" '$1 == v { print $6 }'; }
daily() { TM_CONF=tm.conf bash "$DAILY" "$@" 2>>daily.err; }
# snap DAY: what a re-run must leave as it was
snap() {
	S=data/states/$1 &&
	(cd $S && find . -name journal.jsonl -o -name portfolio.json -o -name since |
	    sort | xargs cat) >snap.$1 &&
	ls $S/shadow >shadows.$1 &&
	cp data/models/registry.json reg.$1
}
# same DAY: the day's state and the registry as snap left them
same() {
	(cd data/states/$1 && find . -name journal.jsonl -o -name portfolio.json \
	    -o -name since | sort | xargs cat) >now.$1 &&
	test_cmp snap.$1 now.$1 &&
	ls data/states/$1/shadow >sh.now && test_cmp shadows.$1 sh.now &&
	test_cmp reg.$1 data/models/registry.json
}

test_expect_success 'setup: a live model, a shadow judged on its second day' '
	jobs_market data &&
	for s in 4 5 6; do
		jobs_train $s m$s.tmt || exit 1
	done &&
	jobs_conf data TM_SHADOW_DAYS=2 TM_SHADOW_MARGIN=-100 >tm.conf &&
	daily 2017-01-03 &&
	tm-model -d data/models add --status shadow m4.tmt >/dev/null &&
	s1=$(shadows) && echo $s1 >s1 &&
	daily 2017-01-04 &&
	test "$(cat data/state/shadow/$s1/since)" = 2017-01-04 &&
	test "$(st_of $s1)" = shadow &&
	# its second day: judged (a margin of -100: retired)
	daily 2017-01-05 &&
	test "$(st_of $s1)" = retired &&
	test -d data/states/2017-01-05/shadow/$s1 &&
	# that evening the monthly job puts the next candidate in shadow
	tm-model -d data/models add --status shadow m5.tmt >/dev/null &&
	shadows >s2 && test "$(wc -l <s2)" = 1 &&
	snap 2017-01-05
'

test_expect_success 'the job re-run: that day s shadows, journaled once, nothing judged again' '
	s1=$(cat s1) &&
	daily 2017-01-05 &&
	same 2017-01-05 &&
	test "$(grep -c "\"date\": *\"2017-01-05\"" \
	    data/states/2017-01-05/shadow/$s1/journal.jsonl)" = 1
'

test_expect_success 'TM_MODEL re-run: the same, the newer shadow does not join that day' '
	s1=$(cat s1) &&
	lv=$(basename "$(tm-model -d data/models live)") &&
	TM_MODEL=$PWD/data/models/$lv TM_CONF=tm.conf bash "$DAILY" 2017-01-05 &&
	same 2017-01-05 &&
	test ! -e data/states/2017-01-05/shadow/$(cat s2) &&
	test "$(grep -c "\"date\": *\"2017-01-05\"" \
	    data/states/2017-01-05/shadow/$s1/journal.jsonl)" = 1
'

test_expect_success 'a pruned shadow: refused without TM_MODEL, left out with it' '
	s1=$(cat s1) &&
	tm-model -d data/models --keep 1 add m6.tmt >/dev/null &&
	test ! -e data/models/$s1.tmt &&
	cp -a data/states/2017-01-05 before &&
	test_must_fail --status 66 env TM_CONF=tm.conf bash "$DAILY" 2017-01-05 2>err &&
	grep -q "2017-01-05: re-run: shadow model $s1, which ran that day, is no longer in" err &&
	diff -r before data/states/2017-01-05 &&
	cp data/models/registry.json reg.before &&
	lv=$(basename "$(tm-model -d data/models live)") &&
	TM_MODEL=$PWD/data/models/$lv TM_CONF=tm.conf bash "$DAILY" 2017-01-05 2>err &&
	grep -q "shadow model $s1, .*(pruned): its paper portfolio leaves that day" err &&
	test ! -e data/states/2017-01-05/shadow/$s1 &&
	test_cmp before/journal.jsonl data/states/2017-01-05/journal.jsonl &&
	test_cmp reg.before data/models/registry.json
'

test_expect_success 'the next day: the new shadow starts, the judged one leaves' '
	daily 2017-01-06 &&
	test "$(cat data/state/shadow/$(cat s2)/since)" = 2017-01-06 &&
	test ! -e data/state/shadow/$(cat s1) &&
	test "$(grep -c . data/state/journal.jsonl)" = 4 &&
	test "$(grep -c "\"date\": *\"2017-01-05\"" data/state/journal.jsonl)" = 1
'

test_done
