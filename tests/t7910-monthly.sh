#!/bin/sh
# pipelines/monthly.sh on a small tm-synth market: the gate failing
# (candidate retired), the gate passing (candidate in shadow), the shadow
# run beside the live model by daily.sh and its promotion or retirement
# after TM_SHADOW_DAYS, each outcome mailed; rollback of the live model.
. "$(dirname "$0")/lib.sh"
jobs_setup

status_of() {	# status_of VERSION: its status in the registry
	tm-model -d data/models list | awk -F '\t' -v v="$1" '$1 == v { print $6 }'
}

test_expect_success 'setup: a market, a live model, three applied days' '
	tm-synth -n 80 -y 2 --seed 7 -o mkt &&
	tm-cat --last 12 -k close -r QQQ -o csv mkt/benchmark.tmt |
	    sed 1d | cut -d, -f1 >days &&
	D0=$(sed -n 1p days) &&
	jobs_model $D0 data 100,20,20 live.tmt --algo dpg --seed 9 --epochs 1 &&
	tm-model -d data/models add --status live live.tmt &&
	cat >tm.conf <<-EOF &&
	TM_DATA=data
	TM_SOURCE=synth
	TM_SYNTH_DIR=mkt
	TM_LAYOUT=100,20,20
	TM_MAIL=spool
	TM_MAIL_TO=ops@example.org
	TM_TRAIN_DAYS=250
	TM_GATE_DAYS=40
	TM_SEEDS=2
	TM_EPOCHS=1
	TM_SHADOW_DAYS=3
	TM_BIN=$TM_BIN
	EOF
	for d in $(sed -n 2,4p days); do
		TM_CONF=tm.conf bash "$DAILY" $d || exit 1
	done
'

test_expect_success 'a candidate that fails the gate is retired and mailed' '
	n0=$(ls data/spool/new | wc -l) &&
	{ cat tm.conf; echo TM_GATE_TURNOVER=-1; } >strict.conf &&
	TM_CONF=strict.conf bash "$MONTHLY" "$(sed -n 4p days)" &&
	test "$(tm-model -d data/models list | grep -c retired)" -eq 1 &&
	test "$(ls data/spool/new | wc -l)" -eq $((n0 + 1)) &&
	grep -l "fail: turnover" data/spool/new/* >/dev/null &&
	grep -q "\"verdict\": *\"fail: turnover\"" data/models/registry.json
'

test_expect_success '--if-first: not the first day of the month, nothing' '
	cp data/models/registry.json before.json &&
	TM_CONF=tm.conf bash "$MONTHLY" --if-first "$(sed -n 4p days)" &&
	test_cmp before.json data/models/registry.json
'

test_expect_success 'a candidate that passes goes to shadow' '
	{ cat tm.conf; echo TM_GATE_MARGIN=100; echo TM_GATE_MAXDD=100;
	  echo TM_GATE_TURNOVER=100; } >loose.conf &&
	# the same date again makes the same model: judged already, no change
	cp data/models/registry.json before.json &&
	TM_CONF=loose.conf bash "$MONTHLY" "$(sed -n 4p days)" 2>err &&
	grep -q "in the registry already (retired)" err &&
	test_cmp before.json data/models/registry.json &&
	TM_CONF=loose.conf bash "$MONTHLY" "$(sed -n 3p days)" &&
	tm-model -d data/models list | awk -F "\t" "\$6 ~ /^shadow/" >shadow &&
	test "$(wc -l <shadow)" -eq 1
'

test_expect_success 'the shadow runs beside the live model, then is judged' '
	v=$(cut -f1 shadow) &&
	live0=$(basename "$(tm-model -d data/models live)" .tmt) &&
	for d in $(sed -n 5,7p days); do
		TM_CONF=tm.conf bash "$DAILY" $d || exit 1
		test -f data/state/shadow/$v/journal.jsonl ||
		    test "$(status_of $v)" != shadow || exit 1
	done &&
	st=$(status_of $v) &&
	case $st in live | retired) ;; *) echo "still $st"; exit 1 ;; esac &&
	grep -l -e "promoted $v" -e "retired $v" data/spool/new/* >/dev/null &&
	if [ $st = live ]; then
		test "$(status_of $live0)" = retired
	fi &&
	# the live portfolio went on: one journal line a day, no reset
	test "$(grep -c -v reset data/state/journal.jsonl)" -eq 6
'

test_expect_success 'the live model rolls back when the portfolio loses past the limit' '
	tm-train -q --algo dpg --seed 11 --epochs 1 -o next.tmt <s.tmt &&
	prev=$(basename "$(tm-model -d data/models live)" .tmt) &&
	tm-model -d data/models add --status live next.tmt &&
	v=$(basename "$(tm-model -d data/models live)" .tmt) &&
	test "$v" != "$prev" &&
	# a limit of -1: any growth below 2 over 1 day decided by v fires
	{ cat tm.conf; echo TM_ROLLBACK_DAYS=1; echo TM_ROLLBACK_LIMIT=-1; } >rb.conf &&
	TM_CONF=rb.conf bash "$DAILY" "$(sed -n 8p days)" 2>err &&
	test "$(basename "$(tm-model -d data/models live)" .tmt)" = "$prev" &&
	grep -q "rolled back from $v" err &&
	grep -l "rolled back from $v" data/spool/new/* >/dev/null
'

test_done
