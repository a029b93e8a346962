#!/bin/sh
# pipelines/monthly.sh killed (-9, the whole job) or failing at points of
# its work, then run again: after the kill the registry reads back valid
# with no candidate left half judged, no work folder is left after the
# re-run, and the re-run's outcome is a clean run's: the same registry
# (versions, statuses, gates, metrics, live history) and journal (the same
# changes in the same order), the month's marker, one monthly mail with the
# same retraining summary and gate.  The faults come from wrappers of the
# job's tools (TM_BIN): INJECT="TOOL WHEN N [ARG]" acts on TOOL's Nth call
# (counting calls with ARG among their arguments): before (kill the job
# before it runs), after (kill the job when it has ended), fail (exit 70).
# And --if-first killed on the first day goes on the next evening.
. "$(dirname "$0")/lib.sh"
jobs_setup
REAL_BIN=$TM_BIN	# the wrappers' tools
export REAL_BIN
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'
command -v setsid >/dev/null || test_skip_all 'needs setsid'
command -v flock >/dev/null || test_skip_all 'needs flock'

D=2017-02-01

# job CONF DATA [INJECT]: monthly.sh for D on a fresh copy of base/ in
# DATA, in a session of its own (the wrappers kill its process group);
# prints its exit status.  rerun DATA [INJECT]: again on DATA as it is.
job() {
	rm -rf "$2" "$2.err" "$TRASH/$2.count".* && cp -a base "$2" &&
	sed "s|^TM_DATA=.*|TM_DATA=$2|" "$1" >"$2.job.conf" &&
	rerun "$2" "${3:-}"
}
rerun() {
	_st=0
	TM_CONF=$1.job.conf INJECT=${2:-} INJECT_DIR=$TRASH/$1.count \
	    setsid -w bash "$MONTHLY" $D 2>>"$1.err" || _st=$?
	echo "$_st"
}

# proj DATA: the registry and its journal without their clock times
proj() {
	"$PY" - "$1/models" <<-\PYEOF
	import json, sys
	d = sys.argv[1]
	r = json.load(open(d + "/registry.json"))
	for e in r["versions"]:
	    print("version", e["version"], e["algo"], e["seed"], e["from"],
	          e["to"], e["status"], e["approved"],
	          json.dumps(e["metrics"], sort_keys=True),
	          json.dumps(e["gate"], sort_keys=True))
	print("seq", r["seq"], "live_history", r["live_history"])
	for l in open(d + "/journal.jsonl"):
	    j = json.loads(l)
	    print("journal", j["seq"], j["action"], j["version"], j["from"],
	          j["to"], j.get("retired", ""), j.get("pruned", ""))
	PYEOF
}
# monthly_mails DATA: the monthly mails' text, from its first line to the
# registry's listing (whose "added" times differ)
monthly_mails() {
	for m in $(grep -l "^Subject: .*monthly $D: " "$1"/spool/new/* 2>/dev/null); do
		tr -d "\r" <"$m" | sed -n "/^Monthly retraining/,/^\$/p"
	done
}
# check_left DATA: what a killed run left: a valid registry, no version
# left a candidate, nothing mailed for the month, no marker
check_left() {
	tm-model -d "$1/models" list >"$1.left" &&
	! awk -F "\t" "NR > 1 && \$6 ~ /^candidate/" "$1.left" | grep . &&
	test -z "$(monthly_mails "$1")" &&
	test ! -e "$1/models/.retrained-2017-02"
}
# same_as CLEAN DATA: DATA's outcome is CLEAN's
same_as() {
	proj "$1" >"$1.proj" && proj "$2" >"$2.proj" && test_cmp "$1.proj" "$2.proj" &&
	monthly_mails "$1" >"$1.mail" && monthly_mails "$2" >"$2.mail" &&
	test -s "$1.mail" && test_cmp "$1.mail" "$2.mail" &&
	test_cmp "$1/models/.retrained-2017-02" "$2/models/.retrained-2017-02" &&
	test -z "$(ls -d "$2"/.monthly.* 2>/dev/null)"
}

test_expect_success 'setup: a market, a live model, the wrapped tools' '
	jobs_market base &&
	mkdir wbin &&
	for t in "$TM_BIN"/*; do ln -s "$t" wbin/; done &&
	cat >wrap <<-\EOF &&
	#!/bin/sh
	t=${0##*/}
	real=$REAL_BIN/$t
	read -r it when n arg <<-END
	${INJECT:-}
	END
	if [ "$t" = "$it" ]; then
		hit=1
		[ -z "${arg:-}" ] || case " $* " in *" $arg "*) ;; *) hit= ;; esac
		if [ -n "$hit" ]; then
			c=$(($(cat "$INJECT_DIR.$t" 2>/dev/null || echo 0) + 1))
			echo $c >"$INJECT_DIR.$t"
			if [ "$c" = "$n" ]; then
				case $when in
				before) kill -KILL 0 ;;
				fail) echo "$t: injected failure" >&2; exit 70 ;;
				after) "$real" "$@"; kill -KILL 0 ;;
				esac
			fi
		fi
	fi
	exec "$real" "$@"
	EOF
	chmod +x wrap &&
	for t in tm-train tm-backtest tm-model tm-mail; do
		rm wbin/$t && ln -s ../wrap wbin/$t || exit 1
	done &&
	jobs_conf data TM_TRAIN_DAYS=160 TM_GATE_DAYS=30 TM_SEEDS=2 TM_EPOCHS=1 \
	    TM_GATE_MARGIN=100 TM_GATE_MAXDD=100 TM_GATE_TURNOVER=100 \
	    "TM_BIN=$PWD/wbin" >tm.conf &&
	{ cat tm.conf; echo TM_GATE_TURNOVER=-1; } >fail.conf &&
	test "$(job tm.conf pass)" = 0 && test "$(job fail.conf fail)" = 0 &&
	test "$(tm-model -d pass/models list | grep -c "	shadow	")" = 1 &&
	test "$(tm-model -d fail/models list | grep -c "	retired	")" = 1 &&
	test "$(grep -c . pass/models/journal.jsonl)" = 2 &&
	test "$(monthly_mails pass | grep -c "^The candidate is now shadow")" = 1 &&
	test "$(monthly_mails fail | grep -c "^The candidate was retired")" = 1
