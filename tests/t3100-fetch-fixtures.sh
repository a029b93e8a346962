#!/bin/sh
# t3100: hand-written responses in the recorded layouts (splits, dividends,
# null bars, chart.error, Stooq's Polish header and "No data", Alpha
# Vantage JSON and CSV, Polygon's exponent volumes and grouped daily) and
# the validation findings.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd

H=date,ticker,open,high,low,close,adjclose,volume,split,dividend

test_expect_success 'yahoo: split, dividend, null bar, bar past --to' '
	scenario "{\"rules\": [{\"match\": \"/chart/FIXY\", \"seq\": [{\"file\": \"yahoo-fixy.json\"}]}]}" &&
	tm-fetch --source yahoo --from 2020-08-27 --to 2020-09-02 FIXY AAPL \
	    >out.tmt 2>err &&
	dump out.tmt | grep FIXY >got &&
	cat >exp <<-\EOT &&
	2020-08-27,FIXY,127.14,127.49,123.83,125.01,123.12,155552400.0,1.0,0.0
	2020-08-28,FIXY,126.01,126.44,124.58,124.81,122.92,187630000.0,1.0,0.205
	2020-08-31,FIXY,127.58,131.0,126.0,129.04,127.09,225702700.0,4.0,0.0
	2020-09-01,FIXY,,,,,,,,
	2020-09-02,FIXY,137.59,137.98,127.0,131.4,129.41,200119000.0,1.0,0.0
	EOT
	test_cmp exp got &&
	dump --meta out.tmt | grep "^# 2020-09-01" | grep "\"AAPL=yahoo\""
'

test_expect_success 'yahoo: unknown symbol (404 chart.error) falls to stooq' '
	scenario "{\"rules\": [{\"match\": \"/chart/\", \"seq\": [{\"file\": \"yahoo-nope.json\", \"status\": 404}]}]}" &&
	tm-fetch --source yahoo,stooq --from 2024-06-03 --to 2024-06-04 MSFT \
	    >out.tmt 2>err &&
	test "$(requests /chart/MSFT)" = 1 &&
	test "$(requests "/q/d/l/?s=msft.us")" = 1 &&
	grep "\"MSFT\":\"stooq\"" err &&
	dump out.tmt >got &&
	want 2024-06-03 2024-06-04 MSFT >exp &&
	test_cmp exp got
'

test_expect_success 'stooq: CRLF, fractional volume, Polish header, No data' '
	scenario "{\"rules\": [{\"match\": \"s=fixs.us\", \"seq\": [{\"file\": \"stooq-fixs.csv\", \"type\": \"text/csv\"}]}, {\"match\": \"s=fixpl.us\", \"seq\": [{\"file\": \"stooq-fixpl.csv\", \"type\": \"text/csv\"}]}, {\"match\": \"s=fixn.us\", \"seq\": [{\"file\": \"stooq-nodata.txt\", \"type\": \"text/plain\"}]}]}" &&
	run_rc tm-fetch --source stooq --from 2024-06-03 --to 2024-06-04 \
	    FIXS FIXPL FIXN >out.tmt 2>err &&
	test $rc = 1 &&
	dump out.tmt >got &&
	cat >exp <<-EOT &&
	$H
	2024-06-03,FIXS,192.9,194.99,192.52,194.03,194.03,50080539.5,1.0,0.0
	2024-06-03,FIXPL,192.9,194.99,192.52,194.03,194.03,50080539.5,1.0,0.0
	2024-06-03,FIXN,,,,,,,,
	2024-06-04,FIXS,194.64,195.32,193.03,194.35,194.35,47471445.0,1.0,0.0
	2024-06-04,FIXPL,194.64,195.32,193.03,194.35,194.35,47471445.0,1.0,0.0
	2024-06-04,FIXN,,,,,,,,
	EOT
	test_cmp exp got &&
	grep "{\"finding\":\"missing\",\"ticker\":\"FIXN\",\"detail\":\"stooq: No data\"}" err
'

AVEXP='2024-06-03,FIXA,500.0,510.0,498.3,507.72,165.0,1200000.0,1.0,0.0
2024-06-04,FIXA,166.01,169.49,166.0,169.24,167.61,3520900.0,3.0,0.0
2024-06-05,FIXA,170.2,171.7,168.96,170.38,170.38,3264600.0,1.0,1.67
2024-06-06,FIXA,170.7,171.05,169.2,170.03,170.03,2733400.0,1.0,0.0
2024-06-07,FIXA,170.01,171.33,168.9,170.01,170.01,3427600.0,1.0,0.0'
export AVEXP

test_expect_success 'alphavantage: JSON and CSV, split without a jump' '
	scenario "{\"rules\": [{\"match\": \"datatype=json\", \"seq\": [{\"file\": \"av-fixa.json\"}]}, {\"match\": \"datatype=csv\", \"seq\": [{\"file\": \"av-fixc.csv\", \"type\": \"application/x-download\"}]}]}" &&
	TM_ALPHAVANTAGE_KEY=k tm-fetch --source alphavantage --from 2024-06-03 \
	    --to 2024-06-07 FIXA >j.tmt 2>err &&
	! grep "{\"finding\"" err &&
	TM_ALPHAVANTAGE_KEY=k tm-fetch --source alphavantage --av-csv \
	    --from 2024-06-03 --to 2024-06-07 FIXA >c.tmt &&
	{ echo "$H" && echo "$AVEXP"; } >exp &&
	dump j.tmt >got && test_cmp exp got &&
	dump c.tmt >got && test_cmp exp got
