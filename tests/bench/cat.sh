#!/bin/sh
# bench/cat.sh - tm-cat throughput, one line per figure (median of 5 runs
# of the whole process): pass-through against cat(1), deflate encode and
# decode, CSV output and CSV import in rows per second.  Called by
# `make bench` through tests/bench/run.sh, or on its own.
#
# Then the pass-through and a raw tree in pairs: each round runs tm-cat,
# cat(1) and, when TM_OLD names another tm-cat binary (an older build),
# that one, back to back, so the ratios come from runs seconds apart on a
# shared machine; a sample is the wall and CPU time of BENCH_REPS runs
# (default 10), the figure the median of BENCH_PAIRS rounds (default 11),
# with the load average before and after.  BENCH_CAT_ONLY=pairs skips the
# rest.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup

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

# pairs NAME CMD...: one round is each CMD (a shell command, output to
# /dev/null; an empty one is left out) run BENCH_REPS times; after
# BENCH_PAIRS rounds print NAME and each command's median wall and CPU
# time per run, and each one's throughput against the first's.
REPS=${BENCH_REPS:-10}
PAIRS=${BENCH_PAIRS:-11}
pairs() {
	name=$1; shift
	for c in "$@"; do
		shift
		[ -n "$c" ] && set -- "$@" "$c"
	done
	: >"$W/pairs"
	round=0
	while [ "$round" -lt "$PAIRS" ]; do
		k=0
		for c in "$@"; do
			t0=$(now)
			/usr/bin/time -f "%U %S" -o "$W/cpu" sh -c "
			    i=0
			    while [ \$i -lt $REPS ]; do
				    $c >/dev/null
				    i=\$((i + 1))
			    done"
			t1=$(now)
			echo "$k $t0 $t1 $(cat "$W/cpu")" >>"$W/pairs"
			k=$((k + 1))
		done
		round=$((round + 1))
	done
	echo "$name (medians of $PAIRS rounds of $REPS runs, per run):"
	k=0
	for c in "$@"; do
		awk -v k="$k" -v r="$REPS" '$1 == k {
		    printf "%.6f %.6f\n", ($3 - $2) / r, ($4 + $5) / r }' \
		    "$W/pairs" >"$W/p$k"
		k=$((k + 1))
	done
	k=0
	for c in "$@"; do
		w=$(cut -d' ' -f1 "$W/p$k" | sort -n |
		    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
		u=$(cut -d' ' -f2 "$W/p$k" | sort -n |
		    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
		[ "$k" = 0 ] && { w0=$w; u0=$u; }
		echo "$w $u $w0 $u0" | awk -v c="$c" '{
		    printf "  %7.1f ms wall %7.1f ms CPU  %5.2fx wall %5.2fx CPU of the first  %s\n",
		    $1 * 1e3, $2 * 1e3, $3 / $1, $4 / ($2 > 0 ? $2 : 1e-9), c }'
		k=$((k + 1))
	done
}

mb=$(wc -c <"$W/f.tmt" | awk '{ printf "%.1f", $1 / 1e6 }')
frames=$("$BIN/tm-cat" --info "$W/f.tmt" | wc -l)
echo "stream: $mb MB, $frames frames"

cat "$W/f.tmt" >/dev/null	# warm the page cache

# The pairs: "Nx of the first" is throughput against the first command,
# cat(1); a raw tree as tm-fetch stores it, its last 300 days read by
# --from, then all of it by --last as the daily job reads it.
"$BIN/tmt-split" "$W/raw" <"$W/f.tmt"
last=$(find "$W/raw" -name '*.tmt' | sort | tail -n 300 | head -n 1)
from=$(echo "$last" | sed 's|.*/raw/\(....\)/\(..\)/\(..\)\.tmt|\1-\2-\3|')
o1='' o2='' o3=''
if [ -n "${TM_OLD:-}" ]; then
	o1="'$TM_OLD' '$W/f.tmt'"
	o2="'$TM_OLD' '$W/f.tmt' | cat"
	o3="'$TM_OLD' --from $from '$W/raw'"
fi
echo "load before the pairs: $(cut -d' ' -f1-3 /proc/loadavg)"
pairs "pass-through, $mb MB, to /dev/null" "cat '$W/f.tmt'" \
    "'$BIN/tm-cat' '$W/f.tmt'" "$o1"
pairs "pass-through, $mb MB, into a pipe to cat" "cat '$W/f.tmt' | cat" \
    "'$BIN/tm-cat' '$W/f.tmt' | cat" "$o2"
pairs "raw tree, the last 300 of $(find "$W/raw" -name '*.tmt' | wc -l) days (--from $from)" \
    "find '$W/raw' -name '*.tmt' | sort | tail -n 300 | xargs cat" \
    "'$BIN/tm-cat' --from $from '$W/raw'" "$o3"
# The daily job's read: the whole store up to a day, the last 300 kept.
to=$(find "$W/raw" -name '*.tmt' | sort | tail -n 1 |
    sed 's|.*/raw/\(....\)/\(..\)/\(..\)\.tmt|\1-\2-\3|')
o4=''
[ -n "${TM_OLD:-}" ] && o4="'$TM_OLD' --to $to --last 300 '$W/raw'"
pairs "raw tree, all of it read, the last 300 days kept (--to $to --last 300)" \
    "find '$W/raw' -name '*.tmt' | sort | tail -n 300 | xargs cat" \
    "'$BIN/tm-cat' --to $to --last 300 '$W/raw'" "$o4"
echo "load after the pairs: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "${BENCH_CAT_ONLY:-}" = pairs ] && exit 0

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
