#!/bin/sh
# The one import rule of the two CSV importers (tm-cat --import and
# tm-fetch --csv, over libcommon's CSV reader): both read a BOM file, a
# Yahoo download (Date,Open,High,Low,Close,Adj Close,Volume, no ticker
# column: the file's name is the ticker), a .csv.gz and stdin alike, and
# refuse the same bad inputs with the same FILE:LINE message and status.
. "$(dirname "$0")/lib.sh"

R="--from 2024-06-03 --to 2024-06-04"

# both FILE: each tool's bars of FILE as CSV, open..volume, into cat.out
# and fetch.out (tm-fetch adds split and dividend: cut away).
both() {
	tm-cat --import -o csv "$1" >cat.out &&
	tm-fetch --csv "$1" $R SPY 2>fetch.err | tm-cat -o csv |
	    cut -d, -f1-8 >fetch.out
}

test_expect_success 'a Yahoo download: the ticker from the file name, Adj Close as adjclose' '
	printf "Date,Open,High,Low,Close,Adj Close,Volume\n2024-06-03,11,11.6,10.9,11.5,11.2,900\n2024-06-04,11.5,12,11,11.75,11.45,1000\n" >SPY.csv &&
	cat >want <<-\EOT &&
	date,ticker,open,high,low,close,adjclose,volume
	2024-06-03,SPY,11,11.6,10.9,11.5,11.2,900
	2024-06-04,SPY,11.5,12,11,11.75,11.45,1000
	EOT
	both SPY.csv &&
	test_cmp want cat.out && test_cmp want fetch.out &&
	grep "\"served\":{\"csv\":1}" fetch.err
'

test_expect_success 'a UTF-8 BOM, CRLF and header names in any case' '
	printf "\357\273\277DATE,Ticker,open,HIGH,Low,close,adj_close,Volume\r\n2024-06-03,SPY,11,11.6,10.9,11.5,11.2,900\r\n2024-06-04,SPY,11.5,12,11,11.75,11.45,1000\r\n" >bom.csv &&
	both bom.csv &&
	test_cmp want cat.out && test_cmp want fetch.out
'

test_expect_success 'a .csv.gz, the long layout and a download alike' '
	gzip -c SPY.csv >SPY.csv.gz && both SPY.csv.gz &&
	test_cmp want cat.out && test_cmp want fetch.out &&
	gzip -c bom.csv >long.csv.gz && both long.csv.gz &&
	test_cmp want cat.out && test_cmp want fetch.out
'

test_expect_success 'standard input as -' '
	tm-cat --import -o csv - <bom.csv >cat.out &&
	tm-fetch --csv - $R SPY <bom.csv | tm-cat -o csv | cut -d, -f1-8 >fetch.out &&
	test_cmp want cat.out && test_cmp want fetch.out
'

# refused 'what' 'csv text' 'message': both tools exit 65, printing
# "in.csv:message" after their names.
refused() {
	_csv=$2 _msg=$3
	test_expect_success "both refuse $1" '
		printf "$_csv" >in.csv &&
		test_must_fail --status 65 tm-cat --import in.csv >out 2>cat.err &&
		test_must_fail --status 65 tm-fetch --csv in.csv $R SPY >out 2>fetch.err &&
		echo "tm-cat: in.csv:$_msg" >want.cat &&
		echo "tm-fetch: in.csv:$_msg" >want.fetch &&
		test_cmp want.cat cat.err && test_cmp want.fetch fetch.err
	'
}
refused 'a bad date' 'date,ticker,close\n2024-06-03,SPY,1\n2024-02-30,SPY,2\n' "3: bad date '2024-02-30'"
refused 'a value that is not a number' 'date,ticker,close\n2024-06-03,SPY,1.5x\n' "2: column 'close': '1.5x' is not a number"
refused 'a short line' 'date,ticker,close\n2024-06-03,SPY\n' '2: 2 columns, header has 3'
refused 'a long line' 'date,ticker,close\n2024-06-03,SPY,1,2\n' '2: too many columns (header has 3)'
refused 'no date column' 'day,ticker,close\n2024-06-03,SPY,1\n' "1: no 'date' column in the header"
refused 'no ticker column beside other columns' 'date,name,close\n2024-06-03,SPY,1\n' "1: no row column 'ticker' in the header"
refused 'one column twice under the rule' 'date,ticker,Close,close\n2024-06-03,SPY,1,1\n' "1: duplicate column 'close'"
refused 'an empty file' '' '1: empty input'
refused 'a quoted field never closed' 'date,ticker,close\n2024-06-03,"SPY,1\n' '2: a quoted field is not closed'

test_expect_success 'both refuse a cut .gz the same way' '
	awk "BEGIN { print \"date,ticker,close\";
	    for (k = 0; k < 5000; k++) printf \"2024-06-03,T%d,%d\\n\", k, k }" |
	    gzip -c | head -c 2000 >in.csv &&
	test_must_fail --status 65 tm-cat --import in.csv >out 2>cat.err &&
	test_must_fail --status 65 tm-fetch --csv in.csv $R SPY >out 2>fetch.err &&
	sed "s/^tm-cat: //" cat.err >a && sed "s/^tm-fetch: //" fetch.err >b &&
	test_cmp a b && grep "^in.csv:[0-9]*: truncated gzip data$" a
'

test_expect_success 'both say 66 for a missing file' '
	test_must_fail --status 66 tm-cat --import nosuch.csv 2>cat.err &&
	test_must_fail --status 66 tm-fetch --csv nosuch.csv $R SPY 2>fetch.err &&
	grep "nosuch.csv" cat.err && grep "nosuch.csv" fetch.err
'

test_done
