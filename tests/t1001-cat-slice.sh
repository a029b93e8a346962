#!/bin/sh
# tm-cat slices and merges: --from/--to, -r, -k, --last, folders walked in
# path (date) order, several inputs as one stream, --info.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
export PY
D=$TOP/tests/data/cat
export D

tm-cat --import "$D/prices.csv" >"$TRASH/p.tmt"

# rows FILE: the CSV without its header
rows() { sed 1d "$1"; }

test_expect_success '--from and --to are inclusive' '
	tm-cat --from 2024-06-04 --to 2024-06-04 -o csv p.tmt >out &&
	grep "^2024-06-04," "$D/prices.csv" >want &&
	rows out >got &&
	test_cmp want got &&
	tm-cat --from 2024-06-04 -o csv p.tmt | rows /dev/stdin >got &&
	grep -e "^2024-06-04," -e "^2024-06-05," "$D/prices.csv" >want &&
	test_cmp want got &&
	tm-cat --to 2024-06-03 -o csv p.tmt | rows /dev/stdin >got &&
	grep "^2024-06-03," "$D/prices.csv" >want &&
	test_cmp want got
'

test_expect_success 'a bad --from date is a usage error' '
	test_must_fail --status 64 tm-cat --from 2024-13-01 p.tmt
'

test_expect_success '-k picks fields in the order given' '
	tm-cat -k volume,open -o csv p.tmt >out &&
	head -1 out >got && echo date,ticker,volume,open >want &&
	test_cmp want got &&
	grep -q "^2024-06-03,MSFT,17484700,415.53$" out
'

test_expect_success '-k with an unknown field fails naming it' '
	test_must_fail --status 65 tm-cat -k open,nosuch -o csv p.tmt 2>err &&
	grep -q "nosuch" err
'

test_expect_success '-r picks rows in the order given; absent rows are skipped' '
	tm-cat -r NVDA,AAPL -k close -o csv p.tmt >out &&
	cat >want <<-\EOT &&
	date,ticker,close
	2024-06-03,AAPL,194.03
	2024-06-04,AAPL,194.35
	2024-06-05,NVDA,1224.4
	2024-06-05,AAPL,195.87
	EOT
	test_cmp want out
'

test_expect_success 'a sliced stream is a valid TMT stream' '
	tm-cat -r MSFT -k close p.tmt >s.tmt &&
	tmt_np.py read <s.tmt &&
	tm-cat -o csv s.tmt >out &&
	test $(wc -l <out) = 4
'

test_expect_success '--last N keeps the last N frames' '
	tm-cat --last 2 -o csv p.tmt | rows /dev/stdin >got &&
	grep -v -e "^2024-06-03," -e ^date "$D/prices.csv" >want &&
	test_cmp want got &&
	tm-cat --last 10 -o csv p.tmt | rows /dev/stdin >got &&
	rows "$D/prices.csv" >want &&
	test_cmp want got
'

test_expect_success '--last 3 of a 3000-frame stream' '
	$PY -c "
import datetime
d = datetime.date(2000, 1, 3)
print(\"date,ticker,a\")
for i in range(3000):
    print(\"%s,X,%d\" % (d + datetime.timedelta(days=i), i))
" >long.csv &&
	tm-cat --import long.csv >long.tmt &&
	tm-cat --last 3 -o csv long.tmt >out &&
	tail -1 out >got &&
	$PY -c "import datetime; print(\"%s,X,2999\" % (datetime.date(2000, 1, 3) + datetime.timedelta(days=2999)))" >want &&
	test_cmp want got &&
	test $(wc -l <out) = 4
'

test_expect_success 'a folder is walked in path order, dot files skipped' '
	mkdir -p raw/2024/06 raw/2023/12 raw/.trash &&
	for d in 2024-06-04 2023-12-29 2024-06-03 2024-06-05; do
		y=${d%%-*} && md=${d#*-} && m=${md%-*} && dd=${md#*-} &&
		{ echo date,ticker,v && echo $d,X,$dd; } >one.csv &&
		tm-cat --import one.csv >raw/$y/$m/$dd.tmt || exit 1
	done &&
	cp raw/2024/06/03.tmt raw/2024/06/.04.tmt &&
	cp raw/2024/06/03.tmt raw/.trash/01.tmt &&
	echo junk >raw/2024/06/README &&
	tm-cat -o csv raw >out &&
	cat >want <<-\EOT &&
	date,ticker,v
	2023-12-29,X,29
	2024-06-03,X,3
	2024-06-04,X,4
	2024-06-05,X,5
	EOT
	test_cmp want out &&
	tm-cat raw >merged.tmt &&
	tmt_np.py read <merged.tmt
'

test_expect_success 'tm-cat a b equals cat a b | tm-cat, byte for byte' '
	tm-cat --to 2024-06-04 p.tmt >a.tmt &&
	tm-cat --from 2024-06-05 p.tmt >b.tmt &&
	tm-cat a.tmt b.tmt >ab1 &&
	cat a.tmt b.tmt | tm-cat >ab2 &&
	cmp ab1 ab2 &&
	cmp ab1 p.tmt &&
	cat a.tmt b.tmt | tm-cat - >ab3 &&
	cmp ab1 ab3
'

test_expect_success '--info: one JSON header per frame with its byte offset' '
	tm-cat --info p.tmt >info &&
	test $(wc -l <info) = 3 &&
	$PY -c "
import json
f = open(\"p.tmt\", \"rb\").read()
for l in open(\"info\"):
    h = json.loads(l)
    assert h[\"file\"] == \"p.tmt\"
    assert f[h[\"offset\"]:h[\"offset\"] + 4] == b\"\\x89TMT\", h[\"offset\"]
    assert h[\"dtype\"] == \"F64\" and h[\"axes\"] == [\"ticker\", \"field\"]
    assert h[\"labels\"][\"field\"] == [\"open\", \"high\", \"low\", \"close\", \"volume\"]
print(h[\"coords\"][\"date\"], h[\"shape\"], h[\"seq\"])
" >got &&
	echo "2024-06-05 [3, 5] 2" >want &&
	test_cmp want got
'

test_done
