#!/bin/bash
# demo.sh - the daily job end to end on the embedded default, run by
# `make demo` after the build: a seeded tm-synth market of Russell 1000
# size (1,200 slots), a model trained on its first years with quick
# settings, then pipelines/daily.sh for the last 5 trading days in turn.
# No network: prices come from the synthetic market, mail goes to the spool.
#
#   tm-synth -> tm-features -> tm-slotmap -> tm-train --algo dpg   (setup)
#   daily.sh DAY, 5 times: prices -> features -> slotmap -> tm-infer ->
#       tm-diff -> tm-report -> tm-mail --spool-only
#
# Everything goes to $TM_DEMO_DIR (default data/demo, replaced on each run).
# It recommends; it never trades.
set -eu
set -o pipefail
cd "$(dirname "$0")/.."
BIN=${TM_BIN:-bin}
DIR=${TM_DEMO_DIR:-data/demo}
N=${TM_DEMO_TICKERS:-1100}
YEARS=${TM_DEMO_YEARS:-4}
SEED=${TM_DEMO_SEED:-1}
DAYS=${TM_DEMO_DAYS:-5}
EPOCHS=${TM_DEMO_EPOCHS:-3}
LAYOUT=${TM_DEMO_LAYOUT:-r1000}

stage() { printf '\n== %s\n' "$*"; }
for t in tm-synth tm-cat tm-features tm-slotmap tm-train tm-infer tm-diff \
    tm-report tm-mail; do
	if [ ! -x "$BIN/$t" ]; then
		echo "demo: $BIN/$t is not built: run make first" >&2
		exit 69
	fi
done
rm -rf "$DIR"
mkdir -p "$DIR/states" "$DIR/log"
start=$(date +%s)
M=$DIR/market

stage "tm-synth: $N tickers, $YEARS years, seed $SEED -> $M"
"$BIN/tm-synth" -n "$N" -y "$YEARS" --seed "$SEED" -o "$M"

# The last DAYS trading days are the demo's; D0 is the day before them.
"$BIN/tm-cat" --last $((DAYS + 1)) -k close -r QQQ -o csv "$M/benchmark.tmt" |
    sed 1d | cut -d, -f1 >"$DIR/days"
D0=$(sed -n 1p "$DIR/days")
sed -i 1d "$DIR/days"

stage "setup: features and slots up to $D0, the slot state kept"
"$BIN/tm-cat" --to "$D0" "$M/prices.tmt" |
    "$BIN/tm-features" --set default -f "$M/fundamentals.tmt" >"$DIR/features.tmt"
mkdir -p "$DIR/states/$D0"
"$BIN/tm-slotmap" -l "$LAYOUT" --members "$M/membership.csv" \
    -s "$DIR/states/$D0/slots.json" "$DIR/features.tmt" >"$DIR/slots.tmt"

stage "tm-train --algo dpg, $EPOCHS epochs (quick settings), up to $D0"
OPENBLAS_NUM_THREADS=1 "$BIN/tm-train" -q --algo dpg --seed "$SEED" \
    --epochs "$EPOCHS" -o "$DIR/model.tmt" <"$DIR/slots.tmt"
rm -f "$DIR/features.tmt" "$DIR/slots.tmt"

model=$PWD/$DIR/model.tmt
if [ -x "$BIN/tm-model" ]; then
	"$BIN/tm-model" -d "$DIR/models" add --status live "$DIR/model.tmt" >/dev/null
	model=
fi

cat >"$DIR/tm.conf" <<EOF
# written by pipelines/demo.sh: the dev profile on the demo's folder
. etc/dev.conf
TM_DATA=$DIR
TM_SYNTH_DIR=$M
TM_MEMBERS=$M/membership.csv
TM_SECTORS=$M/sectors.csv
TM_BENCH_FILE=$M/benchmark.tmt
TM_FUNDAMENTALS=$M/fundamentals.tmt
TM_LAYOUT=$LAYOUT
TM_MODEL=$model
EOF

# brief RECS: the 5 largest BUYs and SELLs with weight, confidence and
# reason, then the portfolio line (value, cash, P&L of the day).
brief() {
	reasons=$("$BIN/tm-cat" --info "$1" |
	    sed -n 's/.*"reasons":"\([^"]*\)".*/\1/p' | sed -n 1p)
	"$BIN/tm-cat" -k action,target,current,confidence,reason -o csv "$1" |
	    sed 1d | awk -F, -v reasons="$reasons" '
	BEGIN { nr = split(reasons, rn, ",") }
	function why(c) { return (c + 1 <= nr) ? rn[c + 1] : c }
	$3 == 1 { b[++nb] = sprintf("  BUY  %-8s %6.2f%% <- %5.2f%%  conf %.2f  %s",
	    $2, 100 * $4, 100 * $5, $6, why($7)); bw[nb] = $4 - $5 }
	$3 == -1 { s[++ns] = sprintf("  SELL %-8s %6.2f%% <- %5.2f%%  conf %.2f  %s",
	    $2, 100 * $4, 100 * $5, $6, why($7)); sw[ns] = $5 - $4 }
	END {
		printf "%d BUY, %d SELL; the largest:\n", nb, ns
		for (k = 0; k < 5; k++) { m = 0
			for (i = 1; i <= nb; i++) if (!(i in db) && (!m || bw[i] > bw[m])) m = i
			if (m) { print b[m]; db[m] = 1 } }
		for (k = 0; k < 5; k++) { m = 0
			for (i = 1; i <= ns; i++) if (!(i in ds) && (!m || sw[i] > sw[m])) m = i
			if (m) { print s[m]; ds[m] = 1 } }
	}'
	"$BIN/tm-cat" --info "$1" | sed -n 1p | awk '{
		v = $0; sub(/.*"value":/, "", v); sub(/[,}].*/, "", v)
		c = $0; sub(/.*"cash":/, "", c); sub(/[,}].*/, "", c)
		p = $0; sub(/.*"pnl":/, "", p); sub(/[,}].*/, "", p)
		printf "portfolio: value %.2f, cash %.1f%%, P&L of the day %.2f\n", v, 100 * c, p }'
}

while read -r day; do
	stage "daily.sh $day"
	TM_CONF=$DIR/tm.conf TM_LOG=$PWD/$DIR/log/demo.jsonl \
	    bash pipelines/daily.sh "$day" >/dev/null
	# The day's short table: top BUYs and SELLs, then the portfolio line.
	brief "$DIR/state/recs.tmt"
done <"$DIR/days"

stage "where to look"
last=$(tail -n 1 "$DIR/days")
echo "the report:     $DIR/out/$last/report.txt"
echo "the mail:       $DIR/out/$last/report.eml (and spooled in $DIR/spool/new)"
echo "the dashboard:  $DIR/out/dashboard/index.html"
echo "the state:      $DIR/state/portfolio.json, journal $DIR/state/journal.jsonl"
echo "the run log:    $DIR/log/demo.jsonl"
printf '\ndemo: done in %d s\n' $(($(date +%s) - start))
