#!/bin/sh
# tm-synth: options, exit codes, determinism, and the structure of every
# file it writes, checked by the independent numpy reader (tests/helpers/tmt_np.py).
. "$(dirname "$0")/lib.sh"

test_need_numpy

test_expect_success 'usage errors exit 64' '
	test_must_fail --status 64 tm-synth extra &&
	test_must_fail --status 64 tm-synth -q &&
	test_must_fail --status 64 tm-synth -n 0 &&
	test_must_fail --status 64 tm-synth -n x &&
	test_must_fail --status 64 tm-synth -y 0 &&
	test_must_fail --status 64 tm-synth --signal 1.5 &&
	test_must_fail --status 64 tm-synth --seed -1 &&
	test_must_fail --status 64 tm-synth --start 2015-02-30 &&
	tm-synth -q 2>err || test $? = 64 &&
	grep "^usage: tm-synth \[-z\] \[-n N\] \[-o DIR\]" err
'

test_expect_success 'an output folder that cannot be made exits 73' '
	test_must_fail --status 73 tm-synth -n 5 -y 0.1 -o /dev/null/x &&
	: >file &&
	test_must_fail --status 73 tm-synth -n 5 -y 0.1 -o file/sub &&
	test_must_fail --status 73 tm-synth -n 5 -y 0.1 -o file
'

test_expect_success 'one line names the path that failed' '
	test_must_fail tm-synth -n 5 -y 0.1 -o file/sub 2>err &&
	test $(wc -l <err) = 1 &&
	grep "^tm-synth: file/sub: mkdir: " err
'

test_expect_success 'a failed run leaves no temporary files behind' '
	mkdir -p busy/fundamentals.tmt &&
	test_must_fail tm-synth -n 5 -y 0.5 -o busy &&
	! ls -a busy | grep "^\.[a-z]"
'

test_expect_success 'a closed stdout is an I/O error, not a silent success' '
	test_must_fail tm-synth -n 5 -y 0.1 >&-
'

# The market most checks below read: small, but long enough for a
# reconstitution, quarterly filings, splits, IPOs and delistings.
test_expect_success 'write a market twice with one seed, once with another' '
	tm-synth -n 200 -y 3 --seed 5 -o a &&
	tm-synth -n 200 -y 3 --seed 5 -o b &&
	tm-synth -n 200 -y 3 --seed 6 -o c &&
	tm-synth -n 200 -y 3 --seed 5 >stdout.tmt &&
	for f in prices.tmt benchmark.tmt fundamentals.tmt membership.csv \
	    universe.csv sectors.csv; do
		test -s a/$f && test -s c/$f || return 1
	done &&
	! ls -a a | grep "^\.[a-z]"
'

test_expect_success 'same seed, same bytes; stdout is prices.tmt' '
	for f in prices.tmt benchmark.tmt fundamentals.tmt membership.csv \
	    universe.csv sectors.csv; do
		cmp a/$f b/$f || return 1
	done &&
	cmp a/prices.tmt stdout.tmt
'

test_expect_success 'sectors.csv is the ticker and sector of universe.csv' '
	awk -F, "NR > 1 { print \$1 \",\" \$NF }" a/universe.csv >want &&
	{ echo ticker,sector && cat want; } >want.csv &&
	cmp want.csv a/sectors.csv &&
	test "$(wc -l <a/sectors.csv)" -gt 100
'

test_expect_success 'another seed, another market' '
	! cmp -s a/prices.tmt c/prices.tmt &&
	! cmp -s a/benchmark.tmt c/benchmark.tmt &&
	! cmp -s a/membership.csv c/membership.csv
'

test_expect_success '-z deflates to the same frames' '
	tm-synth -n 30 -y 0.5 -z >z.tmt &&
	tm-synth -n 30 -y 0.5 >r.tmt &&
	test $(wc -c <z.tmt) -lt $(wc -c <r.tmt) &&
	$PY "$TOP/tests/helpers/tmt_np.py" dump <z.tmt | sed "s/\"encoding\":\"[a-z]*\"//" >z.txt &&
	$PY "$TOP/tests/helpers/tmt_np.py" dump <r.tmt | sed "s/\"encoding\":\"[a-z]*\"//" >r.txt &&
	test_cmp r.txt z.txt
'

