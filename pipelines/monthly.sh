#!/bin/bash
# monthly.sh - retrain, backtest out of sample, gate, and put the candidate
# in shadow.  It recommends; it never trades.
#
#   pipelines/monthly.sh [--if-first] [DATE]
#
# DATE (default: the last day the daily job applied) ends the data used.
# --if-first does nothing unless DATE is the first trading day of its
# month (the market's session before it is in an earlier month) or the
# first day of the month the daily job applied, and the month has not been
# retrained yet (the crontab runs it every weekday evening).
#
#  1. The slot stream of the last TM_TRAIN_DAYS trading days up to DATE
#     (features warm up over TM_WARMUP more).
#  2. tm-train from the live model (warm start, --init) on all but the last
#     TM_GATE_DAYS days, for TM_SEEDS seeds (and every algorithm in
#     TM_ALGOS), every seed but the first warm started from the live model
#     perturbed by --init-noise TM_INIT_NOISE (0.1; 0 for the exact warm
#     start, which makes dpg's seeds one model); the best by validation
#     Sharpe is the candidate; the mean and spread over seeds go into the
#     report.  TM_TRAIN_OPTS goes to every tm-train (prod.conf: the reward
#     weights chosen on 2013).
#  3. tm-backtest of the candidate, the live model and equal weight over
#     the last TM_GATE_DAYS days, which no candidate saw, and buy and hold
#     of the benchmark (TM_BENCH, from its closes) over the same days.
#  4. The gate: the candidate's Sharpe is not worse than the live one's by
#     more than TM_GATE_MARGIN, its max drawdown is above -TM_GATE_MAXDD,
#     its turnover below TM_GATE_TURNOVER a day.  Pass: the candidate enters
#     the registry as shadow (daily.sh runs it beside the live model for
#     TM_SHADOW_DAYS days, then promotes or retires it); fail: retired, with
#     the gate's numbers.  With no live model yet, a passing candidate goes
#     live at once.
#     The registry keeps the TM_MODELS_KEEP (20) newest versions and
#     never prunes the live one, a shadow or an approved candidate (tm-model --keep).
#  5. The monthly mail: the retraining summary, the gate's numbers (with
#     the live model's, equal weight's and the benchmark's), and the month's
#     performance and risk: tm-report --monthly's portfolio and performance
#     lines for the state of the last day applied before DATE's month.
#
# Re-runs: the registry changes once (one tm-model add, with the status the
# gate gave), and the month's marker (models/.retrained-MONTH) names the
# candidate only after its mail went out.  A run killed or failing before
# the add leaves the registry as it was and the next run does it all again;
# one killed after it finds its candidate registered and only mails (twice,
# when the kill fell between the mail and the marker), judging it first if
# an older run left it a candidate; a mail that cannot be spooled fails the
# run at stage mail and the next one sends it; one whose candidate is in
# the marker changes nothing.  --if-first goes on where this month's
# --if-first run stopped, for the day that run began on
# (models/.started-MONTH), on each later evening until one ends well.  One run at a time (models/.monthly.lock:
# 75 when held); the work folders of killed runs are removed by the next.
set -eu
set -o pipefail
# Paths in the config and TM_CONF are relative to the current folder (the
# crontab's lines cd to the project first); the tools are the project's.
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=pipelines/lib.sh
. "$TOP/pipelines/lib.sh"
job_init monthly --if-first "$@"
IF_FIRST=$OPT
TM_TRAIN_DAYS=${TM_TRAIN_DAYS:-1008}	# 4 years
TM_GATE_DAYS=${TM_GATE_DAYS:-126}	# 6 months out of sample
TM_SEEDS=${TM_SEEDS:-3}
TM_INIT_NOISE=${TM_INIT_NOISE:-0.1}
TM_ALGOS=${TM_ALGOS:-dpg}
TM_EPOCHS=${TM_EPOCHS:-10}
TM_TRAIN_OPTS=${TM_TRAIN_OPTS:-}	# more tm-train options, e.g. --reward
TM_COST=${TM_COST:-0.001}
TM_GATE_MARGIN=${TM_GATE_MARGIN:-0.25}
TM_GATE_MAXDD=${TM_GATE_MAXDD:-0.25}
TM_GATE_TURNOVER=${TM_GATE_TURNOVER:-0.10}
TM_MODELS_KEEP=${TM_MODELS_KEEP:-20}	# tm-model --keep: versions kept
MODELS=$TM_DATA/models
mkdir -p "$MODELS"
if [ -t 2 ]; then say() { printf 'monthly: %s\n' "$*" >&2; }; else say() { :; }; fi

