#!/bin/bash
# walkforward.sh - replay the monthly job over history and write the whole
# out-of-sample record, the way a user would judge the system before
# trusting it (issue 10 section 4, issue 11 "The record").
#
#   pipelines/walkforward.sh [--quick] [-a algos] [-b bench] [-c cost]
#       [--adjust a] [--band w] [-d dir] [--diff-opts args] [-e epochs]
#       [-i args] [-j jobs] [-n seeds] [-t args] [--from YYYY-MM]
#       [--to YYYY-MM] [--years n]
#       [--valid days] [--baselines list] [--buyhold list]
#       [--minvar-timeout s] [--resume] [--rules-only] [--table-only] -o out
#
# For every month M from --from to --to, for every algorithm and seed:
#  1. tm-train on the --years years before M's first day (--to the day
#     before it; tm-train holds out its last --valid days for early
#     stopping), warm started (--init) from the model of month M-1;
#  2. tm-infer over M's days from that model, its first day's previous
#     weights the last frame of month M-1's weights (-w): the book is
#     carried across months, never reset to cash.
# Each walk's weights also go through tm-diff with its rules (defaults, or
# --diff-opts) as the daily job applies them: the paper portfolio a user
# following the recommendations would hold, scored from its index
# (tm-backtest --index) as the row ALGO+rules.
# The months' weights, concatenated, are one weight stream; tm-backtest
# scores it in one run (one book from the first day to the last; costs -c;
# decided t, traded t+1, earning t+2).  The baselines are tm-strategy
# streams on the same slots (equal, invvol, minvar, momentum with
# lookback 252, skip 21 and the top 50: 12-1), rebalanced daily, or with
# the suffix -m (equal-m, invvol-m, ...) only on each month's first
# trading day, and buy and hold of each --buyhold ticker, scored by the
# same run over the same days.
#
# -d dir holds slots.tmt (the slot stream traded) and, optionally,
# bslots.tmt (the same members plus the benchmark tickers, used for
# scoring so that -b and --buyhold name a ticker of it); without -d,
# pipelines/realdata.sh builds both from ../shared/data into out/data.
#
# Output in out: record.txt (the table: Sharpe, Sortino, CAGR,
# volatility, max drawdown, turnover, alpha and beta against -b, per year
# and for the whole record; with several seeds, mean and spread over
# seeds), record.csv (the same, one line per strategy, seed, period; seed
# "mean" and "sd" for the summaries), and per run ALGO-sSEED/:
# models/YYYY-MM.tmt, weights/YYYY-MM.tmt, months.csv (month, first and
# last weight day, model, the model's last training day (meta.to, before
# the --valid days held out), tm-train's --to, the warm start's model),
# weights.tmt, equity.csv, metrics.json; with several seeds base-ALGO-ens/
# (row ALGO-ens: the mean of the seeds' weights, tm-strategy blend, scored
# the same way); trials.jsonl (one line per walk:
# sharpe, skew, kurtosis, days) and dsr.json (tm-backtest --dsr of them:
# the Deflated Sharpe Ratio of the best walk for the number of walks, its
# last line in record.txt).  Progress goes to standard error.
#
# --resume: keep the months an interrupted run finished (a month's model
# and weights are each written whole), go on from the first missing one.
# --table-only: no runs, only the table of what out holds (a walk or a
# baseline that did not finish is named as left out).
# --rules-only: no training, no inference, no baselines: only the ALGO+rules
# rows again, from the weights.tmt of the walks out already holds, through
# tm-diff with this run's --diff-opts (ALGO+rules-sSEED is replaced), then
# the table.  The models and weights do not depend on tm-diff's rules, so
# a grid of rule settings costs one training run.  -a, -n, --from and --to
# must name the walks out holds (a walk made for other months is an error,
# 65; a walk that did not finish is left out).
# --adjust a: tm-infer --adjust a (tm-infer(1)): every model, however
# trained, decides with partial adjustment a; the first day of a month
# moves from the last targets of the month before.
# --band w: the fill's no-trade band (tm-backtest(1)), in training and in
# the scoring of every strategy, baselines included.  -t args: more
# tm-train options for every month (split at blanks), e.g. -t '--tau 0.5
# --fixed-tau'; -i args: more tm-infer options, e.g. -i '--cap 0.1'.
# --quick: at most 3 months, 1 epoch, --valid 10 (for a test on a tm-synth
# market).  Defaults: dpg, 1 seed, 3 epochs, QQQ, 4 years, 2 jobs.
set -eu
set -o pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TM_BIN:-$TOP/bin}
TM_LOG=${TM_LOG:-off}
export TM_LOG

