#!/bin/sh
# tm-model(1): the EXAMPLES run as printed in a fresh folder (TM_HOME
# unset, so data/models under .): two models registered, the first made
# live, then the second, then rolled back: the first is live again, the
# second retired, five journal lines; the live model's weights are
# tm-infer's of the first model.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v jq >/dev/null || test_skip_all 'jq is not installed'
unset TM_HOME

test_expect_success 'setup: two blocks' '
	test "$(man_examples "$TOP/man/tm-model.1")" = 2
'

test_expect_success 'register, promote twice, roll back: the first is live' '
	sh -eu ex.1.sh >out &&
	va=$(tm-model list | awk "NR > 1 && \$3 == 1 { print \$1 }") &&
	vb=$(tm-model list | awk "NR > 1 && \$3 == 2 { print \$1 }") &&
	test -n "$va" && test -n "$vb" && test "$va" != "$vb" &&
	test "$(wc -l <out)" = 3 &&
	awk -F "\\t" -v a="$va" -v b="$vb" "
	    NR == 1 { ok = \$1 == \"version\" && \$6 == \"status\"; next }
	    \$1 == a { ok = ok && \$6 == \"live\" }
	    \$1 == b { ok = ok && \$6 == \"retired\" }
	    END { exit !ok }" out &&
	test "$(tm-model live)" = "./data/models/$va.tmt" &&
	cmp a.tmt "$(tm-model live)" &&
	jq -r .action data/models/journal.jsonl | tr "\\n" " " >acts &&
	test "$(cat acts)" = "add add promote promote rollback " &&
	test "$(jq .seq data/models/registry.json)" = 5 &&
	test "$(jq -r ".versions[] | select(.version == \"$vb\") | .status" data/models/registry.json)" = retired
'

test_expect_success 'the live model weighs the last day as a.tmt does' '
	sh -eu ex.2.sh >out &&
	tm-infer --last -m a.tmt <slots.tmt | tm-cat -o csv >want &&
	test_cmp want out &&
	test "$(sed 1d out | cut -d, -f1 | sort -u)" = 2015-12-31 &&
	test "$(sed 1d out | wc -l)" = 1200
'

test_done