'

test_expect_success 'alphavantage: a Note body is retried' '
	scenario "{\"rules\": [{\"match\": \"FIXA\", \"seq\": [{\"file\": \"av-note.json\"}, {\"file\": \"av-fixa.json\"}]}]}" &&
	TM_ALPHAVANTAGE_KEY=k tm-fetch --source alphavantage --from 2024-06-03 \
	    --to 2024-06-07 FIXA >out.tmt 2>err &&
	test "$(requests FIXA)" = 2 &&
	{ echo "$H" && echo "$AVEXP"; } >exp &&
	dump out.tmt >got && test_cmp exp got
'

test_expect_success 'alphavantage: Information (daily cap) ends the source' '
	scenario "{\"rules\": [{\"match\": \"/query\", \"seq\": [{\"file\": \"av-information.json\"}]}]}" &&
	run_rc env TM_ALPHAVANTAGE_KEY=k tm-fetch -j 1 --source alphavantage,yahoo \
	    --from 2024-06-03 --to 2024-06-07 IBM MSFT AAPL >out.tmt 2>err &&
	test $rc = 0 &&
	test "$(requests "/query")" = 1 &&
	grep "25 requests per day" err &&
	grep "\"source\":{\"IBM\":\"yahoo\",\"MSFT\":\"yahoo\",\"AAPL\":\"yahoo\"}" err
'

test_expect_success 'polygon: exponent volume, grouped daily maps BRK.B' '
	scenario "{\"rules\": [{\"match\": \"/ticker/FIXP/\", \"seq\": [{\"file\": \"polygon-fixp.json\"}]}, {\"match\": \"/grouped/\", \"seq\": [{\"file\": \"polygon-grouped.json\"}]}]}" &&
	TM_POLYGON_KEY=k tm-fetch --source polygon --polygon ticker \
	    --from 2024-06-03 --to 2024-06-04 FIXP >p.tmt &&
	dump p.tmt >got &&
	cat >exp <<-EOT &&
	$H
	2024-06-03,FIXP,192.9,194.99,192.52,194.03,194.03,112117471.0,1.0,0.0
	2024-06-04,FIXP,194.64,195.32,193.03,194.35,194.35,47471445.0,1.0,0.0
	EOT
	test_cmp exp got &&
	TM_POLYGON_KEY=k tm-fetch --source polygon --polygon grouped \
	    --from 2024-06-03 --to 2024-06-03 BRK-B FIXP >g.tmt &&
	dump g.tmt >got &&
	cat >exp <<-EOT &&
	$H
	2024-06-03,BRK-B,405.5,407.9,403.65,406.72,406.72,3417640.0,1.0,0.0
	2024-06-03,FIXP,192.9,194.99,192.52,194.03,194.03,112117471.0,1.0,0.0
	EOT
	test_cmp exp got
'

test_expect_success 'polygon: 401 Unknown API Key ends the source' '
	scenario "{\"rules\": [{\"match\": \"/v2/\", \"seq\": [{\"file\": \"polygon-401.json\", \"status\": 401}]}]}" &&
	run_rc env TM_POLYGON_KEY=bad tm-fetch -j 1 --source polygon --polygon ticker \
	    --from 2024-06-03 --to 2024-06-04 AAPL MSFT IBM >out.tmt 2>err &&
	test $rc = 69 &&
	test "$(requests /v2/)" = 1 &&
	grep "Unknown API Key" err
'

test_expect_success 'validation: one finding per bad bar, bad bars dropped' '
	scenario "{\"rules\": [{\"match\": \"/chart/FIXB\", \"seq\": [{\"file\": \"yahoo-fixb.json\"}]}]}" &&
	run_rc tm-fetch --source yahoo --from 2024-06-03 --to 2024-06-11 FIXB \
	    >out.tmt 2>err &&
	test $rc = 1 &&
	grep "^{\"finding\"" err | sed "s/,\"detail\".*//" >got &&
	cat >exp <<-\EOT &&
	{"finding":"high_below_low","ticker":"FIXB","date":"2024-06-04","source":"yahoo"
	{"finding":"close_outside_range","ticker":"FIXB","date":"2024-06-05","source":"yahoo"
	{"finding":"nonpositive_price","ticker":"FIXB","date":"2024-06-06","source":"yahoo"
	{"finding":"negative_volume","ticker":"FIXB","date":"2024-06-07","source":"yahoo"
	{"finding":"not_trading_day","ticker":"FIXB","date":"2024-06-08","source":"yahoo"
	{"finding":"jump","ticker":"FIXB","date":"2024-06-10","source":"yahoo"
	{"finding":"stale","ticker":"FIXB","date":"2024-06-11","source":"yahoo"
	EOT
	test_cmp exp got &&
	grep "\"findings\":7" err &&
	dump out.tmt | cut -d, -f1,6 >got &&
	printf "date,close\n2024-06-03,100.5\n2024-06-10,160.0\n2024-06-11,160.0\n" >exp &&
	test_cmp exp got
'

test_done
