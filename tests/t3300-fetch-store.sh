#!/bin/sh
# t3300: --store: day files, incremental runs that fetch only what is
# missing and change nothing when nothing is, and a kill -9 in the middle
# of a store write that leaves every day file whole.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd
R="--from 2024-06-03 --to 2024-06-07"

# valid DIR: every day file (dot files are temporaries, not data) reads.
valid() {
	find "$1" -name '[0-9]*.tmt' -exec python3 "$FETCHD" dump {} + >/dev/null
}

test_expect_success 'first run: one file per trading day, same as stdout' '
	tm-fetch --source yahoo $R --store st AAPL >out.tmt 2>err &&
	(cd st && find raw -type f | sort) >got &&
	printf "raw/2024/06/0%s.tmt\n" 3 4 5 6 7 >exp && test_cmp exp got &&
	dump st/raw/2024/06/*.tmt >got &&
	want 2024-06-03 2024-06-07 AAPL >exp && test_cmp exp got &&
	dump out.tmt >got && test_cmp exp got &&
	grep "\"files_written\":5" err
'

test_expect_success 'same run again: no request, no file touched, same output' '
	scenario "{}" &&
	(cd st && ls -l --time-style=full-iso -R . && cat raw/2024/06/*) >before &&
	tm-fetch --source yahoo $R --store st AAPL >out2.tmt 2>err &&
	(cd st && ls -l --time-style=full-iso -R . && cat raw/2024/06/*) >after &&
	test_cmp before after &&
	test ! -s "$TRASH/requests.log" &&
	cmp out.tmt out2.tmt &&
	grep "\"files_written\":0" err
'

test_expect_success 'a complete store needs no server at all' '
	dead=$(test_free_port) &&
	TM_YAHOO_URL=http://127.0.0.1:$dead tm-fetch --source yahoo $R --store st \
	    AAPL >out3.tmt && cmp out.tmt out3.tmt
'

test_expect_success 'a new ticker: only it is fetched; old rows kept as they were' '
	scenario "{}" &&
	tm-fetch --source yahoo $R --store st AAPL MSFT >out.tmt 2>err &&
	test "$(requests /chart/MSFT)" = 1 && test "$(requests /chart/AAPL)" = 0 &&
	dump st/raw/2024/06/*.tmt >got &&
	want 2024-06-03 2024-06-07 AAPL MSFT >exp && test_cmp exp got &&
	dump --meta st/raw/2024/06/05.tmt | grep "AAPL=yahoo,MSFT=yahoo"
'

test_expect_success 'a longer range: only the new days are asked for' '
	scenario "{}" &&
	tm-fetch --source yahoo --from 2024-06-03 --to 2024-06-10 --store st \
	    AAPL MSFT >out.tmt 2>err &&
	test "$(requests "period1=1717977600&period2=1718064000")" = 2 &&
	test "$(wc -l <"$TRASH/requests.log")" = 2 &&
	dump out.tmt >got &&
	want 2024-06-03 2024-06-10 AAPL MSFT >exp && test_cmp exp got &&
	valid st
'

test_expect_success 'a bad bar is not stored, and is asked for again' '
	scenario "{\"rules\": [{\"match\": \"/chart/FIXB\", \"seq\": [{\"file\": \"yahoo-fixb.json\"}]}]}" &&
	run_rc tm-fetch --source yahoo --from 2024-06-03 --to 2024-06-04 \
	    --store st6 FIXB >out.tmt 2>err &&
	test $rc = 1 && test ! -e st6/raw/2024/06/04.tmt &&
	test -e st6/raw/2024/06/03.tmt &&
	scenario "{}" &&
	tm-fetch --source yahoo --from 2024-06-03 --to 2024-06-04 --store st6 \
	    FIXB >out.tmt 2>err &&
	test "$(requests "period1=1717459200")" = 1 &&
	test "$(wc -l <"$TRASH/requests.log")" = 1
'

test_expect_success 'a store in use by another run: exit 75, nothing fetched' '
	python3 -c "
import fcntl, sys, time
f = open(\"st/.tm-fetch.lock\", \"w\"); fcntl.flock(f, fcntl.LOCK_EX)
open(\"locked\", \"w\").close(); time.sleep(60)" &
	holder=$! &&
	i=0 && while [ ! -e locked ] && [ $i -lt 1000 ]; do
		sleep 0.01; i=$((i + 1)); done &&
	test -e locked &&
	scenario "{}" &&
	run_rc tm-fetch --source yahoo --from 2024-06-11 --to 2024-06-11 --store st \
	    AAPL >out.tmt 2>err &&
	kill $holder &&
	test $rc = 75 && grep "another tm-fetch is writing this store" err &&
	test ! -s "$TRASH/requests.log"
'

# Kill tm-fetch with SIGKILL while it writes the store: poll (bounded)
# for its temporary dot file after ten committed days, then kill.  Prints
# "caught" when a temporary file is still there after the kill, else
# "missed" (the file seen was renamed into place between the poll and the
# kill, which a fast idle machine does often: the caller tries again).
cat >"$TRASH/killer.py" <<'PY'
import os, signal, subprocess, sys, time
store, args = sys.argv[1], sys.argv[2:]
def count():
    tmp = done = 0
    for root, dirs, files in os.walk(store):
        tmp += sum(f.startswith(".") and ".tmt." in f for f in files)
        done += sum(f.endswith(".tmt") and not f.startswith(".") for f in files)
    return tmp, done
p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
end = time.time() + 60
while time.time() < end and p.poll() is None:
    tmp, done = count()
    # Some days already committed and one being written.
    if tmp and done >= 10:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        print("caught" if count()[0] else "missed")
        sys.exit(0)
    time.sleep(0.0005)
p.kill()
p.wait()
print("missed")
PY

test_expect_success 'kill -9 in the middle of a store write: every file reads' '
	scenario "{}" &&
	i=0 && n=0 && res=missed &&
	while [ $i -lt 100 ]; do echo T$i; i=$((i + 1)); done >u.txt &&
	sed -i "1i ticker" u.txt &&
	for try in 1 2 3; do
		rm -rf stk &&
		res=$(TM_FETCH_RATE=yahoo=0 python3 killer.py stk tm-fetch --source yahoo \
		    -u u.txt --from 2024-01-02 --to 2024-06-28 --store stk) &&
		[ "$res" = caught ] && break
	done &&
	test "$res" = caught &&
	test -n "$(find stk -name ".*.tmt.*")" &&
	test "$(find stk -name "[0-9]*.tmt" | wc -l)" -ge 10 &&
	valid stk &&
	TM_FETCH_RATE=yahoo=0 tm-fetch --source yahoo -u u.txt --from 2024-01-02 \
	    --to 2024-06-28 --store stk >out.tmt 2>err &&
	grep "removed 1 temporary files of an interrupted run" err &&
	test -z "$(find stk -name ".*.tmt.*")" &&
	valid stk &&
	test "$(find stk -name "[0-9]*.tmt" | wc -l)" = \
	    $(($(want 2024-01-02 2024-06-28 T0 | wc -l) - 1)) &&
	dump stk/raw/2024/03/*.tmt | sort >got &&
	want 2024-03-01 2024-03-31 $(sed 1d u.txt) | sort >exp &&
	test_cmp exp got
'

test_expect_success 'same-day re-run, only an unknown ticker left: 1, not 69' '
	scenario "{}" &&
	tm-fetch --source yahoo,stooq $R --store stu AAPL >/dev/null 2>err &&
	scenario "{}" &&
	run_rc tm-fetch --source yahoo,stooq $R --store stu AAPL NOPE >out.tmt 2>err &&
	test "$(requests /chart/AAPL)" = 0 && test "$(requests /chart/NOPE)" = 1 &&
	test $rc = 1 || { echo "exit $rc, want 1"; cat err; exit 1; } &&
	grep "{\"finding\":\"missing\",\"ticker\":\"NOPE\"" err &&
	dump out.tmt | grep -c AAPL >n && test "$(cat n)" = 5
'

test_expect_success 'the same with both servers down is still 69' '
	dead=$(test_free_port) &&
	run_rc env TM_YAHOO_URL=http://127.0.0.1:$dead \
	    TM_STOOQ_URL=http://127.0.0.1:$dead TM_FETCH_BACKOFF_MS=0 \
	    tm-fetch --source yahoo,stooq --retries 0 $R --store stu AAPL NOPE \
	    >out.tmt 2>err &&
	test $rc = 69 || { echo "exit $rc, want 69"; cat err; exit 1; }
'

test_done
