#!/bin/sh
# realdata.sh - build the real-data slot streams from ../shared/data into
# DIR (shared by pipelines/walkforward.sh and tests/bench/realdata.sh):
#
#   pipelines/realdata.sh DIR
#
#   prices.tmt   the 2010..2017 stock prices plus the QQQ and SPY ETFs
#   fund.tmt     the fundamentals, point in time (tm-fetch --fundamentals)
#   feat.tmt     tm-features --set default with those fundamentals
#   members.csv  the yearly top-1000 membership as adds and removes
#   slots.tmt    the r1000 slot stream the policies and strategies trade
#   bslots.tmt   the same members plus QQQ and SPY (layout 1002,100,98),
#                only for scoring: the benchmarks are its tickers
#
# Prints the wall time and peak memory of every stage.  Exits 66 when the
# shared data is not there.  TM_SHARED_DATA overrides the data folder.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TM_BIN:-$TOP/bin}
DATA=${TM_SHARED_DATA:-$TOP/../shared/data}
[ $# -eq 1 ] || { echo "usage: realdata.sh DIR" >&2; exit 64; }
W=$1
PRICES=$DATA/prices/us_stocks_daily_2010_2017.csv.gz
UNIV=$DATA/universe/universe_top1000_by_year.csv
ETF=$DATA/benchmarks/etf_benchmarks_daily.csv
FUND=$DATA/fundamentals
for f in "$PRICES" "$UNIV" "$ETF" "$FUND"; do
	if [ ! -e "$f" ]; then
		echo "realdata: $f: no shared data" >&2
		exit 66
	fi
done
mkdir -p "$W"
TM_LOG=${TM_LOG:-off}
export TM_LOG

# shellcheck source=pipelines/stage.sh
. "$TOP/pipelines/stage.sh"

# The source is already split- and dividend-adjusted and has no adjclose:
# tm-features takes close for it (ret = close over the previous close).
# Both files are sorted by ticker then date and share their columns; the
# ETFs are cut to the stocks' dates.
stage import sh -c '{ zcat "$1"; awk -F, '\''($2 == "QQQ" || $2 == "SPY") &&
    $1 >= "2010-01-04" && $1 <= "2017-11-10"'\'' "$2"; } |
    "$3/tm-cat" --import >"$4/prices.tmt"' sh "$PRICES" "$ETF" "$BIN" "$W"
# The universe of the fundamentals: every ticker ever in the top 1,000.
{
	echo ticker
	awk -F, 'FNR > 1 { print $3 }' "$UNIV" | sort -u
} >"$W/universe.csv"
stage fundamentals sh -c '"$1/tm-fetch" --fundamentals --csv "$2" \
    -u "$3/universe.csv" --to 2017-12-31 >"$3/fund.tmt" 2>"$3/fund.err"' \
    sh "$BIN" "$FUND" "$W"
echo "  $(tail -n 1 "$W/fund.err")"
stage features sh -c '"$1/tm-features" --set default -f "$2/fund.tmt" \
    <"$2/prices.tmt" >"$2/feat.tmt" 2>"$2/features.err"' sh "$BIN" "$W"
echo "  $(grep -c finding "$W/features.err" || true) bad-bar findings" \
    "(features.err: kept out of training and trading)"

# Membership: the top 1,000 of effective year Y hold from Y's first trading
# day; 2010's are all adds, later years add the newcomers and remove the
# leavers.  Years past the prices (2018) are left out.
for y in 2010 2011 2012 2013 2014 2015 2016 2017; do
	echo "$y $("$BIN/tmt-caldays" "$y-01-01" "$y-01-15" | head -n 1)"
done >"$W/firstdays"
{
	echo date,ticker,action
	awk -F, 'FNR == NR { split($0, a, " "); fd[a[1]] = a[2]; next }
	    FNR > 1 && ($1 in fd) { m[$1 "," $3] = 1 }
	    END {
		for (y = 2010; y in fd; y++)
			for (k in m) {
				split(k, a, ",")
				if (a[1] == y && (y == 2010 || !((y - 1) "," a[2] in m)))
					print fd[y] "," a[2] ",add"
				if (y > 2010 && a[1] == y - 1 && !(y "," a[2] in m))
					print fd[y] "," a[2] ",remove"
			}
	    }' "$W/firstdays" "$UNIV" | sort
} >"$W/members.csv"
d0=$(sed -n 's/^2010 //p' "$W/firstdays")
{
	echo date,ticker,action
	echo "$d0,QQQ,add"
	echo "$d0,SPY,add"
} >"$W/bench.csv"
# The yearly removes fall a day short of the archive's 12 months when the
# next year's land, so tm-slotmap warns of a full archive: count, not show.
# The two slot streams are built side by side (one core each).
stage slotmap sh -c '"$1/tm-slotmap" -l r1000 --members "$2/members.csv" \
    <"$2/feat.tmt" >"$2/slots.tmt" 2>"$2/slotmap.err" &
    "$1/tm-slotmap" -l 1002,100,98 --members "$2/members.csv" --members "$2/bench.csv" \
    <"$2/feat.tmt" >"$2/bslots.tmt" 2>"$2/bslotmap.err"; wait $!' \
    sh "$BIN" "$W"
echo "  $(($(wc -l <"$W/members.csv") - 1)) membership changes;" \
    "$(grep -c 'leaves early' "$W/slotmap.err" || true) archived stocks" \
    "left the archive early (archive full)"
