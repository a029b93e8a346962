#!/bin/sh
# bench/report.sh - tm-report over 3,600 slots (and 3,600 recommendation
# rows) and 2 years of history (504 journal days, 1,512 run-log lines):
# wall time, median of 5 runs, of -o text, -o eml and -o html (goal
# under 0.2 s each).  Called by `make bench` through tests/bench/run.sh.
set -eu
. "$(dirname "$0")/common.sh"
bench_setup

if [ ! -x "$BIN/tm-report" ]; then
	echo "bench-report: $BIN/tm-report is not built" >&2
	exit 1
fi
/usr/bin/python3 tests/helpers/report_fixture.py --days 504 --tickers 3600 \
    --slots 3600 --slot-days 5 "$W/f"
F=$W/f
set -- --recs "$F/recs.tmt" -s "$F/state" -L "$F/log" -M "$F/models" \
    -S "$F/slots.tmt"

now() { date +%s.%N; }

# run NAME CMD...: median wall time of 5 runs, median CPU (user + sys;
# the wall time of a loaded machine is mostly waiting), output size.
run() {
	name=$1; shift
	# A run that fails is no figure (the timing loop below cannot see
	# its status): one run first, stopped on failure.
	"$@" >/dev/null || {
		echo "bench-report: $name: failed (status $?)" >&2
		exit 1
	}
	: >"$W/cpu"
	for _ in 1 2 3 4 5; do
		t0=$(now)
		/usr/bin/time -a -o "$W/cpu" -f "%U %S" "$@" >"$W/out"
		t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
	done | sort -n | sed -n 3p >"$W/med"
	awk '{ print $1 + $2 }' "$W/cpu" | sort -n | sed -n 3p >"$W/cmed"
	sz=$(wc -c <"$W/out")
	if [ "$sz" = 0 ] && [ -f "$W/dash/index.html" ]; then
		sz=$(wc -c <"$W/dash/index.html")
	fi
	printf '%-26s wall %6.3f s  cpu %5.2f s  %8d bytes\n' "$name" \
	    "$(cat "$W/med")" "$(cat "$W/cmed")" "$sz"
}

echo "input: 3,600 recommendation rows, 3,600 slots x 5 days, 504 journal days"
run "tm-report -o text" "$BIN/tm-report" "$@"
run "tm-report -o eml" "$BIN/tm-report" -o eml "$@"
run "tm-report -o eml --monthly" "$BIN/tm-report" -o eml --monthly "$@"
run "tm-report -o html" "$BIN/tm-report" -o html "$@" "$W/dash"
