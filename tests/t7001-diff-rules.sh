#!/bin/sh
# tm-diff's rules on small hand-made portfolios: each rule fires, its
# reason shows, and the rows it does not touch keep the policy's numbers;
# the sizing modes against numbers computed here; the warnings.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

RULES=position,sector,cash,trades,stoploss,timestop,portstop,riskoff,riskstop,archive,noprice,delist
# only RULE: --off for every rule but RULE.
only() {
	echo "$RULES" | tr , '\n' | grep -vx "$1" | paste -sd, -
}

# slots DAYS...: a slot stream from "date D [turb]" and "TICKER close ret
# region" lines on stdin (tmt-mkframes).
slots() {
	{ echo "axes slot field"; echo "fields close ret region"; cat; } |
	    tmt-mkframes -t F32
}
weights() {
	{ echo "axes slot field"; echo "fields weight confidence"; cat; } |
	    tmt-mkframes -t F32
}
# rows REC.TMT: "ticker action target current reason-name" lines.
rows() {
	tm-cat -o csv "$1" >rows.csv &&
	tm-cat --info "$1" | sed 's/.*"reasons":"\([^"]*\)".*/\1/' >names &&
	awk -F, -v names="$(cat names)" '
	BEGIN { n = split(names, r, ",") }
	NR > 1 { printf "%s %d %.6g %.6g %s\n", $2, $3, $4, $5, r[$10 + 1] }' rows.csv
}
# acts REC.TMT: "ticker action reason-name" lines.
acts() {
	rows "$1" | awk "{ print \$1, \$2, \$5 }"
}
meta() {
	tm-cat --info "$1" | sed "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/"
}

test_expect_success 'setup: one day of five stocks' '
	slots >day1.tmt <<-\EOF &&
	date 2024-01-02
	coord turbulence 10
	AAA 100 0.01 0
	BBB 50 0.00 0
	CCC 20 -0.01 0
	DDD 10 0.02 0
	EEE 5 0.01 1
	EOF
	cat >sec.csv <<-\EOF
	ticker,sector
	AAA,Tech
	BBB,Tech
	CCC,Tech
	DDD,Energy
	EOF
'

test_expect_success 'threshold: BUY above it, HOLD below, policy reason' '
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.94
	AAA 0.05 0
	BBB 0.01 0
	CCC 0 0
	DDD 0 0
	EEE 0 0
	EOF
	tm-diff -s s1 --off all --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	echo "AAA 1 0.05 0 policy" >want &&
	test_cmp want got &&
	tm-diff -s s1b --off all --threshold 0.005 --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.05 0 policy\nBBB 1 0.01 0 policy\n" >want &&
	test_cmp want got
'

test_expect_success 'weights by ticker in any order (tm-strategy); unknown tickers ignored' '
	printf "axes ticker field\nfields weight confidence\ndate 2024-01-02\ncoord cash 0.8\nDDD 0.05 0\nXXX 0.1 0\nAAA 0.05 0\n" |
	    tmt-mkframes -t F32 >tw.tmt &&
	tm-diff -s st0 --off all --slots day1.tmt tw.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.05 0 policy\nDDD 1 0.05 0 policy\n" >want &&
	test_cmp want got &&
	grep -q "\"target\": 0.05" st0/portfolio.json &&
	"$PY" -c "import json; s = json.load(open(\"st0/portfolio.json\"))