usage() {
	sed -n '6,11p' "$0" | sed 's/^# *//' >&2
	exit 64
}
die() { echo "walkforward: $*" >&2; exit "${2:-65}"; }

ALGOS=dpg SEEDS=1 EPOCHS=3 BENCH=QQQ COST=0.001 DIR='' OUT='' JOBS=2
FROM=2014-01 TO=2017-10 YEARS=4 VALID=63 QUICK='' TABLE_ONLY='' RESUME=''
RULES_ONLY=''
BASELINES="equal invvol minvar momentum invvol-m minvar-m momentum-m"
BUYHOLD="SPY QQQ" MVTIME=1800 BAND=0 TARGS='' ADJ='' IARGS='' DIFFARGS=''
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	-a) ALGOS=$2; shift ;;
	--adjust) ADJ=$2; shift ;;
	--band) BAND=$2; shift ;;
	-t) TARGS=$2; shift ;;
	-i) IARGS=$2; shift ;;
	--diff-opts) DIFFARGS=$2; shift ;;
	-b) BENCH=$2; shift ;;
	-c) COST=$2; shift ;;
	-d) DIR=$2; shift ;;
	-e) EPOCHS=$2; shift ;;
	-j) JOBS=$2; shift ;;
	-n) SEEDS=$2; shift ;;
	-o) OUT=$2; shift ;;
	--from) FROM=$2; shift ;;
	--to) TO=$2; shift ;;
	--years) YEARS=$2; shift ;;
	--valid) VALID=$2; shift ;;
	--baselines) BASELINES=$2; shift ;;
	--buyhold) BUYHOLD=$2; shift ;;
	--minvar-timeout) MVTIME=$2; shift ;;
	--table-only) TABLE_ONLY=1 ;;
	--rules-only) RULES_ONLY=1 ;;
	--resume) RESUME=1 ;;
	*) usage ;;
	esac
	shift
done
[ -n "$OUT" ] || usage
for v in "$FROM" "$TO"; do
	case $v in [12][0-9][0-9][0-9]-[01][0-9]) ;; *) usage ;; esac
done
case $SEEDS$YEARS$VALID$JOBS in *[!0-9]*) usage ;; esac
case $EPOCHS in *[!0-9a-z=,]*|'') usage ;; esac
[ "$SEEDS" -ge 1 ] && [ "$JOBS" -ge 1 ] || usage
mkdir -p "$OUT"
if [ -z "$DIR" ]; then
	DIR=$OUT/data
	[ -s "$DIR/slots.tmt" ] || "$TOP/pipelines/realdata.sh" "$DIR" >&2 ||
	    die "could not build the real-data slot streams" 66
fi
SLOTS=$DIR/slots.tmt
[ -s "$SLOTS" ] || die "$SLOTS: no slot stream" 66
SCORE=$SLOTS
[ -s "$DIR/bslots.tmt" ] && SCORE=$DIR/bslots.tmt

# The months, and the first and last calendar day of the record.
months() {
	m=$FROM-01
	while [ "$(date -u -d "$m" +%Y-%m)" \< "$TO" ] ||
	    [ "$(date -u -d "$m" +%Y-%m)" = "$TO" ]; do
		date -u -d "$m" +%Y-%m
		m=$(date -u -d "$m +1 month" +%F)
	done
}
MONTHS=$(months)
if [ -n "$QUICK" ]; then
	MONTHS=$(echo "$MONTHS" | head -n 3)
	EPOCHS=1 VALID=10
fi
[ -n "$MONTHS" ] || die "--from $FROM is after --to $TO" 64
DAY0=$(echo "$MONTHS" | head -n 1)-01
LASTM=$(echo "$MONTHS" | tail -n 1)
DAYN=$(date -u -d "$LASTM-01 +1 month -1 day" +%F)

