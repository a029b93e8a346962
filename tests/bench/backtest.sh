#!/bin/sh
# bench/backtest.sh - the speed goals of issue 10 for tm-backtest and
# tm-strategy, on tm-synth markets:
#  (a) tm-backtest --grid, the 4,851 sma sets fast=2:100 slow=2:100 on one
#      ticker's 8 years (goal under 1 s), against a vectorised numpy engine
#      of the same rules and costs (tests/helpers/sma_np.py, Debian's
#      python3-numpy), run pair by pair; the best set's Sharpe must agree
#      to 1e-9 (else the bench fails: the comparison would not be honest);
#  (b) a 100-set grid over 1,200 tickers x 5 years in one process (goal
#      under 60 s), against the same numpy engine on the same tickers;
#  (c) tm-strategy equal | tm-backtest -w on 1,200 slots (r1000) x 5 years;
#  (d) tm-strategy minvar on the same slots.
# Each figure: the median wall time and the median CPU (user + sys: on a
# loaded machine the wall time is mostly waiting) of REPS runs (default
# 5; 3 for (b) to (d)), the load average before and after each.  With
# valgrind installed, (a)'s instruction count too (BENCH_IR=0 skips it),
# the figure the load does not move.  (c) and (d) have cat(1) of their
# input for scale.  Called by `make bench` through tests/bench/run.sh.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup
PY=/usr/bin/python3
NP=$TOP/tests/helpers/sma_np.py

for t in tm-synth tm-features tm-slotmap tm-backtest tm-strategy; do
	if [ ! -x "$BIN/$t" ]; then
		echo "bench-backtest: $BIN/$t is not built" >&2
		exit 1
	fi
done
if ! "$PY" -c 'import numpy' 2>/dev/null; then
	echo "bench-backtest: needs $PY with numpy (python3-numpy)" >&2
	exit 1
fi

now() { date +%s.%N; }
load() { uptime | sed 's/.*load average: //'; }

# time1 OUT CMD...: one run; "wall cpu" appended to $W/t.OUT, stdout to
# $W/out.OUT.
time1() {
	o=$1; shift
	t0=$(now)
	dst=$W/out.$o
	[ "$o" = b ] && [ -n "${NULLB:-}" ] && dst=/dev/null
	/usr/bin/time -o "$W/cpu" -f "%U %S" "$@" >"$dst"
	t1=$(now)
	printf '%s %s\n' "$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')" \
	    "$(awk '{ printf "%.3f", $1 + $2 }' "$W/cpu")" >>"$W/t.$o"
}

# med OUT COL: the median of column COL of $W/t.OUT.
med() {
	cut -d' ' -f"$2" "$W/t.$1" | sort -n | awk '{ v[NR] = $1 }
	    END { if (NR % 2) print v[(NR + 1) / 2]
	        else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pair NAME REPS 'A CMD' 'B CMD': REPS runs of A then B, in turn, and the
# medians, the ratio B / A of each, the load before and after.
pair() {
	name=$1 reps=$2 a=$3 b=$4
	rm -f "$W/t.a" "$W/t.b"
	l0=$(load)
	i=0
	while [ "$i" -lt "$reps" ]; do
		# shellcheck disable=SC2086 # the commands are word lists
		time1 a $a
		# shellcheck disable=SC2086
		time1 b $b
		i=$((i + 1))
	done
	l1=$(load)
	printf '%s (%d runs each)\n' "$name" "$reps"
	printf '  %-44s wall %7.3f s  cpu %7.3f s\n' "$(echo "$a" |
	    sed "s|$BIN/||;s|$W/||g;s|$TOP/||g" | cut -c1-44)" \
	    "$(med a 1)" "$(med a 2)"
	printf '  %-44s wall %7.3f s  cpu %7.3f s\n' "$(echo "$b" |
	    sed "s|$BIN/||;s|$W/||g;s|$TOP/||g" | cut -c1-44)" \
	    "$(med b 1)" "$(med b 2)"
	printf '  ratio second / first: wall %.2f, cpu %.2f\n' \
	    "$(echo "$(med b 1) $(med a 1)" | awk '{ print $1 / $2 }')" \
	    "$(echo "$(med b 2) $(med a 2)" | awk '{ print $1 / $2 }')"
	printf '  load before %s, after %s\n' "$l0" "$l1"
}

# best LINES: "ticker fast slow sharpe" of the best grid line (the
# highest Sharpe; ties do not matter to the check).
best() {
	"$PY" -c 'import json, sys
b = max((json.loads(l) for l in open(sys.argv[1])), key=lambda l: l["sharpe"])
print(b["ticker"], b["fast"], b["slow"], repr(b["sharpe"]))' "$1"
}

