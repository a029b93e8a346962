#!/bin/sh
# One rule for a row label twice in one day (65, named) in tm-features and
# tm-slotmap; tm-slotmap refuses a non-UTF-8 ticker in a membership file
# with FILE:LINE (65, not 74 at write time) and a directory as its state
# file (66, said so).
. "$(dirname "$0")/lib.sh"

test_expect_success 'fixture: two days, AAPL twice on the second' '
	cat >dup.txt <<-\EOT &&
	fields open high low close adjclose volume split dividend
	date 2024-01-02
	AAPL 1 1 1 1 1 100 1 0
	MSFT 2 2 2 2 2 100 1 0
	date 2024-01-03
	AAPL 1.1 1.1 1.1 1.1 1.1 100 1 0
	MSFT 2.1 2.1 2.1 2.1 2.1 100 1 0
	AAPL 1.2 1.2 1.2 1.2 1.2 100 1 0
	EOT
	tmt-mkframes <dup.txt >dup.tmt &&
	sed "/^AAPL 1.2/d" dup.txt | tmt-mkframes >ok.tmt
'

test_expect_success 'tm-features: a row twice in a day is 65, named' '
	tm-features ok.tmt >/dev/null &&
	test_must_fail --status 65 tm-features dup.tmt >/dev/null 2>err &&
	grep "dup.tmt: 2024-01-03: row .AAPL. twice" err
'

test_expect_success 'tm-slotmap: a row twice in a day is 65, named' '
	tm-slotmap -l 4,1,1 ok.tmt >/dev/null &&
	test_must_fail --status 65 tm-slotmap -l 4,1,1 dup.tmt >/dev/null 2>err &&
	grep "dup.tmt: byte [0-9]*: 2024-01-03: row .AAPL. twice" err
'

test_expect_success 'tm-slotmap -m: a non-UTF-8 ticker is 65 with FILE:LINE' '
	printf "date,ticker,action\n2024-01-02,AAPL,add\n2024-01-02,MS\377FT,add\n" \
	    >m.csv &&
	test_must_fail --status 65 tm-slotmap -l 4,1,1 -m m.csv ok.tmt \
	    >/dev/null 2>err &&
	grep "m.csv:3: ticker is not UTF-8" err
'

test_expect_success 'tm-slotmap -s DIR: 66, a directory, not a JSON error' '
	mkdir st &&
	test_must_fail --status 66 tm-slotmap -l 4,1,1 -s st ok.tmt \
	    >/dev/null 2>err &&
	grep "state st: is a directory" err && ! grep "expected" err
'

test_done
