#!/bin/sh
# t3700: --news: Alpha Vantage NEWS_SENTIMENT (API replayed on loopback,
# or local files) into the sentiment stream, dated by the session each
# article can first be traded on.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd

# round FILE: dump with the sentiment to 6 places ("nan" when empty).
round() {
	dump "$1" | awk -F, 'NR > 1 { printf "%s,%s,%s,%d\n", $1, $2,
	    $3 == "" ? "nan" : sprintf("%.6f", $3), $4 }'
}

# By hand from av-news.json: FIXA on 06-06 is (0.8*0.4 + 0.2*-0.1)/1.0;
# the 16:30 article counts for 06-07; Saturday's and Monday 09:30's FIXB
# articles for 06-10 (relevance 0 weighs nothing); CRYPTO:BTC is dropped.
cat >"$TRASH/exp" <<\EOT
2024-06-06,FIXA,0.300000,2
2024-06-06,FIXB,-0.200000,1
2024-06-07,FIXA,0.600000,1
2024-06-07,FIXB,-0.500000,1
2024-06-10,FIXA,nan,0
2024-06-10,FIXB,0.300000,2
EOT

test_expect_success 'local file: relevance-weighted mean and count per session' '
	tm-fetch --news --csv "$FIX/av-news.json" >n.tmt 2>err &&
	round n.tmt >got && test_cmp "$TRASH/exp" got &&
	dump --meta n.tmt | grep -q "file NEWS_SENTIMENT"
'

test_expect_success 'a universe keeps its tickers and order; the range is --from..--to' '
	tm-fetch --news --csv "$FIX/av-news.json" --from 2024-06-05 \
	    --to 2024-06-07 FIXB NOPE >n.tmt 2>err &&
	round n.tmt >got &&
	cat >exp2 <<-\EOT &&
	2024-06-05,FIXB,nan,0
	2024-06-05,NOPE,nan,0
	2024-06-06,FIXB,-0.200000,1
	2024-06-06,NOPE,nan,0
	2024-06-07,FIXB,-0.500000,1
	2024-06-07,NOPE,nan,0
	EOT
	test_cmp exp2 got
'

test_expect_success 'a folder: the same article in two files counts once' '
	mkdir -p d && cp "$FIX/av-news.json" d/a.json &&
	cp "$FIX/av-news.json" d/b.json &&
	tm-fetch --news --csv d >n.tmt 2>err &&
	round n.tmt >got && test_cmp "$TRASH/exp" got
'

test_expect_success 'no look-ahead: an article at or after 16:00 counts for the next session' '
	sed "s/20240607T155959/20240607T160000/" "$FIX/av-news.json" >late.json &&
	tm-fetch --news --csv late.json >n.tmt 2>err &&
	round n.tmt | grep "^2024-06-07,FIXB" >got &&
	echo "2024-06-07,FIXB,nan,0" >e && test_cmp e got &&
	round n.tmt | grep "^2024-06-10,FIXB" | cut -d, -f4 >got &&
	echo 3 >e && test_cmp e got
'

test_expect_success 'API: one query per ticker, each reply giving its own ticker' '
	TM_ALPHAVANTAGE_KEY=k-news && export TM_ALPHAVANTAGE_KEY &&
	scenario "{\"rules\": [{\"match\": \"function=NEWS_SENTIMENT\", \"seq\": [{\"file\": \"av-news.json\"}]}]}" &&
	tm-fetch --news --from 2024-06-06 --to 2024-06-10 FIXA FIXB \
	    >n.tmt 2>err &&
	round n.tmt >got && test_cmp "$TRASH/exp" got &&
	test "$(requests NEWS_SENTIMENT)" = 2 &&
	test "$(requests "tickers=FIXA&time_from=20240605T1600&time_to=20240610T1559")" = 1 &&
	! grep -q k-news err
'

test_expect_success 'API: bad JSON is exit 65 naming the ticker and place' '
	scenario "{\"rules\": [{\"match\": \"NEWS_SENTIMENT\", \"seq\": [{\"status\": 200, \"type\": \"application/json\", \"body\": \"{\\\"feed\\\": [\"}]}]}" &&
	run_rc env TM_ALPHAVANTAGE_KEY=k tm-fetch --news --to 2024-06-10 FIXA \
	    >n.tmt 2>err &&
	test $rc = 65 &&
	grep "^tm-fetch: alphavantage NEWS_SENTIMENT FIXA: malformed JSON: line 1" err
'

test_expect_success 'file: bad JSON and bad fields are exit 65 naming where' '
	printf "{\"feed\": [\n{\"time_published\": }]}\n" >bad.json &&
	run_rc tm-fetch --news --csv bad.json >n.tmt 2>err &&
	test $rc = 65 && test "$(wc -l <err)" = 1 &&
	grep "^tm-fetch: bad.json: line 2 column" err &&
	sed "s/20240606T153000/2024-06-06 15:30/" "$FIX/av-news.json" >b2.json &&
	run_rc tm-fetch --news --csv b2.json >n.tmt 2>err &&
	test $rc = 65 &&
	grep "^tm-fetch: b2.json: feed\[1\].time_published" err &&
	for tp in 20240606T-1-1 "20240606T 9 5" 20240606T1530+1; do
		sed "s/20240606T153000/$tp/" "$FIX/av-news.json" >b4.json &&
		run_rc tm-fetch --news --csv b4.json >n.tmt 2>err &&
		test $rc = 65 &&
		grep "^tm-fetch: b4.json: feed\[1\].time_published: not YYYYMMDDTHHMMSS" err ||
		{ echo "$tp: exit $rc"; cat err; return 1; }
	done &&
	sed "s/\"ticker_sentiment_score\": \"0.6\"/\"ticker_sentiment_score\": \"x\"/" \
	    "$FIX/av-news.json" >b3.json &&
	run_rc tm-fetch --news --csv b3.json >n.tmt 2>err &&
	test $rc = 65 && grep "feed\[2\].ticker_sentiment\[0\]" err
'

test_expect_success 'no key: exit 69; Information reply: ticker missing, exit 69' '
	run_rc env -u TM_ALPHAVANTAGE_KEY tm-fetch --news FIXA >n.tmt 2>err &&
	test $rc = 69 && grep "no API key" err &&
	scenario "{\"rules\": [{\"match\": \"/query\", \"seq\": [{\"file\": \"av-information.json\"}]}]}" &&
	run_rc env TM_ALPHAVANTAGE_KEY=k tm-fetch --news --to 2024-06-10 FIXA \
	    >n.tmt 2>err &&
	test $rc = 69 && grep "\"finding\":\"missing\",\"ticker\":\"FIXA\"" err
'

test_done
