#!/bin/sh
# t3600: tm-fetch --fundamentals --csv, the fundamentals stream from local
# files point in time: a quarter counts from its end + 45 days, a share
# count from its year end + 90 days, never before; values and dates are
# recomputed here from the CSVs with Python's csv module.
. "$(dirname "$0")/lib.sh"

# What the stream must hold, from the CSVs alone: "filed,ticker,period,
# eps,bvps,sps,dps,roe,de,margin,shares", %.6g, "nan" when unknown.
cat >"$TRASH/expect.py" <<'PY'
import csv, datetime, math, sys
qpath, apath, univ = sys.argv[1], sys.argv[2], set(sys.argv[3].split(","))
D = datetime.date.fromisoformat
def num(s):
    try:
        return float(s)
    except ValueError:
        return math.nan
ann = {}
for r in csv.DictReader(open(apath, newline="")):
    sh = num(r["Estimated Shares Outstanding"])
    if r["Ticker Symbol"] in univ and sh > 0:
        pub = D(r["Period Ending"]) + datetime.timedelta(days=90)
        ann.setdefault(r["Ticker Symbol"], []).append((pub, sh))
out = []
for r in csv.DictReader(open(qpath, newline="")):
    t = r["copany"]
    if t not in univ:
        continue
    rev, np_, eq = num(r["Revenues"]), num(r["Net Profit"]), num(r["Total Equity"])
    if all(math.isnan(x) for x in (rev, np_, eq)):
        continue
    filed = D(r["date"]) + datetime.timedelta(days=45)
    sh = math.nan
    for pub, s in sorted(ann.get(t, [])):
        if pub <= filed:
            sh = s
    debt = num(r["Short term debt"]) + num(r["Long Term Debt"])
    div = lambda a, b: a / b if b not in (0,) and not math.isnan(a) and not math.isnan(b) else math.nan
    v = [div(np_ * 1e6, sh), div(eq * 1e6, sh), div(rev * 1e6, sh),
         div(abs(num(r["Dividends"])) * 1e6, sh), div(np_, eq),
         div(debt, eq), div(np_, rev), sh]
    out.append("%s,%s,%s,%s" % (filed, t, r["date"],
                                ",".join("%.6g" % x for x in v)))
print("\n".join(sorted(out)))
PY
# The same lines from the stream.
cat >"$TRASH/got.py" <<'PY'
import json, subprocess, sys
info = subprocess.run(["tm-cat", "--info", sys.argv[1]], capture_output=True,
                      text=True, check=True).stdout.splitlines()
per = {json.loads(l)["coords"]["date"]: json.loads(l)["coords"]["period"]
       for l in info}
rows = subprocess.run(["tm-cat", "-o", "csv", sys.argv[1]], capture_output=True,
                      text=True, check=True).stdout.splitlines()[1:]
out = []
for l in rows:
    c = l.split(",")
    v = ["%.6g" % (float(x) if x else float("nan")) for x in c[2:]]
    out.append("%s,%s,%s,%s" % (c[0], c[1], per[c[0]], ",".join(v)))
print("\n".join(sorted(out)))
PY

