#!/bin/sh
# tm-backtest --chart with -t: one ticker's close with its trades' entries
# and exits and the weight held below.  The SVG parses as XML (Debian's
# python3 xml.etree); the close is one point a day of the run, split where
# the ticker holds no slot; there is one marker per entry and exit of the
# ticker's --trades rows, at the x of its date and the y of that day's
# close, in date order; the weight held has the sign of the open trade and
# is 0 outside trades.  With -w, -m and --strategy (where -t is the
# strategy's ticker, which the chart follows), on a ticker that leaves its
# slot and comes back in another; a ticker not in the stream is exit 65
# with nothing written.  Headless Chromium renders both charts.
. "$(dirname "$0")/lib.sh"

test_need_numpy
REF=$TOP/tests/helpers/backtest_ref.py
export PY

# chartcheck.py SVG CSV SLOTS TICKER: the checks above, against the trade
# list CSV and the slot stream SLOTS the run read.
cat >"$TRASH/chartcheck.py" <<'PYEOF'
import csv, re, sys
import xml.etree.ElementTree as ET
import tmt_np

svg, csvp, slots, tk = sys.argv[1:5]
S = list(tmt_np.frames(open(slots, "rb")))
ds = [h["coords"]["date"] for h, _ in S]
T = len(S)
n = T - 1                       # the run's days: 1 .. T-1
ci = S[0][0]["labels"]["field"].index("close")
days = [d for d in range(1, T) if tk in S[d][0]["labels"]["slot"]]


def xat(d):
    return "%.1f" % (50 + 800.0 * ((d - 1) / (n - 1)))


def runs(ds_):
    return sum(1 for k, d in enumerate(ds_) if k == 0 or ds_[k - 1] != d - 1)


NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(svg).getroot()
assert root.tag == NS + "svg", root.tag


def line(cls):
    ps = [p for p in root.iter(NS + "polyline") if p.get("class") == cls]
    pts = [q.split(",") for p in ps for q in p.get("points").split()]
    assert len(pts) == len(days), (cls, len(pts), len(days))
    assert len(ps) == runs(days), (cls, len(ps), runs(days))
    assert [q[0] for q in pts] == [xat(d) for d in days], cls
    return {d: float(q[1]) for d, q in zip(days, pts)}


cy = line("close")
py = line("position")
# the close is the slot stream's, scaled: higher close, higher on the page
cl = {d: float(S[d][1][S[d][0]["labels"]["slot"].index(tk), ci])
      for d in days}
for a in days:
    for b in days[:40]:
        if cl[a] > cl[b] + 1e-3 * max(cl.values()):
            assert cy[a] <= cy[b], (a, b)

got = []
for p in root.iter(NS + "path"):
    cls = p.get("class") or ""
    if cls not in ("entry long", "entry short", "exit"):
        continue
    m = re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\)", p.get("transform"))
    t = re.fullmatch(r"(entry long|entry short|exit) (\d{4}-\d\d-\d\d)"
                     r"(?: \((\w+)\))? at (\S+)", p.find(NS + "title").text)
    assert m and t and t.group(1) == cls, (p.attrib, p.find(NS + "title").text)
    d = ds.index(t.group(2))
    assert m.group(1) == xat(d), (t.group(2), m.group(1), xat(d))
    assert float(m.group(2)) == cy[d], (t.group(2), m.group(2), cy[d])
    got.append((t.group(2), cls, t.group(3) or "", t.group(4)))
assert [g[0] for g in got] == sorted(g[0] for g in got), "not in date order"

want, held = [], {}
for r in csv.DictReader(open(csvp)):
    if r["ticker"] != tk:
        continue
    want.append((r["entry_date"], "entry " + r["side"], "", r["entry_price"]))
    want.append((r["exit_date"], "exit", r["reason"], r["exit_price"]))
    e, x = ds.index(r["entry_date"]), ds.index(r["exit_date"])
    # held through the exit day when the exit is not a trade of the day
    last = x if r["reason"] in ("swapped", "end") else x - 1
    for d in range(e, last + 1):
        held[d] = 1 if r["side"] == "long" else -1