# meta_of FILE KEY: a meta value of the first frame of a TMT file
meta_of() {
	"$BIN/tm-cat" --info "$1" | head -n 1 |
	    sed -n "s/.*\"meta\":{.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"
}

# epochs_of ALGO: -e is a count for all, or a list like dpg=3,ppo=1
# (an algorithm it does not name gets 1)
epochs_of() {
	case $EPOCHS in
	*=*) echo ",$EPOCHS," | sed -n "s/.*,$1=\([0-9]*\),.*/\1/p" |
	    grep . || echo 1 ;;
	*) echo "$EPOCHS" ;;
	esac
}

# walk ALGO SEED: the monthly retrain and trade, into $OUT/ALGO-sSEED
walk() {
	a=$1 s=$2 R=$OUT/$1-s$2
	mkdir -p "$R/models" "$R/weights"
	echo "month,first,last,model,model_to,train_to,init" >"$R/months.csv.tmp"
	prev='' pw=''
	for m in $MONTHS; do
		d0=$m-01
		d1=$(date -u -d "$d0 +1 month -1 day" +%F)
		tf=$(date -u -d "$d0 -$YEARS years" +%F)
		tt=$(date -u -d "$d0 -1 day" +%F)
		t0=$(date +%s) t1=$(date +%s)
		if [ -n "$RESUME" ] && [ -s "$R/models/$m.tmt" ] &&
		    [ -s "$R/weights/$m.tmt" ]; then
			# made by an earlier, interrupted run: both are written
			# whole or not at all
			echo "walkforward: $a seed $s $m: kept from an earlier run" >&2
		else
		# shellcheck disable=SC2086
		"$BIN/tm-train" -q --algo "$a" --seed "$s" --epochs "$(epochs_of "$a")" \
		    --valid "$VALID" --cost "$COST" --band "$BAND" $TARGS \
		    --from "$tf" --to "$tt" \
		    ${prev:+--init "$prev"} -o "$R/models/$m.tmt" \
		    <"$SLOTS" 2>"$R/train.err" ||
		    die "$a seed $s $m: tm-train failed: $(tail -n 1 "$R/train.err")"
		t1=$(date +%s)
		# shellcheck disable=SC2086
		"$BIN/tm-cat" --from "$d0" --to "$d1" "$SLOTS" |
		    "$BIN/tm-infer" -m "$R/models/$m.tmt" ${pw:+-w "$pw"} \
		    ${ADJ:+--adjust "$ADJ"} $IARGS \
		    >"$R/weights/$m.tmt.tmp" ||
		    die "$a seed $s $m: tm-infer failed"
		mv "$R/weights/$m.tmt.tmp" "$R/weights/$m.tmt"
		fi
		[ -s "$R/weights/$m.tmt" ] || die "$a seed $s $m: no trading day"
		dates=$("$BIN/tm-cat" --info "$R/weights/$m.tmt" |
		    sed -n 's/.*"date":"\([0-9-]*\)".*/\1/p')
		echo "$m,$(echo "$dates" | head -n 1),$(echo "$dates" |
		    tail -n 1),models/$m.tmt,$(meta_of "$R/models/$m.tmt" to),$tt,${prev:+models/$(basename "$prev")}" \
		    >>"$R/months.csv.tmp"
		echo "walkforward: $a seed $s $m: trained $((t1 - t0)) s," \
		    "traded $(echo "$dates" | wc -l) days" >&2
		prev=$R/models/$m.tmt pw=$R/weights/$m.tmt
	done
	mv "$R/months.csv.tmp" "$R/months.csv"
	# shellcheck disable=SC2046
	"$BIN/tm-cat" $(for m in $MONTHS; do echo "$R/weights/$m.tmt"; done) \
	    >"$R/weights.tmt.tmp"
	mv "$R/weights.tmt.tmp" "$R/weights.tmt"
	score "$R/weights.tmt" "$R"
	rules "$a" "$s"
}