test_expect_success 'fixture: filings dated quarter end + 45, shares after year end + 90' '
	cat >q.csv <<-\EOF &&
	,Revenues,Net Profit,Dividends,Short term debt,Long Term Debt,Total Equity,copany,date
	0,1000,100,-20,50,150,400,AAA,2013-03-31
	1,,,,,,,AAA,2013-04-30
	2,1100,110,-22,50,150,420,AAA,2013-06-30
	3,1200,120,-24,50,,440,AAA,2013-09-30
	4,500,50,0,0,0,250,BBB,2013-06-30
	5,900,90,-9,0,0,300,ZZZ,2013-06-30
	EOF
	cat >a.csv <<-\EOF &&
	,Ticker Symbol,Period Ending,Net Income,Earnings Per Share,Estimated Shares Outstanding
	0,AAA,2012-12-31,90000000,0.9,100000000
	1,AAA,2013-06-30,100000000,0.5,200000000
	2,BBB,2013-04-30,40000000,,
	EOF
	mkdir d && cp q.csv a.csv d/ &&
	tm-fetch --fundamentals --csv d AAA BBB >f.tmt 2>err &&
	python3 got.py f.tmt >got &&
	python3 expect.py q.csv a.csv AAA,BBB >exp &&
	test_cmp exp got &&
	# by hand: AAA Q1 filed 05-15 with the 2012 shares (public 03-31),
	# Q2 filed 08-14 still with them (the mid-2013 count is public 09-28)
	grep "^2013-05-15,AAA,2013-03-31,1,4,10,0.2,0.25,0.5,0.1,1e+08$" got &&
	grep "^2013-08-14,AAA,2013-06-30,1.1,4.2,11,0.22,.*,1e+08$" got &&
	grep "^2013-11-14,AAA,2013-09-30,0.6,2.2,6,0.12,0.272727,nan,0.1,2e+08$" got &&
	grep "^2013-08-14,BBB,.*,nan$" got &&
	! grep ZZZ got &&
	grep "\"filings\":4" err
'

test_expect_success 'tm-features: not public the day before the filing date' '
	printf "date,ticker,open,high,low,close,volume\n" >p.csv &&
	for d in 13 14 15 16; do
		echo "2013-05-$d,AAA,10,10.5,9.5,10,1000" >>p.csv
	done &&
	tm-cat --import p.csv >p.tmt &&
	tm-features -f f.tmt -k eps,pe p.tmt >pf.tmt &&
	tm-cat -o csv pf.tmt >pf.csv &&
	grep "^2013-05-14,AAA,,,10," pf.csv &&
	grep "^2013-05-15,AAA,1,10,10," pf.csv
'

test_expect_success 'a quarterly file alone: no shares, per-share values NaN' '
	tm-fetch --fundamentals --csv q.csv AAA >f1.tmt &&
	tm-cat -o csv f1.tmt >f1.csv &&
	grep "^2013-05-15,AAA,,,,,0.25,0.5,0.1,$" f1.csv
'

test_expect_success '--from and --to select by filing date' '
	tm-fetch --fundamentals --csv d --from 2013-08-14 --to 2013-08-14 \
	    AAA BBB >f2.tmt &&
	tm-cat -o csv f2.tmt | cut -d, -f1,2 >got2 &&
	printf "date,ticker\n2013-08-14,AAA\n2013-08-14,BBB\n" >exp2 &&
	test_cmp exp2 got2
'

test_expect_success 'no file of the quarterly layout is bad data' '
	test_must_fail --status 65 tm-fetch --fundamentals --csv a.csv AAA
'

if [ -z "$SHARED_DATA" ]; then
	test_skip 'real set: every value public by its frame date' \
	    'no shared data (../shared/data)'
else
	test_expect_success 'real set: every value public by its frame date' '
		fd=$SHARED_DATA/fundamentals &&
		u=$(python3 -c "import csv
print(\",\".join(sorted({r[\"ticker\"] for r in csv.DictReader(open(\"$SHARED_DATA/universe/universe_top1000_by_year.csv\"))})))") &&
		echo "$u" | tr , "\n" | sed "1i ticker" >u.csv &&
		tm-fetch --fundamentals --csv "$fd" -u u.csv --to 2017-12-31 \
		    >rf.tmt 2>rerr &&
		python3 got.py rf.tmt >rgot &&
		python3 expect.py "$fd/fundamentals_ttm_quarterly_2012_2016.csv" \
		    "$fd/nyse_fundamentals_annual.csv" "$u" >rexp &&
		test_cmp rexp rgot &&
		test "$(wc -l <rgot)" -gt 9000
	'
fi

test_done
