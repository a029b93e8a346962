#!/bin/sh
# tm-cat --info prints the stored headers without reading the payloads
# (issue 13, item 8): a 1 MB file holding a 1 GiB deflate frame is listed
# without inflating it (before: 1 GB of memory and seconds of CPU), and
# the frame's CRCs are still checked.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3'

# maxrss_kb CMD...: runs CMD (stdout to out, stderr to err), prints its
# peak resident memory in KB; exits with CMD's status.
maxrss_kb() {
	"$PY" -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=open("out", "w"), stderr=open("err", "w"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$@"
}

test_expect_success 'setup: a 1 GiB deflate frame in a small file' '
	"$PY" "$TOP/tests/helpers/bigframe.py" 16777216 >big.tmt &&
	test $(wc -c <big.tmt) -lt 5000000
'

# Under ASan the frame's (untouched) buffer gets 128 MB of shadow memory.
if [ "${TM_SAN:-}" = 1 ]; then
	test_skip '--info memory' 'ASan shadows the allocation: plain build only'
else
test_expect_success '--info lists it in under 64 MB of memory' '
	kb=$(maxrss_kb tm-cat --info big.tmt) &&
	echo "peak $kb KB" &&
	test "$kb" -lt 65536 &&
	grep -q "\"nbytes\":1073741824" out &&
	grep -q "\"encoding\":\"deflate\"" out &&
	test $(wc -l <out) = 1
'
fi

test_expect_success '--info still checks the body CRC: 65, named' '
	"$PY" -c "import sys
b = bytearray(open(\"big.tmt\", \"rb\").read())
b[2000] ^= 1
sys.stdout.buffer.write(b)" >bad.tmt &&
	test_must_fail --status 65 tm-cat --info bad.tmt >/dev/null 2>err &&
	grep "bad.tmt: byte 28: body CRC mismatch" err
'

test_done
