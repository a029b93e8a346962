#!/bin/sh
# bench/daily.sh - pipelines/daily.sh on a 1,200-ticker tm-synth market
# (layout r1000): the wall time of each day of one simulated month, the
# whole job from the fetch to the mail, with a small live model in the
# registry (the job's cost is the pipeline's, not the network's size).
# DAYS (21) days from 2017-01-03; prints the median, the slowest and the
# total.  Not a test: a row for the README's benchmarks.
set -eu
. "$(dirname "$0")/common.sh"
d=$(mktemp -d "${TMPDIR:-/tmp}/tm-bench-daily.XXXXXX")
trap 'rm -rf "$d"' EXIT
cd "$d"
B=${TM_BIN:-$TOP/bin}
ndays=${DAYS:-21}
now() { date +%s.%N; }

"$B/tm-synth" -n 1200 -y 3 --seed 11 -o mkt
"$B/tm-cat" --from 2017-01-03 -k close -o csv -r QQQ mkt/benchmark.tmt |
    sed 1d | cut -d, -f1 | sed -n "1,${ndays}p" >days.txt
mkdir -p data/states/2016-12-30
"$B/tm-cat" --to 2016-12-30 --last 400 mkt/prices.tmt |
    "$B/tm-features" -f mkt/fundamentals.tmt >f.tmt 2>features.err
"$B/tm-slotmap" -l r1000 --members mkt/membership.csv \
    -s data/states/2016-12-30/slots.json f.tmt >s.tmt
"$B/tm-train" -q --algo dpg --seed 3 --epochs 1 --hidden 4,4 -o l0.tmt <s.tmt
"$B/tm-model" -d data/models add --status live l0.tmt >/dev/null
cat >tm.conf <<EOC
TM_DATA=data
TM_SOURCE=synth
TM_SYNTH_DIR=mkt
TM_LAYOUT=r1000
TM_MAIL=spool
TM_MAIL_TO=ops@example.org
TM_BIN=$B
EOC
while read -r day; do
	t0=$(now)
	TM_CONF=tm.conf bash "$TOP/pipelines/daily.sh" "$day" 2>>daily.err
	t1=$(now)
	awk "BEGIN { print $t1 - $t0 }"
done <days.txt >times.txt
n=$(wc -l <times.txt)
[ "$(readlink data/state)" = "states/$(tail -n 1 days.txt)" ] ||
	{ echo "bench-daily: the state is not at the last day" >&2; exit 70; }
[ "$(grep -c . data/state/journal.jsonl)" -eq "$n" ] ||
	{ echo "bench-daily: $n days run, the journal disagrees" >&2; exit 70; }
# how many tickers the last day's recommendations covered
nt=$("$B/tm-cat" -o csv data/state/recs.tmt | sed 1d | cut -d, -f2 | sort -u | wc -l)
printf 'daily.sh, 1,200 tickers (r1000, %d in the last day'"'"'s recs), %d days from %s to %s\n' \
    "$nt" "$n" "$(head -n 1 days.txt)" "$(tail -n 1 days.txt)"
sort -n times.txt | awk '{ v[NR] = $1; s += $1 } END {
	printf "  per day  median %.2f s   slowest %.2f s   total %.1f s\n",
	    v[int((NR + 1) / 2)], v[NR], s }'
