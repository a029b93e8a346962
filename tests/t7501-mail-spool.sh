#!/bin/sh
# tm-mail's spool: a server that is down, answers 4xx or hangs up in the
# middle of DATA leaves the message in the maildir (exit 75); --flush
# delivers it exactly once when the server is back; a 5xx refusal or an
# expired message goes to failed/ and a critical alert is queued.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/mail/setup.sh"

S=$TRASH/srv
PORT=$(test_free_port)
URL=smtp://127.0.0.1:$PORT
export S PORT URL
PY=$SMTPD_PY
export PY
send() { tm-mail --insecure-plain --url "$URL" "$@"; }

# unspool FILE: the message of a spool file, its envelope lines removed.
cat >"$TRASH/unspool.py" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\r\n")
i = 0
while lines[i].startswith((b"X-TM-Envelope-", b"X-TM-Queued: ")):
    i += 1
sys.stdout.buffer.write(b"\r\n".join(lines[i:]))
PYEOF

test_expect_success 'server down: spooled into new/ (0700, file 0600), exit 75' '
	rc=0 &&
	echo "report body" | send --from ops@example.org --subject "down" a@x.org b@y.org \
	    2>err || rc=$? &&
	test "$rc" = 75 &&
	grep "spooled as $TM_MAIL_SPOOL/new/" err &&
	test "$(spooled)" = 1 && test "$(spooled tmp)" = 0 &&
	for d in "$TM_MAIL_SPOOL" "$TM_MAIL_SPOOL/new" "$TM_MAIL_SPOOL/tmp" \
	    "$TM_MAIL_SPOOL/failed"; do
		test "$(stat -c %a "$d")" = 700 || exit 1
	done &&
	f=$(find "$TM_MAIL_SPOOL/new" -type f) &&
	test "$(stat -c %a "$f")" = 600 &&
	grep "^X-TM-Envelope-To: <b@y.org>" "$f" &&
	cp "$f" "$TRASH/first.spool"
'

test_expect_success 'a flush with the server still down keeps it (75)' '
	test_must_fail --status 75 tm-mail --flush --retries 0 \
	    --insecure-plain --url "$URL" 2>err &&
	grep "1 still queued" err &&
	test "$(spooled)" = 1
'

test_expect_success 'the retries of a flush back off and try again' '
	rc=0 &&
	tm-mail --flush -v --retries 2 --backoff 0.05 --insecure-plain \
	    --url "$URL" 2>err || rc=$? &&
	test "$rc" = 75 &&
	test "$(grep -c "Trying 127.0.0.1:$PORT" err)" = 3 &&
	test "$(spooled)" = 1
'

start_smtpd "$S" --port "$PORT" || exit 1

test_expect_success 'flush after the server starts delivers it exactly once' '
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" 2>err &&
	test "$(count "$S")" = 1 &&
	test "$(spooled)" = 0 &&
	"$PY" unspool.py "$TRASH/first.spool" >want.eml &&
	cmp want.eml "$S/msg.1.eml" &&
	printf "a@x.org\nb@y.org\n" >want.rcpt &&
	test_cmp want.rcpt "$S/msg.1.rcpt" &&
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" &&
	test "$(count "$S")" = 1
'

test_expect_success 'a hang-up in the middle of DATA leaves it spooled' '
	echo drop-data >"$S/mode" &&
	rc=0 &&
	echo "dropped" | send --from ops@example.org --subject drop a@x.org 2>err ||
	    rc=$? &&
	test "$rc" = 75 && test "$(spooled)" = 1 &&
	test "$(count "$S")" = 1 &&
	test_must_fail --status 75 tm-mail --flush --retries 0 \
	    --insecure-plain --url "$URL" 2>err &&
	test "$(spooled)" = 1 && test "$(count "$S")" = 1 &&
	echo ok >"$S/mode" &&
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" &&
	test "$(spooled)" = 0 && test "$(count "$S")" = 2 &&
	grep -q "^dropped" "$S/msg.2.eml"
'

test_expect_success 'a 451 after the data: spooled, 75; flushed later' '
	echo tempfail >"$S/mode" &&
	rc=0 &&
	echo "later" | send --from ops@example.org --subject temp a@x.org 2>err || rc=$? &&
	test "$rc" = 75 && grep "451" err &&
	test "$(spooled)" = 1 && test "$(count "$S")" = 2 &&
	echo ok >"$S/mode" &&
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" &&
	test "$(spooled)" = 0 && test "$(count "$S")" = 3