# The day: the daily job's last applied date unless given.
if [ -n "$GIVEN" ]; then
	DATE=$GIVEN
elif [ -f "$TM_DATA/state/portfolio.json" ]; then
	DATE=$(sed -n 's/^ *"date": *"\([0-9-]*\)".*/\1/p' \
	    "$TM_DATA/state/portfolio.json" | sed -n 1p)
else
	echo "monthly: no DATE and no daily state to take it from" >&2
	exit 64
fi
month=${DATE%-??}
started=$MODELS/.started-$month
if [ -n "$IF_FIRST" ] && [ ! -f "$MODELS/.retrained-$month" ] && [ -s "$started" ]; then
	# This month's --if-first run began and did not finish (killed, or a
	# stage failed): run again for the day it began on.
	DATE=$(sed -n 1p "$started")
	echo "monthly: $month: the run of $DATE did not finish: again for $DATE" >&2
elif [ -n "$IF_FIRST" ]; then
	[ -f "$MODELS/.retrained-$month" ] && exit 0
	# The first trading day: the market's session before DATE is in an
	# earlier month (after a holiday too: 2017-01-03, 2018-09-04), or the
	# first day the daily job applied this month, when it failed on the
	# first session and made it up later.  The journal alone cannot say
	# for the system's first applied day, which has no day before it.
	if [ "$TM_SOURCE" = synth ]; then
		src=$TM_SYNTH_DIR/prices.tmt
	else
		src=$TM_DATA/store/raw
	fi
	prev=$("$BIN/tm-cat" --to "$DATE" --last 2 -k close -o csv "$src" \
	    2>/dev/null | sed -n '2{s/,.*//;p;}' || true)
	first=
	{ [ -n "$prev" ] && [ "$prev" != "$DATE" ] &&
	    [ "${prev%-??}" != "$month" ]; } && first=1
	j=$TM_DATA/state/journal.jsonl
	if [ -z "$first" ] && [ -f "$j" ] &&
	    [ "$(grep -c -v '"reset"' "$j")" -ge 2 ]; then
		prev=$(grep -v '"reset"' "$j" | tail -n 2 | sed -n 1p |
		    sed -n 's/.*"date": *"\([0-9-]*\)".*/\1/p')
		[ -n "$prev" ] && [ "${prev%-??}" != "$month" ] && first=1
	fi
	[ -n "$first" ] || exit 0
fi

# One run at a time (fd 9, inherited by the tools, is the lock); under it,
# the work folders of runs killed with -9 (no trap ran) are removed.
exec 9>>"$MODELS/.monthly.lock"
if ! flock -n 9; then
	echo "monthly: another monthly run holds $MODELS/.monthly.lock" >&2
	exit 75
fi
rm -rf "$TM_DATA"/.monthly.??????
# The month's --if-first run has begun (until its marker is written).
[ -z "$IF_FIRST" ] || [ -s "$started" ] || echo "$DATE" >"$started"
work=$(mktemp -d "$TM_DATA/.monthly.XXXXXX")
stage=setup
errf=$work/err
: >"$errf"
# shellcheck disable=SC2317  # called by the EXIT trap
finish() {
	st=$?
	trap - EXIT
	if [ "$st" != 0 ]; then
		echo "monthly: $DATE: stage $stage failed (exit $st)" >&2
		{
			echo "The monthly job for $DATE stopped at stage $stage (exit $st)."
			case $stage in
			mail) echo "The candidate is registered; the next run sends this month's mail." ;;
			*) echo "The registry was not changed." ;;
			esac
			echo
			tail -n 20 "$errf"
		} >"$work/alert.txt"
		alert critical "monthly $DATE: $stage failed" \
		    "$work/alert.txt" 2>/dev/null || true
	fi
	rm -rf "$work"
	job_log "$st"
	exit "$st"
}
trap finish EXIT
run() { stage=$1; shift; say "$stage"; "$@" 2>>"$errf"; }

# ------------------------------------------------------------------ data
if [ "$TM_SOURCE" = synth ]; then
	src=$TM_SYNTH_DIR/prices.tmt