'

# kill_case NAME CONF CLEAN INJECT: killed at INJECT, then run again
kill_case() {
	K_CONF=$2 K_CLEAN=$3 K_INJECT=$4
	test_expect_success "$1" '
		st=$(job $K_CONF k "$K_INJECT") && test "$st" = 137 &&
		check_left k &&
		test -n "$(ls -d k/.monthly.* 2>/dev/null)" &&
		test "$(rerun k)" = 0 &&
		same_as $K_CLEAN k
	'
}
kill_case 'killed before the second seed trains' tm.conf pass 'tm-train before 2'
kill_case 'killed as the candidate backtest ends' tm.conf pass 'tm-backtest after 1'
kill_case 'killed before the registry changes' fail.conf fail 'tm-model before 1 --gate'

# The registry changed, no mail yet: the re-run mails what it decided.
for c in 'pass tm.conf' 'fail fail.conf'; do
	K_CLEAN=${c% *} K_CONF=${c#* }
	test_expect_success "killed after the registry change ($K_CLEAN): the re-run mails" '
		st=$(job $K_CONF k "tm-model after 1 --gate") && test "$st" = 137 &&
		tm-model -d k/models list >k.left &&
		! awk -F "\t" "NR > 1 && \$6 ~ /^candidate/" k.left | grep . &&
		proj k >k.proj && proj $K_CLEAN >c.proj && test_cmp c.proj k.proj &&
		test -z "$(monthly_mails k)" &&
		test "$(rerun k)" = 0 &&
		grep -q "registered (.*) by an interrupted run: mailing its outcome" k.err &&
		same_as $K_CLEAN k &&
		# and once mailed, another run changes nothing and mails nothing
		test "$(rerun k)" = 0 &&
		grep -q "is in the registry already" k.err && same_as $K_CLEAN k
	'
done

test_expect_success 'killed before the monthly mail: the re-run mails it' '
	st=$(job tm.conf k "tm-mail before 1 monthly") && test "$st" = 137 &&
	test -z "$(monthly_mails k)" &&
	test "$(rerun k)" = 0 && same_as pass k
'

test_expect_success 'the mail failing: stage mail, the alert says the candidate is in; the re-run mails' '
	st=$(job tm.conf k "tm-mail fail 1 monthly") && test "$st" = 70 &&
	grep -q "stage mail failed (exit 70)" k.err &&
	test -z "$(monthly_mails k)" &&
	a=$(grep -l "^Subject: \[CRITICAL\] monthly $D: mail failed" k/spool/new/*) &&
	tr -d "\r" <$a | grep -q "^The candidate is registered; the next run sends this month.s mail\.\$" &&
	proj k >k.proj && proj pass >c.proj && test_cmp c.proj k.proj &&
	test "$(rerun k)" = 0 && same_as pass k
'

# A candidate left half judged by the job before one-change registration
# (added as a candidate, killed before its retirement): judged by the next.
for c in 'pass tm.conf shadow' 'fail fail.conf retired'; do
	K_CLEAN=${c%% *} K_CONF=${c#* } K_ST=${c##* }
	K_CONF=${K_CONF% *}
	test_expect_success "a candidate left half judged ($K_CLEAN): judged, mailed once" '
		v=$(tm-model -d $K_CLEAN/models list | awk -F "\t" "NR == 3 { print \$1 }") &&
		rm -rf k k.err && cp -a base k &&
		sed "s|^TM_DATA=.*|TM_DATA=k|" $K_CONF >k.job.conf &&
		tm-model -d k/models add $K_CLEAN/models/$v.tmt >/dev/null &&
		test "$(rerun k)" = 0 &&
		tm-model -d k/models list | cut -f1,6 >k.st &&
		tm-model -d $K_CLEAN/models list | cut -f1,6 >c.st &&
		test_cmp c.st k.st &&
		grep -q "	$K_ST\$" k.st &&
		monthly_mails k >k.mail && monthly_mails $K_CLEAN >c.mail && test_cmp c.mail k.mail &&
		test_cmp $K_CLEAN/models/.retrained-2017-02 k/models/.retrained-2017-02
	'
done

test_expect_success '--if-first killed on the first day: the next evening goes on for that day' '
	rm -rf k k.err "$TRASH"/k.count.* && cp -a base k &&
	sed "s|^TM_DATA=.*|TM_DATA=k|" tm.conf >k.job.conf &&
	_st=0 &&
	TM_CONF=k.job.conf INJECT="tm-model after 1 --gate" INJECT_DIR=$TRASH/k.count \
	    setsid -w bash "$MONTHLY" --if-first $D 2>>k.err || _st=$? &&
	test $_st = 137 &&
	test "$(cat k/models/.started-2017-02)" = $D &&
	TM_CONF=k.job.conf bash "$DAILY" 2017-02-02 2>>k.err &&
	TM_CONF=k.job.conf bash "$MONTHLY" --if-first 2>>k.err &&
	grep -q "2017-02: the run of $D did not finish: again for $D" k.err &&
	same_as pass k && test ! -e k/models/.started-2017-02 &&
	# done: the evening after, nothing
	cp k/models/registry.json r.before &&
	TM_CONF=k.job.conf bash "$MONTHLY" --if-first 2>>k.err &&
	test_cmp r.before k/models/registry.json
'

test_expect_success 'tm-train failing: stage named, alert, registry unchanged; the re-run is clean' '
	st=$(job tm.conf k "tm-train fail 2") && test "$st" = 70 &&
	grep -q "stage train dpg seed 2 failed (exit 70)" k.err &&
	proj base >base.proj && proj k >k.proj && test_cmp base.proj k.proj &&
	grep -l "^Subject: \[CRITICAL\] monthly $D: train dpg seed 2 failed" \
	    k/spool/new/* >/dev/null &&
	test -z "$(ls -d k/.monthly.* 2>/dev/null)" &&
	test "$(rerun k)" = 0 && same_as pass k
'

test_expect_success 'one run at a time: another gets 75 and changes nothing' '
	rm -rf k && cp -a base k && sed "s|^TM_DATA=.*|TM_DATA=k|" tm.conf >k.job.conf &&
	exec 8>>k/models/.monthly.lock && flock -n 8 &&
	test "$(rerun k)" = 75 && grep -q "another monthly run holds" k.err &&
	proj base >base.proj && proj k >k.proj && test_cmp base.proj k.proj
'

test_done
