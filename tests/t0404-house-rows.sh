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

test_expect_success 'tm-slotmap --members: a non-UTF-8 ticker is 65 with FILE:LINE' '
	printf "date,ticker,action\n2024-01-02,AAPL,add\n2024-01-02,MS\377FT,add\n" \
	    >m.csv &&
	test_must_fail --status 65 tm-slotmap -l 4,1,1 --members m.csv ok.tmt \
	    >/dev/null 2>err &&
	grep "m.csv:3: ticker is not UTF-8" err
'

test_expect_success 'tm-slotmap -s DIR: 66, a directory, not a JSON error' '
	mkdir st &&
	test_must_fail --status 66 tm-slotmap -l 4,1,1 -s st ok.tmt \
	    >/dev/null 2>err &&
	grep "state st: is a directory" err && ! grep "expected" err
'

test_expect_success 'tm-slotmap -s: a second run on the same state is 75' '
	tm-slotmap -l 4,1,1 -s s.json ok.tmt >/dev/null &&
	test -f s.json && cp s.json before &&
	test_must_fail --status 75 flock .s.json.lock \
	    tm-slotmap -l 4,1,1 -s s.json ok.tmt >/dev/null 2>err &&
	grep "state s.json: another tm-slotmap is using it" err &&
	cmp before s.json
'

test_expect_success 'tm-slotmap -s: temporary files of a killed run are removed' '
	: >.s.json.aB3dE9 && : >.other.json.aB3dE9 &&
	tm-slotmap -l 4,1,1 -s s.json ok.tmt >/dev/null 2>err &&
	grep "removed 1 temporary files of an interrupted run" err &&
	test ! -e .s.json.aB3dE9 && test -e .other.json.aB3dE9 &&
	test -e .s.json.lock && test -s s.json
'

test_done
