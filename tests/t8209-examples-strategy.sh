#!/bin/sh
# tm-strategy(1): every EXAMPLES block runs as printed and gives what its
# text says: SMA positions of +-1/n, the blend the 0.4/0.3/0.3 sum of its
# three streams, mlls models (with and without sentiment) whose weights are
# +-1/n or flat, equal weight summing to 1 over the active slots.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'

# sized N FILE: every weight of the CSV FILE is 0 or +-1/N (F32), its
# confidence 0 with no position; prints how many positions.
sized() {
	awk -F, -v n="$1" 'NR > 1 {
		w = $3 < 0 ? -$3 : $3
		if (w != 0 && (w - 1 / n > 1e-6 || 1 / n - w > 1e-6)) { print "weight " $0; bad = 1 }
		if (w == 0 && $4 != 0) { print "confidence " $0; bad = 1 }
		if (w != 0) k++
	} END { if (bad) exit 1; print k + 0 }' "$2"
}

test_expect_success 'setup: five blocks' '
	test "$(man_examples "$TOP/man/tm-strategy.1")" = 5
'

test_expect_success 'SMA crossover: the last day, positions of +-1/n' '
	sh -eu ex.1.sh >out &&
	test "$(sed 1d out | cut -d, -f1 | sort -u)" = 2016-12-30 &&
	n=$(sed 1d out | wc -l) && test "$n" -gt 10 &&
	k=$(sized "$n" out) && test "$k" -gt 0
'

test_expect_success 'the blend: 0.4 momentum, 0.3 meanrev, 0.3 minvar, ticker by ticker' '
	sh -eu ex.2.sh >out &&
	tm-cat --last 1 -o csv mom.tmt >a && tm-cat --last 1 -o csv rev.tmt >r &&
	tm-cat --last 1 -o csv mv.tmt >b &&
	test "$(sed -n 2p a | cut -d, -f1)" = 2016-12-30 &&
	test "$(awk -F, "NR > 1 && \$3 > 0" a | wc -l)" = 5 &&
	test "$(awk -F, "NR > 1 && \$3 > 0" r | wc -l)" = 5 &&
	awk -F, "FILENAME == \"a\" { ma[\$2] = \$3; next }
	    FILENAME == \"r\" { mr[\$2] = \$3; next }
	    FILENAME == \"b\" { mb[\$2] = \$3; next }
	    FNR > 1 { w = 0.4 * ma[\$2] + 0.3 * mr[\$2] + 0.3 * mb[\$2]
	        d = w - \$3
	        if (d > 1e-6 || d < -1e-6) { print \$0, w; bad = 1 }; s += \$3 }
	    END { if (bad || s < 0.999 || s > 1.001) exit 1 }" a r b out
'

test_expect_success 'mlls fitted on 2015, run on 2016: positions of +-1/n or flat' '
	sh -eu ex.3.sh >out &&
	test "$(sed 1d out | cut -d, -f1 | sort -u)" = 2016-12-30 &&
	tm-cat --info mlls.tmt | grep -c "\"kind\":\"tm-mlls" >k && test "$(cat k)" = 2 &&
	tm-strategy -p model=mlls.tmt mlls mkt/prices.tmt |
	    tm-cat --from 2016-01-01 -o csv >year &&
	sized "$(sed 1d out | wc -l)" year >/dev/null
'

test_expect_success 'with the sentiment: a 14-input model, and it trades in 2016' '
	sh -eu ex.4.sh >out &&
	test "$(sed 1d out | cut -d, -f1 | sort -u)" = 2016-12-30 &&
	tm-cat --info smlls.tmt | grep -q "\"sentiment\":\"sma1,2,4,8,16\"" &&
	tm-strategy -p model=smlls.tmt -p sentiment=smkt/sentiment.tmt mlls \
	    smkt/prices.tmt | tm-cat --from 2016-01-01 -o csv >year &&
	k=$(sized "$(sed 1d out | wc -l)" year) && test "$k" -gt 0 &&
	test_must_fail --status 64 tm-strategy -p model=smlls.tmt mlls \
	    smkt/prices.tmt >/dev/null 2>&1
'

test_expect_success 'equal weight over the active slots: 1/n each, summing to 1' '
	sh -eu ex.5.sh &&
	tm-cat -o csv equal.tmt >w &&
	test "$(cut -d, -f1 w | sed 1d | sort -u | wc -l)" = 504 &&
	awk -F, "NR > 1 { s[\$1] += \$3; if (\$3 > 0) { n[\$1]++; v[\$1] = \$3 } }
	    END { for (d in s) {
	        if (d == \"2015-01-02\") { if (s[d] != 0) bad = 1; continue }
	        if (s[d] < 0.999 || s[d] > 1.001 || v[d] - 1 / n[d] > 1e-6 || 1 / n[d] - v[d] > 1e-6) { print d, s[d]; bad = 1 } }
	      exit bad }" w
'

test_done
