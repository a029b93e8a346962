#!/bin/sh
# bench/fetch.sh - tm-fetch against the loopback server answering in 20 ms:
# 1,000 tickers x 1 year into an empty store, and the daily incremental
# run (1,000 tickers x 1 day on top of that store).  Wall time and
# requests per second, median of 3.  Rate limits are lifted
# (TM_FETCH_RATE=yahoo=0): this measures tm-fetch, not Yahoo's patience.
# Goal: the daily run under 10 s.
. "$(dirname "$0")/../lib.sh"
N=${BENCH_FETCH_TICKERS:-1000}
DELAY=${BENCH_FETCH_DELAY_MS:-20}
JOBS=${BENCH_FETCH_JOBS:-8}
PORT=$(test_free_port)
python3 "$TOP/tests/helpers/fetchd.py" serve --port "$PORT" --delay-ms "$DELAY" &
test_register_pid $!
test_wait_port "$PORT" || { echo "bench-fetch: server did not start" >&2; exit 1; }
TM_YAHOO_URL=http://127.0.0.1:$PORT TM_FETCH_RATE=yahoo=0
export TM_YAHOO_URL TM_FETCH_RATE
FETCH=$TM_BIN/tm-fetch
[ -x "$FETCH" ] || { echo "bench-fetch: $FETCH not built" >&2; exit 1; }

u=$TRASH/universe.csv
{ echo ticker; i=0; while [ $i -lt "$N" ]; do printf 'B%04d\n' $i; i=$((i + 1)); done; } >"$u"

# run NAME STORE-SEED ARGS...: three timed runs, each on a fresh copy of
# the seed store; prints the median wall time and requests per second.
run() {
	name=$1 seed=$2
	shift 2
	times=
	for _ in 1 2 3; do
		rm -rf "$TRASH/st"
		if [ -n "$seed" ]; then cp -r "$seed" "$TRASH/st"; else mkdir "$TRASH/st"; fi
		t0=$(date +%s.%N)
		rc=0
		"$FETCH" -j "$JOBS" --source yahoo -u "$u" --store "$TRASH/st" "$@" \
		    >/dev/null 2>"$TRASH/err" || rc=$?
		t1=$(date +%s.%N)
		[ $rc = 0 ] || { echo "bench-fetch: $name: exit $rc" >&2; tail -c 400 "$TRASH/err" >&2; exit 1; }
		req=$(sed -n 's/.*"requests":{"yahoo":\([0-9]*\)}.*/\1/p' "$TRASH/err")
		times="$times $(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')"
	done
	med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 2p)
	echo "$name: median ${med} s, $(echo "$req $med" | awk '{ printf "%.0f", $1 / $2 }') requests/s ($req requests; runs:$times; -j $JOBS, server ${DELAY} ms)"
}

run "fetch $N tickers x 1 year, empty store" "" --from 2024-01-02 --to 2024-12-30
cp -r "$TRASH/st" "$TRASH/seed"
run "fetch $N tickers x 1 day, incremental" "$TRASH/seed" --from 2024-12-31 --to 2024-12-31
