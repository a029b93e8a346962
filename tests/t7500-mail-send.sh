#!/bin/sh
# tm-mail against a real SMTP server on loopback: a caller's message
# arrives byte for byte with the right envelope, a composed one parses as
# MIME with Python's email package, header injection is refused, and the
# SMTP password is used but never shows in the run log or on stderr.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/mail/setup.sh"

S=$TRASH/srv
start_smtpd "$S" || exit 1
URL=smtp://127.0.0.1:$SMTP_PORT
export S URL
PY=$SMTPD_PY
export PY

test_expect_success 'usage: a bad option exits 64, no server 78' '
	test_must_fail --status 64 tm-mail --bogus a@x.org 2>err &&
	grep "^usage: tm-mail" err &&
	echo x | test_must_fail --status 78 tm-mail --from a@x.org b@y.org 2>err &&
	grep "no SMTP server" err &&
	test_must_fail --status 64 tm-mail --url "smtp://u:s3cr3tpw@127.0.0.1" \
	    --from a@x.org b@y.org </dev/null 2>err &&
	grep "credentials in the URL" err && ! grep s3cr3tpw err &&
	test_must_fail --status 64 tm-mail --url http://x/ --from a@x.org b@y.org \
	    </dev/null 2>/dev/null &&
	test_must_fail --status 64 tm-mail --password x a@x.org 2>/dev/null
'

test_expect_success 'a message from stdin arrives byte for byte' '
	printf "From: Ops <ops@example.org>\r\nTo: a@x.org\r\nSubject: plain\r\n\r\n" >in.eml &&
	printf ".\r\n..two dots\r\n.starts with a dot\r\ntrailing  \r\n\r\n" >>in.eml &&
	printf "caf\303\251 \342\202\254 8-bit\r\n\tTab line\r\nlast\r\n" >>in.eml &&
	tm-mail --insecure-plain --url "$URL" --from ops@example.org \
	    a@x.org "b@y.org, c@z.org" <in.eml &&
	test "$(count "$S")" = 1 &&
	"$PY" - "$S/msg.1.eml" in.eml <<-\PYEOF &&
	import re, sys
	got = open(sys.argv[1], "rb").read()
	want = open(sys.argv[2], "rb").read()
	assert got.endswith(want), (got, want)
	added = got[:len(got) - len(want)].decode()
	lines = added.split("\r\n")
	assert lines[-1] == "", lines
	names = sorted(l.split(":")[0] for l in lines[:-1])
	assert names == ["Date", "Message-ID"], names
	assert re.search(r"^Message-ID: <[^<>@ ]+@example\.org>\r$", added + "\r",
	    re.M), added
	PYEOF
	printf "a@x.org\nb@y.org\nc@z.org\n" >want.rcpt &&
	test_cmp want.rcpt "$S/msg.1.rcpt" &&
	echo ops@example.org >want.from &&
	test_cmp want.from "$S/msg.1.from"
'

test_expect_success 'LF line ends go out as CRLF; a Message-ID is kept, not doubled' '
	printf "Message-ID: <keep.1@example.org>\nSubject: lf\n\nline 1\nline 2" >lf.eml &&
	printf "Message-ID: <keep.1@example.org>\r\nSubject: lf\r\n\r\nline 1\r\nline 2\r\n" >lf.want &&
	TM_SMTP_URL=$URL TM_MAIL_FROM=ops@example.org TM_MAIL_TO=a@x.org \
	    tm-mail --insecure-plain <lf.eml &&
	test "$(count "$S")" = 2 &&
	"$PY" - "$S/msg.2.eml" lf.want <<-\PYEOF &&
	import sys
	got = open(sys.argv[1], "rb").read()
	want = open(sys.argv[2], "rb").read()
	assert got.endswith(want), got
	assert got.count(b"Message-ID:") == 1, got
	assert b"\nFrom: <ops@example.org>\r\n" in b"\n" + got, got
	PYEOF
	echo a@x.org >want.rcpt && test_cmp want.rcpt "$S/msg.2.rcpt"
'

