#!/bin/sh
# bench-cat.sh - tm-cat throughput, one line per figure (median of 5 runs
# of the whole process): pass-through against cat(1), deflate encode and
# decode, CSV output and CSV import in rows per second.  Called by
# `make bench` through tests/bench.sh, or on its own.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
BIN=${TM_BIN:-$TOP/bin}
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-cat.XXXXXX")
trap 'rm -rf "$W"' EXIT
TM_LOG=off
export TM_LOG

# The stream: 1,100 tickers over 10 years of trading days.
if [ -x "$BIN/tm-synth" ]; then
	"$BIN/tm-synth" -n 1100 -y 10 --seed 1 >"$W/f.tmt"
elif [ -x "$BIN/tmt-gen" ]; then
	"$BIN/tmt-gen" -n 1100 -d 2520 >"$W/f.tmt"
else
	echo "bench-cat: neither $BIN/tm-synth nor $BIN/tmt-gen is built" >&2
	exit 1
fi

now() { date +%s.%N; }

# med5 OUT CMD...: the median wall time of 5 runs of CMD > OUT, seconds.
med5() {
	out=$1; shift
	for _ in 1 2 3 4 5; do
		t0=$(now)
		"$@" >"$out"
		t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }'
	done | sort -n | sed -n 3p
}

mb=$(wc -c <"$W/f.tmt" | awk '{ printf "%.1f", $1 / 1e6 }')
frames=$("$BIN/tm-cat" --info "$W/f.tmt" | wc -l)
echo "stream: $mb MB, $frames frames"

cat "$W/f.tmt" >/dev/null	# warm the page cache
tc=$(med5 /dev/null cat "$W/f.tmt")
tt=$(med5 /dev/null "$BIN/tm-cat" "$W/f.tmt")
echo "$tc $tt $mb" | awk '{ printf "pass-through: cat %.3f s (%.0f MB/s), tm-cat %.3f s (%.0f MB/s), tm-cat/cat throughput %.2fx (goal >= 0.3x)\n", $1, $3 / $1, $2, $3 / $2, $1 / $2 }'

tz=$(med5 "$W/z.tmt" "$BIN/tm-cat" -z "$W/f.tmt")
zmb=$(wc -c <"$W/z.tmt" | awk '{ printf "%.1f", $1 / 1e6 }')
echo "$tz $mb $zmb" | awk '{ printf "deflate encode (tm-cat -z): %.3f s, %.0f MB/s in, %.1f MB out\n", $1, $2 / $1, $3 }'
td=$(med5 /dev/null "$BIN/tm-cat" "$W/z.tmt")
echo "$td $mb" | awk '{ printf "deflate decode (tm-cat of the -z file): %.3f s, %.0f MB/s out\n", $1, $2 / $1 }'

tcsv=$(med5 "$W/f.csv" "$BIN/tm-cat" -o csv "$W/f.tmt")
rows=$(($(wc -l <"$W/f.csv") - 1))
echo "$tcsv $rows" | awk '{ printf "tm-cat -o csv: %.3f s, %.0f rows/s (%d rows)\n", $1, $2 / $1, $2 }'
ti=$(med5 /dev/null "$BIN/tm-cat" --import "$W/f.csv")
echo "$ti $rows" | awk '{ printf "tm-cat --import: %.3f s, %.0f rows/s (goal > 1000000)\n", $1, $2 / $1 }'
