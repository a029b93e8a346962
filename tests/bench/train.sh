#!/bin/sh
# bench/train.sh - tm-train and tm-infer at Russell 1000 size: 1,200 slots
# (1,000 active, 100 archive, 100 padding) x 1,260 days x 32 features.
# Prints per algorithm the wall time per epoch and to convergence (early
# stop), the epoch of the best validation reward (the one kept), peak
# memory and model size; then tm-infer's time per day for 1,200 and 3,600
# slots.  Sizes: BENCH_DAYS, BENCH_ALGOS (default "dpg ppo a2c sac"),
# BENCH_EPOCHS (cap, default 30).
set -eu
. "$(dirname "$0")/common.sh"
BIN=${TM_BIN:-$TOP/bin}
DAYS=${BENCH_DAYS:-1260}
ALGOS=${BENCH_ALGOS:-dpg ppo a2c sac}
EPOCHS=${BENCH_EPOCHS:-30}
W=$(mktemp -d "${TMPDIR:-/tmp}/tm-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
TM_LOG=off
export TM_LOG

"$BIN/tmt-slots" -n 1000 -a 100 -p 100 -f 29 -d "$DAYS" -k 0.1 -s 1 >"$W/r1000.tmt"
"$BIN/tmt-slots" -n 3000 -a 300 -p 300 -f 29 -d 30 -k 0.1 -s 2 >"$W/r3000.tmt"
"$BIN/tmt-slots" -n 1000 -a 100 -p 100 -f 29 -d 30 -k 0.1 -s 2 >"$W/r1000s.tmt"
echo "input: 1200 slots x $DAYS days x 32 features ($(wc -c <"$W/r1000.tmt") bytes)"

for a in $ALGOS; do
	/usr/bin/time -f "%e %M" -o "$W/time" "$BIN/tm-train" --algo "$a" \
	    --seed 1 --epochs "$EPOCHS" -o "$W/$a.tmt" <"$W/r1000.tmt" \
	    2>"$W/$a.err"
	read -r wall kb <"$W/time"
	n=$(grep -c ': epoch [0-9]*: train' "$W/$a.err")
	echo "$a: $n epochs in ${wall}s ($(echo "$wall $n" |
	    awk '{printf "%.2f", $1 / $2}')s/epoch, incl. loading), peak" \
	    "$((kb / 1024)) MB, model $(wc -c <"$W/$a.tmt") bytes;" \
	    "$(grep -c 'stopped early' "$W/$a.err" || true) early stop"
	awk '/: epoch [0-9]*: train/ { v = $7 + 0; if (!seen || v > best) {
	    best = v; at = $3 + 0; seen = 1 } }
	    END { printf "  best validation reward %.5f at epoch %d\n", best, at }' \
	    "$W/$a.err"
	tail -n 3 "$W/$a.err" | sed 's/^/  /'
done

m=$W/$(set -- $ALGOS; echo "$1").tmt
for n in 1000s 3000; do
	# 30 days, 5 runs: the median per day
	for i in 1 2 3 4 5; do
		/usr/bin/time -f "%e" -o "$W/t$i" "$BIN/tm-infer" -m "$m" \
		    <"$W/r$n.tmt" >/dev/null
		cat "$W/t$i"
	done | sort -n | sed -n 3p | sed "s/^/$( [ "$n" = 3000 ] && echo 3600 || echo 1200) /" | awk -v n="$n" '{printf "tm-infer %s slots: %.1f ms per day (median of 5 runs of 30 days, whole process incl. start and model load)\n", $1, 1000 * $2 / 30}'
done