else
	src=$TM_DATA/store/raw
fi
fund=
[ -n "$TM_FUNDAMENTALS" ] && fund="-f $TM_FUNDAMENTALS"
run prices "$BIN/tm-cat" --to "$DATE" --last $((TM_TRAIN_DAYS + TM_WARMUP)) \
    "$src" >"$work/prices.tmt"
# shellcheck disable=SC2086
run features "$BIN/tm-features" $TM_FEATURES $fund "$work/prices.tmt" >"$work/f.tmt"
first=$("$BIN/tm-cat" --last "$TM_TRAIN_DAYS" -o csv -k close "$work/f.tmt" |
    sed -n '2{s/,.*//;p;}')
run slotmap sh -c '"$1" --from "$2" "$3" | "$4" -l "$5" --members "$6"' sh \
    "$BIN/tm-cat" "$first" "$work/f.tmt" "$BIN/tm-slotmap" "$TM_LAYOUT" \
    "$TM_MEMBERS" >"$work/slots.tmt"
# The gate's window: the last TM_GATE_DAYS days; training ends the day before.
"$BIN/tm-cat" --last $((TM_GATE_DAYS + 1)) -k region -o csv "$work/slots.tmt" |
    awk -F, 'NR > 1 && !($1 in d) { d[$1] = 1; print $1 }' >"$work/gate-days"
split=$(sed -n 1p "$work/gate-days")
gfrom=$(sed -n 2p "$work/gate-days")

# ----------------------------------------------------------------- train
live=
if [ -f "$MODELS/registry.json" ]; then
	live=$("$BIN/tm-model" -d "$MODELS" live 2>/dev/null || true)
fi
init=
warm=no
[ -n "$live" ] && init="--init $live" warm=yes
seeds=$(seq 1 "$TM_SEEDS")
mkdir -p "$work/seeds"
for a in $TM_ALGOS; do
	for s in $seeds; do
		# Seeds after the first start from the live model perturbed:
		# dpg draws nothing from its seed when it starts from a model,
		# so without it every seed would be the first one.
		noise=
		[ -n "$init" ] && [ "$s" -gt 1 ] &&
		    [ "$(awk -v x="$TM_INIT_NOISE" 'BEGIN { print (x > 0) }')" = 1 ] &&
		    noise="--init-noise $TM_INIT_NOISE"
		# shellcheck disable=SC2086
		OPENBLAS_NUM_THREADS=1 run "train $a seed $s" "$BIN/tm-train" -q \
		    --algo "$a" --seed "$s" --epochs "$TM_EPOCHS" --to "$split" \
		    --cost "$TM_COST" $TM_TRAIN_OPTS $init $noise \
		    -o "$work/seeds/$a-$s.tmt" \
		    <"$work/slots.tmt"
		# Seeds can still agree bit for bit (TM_INIT_NOISE=0 and a
		# warm start): one entry for both.
		"$BIN/tm-model" -d "$work/seeds" add --seed "$s" \
		    "$work/seeds/$a-$s.tmt" >/dev/null 2>"$work/add.err" ||
		    grep -q "already in the registry" "$work/add.err" ||
		    { cat "$work/add.err" >>"$errf"; exit 1; }
	done
