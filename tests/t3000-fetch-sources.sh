#!/bin/sh
# t3000: every source answers in its real layout and tm-fetch writes the
# same bars; spelling, fallback order, summary and usage.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd
T2="--from 2024-06-03 --to 2024-06-07"

test_expect_success 'usage error exits 64 with the synopsis' '
	test_must_fail --status 64 tm-fetch 2>err &&
	grep "^usage: tm-fetch" err &&
	test_must_fail --status 64 tm-fetch --bogus AAPL 2>/dev/null &&
	test_must_fail --status 64 tm-fetch --source nosuch AAPL 2>err &&
	grep "unknown source nosuch" err &&
	test_must_fail --status 64 tm-fetch --from 2024-13-01 AAPL 2>/dev/null &&
	test_must_fail --status 64 tm-fetch --rate yahoo=fast AAPL 2>/dev/null
'

test_expect_success 'yahoo: bars, labels and meta.source' '
	tm-fetch --source yahoo $T2 AAPL brk.b >out.tmt 2>err &&
	dump out.tmt | sort >got &&
	want 2024-06-03 2024-06-07 AAPL BRK-B | sort >exp &&
	test_cmp exp got &&
	dump --meta out.tmt | grep "^# 2024-06-03" >meta &&
	grep "\"source\": \"AAPL=yahoo,BRK-B=yahoo\"" meta &&
	grep "\"summary\"" err | grep "\"AAPL\":\"yahoo\""
'

if [ -x "$TM_BIN/tm-cat" ]; then
test_expect_success 'tm-cat -o csv reads the same values' '
	tm-fetch --source yahoo $T2 AAPL NOPE >out.tmt 2>/dev/null || test $? = 1 &&
	tm-cat -o csv out.tmt >cat.csv &&
	dump out.tmt >dump.csv &&
	python3 -c "
