#!/bin/sh
# demo.sh - the TMagikarp pipeline on a seeded synthetic market, run by
# `make demo` after the build.  Each stage runs when its tool is built, so
# the demo grows as the tools land:
#
#   tm-synth -> tm-cat (a look at the data)
#            -> tm-features -> tm-slotmap -> tm-train --algo dpg -> tm-infer
#
# Output goes to $TM_DEMO_DIR (default data/demo, replaced on each run).
# It recommends; it never trades.
set -eu
cd "$(dirname "$0")/.."
BIN=${TM_BIN:-bin}
DIR=${TM_DEMO_DIR:-data/demo}
N=${TM_DEMO_TICKERS:-300}
YEARS=${TM_DEMO_YEARS:-5}
SEED=${TM_DEMO_SEED:-1}
# Explicit slot counts sized for N tickers (the index holds 90% of them).
LAYOUT=$N,$((N / 6)),$((N / 6))

have() { [ -x "$BIN/$1" ]; }
stage() { printf '\n== %s\n' "$*"; }
skip() { printf '\n== %s: skipped, %s/%s is not built yet\n' "$1" "$BIN" "$2"; }

if ! have tm-synth || ! have tm-cat; then
	echo "demo: $BIN/tm-synth and $BIN/tm-cat are needed: run make first" >&2
	exit 69
fi
rm -rf "$DIR"
mkdir -p "$DIR"
start=$(date +%s)

stage "tm-synth: $N tickers, $YEARS years, seed $SEED -> $DIR"
"$BIN/tm-synth" -n "$N" -y "$YEARS" --seed "$SEED" -o "$DIR"
ls -l "$DIR"

stage 'tm-cat: the last 3 days of 10 tickers'
tickers=$("$BIN/tm-cat" --last 1 -k close -o csv "$DIR/prices.tmt" |
    sed 1d | cut -d, -f2 | head -n 10 | paste -sd, -)
"$BIN/tm-cat" --last 3 -r "$tickers" -k open,high,low,close,volume \
    -o text "$DIR/prices.tmt"

stage 'index membership changes after the first day'
awk -F, 'NR == 2 { first = $1 }
	NR > 1 && $1 != first { n[$3]++; days[$1] = 1 }
	END {
		for (d in days) nd++
		printf "%d adds, %d removes on %d dates\n", n["add"], n["remove"], nd
	}' "$DIR/membership.csv"

if ! have tm-features; then
	skip features tm-features
	exit 0
fi
stage 'tm-features --set default (with fundamentals)'
"$BIN/tm-features" --set default --fundamentals "$DIR/fundamentals.tmt" \
    "$DIR/prices.tmt" >"$DIR/features.tmt"
"$BIN/tm-cat" --last 1 -r "${tickers%%,*}" -o text "$DIR/features.tmt"

if ! have tm-slotmap; then
	skip slotmap tm-slotmap
	exit 0
fi
stage "tm-slotmap --layout $LAYOUT"
"$BIN/tm-slotmap" -l "$LAYOUT" -m "$DIR/membership.csv" \
    -s "$DIR/slots.state" "$DIR/features.tmt" >"$DIR/slots.tmt"
"$BIN/tm-cat" --last 1 -k region -o csv "$DIR/slots.tmt" |
    awk -F, 'NR > 1 { n[$3]++; if ($2 != "") used[$3]++ } END {
	printf "slots on the last day: active %d of %d used, archive %d of %d, " \
	    "padding %d\n", used[0], n[0], used[1], n[1], n[2] }'

if ! have tm-train; then
	skip train tm-train
	exit 0
fi
stage 'tm-train --algo dpg (quick)'
"$BIN/tm-train" --algo dpg --seed "$SEED" --epochs 3 \
    -o "$DIR/model.tmt" <"$DIR/slots.tmt"

if ! have tm-infer; then
	skip infer tm-infer
	exit 0
fi
stage 'tm-infer --last: the 10 largest target weights'
"$BIN/tm-infer" -m "$DIR/model.tmt" --last <"$DIR/slots.tmt" \
    >"$DIR/weights.tmt"
echo 'date,ticker,weight,confidence'
"$BIN/tm-cat" -k weight,confidence -o csv "$DIR/weights.tmt" | sed 1d |
    sort -t, -k3,3gr | head -n 10
"$BIN/tm-cat" --info "$DIR/weights.tmt" |
    sed -n 's/.*"cash":\([^,}]*\).*/cash weight: \1/p'

printf '\ndemo: done in %d s\n' $(($(date +%s) - start))
