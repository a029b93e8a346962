#!/bin/sh
# tm-strategy on hand-made prices: an SMA crossover on a known day and its
# reversal, breakout levels (entry, exit, short, go_short=0), a split
# that is not a signal, the weight stream layout, and refusals.
. "$(dirname "$0")/lib.sh"

# csv NAME CLOSES...: one ticker's bars from 2024-01-02 on, one trading
# day each (weekends skipped), high = close + 0.5, low = close - 0.5.
cat >"$TRASH/bars.awk" <<'AWKEOF'
BEGIN {
	# 2024-01-02 is a Tuesday: walk weekdays.
	d = 2; m = 1; wd = 2
	split("31 29 31 30 31 30 31 31 30 31 30 31", ml, " ")
	for (i = 2; i < ARGC; i++) {
		c = ARGV[i]
		printf "2024-%02d-%02d,%s,%s,%s,%s,%s,%s,1000\n", m, d, ARGV[1],
		    c, c + 0.5, c - 0.5, c, c
		do {
			d++; wd = (wd + 1) % 7
			if (d > ml[m]) { d = 1; m++ }
		} while (wd == 0 || wd == 6)
	}
}
AWKEOF
bars() { awk -f "$TRASH/bars.awk" "$@"; }
hdr='date,ticker,open,high,low,close,adjclose,volume'

# weights FILE: "date weight" per frame of one ticker's stream.
weights() { tm-cat -o csv "$1" | awk -F, 'NR > 1 { print $1, $3 + 0 }'; }
# row FILE: the weights on one line.
row() { weights "$1" | cut -d" " -f2 | tr "\n" " "; echo; }

test_expect_success 'sma: long on the crossover day, short on the reversal' '
	{ echo "$hdr"; bars AAA 10 10 10 10 10 10 10 10 10 10 \
	    20 20 20 20 20 20 20 20 20 20 5 5 5 5 5; } >sma.csv &&
	tm-cat --import sma.csv >sma.tmt &&
	tm-strategy -p fast_period=2 -p slow_period=4 sma sma.tmt >w.tmt &&
	weights w.tmt >got &&
	awk "{ print \$1, (NR <= 10 ? 0 : NR <= 20 ? 1 : -1) }" got >want &&
	test_cmp want got &&
	sed -n 11p got | grep "^2024-01-16 1$"
'

test_expect_success 'sma: size scales the position; flat until the first cross' '
	tm-strategy -p fast_period=2 -p slow_period=4 -p size=0.5 sma \
	    sma.tmt >w.tmt &&
	weights w.tmt | awk "NR == 5 && \$2 != 0 { exit 1 }
	    NR == 15 && \$2 != 0.5 { exit 1 } NR == 25 && \$2 != -0.5 { exit 1 }"
'

test_expect_success 'the weight stream: fields, labels, cash, meta.model' '
	tm-cat --info w.tmt | head -1 >info &&
	grep "\"axes\":\[\"ticker\",\"field\"\]" info &&
	grep "\"field\":\[\"weight\",\"confidence\"\]" info &&
	grep "\"dtype\":\"F32\"" info &&
	grep "\"model\":\"sma fast_period=2 slow_period=4 size=0.5\"" info &&
	tm-cat --info w.tmt | sed -n 25p | grep "\"cash\":1.5"
'