done
# list: version algo seed from to status added valid_sharpe valid_return
"$BIN/tm-model" -d "$work/seeds" list | sed 1d >"$work/seeds.tsv"
best=$(sort -t "$(printf '\t')" -k8,8gr "$work/seeds.tsv" | sed -n 1p)
bv=$(echo "$best" | cut -f1)
cand=$work/seeds/$bv.tmt
# Runs that made the same model bit for bit (dpg warm started with
# TM_INIT_NOISE=0) count once in the mean and spread, and are said.
set -- $TM_ALGOS
summary=$(awk -F '\t' -v runs=$(($# * TM_SEEDS)) '{ n++; s += $8; q += $8 * $8 } END {
	m = s / n; v = n > 1 ? (q - n * m * m) / (n - 1) : 0
	sd = v > 0 ? sqrt(v) : 0; pl = n > 1 ? "s" : ""
	printf "%d runs, %d distinct model%s: validation Sharpe mean %.3f, sd %.3f",
	    runs, n, pl, m, sd }' "$work/seeds.tsv")
say "$summary; candidate $bv"

# -------------------------------------------------------------- backtest
bt() {	# bt NAME ARGS...: out-of-sample metrics into $work/NAME.json
	n=$1
	shift
	run "backtest $n" "$BIN/tm-backtest" -q --cost "$TM_COST" --from "$gfrom" \
	    --metrics "$work/$n.json" "$@" "$work/slots.tmt" >/dev/null
}
bt candidate -m "$cand"
[ -n "$live" ] && bt live -m "$live"
run "equal weight" "$BIN/tm-strategy" equal "$work/slots.tmt" >"$work/equal.tmt"
bt equal -w "$work/equal.tmt"
# The benchmark: buy and hold of TM_BENCH over the same days, from its
# closes (TM_BENCH_FILE, the synthetic market's benchmark.tmt, or the
# prices): its return, Sharpe and max drawdown as tm-backtest(1) defines
# them (no costs: it never trades).
if [ -n "${TM_BENCH_FILE:-}" ]; then
	bsrc=$TM_BENCH_FILE
elif [ "$TM_SOURCE" = synth ] && [ -f "$TM_SYNTH_DIR/benchmark.tmt" ]; then
	bsrc=$TM_SYNTH_DIR/benchmark.tmt
else
	bsrc=$src
fi
bench=$("$BIN/tm-cat" -r "$TM_BENCH" --from "$split" --to "$DATE" -k close \
    -o csv "$bsrc" 2>/dev/null | awk -F, 'NR > 1 && $3 != "" { c[++n] = $3 }
	END {
		if (n < 2) exit
		pk = c[1]; dd = 0
		for (k = 2; k <= n; k++) {
			r[k] = c[k] / c[k - 1] - 1; s += r[k]
			if (c[k] > pk) pk = c[k]
			if (c[k] / pk - 1 < dd) dd = c[k] / pk - 1
		}
		m = s / (n - 1)
		for (k = 2; k <= n; k++) q += (r[k] - m) ^ 2
		sd = n > 2 ? sqrt(q / (n - 2)) : 0
		sh = sd > 0 ? sqrt(252) * m / sd : 0
		printf "%.6f %.6f %.6f\n", c[n] / c[1] - 1, sh, dd
	}' || true)
bret=nan bs=nan bdd=nan
[ -n "$bench" ] && read -r bret bs bdd <<<"$bench"

get() {	# get FILE KEY: a number from a metrics file ("null" as nan)
	sed -n "s/.*\"$2\": *\\(-\\{0,1\\}[0-9.eE+-]*\\|null\\).*/\\1/p" "$1" |
	    head -n 1 | sed 's/null/nan/'
}

# ------------------------------------------------------------------ gate
stage=gate
cs=$(get "$work/candidate.json" sharpe)
cd_=$(get "$work/candidate.json" max_drawdown)
ct=$(get "$work/candidate.json" turnover)
ls_=nan
[ -n "$live" ] && ls_=$(get "$work/live.json" sharpe)
es=$(get "$work/equal.json" sharpe)
verdict=$(awk -v cs="$cs" -v cd="$cd_" -v ct="$ct" -v ls="$ls_" \
    -v m="$TM_GATE_MARGIN" -v dd="$TM_GATE_MAXDD" -v to="$TM_GATE_TURNOVER" '
	BEGIN {
		why = ""
		if (ls != "nan" && cs + 0 < ls - m) why = why " sharpe"
		if (cd + 0 < -dd) why = why " drawdown"
		if (ct + 0 > to) why = why " turnover"
		print why == "" ? "pass" : "fail:" why
	}')
gate=$(printf '{"window":"%s..%s","sharpe":%s,"live_sharpe":%s,"equal_sharpe":%s,"bench_sharpe":%s,"max_drawdown":%s,"turnover":%s,"margin":%s,"maxdd":%s,"max_turnover":%s,"verdict":"%s"}' \
    "$gfrom" "$DATE" "$cs" "$ls_" "$es" "$bs" "$cd_" "$ct" "$TM_GATE_MARGIN" \
    "$TM_GATE_MAXDD" "$TM_GATE_TURNOVER" "$verdict" | sed 's/nan/null/g')
say "gate: $verdict ($gate)"

stage=register
# The month's marker lists the candidates judged and mailed this month.
marker=$MODELS/.retrained-$month
have=$("$BIN/tm-model" -d "$MODELS" list | awk -F '\t' -v v="$bv" '$1 == v { print $6 }')
if [ -n "$have" ] && grep -q -x -F "$bv" "$marker" 2>/dev/null; then
	# The same data and settings made the same model: judged already.
	echo "monthly: candidate $bv is in the registry already ($have): no change" >&2
	exit 0
fi
if [ -n "$have" ]; then
	# Registered by a run killed before its mail: what that run decided
	# stands (the same data and settings: the same numbers); the mail and
	# the marker are what is left to do.
	echo "monthly: candidate $bv was registered ($have) by an interrupted run: mailing its outcome" >&2
	st=${have%+}
	if [ "$st" = candidate ]; then
		# Left half judged (added, not yet retired, by a run of the
		# job before it registered in one change): judged now.
		case $verdict in
		pass) if [ -n "$live" ]; then st=shadow; else st=live; fi ;;
		*) st=retired ;;
		esac
		case $st in
		live) verb=promote ;;
		shadow) verb=shadow ;;
		*) verb=retire ;;
		esac
		"$BIN/tm-model" -d "$MODELS" "$verb" "$bv" >/dev/null 2>>"$errf"
	fi
