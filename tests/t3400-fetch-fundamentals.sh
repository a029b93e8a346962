#!/bin/sh
# t3400: --fundamentals: Alpha Vantage OVERVIEW into the fundamentals
# stream, cached per quarter in the store.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd
TM_ALPHAVANTAGE_KEY=k-fund
export TM_ALPHAVANTAGE_KEY

test_expect_success 'OVERVIEW fields map to eps bvps sps dps roe de margin shares' '
	scenario "{\"rules\": [{\"match\": \"OVERVIEW&symbol=FIXO\", \"seq\": [{\"file\": \"av-overview-fixo.json\"}]}]}" &&
	tm-fetch --fundamentals --to 2024-06-07 FIXO >f.tmt 2>err &&
	dump --meta f.tmt >got &&
	cat >exp <<-\EOT &&
	date,ticker,eps,bvps,sps,dps,roe,de,margin,shares
	# 2024-06-07 {"period": "FIXO=2024-03-31", "source": "alphavantage OVERVIEW"}
	2024-06-07,FIXO,8.24,25.53,67.92,6.65,0.338,,0.122,916295000.0
	EOT
	test_cmp exp got
'

test_expect_success 'cached by quarter: a second run asks only for new tickers' '
	scenario "{}" &&
	tm-fetch --fundamentals --store st --to 2024-06-07 AAPL MSFT >a.tmt 2>err &&
	test "$(requests OVERVIEW)" = 2 &&
	test -f st/fundamentals/2024-Q2.tmt &&
	scenario "{}" &&
	tm-fetch --fundamentals --store st --to 2024-06-10 AAPL IBM >b.tmt 2>err &&
	test "$(requests OVERVIEW)" = 1 && test "$(requests symbol=IBM)" = 1 &&
	dump a.tmt | grep AAPL | cut -d, -f2- >x &&
	dump b.tmt | grep AAPL | cut -d, -f2- >y && test_cmp x y &&
	dump st/fundamentals/2024-Q2.tmt | cut -d, -f2 | sort >got &&
	printf "AAPL\nIBM\nMSFT\nticker\n" >exp && test_cmp exp got &&
	scenario "{}" &&
	tm-fetch --fundamentals --store st --to 2024-07-01 AAPL >c.tmt 2>err &&
	test "$(requests OVERVIEW)" = 1 && test -f st/fundamentals/2024-Q3.tmt
'

test_expect_success 'unknown ticker ({}) is missing: exit 1; no key: exit 69' '
	scenario "{}" &&
	run_rc tm-fetch --fundamentals --to 2024-06-07 AAPL NOPE >f.tmt 2>err &&
	test $rc = 1 &&
	grep "{\"finding\":\"missing\",\"ticker\":\"NOPE\"" err &&
	dump f.tmt | cut -d, -f2 >got && printf "ticker\nAAPL\n" >exp &&
	test_cmp exp got &&
	run_rc env -u TM_ALPHAVANTAGE_KEY tm-fetch --fundamentals AAPL \
	    >f.tmt 2>err &&
	test $rc = 69 && grep "no API key" err
'

test_done