import csv, math, sys
a = list(csv.reader(open(\"cat.csv\"))); b = list(csv.reader(open(\"dump.csv\")))
assert a[0] == b[0] and len(a) == len(b) == 11, (a[0], len(a), len(b))
for x, y in zip(a[1:], b[1:]):
    assert x[:2] == y[:2], (x, y)
    for u, v in zip(x[2:], y[2:]):
        assert (u == v == \"\") or float(u) == float(v), (x, y)
"
'
else
	test_skip 'tm-cat -o csv reads the same values' 'bin/tm-cat not built'
fi

test_expect_success 'yahoo: the bar past period2 is clipped' '
	tm-fetch --source yahoo --from 2024-06-03 --to 2024-06-04 MSFT >out.tmt &&
	dump out.tmt >got &&
	test $(wc -l <got) = 3 &&
	! grep 2024-06-05 got
'

test_expect_success 'no bar of a session that has not closed' '
	last=$(python3 -c "import datetime as d, zoneinfo as z; print((d.datetime.now(z.ZoneInfo(\"America/New_York\")) - d.timedelta(hours=16, minutes=30)).date())") &&
	from=$(python3 -c "import datetime as d; print(d.date.fromisoformat(\"$last\") - d.timedelta(days=10))") &&
	tm-fetch --source yahoo --from $from --to 2099-12-31 AAPL >out.tmt &&
	dump out.tmt | sed 1d | cut -d, -f1 >dates &&
	test -s dates &&
	test "$(sort dates | tail -n 1 | tr -d -)" -le "$(echo $last | tr -d -)"
'

for s in stooq alphavantage polygon; do
test_expect_success "$s: the same bars as the generator" "
	TM_ALPHAVANTAGE_KEY=k-av TM_POLYGON_KEY=k-poly \
	    tm-fetch --source $s $T2 AAPL BRK-B >out.tmt &&
	dump out.tmt | sort >got &&
	want 2024-06-03 2024-06-07 AAPL BRK-B | sort >exp &&
	test_cmp exp got
"
done

test_expect_success 'alphavantage csv and polygon grouped' '
	TM_ALPHAVANTAGE_KEY=k-av tm-fetch --source alphavantage --av-csv $T2 IBM \
	    >a.tmt &&
	dump a.tmt >got && want 2024-06-03 2024-06-07 IBM >exp &&
	test_cmp exp got &&
	scenario "{\"market\": [\"AAPL\", \"BRK.B\", \"ZZZ\"]}" &&
	TM_POLYGON_KEY=k-poly tm-fetch --source polygon --polygon grouped $T2 \
	    BRK-B AAPL >p.tmt &&
	test "$(requests grouped)" = 5 && test "$(requests /range/)" = 0 &&
	dump p.tmt | sort >got &&
	want 2024-06-03 2024-06-07 BRK-B AAPL | sort >exp &&
	test_cmp exp got
'

test_expect_success 'polygon auto: one grouped request for a daily run' '
	scenario "{\"market\": [\"AAPL\", \"MSFT\", \"IBM\"]}" &&
	TM_POLYGON_KEY=k-poly tm-fetch --source polygon --from 2024-06-05 \
	    --to 2024-06-05 AAPL MSFT IBM >p.tmt &&
	test "$(requests grouped)" = 1 &&
	dump p.tmt | sort >got &&
	want 2024-06-05 2024-06-05 AAPL MSFT IBM | sort >exp &&
	test_cmp exp got
'

test_expect_success 'no key: the source is skipped with a note' '
	scenario "{}" &&
	run_rc tm-fetch --source alphavantage,yahoo $T2 AAPL >out.tmt 2>err &&
	test $rc = 0 &&
	grep "alphavantage: no API key (TM_ALPHAVANTAGE_KEY)" err &&
	test "$(requests /query)" = 0 &&
	grep "\"AAPL\":\"yahoo\"" err
'

test_expect_success 'keys never reach stderr, the run log or the output' '
	scenario "{\"rules\": [{\"match\": \"function=\", \"seq\": [{\"status\": 500, \"body\": \"oops\"}]}]}" &&
	TM_LOG=$TRASH/run.jsonl TM_ALPHAVANTAGE_KEY=sekrit-av-123 \
	TM_POLYGON_KEY=sekrit-poly-456 run_rc tm-fetch \
	    --source alphavantage,polygon --polygon ticker --retries 1 $T2 AAPL \
	    >out.tmt 2>err &&
	test $rc = 0 &&
	grep "apikey=\*\*\*" err &&
	test -s run.jsonl &&
	! grep -r sekrit err run.jsonl out.tmt &&
	TM_ALPHAVANTAGE_KEY=Q run_rc tm-fetch --source alphavantage,yahoo \
	    --retries 0 $T2 AAPL >out.tmt 2>err &&
	grep "apikey=\*\*\*\"*$" err >/dev/null || grep "apikey=\*\*\*" err &&
	! grep "apikey=Q" err
'

test_expect_success 'csv: long file and one file per ticker' '
	tm-fetch --csv "$FIX/long.csv" $T2 FIXL BRK.B >l.tmt &&
	dump l.tmt >got &&
	cat >exp <<-\EOT &&
	date,ticker,open,high,low,close,adjclose,volume,split,dividend
	2024-06-03,FIXL,11.0,11.6,10.9,11.5,11.5,900.0,1.0,0.0
	2024-06-03,BRK-B,405.5,407.9,403.65,406.72,406.72,3417640.0,1.0,0.0
	2024-06-04,FIXL,11.5,12.0,11.0,11.75,11.75,1000.0,1.0,0.0
	2024-06-04,BRK-B,,,,,,,,
	EOT
	test_cmp exp got &&
	tm-fetch --source csv --csv "$FIX/dir" $T2 fixd >d.tmt &&
	dump d.tmt >got &&
	cat >exp <<-\EOT &&
	date,ticker,open,high,low,close,adjclose,volume,split,dividend
	2024-06-03,FIXD,11.0,11.6,10.9,11.5,11.2,900.0,1.0,0.0
	2024-06-04,FIXD,11.5,12.0,11.0,11.75,11.45,1000.0,1.0,0.0
	EOT
	test_cmp exp got
'

test_expect_success 'csv: a repeated ticker and date is a finding, the first row kept' '
	cp "$FIX/long.csv" dup.csv &&
	echo "2024-06-03,FIXL,99,99,99,99,1" >>dup.csv &&
	test_must_fail --status 1 tm-fetch --csv dup.csv $T2 FIXL BRK.B \
	    >dup.tmt 2>err &&
	grep -F "\"finding\":\"duplicate\",\"ticker\":\"FIXL\",\"date\":\"2024-06-03\"" err &&
	grep -F "dup.csv: 1 row repeats a date (the first is kept)" err &&
	test "$(grep -c "\"finding\":\"duplicate\"" err)" = 1 &&
	dump dup.tmt >got &&
	grep -F "2024-06-03,FIXL,11.0,11.6,10.9,11.5,11.5,900.0,1.0,0.0" got &&
	! grep -F ",99.0," got
'

test_expect_success 'rate limit: 10 requests at 5/s (bursts of 5) take ~1 s' '
	scenario "{}" &&
	t0=$(date +%s.%N) &&
	tm-fetch --source yahoo --rate yahoo=5/s $T2 A B C D E F G H I J >out.tmt &&
	t1=$(date +%s.%N) &&
	tm-fetch --source yahoo --rate yahoo=0 $T2 A B C D E F G H I J >out2.tmt &&
	t2=$(date +%s.%N) &&
	awk -v a="$t0" -v b="$t1" "BEGIN { exit !(b - a >= 0.9) }" &&
	cmp out.tmt out2.tmt &&
	test "$(requests /chart/)" = 20 &&
	echo "limited $t0 $t1, unlimited $t1 $t2"
'

if command -v script >/dev/null; then
test_expect_success 'progress on a terminal only' '
	tm-fetch --source yahoo $T2 AAPL >out.tmt 2>err &&
	! grep "requests done" err &&
	script -qec "tm-fetch --source yahoo $T2 AAPL >out.tmt" /dev/null >tty.txt &&
	grep "yahoo 1/1 requests done" tty.txt
'
fi

test_expect_success 'universe file: extra columns reach the summary' '
	scenario "{}" &&
	run_rc tm-fetch --source yahoo -u "$FIX/universe.csv" $T2 >out.tmt 2>err &&
	test $rc = 1 &&
	grep "\"missing_tickers\":\[{\"ticker\":\"NOPE1\"" err |
	    grep "\"name\":\"Nobody Corp\"" | grep "\"sector\":\"Nowhere\""
'

test_done