else
	# One change to the registry: a failing candidate goes in retired.
	case $verdict in
	pass) if [ -n "$live" ]; then st=shadow; else st=live; fi ;;
	*) st=retired ;;
	esac
	"$BIN/tm-model" -d "$MODELS" --keep "$TM_MODELS_KEEP" add --status "$st" \
	    --gate "$gate" "$cand" >/dev/null 2>>"$errf"
fi

# ------------------------------------------------------------------ mail
stage=mail
# The month's performance and risk: tm-report --monthly over the live
# portfolio's state on the last day applied before DATE's month (on the
# first trading day, the month just ended).
mst=
for d in "$TM_DATA"/states/????-??-??; do
	if [ -d "$d" ] && [[ $(basename "$d") < $month-01 ]]; then mst=$d; fi
done
if [ -n "$mst" ] && [ -f "$mst/journal.jsonl" ]; then
	if "$BIN/tm-report" --monthly -o text -s "$mst" -M "$MODELS" \
	    -L "$TM_DATA/log" >"$work/month.txt" 2>"$work/report.err"; then
		{ echo "The month to $(basename "$mst"), the live portfolio:"
		  sed -n '/^PORTFOLIO/{n;p;n;p;}' "$work/month.txt"
		  sed -n '/^PERFORMANCE/,/^$/p' "$work/month.txt" | sed '/^$/d'
		} >"$work/month.sec"
	else
		cat "$work/report.err" >>"$errf"
		echo "The month to $(basename "$mst"): tm-report failed: $(tail -n 1 "$work/report.err")" >"$work/month.sec"
	fi
else
	echo "The month before $month: no day applied, no figures yet." >"$work/month.sec"
fi
{
	echo "Monthly retraining for $DATE ($TM_ALGOS, $TM_SEEDS seeds, warm start: $warm)."
	echo "$summary."
	echo "Candidate $bv, out of sample $gfrom..$DATE:"
	printf '  %-12s Sharpe %s  max drawdown %s  turnover %s\n' candidate "$cs" "$cd_" "$ct"
	[ -n "$live" ] && printf '  %-12s Sharpe %s\n' live "$ls_"
	printf '  %-12s Sharpe %s\n' "equal weight" "$es"
	printf '  %-12s Sharpe %s  max drawdown %s  return %s (buy and hold)\n' \
	    "$TM_BENCH" "$bs" "$bdd" "$bret"
	echo "Gate: $verdict (margin $TM_GATE_MARGIN, max drawdown $TM_GATE_MAXDD, turnover $TM_GATE_TURNOVER)."
	case $st in retired) echo "The candidate was retired." ;; *) echo "The candidate is now ${st}." ;; esac
	echo
	cat "$work/month.sec"
	echo
	"$BIN/tm-model" -d "$MODELS" list
} >"$work/monthly.txt"
sev=info
case $verdict in fail*) sev=warning ;; esac
alert "$sev" "monthly $DATE: $verdict" "$work/monthly.txt" 2>>"$errf"
# After the mail: a run killed before this line is resumed by the next one
# (which mails again if the kill came between the two).
echo "$bv" >>"$marker"
rm -f "$started"
[ -t 1 ] && cat "$work/monthly.txt"
exit 0
