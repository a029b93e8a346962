#!/bin/sh
# tm-cat output formats: TMT pass-through, text, CSV, TSV and JSON lines,
# and the CSV round trip (import, print, import) that must keep F64 values
# bit for bit and F32 values to float precision.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
export PY
D=$TOP/tests/data/cat
export D

test_expect_success 'import a price CSV' '
	tm-cat --import "$D/prices.csv" >p.tmt &&
	tmt_np.py read <p.tmt
'

test_expect_success 'no -o in a pipe writes TMT, byte for byte the input' '
	tm-cat --import "$D/prices.csv" >p.tmt &&
	tm-cat p.tmt >copy.tmt &&
	cmp p.tmt copy.tmt &&
	tm-cat -o tmt <p.tmt >copy2.tmt &&
	cmp p.tmt copy2.tmt
'

test_expect_success '-o csv gives back the CSV that was imported' '
	tm-cat --import "$D/prices.csv" | tm-cat -o csv >out.csv &&
	test_cmp "$D/prices.csv" out.csv
'

test_expect_success '-o tsv is the CSV with tabs' '
	tr , "	" <"$D/prices.csv" >want.tsv &&
	tm-cat --import -o tsv "$D/prices.csv" >out.tsv &&
	test_cmp want.tsv out.tsv
'

test_expect_success '-o json: one object per row, NaN as null' '
	tm-cat --import -o json "$D/prices.csv" >out.json &&
	test $(wc -l <out.json) = 7 &&
	$PY -c "
