#!/bin/sh
# t3500: the csv source on real data from $SHARED_DATA: the long layout
# (dow30 sample) and a Yahoo download (SPY) as one file per ticker; the
# values written are the file's, read here independently.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
[ -n "$SHARED_DATA" ] || test_skip_all 'no shared data (../shared/data)'

# The expected rows, straight from the CSV with Python's csv module.
cat >"$TRASH/rows.py" <<'PY'
import csv, sys
path, lo, hi, tick = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
print("date,ticker,open,high,low,close,adjclose,volume,split,dividend")
rows = {}
for r in csv.DictReader(open(path)):
    r = {k.lower().replace(" ", ""): v for k, v in r.items()}
    t = r.get("ticker", tick[0])
    if lo <= r["date"] <= hi and t in tick:
        f = [float(r[k]) for k in ("open", "high", "low", "close")]
        adj = float(r.get("adjclose", r["close"]))
        rows[(r["date"], tick.index(t))] = [r["date"], t] + [repr(x) for x in f] + \
            [repr(adj), repr(float(r["volume"])), "1.0", "0.0"]
for k in sorted(rows):
    print(",".join(rows[k]))
PY

test_expect_success 'long layout: dow30 sample, June 2016' '
	f=$SHARED_DATA/sample/dow30_daily_2016_2017.csv &&
	tm-fetch --csv "$f" --from 2016-06-01 --to 2016-06-30 AAPL IBM MSFT \
	    >out.tmt 2>err &&
	dump out.tmt >got &&
	python3 rows.py "$f" 2016-06-01 2016-06-30 AAPL IBM MSFT >exp &&
	test_cmp exp got &&
	test "$(wc -l <got)" = 67 &&
	grep "\"served\":{\"csv\":3}" err
'

test_expect_success 'a Yahoo download as DIR/SPY.csv, with Adj Close' '
	mkdir -p d &&
	ln -s "$SHARED_DATA/benchmarks/yahoo_SPY_2000_2022.csv" d/SPY.csv &&
	tm-fetch --csv d --from 2008-09-01 --to 2008-10-31 spy >out.tmt &&
	dump out.tmt >got &&
	python3 rows.py d/SPY.csv 2008-09-01 2008-10-31 SPY >exp &&
	test_cmp exp got
'

test_done
