#!/bin/sh
# The run log records the real exit status of every tool, whatever way it
# left (a usage error, tm_die, the end of main), and masks the values of
# the declared secret options only.  The tools are whatever $TM_BIN holds,
# so a tool added later is covered without editing this file.
. "$(dirname "$0")/lib.sh"

# logged FILE KEY: the number or string KEY of the last line of the run
# log FILE (the line is compact JSON written by runlog.c).
logged() {
	tail -n 1 "$1" | sed -n "s/.*\"$2\":\"*\([^,\"]*\).*/\1/p"
}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export PY

tools=
for t in "$TM_BIN"/tm-*; do
	[ -x "$t" ] && tools="$tools $(basename "$t")"
done
[ -n "$tools" ] || test_skip_all "no tool in $TM_BIN"

# Nothing here may reach the network: a tool that fetches meets a closed
# loopback port through the proxy, at once and without backoff.
dead=$(test_free_port)
http_proxy=http://127.0.0.1:$dead https_proxy=http://127.0.0.1:$dead
ALL_PROXY=http://127.0.0.1:$dead TM_FETCH_BACKOFF_MS=0
export http_proxy https_proxy ALL_PROXY TM_FETCH_BACKOFF_MS

for n in $tools; do
	test_expect_success "$n: a bad option is logged with exit 64" "
		rc=0 &&
		TM_LOG=\$PWD/$n.log timeout 20 $n --no-such-option-x \
		    </dev/null >/dev/null 2>err || rc=\$? &&
		test \$rc = 64 || { echo \"exit \$rc, want 64\"; cat err; exit 1; } &&
		test \"\$(logged $n.log exit)\" = \$rc &&
		test \"\$(logged $n.log tool)\" = $n
	"
	# A second way out: an operand that is not there, or garbage on
	# stdin; whatever the status, the log must say the same.
	test_expect_success "$n: a failing run logs the status it exits with" "
		printf 'not a stream\n' >junk &&
		rc=0 &&
		TM_LOG=\$PWD/$n.2.log timeout 20 $n ./no-such-file \
		    <junk >/dev/null 2>err || rc=\$? &&
		test \$rc != 0 && test \$rc -lt 128 && test \$rc != 99 &&
		test \"\$(logged $n.2.log exit)\" = \$rc
	"
done

test_expect_success 'a successful run logs exit 0' '
	printf "fields close\ndate 2024-01-02\nAAPL 1\n" | tmt-mkframes >two.tmt &&
	TM_LOG=$PWD/ok.log tm-cat --info two.tmt >/dev/null &&
	test "$(logged ok.log exit)" = 0
'

test_expect_success '--keys rsi,macd is logged as given' '
	TM_LOG=$PWD/k.log tm-features --keys rsi,macd -k rsi --bad-x \
	    </dev/null 2>/dev/null || true &&
	$PY -c "import json
a = json.loads(open(\"k.log\").read().splitlines()[-1])[\"args\"]
assert a == [\"--keys\", \"rsi,macd\", \"-k\", \"rsi\", \"--bad-x\"], a"
'

test_expect_success 'secret options are masked in every spelling' '
	TM_LOG=$PWD/s.log tm-fetch --password hunter2 --token=tok3n \
	    --api-k s3cr3t --pass=pw4 --bad-x </dev/null 2>/dev/null || true &&
	! grep -q hunter2 s.log && ! grep -q tok3n s.log &&
	! grep -q s3cr3t s.log && ! grep -q pw4 s.log &&
	$PY -c "import json
a = json.loads(open(\"s.log\").read().splitlines()[-1])[\"args\"]
assert a == [\"--password\", \"***\", \"--token=***\", \"--api-k\", \"***\",
    \"--pass=***\", \"--bad-x\"], a"
'

test_expect_success '--to DATE is a date, not an abbreviated --token' '
	TM_LOG=$PWD/t.log tm-cat --to 2017-01-03 --to=2017-01-04 --tok x \
	    </dev/null >/dev/null 2>&1 || true &&
	$PY -c "import json
a = json.loads(open(\"t.log\").read().splitlines()[-1])[\"args\"]
assert a == [\"--to\", \"2017-01-03\", \"--to=2017-01-04\", \"--tok\",
    \"***\"], a"
'

test_expect_success 'after -- nothing is an option: operands kept' '
	TM_LOG=$PWD/d.log tm-cat -- --password x </dev/null \
	    >/dev/null 2>&1 || true &&
	$PY -c "import json
a = json.loads(open(\"d.log\").read().splitlines()[-1])[\"args\"]
assert a == [\"--\", \"--password\", \"x\"], a"
'

test_done
