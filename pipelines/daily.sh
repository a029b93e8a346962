#!/bin/bash
# daily.sh - the daily job for one date: fetch -> features -> slotmap ->
# infer -> diff -> report -> mail.  It recommends; it never trades.
#
#   pipelines/daily.sh [--fetch-only] [DATE]
#
# --fetch-only runs the fetch stage alone (the crontab's first line: the
# bars land in the store; the later full run finds them there).
# DATE defaults to the last closed session (live) or the market's last day
# (synth).  Settings come from $TM_CONF (default etc/tm.conf), a sh file of
# KEY=value lines; the keys and their defaults are listed below.
#
# The job works on a copy of the state and switches to it only when every
# stage has passed: the state is a symlink, $TM_DATA/state, to a folder
# $TM_DATA/states/DATE; it is replaced with one rename(2), so a failure or a
# kill at any instant leaves the previous day's state as it was.  Re-running
# a date starts again from the state before that date, so it is safe and
# gives the same result; a date older than the last applied one is refused.
# A re-run of an applied date decides it with the models that decided it
# the first time (the live model and shadows named in that day's state),
# not with the registry's live model of now, and leaves the registry alone
# (the models stage ran that day); when one of those model files has been
# pruned since, it is refused (66): TM_MODEL=file decides it anew, with
# that day's shadows still in the registry's folder (a pruned one is left
# out, said on stderr), and leaves the registry alone too.
# Without DATE, a day applied already is no new session: nothing is done.
#
# On failure an alert (tm-mail --severity critical) names the stage and its
# error, and the job exits with the stage's status.  Findings of the data
# checks (tm-fetch exit 1) go out as a warning mail and the job goes on.
set -eu
set -o pipefail
# Paths in the config and TM_CONF are relative to the current folder (the
# crontab's lines cd to the project first); the tools are the project's.
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=pipelines/lib.sh
. "$TOP/pipelines/lib.sh"
# ---------------------------------------------------------------- settings
job_init daily --fetch-only "$@"	# GIVEN: the DATE operand, or empty
FETCH_ONLY=$OPT
TM_UNIVERSE=${TM_UNIVERSE:-}
TM_SECTORS=${TM_SECTORS:-${TM_SYNTH_DIR}/sectors.csv}
TM_FETCH_OPTS=${TM_FETCH_OPTS:-}
TM_MODEL=${TM_MODEL:-}
TM_DIFF_OPTS=${TM_DIFF_OPTS:-}
TM_INFER_OPTS=${TM_INFER_OPTS:-}	# e.g. --adjust 0.1 (README, the record)
TM_OUT=${TM_OUT:-$TM_DATA/out}
TM_KEEP_STATES=${TM_KEEP_STATES:-30}
[ -n "$TM_FUNDAMENTALS" ] || { [ -f "$TM_SYNTH_DIR/fundamentals.tmt" ] &&
    [ "$TM_SOURCE" = synth ] && TM_FUNDAMENTALS=$TM_SYNTH_DIR/fundamentals.tmt; } || true

mkdir -p "$TM_DATA/states" "$TM_OUT"

if [ -t 2 ]; then say() { printf 'daily: %s\n' "$*" >&2; }; else say() { :; }; fi

work=$(mktemp -d "$TM_DATA/.daily.XXXXXX")
stage=setup
errf=$work/stage.err
: >"$errf"

# shellcheck disable=SC2317  # called by the EXIT trap
finish() {
	st=$?
	trap - EXIT
	if [ "$st" != 0 ]; then
		msg=$(grep -v '^$' "$errf" 2>/dev/null | tail -n 1 || true)
		echo "daily: ${DATE:-?}: stage $stage failed (exit $st): $msg" >&2
		{
			echo "The daily job for ${DATE:-?} stopped at stage $stage (exit $st)."
			echo "The state was not changed."
			echo
			echo "Last lines of the stage's errors:"
			tail -n 20 "$errf" 2>/dev/null || true
		} >"$work/alert.txt"
		alert critical "daily ${DATE:-?}: $stage failed (exit $st)" \
		    "$work/alert.txt" 2>/dev/null ||
		    echo "daily: the alert could not be sent either" >&2
	fi
	rm -rf "$work"
	job_log "$st"
	exit "$st"
}
trap finish EXIT
trap 'exit 130' INT TERM