# rules ALGO SEED: the walk's weights through tm-diff and its rules, the
# portfolio scored from tm-diff's index, into $OUT/ALGO+rules-sSEED
rules() {
	R=$OUT/$1-s$2 Q=$OUT/$1+rules-s$2
	rm -rf "$Q"
	mkdir -p "$Q/state"
	# shellcheck disable=SC2086
	"$BIN/tm-diff" -s "$Q/state" --slots "$SCORE" --cost "$COST" \
	    $DIFFARGS "$R/weights.tmt" >"$Q/recs.tmt" 2>"$Q/diff.err" ||
	    die "$1 seed $2: tm-diff failed: $(tail -n 1 "$Q/diff.err")"
	"$BIN/tm-backtest" -q -b "$BENCH" --from "$DAY0" --to "$DAYN" \
	    --metrics "$Q/metrics.json" --index "$Q/recs.tmt" "$SCORE" \
	    >"$Q/equity.tmt"
	"$BIN/tm-cat" -o csv "$Q/equity.tmt" >"$Q/equity.csv.tmp"
	mv "$Q/equity.csv.tmp" "$Q/equity.csv"
	rm -f "$Q/equity.tmt"
}

# score WEIGHTS DIR: one tm-backtest run over the record's days
score() {
	"$BIN/tm-backtest" -q --cost "$COST" --band "$BAND" -b "$BENCH" --from "$DAY0" \
	    --to "$DAYN" --metrics "$2/metrics.json" -w "$1" "$SCORE" \
	    >"$2/equity.tmt"
	"$BIN/tm-cat" -o csv "$2/equity.tmt" >"$2/equity.csv.tmp"
	mv "$2/equity.csv.tmp" "$2/equity.csv"
	rm -f "$2/equity.tmt"
}

# baseline NAME: a tm-strategy stream on the same slots, from a year and a
# half before the record (the 12-1 momentum's warm-up) to its end
baseline() {
	B=$OUT/base-$1
	mkdir -p "$B"
	w0=$(date -u -d "$DAY0 -400 days" +%F)
	name=$1 src=$SLOTS monthly=''
	case $1 in *-m) monthly=${1%-m}; set -- "$monthly" ;; esac
	case $1 in
	equal|invvol|minvar) set -- "$1" ;;
	momentum) set -- -p lookback=252 -p skip=21 -p top_k=50 momentum ;;
	buyhold-*) src=$SCORE; set -- -p ticker="${1#buyhold-}" buyhold ;;
	*) die "$1: unknown baseline" 64 ;;
	esac
	t0=$(date +%s)
	lim=''
	[ "${*: -1}" = minvar ] && lim="timeout $MVTIME"
	if [ -n "$monthly" ] && [ -s "$OUT/base-$monthly/weights.tmt" ]; then
		# the daily stream of the same strategy, already made
		cp "$OUT/base-$monthly/weights.tmt" "$B/weights.tmt.tmp"
	elif ! "$BIN/tm-cat" --from "$w0" --to "$DAYN" "$src" |
	    $lim "$BIN/tm-strategy" "$@" >"$B/weights.tmt.tmp"; then
		rm -f "$B/weights.tmt.tmp"
	fi
	if [ -s "$B/weights.tmt.tmp" ] && [ -n "$monthly" ]; then
		# only the frames of each month's first day: the book drifts
		# in between (tm-backtest holds on a day without a frame)
		for d in $("$BIN/tm-cat" --info "$B/weights.tmt.tmp" |
		    sed -n 's/.*"date":"\([0-9-]*\)".*/\1/p' |
		    awk '{ m = substr($0, 1, 7) } m != pm { print } { pm = m }'); do
			"$BIN/tm-cat" --from "$d" --to "$d" "$B/weights.tmt.tmp"
		done | "$BIN/tm-cat" >"$B/weights.tmt.m"
		mv "$B/weights.tmt.m" "$B/weights.tmt.tmp"
	fi
	if [ -s "$B/weights.tmt.tmp" ]; then
		mv "$B/weights.tmt.tmp" "$B/weights.tmt"
		score "$B/weights.tmt" "$B"
		echo "walkforward: baseline $name: $(($(date +%s) - t0)) s" >&2
	else
		echo "walkforward: baseline $name: not finished within" \
		    "$MVTIME s (or failed): left out" >&2
		echo "$name left out: not finished within $MVTIME s" >"$B/skipped"
	fi
}

