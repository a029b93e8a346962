#!/bin/sh
# mlls and tm-strategy fit: a reproducible fit stored as TMT, a profit
# target hit and a stop hit on hand-made prices (long and short), no
# look-ahead, refusals.
. "$(dirname "$0")/lib.sh"

# bars NAME CLOSES...: one ticker's daily bars from 2024-01-02, weekdays.
bars() {
	awk 'BEGIN { d = 2; m = 1; wd = 2
	split("31 29 31 30 31 30 31 31 30 31 30 31", ml, " ")
	print "date,ticker,open,high,low,close,adjclose,volume"
	for (i = 2; i < ARGC; i++) {
		c = ARGV[i]
		printf "2024-%02d-%02d,%s,%s,%s,%s,%s,%s,1000\n", m, d, ARGV[1],
		    c, c, c, c, c
		do { d++; wd = (wd + 1) % 7; if (d > ml[m]) { d = 1; m++ } }
		while (wd == 0 || wd == 6)
	} }' "$@"
}
row() { tm-cat -o csv "$1" | awk -F, 'NR > 1 { printf "%s ", $3 + 0 }'; echo; }
flat() { i=0; while [ $i -lt "$1" ]; do printf '100 '; i=$((i + 1)); done; }

test_expect_success 'fit: a model file, the same bytes for the same seed' '
	tm-synth -n 12 -y 1 --seed 5 --signal 0.5 -o syn >/dev/null &&
	tm-strategy fit -p epochs=5 -o a.tmt syn/prices.tmt &&
	tm-strategy fit -p epochs=5 -o b.tmt syn/prices.tmt &&
	cmp a.tmt b.tmt &&
	tm-strategy fit -p epochs=5 -p seed=2 -o c.tmt syn/prices.tmt &&
	! cmp -s a.tmt c.tmt &&
	tm-cat --info a.tmt | grep "\"kind\":\"tm-mlls\"" &&
	tm-cat --info a.tmt | grep "\"feature\":\[\"sma2\""
'

# Days 0-16 at 100: the first day with 16 days of history is day 16.
# Long always (long_threshold=0, short_threshold=1): in on day 16 at 100,
# 105 on day 18 is the 5% target (out), in again on day 19 at 105, and
# 101.8 on day 21 is the 3% stop (out), in again on day 22.
test_expect_success 'mlls: a profit target hit and a stop hit (long)' '
	bars LLL $(flat 17) 102 105 105 103 101.8 101.8 | tm-cat --import >l.tmt &&
	tm-strategy -p model=a.tmt -p long_threshold=0 -p short_threshold=1 \
	    mlls l.tmt >w.tmt &&
	row w.tmt >got &&
	echo "$(printf "0 %.0s" $(seq 16))1 1 0 1 1 0 1 " >want &&
	test_cmp want got
'

test_expect_success 'mlls: a profit target hit and a stop hit (short)' '
	bars SSS $(flat 17) 98 95 95 97 98.2 98.2 | tm-cat --import >s.tmt &&
	tm-strategy -p model=a.tmt -p long_threshold=1 -p short_threshold=0 \
	    mlls s.tmt >w.tmt &&
	row w.tmt >got &&
	echo "$(printf "0 %.0s" $(seq 16))-1 -1 0 -1 -1 0 -1 " >want &&
	test_cmp want got
'

test_expect_success 'mlls: probabilities in [0, 1] as confidence, no look-ahead' '
	tm-strategy -p model=a.tmt -p long_threshold=0.4 -p short_threshold=0.4 \
	    mlls syn/prices.tmt | tm-cat -o csv >full.csv &&
	awk -F, "NR > 1 && (\$4 < 0 || \$4 > 1 || (\$3 != 0) != (\$4 > 0)) {
	    print; exit 1 }" full.csv &&
	awk -F, "NR > 1 && \$3 != 0" full.csv | grep -q . &&
	d=$(cut -d, -f1 full.csv | sort -u | sed -n 120p) &&
	tm-cat --to "$d" syn/prices.tmt >cut.tmt &&
	tm-strategy -p model=a.tmt -p long_threshold=0.4 \
	    -p short_threshold=0.4 mlls cut.tmt | tm-cat -o csv >part.csv &&
	awk -F, -v d="$d" "NR == 1 || \$1 <= d" full.csv >want &&
	test_cmp want part.csv
'

test_expect_success 'refusals: no -o 64, missing model 66, not a model 65' '
	test_must_fail --status 64 tm-strategy fit syn/prices.tmt &&
	test_must_fail --status 64 tm-strategy -o x.tmt sma syn/prices.tmt &&
	test_must_fail --status 66 tm-strategy -p model=nosuch.tmt mlls \
	    syn/prices.tmt &&
	test_must_fail --status 65 tm-strategy -p model=syn/prices.tmt mlls \
	    syn/prices.tmt &&
	bars X 1 2 3 | tm-cat --import >short.tmt &&
	test_must_fail --status 65 tm-strategy fit -o x.tmt short.tmt &&
	test ! -e x.tmt
'

test_done
