#!/bin/sh
# tm-mail and TLS: on smtp:// STARTTLS is required, so a server that does
# not offer it gets nothing (78, the message kept in the spool) unless
# --insecure-plain; a STARTTLS server with a certificate the CA file
# vouches for gets the message encrypted, and one nobody vouches for is
# refused.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/data/mail/setup.sh"

command -v openssl >/dev/null || test_skip_all 'openssl is not installed'

P=$TRASH/plain
start_smtpd "$P" || exit 1
PURL=smtp://127.0.0.1:$SMTP_PORT
PPID_=$SMTP_PID
export P PURL

test_expect_success 'a server without STARTTLS gets nothing: 78, spooled' '
	rc=0 &&
	echo "secret report" | tm-mail --url "$PURL" --from ops@example.org \
	    --subject tls a@x.org 2>err || rc=$? &&
	test "$rc" = 78 &&
	grep "offers no STARTTLS" err && test "$(wc -l <err)" = 1 &&
	test "$(count "$P")" = 0 &&
	test "$(spooled)" = 1 &&
	test_must_fail --status 78 tm-mail --flush --retries 0 --url "$PURL" \
	    2>err &&
	test "$(count "$P")" = 0 && test "$(spooled)" = 1
'

test_expect_success '--insecure-plain sends it in the clear' '
	tm-mail --flush --retries 0 --insecure-plain --url "$PURL" &&
	test "$(count "$P")" = 1 && test "$(spooled)" = 0 &&
	echo no >want && test_cmp want "$P/msg.1.tls" &&
	grep "^secret report" "$P/msg.1.eml"
'
kill "$PPID_"
wait "$PPID_" 2>/dev/null || true

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$TRASH/key.pem" -out "$TRASH/cert.pem" -days 2 \
    -subj /CN=localhost -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
    2>/dev/null || test_skip_all 'openssl cannot make a certificate'
T=$TRASH/tls
start_smtpd "$T" --tls "$TRASH/cert.pem" "$TRASH/key.pem" || exit 1
TURL=smtp://127.0.0.1:$SMTP_PORT
export T TURL

test_expect_success 'STARTTLS with a trusted certificate: delivered encrypted' '
	echo "over tls" | tm-mail --cacert "$TRASH/cert.pem" --url "$TURL" \
	    --from ops@example.org --subject tls a@x.org &&
	test "$(count "$T")" = 1 &&
	echo yes >want && test_cmp want "$T/msg.1.tls" &&
	echo "env ca" | TM_SMTP_CACERT=$TRASH/cert.pem tm-mail --url "$TURL" \
	    --from ops@example.org --subject tls a@x.org &&
	test "$(count "$T")" = 2
'

test_expect_success 'STARTTLS with an untrusted certificate: refused, 78, spooled' '
	rm -rf "$TM_MAIL_SPOOL" &&
	rc=0 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout other.key -out other.pem -days 2 -subj /CN=other \
	    -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null &&
	echo "x" | tm-mail --cacert other.pem --url "$TURL" \
	    --from ops@example.org --subject tls a@x.org 2>err || rc=$? &&
	test "$rc" = 78 && grep -i "certificate" err &&
	test "$(count "$T")" = 2 && test "$(spooled)" = 1
'

test_done