# ensemble ALGO: the mean of its seeds' weights (tm-strategy blend, equal
# weights), a strategy of its own scored like the walks, into
# $OUT/base-ALGO-ens (row ALGO-ens); with one seed there is none.
ensemble() {
	B=$OUT/base-$1-ens streams=''
	[ "$SEEDS" -gt 1 ] || return 0
	for s in $(seq 1 "$SEEDS"); do
		[ -s "$OUT/$1-s$s/weights.tmt" ] || return 0
		streams=$streams${streams:+,}$OUT/$1-s$s/weights.tmt
	done
	mkdir -p "$B"
	"$BIN/tm-cat" --from "$DAY0" --to "$DAYN" "$SLOTS" |
	    "$BIN/tm-strategy" -p streams="$streams" blend >"$B/weights.tmt.tmp"
	mv "$B/weights.tmt.tmp" "$B/weights.tmt"
	score "$B/weights.tmt" "$B"
}

# Run the walks and the baselines, at most JOBS at a time.
run_jobs() {
	n=0
	for j in "$@"; do
		# shellcheck disable=SC2086
		( $j ) &
		n=$((n + 1))
		if [ "$n" -ge "$JOBS" ]; then
			wait -n || die "a job failed"
			n=$((n - 1))
		fi
	done
	while [ "$n" -gt 0 ]; do
		wait -n || die "a job failed"
		n=$((n - 1))
	done
}
# rules_again ALGO SEED: the +rules row of a finished walk, for --rules-only
rules_again() {
	R=$OUT/$1-s$2
	if [ ! -s "$R/weights.tmt" ] || [ ! -s "$R/months.csv" ]; then
		echo "walkforward: $1 seed $2: no finished walk in $R: left out" >&2
		rm -rf "$OUT/$1+rules-s$2"
		return 0
	fi
	[ "$(sed 1d "$R/months.csv" | cut -d, -f1)" = "$MONTHS" ] ||
	    die "$R: its walk is not of the months --from $FROM --to $TO"
	t0=$(date +%s)
	rules "$1" "$2"
	echo "walkforward: $1+rules seed $2: $(($(date +%s) - t0)) s" >&2
}
if [ -n "$RULES_ONLY" ] && [ -z "$TABLE_ONLY" ]; then
	jobs_list=()
	for a in $ALGOS; do
		for s in $(seq 1 "$SEEDS"); do
			jobs_list+=("rules_again $a $s")
		done
	done
	run_jobs "${jobs_list[@]}"
elif [ -z "$TABLE_ONLY" ]; then
	jobs_list=()
	for a in $ALGOS; do
		for s in $(seq 1 "$SEEDS"); do
			rm -f "$OUT/$a-s$s/equity.csv"
			jobs_list+=("walk $a $s")
		done
	done
	for b in $BASELINES; do
		rm -f "$OUT/base-$b/equity.csv"
		jobs_list+=("baseline $b")
	done
	for t in $BUYHOLD; do jobs_list+=("baseline buyhold-$t"); done
	run_jobs "${jobs_list[@]}"
	for a in $ALGOS; do
		rm -f "$OUT/base-$a-ens/equity.csv"
		ensemble "$a"
	done
fi

