# lib.sh - what daily.sh and monthly.sh share: the config, the defaults
# both read, and mail through tm-mail.  Sourced (bash), after TOP and JOB
# (the job's name, for messages) are set.
#
# conf_load: source $TM_CONF (default etc/tm.conf; exit 78 when missing)
# and set the common defaults.  Paths are relative to the caller's folder.
conf_load() {
	TM_CONF=${TM_CONF:-etc/tm.conf}
	if [ ! -r "$TM_CONF" ]; then
		echo "$JOB: $TM_CONF: no such config (cp etc/dev.conf etc/tm.conf)" >&2
		exit 78
	fi
	TM_ETC=$(dirname "$TM_CONF")
	export TM_ETC
	# shellcheck disable=SC1090
	. "$TM_CONF"
	BIN=${TM_BIN:-$TOP/bin}
	TM_DATA=${TM_DATA:-data}
	TM_SOURCE=${TM_SOURCE:-synth}		# synth | live
	TM_SYNTH_DIR=${TM_SYNTH_DIR:-$TM_DATA/market}
	TM_MEMBERS=${TM_MEMBERS:-${TM_SYNTH_DIR}/membership.csv}
	TM_FUNDAMENTALS=${TM_FUNDAMENTALS:-}
	TM_LAYOUT=${TM_LAYOUT:-r1000}
	TM_FEATURES=${TM_FEATURES:---set default}
	TM_WARMUP=${TM_WARMUP:-300}		# >= 255: see tm-features(1) --from
	TM_MAIL=${TM_MAIL:-spool}		# spool | smtp | off
	TM_MAIL_TO=${TM_MAIL_TO:-}
	TM_MAIL_FROM=${TM_MAIL_FROM:-tmagikarp@localhost}
	export TM_HOME=${TM_HOME:-$PWD} TM_MAIL_TO TM_MAIL_FROM
	[ -n "${TM_SMTP_URL:-}" ] && export TM_SMTP_URL
	[ -n "${TM_SMTP_USER:-}" ] && export TM_SMTP_USER
	[ -n "${TM_SECRETS:-}" ] && export TM_SECRETS
	mkdir -p "$TM_DATA/log" "$TM_DATA/spool"
	chmod 700 "$TM_DATA/spool"
	export TM_LOG=${TM_LOG:-$TM_DATA/log/$(date -u +%Y-%m).jsonl}
	return 0
}

# mail SEVERITY: send the message on stdin, per TM_MAIL: into the spool
# only, over SMTP (75, spooled for tm-mail --flush, counts as sent), or not.
mail() {
	case $TM_MAIL in
	off) cat >/dev/null ;;
	spool) "$BIN/tm-mail" --spool "$TM_DATA/spool" --spool-only \
	    --severity "$1" >/dev/null ;;
	*) "$BIN/tm-mail" --spool "$TM_DATA/spool" --severity "$1" ||
	    [ $? = 75 ] ;;
	esac
}

# alert SEVERITY SUBJECT FILE: a plain message with the text of FILE.
alert() {
	case $TM_MAIL in
	off) ;;
	spool) "$BIN/tm-mail" --spool "$TM_DATA/spool" --spool-only \
	    --severity "$1" --subject "$2" --text "$3" >/dev/null ;;
	*) "$BIN/tm-mail" --spool "$TM_DATA/spool" --severity "$1" \
	    --subject "$2" --text "$3" || [ $? = 75 ] ;;
	esac
}