assert sorted(got) == sorted(want), (len(got), len(want))
assert want, "no trades of " + tk

zl = [z for z in root.iter(NS + "line")]
assert len(zl) == 1, len(zl)
y0 = float(zl[0].get("y1"))
for d in days:
    s = held.get(d, 0)
    assert (py[d] == y0) if s == 0 else (s * (y0 - py[d]) >= 0), (d, s)
assert any(py[d] < y0 for d in days) or all(v < 0 for v in held.values())
print(len(got), len(days))
PYEOF

test_expect_success 'setup: four tickers; a ticker that leaves and comes back' '
	"$PY" "$REF" make . 300 5 &&
	tmt-mkframes <slots.txt >slots.tmt &&
	tmt-mkframes -t F64 <weights.txt >w64.tmt &&
	"$PY" - <<-\PYEOF
	import datetime
	# X&<Y in slot 0 on days 0-24, in no slot on 25-34 (E is), in slot 2
	# from 35 (D was); long 0.4, short 0.3 or flat, in runs of 4 days
	X = "X&<Y"
	d, ds = datetime.date(2021, 1, 4), []
	while len(ds) < 60:
	    if d.weekday() < 5:
	        ds.append(d.isoformat())
	    d += datetime.timedelta(days=1)
	c = {X: 20.0, "B": 30.0, "D": 40.0, "E": 50.0}
	with open("gap.txt", "w") as s, open("gapw.txt", "w") as w:
	    s.write("axes slot field\nfields close ret region\n")
	    w.write("axes ticker field\nfields weight confidence\n")
	    for t in range(60):
	        row = [X if t < 25 else "E", "B", "D" if t < 35 else X]
	        s.write("date %s\n" % ds[t])
	        for k in row:
	            r = 0 if t == 0 else (0.01 if (t * 7 + len(k)) % 3 else -0.012)
	            c[k] *= 1 + r
	            s.write("%s %.9g %.9g 0\n" % (k, c[k], r))
	        wx = (0.4, -0.3, 0.4, 0)[t // 4 % 4] if X in row else 0
	        w.write("date %s\ncoord cash %.17g\n" % (ds[t], 0.8 - wx))
	        w.write("%s %.17g 0.5\nB 0.2 0.5\n" % (X, wx))
	PYEOF
	tmt-mkframes <gap.txt >gap.tmt &&
	tmt-mkframes -t F64 <gapw.txt >gapw.tmt
'

test_expect_success '-w -t A: one point a day, one marker per entry and exit' '
	tm-backtest -q -b B -t A -w w64.tmt --trades t.csv --chart a.svg \
	    slots.tmt >eq.tmt &&
	"$PY" chartcheck.py a.svg t.csv slots.tmt A >n &&
	read marks days <n &&
	test "$days" = 299 &&
	test "$marks" = "$(($(grep -c "^A," t.csv) * 2))"
'

test_expect_success 'the chart changes nothing else: stream, trades, metrics' '
	tm-backtest -q -b B -w w64.tmt --trades t0.csv --metrics m0.json \
	    slots.tmt >eq0.tmt &&
	tm-backtest -q -b B -t A -w w64.tmt --chart a2.svg --metrics m1.json \
	    slots.tmt >eq1.tmt &&
	cmp eq0.tmt eq.tmt && cmp eq0.tmt eq1.tmt && cmp t0.csv t.csv &&
	cmp m0.json m1.json && cmp a.svg a2.svg
'

test_expect_success 'without -t the equity chart is as before' '
	tm-backtest -q -b B -w w64.tmt --chart eqc.svg slots.tmt >/dev/null &&
	test "$(grep -c "<polyline" eqc.svg)" = 3 &&
	! grep -q "class=" eqc.svg &&
	"$PY" -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" \
	    eqc.svg
'

test_expect_success 'a ticker that leaves its slot and returns in another' '
	tm-backtest -q --cost 0 -t "X&<Y" -w gapw.tmt --trades g.csv --chart g.svg \
	    gap.tmt >/dev/null &&
	grep -q ",swapped\$" g.csv &&
	"$PY" chartcheck.py g.svg g.csv gap.tmt "X&<Y" >n &&
	read marks days <n && test "$days" = 49 &&
	test "$(grep -c "<polyline class=\"close\"" g.svg)" = 2 &&
	grep -q ">X&amp;&lt;Y as-traded close" g.svg