cat >"$TRASH/check.py" <<'PY'
"""check.py DIR WHAT: structural checks of a tm-synth folder."""
import csv, datetime, os, sys
import numpy as np
from tmt_np import frames

FIELDS = "open high low close adjclose volume split dividend".split()
d, what = sys.argv[1], sys.argv[2]

def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)

def load(path):
    out = []
    with open(path, "rb") as f:
        for h, a in frames(f):
            out.append((h["coords"]["date"], h["labels"]["ticker"], a.copy(), h))
    return out

def day(s):
    return datetime.date.fromisoformat(s)

if what in ("ohlc", "splits", "listing", "adj"):
    px = load(os.path.join(d, "prices.tmt"))
    for date, tk, a, h in px:
        if h["labels"]["field"] != FIELDS or h["dtype"] != "F64":
            fail("%s: fields %s" % (date, h["labels"]["field"]))
        if len(set(tk)) != len(tk):
            fail("%s: duplicate tickers" % date)
    dates = [p[0] for p in px]
    if dates != sorted(set(dates)):
        fail("dates not strictly ascending")

if what == "ohlc":
    n = 0
    for date, tk, a, h in px:
        o, hi, lo, c, adj, v, sp, dv = a.T
        if not np.all(np.isfinite(a)):
            fail("%s: non-finite value" % date)
        ok = (hi >= np.maximum(o, c)) & (np.minimum(o, c) >= lo) & (lo > 0) \
            & (v >= 0) & (sp >= 1) & (dv >= 0) & (adj > 0)
        if not ok.all():
            i = int(np.argmin(ok))
            fail("%s %s: bad bar %s" % (date, tk[i], a[i]))
        n += len(tk)
    print("rows", n)
    if n < 1000:
        fail("too few rows")

if what in ("splits", "adj", "listing"):
    last = {}
    first = {}
    series = {}
    for k, (date, tk, a, h) in enumerate(px):
        for i, t in enumerate(tk):
            series.setdefault(t, []).append((k, a[i]))

if what == "splits":
    nsplit = 0
    for t, s in series.items():
        for (k0, a0), (k1, a1) in zip(s, s[1:]):
            sp = a1[6]
            if sp == 1:
                continue
            nsplit += 1
            if sp not in (2, 3, 4):
                fail("%s: split ratio %g" % (t, sp))
            if not a1[3] < a0[3]:
                fail("%s: close did not drop on its %g:1 split" % (t, sp))
            r = a1[4] / a0[4]
            if not 0.6 < r < 1.6:
                fail("%s: adjclose jumped by %g on a split" % (t, r))
    print("splits", nsplit)
    if nsplit < 2:
        fail("no splits")

if what == "adj":
    ndiv = 0
    for t, s in series.items():
        k0, a0 = s[0]
        if a0[4] != a0[3]:
            fail("%s: adjclose %g != close %g on the first day" % (t, a0[4], a0[3]))
        for (k0, a0), (k1, a1) in zip(s, s[1:]):
            want = a1[6] * (a1[3] + a1[7]) / a0[3]
            got = a1[4] / a0[4]
            if abs(got / want - 1) > 1e-9:
                fail("%s day %d: adj ratio %r, total return %r" % (t, k1, got, want))
            ndiv += a1[7] > 0
    print("dividends", ndiv)
    if ndiv < 10:
        fail("too few dividends")

if what == "listing":
    nd = len(px)
    ipo = [t for t, s in series.items() if s[0][0] > 0]
    gone = [t for t, s in series.items() if s[-1][0] < nd - 1]
    for t, s in series.items():
        ks = [k for k, _ in s]
        if ks != list(range(ks[0], ks[-1] + 1)):
            fail("%s: rows with gaps" % t)
    print("ipos", len(ipo), "delistings", len(gone))
    if not ipo or not gone:
        fail("no IPO or no delisting")
    names = set(series)
    if not any("-" in t for t in names):
        fail("no class share")
    for t in names:
        b = t.replace("-", "")
        if not (b.isalpha() and b.isupper() and 2 <= len(b) <= 5):
            fail("bad ticker %r" % t)
    uni = list(csv.reader(open(os.path.join(d, "universe.csv"))))
    if uni[0] != ["ticker", "name", "sector"] or len(uni) != 201:
        fail("universe.csv header or length")
    if {r[0] for r in uni[1:]} != names:
        fail("universe.csv tickers differ from the price stream's")
    if len({r[2] for r in uni[1:]}) < 8:
        fail("too few sectors")

