#!/bin/sh
# Weights follow tickers across slot moves (libcommon/carry.c): a stock
# that a reconstitution moves to the archive keeps its weight there, in
# tm-infer's decisions, the training environment, tm-backtest's trades
# and tm-diff's book, and tm-diff's value is still the environment's to
# the last digit.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# dates FILE: the dates of a weight stream, one a line.
dates() {
	tm-cat -o csv -k weight "$1" | awk -F, 'NR > 1 && $1 != p { print $1; p = $1 }'
}

# moves SLOTS: "DATE TICKER FROM TO" for every ticker found in another
# slot than the day before.
cat >"$TRASH/moves.py" <<'PYEOF'
import csv, sys
prev, out = {}, []
rows = list(csv.reader(open(sys.argv[1])))[1:]
days = {}
for r in rows:
    days.setdefault(r[0], []).append(r[1])
for d in sorted(days):
    now = {t: i for i, t in enumerate(days[d]) if t}
    for t, i in now.items():
        if t in prev and prev[t] != i:
            print(d, t, prev[t], i)
    prev = now
PYEOF

test_expect_success 'setup: a stream whose replaced tickers move to the archive' '
	tmt-slots -n 30 -a 5 -p 5 -d 90 -r 7 -m -s 3 >slots.tmt &&
	tm-cat -o csv -k ret slots.tmt >slots.csv &&
	"$PY" moves.py slots.csv >moves &&
	test "$(wc -l <moves)" -ge 8 &&
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 10 -o m.tmt <slots.tmt &&
	tm-infer -m m.tmt <slots.tmt >w.tmt &&
	tm-cat -o csv -k weight w.tmt >w.csv
'

test_expect_success 'tm-infer: a moved stock keeps a weight in the archive, never more than before' '
	"$PY" - <<-\PYEOF
	import csv
	w = {}
	for r in list(csv.reader(open("w.csv")))[1:]:
	    w[(r[0], r[1])] = float(r[2])
	days = sorted({d for d, _ in w})
	n = 0
	for line in open("moves"):
	    d, t, a, b = line.split()
	    i = days.index(d)
	    before, now = w[(days[i - 1], t)], w[(d, t)]
	    assert before > 0, (d, t, before)
	    # carried, not dropped; and archived slots only shrink
	    assert 0 < now <= before, (d, t, before, now)
	    n += 1
	assert n >= 8, n
	PYEOF
'

test_expect_success 'day by day, tm-diff'"'"'s index is the environment'"'"'s value to the last digit' '
	tmt-envval slots.tmt w.tmt >env.txt &&
	test "$(wc -l <env.txt)" = 88 &&
	for d in $(dates w.tmt); do
		tm-cat --from "$d" --to "$d" w.tmt >day.tmt &&
		tm-cat --to "$d" slots.tmt >upto.tmt &&
		tm-diff -s st --slots upto.tmt --off all --threshold 0 \
		    day.tmt >"rec-$d.tmt" || return 1
		"$PY" -c "import json
s = json.load(open(\"st/portfolio.json\"))
print(s[\"date\"], \"%.17g\" % s[\"index\"])" || return 1
	done >diff.txt &&
	join env.txt diff.txt >both &&
	test "$(wc -l <both)" = 88 &&
	awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" both
'

test_expect_success 'tm-diff: the moved stock is held or sold in the archive, not sold for moving' '
	while read -r d t a b; do
		tm-cat -o csv -k action,current,reason "rec-$d.tmt" |
		    awk -F, -v t="$t" -v d="$d" "\$2 == t {
			print d, t, \$3, \$4, \$5 }" || return 1
	done <moves >rows &&
	test "$(wc -l <rows)" -ge 8 &&
	# one row each: current > 0, HOLD (0) or SELL (-1), never BUY,
	# never a reslot sale (reason 13)
	awk "{ n[\$2 \$1]++ } \$4 <= 0 || \$3 > 0 || \$5 == 13 { print; bad = 1 }
	    END { for (k in n) if (n[k] > 1) bad = 1; exit bad }" rows
'

test_expect_success 'tm-backtest: a position is not closed by a move' '
	tm-backtest -w w.tmt --trades trades.csv <slots.tmt >eq.tmt &&
	"$PY" - <<-\PYEOF
	import csv
	tr = list(csv.DictReader(open("trades.csv")))
	moved = {}
	for line in open("moves"):
	    d, t, a, b = line.split()
	    moved[t] = d
	n = 0
	for r in tr:
	    if r["ticker"] in moved:
	        d = moved[r["ticker"]]
	        # a trade open across the move day goes on through it
	        if r["entry_date"] < d <= r["exit_date"]:
	            n += 1
	        assert not (r["reason"] == "swapped" and r["exit_date"] < d), r
	assert n >= 4, n
	PYEOF
'

test_done