'

test_expect_success '--strategy: the chart follows the strategy ticker' '
	tm-backtest -q -t C --strategy sma:fast=5,slow=20 --trades s.csv \
	    --chart s.svg slots.tmt >/dev/null &&
	test "$(cut -d, -f1 s.csv | sort -u | tr "\n" " ")" = "C ticker " &&
	"$PY" chartcheck.py s.svg s.csv slots.tmt C >n &&
	read marks days <n && test "$marks" -ge 4 && test "$days" = 299
'

test_expect_success '-m: a model run charts the named ticker' '
	tm-train -q --algo dpg --seed 1 --epochs 2 --valid 20 -o model.tmt \
	    <slots.tmt &&
	tm-backtest -q -t D -m model.tmt --trades mt.csv --chart m.svg \
	    slots.tmt >/dev/null &&
	"$PY" chartcheck.py m.svg mt.csv slots.tmt D >n
'

test_expect_success 'a ticker not in the stream: one line, exit 65, no files' '
	mkdir none && cd none &&
	for mode in "-w ../w64.tmt" "--strategy sma" "-m ../model.tmt"; do
		test_must_fail --status 65 tm-backtest -q -t ZZ $mode \
		    --trades zt.csv --chart z.svg ../slots.tmt >../zout 2>../err &&
		test "$(wc -l <../err)" = 1 &&
		grep -q "^tm-backtest: --ticker: ZZ: not in the slot stream\$" \
		    ../err &&
		! test -s ../zout && test -z "$(ls -A)" || exit 1
	done
'

test_expect_success 'a window the ticker is not in is the same error' '
	test_must_fail --status 65 tm-backtest -q -t "X&<Y" -w gapw.tmt \
	    --from 2021-02-08 --to 2021-02-19 --chart w.svg gap.tmt \
	    >/dev/null 2>err &&
	grep -q "not in the slot stream" err && ! test -e w.svg
'

test_expect_success '-t with -w or -m needs --chart (64)' '
	test_must_fail --status 64 tm-backtest -q -t A -w w64.tmt slots.tmt \
	    >/dev/null 2>err &&
	grep -q "^tm-backtest: -t: with -w, the ticker of --chart" err &&
	test_must_fail --status 64 tm-backtest -q -t A -m model.tmt slots.tmt \
	    >/dev/null
'

[ "${TM_SAN:-}" = 1 ] && { test_skip 'the charts in Chromium' 'plain build only'; test_done; exit; }
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { test_skip 'the charts in Chromium' "no $CHROMIUM (tests/deps.sh installs it)"; test_done; exit; }

# Both charts as a browser draws them, from file: (nothing to fetch).
for svg in a.svg eqc.svg; do
	test_expect_success "Chromium draws $svg: not blank, no console message" "
		u=\$(mktemp -d \"\$TRASH/chrome.XXXXXX\") &&
		timeout 120 \"$CHROMIUM\" --headless --no-sandbox --disable-gpu \
		    --no-first-run --disable-background-networking \
		    --disable-component-update --disable-sync \
		    --user-data-dir=\"\$u\" --enable-logging=stderr --v=0 \
		    --host-resolver-rules='MAP * ~NOTFOUND' \
		    --window-size=900,570 --screenshot=\"\$TRASH/$svg.png\" \
		    \"file://\$TRASH/$svg\" 2>\"\$TRASH/$svg.log\" &&
		\"\$PY\" \"\$TOP/tests/helpers/report_png.py\" \"\$TRASH/$svg.png\" >dim &&
		read w h c <dim &&
		test \"\$w,\$h\" = 900,570 && test \"\$c\" -gt 20 &&
		! grep CONSOLE \"\$TRASH/$svg.log\"
	"
done

test_done
