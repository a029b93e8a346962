#!/bin/sh
# tm-fetch under bad input, as a careful user tries it: unusable tickers
# skipped up front with a finding (the rest of the day lands), replies with
# timestamps no day can hold judged malformed (no sanitizer abort), no
# ticker at all said so, and a dead server's cause shown with the failed
# attempts counted.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd
R="--from 2024-06-03 --to 2024-06-07"

long=$(printf 'X%.0s' $(seq 1 300))
bad=$(printf 'AB\377C')

test_expect_success 'a 300-byte and a non-UTF-8 ticker in argv: skipped, AAPL lands' '
	scenario "{}" &&
	run_rc tm-fetch --source yahoo $R --store st AAPL "$long" "$bad" \
	    >out.tmt 2>err &&
	test $rc = 1 || { echo "exit $rc, want 1"; cat err; exit 1; } &&
	grep "{\"finding\":\"bad_ticker\",\"ticker\":\"XXXX.*\.\.\.\",\"detail\":\"argv: longer than a label" err &&
	grep "{\"finding\":\"bad_ticker\",\"ticker\":\"AB\\\\\\\\xffC\",\"detail\":\"argv: not UTF-8" err &&
	! grep "(null)" err &&
	test "$(wc -l <"$TRASH/requests.log")" = 1 &&
	dump st/raw/2024/06/*.tmt >got &&
	want 2024-06-03 2024-06-07 AAPL >exp && test_cmp exp got &&
	dump out.tmt >got && test_cmp exp got
'

test_expect_success 'a bad ticker in -u: the finding names FILE:LINE' '
	scenario "{}" &&
	printf "ticker,name\nAAPL,Apple\n%s,Broken\n" "$bad" >u.csv &&
	run_rc tm-fetch --source yahoo $R -u u.csv >out.tmt 2>err &&
	test $rc = 1 &&
	grep "\"detail\":\"u.csv:3: not UTF-8" err &&
	dump out.tmt >got && want 2024-06-03 2024-06-07 AAPL >exp &&
	test_cmp exp got
'

test_expect_success 'only bad tickers: 65; none at all: 64 with the reason' '
	test_must_fail --status 65 tm-fetch --source yahoo $R "$bad" 2>err &&
	grep "no valid ticker left" err &&
	test_must_fail --status 64 tm-fetch --source yahoo $R 2>err &&
	grep "no ticker: name some, or a universe with -u" err &&
	grep "^usage: tm-fetch" err
'

# Replies whose timestamps no day can hold (1e300 seconds, -1e300).
cat >"$TRASH/y1e300.json" <<'EOT'
{"rules": [{"match": "/chart/", "seq": [{"status": 200, "type": "application/json", "body": "{\"chart\":{\"result\":[{\"timestamp\":[1e300,1717425000],\"indicators\":{\"quote\":[{\"close\":[1,2]}]},\"events\":{\"splits\":{\"x\":{\"date\":-1e300}}}}]}}"}]}]}
EOT
cat >"$TRASH/p1e300.json" <<'EOT'
{"rules": [{"match": "/grouped/", "seq": [{"status": 200, "type": "application/json", "body": "{\"status\":\"OK\",\"results\":[{\"T\":\"IBM\",\"c\":1,\"t\":1e300}]}"}]}]}
EOT

test_expect_success 'yahoo timestamp 1e300: malformed, the next source serves' '
	scenario "$(cat y1e300.json)" &&
	tm-fetch --source yahoo,stooq $R IBM >out.tmt 2>err &&
	grep "yahoo: .*timestamp 1e+300 out of range" err &&
	grep "\"source\":{\"IBM\":\"stooq\"}" err &&
	dump out.tmt >got && want 2024-06-03 2024-06-07 IBM >exp &&
	test_cmp exp got
'

test_expect_success 'polygon t 1e300 (grouped): malformed, 69' '
	scenario "$(cat p1e300.json)" &&
	run_rc env TM_POLYGON_KEY=k tm-fetch --source polygon --polygon grouped \
	    --retries 0 --from 2024-06-03 --to 2024-06-03 IBM >out.tmt 2>err &&
	test $rc = 69 || { echo "exit $rc"; cat err; exit 1; } &&
	grep "polygon: .*timestamp 1e+300 out of range" err
'

test_expect_success 'a dead server: the cause is shown, failed attempts counted' '
	dead=$(test_free_port) &&
	run_rc env TM_YAHOO_URL=http://127.0.0.1:$dead TM_FETCH_CIRCUIT=3 \
	    TM_FETCH_BACKOFF_MS=0 tm-fetch -j 1 --source yahoo --retries 1 $R \
	    A B C >out.tmt 2>err &&
	test $rc = 69 &&
	grep "yahoo: 3 failures in a row: source skipped for the rest of the run (last: .*onnect" err &&
	grep "\"failed_attempts\":{\"yahoo\":[1-9]" err
'

test_expect_success '--csv with no close column: 65, said so' '
	printf "date,ticker,open\n2024-06-03,AAPL,1\n" >noclose.csv &&
	test_must_fail --status 65 tm-fetch --csv noclose.csv \
	    --from 2024-06-03 --to 2024-06-03 AAPL >out.tmt 2>err &&
	grep "^tm-fetch: noclose.csv:1: no .close. column in the header$" err
'

test_expect_success '--csv header over 64 columns: read, as tm-cat --import reads it' '
	{ printf "date,ticker,close"; for i in $(seq 1 70); do printf ",x%d" $i; done;
	  printf "\n2024-06-03,AAPL,1.5"; for i in $(seq 1 70); do printf ",%d" $i; done;
	  printf "\n"; } >wide.csv &&
	tm-fetch --csv wide.csv --from 2024-06-03 --to 2024-06-03 AAPL >out.tmt &&
	tm-cat -o csv out.tmt >got &&
	grep "^2024-06-03,AAPL,,,,1.5,1.5,,1,0$" got &&
	tm-cat --import -o csv wide.csv | grep -q ",x70$"
'

test_done