if what == "membership":
    n = int(sys.argv[3])
    k = min(1000, round(0.9 * n))
    px = load(os.path.join(d, "prices.tmt"))
    rows = {p[0]: set(p[1]) for p in px}
    lastday = {}
    for date, tk, a, h in px:
        for t in tk:
            lastday[t] = date
    rd = list(csv.reader(open(os.path.join(d, "membership.csv"))))
    if rd[0] != ["date", "ticker", "action"]:
        fail("header %s" % rd[0])
    members, prev, peak = set(), "", 0
    first = px[0][0]
    dates = set()
    for date, t, act in rd[1:]:
        if date < prev:
            fail("dates out of order at %s" % date)
        prev = date
        dates.add(date)
        if date not in rows:
            fail("%s: not a trading day" % date)
        if t not in rows[date]:
            fail("%s %s %s: ticker has no row that day" % (date, t, act))
        if act == "add":
            if t in members:
                fail("%s: %s added twice" % (date, t))
            members.add(t)
        elif act == "remove":
            if t not in members:
                fail("%s: %s removed but not a member" % (date, t))
            members.remove(t)
        else:
            fail("action %r" % act)
        peak = max(peak, len(members))
        if date == first and act == "remove":
            fail("remove on the first day")
    nfirst = sum(1 for r in rd[1:] if r[0] == first and r[2] == "add")
    if nfirst != k:
        fail("%d initial members, wanted %d" % (nfirst, k))
    if peak > k:
        fail("%d members, index size %d" % (peak, k))
    # Only reconstitutions add; delisting removes on any day.
    june = {r[0] for r in rd[1:] if r[0] != first and r[2] == "add"}
    if len(june) < int(sys.argv[4]):
        fail("too few reconstitutions: %s" % sorted(june))
    for x in june:
        dd = day(x)
        if not (dd.month == 6 and 22 <= dd.day or dd.month == 7 and dd.day <= 6):
            fail("reconstitution on %s" % x)
    # A member that stops trading leaves on its last day, and removes
    # between reconstitutions are such delistings.
    for t, last in lastday.items():
        if last != px[-1][0] and t in members:
            fail("%s delisted on %s but still a member" % (t, last))
    for date, t, act in rd[1:]:
        if act == "remove" and date not in june and date != lastday[t]:
            fail("%s removed on %s, its last day is %s" % (t, date, lastday[t]))
    print("dates", len(dates), "peak", peak, "k", k)

if what == "fundamentals":
    px = load(os.path.join(d, "prices.tmt"))
    rows = {p[0]: set(p[1]) for p in px}
    fd = load(os.path.join(d, "fundamentals.tmt"))
    want = "eps bvps sps dps roe de margin shares".split()
    prev, nrow, tickers = "", 0, set()
    for date, tk, a, h in fd:
        if date <= prev:
            fail("filing dates not ascending at %s" % date)
        prev = date
        if h["labels"]["field"] != want:
            fail("fields %s" % h["labels"]["field"])
        per = h["coords"]["period"]
        lag = (day(date) - day(per)).days
        if not 30 <= lag <= 52:
            fail("%s: filed %d days after %s" % (date, lag, per))
        if per[5:] not in ("03-31", "06-30", "09-30", "12-31"):
            fail("period %s" % per)
        if date not in rows or not set(tk) <= rows[date]:
            fail("%s: filers not trading that day" % date)
        if not np.all(np.isfinite(a)):
            fail("%s: non-finite" % date)
        eps, bvps, sps, dps, roe, de, mg, sh = a.T
        if not ((sps > 0) & (bvps > 0) & (dps >= 0) & (de > 0) & (sh > 0)).all():
            fail("%s: sign of a value" % date)
        if not np.allclose(roe, eps / bvps) or not np.allclose(mg, eps / sps):
            fail("%s: roe or margin inconsistent" % date)
        nrow += len(tk)
        tickers |= set(tk)
    print("filings", len(fd), "rows", nrow)
    if len(fd) < 8 or len(tickers) < 150:
        fail("too few filings")

