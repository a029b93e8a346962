#!/bin/sh
# tm-cat --import: the unquoted fast path and libcsv (TM_CSVIMP_LIBCSV=1
# sends every line through libcsv) give the same frames, messages and exit
# status on quoted and unquoted lines mixed, CRLF, a BOM (dropped), blanks,
# empty fields and lines, a quoted newline, chunk-sized inputs; and a .gz
# reads as the CSV inside it.
. "$(dirname "$0")/lib.sh"

# both FILE [ARGS]: the two paths' stdout, stderr and status, compared.
both() {
	f=$1; shift
	set +e
	tm-cat --import "$@" "$f" >fast.out 2>fast.err; echo $? >fast.rc
	TM_CSVIMP_LIBCSV=1 tm-cat --import "$@" "$f" >slow.out 2>slow.err
	echo $? >slow.rc
	set -e
	cmp fast.out slow.out && cmp fast.err slow.err && cmp fast.rc slow.rc
}

test_expect_success 'quoted and unquoted lines mixed, CRLF, empty fields' '
	printf "date,ticker,a,b\r\n2024-06-03,A,1,\r\n\"2024-06-03\",\"B\",\"2\",3\r\n2024-06-04,A,,4\n\r\n2024-06-04,\"B,x\",5,6\n2024-06-04,C,7,8" >in.csv &&
	both in.csv && test "$(cat fast.rc)" = 0 &&
	tm-cat -o csv fast.out >out &&
	grep -q "^2024-06-04,\"B,x\",5,6$" out && grep -q "^2024-06-04,C,7,8$" out
'

test_expect_success 'a BOM, blanks around fields, a quoted newline in a label' '
	printf "\357\273\277date,ticker,v\n2024-06-03, A ,1\n2024-06-03,\"B\nC\",\t2\n2024-06-03,D,3\n" >in.csv &&
	both in.csv && test "$(cat fast.rc)" = 0 && ! test -s fast.err &&
	mv fast.out bom.out &&
	printf "date,ticker,v\n2024-06-03, A ,1\n2024-06-03,\"B\nC\",\t2\n2024-06-03,D,x\n" >in2.csv &&
	both in2.csv && grep -q ":5: column" fast.err &&
	printf "date,ticker,v\n2024-06-03, A ,1\n2024-06-03,\"B\nC\",\t2\n2024-06-03,D,3\n" >in3.csv &&
	both in3.csv && test "$(cat fast.rc)" = 0 &&
	tm-cat -o csv fast.out | grep -q "^2024-06-03,A,1$" &&
	cmp bom.out fast.out
'

test_expect_success 'refused inputs: the same message from both paths' '
	for t in "date,ticker,v\n2024-06-03,A,1,2\n" \
	    "date,ticker,v\n2024-6-03,A,1\n" "date,ticker,v\n2024-06-03,A\n" \
	    "date,ticker,v\n2024-06-03,A,1\n2024-06-03,A,2\n" \
	    "date,ticker,v\r\n\r\n2024-06-03,\"A\",1\r\n2024-06-03,B,y\r\n" \
	    "date,date,v\n" "ticker,v\n" "" "date,ticker,v\n"; do
		printf "$t" >bad.csv && both bad.csv &&
		test "$(cat fast.rc)" = 65 || return 1
	done
'

test_expect_success 'random mixes of quotes, commas, blanks, CR and LF' '
	i=0 &&
	while [ $i -lt 200 ]; do
		awk -v seed=$i "BEGIN { srand(seed); n = 2 + int(rand() * 30);
		    split(\"A B \\\"C\\\" \\\"D,E\\\" F\", lab, \" \");
		    printf \"date,ticker,v,w\\n\";
		    for (k = 0; k < n; k++) {
			d = sprintf(\"2024-06-%02d\", 1 + int(rand() * 3));
			if (rand() < 0.2) d = \"\\\"\" d \"\\\"\";
			v = int(rand() * 100) / 4; w = \"\";
			if (rand() < 0.5) w = rand() < 0.5 ? \"NA\" : 7;
			if (rand() < 0.1) v = \" \" v;
			if (rand() < 0.1) v = \"\\\"\" v \"\\\"\";
			eol = rand() < 0.3 ? \"\\r\\n\" : \"\\n\";
			if (rand() < 0.05) eol = eol eol;
			printf \"%s,%s,%s,%s%s\", d, lab[1 + int(rand() * 5)], v, w, eol
		    } }" >r.csv &&
		both r.csv || { cat r.csv; return 1; }
		i=$((i + 1))
	done
'

test_expect_success 'lines across the 1 MiB read chunks, with and without quotes' '
	awk "BEGIN { print \"date,ticker,v\";
	    for (k = 0; k < 60000; k++) printf \"2024-%02d-%02d,%s%d,%d.25\\n\",
	    1 + k % 12, 1 + k % 28, (k % 7 ? \"T\" : \"\\\"T\"), k, k }" |
	    sed "s/\\(\"T[0-9]*\\)/\\1\"/" >big.csv &&
	both big.csv && test "$(cat fast.rc)" = 0 &&
	test "$(tm-cat -o csv fast.out | wc -l)" = 60001
'

test_expect_success 'a .gz (two members) reads as the CSV inside it' '
	printf "date,ticker,v\n2024-06-03,A,1\n" | gzip -c >in.gz &&
	printf "2024-06-04,A,2\n" | gzip -c >>in.gz &&
	printf "date,ticker,v\n2024-06-03,A,1\n2024-06-04,A,2\n" >in.csv &&
	tm-cat --import in.csv >want &&
	tm-cat --import in.gz >out && cmp want out &&
	tm-cat --import - <in.gz >out && cmp want out
'

test_expect_success 'a truncated or corrupt .gz exits 65' '
	awk "BEGIN { print \"date,ticker,v\";
	    for (k = 0; k < 5000; k++) printf \"2024-06-03,T%d,%d\\n\", k, k }" |
	    gzip -c >g.gz &&
	head -c 2000 g.gz >t.gz &&
	{ tm-cat --import t.gz >out 2>err; test $? = 65; } &&
	grep -q "truncated gzip" err &&
	{ head -c 20 g.gz; printf "XXXXXXXX"; tail -c +29 g.gz; } >c.gz &&
	{ tm-cat --import c.gz >out 2>err; test $? = 65; } &&
	grep -q "gzip" err
'

test_done