# The table.  Per period (each calendar year of the record, then all) from
# the equity stream's daily net returns, the metrics as tm-backtest's man
# page defines them (its whole-record figures are these, to rounding).
table_rows() {	# table_rows NAME SEED EQUITY.CSV
	awk -F, -v name="$1" -v seed="$2" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
		hast = "turnover" in col; next }
	{
		y = substr($1, 1, 4); r = $(col["return"]) + 0
		bv = $(col["bench"]) + 0; b = bv / (pbv ? pbv : 1) - 1; pbv = bv
		n[y]++; R[y, n[y]] = r; Bn[y, n[y]] = b
		if (hast) tv[y] += $(col["turnover"])
		n["all"]++; R["all", n["all"]] = r; Bn["all", n["all"]] = b
		if (hast) tv["all"] += $(col["turnover"])
		if (!(y in seen)) { seen[y] = 1; order[++ny] = y }
	}
	END {
		order[++ny] = "all"
		for (k = 1; k <= ny; k++) {
			p = order[k]; N = n[p]; sr = sd = 0
			v = 1; peak = 1; mdd = 0; m = mb = dn = 0
			for (i = 1; i <= N; i++) {
				r = R[p, i]; m += r; mb += Bn[p, i]
				v *= 1 + r; if (v > peak) peak = v
				if (v / peak - 1 < mdd) mdd = v / peak - 1
				if (r < 0) dn += r * r
			}
			m /= N; mb /= N
			for (i = 1; i <= N; i++) sd += (R[p, i] - m) ^ 2
			sd = N > 1 ? sqrt(sd / (N - 1)) : 0
			cov = vb = 0
			for (i = 1; i <= N; i++) {
				cov += (Bn[p, i] - mb) * R[p, i]
				vb += (Bn[p, i] - mb) ^ 2
			}
			beta = vb > 0 ? cov / vb : 0
			ex = 0
			for (i = 1; i <= N; i++) ex += R[p, i] - beta * Bn[p, i]
			alpha = (1 + ex / N) ^ 252 - 1
			sharpe = sd > 0 && N > 1 ? sqrt(252) * m / sd : 0
			sortino = dn > 0 ? 252 * m / (sqrt(252) * sqrt(dn / N)) : "nan"
			# an index (the +rules rows) has no turnover: nan
			printf "%s,%s,%s,%d,%.6f,%s,%.6f,%.6f,%.6f,%s,%.6f,%.6f\n",
			    name, seed, p, N, sharpe,
			    sortino == "nan" ? "nan" : sprintf("%.6f", sortino),
			    v ^ (252 / N) - 1, sd * sqrt(252), mdd,
			    hast ? sprintf("%.6f", tv[p] / N) : "nan",
			    alpha, beta
		}
	}' "$3"
}
HDR=strategy,seed,period,days,sharpe,sortino,cagr,volatility,max_drawdown,turnover,alpha,beta
{
	echo "$HDR"
	for a in $ALGOS $(for x in $ALGOS; do echo "$x+rules"; done); do
		for s in $(seq 1 "$SEEDS"); do
			[ -s "$OUT/$a-s$s/equity.csv" ] &&
			    table_rows "$a" "$s" "$OUT/$a-s$s/equity.csv"
		done >"$OUT/$a.rows"
		cat "$OUT/$a.rows"
		if [ "$SEEDS" -gt 1 ] && [ -s "$OUT/$a.rows" ]; then
			# mean and sample spread over seeds, per period
			awk -F, -v OFS=, '{ k = $3; if (!(k in n)) o[++no] = k
			    n[k]++; d[k] = $4
			    for (i = 5; i <= 12; i++) { if ($i == "nan") nan[k SUBSEP i] = 1
			    x[k, i] += $i; xx[k, i] += $i * $i } }
			    END { for (j = 1; j <= no; j++) { k = o[j]
			    m = $1 ","; line1 = line2 = ""
			    for (i = 5; i <= 12; i++) { mu = x[k, i] / n[k]
			    v = (xx[k, i] - n[k] * mu * mu) / (n[k] - 1)
			    if ((k SUBSEP i) in nan) { line1 = line1 ",nan"
			    line2 = line2 ",nan"; continue }
			    line1 = line1 sprintf(",%.6f", mu)
			    line2 = line2 sprintf(",%.6f", v > 0 ? sqrt(v) : 0) }
			    print name ",mean," k "," d[k] line1
			    print name ",sd," k "," d[k] line2 } }' \
			    name="$a" "$OUT/$a.rows"
		fi
		rm -f "$OUT/$a.rows"
	done
	for b in $(for a in $ALGOS; do echo "$a-ens"; done) $BASELINES \
	    $(for t in $BUYHOLD; do echo "buyhold-$t"; done); do
		[ -s "$OUT/base-$b/equity.csv" ] &&
		    table_rows "$b" - "$OUT/base-$b/equity.csv"
	done
} >"$OUT/record.csv.tmp"
mv "$OUT/record.csv.tmp" "$OUT/record.csv"

