#!/bin/sh
# tm-fetch(1): every EXAMPLES block runs as printed, every source pointed
# at the loopback server (tests/helpers/fetchd.py; TM_*_URL, as t3100 does) and
# an Alpha Vantage key in the environment, as the daily job has it.  The
# daily run adds today (by the clock: a frame only on a trading day) to a
# store holding 2024, logs its summary, and the stored year goes through
# tm-features a frame a day; the Stooq-then-Yahoo year is Stooq's bars of
# AAPL and BRK-B; the news month is the relevance-weighted sentiment of a
# saved reply, the same from the API as from the folder.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
start_fetchd
TM_ALPHAVANTAGE_KEY=k-example
export TM_ALPHAVANTAGE_KEY

test_expect_success 'setup: three blocks; the universe, a store holding 2024' '
	test "$(man_examples "$TOP/man/tm-fetch.1")" = 3 &&
	mkdir -p data/log &&
	printf "ticker,name,sector\nAAPL,Apple,Technology\nMSFT,Microsoft,Technology\nGOOG,Alphabet,Communication\n" \
	    >data/universe.csv &&
	tm-fetch --source yahoo -u data/universe.csv --from 2024-01-02 --to 2024-12-31 \
	    --store data >/dev/null 2>err &&
	test "$(find data/raw -name "*.tmt" | wc -l)" = 252
'

# closed: the last session that has closed by now (16:30 New York), as
# --to defaults to, by libcommon's calendar (tmt-caldays).
closed() {
	c=$(python3 -c 'import datetime as d, zoneinfo as z
n = d.datetime.now(z.ZoneInfo("America/New_York"))
print((n if (n.hour, n.minute) >= (16, 30) else n - d.timedelta(days=1)).date())') &&
	tmt-caldays 2025-01-01 "$c" | tail -n 1
}

if python3 -c 'import zoneinfo; zoneinfo.ZoneInfo("America/New_York")' 2>/dev/null; then
test_expect_success 'the daily run: the last closed session into the store, logged' '
	a=$(closed) && sh -eu ex.1.sh && b=$(closed) &&
	test "$(wc -l <data/log/fetch.jsonl)" -ge 1 &&
	tail -n 1 data/log/fetch.jsonl | grep -q "^{\"summary\":{\"tickers\":3," &&
	tail -n 1 data/log/fetch.jsonl | grep -q "\"missing\":0,.*\"files_written\":1," &&
	find data/raw -name "*.tmt" ! -path "data/raw/2024/*" >new &&
	test "$(wc -l <new)" = 1 &&
	{ grep -qx "data/raw/$(echo "$a" | tr - /).tmt" new ||
	  grep -qx "data/raw/$(echo "$b" | tr - /).tmt" new; } &&
	test "$(tm-cat --info features.tmt | wc -l)" = 253 &&
	! tm-cat --info features.tmt | grep -v "\"shape\":\[3,"
'
else
	test_skip 'the daily run' 'python3 has no America/New_York time zone to tell the last closed session'
fi

test_expect_success 'a year from Stooq, falling back to Yahoo: Stooq served both' '
	scenario "{\"rules\": []}" &&
	sh -eu ex.2.sh >out 2>err &&
	head -1 out | grep -qx "date,ticker,open,high,low,close,adjclose,volume,split,dividend" &&
	test "$(sed 1d out | wc -l)" = 504 &&
	test "$(sed 1d out | cut -d, -f2 | sort -u | tr "\\n" " ")" = "AAPL BRK-B " &&
	test "$(requests "/q/d/l/")" = 2 && test "$(requests /chart/)" = 0 &&
	want 2024-01-02 2024-12-31 AAPL BRK-B >exp &&
	awk -F, "NR == FNR { c[\$1 \",\" \$2] = \$6; next }
	    FNR > 1 && c[\$1 \",\" \$2] + 0 != \$6 + 0 { print; bad = 1 }
	    END { exit bad }" exp out
'

# Two articles on AAPL on 06-04 (scores 0.5 and 0.1, relevance 1 and 0.5),
# one naming both at 16:30 on Friday 06-07 (so Monday 06-10's), one on
# MSFT before the month (not counted).
cat >"$TRASH/reply.json" <<\EOT
{"items": "4", "feed": [
 {"url": "u1", "time_published": "20240604T100000", "ticker_sentiment": [
  {"ticker": "AAPL", "relevance_score": "1", "ticker_sentiment_score": "0.5"}]},
 {"url": "u2", "time_published": "20240604T120000", "ticker_sentiment": [
  {"ticker": "AAPL", "relevance_score": "0.5", "ticker_sentiment_score": "0.1"}]},
 {"url": "u3", "time_published": "20240607T163000", "ticker_sentiment": [
  {"ticker": "AAPL", "relevance_score": "0.4", "ticker_sentiment_score": "-0.3"},
  {"ticker": "MSFT", "relevance_score": "0.9", "ticker_sentiment_score": "0.6"}]},
 {"url": "u4", "time_published": "20240520T100000", "ticker_sentiment": [
  {"ticker": "MSFT", "relevance_score": "1", "ticker_sentiment_score": "-1"}]}
]}
EOT

test_expect_success 'a month of news sentiment, from the API and from saved replies' '
	scenario "{\"rules\": [{\"match\": \"function=NEWS_SENTIMENT\", \"seq\": [{\"file\": \"$TRASH/reply.json\"}]}]}" &&
	mkdir news && cp reply.json news/aapl-msft.json &&
	sed -n 1p ex.3.sh >api.sh && sed -n 2p ex.3.sh >file.sh &&
	grep -q "^tm-fetch --news --from" api.sh && grep -q "^tm-fetch --news --csv" file.sh &&
	sh -eu api.sh 2>err && mv sent.tmt api.tmt &&
	test "$(requests NEWS_SENTIMENT)" = 2 &&
	sh -eu file.sh 2>err && mv sent.tmt file.tmt &&
	dump api.tmt >a.csv && dump file.tmt >f.csv &&
	test "$(sed -n "2s/,.*//p" f.csv)" = 2024-05-20 &&
	awk -F, "NR == FNR { f[\$1 \",\" \$2] = \$0; next }
	    FNR > 1 && \$1 <= \"2024-06-10\" { n++; if (f[\$1 \",\" \$2] != \$0) { print; bad = 1 } }
	    END { exit bad || n != 12 }" f.csv a.csv &&
	test "$(sed 1d a.csv | cut -d, -f1 | sort -u | wc -l)" = 19 &&
	awk -F, "NR > 1 && \$4 > 0 { printf \"%s,%s,%.6f,%d\\n\", \$1, \$2, \$3, \$4 }" a.csv >got &&
	printf "%s\\n" 2024-06-04,AAPL,0.366667,2 2024-06-10,AAPL,-0.300000,1 \
	    2024-06-10,MSFT,0.600000,1 >exp &&
	test_cmp exp got
'

test_done
