#!/bin/sh
# tm-diff(1): every EXAMPLES block runs as printed.  The first gives one
# day's recommendations from an empty book (all HOLD under the threshold,
# reason cash, or archive for the stocks carried into the archive, as the
# text says); the second, run day by day over the
# last 20 days of that market in a folder of its own, keeps an index
# equal to the training evaluation's (tmt-envval) to the last digit; the
# third starts that book afresh, journaled, the journal kept.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v jq >/dev/null || test_skip_all 'jq is not installed'

test_expect_success 'setup: three blocks' '
	test "$(man_examples "$TOP/man/tm-diff.1")" = 3
'

test_expect_success 'one day from an empty book: every row a HOLD, reason cash' '
	sh -eu ex.1.sh >out 2>err &&
	n=$(sed 1d out | wc -l) && test "$n" -gt 50 &&
	test "$(sed 1d out | cut -d, -f1 | sort -u)" = 2017-12-29 &&
	test "$n" = "$(tm-cat -o csv today.tmt | awk -F, "NR > 1 && \$3 > 0" | wc -l)" &&
	# reason cash, or archive for a stock carried into the archive
	tm-cat --from 2017-12-29 -o csv -k region slots.tmt |
	    awk -F, "NR > 1 && \$3 == 1 { print \$2 }" | sort >archived &&
	awk -F, "NR > 1 && \$10 == 10 { print \$2 }" out | sort >held-arch &&
	test -s held-arch &&
	test -z "$(comm -23 held-arch archived)" &&
	awk -F, "NR > 1 && (\$3 != 0 || (\$10 != 3 && \$10 != 10) || \$4 != 0) { print; bad = 1 } END { exit bad }" out &&
	tm-cat -o csv today.tmt | awk -F, "NR > 1 && 0.9 * \$3 > 0.02 { bad = 1 } END { exit bad }" &&
	test "$(jq .cash state/portfolio.json)" = 1 &&
	na=$(wc -l <held-arch) &&
	tm-cat --info state/last.tmt |
	    grep -q "\"fired\":\"cash:$((n - na)),archive:$na\""
'

test_expect_success 'day by day, the index is the evaluation value to the last digit' '
	mkdir acct &&
	d0=$(tm-cat --info slots.tmt | tail -n 20 | head -n 1 |
	    sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/") &&
	tm-cat --from "$d0" slots.tmt >acct/slots.tmt &&
	tm-infer -m model.tmt <acct/slots.tmt >acct/w.tmt &&
	tmt-envval acct/slots.tmt acct/w.tmt >env.txt &&
	test "$(wc -l <env.txt)" = 18 &&
	for d in $(tm-cat --info acct/w.tmt | sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/"); do
		tm-cat --from "$d" --to "$d" acct/w.tmt >acct/day.tmt &&
		(cd acct && sh -eu ../ex.2.sh >rec.tmt) &&
		python3 -c "import json; s = json.load(open(\"acct/state/portfolio.json\")); print(s[\"date\"], \"%.17g\" % s[\"index\"])" ||
		return 1
	done >diff.txt &&
	join env.txt diff.txt >both &&
	test "$(wc -l <both)" = 18 &&
	awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" both &&
	! awk "\$3 == 1 { n++ } END { exit n > 2 ? 0 : 1 }" both
'

test_expect_success 'a fresh start: index 1 again, the reset journaled, the old lines kept' '
	cd acct &&
	tm-cat --last 1 w.tmt >today.tmt &&
	n=$(wc -l <state/journal.jsonl) &&
	test "$(jq .index state/portfolio.json)" != 1 &&
	sh -eu ../ex.3.sh >rec.tmt &&
	test "$(jq .index state/portfolio.json)" = 1 &&
	test "$(wc -l <state/journal.jsonl)" = $((n + 2)) &&
	sed -n "$((n + 1))p" state/journal.jsonl | jq -e ".reset == \"model v2\"" &&
	tm-cat --info rec.tmt | grep -q "\"index\":1.0"
'

test_done
