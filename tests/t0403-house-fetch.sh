#!/bin/sh
# tm-fetch under bad input, as a careful user tries it: unusable tickers
# skipped up front with a finding (the rest of the day lands), replies with
# timestamps no day can hold judged malformed (no sanitizer abort), no
# ticker at all said so, and a dead server's cause shown with the failed
# attempts counted.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/fetch/setup.sh"
start_fetchd
R="--from 2024-06-03 --to 2024-06-07"

# Replies whose timestamps no day can hold (1e300 seconds, -1e300).
cat >"$TRASH/y1e300.json" <<'EOT'
{"rules": [{"match": "/chart/", "seq": [{"status": 200, "type": "application/json", "body": "{\"chart\":{\"result\":[{\"timestamp\":[1e300,1717425000],\"indicators\":{\"quote\":[{\"close\":[1,2]}]},\"events\":{\"splits\":{\"x\":{\"date\":-1e300}}}}]}}"}]}]}
EOT
cat >"$TRASH/p1e300.json" <<'EOT'
{"rules": [{"match": "/grouped/", "seq": [{"status": 200, "type": "application/json", "body": "{\"status\":\"OK\",\"results\":[{\"T\":\"IBM\",\"c\":1,\"t\":1e300}]}"}]}]}
EOT

test_expect_success 'yahoo timestamp 1e300: malformed, the next source serves' '
	scenario "$(cat y1e300.json)" &&
	tm-fetch -s yahoo,stooq $R IBM >out.tmt 2>err &&
	grep "yahoo: .*timestamp 1e+300 out of range" err &&
	grep "\"source\":{\"IBM\":\"stooq\"}" err &&
	dump out.tmt >got && want 2024-06-03 2024-06-07 IBM >exp &&
	test_cmp exp got
'

test_expect_success 'polygon t 1e300 (grouped): malformed, 69' '
	scenario "$(cat p1e300.json)" &&
	run_rc env TM_POLYGON_KEY=k tm-fetch -s polygon --polygon grouped \
	    --retries 0 --from 2024-06-03 --to 2024-06-03 IBM >out.tmt 2>err &&
	test $rc = 69 || { echo "exit $rc"; cat err; exit 1; } &&
	grep "polygon: .*timestamp 1e+300 out of range" err
'

test_done