test_expect_success 'sma: a 2:1 split in as-traded prices is not a signal' '
	{ echo "date,ticker,open,high,low,close,adjclose,volume,split"
	  bars BBB 10 11 12 13 14 15 16 17 18 19 20 21 | awk -F, -v OFS=, "
	    NR > 6 { \$3 /= 2; \$4 /= 2; \$5 /= 2; \$6 /= 2 }
	    { print \$0, (NR == 7 ? 2 : 1) }"; } >split.csv &&
	tm-cat --import split.csv >split.tmt &&
	tm-strategy -p fast_period=2 -p slow_period=4 sma split.tmt >w.tmt &&
	weights w.tmt | awk "\$2 < 0 { print; exit 1 }"
'

# Breakout, period 3: the channel of the 3 days before.  Day 6 (close 12)
# breaks the high 10.5 (long, level 10.5); day 7 (11) stays; day 8 (10)
# falls below 10.5 (exit); day 9 (7) breaks the low min(11.5, 10.5, 9.5)
# = 9.5 (short, level 9.5); day 10 (9) stays; day 11 (10) rises above
# 9.5 but not above the high max(10.5, 7.5, 9.5) (exit).
test_expect_success 'breakout: entry, exit below the level, short, exit' '
	{ echo "$hdr"; bars CCC 10 10 10 10 10 12 11 10 7 9 10 10; } >bo.csv &&
	tm-cat --import bo.csv >bo.tmt &&
	tm-strategy -p period=3 breakout bo.tmt >w.tmt &&
	row w.tmt >got &&
	echo "0 0 0 0 0 1 1 0 -1 -1 0 0 " >want &&
	test_cmp want got
'

test_expect_success 'breakout: go_short=0 takes no shorts; a reversal' '
	tm-strategy -p period=3 -p go_short=0 breakout bo.tmt >w.tmt &&
	row w.tmt >got &&
	echo "0 0 0 0 0 1 1 0 0 0 0 0 " >want &&
	test_cmp want got &&
	{ echo "$hdr"; bars DDD 10 10 10 10 6 6 6 14 14; } >rev.csv &&
	tm-cat --import rev.csv >rev.tmt &&
	tm-strategy -p period=3 breakout rev.tmt >w.tmt &&
	row w.tmt >got &&
	echo "0 0 0 0 -1 -1 -1 1 1 " >want &&
	test_cmp want got
'

test_expect_success 'buyhold: all in the ticker named, cash elsewhere' '
	cat sma.csv >two.csv && bars EEE 5 5 5 5 5 5 >>two.csv &&
	tm-cat --import two.csv >two.tmt &&
	tm-strategy -p ticker=EEE buyhold two.tmt | tm-cat -o csv |
	    awk -F, "NR > 1 && \$2 == \"EEE\" && \$3 != 1 { exit 1 }
	    NR > 1 && \$2 != \"EEE\" && \$3 != 0 { exit 1 }"
'

test_expect_success 'no look-ahead: cutting the input after day t keeps days <= t' '
	tm-synth -n 6 -y 1 --seed 7 -o syn >/dev/null &&
	d=$(tm-cat -o csv syn/prices.tmt | cut -d, -f1 | sort -u | sed -n 150p) &&
	tm-cat --to "$d" syn/prices.tmt >cut.tmt &&
	tm-strategy equal syn/prices.tmt >eq.tmt &&
	for s in "sma" "breakout" "buyhold" "equal" "invvol" "minvar" \
	    "momentum -p lookback=60 -p skip=5 -p top_k=2" \
	    "blend -p streams=eq.tmt"; do
		tm-strategy $s syn/prices.tmt | tm-cat --to "$d" -o csv >full &&
		tm-strategy $s cut.tmt | tm-cat -o csv >part &&
		test "$(wc -l <part)" -gt 100 &&
		test_cmp full part || { echo "$s looks ahead"; exit 1; }
	done
'

test_expect_success 'a slot stream is read too (active slots only)' '
	tmt-slots -n 8 -a 2 -p 2 -d 30 -s 2 >slots.tmt &&
	tm-strategy equal slots.tmt | tm-cat -o csv >eq.csv &&
	tm-cat -o csv slots.tmt | awk -F, "NR == 1 { for (i = 1; i <= NF; i++)
	    if (\$i == \"region\") c = i; next } { print \$c }" >regions &&
	awk -F, "NR > 1 { print \$3 }" eq.csv | paste -d" " regions - |
	    awk "\$1 != 0 && \$2 != 0 { exit 1 } \$1 == 0 { n++ }
	    END { exit n == 0 }"
'

test_expect_success '--last, stdin as -, and -z give the same weights' '
	tm-strategy sma syn/prices.tmt | tm-cat --last 1 -o csv >want &&
	tm-strategy --last sma syn/prices.tmt >l.tmt &&
	test "$(tm-cat --info l.tmt | wc -l)" = 1 &&
	tm-cat -o csv l.tmt >got && test_cmp want got &&
	tm-strategy -z --last sma - <syn/prices.tmt >z.tmt &&
	tm-cat --info z.tmt | grep -q "\"encoding\":\"deflate\"" &&
	tm-cat -o csv z.tmt >got && test_cmp want got
'

test_expect_success 'refusals: strategy, parameter, value, files, data' '
	test_must_fail --status 64 tm-strategy nosuch sma.tmt 2>err &&
	grep "sma, breakout" err &&
	test_must_fail --status 64 tm-strategy -p fast=3 sma sma.tmt 2>err &&
	grep "fast_period, slow_period, size" err &&
	test_must_fail --status 64 tm-strategy -p fast_period=x sma sma.tmt &&
	test_must_fail --status 64 tm-strategy -p fast_period=40 sma sma.tmt &&
	test_must_fail --status 64 tm-strategy -p period=2.5 breakout sma.tmt &&
	test_must_fail --status 64 tm-strategy &&
	test_must_fail --status 66 tm-strategy sma nosuch.tmt &&
	test_must_fail --status 66 tm-strategy -p streams=nosuch.tmt blend \
	    sma.tmt &&
	printf garbage | test_must_fail --status 65 tm-strategy sma
'

test_expect_success '--list lists every strategy with its parameters' '
	tm-strategy --list >list &&
	for s in sma breakout buyhold equal invvol minvar momentum blend; do
		grep "^$s	" list || exit 1
	done &&
	grep "fast_period=10" list && grep "top_k=10" list
'

# examples PAGE: the literal blocks of a man page's EXAMPLES, as a script.
examples() {
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$1" | col -bx |
	    sed -n "/^EXAMPLES\$/,/^[A-Z]/p" | sed -n "s/^           //p"
}

if command -v mandoc >/dev/null; then
	test_expect_success 'the EXAMPLES of tm-strategy(1) run' '
		mkdir ex && cd ex &&
		examples "$TOP/man/tm-strategy.1" >ex.sh &&
		test "$(grep -c tm-strategy ex.sh)" -ge 5 &&
		sh -e ex.sh >out &&
		grep -c "^20[0-9-]*,.*,1\$" out &&
		tm-cat --info equal.tmt | grep -q "\"model\":\"equal\""
	'
else
	test_skip 'the EXAMPLES of tm-strategy(1) run' 'mandoc is not installed'
fi

test_done
