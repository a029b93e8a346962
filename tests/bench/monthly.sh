#!/bin/sh
# bench/monthly.sh - pipelines/monthly.sh on a 1,200-ticker tm-synth market
# (layout r1000) with its defaults: the slot stream of 1,008 training days
# (and 300 of warm-up), tm-train --init from the live model for 3 dpg seeds
# of 10 epochs, the backtests of the last 126 days, the gate, the registry
# and the mail.  RUNS (3) runs of the same DATE (2017-12-01), each on a
# fresh copy of the data folder, so each does the whole job; prints each
# run's wall and CPU time (user + sys, of the job and its tools), the
# medians, where the time went (the tools' seconds
# from the run log, summed by stage) and the load average before and
# after.  TM_EPOCHS, TM_SEEDS and TM_ALGOS may be set to vary the job.
# Not a test: a row for the README's benchmarks.
set -eu
. "$(dirname "$0")/common.sh"
top=$TOP
d=$(mktemp -d "${TMPDIR:-/tmp}/tm-bench-monthly.XXXXXX")
trap 'rm -rf "$d"' EXIT
cd "$d"
B=${TM_BIN:-$top/bin}
runs=${RUNS:-3}
day=2017-12-01
load() { cut -d' ' -f1-3 /proc/loadavg; }

"$B/tm-synth" -n 1200 -y 6 --start 2012-01-03 --seed 11 -o mkt
# the live model: 1 epoch, the default network, on the 400 days to 2016-12-30
mkdir -p base/states/2016-12-30
"$B/tm-cat" --to 2016-12-30 --last 400 mkt/prices.tmt |
    "$B/tm-features" -f mkt/fundamentals.tmt >f.tmt 2>features.err
"$B/tm-slotmap" -l r1000 --members mkt/membership.csv \
    -s base/states/2016-12-30/slots.json f.tmt >s.tmt
OPENBLAS_NUM_THREADS=1 "$B/tm-train" -q --algo dpg --seed 3 --epochs 1 \
    -o l0.tmt <s.tmt
"$B/tm-model" -d base/models add --status live l0.tmt >/dev/null
rm -f f.tmt s.tmt
{
	echo TM_SOURCE=synth
	echo TM_SYNTH_DIR=mkt
	echo TM_LAYOUT=r1000
	echo TM_MAIL=spool
	echo TM_MAIL_TO=ops@example.org
	echo "TM_BIN=$B"
	for k in TM_EPOCHS TM_SEEDS TM_ALGOS; do
		eval "v=\${$k:-}"
		[ -z "$v" ] || echo "$k=\"$v\""
	done
} >base.conf
l0=$(load)
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	rm -rf run
	cp -a base run
	{ echo TM_DATA=run; cat base.conf; } >run.conf
	TM_CONF=run.conf TM_LOG=$d/log.$i.jsonl /usr/bin/time -f '%e %U %S' \
	    -o time.txt bash "$top/pipelines/monthly.sh" "$day" 2>>monthly.err
	read -r wall u s <time.txt
	echo "$wall" >>times.txt
	awk "BEGIN { printf \"%.1f\\n\", $u + $s }" >>cpu.txt
	n=$("$B/tm-model" -d run/models list | sed 1d | wc -l)
	[ "$n" -eq 2 ] ||
		{ echo "bench/monthly: run $i: $n versions, not 2" >&2; exit 70; }
	grep -l "^Subject: .*monthly $day: " run/spool/new/* >/dev/null ||
		{ echo "bench/monthly: run $i: no monthly mail" >&2; exit 70; }
done
l1=$(load)
st=$("$B/tm-model" -d run/models list | awk -F '\t' 'NR == 3 { print $6 }')
printf 'monthly.sh %s, 1,200 tickers (r1000), %s seeds of %s, %s epochs; candidate %s\n' \
    "$day" "${TM_SEEDS:-3}" "${TM_ALGOS:-dpg}" "${TM_EPOCHS:-10}" "$st"
m=$(grep -l "^Subject: .*monthly $day: " run/spool/new/* | sed -n 1p)
tr -d '\r' <"$m" | sed -n '/^[0-9]* runs, /s/^/  /p; /^Gate: /s/^/  /p'
printf '  runs   %s s\n' "$(tr '\n' ' ' <times.txt)"
sort -n times.txt | awk '{ v[NR] = $1 } END {
	printf "  median %.1f s   fastest %.1f s   slowest %.1f s\n",
	    v[int((NR + 1) / 2)], v[1], v[NR] }'
printf '  cpu (user + sys) %s s\n' "$(tr '\n' ' ' <cpu.txt)"
sort -n cpu.txt | awk '{ v[NR] = $1 } END {
	printf "  cpu median %.1f s\n", v[int((NR + 1) / 2)] }'
# where the time went: each tool's seconds, summed over the runs, a run's mean
cat log.*.jsonl | sed -n 's/.*"tool":"\([^"]*\)".*"seconds":\([0-9.eE+-]*\).*/\1 \2/p' |
    awk -v n="$runs" '
	$1 == "tm-cat" || $1 == "tm-features" || $1 == "tm-slotmap" { t["data"] += $2; next }
	$1 == "tm-train" { t["train"] += $2; next }
	$1 == "tm-backtest" || $1 == "tm-strategy" { t["backtest"] += $2; next }
	$1 !~ /\.sh$/ { t["rest"] += $2 }
	END { printf "  per run: data %.1f s, train %.1f s, backtest %.1f s, registry and mail %.1f s\n",
	    t["data"] / n, t["train"] / n, t["backtest"] / n, t["rest"] / n }'
printf '  load average before %s, after %s (%s cores)\n' "$l0" "$l1" "$(nproc)"
