#!/bin/sh
# tm-tensor(5): the EXAMPLES run as printed: the lead's first bytes are
# the ones the page shows, the first two headers are the first two days'
# as JSON, and the Python reader reads the interop fixture (also twice
# over, concatenated) and refuses a truncated one.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v jq >/dev/null || test_skip_all 'jq is not installed'
PY=/usr/bin/python3
export PY

test_expect_success 'setup: two blocks, the first with the output it shows' '
	test "$(man_examples "$TOP/man/tm-tensor.5")" = 2 &&
	test "$(grep -c . ex.1.sh)" = 2 && test "$(grep -c . ex.1.out)" = 1
'

test_expect_success 'the lead: the bytes shown; two headers, the first two days' '
	sed -n 1p ex.1.sh >lead.sh && sed -n 2p ex.1.sh >head.sh &&
	sh -eu lead.sh >out &&
	shown=$(sed "s/ *\\.\\.\\.\$//" ex.1.out) &&
	test -n "$shown" &&
	case "$(head -1 out)" in "$shown"*) ;; *) false ;; esac &&
	test "$(wc -c <out)" -gt 90 &&
	sh -eu head.sh >out &&
	test "$(wc -l <out)" = 2 &&
	jq -e -s "length == 2 and .[0].coords.date == \"2015-01-02\" and
	    .[1].coords.date == \"2015-01-05\" and .[0].seq == 0 and .[1].seq == 1 and
	    .[0].shape[1] == 8 and .[0].shape[0] <= 10 and .[0].dtype == \"F64\"" out
'

if "$PY" -c 'import numpy' 2>/dev/null; then
	test_expect_success 'the Python reader reads the fixture, concatenated too' '
		cp ex.2.sh reader.py &&
		grep -q "def frames" reader.py &&
		tmt-fixture >f.tmt &&
		"$PY" reader.py <f.tmt >out &&
		cat >expect <<-\EOF &&
		2024-06-03 (3, 2)
		2024-06-04 (3, 3)
		2024-06-05 (2, 2)
		None (4,)
		2024-06-06 (2, 1, 2)
		EOF
		test_cmp expect out &&
		cat f.tmt f.tmt | "$PY" reader.py >out2 &&
		cat expect expect >expect2 &&
		test_cmp expect2 out2 &&
		head -c 1000 f.tmt >t.tmt &&
		! "$PY" reader.py <t.tmt >/dev/null 2>err &&
		tail -n 1 err | grep -q "^EOFError: truncated"
	'
else
	test_skip 'the Python reader reads the fixture' "$PY cannot import numpy"
fi

test_done
