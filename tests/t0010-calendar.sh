#!/bin/sh
# The NYSE calendar in libcommon against the dates of real market data.
. "$(dirname "$0")/lib.sh"

if [ -z "$SHARED_DATA" ]; then
	test_skip 'calendar matches 2005-2017 trading days' 'no ../shared/data'
	test_skip 'calendar matches 2000-2022 trading days' 'no ../shared/data'
else
	# One ticker can miss a day in that source (SPY lacks 2011-02-17),
	# so the union of all 17 ETFs gives the days the market was open.
	test_expect_success 'calendar matches 2005-2017 trading days (17 ETFs)' '
		tail -n +2 "$SHARED_DATA/benchmarks/etf_benchmarks_daily.csv" |
			cut -d, -f1 | sort -u | awk "\$0 >= \"2005-02-25\"" >expect &&
		first=$(head -1 expect) && last=$(tail -1 expect) &&
		tmt-caldays "$first" "$last" >actual &&
		test_cmp expect actual
	'
	test_expect_success 'calendar matches 2000-2022 trading days (Yahoo SPY)' '
		tail -n +2 "$SHARED_DATA/benchmarks/yahoo_SPY_2000_2022.csv" |
			cut -d, -f1 | sort -u >expect &&
		first=$(head -1 expect) && last=$(tail -1 expect) &&
		tmt-caldays "$first" "$last" >actual &&
		test_cmp expect actual
	'
fi
test_expect_success 'bad date is a usage error' '
	test_must_fail --status 64 tmt-caldays 2024-02-30 2024-03-01
'
test_done