run() {		# run STAGE CMD...: stderr to the stage's error file and ours
	stage=$1
	shift
	say "$stage"
	_st=0
	_e=$errf.$(basename "$1")
	"$@" 2>"$_e" || _st=$?
	cat "$_e" >>"$errf"
	cat "$_e" >&2
	rm -f "$_e"
	return "$_st"
}

# ---------------------------------------------------------------- the date
stage=when
if [ "$TM_SOURCE" = synth ]; then
	last=$("$BIN/tm-cat" --last 1 -k close -o csv "$TM_SYNTH_DIR/prices.tmt" |
	    sed -n '2{s/,.*//;p;}')
	DATE=${GIVEN:-$last}
else
	DATE=$GIVEN
fi

# ------------------------------------------------------------------- fetch
# The store keeps every day; the job reads back only the warm-up window.
prices=$work/prices.tmt
if [ "$TM_SOURCE" = synth ]; then
	run fetch "$BIN/tm-cat" --to "$DATE" --last "$TM_WARMUP" \
	    "$TM_SYNTH_DIR/prices.tmt" >"$prices"
else
	set +e
	# shellcheck disable=SC2086
	run fetch "$BIN/tm-fetch" --store "$TM_DATA/store" \
	    ${TM_UNIVERSE:+-u "$TM_UNIVERSE"} $TM_FETCH_OPTS \
	    ${DATE:+--from "$DATE" --to "$DATE"} >/dev/null
	st=$?
	set -e
	if [ "$st" = 1 ]; then
		{
			echo "tm-fetch flagged data for ${DATE:-today}:"
			cat "$errf"
		} >"$work/findings.txt"
		alert warning "daily ${DATE:-today}: data findings" \
		    "$work/findings.txt" || true
	elif [ "$st" != 0 ]; then
		exit "$st"
	fi
	: >"$errf"
	if [ -z "$DATE" ]; then
		DATE=$("$BIN/tm-cat" --last 1 -k close -o csv "$TM_DATA/store/raw" |
		    sed -n '2{s/,.*//;p;}')
	fi
	run fetch "$BIN/tm-cat" --to "$DATE" --last "$TM_WARMUP" \
	    "$TM_DATA/store/raw" >"$prices"
fi
got=$("$BIN/tm-cat" --last 1 -k close -o csv "$prices" | sed -n '2{s/,.*//;p;}')
if [ "$got" != "$DATE" ]; then
	echo "daily: $DATE: no prices for that day (last: ${got:-none})" >>"$errf"
	exit 66
fi

[ -n "$FETCH_ONLY" ] && exit 0

# ------------------------------------------------------- the state's base
# The newest state folder dated before DATE is the base; a later one means
# DATE is older than the last applied day.
stage=state
# Without a DATE (the crontab), a day already applied means no new session
# came (a holiday, or the bars are not in yet): say so and change nothing.
# Running it again would decide it anew with the models of now (a shadow
# promoted or a rollback at the end of that day) and mail it again.
if [ -z "$GIVEN" ] && [ -d "$TM_DATA/states/$DATE" ]; then
	echo "daily: $DATE: no new session since the last applied day" >&2
	exit 0
fi
base=
for d in "$TM_DATA"/states/*/; do
	[ -d "$d" ] || continue
	n=$(basename "$d")
	case $n in ????-??-??) ;; *) continue ;; esac	# not .new / .old
	if [[ $n > $DATE ]]; then
		echo "daily: $DATE is older than the last applied day $n" >>"$errf"
		exit 65
	fi
	[[ $n < $DATE ]] && base=$d
done
new=$work/state
mkdir -p "$new"
[ -n "$base" ] && cp -a "$base/." "$new/"
[ -f "$new/journal.jsonl" ] && [ -n "$base" ] && say "from the state of $(basename "$base")"

# ---------------------------------------------------------------- features
fund=
[ -n "$TM_FUNDAMENTALS" ] && fund="-f $TM_FUNDAMENTALS"
# shellcheck disable=SC2086
run features "$BIN/tm-features" $TM_FEATURES $fund --from "$DATE" \
    "$prices" >"$work/features.tmt"

# ----------------------------------------------------------------- slotmap
run slotmap "$BIN/tm-slotmap" -l "$TM_LAYOUT" --members "$TM_MEMBERS" \
    -s "$new/slots.json" "$work/features.tmt" >"$work/slots.tmt"

# ------------------------------------------------------------------- infer
stage=infer
model=$TM_MODEL
# A re-run of an applied day: the model of its journal line for DATE and
# the shadows of its state, whatever was promoted or rolled back since.
rerun=
if [ -n "$GIVEN" ] && [ -d "$TM_DATA/states/$DATE" ]; then
	rerun=$TM_DATA/states/$DATE
fi
if [ -z "$model" ] && [ -n "$rerun" ] && [ -f "$rerun/journal.jsonl" ]; then
	used=$(grep -v '"reset"' "$rerun/journal.jsonl" |
	    grep "\"date\": *\"$DATE\"" | tail -n 1 |
	    sed -n 's/.*"model": *"\([^"]*\)".*/\1/p')
	if [ -n "$used" ]; then
		model=$TM_DATA/models/$used.tmt
		if [ ! -f "$model" ]; then
			echo "daily: $DATE: re-run: model $used, which decided that day, is not in $TM_DATA/models (pruned, or it was a TM_MODEL file); set TM_MODEL to decide it anew" >>"$errf"
			exit 66
		fi
		say "re-run of $DATE with the model of that day, $used"
	fi
