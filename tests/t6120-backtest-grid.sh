#!/bin/sh
# tm-backtest --grid: every sma set once, the best line equal to a single
# --strategy run with its parameters (which goes through the whole slot
# stream), the Deflated Sharpe Ratio against an independent computation,
# --dsr over merged lines, and pipelines/sweep.sh on two local job slots
# giving the same lines and the same best as one process.
. "$(dirname "$0")/lib.sh"

test_need_numpy

test_expect_success 'setup: 600 days of five tickers, a grid' '
	tmt-slots -n 5 -a 0 -p 0 -d 600 -k 0 -s 11 >slots.tmt &&
	printf "# two ranges\nfast=2:30 slow=2:60\n\nfast=5 slow=100 size=0.5\n" \
	    >grid.txt
'

test_expect_success 'one line per set with fast < slow' '
	tm-backtest -q --grid grid.txt -t S00002 --metrics sum.json \
	    slots.tmt >lines &&
	"$PY" - <<-PYEOF
	import json
	L = [json.loads(l) for l in open("lines")]
	want = [(f, s, 1.0) for f in range(2, 31) for s in range(2, 61) if f < s]
	want.append((5, 100, 0.5))
	assert [(l["fast"], l["slow"], l["size"]) for l in L] == want
	assert all(l["days"] == 598 for l in L)
	assert all(l["ticker"] == "S00002" for l in L)
	PYEOF
'

test_expect_success 'the best line equals a single run with its parameters' '
	"$PY" -c "import json; b = json.load(open(\"sum.json\"))[\"best\"]
