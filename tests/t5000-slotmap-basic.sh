#!/bin/sh
# tm-slotmap: layouts and their sizes, the output columns, stable slots
# across days, members without a row, snapshots, options and usage.
. "$(dirname "$0")/lib.sh"

# proj: date label new tenure region close, from a dump of close,ret slots.
proj() { tmt-dump | awk -F'\t' '$2 !~ /^[@#]/ {print $1, $2, $5, $6, $7, $3}'; }

test_expect_success 'fixture: three days, rows shuffled, one missing' '
	cat >days.txt <<-\EOT &&
	fields close ret
	date 2024-01-02
	coord turbulence 1.5
	meta source test
	MMM 1 0.01
	AAPL 2 0.02
	ZION 3 0.03
	date 2024-01-03
	ZION 3.1 0.1
	NEWB 9 0.9
	MMM 1.1 0.1
	date 2024-01-04
	AAPL 2.2 0.2
	ZION 3.2 0.2
	MMM 1.2 0.2
	EOT
	tmt-mkframes <days.txt >days.tmt
'

for lay in r1000:1200:1000:100:100 r3000:3600:3000:300:300 \
    5,1,0:6:5:1:0 3,0,2:5:3:0:2; do
	IFS=: read -r name total a r p <<-EOT
	$lay
	EOT
	test_expect_success "layout $name: $total slots, $a/$r/$p by region" "
		tm-slotmap -l $name days.tmt >out.tmt &&
		tmt-dump <out.tmt >dump &&
		test \$(grep -c '^2024-01-02	@meta	.*\"layout\":\"$name\"' dump) = 1 &&
		awk -F'\t' '\$1 == \"2024-01-04\" && \$2 !~ /^[@#]/' dump >rows &&
		test \$(wc -l <rows) = $total &&
		test \$(awk '\$NF == 0' rows | wc -l) = $a &&
		test \$(awk '\$NF == 1' rows | wc -l) = $r &&
		test \$(awk '\$NF == 2' rows | wc -l) = $p
	"
done

test_expect_success 'long option --layout and the default r1000' '
	tm-slotmap --layout=r1000 days.tmt >a.tmt &&
	tm-slotmap <days.tmt >b.tmt &&
	cmp a.tmt b.tmt
'

test_expect_success 'columns: input fields, then new tenure region; F32 slot frames' '
	tm-slotmap -l 4,1,1 days.tmt | tmt-dump >dump &&
	grep "^2024-01-02	@axes	slot feature F32$" dump &&
	grep "^2024-01-02	#	close	ret	new	tenure	region$" dump
'

test_expect_success 'coords and meta carry through' '
	grep "^2024-01-02	@coords	{\"date\":\"2024-01-02\",\"turbulence\":1.5}$" dump &&
	grep "^2024-01-02	@meta	{\"layout\":\"4,1,1\",\"source\":\"test\"}$" dump
'

test_expect_success 'no -m: first-frame snapshot, ticker order, stable slots' '
	tm-slotmap -l 4,1,1 days.tmt | proj >got &&
	cat >expect <<-\EOT &&
	2024-01-02 AAPL 0 0 0 2
	2024-01-02 MMM 0 0 0 1
	2024-01-02 ZION 0 0 0 3
	2024-01-02 - nan nan 0 nan
	2024-01-02 - nan nan 1 nan
	2024-01-02 - nan nan 2 nan
	2024-01-03 AAPL 0 0 0 nan
	2024-01-03 MMM 0 0 0 1.10000002
	2024-01-03 ZION 0 0 0 3.0999999
	2024-01-03 - nan nan 0 nan
	2024-01-03 - nan nan 1 nan
	2024-01-03 - nan nan 2 nan
	2024-01-04 AAPL 0 0 0 2.20000005
	2024-01-04 MMM 0 0 0 1.20000005
	2024-01-04 ZION 0 0 0 3.20000005
	2024-01-04 - nan nan 0 nan
	2024-01-04 - nan nan 1 nan
	2024-01-04 - nan nan 2 nan
	EOT
	test_cmp expect got
'

test_expect_success 'F64 input gives the same slot frames' '
	tmt-mkframes -t F64 <days.txt >days64.tmt &&
	tm-slotmap -l 4,1,1 days64.tmt | proj >got64 &&
	test_cmp got got64
'