test_expect_success 'a composed message parses as MIME with the parts intact' '
	printf "Dear ops,\nthe run is done.\n" >t.txt &&
	printf "<p>the run is <b>done</b> \342\234\223</p>\n" >h.html &&
	"$PY" -c "import os, sys; sys.stdout.buffer.write(os.urandom(3000))" >chart.png &&
	f=$(printf "r\303\251sum\303\251.csv") &&
	printf "ticker,weight\nAAPL,0.1\n" >"$f" &&
	subj=$(printf "Daily report \342\200\224 Gr\303\274\303\237e, 2026-12-02, a subject long enough to fold") &&
	tm-mail --insecure-plain --url "$URL" --from "TMagikarp <tm@example.org>" \
	    --subject "$subj" --severity warning --text t.txt --html h.html \
	    -a chart.png -a "$f" -H "X-Run: 42" a@x.org b@y.org &&
	test "$(count "$S")" = 3 &&
	"$PY" - "$S/msg.3.eml" "$subj" <<-\PYEOF
	import email, email.policy, sys
	raw = open(sys.argv[1], "rb").read()
	for line in raw.split(b"\r\n"):
	    assert len(line) <= 998
	assert b"\n" not in raw.replace(b"\r\n", b"")
	m = email.message_from_bytes(raw, policy=email.policy.default)
	assert not m.defects, m.defects
	assert m["Subject"] == "[WARNING] " + sys.argv[2], m["Subject"]
	assert m["X-TM-Severity"] == "warning"
	assert m["X-Run"] == "42"
	assert m["From"].addresses[0].addr_spec == "tm@example.org"
	assert m["From"].addresses[0].display_name == "TMagikarp"
	assert [a.addr_spec for a in m["To"].addresses] == ["a@x.org", "b@y.org"]
	assert m["Message-ID"].startswith("<") and m["Date"].datetime
	assert m.get_content_type() == "multipart/mixed"
	parts = m.get_payload()
	assert [p.get_content_type() for p in parts] == [
	    "multipart/alternative", "image/png", "text/csv"], parts
	alt = parts[0].get_payload()
	assert [p.get_content_type() for p in alt] == ["text/plain", "text/html"]
	assert alt[0].get_content().replace("\r\n", "\n") == open("t.txt").read()
	assert alt[1].get_content().replace("\r\n", "\n") == open("h.html", encoding="utf-8").read()
	assert parts[1].get_filename() == "chart.png"
	assert parts[1].get_content() == open("chart.png", "rb").read()
	assert parts[2].get_filename() == "r\u00e9sum\u00e9.csv", parts[2].get_filename()
	assert parts[2].get_payload(decode=True) == open("r\u00e9sum\u00e9.csv".encode(), "rb").read()
	for p in m.walk():
	    assert not p.defects, (p.get_content_type(), p.defects)
	PYEOF
'

test_expect_success 'severity critical: subject prefix and header on a raw message' '
	printf "From: ops@example.org\r\nSubject: disk full\r\nX-TM-Severity: info\r\n\r\nbody\r\n" >c.eml &&
	tm-mail --insecure-plain --url "$URL" --severity critical a@x.org <c.eml &&
	test "$(count "$S")" = 4 &&
	grep -c "^X-TM-Severity: " "$S/msg.4.eml" >n && echo 1 >one && test_cmp one n &&
	grep "^X-TM-Severity: critical" "$S/msg.4.eml" &&
	grep "^Subject: \[CRITICAL\] disk full" "$S/msg.4.eml" &&
	test_must_fail --status 64 tm-mail --print --severity bogus --from a@x.org \
	    b@y.org <c.eml 2>/dev/null
'

# inject OPTION-ARGS...: tm-mail must refuse with 65, one line, and send
# nothing.
inject() {
	before=$(count "$S")
	rc=0
	echo body | tm-mail --insecure-plain --url "$URL" "$@" 2>err || rc=$?
	test "$rc" = 65 || { echo "exit $rc, want 65"; cat err; return 1; }
	test "$(wc -l <err)" = 1 || { cat err; return 1; }
	grep "CR or LF in a header value" err
	test "$(count "$S")" = "$before"
}

test_expect_success 'CR or LF in a header value from the caller is refused' '
	nl="