print(\"sma:fast=%d,slow=%d,size=%g\" % (b[\"fast\"], b[\"slow\"], b[\"size\"]))" \
	    >spec &&
	tm-backtest -q --strategy "$(cat spec)" -t S00002 --metrics one.json \
	    slots.tmt >one.tmt &&
	"$PY" - <<-PYEOF
	import json
	L = [json.loads(l) for l in open("lines")]
	s = json.load(open("sum.json")); one = json.load(open("one.json"))
	top = max(l["sharpe"] for l in L)
	best = min((l for l in L if l["sharpe"] == top),
	           key=lambda l: json.dumps(l, sort_keys=True))
	assert best == s["best"], (best, s["best"])
	keys = [k for k in best if k not in ("ticker", "fast", "slow", "size")]
	assert len(keys) >= 12
	for k in keys:
	    assert repr(best[k]) == repr(one[k]), (k, best[k], one[k])
	PYEOF
'

test_expect_success 'the Deflated Sharpe Ratio, computed independently' '
	"$PY" - <<-PYEOF
	import json, math
	from statistics import NormalDist
	N = NormalDist()
	L = [json.loads(l) for l in open("lines")]
	s = json.load(open("sum.json"))
	sr = [l["sharpe"] / math.sqrt(252) for l in L]
	n = len(sr); mu = sum(sr) / n
	var = sum((x - mu) ** 2 for x in sr) / (n - 1)
	g = 0.5772156649015329
	sr0 = math.sqrt(var) * ((1 - g) * N.inv_cdf(1 - 1 / n) +
	                        g * N.inv_cdf(1 - 1 / (n * math.e)))
	b = s["best"]; srb = b["sharpe"] / math.sqrt(252)
	z = (srb - sr0) * math.sqrt(b["days"] - 1) / math.sqrt(
	    1 - b["skew"] * srb + (b["kurtosis"] - 1) / 4 * srb ** 2)
	assert s["trials"] == n
	assert abs(s["sr0"] - sr0 * math.sqrt(252)) < 1e-9, (s["sr0"], sr0)
	assert abs(s["dsr"] - N.cdf(z)) < 1e-9, (s["dsr"], N.cdf(z))
	assert 0 <= s["dsr"] <= 1
	PYEOF
'

test_expect_success '--dsr over the lines gives the same summary' '
	tm-backtest --dsr lines >again.json &&
	"$PY" -c "import json, sys
a = json.load(open(\"sum.json\")); b = json.load(open(\"again.json\"))
sys.exit(a != b)"
'

test_expect_success 'sweep.sh on two job slots: the same lines and best' '
	command -v parallel >/dev/null || { echo "no GNU parallel"; exit 1; }
	"$TOP/pipelines/sweep.sh" -j 2 -m swsum.json -t S00002 -g grid.txt \
	    slots.tmt >swlines &&
	sort lines >a && sort swlines >b && test_cmp a b &&
	"$PY" -c "import json, sys
a = json.load(open(\"sum.json\")); b = json.load(open(\"swsum.json\"))
sys.exit(a != b)"
'

test_expect_success 'three tickers (-t thrice, --tickers): per ticker the lines of its own grid, in order' '
	printf "S00004\n# a comment\n\nS00002\n S00000 \n" >tk.txt &&
	tm-backtest -q --grid grid.txt --tickers tk.txt --metrics msum.json \
	    slots.tmt >mlines &&
	tm-backtest -q --grid grid.txt -t S00004 -t S00002 -t S00000 \
	    slots.tmt >mlines2 &&
	test_cmp mlines mlines2 &&
	for t in S00004 S00000; do
		tm-backtest -q --grid grid.txt -t $t slots.tmt >"lines.$t" ||
		    return 1
	done &&
	cat lines.S00004 lines lines.S00000 >want && test_cmp want mlines &&
	tm-backtest --dsr mlines >mdsr.json &&
	"$PY" -c "import json, sys
a = json.load(open(\"msum.json\")); b = json.load(open(\"mdsr.json\"))
assert a == b and a[\"trials\"] == 3 * 1277, a[\"trials\"]
sys.exit(0)"
'

test_expect_success 'each line of a several-ticker grid equals a single run' '
	"$PY" - >specs <<-PYEOF
	import json
	L = [json.loads(l) for l in open("mlines")]
	for i in (0, 700, 1277 + 99, 3 * 1277 - 1):
	    l = L[i]
	    print(i, l["ticker"], "sma:fast=%d,slow=%d,size=%g" % (l["fast"], l["slow"], l["size"]))
	PYEOF
	while read -r i t spec; do
		tm-backtest -q --strategy "$spec" -t "$t" --metrics "one.$i.json" \
		    slots.tmt >/dev/null || return 1
	done <specs &&
	"$PY" - <<-PYEOF
	import json
	L = [json.loads(l) for l in open("mlines")]
	for ln in open("specs"):
	    i = int(ln.split()[0])
	    one = json.load(open("one.%d.json" % i))
	    keys = [k for k in L[i] if k not in ("ticker", "fast", "slow", "size")]
	    assert len(keys) >= 12
	    for k in keys:
	        assert repr(L[i][k]) == repr(one[k]), (i, k, L[i][k], one[k])
	PYEOF
'

test_expect_success 'a ticker twice (64), --tickers with -t (64), -t twice without --grid (64)' '
	test_must_fail --status 64 tm-backtest -q --grid grid.txt -t S00002 \
	    -t S00002 slots.tmt >out 2>err &&
	grep -q "S00002: given twice" err && ! test -s out &&
	test_must_fail --status 64 tm-backtest -q --grid grid.txt -t S00002 \
	    --tickers tk.txt slots.tmt >/dev/null &&
	test_must_fail --status 64 tm-backtest -q --strategy sma -t S00002 \
	    -t S00004 slots.tmt >/dev/null &&
	printf "S00002\nNOPE\n" >tk2.txt &&
	test_must_fail --status 65 tm-backtest -q --grid grid.txt \
	    --tickers tk2.txt slots.tmt >out 2>err &&
	grep -q "NOPE: not in the slot stream" err && ! test -s out
'

test_expect_success 'a bad grid line is named (65), an absent ticker too' '
	printf "fast=2:5 slow=10\nfats=3\n" >bad.txt &&
	test_must_fail --status 65 tm-backtest -q --grid bad.txt -t S00002 \
	    slots.tmt >/dev/null 2>err &&
	grep -q "bad.txt:2:" err &&
	test_must_fail --status 65 tm-backtest -q --grid grid.txt -t NOPE \
	    slots.tmt >/dev/null &&
	test_must_fail --status 64 tm-backtest -q --grid grid.txt slots.tmt
'
test_done