fi
if [ -z "$model" ] && [ -x "$BIN/tm-model" ] && [ -f "$TM_DATA/models/registry.json" ]; then
	model=$("$BIN/tm-model" -d "$TM_DATA/models" live 2>>"$errf")
fi
if [ -z "$model" ]; then
	echo "daily: no model: set TM_MODEL or promote one (tm-model promote)" >>"$errf"
	exit 78
fi
prevw=
[ -f "$new/weights.tmt" ] && prevw="-w $new/weights.tmt"
# shellcheck disable=SC2086
run infer "$BIN/tm-infer" -m "$model" $prevw $TM_INFER_OPTS \
    <"$work/slots.tmt" >"$work/weights.tmt"
cp "$work/weights.tmt" "$new/weights.tmt"

# -------------------------------------------------------------------- diff
sectors=
[ -f "$TM_SECTORS" ] && sectors="--sectors $TM_SECTORS"
bench=${TM_BENCH_FILE:-}
if [ -z "$bench" ] && [ "$TM_SOURCE" = synth ] &&
    [ -f "$TM_SYNTH_DIR/benchmark.tmt" ]; then
	bench=$TM_SYNTH_DIR/benchmark.tmt
elif [ -z "$bench" ]; then
	"$BIN/tm-cat" -r "$TM_BENCH" "$prices" >"$work/bench.tmt" 2>/dev/null &&
	    bench=$work/bench.tmt
fi
# shellcheck disable=SC2086
run diff "$BIN/tm-diff" -s "$new" --slots "$work/slots.tmt" $sectors \
    ${bench:+--bench "$bench"} $TM_DIFF_OPTS "$work/weights.tmt" \
    >"$work/recs.tmt"
cp "$work/recs.tmt" "$new/recs.tmt"

# ------------------------------------------------------------------ shadow
# Each shadow model runs beside the live one on a paper portfolio of its
# own, started from a copy of the live state of the day before it entered
# shadow; its recommendations are journaled there, never acted on.
stage=shadow
# A re-run (with TM_MODEL too) runs the shadows of that day's state, not
# the registry's of now: one entered since (the monthly job that evening)
# starts the next day, as it did.
shadows=
if [ -n "$rerun" ]; then
	for d in "$rerun"/shadow/*/; do
		[ -d "$d" ] || continue
		v=$(basename "$d")
		if [ ! -f "$TM_DATA/models/$v.tmt" ] && [ -n "$TM_MODEL" ]; then
			echo "daily: $DATE: re-run: shadow model $v, which ran that day, is no longer in $TM_DATA/models (pruned): its paper portfolio leaves that day" >&2
			continue
		elif [ ! -f "$TM_DATA/models/$v.tmt" ]; then
			echo "daily: $DATE: re-run: shadow model $v, which ran that day, is no longer in $TM_DATA/models (pruned); set TM_MODEL to decide the day anew without it" >>"$errf"
			exit 66
		fi
		shadows="$shadows $v"
	done
elif [ -f "$TM_DATA/models/registry.json" ]; then
	shadows=$("$BIN/tm-model" -d "$TM_DATA/models" list |
	    awk -F '\t' 'NR > 1 && $6 ~ /^shadow/ { print $1 }')
fi
for v in $shadows; do
	sd=$new/shadow/$v
	if [ ! -d "$sd" ]; then
		mkdir -p "$sd"
		[ -n "$base" ] && [ -f "$base/portfolio.json" ] &&
		    cp "$base/portfolio.json" "$base/journal.jsonl" "$sd/" 2>/dev/null
		[ -n "$base" ] && [ -f "$base/weights.tmt" ] && cp "$base/weights.tmt" "$sd/"
		echo "$DATE" >"$sd/since"
	fi
	sw=
	[ -f "$sd/weights.tmt" ] && sw="-w $sd/weights.tmt"
	# shellcheck disable=SC2086
	run "shadow $v" "$BIN/tm-infer" -m "$TM_DATA/models/$v.tmt" $sw \
	    $TM_INFER_OPTS <"$work/slots.tmt" >"$work/sw.tmt"
	cp "$work/sw.tmt" "$sd/weights.tmt"
	# shellcheck disable=SC2086
	run "shadow $v" "$BIN/tm-diff" -s "$sd" --slots "$work/slots.tmt" \
	    $sectors ${bench:+--bench "$bench"} $TM_DIFF_OPTS "$work/sw.tmt" \
	    >"$sd/recs.tmt"
done
# Shadows no longer in the registry's shadow list leave the state.
if [ -d "$new/shadow" ]; then
	for d in "$new"/shadow/*/; do
		[ -d "$d" ] || continue
		case " $(echo $shadows) " in *" $(basename "$d") "*) ;; *) rm -rf "$d" ;; esac
	done
