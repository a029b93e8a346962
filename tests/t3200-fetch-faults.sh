#!/bin/sh
# t3200: what the network does wrong: 429 with Retry-After, 5xx until the
# retries run out, truncated and malformed bodies, HTML with 200, a hang-up,
# a slow server, a dead port, an unknown ticker; and the store never keeps
# a partial file.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd
R="--from 2024-06-03 --to 2024-06-07"

now() { date +%s.%N; }
# no_partial DIR: no temporary day file left, every day file reads cleanly.
no_partial() {
	[ ! -e "$1" ] && return 0
	test -z "$(find "$1" -name '.*.tmt.*')" &&
	find "$1" -name '*.tmt' -exec python3 "$FETCHD" dump {} + >/dev/null
}

test_expect_success '429 with Retry-After: 1 is honoured, then success' '
	scenario "{\"rules\": [{\"match\": \"/chart/AAPL\", \"seq\": [{\"status\": 429, \"headers\": {\"Retry-After\": \"1\"}, \"body\": \"Too Many Requests\"}, {\"normal\": true}]}]}" &&
	t0=$(now) &&
	tm-fetch --source yahoo $R --store st AAPL >out.tmt 2>err &&
	t1=$(now) &&
	awk -v a=$t0 -v b=$t1 "BEGIN { exit !(b - a >= 0.95) }" &&
	test "$(requests /chart/AAPL)" = 2 &&
	dump out.tmt >got && want 2024-06-03 2024-06-07 AAPL >exp &&
	test_cmp exp got && no_partial st
'

test_expect_success '500s exhaust the retries, then the next source serves' '
	scenario "{\"rules\": [{\"match\": \"/chart/\", \"seq\": [{\"status\": 500, \"body\": \"Internal Server Error\"}]}]}" &&
	tm-fetch --source yahoo,stooq --retries 2 $R --store st2 MSFT >out.tmt 2>err &&
	test "$(requests /chart/MSFT)" = 3 &&
	test "$(requests "s=msft.us")" = 1 &&
	grep "HTTP 500 after 3 attempts" err &&
	grep "\"source\":{\"MSFT\":\"stooq\"}" err &&
	dump out.tmt >got && want 2024-06-03 2024-06-07 MSFT >exp &&
	test_cmp exp got && no_partial st2 &&
	dump --meta st2/raw/2024/06/03.tmt | grep "MSFT=stooq"
'

test_expect_success 'a truncated body is retried' '
	scenario "{\"rules\": [{\"match\": \"/chart/IBM\", \"seq\": [{\"truncate\": true}, {\"normal\": true}]}]}" &&
	tm-fetch --source yahoo $R IBM >out.tmt 2>err &&
	test "$(requests /chart/IBM)" = 2 &&
	dump out.tmt >got && want 2024-06-03 2024-06-07 IBM >exp &&
	test_cmp exp got
'

test_expect_success 'a hang-up without a reply is retried' '
	scenario "{\"rules\": [{\"match\": \"/chart/IBM\", \"seq\": [{\"close\": true}, {\"normal\": true}]}]}" &&
	tm-fetch --source yahoo $R IBM >out.tmt 2>err &&
	test "$(requests /chart/IBM)" = 2 &&
	dump out.tmt >got && test_cmp exp got
'

test_expect_success 'malformed JSON is not retried: the next source serves' '
	scenario "{\"rules\": [{\"match\": \"/chart/\", \"seq\": [{\"malformed\": true}]}]}" &&
	tm-fetch --source yahoo,stooq $R IBM >out.tmt 2>err &&
	test "$(requests /chart/IBM)" = 1 &&
	grep "yahoo: .*malformed JSON" err &&
	grep "\"source\":{\"IBM\":\"stooq\"}" err &&
	dump out.tmt >got && test_cmp exp got
'

test_expect_success 'an HTML page with status 200 is a failure' '
	scenario "{\"rules\": [{\"match\": \"/chart/\", \"seq\": [{\"html\": true}]}, {\"match\": \"/q/d/l\", \"seq\": [{\"html\": true}]}]}" &&
	run_rc tm-fetch --source yahoo,stooq $R --store st3 IBM >out.tmt 2>err &&
	test $rc = 69 &&
	grep "yahoo: .*HTML page instead of JSON" err &&
	grep "stooq: .*HTML page instead of CSV" err &&
	grep "{\"finding\":\"missing\",\"ticker\":\"IBM\"" err &&
	no_partial st3 && test -z "$(find st3 -name "*.tmt")"
'

test_expect_success 'a server slower than --timeout: retried, then fallback' '
	scenario "{\"rules\": [{\"match\": \"/chart/\", \"seq\": [{\"delay\": 3}]}]}" &&
	t0=$(now) &&
	tm-fetch --source yahoo,stooq --timeout 0.3 --retries 1 $R IBM >out.tmt 2>err &&
	t1=$(now) &&
	awk -v a=$t0 -v b=$t1 "BEGIN { exit !(b - a < 2.5) }" &&
	test "$(requests /chart/IBM)" = 2 &&
	grep -i "timed out" err &&
	dump out.tmt >got && test_cmp exp got
'

test_expect_success 'a dead port: the circuit opens, stooq serves the rest' '
	scenario "{}" &&
	dead=$(test_free_port) &&
	TM_YAHOO_URL=http://127.0.0.1:$dead TM_FETCH_CIRCUIT=3 \
	    tm-fetch -j 2 --source yahoo,stooq $R A B C D E F >out.tmt 2>err &&
	grep "yahoo: 3 failures in a row: source skipped" err &&
	test "$(requests "/q/d/l")" = 6 &&
	grep "\"served\":{\"yahoo\":0,\"stooq\":6}" err &&
	dump out.tmt | sort >got && want 2024-06-03 2024-06-07 A B C D E F |
	    sort >exp2 && test_cmp exp2 got
'

test_expect_success 'a dead port and nothing else: exit 69' '
	dead=$(test_free_port) &&
	run_rc env TM_YAHOO_URL=http://127.0.0.1:$dead tm-fetch --source yahoo \
	    --retries 1 $R --store st4 AAPL >out.tmt 2>err &&
	test $rc = 69 &&
	grep -i "connect" err && test -z "$(find st4 -name "*.tmt")"
'

test_expect_success 'one ticker unknown: exit 1, NaN row, the rest written' '
	scenario "{}" &&
	run_rc tm-fetch --source yahoo,stooq $R --store st5 AAPL NOPE >out.tmt 2>err &&
	test $rc = 1 &&
	grep "{\"finding\":\"missing\",\"ticker\":\"NOPE\",\"detail\":\"stooq: No data\"}" err &&
	dump out.tmt | grep NOPE >got &&
	printf "2024-06-0%s,NOPE,,,,,,,,\n" 3 4 5 6 7 >exp3 && test_cmp exp3 got &&
	dump out.tmt | grep AAPL >got &&
	want 2024-06-03 2024-06-07 AAPL | grep AAPL >exp3 && test_cmp exp3 got &&
	no_partial st5 && ! dump st5/raw/2024/06/03.tmt | grep NOPE
'

test_done