import json, sys
rows = [json.loads(l) for l in open(\"out.json\")]
assert rows[0] == {\"date\": \"2024-06-03\", \"ticker\": \"AAPL\", \"open\": 192.9,
    \"high\": 194.99, \"low\": 192.52, \"close\": 194.03, \"volume\": 50080500}, rows[0]
assert rows[6][\"ticker\"] == \"NVDA\" and rows[6][\"volume\"] is None
assert [r[\"date\"] for r in rows] == [\"2024-06-03\"] * 2 + [\"2024-06-04\"] * 2 + [\"2024-06-05\"] * 3
"
'

test_expect_success '-o text: one aligned table per frame, NaN spelled out' '
	tm-cat --import -o text "$D/prices.csv" >out.txt &&
	grep -q "^2024-06-05  F64 \[ticker 3, field 5\]$" out.txt &&
	grep -q "^NVDA  *1186.61  *1224.92  *1167.14  *1224.4  *NaN$" out.txt &&
	# every line of a table has the same width: the columns are aligned
	sed -n "/^2024-06-05/,\$p" out.txt | sed 1d | awk "{ print length }" |
	    sort -u >widths &&
	test $(wc -l <widths) = 1
'

test_expect_success 'deflate output (-z) reads back to the same values' '
	tm-cat --import "$D/prices.csv" >p.tmt &&
	tm-cat -z p.tmt >z.tmt &&
	grep -q "\"encoding\":\"deflate\"" z.tmt &&
	tmt_np.py read <z.tmt &&
	tm-cat z.tmt >raw.tmt &&
	cmp p.tmt raw.tmt
'

# Awkward doubles: shortest text must still read back bit for bit.
cat >"$TRASH/gen.py" <<'PYEOF'
import random, struct, sys
random.seed(7)
vals = [0.1 + 0.2, 1 / 3, 2.0 ** -1074, 1.7976931348623157e308, -0.0, 5e-324,
        123456789.123456789, 1e21, 1e-7, 100.0, -2.5e-310]
vals += [struct.unpack("<d", struct.pack("<Q", random.getrandbits(62)))[0]
         for _ in range(300)]
vals += [random.uniform(-1e6, 1e6) for _ in range(300)]
vals = [v for v in vals if v == v and abs(v) != float("inf")]
if sys.argv[1:] == ["f32"]:
    vals = [v if abs(v) < 3e38 else v / 1e300 for v in vals]
print("ticker,date,x,y")
for i, v in enumerate(vals):
    print("T%d,2020-01-%02d,%r,%r" % (i % 50, 1 + i // 50 % 28, v, -v))
PYEOF

test_expect_success 'F64 round trip is exact (repr of awkward doubles)' '
	$PY gen.py >awk.csv &&
	tm-cat --import awk.csv >a.tmt &&
	tm-cat -o csv a.tmt >b.csv &&
	tm-cat --import b.csv >b.tmt &&
	cmp a.tmt b.tmt &&
	$PY -c "
import csv, struct
def bits(s): return struct.pack(\"<d\", float(s))
a = {(r[\"date\"], r[\"ticker\"]): r for r in csv.DictReader(open(\"awk.csv\"))}
n = 0
for r in csv.DictReader(open(\"b.csv\")):
    w = a[(r[\"date\"], r[\"ticker\"])]
    for k in \"xy\":
        assert bits(r[k]) == bits(w[k]), (r[k], w[k]); n += 1
assert n == 2 * len(a), n
"
'

test_expect_success 'F32 round trip keeps float32 values exactly' '
	$PY gen.py f32 >awk.csv &&
	tm-cat --import --dtype F32 awk.csv >a.tmt &&
	grep -q "\"dtype\":\"F32\"" a.tmt &&
	tm-cat -o csv a.tmt >b.csv &&
	tm-cat --import --dtype F32 b.csv >b.tmt &&
	cmp a.tmt b.tmt &&
	$PY -c "
import csv, numpy as np
a = {(r[\"date\"], r[\"ticker\"]): r for r in csv.DictReader(open(\"awk.csv\"))}
for r in csv.DictReader(open(\"b.csv\")):
    w = a[(r[\"date\"], r[\"ticker\"])]
    for k in \"xy\":
        with np.errstate(over=\"ignore\"):
            want = np.float32(float(w[k]))
        got = np.float32(r[k])
        assert want == got and want.tobytes() == got.tobytes(), (r[k], w[k])
        assert len(r[k]) <= 15, r[k]
"
'

# Short decimals take the importer's fast path (m / 10^k): check its bits
# against Python's correctly rounded float() and numpy's float32, reading
# the stream with the independent tmt_np.py reader.
cat >"$TRASH/short.py" <<'PYEOF'
import random
random.seed(11)
print("date,ticker,v")
for i in range(4000):
    digits = random.randint(1, 17)
    m = random.randrange(10 ** digits)
    k = random.randint(0, min(digits, 12))
    s = str(m).rjust(k + 1, "0")
    s = (s[:-k] + "." + s[-k:]) if k else s
    if random.random() < 0.3:
        s = "-" + s
    print("2020-01-%02d,T%d,%s" % (1 + i % 28, i // 28, s))
PYEOF

for dt in F64 F32; do
	test_expect_success "short decimals import exactly as $dt" "
		\$PY short.py >short.csv &&
		tm-cat --import --dtype $dt short.csv >s.tmt &&
		\$PY -c \"
import csv, sys, numpy as np
import tmt_np
want = {}
for r in csv.DictReader(open('short.csv')):
    want[(r['date'], r['ticker'])] = r['v']
n = 0
for h, a in tmt_np.frames(open('s.tmt', 'rb')):
    for i, t in enumerate(h['labels']['ticker']):
        w = want[(h['coords']['date'], t)]
        x = np.float64(float(w)) if '$dt' == 'F64' else np.float32(w)
        assert a[i, 0].tobytes() == x.tobytes(), (w, a[i, 0], x)
        n += 1
assert n == 4000, n
\"
	"
done

test_expect_success 'labels with commas and quotes are quoted in CSV' '
	printf "date,ticker,v\n2024-01-02,\"A,B\",1\n2024-01-02,\"say \"\"hi\"\"\",2\n" >q.csv &&
	tm-cat --import -o csv q.csv >out.csv &&
	test_cmp q.csv out.csv
'

test_expect_success 'text output escapes control characters of labels (\\xNN); csv keeps them' '
	printf "date,ticker,close\\n2024-01-02,A\\001B\\033[2J,1\\n" >ctl.csv &&
	tm-cat --import ctl.csv >ctl.tmt &&
	tm-cat -o text ctl.tmt >out.txt &&
	grep -F "A\\x01B\\x1b[2J" out.txt &&
	tr -d "\\n" <out.txt | LC_ALL=C grep -vq "[[:cntrl:]]" &&
	tm-cat -o csv ctl.tmt | grep -q "$(printf "A\\001B")"
'

test_done