" &&
	cr=$(printf "\r") &&
	inject --from ops@example.org --subject "hi${nl}Bcc: victim@evil.org" a@x.org &&
	inject --from ops@example.org --subject "hi${cr}${nl}Bcc: victim@evil.org" a@x.org &&
	inject --from ops@example.org --subject "hi${cr}Bcc: v@evil.org" a@x.org &&
	inject --from "ops@example.org${nl}Bcc: v@evil.org" --subject hi a@x.org &&
	inject --from ops@example.org --subject hi -H "X-A: b${nl}Bcc: v@evil.org" a@x.org &&
	inject --from ops@example.org --subject hi "a@x.org${nl}Bcc: v@evil.org" &&
	touch "f${nl}Bcc: v@evil.org" &&
	inject --from ops@example.org --subject hi -a "f${nl}Bcc: v@evil.org" a@x.org &&
	test_must_fail --status 64 tm-mail --print --from ops@example.org --subject hi \
	    -H "Bcc: v@evil.org" -H "To: v@evil.org" a@x.org </dev/null 2>err &&
	grep "sets To itself" err
'
stop_smtpd

# A server that wants AUTH (offered in the clear: this is loopback).
A=$TRASH/auth
PASS='pa55-w0rd-7f3c'
start_smtpd "$A" --auth "robot:$PASS" || exit 1
AURL=smtp://127.0.0.1:$SMTP_PORT
export A AURL PASS

# nopass FILE...: none of the files holds the password, plain or base64.
cat >"$TRASH/nopass.py" <<'PYEOF'
import base64, sys
pw = sys.argv[1].encode()
forms = [pw, base64.b64encode(b"\0robot\0" + pw), base64.b64encode(pw)]
for f in sys.argv[2:]:
    data = open(f, "rb").read()
    for x in forms:
        assert x not in data, (f, x)
PYEOF

test_expect_success 'the password from the 0600 secrets file is used, never shown' '
	printf "{\"smtp_user\": \"robot\", \"smtp_pass\": \"%s\"}\n" "$PASS" >sec.json &&
	chmod 600 sec.json &&
	echo "hello" | TM_SECRETS=$PWD/sec.json TM_LOG=$PWD/run.log \
	    tm-mail -v --insecure-plain --url "$AURL" --from ops@example.org \
	    --subject auth a@x.org 2>err &&
	grep "^robot:$PASS ok" "$A/auth.log" &&
	test "$(count "$A")" = 1 &&
	grep "AUTH" err && grep "\"tool\": *\"tm-mail\"" run.log &&
	"$PY" nopass.py "$PASS" run.log err "$A/msg.1.eml"
'

test_expect_success 'the password from TM_SMTP_PASS, and a wrong one: 78, spooled' '
	echo "hello" | TM_SMTP_USER=robot TM_SMTP_PASS=$PASS TM_LOG=$PWD/run2.log \
	    tm-mail --insecure-plain --url "$AURL" --from ops@example.org \
	    --subject env a@x.org 2>err &&
	test "$(count "$A")" = 2 &&
	rc=0 &&
	echo "hello" | TM_SMTP_USER=robot TM_SMTP_PASS=wrong-$PASS \
	    TM_LOG=$PWD/run2.log tm-mail -v --insecure-plain --url "$AURL" \
	    --from ops@example.org --subject env a@x.org 2>>err || rc=$? &&
	test "$rc" = 78 &&
	test "$(count "$A")" = 2 && test "$(spooled)" = 1 &&
	"$PY" nopass.py "$PASS" run2.log err &&
	! grep -r -F "$PASS" "$TM_MAIL_SPOOL"
'

test_expect_success 'a secrets file readable by others is refused (78)' '
	printf "{\"smtp_pass\": \"%s\"}\n" "$PASS" >loose.json &&
	chmod 644 loose.json &&
	echo x | test_must_fail --status 78 env TM_SECRETS=$PWD/loose.json \
	    tm-mail --insecure-plain --url "$AURL" --from ops@example.org --subject x \
	    a@x.org 2>err &&
	grep "chmod 600" err &&
	"$PY" nopass.py "$PASS" err
'
stop_smtpd

test_done
