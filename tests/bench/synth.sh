#!/bin/sh
# bench/synth.sh - tm-synth for the default market (1,100 tickers x 10
# years): whole-process wall time, median of 5, against writing the same
# bytes with cat (the floor any generator pays to put them on disk).
set -eu
. "$(dirname "$0")/common.sh"
cd "$TOP"
BIN=${TM_BIN:-$TOP/bin}
d=$(mktemp -d "${TMPDIR:-/tmp}/tm-bench-synth.XXXXXX")
trap 'rm -rf "$d"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
runs=${RUNS:-5}

i=0
while [ $i -lt "$runs" ]; do
	t0=$(now); "$BIN"/tm-synth >"$d/p.tmt"; t1=$(now)
	awk "BEGIN { print $t1 - $t0 }"
	i=$((i + 1))
done | median >"$d/synth"
i=0
while [ $i -lt "$runs" ]; do
	t0=$(now); "$BIN"/tm-synth -o "$d/out"; t1=$(now)
	awk "BEGIN { print $t1 - $t0 }"
	i=$((i + 1))
done | median >"$d/synth-o"
i=0
while [ $i -lt "$runs" ]; do
	t0=$(now); cat "$d/p.tmt" >"$d/copy.tmt"; t1=$(now)
	awk "BEGIN { print $t1 - $t0 }"
	i=$((i + 1))
done | median >"$d/cat"
mb=$(($(wc -c <"$d/p.tmt") / 1048576))
frames=$("$BIN"/tm-cat --info "$d/p.tmt" | wc -l)
printf 'tm-synth default market (1,100 tickers x 10 years, %d frames, %d MiB)\n' "$frames" "$mb"
printf '  tm-synth > file          median %.2f s   (goal < 5 s)\n' "$(cat "$d/synth")"
printf '  tm-synth -o DIR (fsync)  median %.2f s   (prices, membership, fundamentals, benchmark)\n' "$(cat "$d/synth-o")"
printf '  cat of the same bytes    median %.2f s   (baseline, same run)\n' "$(cat "$d/cat")"