fi

# ------------------------------------------------------------------ report
out=$TM_OUT/$DATE
mkdir -p "$out"
rep() {	# rep FORMAT [DIR]: tm-report over the new state
	"$BIN/tm-report" -s "$new" --recs "$work/recs.tmt" -L "$TM_DATA/log" \
	    -M "$TM_DATA/models" -S "$work/slots.tmt" --from "$TM_MAIL_FROM" \
	    --to "${TM_MAIL_TO:-root@localhost}" -o "$@"
}
run report rep text >"$out/report.txt"
run report rep eml >"$out/report.eml"
run report rep html "$work/html"
rm -rf "$TM_OUT/dashboard.new"
mv "$work/html" "$TM_OUT/dashboard.new"
cp "$out/report.txt" "$new/report.txt"

# -------------------------------------------------- switch to the new state
stage=commit
dest=$TM_DATA/states/$DATE
rm -rf "$dest.new"
mv "$new" "$dest.new"
sync -f "$dest.new" 2>/dev/null || sync
rm -rf "$dest.old"
[ -d "$dest" ] && mv "$dest" "$dest.old"
mv "$dest.new" "$dest"
ln -sfn "states/$DATE" "$TM_DATA/state.tmp"
mv -T "$TM_DATA/state.tmp" "$TM_DATA/state"
rm -rf "$dest.old" "$TM_OUT/dashboard.old"
[ -d "$TM_OUT/dashboard" ] && mv "$TM_OUT/dashboard" "$TM_OUT/dashboard.old"
mv "$TM_OUT/dashboard.new" "$TM_OUT/dashboard"
rm -rf "$TM_OUT/dashboard.old"
# shellcheck disable=SC2012
ls -d "$TM_DATA"/states/????-??-?? 2>/dev/null | sort | head -n "-$TM_KEEP_STATES" |
    while read -r old; do rm -rf "$old"; done

# ------------------------------------------------------------------ models
# After the switch, so nothing here can undo the day.  A shadow model with
# TM_SHADOW_DAYS days behind it is promoted when its paper portfolio grew
# at least as much as the live one over those days, less TM_SHADOW_MARGIN
# (and was approved, with TM_REQUIRE_APPROVAL=1), else retired.  The live
# model is rolled back when the portfolio lost more than TM_ROLLBACK_LIMIT
# over its last TM_ROLLBACK_DAYS days, all decided by that model.
stage=models
TM_SHADOW_DAYS=${TM_SHADOW_DAYS:-7}
TM_SHADOW_MARGIN=${TM_SHADOW_MARGIN:-0}
TM_REQUIRE_APPROVAL=${TM_REQUIRE_APPROVAL:-0}
TM_ROLLBACK_DAYS=${TM_ROLLBACK_DAYS:-20}
TM_ROLLBACK_LIMIT=${TM_ROLLBACK_LIMIT:-0.10}
: >"$work/models.txt"
# jget KEY: the value of KEY in each journal line on stdin (numbers, strings)
jget() { sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\).*/\1/p"; }
# growth JOURNAL SINCE: value after the last day / value before SINCE
growth() {
	grep -v '"reset"' "$1" | awk -v since="$2" '{
		d = $0; sub(/.*"date": *"/, "", d); sub(/".*/, "", d)
		if (d < since) next
		b = $0; sub(/.*"value_before": */, "", b); sub(/[,}].*/, "", b)
		a = $0; sub(/.*"value_after": */, "", a); sub(/[,}].*/, "", a)
		if (!n++) first = b; last = a
	} END { if (n && first > 0) printf "%.10g %d\n", last / first, n; else print "1 0" }'
}
M=$TM_DATA/models
if [ -n "$rerun" ]; then
	# A re-run: that day's promotions, retirements and rollbacks were
	# made by its first run; making them again would judge the models
	# of now by a book they did not decide.
	shadows=
	M=
