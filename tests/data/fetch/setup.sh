# setup.sh - sourced by tests/t3*-fetch-*.sh after lib.sh: the loopback
# server and small helpers around it.
FIX=$TOP/tests/data/fetch
FETCHD=$TOP/tests/helpers/fetchd.py
TM_FETCH_BACKOFF_MS=10
export TM_FETCH_BACKOFF_MS
unset TM_ALPHAVANTAGE_KEY TM_POLYGON_KEY TM_STOOQ_KEY TM_SECRETS TM_FETCH_RATE

# start_fetchd [args]: serve on a free port; every source points at it.
start_fetchd() {
	PORT=$(test_free_port)
	python3 "$FETCHD" serve --port "$PORT" --log "$TRASH/requests.log" "$@" &
	test_register_pid $!
	test_wait_port "$PORT" || { echo "fetchd did not start" >&2; exit 1; }
	URL=http://127.0.0.1:$PORT
	TM_YAHOO_URL=$URL TM_STOOQ_URL=$URL TM_ALPHAVANTAGE_URL=$URL TM_POLYGON_URL=$URL
	export TM_YAHOO_URL TM_STOOQ_URL TM_ALPHAVANTAGE_URL TM_POLYGON_URL PORT
}

# scenario 'JSON': load it into the server, resetting hit counters and log.
scenario() {
	printf '%s\n' "$1" >"$TRASH/scenario.json" &&
	python3 "$FETCHD" ctl "$PORT" "$TRASH/scenario.json"
}

# dump FILE: a TMT stream as sorted long CSV (values as Python repr).
dump() { python3 "$FETCHD" dump "$@"; }
want() { python3 "$FETCHD" expect "$@"; }

# requests PATTERN: how many logged requests match.
requests() { grep -c "$1" "$TRASH/requests.log" || true; }

# status CMD...: run, keep the exit status in $rc, never fail.
run_rc() { rc=0; "$@" || rc=$?; }