test_expect_success 'snapshot CSV: members as of the first frame, never new' '
	printf "ticker,name\nZION,Zions\nMMM,3M\nNEWB,Newbie\n" >snap.csv &&
	tm-slotmap -l 3,1,0 --members snap.csv days.tmt | proj >got &&
	cat >expect <<-\EOT &&
	2024-01-02 MMM 0 0 0 1
	2024-01-02 NEWB 0 0 0 nan
	2024-01-02 ZION 0 0 0 3
	2024-01-02 - nan nan 1 nan
	2024-01-03 MMM 0 0 0 1.10000002
	2024-01-03 NEWB 0 0 0 9
	2024-01-03 ZION 0 0 0 3.0999999
	2024-01-03 - nan nan 1 nan
	2024-01-04 MMM 0 0 0 1.20000005
	2024-01-04 NEWB 0 0 0 nan
	2024-01-04 ZION 0 0 0 3.20000005
	2024-01-04 - nan nan 1 nan
	EOT
	test_cmp expect got
'

test_expect_success 'snapshot plus changes: changes up to the first frame are in it' '
	printf "date,ticker,action\n2023-06-01,MMM,add\n2024-01-02,AAPL,add\n2024-01-03,AAPL,add\n" >chg.csv &&
	tm-slotmap -l 4,1,0 --members snap.csv --members chg.csv days.tmt | proj >got &&
	grep "^2024-01-02 " got | cut -d" " -f2 | tr "\n" " " >names &&
	test "$(cat names)" = "MMM NEWB ZION - - " &&
	grep "^2024-01-03 AAPL 1 0 0 nan$" got
'

test_expect_success 'an input "new" field is filled in place, not appended' '
	cat >nf.txt <<-\EOT &&
	fields new close
	date 2024-01-02
	AAA 7 1
	EOT
	tmt-mkframes <nf.txt | tm-slotmap -l 1,0,0 | tmt-dump >dump &&
	grep "^2024-01-02	#	new	close	tenure	region$" dump &&
	grep "^2024-01-02	AAA	0	1	0	0$" dump
'

test_expect_success 'usage: unknown option and bad layouts exit 64' '
	test_must_fail --status 64 tm-slotmap -q days.tmt 2>err &&
	grep "^usage: tm-slotmap \[-z\] \[-l layout\] \[--members file\] \[-s state\] \[file ...\]$" err &&
	test_must_fail --status 64 tm-slotmap -l r2000 days.tmt 2>err &&
	grep "r2000" err &&
	test_must_fail --status 64 tm-slotmap -l 0,1,1 days.tmt &&
	test_must_fail --status 64 tm-slotmap -l 5,1 days.tmt &&
	test_must_fail --status 64 tm-slotmap -l 5,-1,1 days.tmt
'

test_expect_success 'usage line is the man page SYNOPSIS' '
	mandoc -Tutf8 "$TOP/man/tm-slotmap.1" | col -b |
	    sed -n "/^SYNOPSIS/{n;p;}" | sed "s/^ *//; s/  */ /g" >syn &&
	test_must_fail --status 64 tm-slotmap -q 2>err &&
	sed -n "s/^usage: //p" err >use &&
	test_cmp syn use
'

test_expect_success 'missing input 66, bad stream 65, frames out of order 65' '
	test_must_fail --status 66 tm-slotmap nosuch.tmt &&
	head -c 100 days.tmt >cut.tmt &&
	test_must_fail --status 65 tm-slotmap cut.tmt &&
	test_must_fail --status 65 tm-slotmap days.tmt days.tmt 2>err &&
	grep "frame 2024-01-02 is not after 2024-01-04" err
'

test_expect_success 'fields changing between frames is bad data' '
	printf "fields a\ndate 2024-01-02\nX 1\nfields b\ndate 2024-01-03\nX 1\n" |
	    tmt-mkframes >chf.tmt &&
	test_must_fail --status 65 tm-slotmap -l 1,0,0 chf.tmt 2>err &&
	grep "fields differ" err
'

test_expect_success '-z writes deflated frames with the same content' '
	tm-slotmap -z -l 4,1,1 days.tmt >z.tmt &&
	tm-slotmap -l 4,1,1 days.tmt >r.tmt &&
	test $(wc -c <z.tmt) -lt $(wc -c <r.tmt) &&
	tmt-dump <z.tmt >zd && tmt-dump <r.tmt >rd && test_cmp rd zd
'

test_done
