#!/bin/sh
# tm-synth(1): the EXAMPLES run as printed: the first ten CSV lines of a
# small market are its header and the first day's rows; the demo market
# holds the files FILES lists, the signal field, and the benchmark's last
# bar is QQQ on the last trading day of the ten default years.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'

test_expect_success 'setup: two blocks' '
	test "$(man_examples "$TOP/man/tm-synth.1")" = 2
'

test_expect_success 'a small market as CSV: the header, then 2015-01-02 rows' '
	sh -eu ex.1.sh >out &&
	test "$(wc -l <out)" = 10 &&
	head -1 out | grep -qx "date,ticker,open,high,low,close,adjclose,volume,split,dividend" &&
	test "$(sed 1d out | grep -c "^2015-01-02,[A-Z-]*,")" = 9 &&
	sed -n 2p out | grep -q "^2015-01-02,MGK-B," &&
	tm-synth -n 50 -y 2 --seed 7 | tm-cat -o csv | head >again &&
	test_cmp out again
'

test_expect_success 'the demo market: the FILES, the signal, the last benchmark bar' '
	sh -eu ex.2.sh >out &&
	for f in prices benchmark fundamentals; do
		test -s data/synth/$f.tmt || return 1
	done &&
	test -s data/synth/membership.csv && test -s data/synth/universe.csv &&
	test -s data/synth/sectors.csv && test ! -e data/synth/sentiment.tmt &&
	test "$(wc -l <out)" = 1 &&
	grep -q "^2024-12-31,QQQ,[0-9.]*,[0-9.]*,[0-9.]*,[0-9.]*," out &&
	tm-cat --info data/synth/prices.tmt | tail -n 1 >last &&
	grep -q "\"date\":\"2024-12-31\"" last &&
	grep -q "\"field\":\[[^]]*\"signal\"" last &&
	test "$(sed -n "s/.*\"shape\":\[\([0-9]*\),.*/\1/p" last)" -gt 900
'

test_done
