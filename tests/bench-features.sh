#!/bin/sh
# bench-features.sh - tm-features --set default on a tm-synth market of
# N tickers (default 3300) over 5 and 10 years: wall and CPU time and peak
# memory (GNU time -v), against a numpy baseline of the core indicators
# (RSI, MACD EMAs, Bollinger, SMAs) on the same 10-year data in the same
# run.  Memory should not grow with the number of days.
#   usage: sh tests/bench-features.sh [N]
set -eu
cd "$(dirname "$0")/.."
N=${1:-3300}
BIN=${TM_BIN:-$PWD/bin}
PY=/usr/bin/python3
OPENBLAS_NUM_THREADS=1
export OPENBLAS_NUM_THREADS TM_LOG=off
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-features.XXXXXX")
trap 'rm -rf "$dir"' EXIT

measure() {	# label command...: one line of wall, user, sys, max RSS
	label=$1
	shift
	/usr/bin/time -v "$@" >"$dir/out" 2>"$dir/time" || {
		cat "$dir/time" >&2
		exit 1
	}
	awk -v l="$label" -F': ' '
		/Elapsed/ { w = $2 } /User time/ { u = $2 } /System time/ { s = $2 }
		/Maximum resident/ { r = $2 }
		END { printf "%-34s wall %8s  user %6.2f s  sys %5.2f s  maxrss %7.1f MB\n",
		    l, w, u, s, r / 1024 }' "$dir/time"
}

for y in 5 10; do
	"$BIN/tm-synth" -n "$N" -y $y --seed 1 >"$dir/p$y.tmt"
	echo "market: $N tickers x $y years, $(wc -c <"$dir/p$y.tmt") bytes"
done
for y in 5 10; do
	measure "tm-features, $y years" "$BIN/tm-features" "$dir/p$y.tmt"
done
measure "tm-features --set ta, 10 years" "$BIN/tm-features" --set ta "$dir/p10.tmt"
measure "tm-cat (read + write only), 10 y" "$BIN/tm-cat" "$dir/p10.tmt"
if $PY -c 'import numpy' 2>/dev/null; then
	measure "numpy baseline, 10 years" $PY tests/ref_ta.py bench "$dir/p10.tmt"
	cat "$dir/out"
fi