'

test_expect_success 'a 554 refusal: exit 69, kept in failed/, not retried' '
	echo permfail >"$S/mode" &&
	rc=0 &&
	echo "never" | send --from ops@example.org --subject perm a@x.org 2>err || rc=$? &&
	test "$rc" = 69 && grep "554" err && grep "kept in" err &&
	test "$(spooled)" = 0 && test "$(spooled failed)" = 1 &&
	echo ok >"$S/mode" &&
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" &&
	test "$(count "$S")" = 3
'

test_expect_success '--spool-only writes the message and sends nothing' '
	echo "demo" | tm-mail --spool-only --from ops@example.org --subject demo \
	    a@x.org >path &&
	test "$(spooled)" = 1 && test -f "$(cat path)" &&
	case $(cat path) in "$TM_MAIL_SPOOL"/new/*) ;; *) exit 1 ;; esac &&
	test "$(count "$S")" = 3 &&
	grep "^Message-ID: <" "$(cat path)" &&
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" &&
	test "$(count "$S")" = 4 && test "$(spooled)" = 0
'

stop_smtpd

test_expect_success 'older than the lifetime: failed/, and a queued alert says so' '
	rm -rf "$TM_MAIL_SPOOL" &&
	echo "stale" | tm-mail --spool-only --from ops@example.org --subject "stale news" \
	    a@x.org >path &&
	name=$(basename "$(cat path)") &&
	rc=0 &&
	tm-mail --flush --retries 0 --lifetime 0 --insecure-plain \
	    --url "$URL" 2>err || rc=$? &&
	test "$rc" = 75 &&
	grep "not delivered" err && grep "alert queued" err &&
	test -f "$TM_MAIL_SPOOL/failed/$name" &&
	test "$(spooled failed)" = 1 && test "$(spooled)" = 1 &&
	a=$(find "$TM_MAIL_SPOOL/new" -type f) &&
	grep "^X-TM-Alert: undelivered" "$a" &&
	grep "^X-TM-Severity: critical" "$a" &&
	grep "^X-TM-Envelope-To: <a@x.org>" "$a"
'

start_smtpd "$S" --port "$PORT" || exit 1

test_expect_success 'the alert goes out when the server is back' '
	tm-mail --flush --retries 0 --insecure-plain --url "$URL" &&
	test "$(count "$S")" = 1 && test "$(spooled)" = 0 &&
	"$PY" - "$S/msg.1.eml" <<-\PYEOF
	import email, email.policy, sys
	m = email.message_from_binary_file(open(sys.argv[1], "rb"),
	    policy=email.policy.default)
	assert m["X-TM-Alert"] == "undelivered"
	assert m["Subject"].startswith("[CRITICAL] "), m["Subject"]
	body = m.get_content()
	assert "stale news" in body, body
	assert "failed/" in body, body
	PYEOF
'

stop_smtpd

test_expect_success 'an expired alert is not alerted about again' '
	rm -rf "$TM_MAIL_SPOOL" &&
	echo "x" | tm-mail --spool-only --from ops@example.org --subject one a@x.org >/dev/null &&
	test_must_fail tm-mail --flush --retries 0 --lifetime 0 \
	    --insecure-plain --url "$URL" 2>/dev/null &&
	test "$(spooled)" = 1 &&
	rc=0 &&
	tm-mail --flush --retries 0 --lifetime 0 --insecure-plain \
	    --url "$URL" 2>err || rc=$? &&
	test "$rc" = 69 &&
	test "$(spooled)" = 0 && test "$(spooled failed)" = 2 &&
	! grep "alert queued" err
'

test_expect_success 'a file in new/ that is not a spool file goes to failed/' '
	rm -rf "$TM_MAIL_SPOOL" &&
	echo "x" | tm-mail --spool-only --from ops@example.org --subject one a@x.org >/dev/null &&
	echo junk >"$TM_MAIL_SPOOL/new/junk" &&
	test_must_fail tm-mail --flush --retries 0 --insecure-plain \
	    --url "$URL" 2>err &&
	grep "junk: not delivered (not a spool file)" err &&
	test -f "$TM_MAIL_SPOOL/failed/junk" && test "$(spooled)" = 1
'

test_done
