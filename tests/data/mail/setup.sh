# setup.sh - sourced by tests/t75NN-mail-*.sh after lib.sh: the loopback
# SMTP server (tests/helpers/smtpsink.py on Debian's python3-aiosmtpd).
SMTPD_PY=/usr/bin/python3
"$SMTPD_PY" -c 'import aiosmtpd' 2>/dev/null ||
	test_skip_all "$SMTPD_PY cannot import aiosmtpd (apt-get install python3-aiosmtpd)"
SMTPD=$TOP/tests/helpers/smtpsink.py
# The run log goes nowhere unless a test asks; the spool into TRASH.
TM_HOME=$TRASH
TM_MAIL_SPOOL=$TRASH/spool
export TM_HOME TM_MAIL_SPOOL
unset TM_SMTP_URL TM_MAIL_FROM TM_MAIL_TO TM_SMTP_USER TM_SMTP_PASS \
    TM_SECRETS TM_SMTP_CACERT

# start_smtpd DIR [--port N] [smtpsink.py options]: start a server saving
# into DIR and wait for its ready file (polled); sets SMTP_PORT, SMTP_PID.
start_smtpd() {
	_d=$1
	shift
	rm -rf "$_d"
	mkdir -p "$_d"
	"$SMTPD_PY" "$SMTPD" --dir "$_d" "$@" 2>"$_d.log" &
	SMTP_PID=$!
	test_register_pid "$SMTP_PID"
	_i=0
	while [ ! -s "$_d/ready" ]; do
		_i=$((_i + 1))
		if [ "$_i" -gt 400 ] || ! kill -0 "$SMTP_PID" 2>/dev/null; then
			echo "smtpd did not start" >&2
			cat "$_d.log" >&2
			return 1
		fi
		sleep 0.05
	done
	SMTP_PORT=$(cat "$_d/ready")
}

stop_smtpd() {
	kill "$SMTP_PID" 2>/dev/null || true
	wait "$SMTP_PID" 2>/dev/null || true
}

# count DIR: messages the server has saved.
count() {
	find "$1" -name 'msg.*.eml' | wc -l | tr -d ' '
}

# spooled [FOLDER]: messages in the spool's new/ (or FOLDER).
spooled() {
	find "$TM_MAIL_SPOOL/${1:-new}" -type f 2>/dev/null | wc -l | tr -d ' '
}

run_rc() { rc=0; "$@" || rc=$?; }
