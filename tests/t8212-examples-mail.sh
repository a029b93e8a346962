#!/bin/sh
# tm-mail(1): every EXAMPLES block runs as printed, with the configuration
# in the environment (TM_SMTP_URL, TM_MAIL_FROM, TM_MAIL_TO,
# TM_SMTP_CACERT) and the default spool, ./data/spool (TM_HOME and
# TM_MAIL_SPOOL unset), against the loopback SMTP server with STARTTLS.
# The report goes out encrypted as text and HTML; with the server away it
# waits in the spool (75); the --spool-only lines each leave one message
# Python's email package reads; the cron line's command, run in the
# folder that stands for /srv/tm with the server back, sends them all.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/mail/setup.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v openssl >/dev/null || test_skip_all 'openssl is not installed'
unset TM_HOME TM_MAIL_SPOOL
PY=$SMTPD_PY
export PY

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$TRASH/key.pem" -out "$TRASH/cert.pem" -days 2 \
    -subj /CN=localhost -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
    2>/dev/null || test_skip_all 'openssl cannot make a certificate'
S=$TRASH/srv
start_smtpd "$S" --tls "$TRASH/cert.pem" "$TRASH/key.pem" || exit 1
TM_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
TM_SMTP_CACERT=$TRASH/cert.pem
TM_MAIL_FROM=tm@example.org
TM_MAIL_TO=ops@example.org
export TM_SMTP_URL TM_SMTP_CACERT TM_MAIL_FROM TM_MAIL_TO S

# new: the messages in ./data/spool/new.
new() { find data/spool/new -type f 2>/dev/null | wc -l | tr -d ' '; }

test_expect_success 'setup: three blocks; the report files' '
	test "$(man_examples "$TOP/man/tm-mail.1")" = 3 &&
	printf "TMagikarp daily report\nvalue 1,000,000.00\n" >report.txt &&
	printf "<html><body><p>value 1,000,000.00</p></body></html>\n" >report.html
'

test_expect_success 'the report, sent encrypted to the configured address' '
	sh -eu ex.1.sh &&
	test "$(count "$S")" = 1 && test "$(new)" = 0 &&
	echo yes >want && test_cmp want "$S/msg.1.tls" &&
	echo ops@example.org >want && test_cmp want "$S/msg.1.rcpt" &&
	"$PY" - "$S/msg.1.eml" <<-\PYEOF
	import email, email.policy, sys
	m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
	assert m["Subject"] == "Daily report" and m["To"] == "ops@example.org", m
	assert m.get_content_type() == "multipart/alternative"
	assert m.get_body(("plain",)).get_content().replace("\r\n", "\n") == open("report.txt").read()
	assert "<p>value 1,000,000.00</p>" in m.get_body(("html",)).get_content()
	assert not m.defects
	PYEOF
'

stop_smtpd
test_expect_success 'the server away: exit 75, the report kept in the spool' '
	test_must_fail --status 75 sh -eu ex.1.sh 2>err &&
	test "$(new)" = 1 &&
	grep -l "^Subject: Daily report" data/spool/new/* >/dev/null
'

test_expect_success 'the --spool-only lines: a path each, three more messages' '
	sh -eu ex.2.sh >paths &&
	test "$(wc -l <paths)" = 3 && test "$(new)" = 4 &&
	while IFS= read -r p; do test -f "$p" || exit 1; done <paths &&
	for f in $(cat paths); do
		"$PY" -c "import email, sys
m = email.message_from_binary_file(open(sys.argv[1], \"rb\"))
assert m[\"Message-ID\"] and m[\"From\"] and not m.defects, sys.argv[1]
print(m[\"Subject\"], m[\"X-TM-Severity\"])" "$f" || exit 1
	done >subj &&
	printf "%s\\n" "Daily run None" "ready None" "[CRITICAL] fetch critical" >want &&
	test_cmp want subj
'

start_smtpd "$S" --tls "$TRASH/cert.pem" "$TRASH/key.pem" || exit 1
TM_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
test_expect_success 'the cron line: every ten minutes; its command sends the spool' '
	test "$(grep -c . ex.3.sh)" = 1 &&
	read -r m h dom mon dow cmd <ex.3.sh &&
	test "$m $h $dom $mon $dow" = "*/10 * * * *" &&
	case $cmd in "cd /srv/tm && "*) ;; *) false ;; esac &&
	sh -euc "cd \"$TRASH\" && ${cmd#"cd /srv/tm && "}" &&
	test "$(new)" = 0 && test "$(count "$S")" = 4 &&
	echo yes >want && test_cmp want "$S/msg.4.tls"
'

test_done
