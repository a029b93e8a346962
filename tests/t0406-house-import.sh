#!/bin/sh
# tm-cat --import of several CSVs: one per ticker over the same days would
# come out with dates going back; that is 65, named.  Files that follow
# each other in time still import as one stream.
. "$(dirname "$0")/lib.sh"

test_expect_success 'one CSV per ticker, same days: 65, the file named' '
	printf "date,ticker,close\n2024-01-02,AAPL,1\n2024-01-03,AAPL,2\n" >a.csv &&
	printf "date,ticker,close\n2024-01-02,MSFT,3\n2024-01-03,MSFT,4\n" >b.csv &&
	test_must_fail --status 65 tm-cat --import a.csv b.csv >out.tmt 2>err &&
	grep "b.csv: 2024-01-02: not after 2024-01-03 of an earlier file" err
'

test_expect_success 'consecutive periods in two files: one stream, in order' '
	printf "date,ticker,close\n2024-01-04,AAPL,5\n" >c.csv &&
	tm-cat --import a.csv c.csv >out.tmt &&
	tm-cat --info out.tmt >info &&
	test "$(grep -c "2024-01-0[234]" info)" = 3 &&
	cat a.csv c.csv | grep -v ^date | sort >rows &&
	test "$(wc -l <rows)" = 3
'

test_done
