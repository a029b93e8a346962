#!/bin/sh
# tm-cat(1): every EXAMPLES block runs as printed, against a raw store
# that tm-fetch fills from the loopback server (a year of three tickers),
# a long price CSV and its Kaggle-layout twin, and gives what its text
# says.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v jq >/dev/null || test_skip_all 'jq is not installed'
command -v script >/dev/null || test_skip_all 'script(1) is not installed'
start_fetchd

test_expect_success 'setup: five blocks; the store, the CSVs' '
	test "$(man_examples "$TOP/man/tm-cat.1")" = 5 &&
	tm-fetch --source yahoo --from 2024-01-02 --to 2024-12-31 --store data \
	    AAPL MSFT GOOG >/dev/null 2>err &&
	test "$(find data/raw -name "*.tmt" | wc -l)" = 252 &&
	tm-synth -n 6 -y 0.1 --seed 3 | tm-cat -o csv >prices.csv &&
	awk -F, "BEGIN { OFS = \",\" }
	    NR == 1 { print \"date\", \"open\", \"high\", \"low\", \"close\", \"volume\", \"Name\"; next }
	    { print \$1, \$3, \$4, \$5, \$6, \$8, \$2 }" prices.csv |
	    gzip >all_stocks_5yr.csv.gz
'

test_expect_success 'one day of the store, on a terminal: AAPL and MSFT closes as served' '
	script -qec "sh -eu ex.1.sh" /dev/null >out 2>&1 &&
	tr -d "\\r" <out >day &&
	grep -q "^2024-06-03 " day &&
	test "$(grep -c "^2024-" day)" = 1 &&
	! grep -q GOOG day &&
	for t in AAPL MSFT; do
		c=$(want 2024-06-03 2024-06-03 $t | awk -F, "NR == 2 { print \$6 }") &&
		test -n "$c" &&
		awk -v t=$t -v c="$c" "\$1 == t && \$5 + 0 == c + 0 { ok = 1 }
		    END { exit !ok }" day || { echo "$t close $c"; return 1; }
	done
'

test_expect_success 'the stored year through tm-features: a frame a stored day' '
	sh -eu ex.2.sh &&
	tm-cat --info features.tmt >info &&
	test "$(wc -l <info)" = 252 &&
	head -1 info | grep -q "\"date\":\"2024-01-02\"" &&
	tail -1 info | grep -q "\"date\":\"2024-12-31\"" &&
	! grep -v "\"shape\":\[3," info
'

test_expect_success 'CSV to stream and back: a frame a date, the columns kept' '
	sh -eu ex.3.sh &&
	test "$(tm-cat --info prices.tmt | wc -l)" = \
	    "$(sed 1d prices.csv | cut -d, -f1 | sort -u | wc -l)" &&
	cut -d, -f1,2,6,8 prices.csv >want && test_cmp want closes.csv &&
	head -1 closes.csv | grep -qx "date,ticker,close,volume"
'

test_expect_success 'the Kaggle layout: rows under Name, deflated, the same values' '
	sh -eu ex.4.sh &&
	tm-cat --info sp500.tmt >info &&
	! grep -v "\"axes\":\[\"Name\",\"field\"\].*\"encoding\":\"deflate\"" info &&
	tm-cat -o csv sp500.tmt >got &&
	gzip -dc all_stocks_5yr.csv.gz |
	    awk -F, "BEGIN { OFS = \",\" } { print \$1, \$7, \$2, \$3, \$4, \$5, \$6 }" >want &&
	test_cmp want got
'

test_expect_success 'dates and shapes: one line a frame, [date,[rows,8]]' '
	sh -eu ex.5.sh >out &&
	test "$(wc -l <out)" = "$(tm-cat --info prices.tmt | wc -l)" &&
	! grep -v "^\[\"20[0-9-]*\",\[[0-9]*,8\]\]\$" out &&
	head -1 out | grep -qx "\[\"2015-01-02\",\[$(sed 1d prices.csv | grep -c "^2015-01-02,"),8\]\]"
'

test_done
