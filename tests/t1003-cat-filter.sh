#!/bin/sh
# tm-cat as a filter: quiet under head, exit 74 on a full disk or a
# closed stdout, 65 with the byte offset on a corrupt stream, 66 on a
# missing file, 64 on a bad option.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
export PY
D=$TOP/tests/data/cat
export D

tm-cat --import "$D/prices.csv" >"$TRASH/p.tmt"
# A stream of a few MB, so the output outgrows every pipe buffer.
$PY -c "
print('date,ticker,a,b,c')
for d in range(1, 29):
    for t in range(3000):
        print('2024-02-%02d,T%d,%d.5,%d,%d' % (d, t, t, d, t * d))
" >"$TRASH/big.csv"
tm-cat --import "$TRASH/big.csv" >"$TRASH/big.tmt"

for fmt in tmt text csv json; do
	test_expect_success "-o $fmt to /dev/full exits 74" "
		test_must_fail --status 74 tm-cat -o $fmt p.tmt >/dev/full 2>err &&
		grep -q 'write error' err
	"
done

test_expect_success 'a closed stdout exits 74' '
	test_must_fail --status 74 tm-cat -o csv big.tmt >&- 2>err &&
	grep -q "write error" err
'

for fmt in tmt csv; do
	test_expect_success "tm-cat -o $fmt | head ends quietly" "
		{ tm-cat -o $fmt big.tmt 2>err; echo \$? >rc; } | head -c 100 >/dev/null &&
		! test -s err &&
		rc=\$(cat rc) &&
		{ test \$rc = 0 || test \$rc = 141; }
	"
done

test_expect_success 'a corrupt stream exits 65 naming the byte' '
	cp p.tmt bad.tmt &&
	printf "\377" | dd of=bad.tmt bs=1 seek=400 conv=notrunc 2>/dev/null &&
	test_must_fail --status 65 tm-cat -o csv bad.tmt >out 2>err &&
	grep -q "^tm-cat: bad.tmt: byte [0-9][0-9]*: " err
'

test_expect_success 'a truncated stream exits 65; frames before it came out' '
	head -c 1000 big.tmt >cut.tmt &&
	test_must_fail --status 65 tm-cat cut.tmt >out 2>err &&
	grep -q "byte" err &&
	test_must_fail --status 65 tm-cat <cut.tmt >out 2>err &&
	grep -q "^tm-cat: <stdin>: byte" err
'

test_expect_success 'not a TMT stream exits 65' '
	test_must_fail --status 65 tm-cat "$D/prices.csv" >out 2>err &&
	grep -q "byte 0: bad magic" err
'

test_expect_success 'a missing file exits 66 before any output' '
	test_must_fail --status 66 tm-cat p.tmt nosuch.tmt >out 2>err &&
	grep -q "nosuch.tmt" err &&
	! test -s out
'

test_expect_success 'bad options exit 64 with the usage' '
	test_must_fail --status 64 tm-cat -o xml p.tmt 2>err &&
	grep -q "usage: tm-cat" err &&
	test_must_fail --status 64 tm-cat --last 0 p.tmt &&
	test_must_fail --status 64 tm-cat -z -o csv p.tmt &&
	test_must_fail --status 64 tm-cat --import --info p.tmt
'

test_expect_success 'an empty folder gives an empty (valid) stream' '
	mkdir empty &&
	tm-cat empty >e.tmt &&
	tmt_np.py read <e.tmt
'

test_expect_success 'a big stream passes through unchanged' '
	tm-cat big.tmt | cmp - big.tmt &&
	tm-cat -z big.tmt | tm-cat | cmp - big.tmt
'

test_done
