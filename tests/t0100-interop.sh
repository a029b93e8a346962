#!/bin/sh
# TMT interop: libcommon (tests/helpers/tmt-fixture) against an independent
# numpy/stdlib implementation (tests/helpers/tmt_np.py), both directions, byte for
# byte, and both refuse a damaged stream.
. "$(dirname "$0")/lib.sh"

test_need_numpy
NP=$TOP/tests/helpers/tmt_np.py
export PY NP	# used in the eval'd test bodies

# xorff FILE OFFSET: flip every bit of one byte in place.
xorff() {
	"$PY" -c 'import sys
p, i = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); b[i] ^= 0xff
open(p, "wb").write(b)' "$1" "$2"
}

test_expect_success 'tmt-fixture writes a stream' '
	tmt-fixture >c.tmt &&
	test -s c.tmt &&
	test $(($(wc -c <c.tmt) % 64)) = 0
'

test_expect_success 'C -> numpy: arrays, labels, coords, meta match the literals' '
	"$PY" "$NP" check-fixture <c.tmt
'

test_expect_success 'C -> numpy through a pipe (no seeking)' '
	tmt-fixture | "$PY" "$NP" check-fixture
'

test_expect_success 'numpy -> C: the Python writer emits the same bytes' '
	"$PY" "$NP" write-fixture >p.tmt &&
	cmp p.tmt c.tmt
'

test_expect_success 'numpy -> C: tmt-fixture -r re-encodes it byte-identically' '
	tmt-fixture -r <p.tmt >pr.tmt &&
	cmp pr.tmt p.tmt &&
	cmp pr.tmt c.tmt
'

test_expect_success 'the check is not vacuous: a changed value is noticed' '
	"$PY" - "$NP" <<-\PYEOF
	import importlib.util, io, sys
	spec = importlib.util.spec_from_file_location("tmt_np", sys.argv[1])
	m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
	m.FIXTURE[1]["arr"][0, 1] = 0.0		# -0.0 becomes +0.0
	b = io.BytesIO(); m.write_fixture(b); b.seek(0)
	spec.loader.exec_module(m)		# fresh literals
	errs = m.check_fixture(b)
	sys.exit(0 if errs and "frame 1: values" in errs[0] else 1)
	PYEOF
'

test_expect_success 'concatenated streams read as one (segments), both readers' '
	cat c.tmt p.tmt >cc.tmt &&
	"$PY" "$NP" read <cc.tmt >n &&
	echo "10 frames" >expect &&
	test_cmp expect n &&
	tmt-fixture -r <cc.tmt >ccr.tmt &&
	"$PY" "$NP" read <ccr.tmt >n2 &&
	test_cmp expect n2
'

len=$(wc -c <"$TRASH/c.tmt" 2>/dev/null || echo 0)
for at in 5 40 100 $((len / 2)) $((len - 70)); do
	test_expect_success "a flipped byte at $at: both readers exit 65" "
		cp c.tmt f.tmt && xorff f.tmt $at &&
		test_must_fail --status 65 tmt-fixture -r <f.tmt >/dev/null 2>err &&
		grep 'byte [0-9]' err &&
		test_must_fail --status 65 \"\$PY\" \"\$NP\" read <f.tmt 2>err &&
		grep 'byte [0-9]' err
	"
done

for cut in 0 31 200 $((len - 64)) $((len - 1)); do
	test_expect_success "truncated to $cut bytes: both readers exit 65" "
		head -c $cut c.tmt >t.tmt &&
		test_must_fail --status 65 tmt-fixture -r <t.tmt >/dev/null 2>err &&
		grep 'byte [0-9]' err &&
		test_must_fail --status 65 \"\$PY\" \"\$NP\" read <t.tmt 2>err &&
		grep 'byte [0-9]' err
	"
done

test_expect_success 'tmt-fixture: a bad option is a usage error' '
	test_must_fail --status 64 tmt-fixture -x 2>err &&
	grep usage: err
'

test_done
