#!/bin/sh
# bench/features.sh - tm-features --set default on a tm-synth market of
# N tickers (default 3300) over 5 and 10 years: wall and CPU time and peak
# memory (GNU time -v), against a numpy baseline of the core indicators
# (RSI, MACD EMAs, Bollinger, SMAs) on the same 10-year data in the same
# run.  Memory should not grow with the number of days.
#
# Then issue 12's row: tm-features --set finrl against a vectorised
# pandas baseline of the same 8 indicators (tests/helpers/finrl_pandas.py),
# from the real CSV (data/prices/us_stocks_daily_2010_2017.csv.gz of the
# shared folder, read in place: tm-cat --import | tm-features, against
# pandas read_csv and compute) and from an already-imported stream
# (tm-features on the TMT file, against pandas on a pickle of the parsed
# frame).  First the two are checked to agree on every value (tolerance
# in the helper); then BENCH_N rounds (default 5), each running every
# command once back to back, so each pair shares its load; medians of
# wall and CPU (user + system) and the median of the per-round ratios,
# with the load average before and after.  tm-cat --import alone is timed
# too, so tm-features' own part is the stream row.  TM_OLD_FEATURES=path
# adds an older tm-features binary on the same stream to each round.
# Skipped, said so, without python3-pandas or the data.
# BENCH_FEATURES=finrl runs only this part, =synth only the first.
#   usage: sh tests/bench/features.sh [N]
set -eu
. "$(dirname "$0")/common.sh"
cd "$TOP"
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

ONLY=${BENCH_FEATURES:-synth,finrl}
case ",$ONLY," in *,synth,*) ;; *) SKIPSYNTH=1 ;; esac
if [ -z "${SKIPSYNTH:-}" ]; then
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
	measure "numpy baseline, 10 years" $PY tests/helpers/ref_ta.py bench "$dir/p10.tmt"
	cat "$dir/out"
fi
fi

case ",$ONLY," in *,finrl,*) ;; *) exit 0 ;; esac
echo
echo "tm-features --set finrl vs pandas (issue 12)"
GZ=
for d in "${TM_DATA:-}" "$PWD/../shared/data" "$PWD/../../shared/data" /work/shared/data; do
	if [ -n "$d" ] && [ -f "$d/prices/us_stocks_daily_2010_2017.csv.gz" ]; then
		GZ=$d/prices/us_stocks_daily_2010_2017.csv.gz
		break
	fi
done
if [ -z "$GZ" ]; then
	echo "skipped: no shared data/prices/us_stocks_daily_2010_2017.csv.gz (set TM_DATA)"
	exit 0
fi
if ! $PY -c 'import pandas' 2>/dev/null; then
	echo "skipped: $PY cannot import pandas (apt-get install python3-pandas)"
	exit 0
fi
R=${BENCH_N:-5}
HP=tests/helpers/finrl_pandas.py
echo "data: $GZ; $($PY -c 'import pandas; print("pandas", pandas.__version__)')"
"$BIN/tm-cat" --import "$GZ" >"$dir/real.tmt"
$PY $HP topickle "$GZ" "$dir/real.pkl"
"$BIN/tm-features" --set finrl "$dir/real.tmt" 2>"$dir/findings" >"$dir/f.tmt"
"$BIN/tm-cat" -o csv "$dir/f.tmt" >"$dir/f.csv"
rm -f "$dir/f.tmt"
$PY $HP check "$GZ" "$dir/f.csv" "$dir/findings" || {
	echo "bench-features: tm-features and pandas disagree" >&2
	exit 1
}
rm -f "$dir/f.csv"

# t NAME CMD: run the shell command once, append "NAME WALL CPU" to times.
t() {
	/usr/bin/time -f "%e %U %S" -o "$dir/t1" sh -c "$2" >/dev/null 2>"$dir/err" || {
		cat "$dir/err" >&2
		exit 1
	}
	awk -v n="$1" '{ printf "%s %s %.2f\n", n, $1, $2 + $3 }' "$dir/t1" >>"$dir/times"
}
: >"$dir/times"
l0=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ "$i" -lt "$R" ]; do
	t tm_csv "'$BIN/tm-cat' --import '$GZ' | '$BIN/tm-features' --set finrl"
	t pd_csv "$PY $HP csv '$GZ'"
	t tm_stream "'$BIN/tm-features' --set finrl '$dir/real.tmt'"
	t pd_pickle "$PY $HP pickle '$dir/real.pkl'"
	t import "'$BIN/tm-cat' --import '$GZ'"
	if [ -n "${TM_OLD_FEATURES:-}" ]; then
		t old_stream "'$TM_OLD_FEATURES' --set finrl '$dir/real.tmt'"
	fi
	i=$((i + 1))
done
l1=$(cut -d' ' -f1-3 /proc/loadavg)
# median NAME FIELD: the median of field 2 (wall) or 3 (CPU) of NAME's runs.
median() {
	awk -v n="$1" -v f="$2" '$1 == n { print $f }' "$dir/times" | sort -g |
	    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# ratio A B FIELD: the median over the rounds of B's time / A's.
ratio() {
	awk -v a="$1" -v b="$2" -v f="$3" '
	    $1 == a { x[++na] = $f } $1 == b { y[++nb] = $f }
	    END { for (i = 1; i <= na && i <= nb; i++) print y[i] / x[i] }' \
	    "$dir/times" | sort -g |
	    awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2];
	    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
row() {	# label tm-name baseline-name
	printf '%-44s %7.2f s / CPU %6.2f s   %-10s %7.2f s / CPU %6.2f s   pandas/tm %5sx wall, %5sx CPU\n' \
	    "$1" "$(median "$2" 2)" "$(median "$2" 3)" "$3" "$(median "$3" 2)" \
	    "$(median "$3" 3)" "$(ratio "$2" "$3" 2)" "$(ratio "$2" "$3" 3)"
}
echo "medians of $R rounds, load $l0 -> $l1, $(nproc) CPUs, $(uname -m)"
row "tm-cat --import | tm-features --set finrl" tm_csv pd_csv
row "tm-features --set finrl (imported stream)" tm_stream pd_pickle
printf '%-44s %7.2f s / CPU %6.2f s   (tm-features own part = stream row)\n' \
    "tm-cat --import alone" "$(median import 2)" "$(median import 3)"
if [ -n "${TM_OLD_FEATURES:-}" ]; then
	printf '%-44s %7.2f s / CPU %6.2f s   new/old %5sx wall, %5sx CPU\n' \
	    "old tm-features --set finrl (stream)" "$(median old_stream 2)" \
	    "$(median old_stream 3)" "$(ratio old_stream tm_stream 2)" \
	    "$(ratio old_stream tm_stream 3)"
fi