if what == "benchmark":
    px = load(os.path.join(d, "prices.tmt"))
    bm = load(os.path.join(d, "benchmark.tmt"))
    if [b[0] for b in bm] != [p[0] for p in px]:
        fail("benchmark dates differ from the price dates")
    lv = []
    for date, tk, a, h in bm:
        if tk != ["QQQ"] or h["labels"]["field"] != FIELDS:
            fail("%s: rows %s" % (date, tk))
        o, hi, lo, c, adj, v, sp, dv = a[0]
        if not (hi >= max(o, c) >= min(o, c) >= lo > 0 and v > 0 and c == adj):
            fail("%s: bad bar %s" % (date, a[0]))
        lv.append(c)
    if lv[0] != 100:
        fail("does not start at 100")
    br = np.diff(np.log(lv))
    # The equal-weighted mean return of the stocks, from the prices alone.
    tick = sorted({t for p in px for t in p[1]})
    ix = {t: i for i, t in enumerate(tick)}
    A = np.full((len(px), len(tick)), np.nan)
    for k, (date, tk, a, h) in enumerate(px):
        A[k, [ix[t] for t in tk]] = a[:, 4]
    ew = np.nanmean(np.diff(np.log(A), axis=0), axis=1)
    c = np.corrcoef(br, ew)[0, 1]
    print("corr(benchmark, equal-weighted)", c)
    if c < 0.7:
        fail("benchmark does not follow the market")
PY

for what in ohlc splits adj listing fundamentals benchmark; do
	test_expect_success "prices: $what" "$PY check.py a $what"
done
test_expect_success 'membership: adds and removes balance, at most the index size' '
	$PY check.py a membership 200 2
'

test_expect_success 'membership with fewer tickers than the index needs' '
	tm-synth -n 12 -y 2.5 --seed 3 -o small &&
	$PY check.py small membership 12 1 &&
	$PY check.py small ohlc
'

# A ticker keeps its bars when N grows: each has its own random stream.
test_expect_success 'ticker i does not depend on N' '
	tm-synth -n 20 -y 1 --seed 9 >n20.tmt &&
	tm-synth -n 40 -y 1 --seed 9 >n40.tmt &&
	$PY - n20.tmt n40.tmt <<-\EOF
	import sys
	import numpy as np
	from tmt_np import frames
	a = list(frames(open(sys.argv[1], "rb")))
	b = list(frames(open(sys.argv[2], "rb")))
	assert len(a) == len(b)
	for (ha, xa), (hb, xb) in zip(a, b):
	    tb = hb["labels"]["ticker"]
	    for i, t in enumerate(ha["labels"]["ticker"]):
	        assert np.array_equal(xa[i], xb[tb.index(t)]), t
	    assert len(tb) > len(ha["labels"]["ticker"])
	EOF
'

# 0.1 years is 37 days: 2016-01-01 up to 2016-02-07, 24 trading days (New
# Year's Day and Martin Luther King Day shut).
test_expect_success '--start moves to the next trading day; -y spans calendar days' '
	tm-synth -n 3 -y 0.1 --start 2016-01-01 >s.tmt &&
	$PY "$TOP/tests/helpers/tmt_np.py" dump <s.tmt | grep "^{" >s.txt &&
	head -n 1 s.txt | grep "\"date\":\"2016-01-04\"" &&
	tail -n 1 s.txt | grep "\"date\":\"2016-02-05\"" &&
	! grep "\"date\":\"2016-01-18\"" s.txt &&
	test $(wc -l <s.txt) = 24
'

# A full disk part way through the set (a small tmpfs, root only): exit 74
# naming the file, and the folder holds no file at all, neither half a set
# nor a temporary file.  The sizes fail at different files of the set.
if [ "$(id -u)" = 0 ] && mkdir -p "$TRASH/mnt" &&
    mount -t tmpfs -o size=64k tmpfs "$TRASH/mnt" 2>/dev/null; then
	umount "$TRASH/mnt"
	for sz in 300k 400k 650k; do
		test_expect_success "full disk ($sz): 74, and no file of the set is left" "
			mount -t tmpfs -o size=$sz tmpfs mnt &&
			{ tm-synth -n 30 -y 2 --seed 2 -o mnt 2>err; rc=\$?; } ;
			ls -A mnt >left; umount mnt &&
			test \$rc = 74 &&
			grep -q 'No space left on device' err &&
			test ! -s left
		"
	done
else
	test_skip 'full disk' 'needs root and a tmpfs mount'
fi

test_done
