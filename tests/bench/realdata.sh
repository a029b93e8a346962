#!/bin/sh
# bench/realdata.sh - walk-forward, out-of-sample report of every training
# algorithm on the real market data of ../shared/data (issue 5): import the
# 2010..2017 prices, build features and the Russell-1000-style slot stream
# from the yearly top-1000 membership, then per fold train on the past
# (tm-train's --valid for early stopping), run tm-infer over the next
# months and score policy, equal weight and QQQ with tests/helpers/realdata_eval.py.
# Prints the wall time of every stage and one table per fold.  Nothing is
# tuned on the scoring windows.  Skips (exit 0) without the shared data.
# Knobs: RD_ALGOS (default "dpg ppo a2c sac"), RD_EPOCHS_<algo> (caps,
# default dpg 20, ppo 8, a2c 10, sac 6: about 12 minutes on 2 cores),
# RD_SEED (1), RD_KEEP=dir (keep the work files there).
set -eu
. "$(dirname "$0")/common.sh"
BIN=${TM_BIN:-$TOP/bin}
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

# shellcheck source=pipelines/stage.sh
. "$TOP/pipelines/stage.sh"

# The prices (with QQQ and SPY), the point-in-time fundamentals, the
# features and the slot stream: pipelines/realdata.sh, shared with
# pipelines/walkforward.sh.
"$TOP/pipelines/realdata.sh" "$W"

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
	"$PY" "$TOP/tests/helpers/realdata_eval.py" "$k" "$lo" "$hi" "$W/win$k.tmt" \
	    "$ETF" 0.001 "$@" || status=1
	echo
done
exit "$status"