# The text table: one block per period; with seeds, mean +- sd.
awk -F, -v seeds="$SEEDS" -v bench="$BENCH" -v cost="$COST" '
NR == 1 { next }
seeds > 1 && $2 ~ /^[0-9]+$/ { next }
{
	p = $3; if (!(p in np)) po[++nper] = p
	np[p]++; row[p, np[p]] = $0
	if ($2 == "sd") sdrow[$1, p] = $0
}
function pct(x) { return sprintf("%.1f%%", 100 * x) }
END {
	print "Out-of-sample record, net of costs " cost \
	    " (alpha and beta against " bench ")"
	for (j = 1; j <= nper; j++) {
		p = po[j]
		printf "\n%s\n%-16s %5s %15s %7s %7s %7s %8s %8s %7s %6s\n",
		    p == "all" ? "whole record" : p, "strategy", "days",
		    "Sharpe", "Sortino", "CAGR", "vol", "max DD", "turn/day",
		    "alpha", "beta"
		for (i = 1; i <= np[p]; i++) {
			split(row[p, i], f, ",")
			if (f[2] == "sd") continue
			sh = sprintf("%.2f", f[5])
			if (f[2] == "mean") {
				split(sdrow[f[1], p], g, ",")
				sh = sprintf("%.2f +- %.2f", f[5], g[5])
			}
			printf "%-16s %5d %15s %7s %7s %7s %8s %8s %7s %6.2f\n",
			    f[1], f[4], sh,
			    f[6] == "nan" ? "-" : sprintf("%.2f", f[6]),
			    pct(f[7]), pct(f[8]), pct(f[9]),
			    f[10] == "nan" ? "-" : sprintf("%.4f", f[10]),
			    pct(f[11]), f[12]
		}
	}
}' "$OUT/record.csv" >"$OUT/record.txt.tmp"
for b in $BASELINES; do
	if [ -f "$OUT/base-$b/skipped" ]; then
		cat "$OUT/base-$b/skipped"
	elif [ ! -s "$OUT/base-$b/equity.csv" ]; then
		echo "$b left out: no record"
	fi
done >>"$OUT/record.txt.tmp"
for a in $ALGOS; do
	for s in $(seq 1 "$SEEDS"); do
		[ -s "$OUT/$a-s$s/equity.csv" ] ||
		    echo "$a seed $s left out: its walk did not finish"
	done
done >>"$OUT/record.txt.tmp"
# The trials and the Deflated Sharpe Ratio of their best (tm-backtest
# --dsr; Bailey and Lopez de Prado): every algorithm x seed walk is one
# trial, so the best of them is not mistaken for skill.  trials.jsonl of
# several runs (a selection's variants) can be merged the same way.
for a in $ALGOS; do
	for s in $(seq 1 "$SEEDS"); do
		m=$OUT/$a-s$s/metrics.json
		[ -s "$m" ] || continue
		awk -v t="$a-s$s" -F'[:,]' '
		    /^  "(sharpe|skew|kurtosis|days)":/ {
			k = $1; gsub(/[ "]/, "", k); v = $2; gsub(/ /, "", v)
			x[k] = v }
		    END { printf "{\"trial\":\"%s\",\"sharpe\":%s,\"skew\":%s,\"kurtosis\":%s,\"days\":%s}\n",
			t, x["sharpe"], x["skew"], x["kurtosis"], x["days"] }' "$m"
	done
done >"$OUT/trials.jsonl.tmp"
mv "$OUT/trials.jsonl.tmp" "$OUT/trials.jsonl"
if [ -s "$OUT/trials.jsonl" ]; then
	"$BIN/tm-backtest" --dsr "$OUT/trials.jsonl" >"$OUT/dsr.json.tmp"
	mv "$OUT/dsr.json.tmp" "$OUT/dsr.json"
	sed 's/.*"trials":\([0-9]*\).*"trial":"\([^"]*\)".*"sharpe":\([-0-9.e+]*\).*"sr0":\([-0-9.e+]*\).*"dsr":\([-0-9.e+a-z]*\).*/\1 \2 \3 \4 \5/' \
	    "$OUT/dsr.json" | awk '{ printf "\nSelection: the best of %d walks (algorithm x seed) is %s, Sharpe %.2f; the best of %d with no skill would reach %.2f; Deflated Sharpe Ratio %s\n",
		$1, $2, $3, $1, $4, $5 == "null" ? "-" : sprintf("%.3f", $5) }' \
	    >>"$OUT/record.txt.tmp"
fi
mv "$OUT/record.txt.tmp" "$OUT/record.txt"
cat "$OUT/record.txt"