fi
for v in $shadows; do
	sd=$dest/shadow/$v
	[ -f "$sd/since" ] && [ -f "$sd/journal.jsonl" ] || continue
	since=$(cat "$sd/since")
	gr=$(growth "$sd/journal.jsonl" "$since")
	sg=${gr% *} n=${gr#* }
	[ "$n" -ge "$TM_SHADOW_DAYS" ] || continue
	gr=$(growth "$dest/journal.jsonl" "$since")
	lg=${gr% *}
	if awk -v s="$sg" -v l="$lg" -v m="$TM_SHADOW_MARGIN" 'BEGIN { exit !(s >= l - m) }'; then
		appr=
		[ "$TM_REQUIRE_APPROVAL" = 1 ] && appr=--require-approval
		if "$BIN/tm-model" -d "$M" promote $appr "$v" >/dev/null 2>>"$errf"; then
			echo "promoted $v after $n shadow days: growth $sg against the live model's $lg" >>"$work/models.txt"
		else
			echo "warning: $v passed $n shadow days ($sg against $lg) and waits for approval (tm-model approve $v)" >>"$work/models.txt"
		fi
	else
		"$BIN/tm-model" -d "$M" retire "$v" >/dev/null 2>>"$errf"
		echo "retired $v after $n shadow days: growth $sg against the live model's $lg" >>"$work/models.txt"
	fi
done
if [ -n "$M" ] && [ -f "$M/registry.json" ] && [ -z "$TM_MODEL" ]; then
	lv=$(basename "$("$BIN/tm-model" -d "$M" live 2>/dev/null)" .tmt)
	grep -v '"reset"' "$dest/journal.jsonl" | tail -n "$TM_ROLLBACK_DAYS" >"$work/tail"
	nl=$(jget model <"$work/tail" | grep -c -x -F "$lv" || true)
	if [ "$nl" -ge "$TM_ROLLBACK_DAYS" ]; then
		gr=$(growth "$work/tail" 0000-00-00)
		g=${gr% *}
		if awk -v g="$g" -v l="$TM_ROLLBACK_LIMIT" 'BEGIN { exit !(g < 1 - l) }'; then
			if "$BIN/tm-model" -d "$M" rollback >/dev/null 2>"$work/rb.err"; then
				echo "critical: rolled back from $lv: the portfolio grew $g over its last $TM_ROLLBACK_DAYS days" >>"$work/models.txt"
			else
				# Nothing to go back to (the first live model, or its
				# predecessors pruned): the loss must not go unsaid.
				cat "$work/rb.err" >>"$errf"
				echo "critical: $lv is below the rollback limit (the portfolio grew $g over its last $TM_ROLLBACK_DAYS days) and could not be rolled back: $(tail -n 1 "$work/rb.err")" >>"$work/models.txt"
			fi
		fi
	fi
fi
if [ -s "$work/models.txt" ]; then
	sev=info
	grep -q '^warning' "$work/models.txt" && sev=warning
	grep -q '^critical' "$work/models.txt" && sev=critical
	alert "$sev" "daily $DATE: model changes" "$work/models.txt" || true
	cat "$work/models.txt" >&2
fi

# -------------------------------------------------------------------- mail
# After the switch: a mail that cannot go out is spooled, never lost, and
# does not undo the day.
stage=mail
sev=info
crit=$("$BIN/tm-cat" --info "$work/recs.tmt" | sed -n 's/.*"critical":"\([^"]*\)".*/\1/p' | sed -n 1p)
[ -n "$crit" ] && sev=critical
mail "$sev" <"$out/report.eml" 2>>"$errf"
say "done: $out/report.txt, $TM_OUT/dashboard/index.html"
[ -t 1 ] && cat "$out/report.txt"
exit 0