# agree TM NP NAMES: the best line of tm-backtest's output TM and of the
# numpy engine's NP name the same set, with Sharpes within 1e-9.
agree() {
	"$PY" - "$1" "$2" "$3" <<-'EOF'
	import sys
	tk, f, s, sh = open(sys.argv[1]).read().split()
	c, nf, ns, nsh, n = open(sys.argv[2]).read().split()
	names = open(sys.argv[3]).read().split()
	d = abs(float(sh) - float(nsh))
	print("  best: %s fast=%s slow=%s Sharpe %s; numpy: %s fast=%s slow=%s "
	      "Sharpe %s (%s sets); |diff| %.1e" % (tk, f, s, sh, names[int(c)],
	      nf, ns, nsh, n, d))
	if d > 1e-9 or (tk, f, s) != (names[int(c)], nf, ns):
	    sys.exit("bench-backtest: tm-backtest and numpy disagree")
	EOF
}

echo "setup: tm-synth markets (20 tickers x 8 years; 1,200 x 5 years)"
"$BIN/tm-synth" -n 20 -y 8 --seed 3 -o "$W/s8" >/dev/null
"$BIN/tm-features" -f "$W/s8/fundamentals.tmt" <"$W/s8/prices.tmt" \
    2>/dev/null >"$W/f8.tmt"
"$BIN/tm-slotmap" -l 20,2,2 --members "$W/s8/membership.csv" "$W/f8.tmt" \
    2>/dev/null >"$W/sl8.tmt"
rm -f "$W/f8.tmt"
"$PY" "$NP" prep "$W/sl8.tmt" "$W/r8.npy" "$W/tk8.txt" 1
tk=$(cat "$W/tk8.txt")
echo 'fast=2:100 slow=2:100' >"$W/grid4851.txt"

"$BIN/tm-synth" -n 1200 -y 5 --seed 1 -o "$W/syn" >/dev/null
"$BIN/tm-features" -f "$W/syn/fundamentals.tmt" <"$W/syn/prices.tmt" \
    2>/dev/null >"$W/f.tmt"
rm -f "$W/syn/prices.tmt"
# (c), (d): the suite's 1,200-slot layout with tm-synth's membership
"$BIN/tm-slotmap" -l r1000 --members "$W/syn/membership.csv" "$W/f.tmt" \
    2>/dev/null >"$W/slots.tmt"
# (b): every one of the 1,200 tickers in a slot every day
{ echo ticker; tail -n +2 "$W/syn/universe.csv" | cut -d, -f1; } \
    >"$W/snap.csv"
"$BIN/tm-slotmap" -l 1200,10,10 --members "$W/snap.csv" "$W/f.tmt" \
    2>/dev/null >"$W/all.tmt"
rm -f "$W/f.tmt"
"$PY" "$NP" prep "$W/all.tmt" "$W/r1200.npy" "$W/tk1200.txt" 1200
echo 'fast=5:50:5 slow=60:240:20' >"$W/grid100.txt"
echo "  $(wc -l <"$W/tk1200.txt") tickers in every frame of the 1,200-ticker stream"

echo
pair "(a) 4,851 sma sets on $tk, 8 years ($(
    "$BIN/tm-cat" --info "$W/sl8.tmt" | wc -l) days)" "${REPS:-5}" \
    "$BIN/tm-backtest -q --grid $W/grid4851.txt -t $tk $W/sl8.tmt" \
    "$PY $NP grid $W/r8.npy 0.001 2 100 1 2 100 1"
test "$(wc -l <"$W/out.a")" = 4851
best "$W/out.a" >"$W/best.a"
agree "$W/best.a" "$W/out.b" "$W/tk8.txt"
if [ "${BENCH_IR:-1}" != 0 ] && command -v valgrind >/dev/null; then
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
	    "$BIN/tm-backtest" -q --grid "$W/grid4851.txt" -t "$tk" \
	    "$W/sl8.tmt" 2>"$W/vg" >/dev/null
	printf '  instructions (callgrind): tm-backtest %s\n' \
	    "$(sed -n 's/.*Collected : *//p' "$W/vg")"
fi

echo
pair "(b) 100 sma sets x $(wc -l <"$W/tk1200.txt") tickers, 5 years" \
    "${REPS:-3}" \
    "$BIN/tm-backtest -q --grid $W/grid100.txt --tickers $W/tk1200.txt $W/all.tmt" \
    "$PY $NP grid $W/r1200.npy 0.001 5 50 5 60 240 20"
test "$(wc -l <"$W/out.a")" = $((100 * $(wc -l <"$W/tk1200.txt")))
best "$W/out.a" >"$W/best.a"
agree "$W/best.a" "$W/out.b" "$W/tk1200.txt"

echo
cat >"$W/equal.sh" <<EOF
"$BIN/tm-strategy" equal "$W/slots.tmt" >"$W/eq.tmt" &&
"$BIN/tm-backtest" -q -w "$W/eq.tmt" "$W/slots.tmt"
EOF
NULLB=1
pair "(c) tm-strategy equal | tm-backtest -w, 1,200 slots x 5 years" \
    "${REPS:-3}" "sh $W/equal.sh" "cat $W/slots.tmt"
echo "  ($(wc -c <"$W/slots.tmt" | awk '{ printf "%.0f", $1 / 1e6 }') MB of slots; cat(1) for scale)"

echo
pair "(d) tm-strategy minvar, 1,200 slots x 5 years" "${REPS:-3}" \
    "$BIN/tm-strategy minvar $W/slots.tmt" "cat $W/slots.tmt"
echo "  (cat(1) for scale)"