assert abs(s[\"pending_cash\"] - 0.9) < 1e-7, s[\"pending_cash\"]"
'

test_expect_success 'position: at most 10% in one stock' '
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.5
	AAA 0.3 0
	BBB 0.05 0
	CCC 0.15 0
	DDD 0 0
	EEE 0 0
	EOF
	tm-diff -s s2 --off $(only position) --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.1 0 position\nBBB 1 0.05 0 policy\nCCC 1 0.1 0 position\n" >want &&
	test_cmp want got &&
	test "$(meta r.tmt fired)" = position:2 &&
	tm-diff -s s2b --off $(only position) --max-position 0.2 \
	    --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt | head -n 1 >got &&
	echo "AAA 1 0.2 0 position" >want &&
	test_cmp want got
'

test_expect_success 'sector: at most 30% in one sector, scaled together' '
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.25
	AAA 0.3 0
	BBB 0.15 0
	CCC 0.15 0
	DDD 0.15 0
	EEE 0 0
	EOF
	tm-diff -s s3 --off $(only sector) --sectors sec.csv --slots day1.tmt \
	    w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.15 0 sector\nBBB 1 0.075 0 sector\nCCC 1 0.075 0 sector\nDDD 1 0.15 0 policy\n" >want &&
	test_cmp want got &&
	tm-diff -s s3b --off $(only sector) --slots day1.tmt w.tmt >r.tmt &&
	test "$(meta r.tmt fired)" = ""
'

test_expect_success 'cash: at least 10% in cash' '
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.04
	AAA 0.32 0
	BBB 0.32 0
	CCC 0.16 0
	DDD 0.16 0
	EEE 0 0
	EOF
	tm-diff -s s4 --off $(only cash) --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.3 0 cash\nBBB 1 0.3 0 cash\nCCC 1 0.15 0 cash\nDDD 1 0.15 0 cash\n" >want &&
	test_cmp want got
'

test_expect_success 'archive: no BUY for an archived slot' '
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.9
	AAA 0.05 0
	BBB 0 0
	CCC 0 0
	DDD 0 0
	EEE 0.05 0
	EOF
	tm-diff -s s5 --off $(only archive) --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.05 0 policy\nEEE 0 0 0 archive\n" >want &&
	test_cmp want got
'

test_expect_success 'noprice: no trade without a price today' '
	slots >np.tmt <<-\EOF &&
	date 2024-01-02
	AAA 100 0.01 0
	BBB nan nan 0
	EOF
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.9
	AAA 0.05 0
	BBB 0.05 0
	EOF
	tm-diff -s s6 --off $(only noprice) --slots np.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.05 0 policy\nBBB 0 0 0 noprice\n" >want &&
	test_cmp want got
'

test_expect_success 'trades: at most N a day, the largest first' '
	{
		echo "date 2024-01-02"
		for i in 1 2 3 4 5 6; do echo "T$i 10 0 0"; done
	} | slots >six.tmt &&
	{
		echo "date 2024-01-02"; echo "coord cash 0.58"
		for i in 1 2 3 4 5 6; do echo "T$i $((i + 4))e-2 0"; done
	} | weights >w.tmt &&
	tm-diff -s s7 --off $(only trades) --max-trades 4 --slots six.tmt \
	    w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "T1 0 0 0 trades\nT2 0 0 0 trades\nT3 1 0.07 0 policy\nT4 1 0.08 0 policy\nT5 1 0.09 0 policy\nT6 1 0.1 0 policy\n" >want &&
	test_cmp want got &&
	test "$(meta r.tmt fired)" = trades:2
'

test_expect_success 'riskoff cuts exposure above t1, riskstop sells all above t2 (critical)' '
	weights >w.tmt <<-\EOF &&
	date 2024-01-02
	coord cash 0.9
	AAA 0.06 0
	BBB 0.04 0
	CCC 0 0
	DDD 0 0
	EEE 0 0
	EOF
	tm-diff -s s8 --off $(only riskoff) --risk-off 5,100 --threshold 0.01 \
	    --slots day1.tmt w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 1 0.03 0 riskoff\nBBB 1 0.02 0 riskoff\n" >want &&
	test_cmp want got &&
	tm-diff -s s8b --off $(only riskoff) --risk-off 50,100 --slots day1.tmt \
	    w.tmt >r.tmt &&
	test "$(rows r.tmt | grep -c policy)" = 2 &&
	tm-diff -s s8c --off $(only riskstop) --risk-off 1,5 --slots day1.tmt \
	    w.tmt >r.tmt &&
	rows r.tmt >got &&
	printf "AAA 0 0 0 riskstop\nBBB 0 0 0 riskstop\n" >want &&
	test_cmp want got &&
	test "$(meta r.tmt critical)" = riskstop
'

# held DIR OFF-RULES...: buy 0.5 of AAA on day 1 (filled at day 2's close,
# 100), then run the days of hold.tmt one by one with the same weights.
test_expect_success 'setup: a held position and a falling price' '
	{
		echo "date 2024-01-02"; echo "AAA 100 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-03"; echo "AAA 100 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-04"; echo "AAA 95 -0.05 0"; echo "BBB 10 0 0"
		echo "date 2024-01-05"; echo "AAA 88 -0.0736842 0"; echo "BBB 10 0 0"
		echo "date 2024-01-08"; echo "AAA 88 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-09"; echo "AAA 88 0 0"; echo "BBB 10 0 0"
	} | slots >hold.tmt &&
	for d in 02 03 04 05 08 09; do
		printf "date 2024-01-%s\ncoord cash 0.5\nAAA 0.5 0\nBBB 0 0\n" $d
	done | weights >hw.tmt
'

# run DIR OPTIONS...: each day in turn; the last recommendations in r.tmt.
run() {
	dir=$1
	shift
	for d in 02 03 04 05 08 09; do
		tm-cat --from 2024-01-$d --to 2024-01-$d hw.tmt >hd.tmt &&
		tm-diff -s "$dir" "$@" --slots hold.tmt hd.tmt >"r-$d.tmt" ||
		return 1
	done
}

test_expect_success 'stoploss: sold at -10% from the cost basis' '
	run sl --off $(only stoploss) &&
	acts r-04.tmt >got &&
	echo "AAA 0 policy" >want &&
	test_cmp want got &&
	acts r-05.tmt >got &&
	echo "AAA -1 stoploss" >want &&
	test_cmp want got &&
	rows r-05.tmt | awk "{ exit \$3 == 0 && \$4 > 0.4 ? 0 : 1 }" &&
	"$PY" -c "import json
j = [json.loads(l) for l in open(\"sl/journal.jsonl\")]
t = [x for l in j for x in l[\"trades\"] if x[\"reason\"] == \"stoploss\"]
assert len(t) == 1 and t[0][\"price\"] == 88, t" &&
	run sl2 --off $(only stoploss) --stop-loss 0.2 &&
	acts r-05.tmt >got &&
	echo "AAA 1 policy" >want &&
	test_cmp want got
'

test_expect_success 'timestop: no profit after N days is sold' '
	run ts --off $(only timestop) --time-stop 2 &&
	acts r-04.tmt >got &&
	echo "AAA 0 policy" >want &&
	test_cmp want got &&
	acts r-05.tmt >got &&
	echo "AAA -1 timestop" >want &&
	test_cmp want got
'

test_expect_success 'portstop: 15% below the high-water mark sells all, critical' '
	run ps --off $(only portstop) --portfolio-stop 0.05 &&
	test "$(meta r-04.tmt critical)" = "" &&
	acts r-05.tmt >got &&
	echo "AAA -1 portstop" >want &&
	test_cmp want got &&
	test "$(meta r-05.tmt critical)" = portstop
'

test_expect_success 'portstop re-arms: in cash --stop-days days, then it trades' '
	run ps1 --off $(only portstop) --portfolio-stop 0.05 --stop-days 1 &&
	test "$(meta r-05.tmt critical)" = portstop &&
	test "$(meta r-08.tmt critical)" = portstop &&
	test "$(meta r-09.tmt critical)" = "" &&
	acts r-09.tmt >got &&
	echo "AAA 1 policy" >want &&
	test_cmp want got &&
	"$PY" -c "import json
s = json.load(open(\"ps1/portfolio.json\"))
assert s[\"stop_days_left\"] == 0, s
assert s[\"hwm_index\"] < 0.95, s"
'

test_expect_success 'portstop: by default 20 days in cash, counted in the state' '
	run ps20 --off $(only portstop) --portfolio-stop 0.05 &&
	test "$(meta r-08.tmt critical)" = portstop &&
	test "$(meta r-09.tmt critical)" = portstop &&
	"$PY" -c "import json
s = json.load(open(\"ps20/portfolio.json\"))
assert s[\"stop_days_left\"] == 18, s"
'

# Issue 13: a stop_days_left that is not a day count (0..100000) is a bad
# state: exit 65 before anything is written; absent is an old state's 0.
test_expect_success 'a bad stop_days_left: 65, one line naming file and field, no state lost' '
	for d in 02 03 04 05 08; do
		tm-cat --from 2024-01-$d --to 2024-01-$d hw.tmt >hd.tmt &&
		tm-diff -s sd --off $(only portstop) --portfolio-stop 0.05 \
		    --slots hold.tmt hd.tmt >/dev/null || return 1
	done &&
	grep -q "\"stop_days_left\": 19" sd/portfolio.json &&
	tm-cat --from 2024-01-09 --to 2024-01-09 hw.tmt >d9.tmt &&
	for v in -1 2.5 "\"3\"" null true 100001 "[]"; do
		rm -rf sdx && cp -R sd sdx &&
		"$PY" -c "import json, sys
p = \"sdx/portfolio.json\"; s = json.load(open(p))
s[\"stop_days_left\"] = json.loads(sys.argv[1]); json.dump(s, open(p, \"w\"))" "$v" &&
		cp sdx/portfolio.json before.json &&
		test_must_fail --status 65 tm-diff -s sdx --off $(only portstop) \
		    --portfolio-stop 0.05 --slots hold.tmt d9.tmt >out.tmt 2>err &&
		test "$(wc -l <err)" = 1 &&
		grep -qx "tm-diff: sdx/portfolio.json: stop_days_left: not a day count" err &&
		cmp before.json sdx/portfolio.json &&
		cmp sd/journal.jsonl sdx/journal.jsonl &&
		cmp sd/last.tmt sdx/last.tmt &&
		test "$(ls -A sdx | sort | tr "\n" " ")" = "journal.jsonl last.tmt portfolio.json " ||
		{ echo "stop_days_left $v"; cat err; return 1; }
	done &&
	rm -rf sdx && cp -R sd sdx &&
	"$PY" -c "import json
p = \"sdx/portfolio.json\"; s = json.load(open(p)); del s[\"stop_days_left\"]
json.dump(s, open(p, \"w\"))" &&
	tm-diff -s sdx --off $(only portstop) --portfolio-stop 0.05 \
	    --slots hold.tmt d9.tmt >out.tmt &&
	grep -q "\"date\": \"2024-01-09\"" sdx/portfolio.json
'

test_expect_success 'the fill follows the decision: value, cash and shares' '
	"$PY" - sl <<-\PYEOF
	import json, sys
	j = [json.loads(l) for l in open(sys.argv[1] + "/journal.jsonl")]
	# bought at the close of 01-03 at 100 with cost 0.001 on 0.5 turnover
	v = [l["value_after"] for l in j]
	m1 = 1 - 0.001 * 0.5
	want4 = 1e6 * m1 * (1 + 0.5 * -0.05)
	assert abs(v[2] - want4) < 1e-3, (v, want4)  # ret is F32
	assert v[0] == v[1] == 1e6
	PYEOF
'

test_expect_success 'delist: closed at its last price after N days without a bar' '
	{
		echo "date 2024-01-02"; echo "AAA 100 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-03"; echo "AAA 100 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-04"; echo "AAA 102 0.02 0"; echo "BBB 10 0 0"
		echo "date 2024-01-05"; echo "AAA nan nan 0"; echo "BBB 10 0 0"
		echo "date 2024-01-08"; echo "AAA nan nan 0"; echo "BBB 10 0 0"
		echo "date 2024-01-09"; echo "AAA nan nan 0"; echo "BBB 10 0 0"
	} | slots >hold.tmt &&
	run dl --off $(only delist) --delist 2 &&
	acts r-05.tmt >got &&
	echo "AAA 0 policy" >want &&
	test_cmp want got &&
	acts r-08.tmt >got &&
	echo "AAA -1 delist" >want &&
	test_cmp want got &&
	test "$(meta r-08.tmt fired)" = "delist:1" &&
	acts r-09.tmt >got &&
	echo "AAA 1 policy" >want &&
	test_cmp want got &&
	"$PY" -c "import json
s = json.load(open(\"dl/portfolio.json\"))
assert s[\"positions\"] == [], s[\"positions\"]
assert abs(s[\"cash\"] - 1) < 1e-12, s[\"cash\"]"
'

test_expect_success 'reslot: a held ticker that leaves its slot is sold under its name' '
	{
		echo "date 2024-01-02"; echo "AAA 100 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-03"; echo "AAA 100 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-04"; echo "AAA 101 0.01 0"; echo "BBB 10 0 0"
		echo "date 2024-01-05"; echo "ZZZ 30 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-08"; echo "ZZZ 30 0 0"; echo "BBB 10 0 0"
		echo "date 2024-01-09"; echo "ZZZ 30 0 0"; echo "BBB 10 0 0"
	} | slots >hold.tmt &&
	for d in 02 03 04; do
		printf "date 2024-01-%s\ncoord cash 0.5\nAAA 0.5 0\nBBB 0 0\n" $d
	done >hw.txt &&
	for d in 05 08 09; do
		printf "date 2024-01-%s\ncoord cash 0.7\nZZZ 0.3 0\nBBB 0 0\n" $d
	done >>hw.txt &&
	weights <hw.txt >hw.tmt &&
	run rs --off all &&
	acts r-05.tmt >got &&
	printf "AAA -1 reslot\nZZZ 1 policy\n" >want &&
	test_cmp want got &&
	test "$(meta r-05.tmt fired)" = reslot:1 &&
	"$PY" -c "import json
s = json.load(open(\"rs/portfolio.json\"))
assert [p[\"ticker\"] for p in s[\"positions\"]] == [\"ZZZ\"], s[\"positions\"]"
'

test_expect_success 'sizing: kelly and volatility against hand-computed numbers' '
	{
		for d in 02 03 04 05 08; do
			echo "date 2024-01-$d"
			case $d in
			02) a=0.01 b=0.02 ;; 03) a=0.02 b=-0.01 ;;
			04) a=-0.005 b=0.03 ;; 05) a=0.015 b=-0.02 ;;
			08) a=0.01 b=0.01 ;;
			esac
			echo "AAA 100 $a 0"; echo "BBB 50 $b 0"
		done
	} | slots >hist.tmt &&
	printf "date 2024-01-08\ncoord cash 0.8\nAAA 0.1 0\nBBB 0.1 0\n" |
	    weights >hw1.tmt &&
	tm-diff -s kz --off all --sizing kelly --slots hist.tmt hw1.tmt >k.tmt &&
	tm-diff -s vz --off all --sizing volatility --slots hist.tmt hw1.tmt \
	    >v.tmt &&
	tm-cat -o csv -k target k.tmt | tail -n +2 | cut -d, -f2,3 >kgot &&
	tm-cat -o csv -k target v.tmt | tail -n +2 | cut -d, -f2,3 >vgot &&
	"$PY" - <<-\PYEOF
	import statistics as st
	a = [0.01, 0.02, -0.005, 0.015, 0.01]
	b = [0.02, -0.01, 0.03, -0.02, 0.01]
	f = lambda x: float(x)
	a = [f("%.9g" % x) for x in a]; b = [f("%.9g" % x) for x in b]
	import struct
	r32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
	a = [r32(x) for x in a]; b = [r32(x) for x in b]
	ka = min(1.0, 0.25 * st.mean(a) / st.variance(a))
	kb = min(1.0, 0.25 * st.mean(b) / st.variance(b))
	tot = ka + kb
	if tot > 1: ka, kb = ka / tot, kb / tot
	got = dict(l.strip().split(",") for l in open("kgot"))
	assert abs(float(got["AAA"]) - ka) < 1e-9, (got, ka)
	assert abs(float(got.get("BBB", 0)) - kb) < 1e-9, (got, kb)
	va, vb = 0.1 / st.stdev(a), 0.1 / st.stdev(b)
	va, vb = r32(0.1) / st.stdev(a), r32(0.1) / st.stdev(b)
	s = (va + vb) / (2 * r32(0.1))
	got = dict(l.strip().split(",") for l in open("vgot"))
	assert abs(float(got["AAA"]) - va / s) < 1e-9, (got, va / s)
	assert abs(float(got["BBB"]) - vb / s) < 1e-9, (got, vb / s)
	assert float(got["AAA"]) > float(got["BBB"])
	PYEOF
'

test_expect_success 'regime: bull, bear and high-volatility multipliers from the benchmark' '
	{
		for d in 02 03 04 05 08 09; do
			echo "date 2024-01-$d"
			case $d in 02|03|04) r=0.001 ;; *) r=-0.002 ;; esac
			echo "AAA 100 $r 0"
		done
	} | slots >reg.tmt &&
	for d in 02 03 04 05 08 09; do
		printf "date 2024-01-%s\ncoord cash 0.8\nAAA 0.2 0\n" $d
	done | weights >rw.tmt &&
	for d in 02 03 04 05 08 09; do
		tm-cat --from 2024-01-$d --to 2024-01-$d rw.tmt >rd.tmt &&
		tm-diff -s rg --off all --threshold 0 --regime 0.5,0.25,0.1 \
		    --slots reg.tmt rd.tmt >"g-$d.tmt" &&
		tm-diff -s rh --off all --threshold 0 --regime 0.5,0.25,0.1 \
		    --hivol 0.001 --slots reg.tmt rd.tmt >"h-$d.tmt" || return 1
	done &&
	rows g-02.tmt | awk "{ print \$3, \$5 }" >got &&
	echo "0.2 policy" >want && test_cmp want got &&
	rows g-04.tmt | awk "{ print \$3, \$5 }" >got &&
	echo "0.1 regime" >want && test_cmp want got &&
	rows g-09.tmt | awk "{ print \$3, \$5 }" >got &&
	echo "0.05 regime" >want && test_cmp want got &&
	rows h-09.tmt | awk "{ print \$3, \$5 }" >got &&
	echo "0.02 regime" >want && test_cmp want got
'

test_expect_success 'warnings: equity below 80% and more than 5 losing days' '
	{
		p=100
		for d in 02 03 04 05 08 09 10 11 12 16; do
			echo "date 2024-01-$d"
			case $d in 02|03) r=0 ;; *) r=-0.06 ;; esac
			p=$(awk -v p=$p -v r=$r "BEGIN { print p * (1 + r) }")
			echo "AAA $p $r 0"
		done
	} | slots >fall.tmt &&
	for d in 02 03 04 05 08 09 10 11 12 16; do
		printf "date 2024-01-%s\ncoord cash 0.1\nAAA 0.9 0\n" $d
	done | weights >fw.tmt &&
	for d in 02 03 04 05 08 09 10 11 12 16; do
		tm-cat --from 2024-01-$d --to 2024-01-$d fw.tmt >fd.tmt &&
		tm-diff -s wn --off "$RULES" --slots fall.tmt fd.tmt >"f-$d.tmt" ||
		return 1
	done &&
	test "$(meta f-09.tmt warnings)" = "" &&
	test "$(meta f-10.tmt warnings)" = equity &&
	test "$(meta f-11.tmt warnings)" = equity,losing &&
	tm-diff -s wn2 --off "$RULES,losing" --slots fall.tmt fw.tmt >all.tmt &&
	test "$(tm-cat --last 1 all.tmt | tm-cat --info | sed "s/.*\"warnings\":\"\([^\"]*\)\".*/\1/")" = equity
'

test_expect_success 'warnings: 60-day Sharpe below the limit, correlation to the benchmark' '
	{
		p=100
		for d in $(seq 1 24); do
			printf "date 2024-02-%02d\n" $d
			r=$(awk -v d=$d "BEGIN { print d < 3 ? 0 : d % 2 ? 0.005 : -0.01 }")
			p=$(awk -v p=$p -v r=$r "BEGIN { print p * (1 + r) }")
			echo "AAA $p $r 0"
			echo "BBB 10 $(awk -v r=$r "BEGIN { print r / 2 }") 0"
		done
	} | slots >sw.tmt &&
	for d in $(seq 1 24); do
		printf "date 2024-02-%02d\ncoord cash 0.1\nAAA 0.9 0\nBBB 0 0\n" $d
	done | weights >sww.tmt &&
	tm-diff -s sh --off "$RULES" --slots sw.tmt sww.tmt >sh.tmt &&
	tm-cat --info sh.tmt | sed "s/.*\"date\":\"\([^\"]*\)\".*\"warnings\":\"\([^\"]*\)\".*/\1 \2/" >wl &&
	grep -qx "2024-02-20 " wl &&
	grep -qx "2024-02-24 sharpe,correlation" wl &&
	tm-diff -s sh2 --off "$RULES,correlation" --sharpe-limit -100 \
	    --slots sw.tmt sww.tmt >sh2.tmt &&
	test "$(tm-cat --last 1 sh2.tmt | tm-cat --info | sed "s/.*\"warnings\":\"\([^\"]*\)\".*/\1/")" = ""
'

test_done
