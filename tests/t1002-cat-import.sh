#!/bin/sh
# tm-cat --import: column order, quotes, CRLF, missing values, unsorted
# input, --row, and every refused input with its file:line.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data/cat
export D

test_expect_success 'any column order, CRLF, quoted fields' '
	printf "close,\"ticker\",date\r\n1.5,\"AAPL\",2024-06-03\r\n\"2.5\",MSFT,2024-06-03\r\n" >in.csv &&
	tm-cat --import -o csv in.csv >out &&
	printf "date,ticker,close\n2024-06-03,AAPL,1.5\n2024-06-03,MSFT,2.5\n" >want &&
	test_cmp want out
'

test_expect_success 'empty, NA, NaN and null are missing values' '
	printf "date,ticker,a,b,c,d\n2024-06-03,X,,NA,NaN,null\n2024-06-03,Y,1,nan,2,\n" >in.csv &&
	tm-cat --import -o json in.csv >out &&
	cat >want <<-\EOT &&
	{"date":"2024-06-03","ticker":"X","a":null,"b":null,"c":null,"d":null}
	{"date":"2024-06-03","ticker":"Y","a":1,"b":null,"c":2,"d":null}
	EOT
	test_cmp want out
'

test_expect_success 'unsorted input: frames by date, rows in input order' '
	cat >in.csv <<-\EOT &&
	date,ticker,v
	2024-06-05,B,1
	2024-06-03,A,2
	2024-06-05,A,3
	2024-06-03,C,4
	2024-06-04,B,5
	EOT
	tm-cat --import -o csv in.csv >out &&
	cat >want <<-\EOT &&
	date,ticker,v
	2024-06-03,A,2
	2024-06-03,C,4
	2024-06-04,B,5
	2024-06-05,B,1
	2024-06-05,A,3
	EOT
	test_cmp want out
'

test_expect_success '--row names the row column; slot is found by itself' '
	printf "date,open,Name\n2013-02-08,15.07,AAL\n" >in.csv &&
	tm-cat --import --row Name -o csv in.csv >out &&
	printf "date,Name,open\n2013-02-08,AAL,15.07\n" >want &&
	test_cmp want out &&
	printf "slot,date,w\n0,2024-01-02,0.5\n" >s.csv &&
	tm-cat --import -o csv s.csv >out &&
	printf "date,slot,w\n2024-01-02,0,0.5\n" >want &&
	test_cmp want out
'

test_expect_success 'stdin and blank lines' '
	printf "date,ticker,v\n\n2024-06-03,A,1\n\n2024-06-03,B,2\n" |
	    tm-cat --import -o csv >out &&
	printf "date,ticker,v\n2024-06-03,A,1\n2024-06-03,B,2\n" >want &&
	test_cmp want out
'

# bad 'what' 'csv text' 'message' [option]: exit 65 naming in.csv:LINE.
bad() {
	_csv=$2 _msg=$3 _opt=${4:---dtype=F64}
	test_expect_success "refused: $1" '
		printf "$_csv" >in.csv &&
		test_must_fail --status 65 tm-cat --import $_opt in.csv >out 2>err &&
		! test -s out &&
		grep -q "^tm-cat: in.csv:$_msg" err || { cat err; exit 1; }
	'
}
bad 'a bad date' 'date,ticker,v\n2024-06-03,A,1\n2024-02-30,B,1\n' '3: bad date'
bad 'a date in another format' 'date,ticker,v\n06/03/2024,A,1\n' '2: bad date'
bad 'a non-numeric value' 'date,ticker,v\n2024-06-03,A,1\n2024-06-03,B,abc\n' "3: column 'v'"
bad 'a number with junk' 'date,ticker,v\n2024-06-03,A,1.5x\n' "2: column 'v'"
bad 'a duplicate date and ticker' 'date,ticker,v\n2024-06-03,A,1\n2024-06-04,A,1\n2024-06-03,A,2\n' "4: duplicate row 'A' on 2024-06-03"
bad 'a short line' 'date,ticker,v,w\n2024-06-03,A,1,2\n2024-06-03,B,1\n' '3: 3 columns, header has 4'
bad 'a long line' 'date,ticker,v\n2024-06-03,A,1,2\n' '2: too many columns'
bad 'no date column' 'day,ticker,v\n2024-06-03,A,1\n' "1: no 'date' column"
bad 'no row column' 'date,name,v\n2024-06-03,A,1\n' "1: no row column 'ticker'"
bad 'empty input' '' '1: empty input'
bad 'a header and nothing else' 'date,ticker,v\n' '2: no data lines'
bad 'a line after a quoted newline' 'date,ticker,v\n2024-06-03,"A\nB",1\n2024-06-03,C,x\n' "4: column 'v'"
bad 'CRLF lines are counted once' 'date,ticker,v\r\n2024-06-03,A,1\r\n2024-06-03,B,x\r\n' "3: column 'v'"
bad 'a value too large for F32' 'date,ticker,v\n2024-06-03,A,1e300\n' '2: .*out of range' --dtype=F32

test_expect_success 'F64 accepts what F32 cannot hold' '
	printf "date,ticker,v\n2024-06-03,A,1e300\n" >in.csv &&
	tm-cat --import in.csv >/dev/null &&
	test_must_fail --status 65 tm-cat --import --dtype F32 in.csv 2>err &&
	grep -q "out of range for F32" err
'

test_expect_success 'a missing CSV file exits 66' '
	test_must_fail --status 66 tm-cat --import nosuch.csv 2>err &&
	grep -q "nosuch.csv" err
'

test_expect_success '--dtype and --row need --import' '
	test_must_fail --status 64 tm-cat --dtype F32 </dev/null &&
	test_must_fail --status 64 tm-cat --import --dtype I32 </dev/null
'

# Found by fuzz_csv: names that are not UTF-8 cannot be TMT labels.
test_expect_success 'a column name or ticker that is not UTF-8 exits 65 naming the line' '
	printf "date,ticker,open,h\\233\\n2024-06-03,A,1,2\\n" >bad-col.csv &&
	test_must_fail --status 65 tm-cat --import bad-col.csv >out 2>err &&
	grep "bad-col.csv:1: bad column name 4" err &&
	printf "date,ticker,open\\n2024-06-03,Z\\303\\234RICH,1\\n2024-06-03,\\355\\240\\200,2\\n" >bad-row.csv &&
	test_must_fail --status 65 tm-cat --import bad-row.csv >out 2>err &&
	grep "bad-row.csv:3: bad row label" err &&
	head -2 bad-row.csv >good.csv &&
	tm-cat --import good.csv | tm-cat -o csv >out &&
	grep "RICH,1" out
'

test_done
