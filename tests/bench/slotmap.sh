#!/bin/sh
# bench/slotmap.sh - tm-slotmap over a 3,300-ticker, 10-year tm-synth price
# stream through --layout r3000: wall time (median of 3 runs) and peak RSS,
# for a 3,000-member snapshot (no changes) and for tm-synth's own membership
# changes with the state file.  Called by `make bench` through
# tests/bench/run.sh, or on its own.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup

if [ ! -x "$BIN/tm-synth" ]; then
	echo "bench-slotmap: $BIN/tm-synth is not built" >&2
	exit 1
fi
"$BIN/tm-synth" -n 3300 -y 10 --seed 1 -o "$W/syn"
# 3,000 of the 3,300 tickers as the members (tm-synth's own index keeps
# about 1,000, too few to fill r3000).
head -3001 "$W/syn/universe.csv" | cut -d, -f1 >"$W/snap.csv"

now() { date +%s.%N; }

# run NAME CMD...: median wall time of 3 runs and the peak RSS of the last.
run() {
	name=$1; shift
	for _ in 1 2 3; do
		rm -f "$W/state.json"
		t0=$(now)
		/usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null
		t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
	done | sort -n | sed -n 2p >"$W/med"
	printf '%-34s %6.2f s  peak RSS %6.1f MB\n' "$name" "$(cat "$W/med")" \
	    "$(awk '{ print $1 / 1024 }' "$W/rss")"
}

mb=$(wc -c <"$W/syn/prices.tmt" | awk '{ printf "%.0f", $1 / 1e6 }')
echo "input: $mb MB of prices, 3,300 tickers, 10 years"
run "r3000, 3,000-member snapshot" \
    "$BIN/tm-slotmap" -l r3000 --members "$W/snap.csv" "$W/syn/prices.tmt"
run "r3000, tm-synth changes, --state" \
    "$BIN/tm-slotmap" -l r3000 --members "$W/syn/membership.csv" \
    -s "$W/state.json" "$W/syn/prices.tmt"
run "cat(1) of the input, for scale" cat "$W/syn/prices.tmt"
