#!/bin/sh
# tm-slotmap membership changes: reconstitution moves, archive expiry and
# eviction, new and tenure, overflow, and bad membership files.
. "$(dirname "$0")/lib.sh"

D=$TOP/tests/data/slotmap
export D
proj() { tmt-dump | awk -F'\t' '$2 !~ /^[@#]/ {print $1, $2, $5, $6, $7, $3}'; }

test_expect_success 'fixture frames' '
	tmt-mkframes <"$D/recon.frames" >recon.tmt
'

# recon.expect was worked out by hand from recon.csv and the rules in
# man/tm-slotmap.1: removes to archive, adds to the lowest
# free active slot, expiry after 12 months, eviction when the archive is full.
test_expect_success 'reconstitution: moves, new, tenure, expiry, re-adds' '
	tm-slotmap -l 4,2,1 --members "$D/recon.csv" recon.tmt >out.tmt 2>err &&
	proj <out.tmt >got &&
	test_cmp "$D/recon.expect" got
'

test_expect_success 'archive overflow evicts the oldest archived, with a warning' '
	grep "2020-09-01: archive full: BBB (removed 2020-02-29) leaves early to make room for CCC" err &&
	grep "1 archived stocks left the archive early" err
'

test_expect_success 'a stock never changes slot while it stays active' '
	proj <out.tmt | awk "\$1 != d { d = \$1; f++; i = 0 }
	    { if (\$2 != \"-\") print \$2, f, i, \$5; i++ }" | sort -k1,1 -k2,2n >slots &&
	test $(wc -l <slots) -gt 40 &&
	awk "\$1 == t && \$2 == pf + 1 && \$4 == 0 && pr == 0 && \$3 != ps { print; bad = 1 }
	    { t = \$1; pf = \$2; ps = \$3; pr = \$4 } END { exit bad }" slots
'

test_expect_success 'each ticker holds at most one slot a day' '
	proj <out.tmt | awk "\$2 != \"-\"" | cut -d" " -f1,2 | sort | uniq -d >dups &&
	test ! -s dups
'

test_expect_success 'new for 3 months after the add, then 0 (boundary day by day)' '
	printf "fields close\n" >nd.txt &&
	for d in 2023-03-30 2023-03-31 2023-04-03 2023-06-29 2023-06-30 2023-07-03; do
		printf "date %s\nAAA 1\nBBB 1\n" $d >>nd.txt
	done &&
	printf "date,ticker,action\n2022-01-03,AAA,add\n2023-03-31,BBB,add\n" >nd.csv &&
	tmt-mkframes <nd.txt | tm-slotmap -l 2,0,0 --members nd.csv |
	    tmt-dump | awk -F"\t" "\$2 == \"BBB\" {print \$1, \$4, \$5}" >got &&
	cat >expect <<-\EOT &&
	2023-03-31 1 0
	2023-04-03 1 0
	2023-06-29 1 2
	2023-06-30 1 2
	2023-07-03 0 3
	EOT
	test_cmp expect got
'

test_expect_success 'tenure counts whole calendar months (python check)' '
	printf "fields close\n" >tn.txt &&
	for d in 2020-01-31 2020-02-28 2020-02-29 2020-03-01 2020-03-31 2021-01-30 2021-01-31 2024-02-29; do
		printf "date %s\nAAA 1\n" $d >>tn.txt
	done &&
	printf "date,ticker,action\n2020-01-31,AAA,add\n" >tn.csv &&
	tmt-mkframes <tn.txt | tm-slotmap -l 1,0,0 --members tn.csv |
	    tmt-dump | awk -F"\t" "\$2 == \"AAA\" {print \$1, \$5}" >got &&
	/usr/bin/python3 -c "
import datetime, sys
a = datetime.date(2020, 1, 31)
for line in open(\"got\"):
    d, t = line.split()
    b = datetime.date.fromisoformat(d)
    # an independent count: step whole months while they fit
    m = 0
    while True:
        y, mo = divmod(a.month - 1 + m + 1, 12)
        try:
            nxt = datetime.date(a.year + y, mo + 1, a.day)
        except ValueError:
            nxt = datetime.date(a.year + y, mo + 2, 1) if mo < 11 else datetime.date(a.year + y + 1, 1, 1)
        if nxt > b: break
        m += 1
    assert int(float(t)) == m, (d, t, m)
print(\"ok\")
"
'

test_expect_success 'archived 12 months to the day, then the slot is free' '
	printf "fields close ret\n" >ex.txt &&
	for d in 2020-06-01 2021-05-31 2021-06-01; do
		printf "date %s\nAAA 1 0\nBBB 2 0\n" $d >>ex.txt
	done &&
	printf "date,ticker,action\n2020-01-02,AAA,add\n2020-01-02,BBB,add\n2020-06-01,BBB,remove\n" >ex.csv &&
	tmt-mkframes <ex.txt | tm-slotmap -l 2,1,0 --members ex.csv | proj >got &&
	cat >expect <<-\EOT &&
	2020-06-01 AAA 0 4 0 1
	2020-06-01 - nan nan 0 nan
	2020-06-01 BBB 0 -1 1 2
	2021-05-31 AAA 0 16 0 1
	2021-05-31 - nan nan 0 nan
	2021-05-31 BBB 0 -12 1 2
	2021-06-01 AAA 0 16 0 1
	2021-06-01 - nan nan 0 nan
	2021-06-01 - nan nan 1 nan
	EOT
	test_cmp expect got
'

test_expect_success 'a change on a non-frame day applies at the next frame' '
	printf "fields close ret\ndate 2024-03-01\nAAA 1 0\nBBB 2 0\ndate 2024-03-04\nAAA 1 0\nBBB 2 0\n" |
	    tmt-mkframes >we.tmt &&
	printf "date,ticker,action\n2024-01-02,AAA,add\n2024-03-02,BBB,add\n" >we.csv &&
	tm-slotmap -l 2,0,0 --members we.csv we.tmt | proj >got &&
	cat >expect <<-\EOT &&
	2024-03-01 AAA 1 1 0 1
	2024-03-01 - nan nan 0 nan
	2024-03-04 AAA 1 2 0 1
	2024-03-04 BBB 1 0 0 2
	EOT
	test_cmp expect got
'

test_expect_success 'active overflow exits 65 naming file, line, date and ticker' '
	printf "date,ticker,action\n2020-01-02,AAA,add\n2020-01-02,BBB,add\n2020-03-02,CCC,add\n" >of.csv &&
	test_must_fail --status 65 tm-slotmap -l 2,2,0 --members of.csv recon.tmt >/dev/null 2>err &&
	grep "of.csv:4: layout 2,2,0 overflows on 2020-03-02: adding CCC needs an active slot and all 2 are taken" err
'

test_expect_success 'a same-day remove frees the slot an add needs' '
	printf "date,ticker,action\n2020-01-02,AAA,add\n2020-01-02,BBB,add\n2020-03-02,CCC,add\n2020-03-02,AAA,remove\n" >sw.csv &&
	tm-slotmap -l 2,2,0 --members sw.csv recon.tmt | proj | grep "^2020-03-02 " >got &&
	cat >expect <<-\EOT &&
	2020-03-02 CCC 1 0 0 3
	2020-03-02 BBB 1 2 0 2
	2020-03-02 AAA 0 -1 1 1
	2020-03-02 - nan nan 1 nan
	EOT
	test_cmp expect got
'

test_expect_success 'snapshot overflow exits 65' '
	printf "ticker\nA\nB\nC\n" >big.csv &&
	test_must_fail --status 65 tm-slotmap -l 2,0,0 --members big.csv recon.tmt >/dev/null 2>err &&
	grep "big.csv: layout 2,0,0 overflows" err
'

bad() {	# bad NAME CONTENT PATTERN: exit 65 and a message matching PATTERN
	test_expect_success "bad membership: $1" "
		printf '$2' >bad.csv &&
		test_must_fail --status 65 tm-slotmap -l 5,1,1 --members bad.csv recon.tmt >/dev/null 2>err &&
		cat err && grep '$3' err
	"
}
bad 'bad date' 'date,ticker,action\n2020-01-02,AAA,add\n2020-13-02,BBB,add\n' '^tm-slotmap: bad.csv:3: bad date .2020-13-02.$'
bad 'bad action' 'date,ticker,action\n2020-01-02,AAA,add\n\n2020-01-03,BBB,delete\n' '^tm-slotmap: bad.csv:4: action .delete. is not add or remove$'
bad 'empty ticker' 'date,ticker,action\n2020-01-02,,add\n' '^tm-slotmap: bad.csv:2: empty ticker$'
bad 'short record' 'date,ticker,action\n2020-01-02,AAA\n' '^tm-slotmap: bad.csv:2: 2 fields, the header has 3$'
bad 'no ticker column' 'date,symbol,action\n2020-01-02,AAA,add\n' '^tm-slotmap: bad.csv:1: no ticker column'
bad 'action without date column' 'ticker,action\nAAA,add\n' '^tm-slotmap: bad.csv:1: an action column needs a date column$'
bad 'unterminated quote' 'date,ticker,action\n2020-01-02,"AAA,add\n' '^tm-slotmap: bad.csv:2: '
bad 'empty file' '' '^tm-slotmap: bad.csv:1: empty file'
bad 'repeated change' 'date,ticker,action\n2020-01-02,AAA,add\n2020-01-02,AAA,add\n' '^tm-slotmap: bad.csv:3: add of AAA repeats bad.csv:2$'
bad 'remove of a non-member' 'date,ticker,action\n2020-01-02,AAA,add\n2020-03-02,BBB,remove\n' '^tm-slotmap: bad.csv:3: remove of BBB, not a member on 2020-03-02$'
bad 'add of a member' 'date,ticker,action\n2020-01-02,AAA,add\n2020-03-02,AAA,add\n' '^tm-slotmap: bad.csv:3: add of AAA, already a member since 2020-01-02$'
bad 'remove twice' 'date,ticker,action\n2020-01-02,AAA,add\n2020-03-02,AAA,remove\n2020-04-14,AAA,remove\n' '^tm-slotmap: bad.csv:4: remove of AAA, already removed on 2020-03-02$'

test_expect_success 'quoted fields, CRLF, BOM, extra columns and any column order' '
	printf "\357\273\277Action,name,Ticker,Date\r\nadd,\"Triple A, Inc\",AAA,2020-01-02\r\nADD,x,\"BBB\",2020-01-15\r\n" >ok.csv &&
	tm-slotmap -l 2,0,0 --members ok.csv recon.tmt | proj | grep "^2020-01-15 " >got &&
	printf "2020-01-15 AAA 1 0 0 1\n2020-01-15 BBB 1 0 0 2\n" >expect &&
	test_cmp expect got
'

test_expect_success 'missing membership file exits 66' '
	test_must_fail --status 66 tm-slotmap --members nosuch.csv recon.tmt 2>err &&
	grep "nosuch.csv" err
'

test_done
