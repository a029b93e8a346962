#!/bin/sh
# bench-realdata.sh - walk-forward, out-of-sample report of every training
# algorithm on the real market data of ../shared/data (issue 5): import the
# 2010..2017 prices, build features and the Russell-1000-style slot stream
# from the yearly top-1000 membership, then per fold train on the past
# (tm-train's --valid for early stopping), run tm-infer over the next
# months and score policy, equal weight and QQQ with tests/realdata_eval.py.
# Prints the wall time of every stage and one table per fold.  Nothing is
# tuned on the scoring windows.  Skips (exit 0) without the shared data.
# Knobs: RD_ALGOS (default "dpg ppo a2c sac"), RD_EPOCHS_<algo> (caps,
# default dpg 20, ppo 8, a2c 10, sac 6: about 12 minutes on 2 cores),
# RD_SEED (1), RD_KEEP=dir (keep the work files there).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/bin
DATA=${TM_SHARED_DATA:-$TOP/../shared/data}
PY=/usr/bin/python3
ALGOS=${RD_ALGOS:-dpg ppo a2c sac}
SEED=${RD_SEED:-1}
PRICES=$DATA/prices/us_stocks_daily_2010_2017.csv.gz
UNIV=$DATA/universe/universe_top1000_by_year.csv
ETF=$DATA/benchmarks/etf_benchmarks_daily.csv
for f in "$PRICES" "$UNIV" "$ETF"; do
	if [ ! -f "$f" ]; then
		echo "bench-realdata: skipped: no shared data ($f)"
		exit 0
	fi
done
if [ -n "${RD_KEEP:-}" ]; then
	W=$RD_KEEP
	mkdir -p "$W"
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/tm-realdata.XXXXXX")
	trap 'rm -rf "$W"' EXIT
fi
TM_LOG=off
export TM_LOG

# stage NAME CMD...: run CMD, print its wall time and peak memory
stage() {
	n=$1
	shift
	/usr/bin/time -f "%e %M" -o "$W/time.$n" "$@"
	read -r s kb <"$W/time.$n"
	printf '%-22s %7.1f s  %5d MB\n' "$n" "$s" $((kb / 1024))
}

# The source is already split- and dividend-adjusted and has no adjclose:
# tm-features takes close for it (ret = close over the previous close).
stage import sh -c 'zcat "$1" | "$2/tm-cat" --import >"$3/prices.tmt"' \
    sh "$PRICES" "$BIN" "$W"
stage features sh -c '"$1/tm-features" -s default <"$2/prices.tmt" \
    >"$2/feat.tmt"' sh "$BIN" "$W"

# Membership: the top 1,000 of effective year Y hold from Y's first trading
# day; 2010's are all adds, later years add the newcomers and remove the
# leavers.  Years past the prices (2018) are left out.
for y in 2010 2011 2012 2013 2014 2015 2016 2017; do
	echo "$y $("$BIN/tmt-caldays" "$y-01-01" "$y-01-15" | head -n 1)"
done >"$W/firstdays"
{
	echo date,ticker,action
	awk -F, 'FNR == NR { split($0, a, " "); fd[a[1]] = a[2]; next }
	    FNR > 1 && ($1 in fd) { m[$1 "," $3] = 1 }
	    END {
		for (y = 2010; y in fd; y++)
			for (k in m) {
				split(k, a, ",")
				if (a[1] == y && (y == 2010 || !((y - 1) "," a[2] in m)))
					print fd[y] "," a[2] ",add"
				if (y > 2010 && a[1] == y - 1 && !(y "," a[2] in m))
					print fd[y] "," a[2] ",remove"
			}
	    }' "$W/firstdays" "$UNIV" | sort
} >"$W/members.csv"
# The yearly removes fall a day short of the archive's 12 months when the
# next year's land, so tm-slotmap warns of a full archive: count, not show.
stage slotmap sh -c '"$1/tm-slotmap" -l r1000 -m "$2/members.csv" \
    <"$2/feat.tmt" >"$2/slots.tmt" 2>"$2/slotmap.err"' sh "$BIN" "$W"
echo "  $(($(wc -l <"$W/members.csv") - 1)) membership changes;" \
    "$(grep -c 'leaves early' "$W/slotmap.err" || true) archived stocks" \
    "left the archive early (archive full)"

# Folds: train to the day before the window (the last 63 days held out
# for early stopping), score the window.  tm-infer starts from all cash
# ten calendar days before, so the window's first day already has weights.
FOLDS="1:2014-12-31:2015-01-01:2015-12-31:2014-12-20
2:2015-12-31:2016-01-01:2017-11-10:2015-12-20"
for a in $ALGOS; do
	eval "ep=\${RD_EPOCHS_$a:-}"
	if [ -z "$ep" ]; then
		case $a in
		dpg) ep=20 ;; ppo) ep=8 ;; a2c) ep=10 ;; *) ep=6 ;;
		esac
	fi
	# the two folds of one algorithm side by side (tm-train uses one core)
	for f in $FOLDS; do
		IFS=: read -r k to _ _ _ <<-EOF
		$f
		EOF
		stage "train $a fold $k" "$BIN/tm-train" --algo "$a" \
		    --seed "$SEED" --epochs "$ep" --from 2010-01-01 --to "$to" \
		    -o "$W/m$k-$a.tmt" <"$W/slots.tmt" 2>"$W/train$k-$a.err" \
		    >"$W/train$k-$a.out" &
	done
	wait
	for k in 1 2; do
		cat "$W/train$k-$a.out"
		n=$(grep -c ': epoch [0-9]*: train' "$W/train$k-$a.err" || true)
		awk -v n="$n" -v cap="$ep" '/: epoch [0-9]*: train/ {
		    v = $7 + 0; if (!seen || v > best) { best = v; at = $3 + 0;
		    seen = 1 } } END { printf "  %d of %d epochs, kept epoch %d" \
		    " (validation reward %.5f)\n", n, cap, at, best }' \
		    "$W/train$k-$a.err"
	done
done

status=0
for f in $FOLDS; do
	IFS=: read -r k _ lo hi pre <<-EOF
	$f
	EOF
	"$BIN/tm-cat" --from "$pre" --to "$hi" "$W/slots.tmt" >"$W/win$k.tmt"
	set --
	for a in $ALGOS; do
		stage "infer $a fold $k" sh -c '"$1" -m "$2" <"$3" >"$4"' sh \
		    "$BIN/tm-infer" "$W/m$k-$a.tmt" "$W/win$k.tmt" \
		    "$W/out$k-$a.tmt"
		set -- "$@" "$a=$W/out$k-$a.tmt"
	done
	echo
	"$PY" "$TOP/tests/realdata_eval.py" "$k" "$lo" "$hi" "$W/win$k.tmt" \
	    "$ETF" 0.001 "$@" || status=1
	echo
done
exit "$status"
