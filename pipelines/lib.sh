# lib.sh - what daily.sh and monthly.sh share: the config, the defaults
# both read, the job's line in the run log, and mail through tm-mail.
# Sourced (bash) first thing, after TOP is set; job_init opens the job.
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
	TM_BENCH=${TM_BENCH:-QQQ}		# the benchmark's ticker
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

# job_init NAME FLAG ARGS: the opening both jobs share.  The job's line in
# the run log started (job_start); ARGS read as [FLAG] [DATE] (anything
# else: the usage line, 64); the config loaded (conf_load) and the run
# log's line written at exit; DATE, when given, checked YYYY-MM-DD (64,
# logged).  Sets JOB=NAME (exported: lib.sh and the job name it in their
# messages), OPT (1 when FLAG was given, else empty) and GIVEN (the DATE
# operand, empty when the job chooses the day).
# shellcheck disable=SC2034 # OPT, GIVEN: for the job
job_init() {
	JOB=$1
	_flag=$2
	shift 2
	export JOB
	job_start "$@"
	OPT=
	[ "${1:-}" = "$_flag" ] && { OPT=1; shift; }
	case $#:${1:-} in
	0:* | 1: | 1:[!-]*) ;;
	*) echo "usage: $JOB.sh [$_flag] [DATE]" >&2; exit 64 ;;
	esac
	GIVEN=${1:-}
	conf_load
	trap 'job_log $?' EXIT	# replaced by the job's own, which logs too
	case $GIVEN in
	'' | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
	*) echo "$JOB: $GIVEN: not a date (YYYY-MM-DD)" >&2; exit 64 ;;
	esac
}

# job_start ARGS: note the job's arguments (as JSON strings) and start for
# job_log; called by the job before it parses them.
job_start() {
	JOB_T0=$(date -u +%s)
	JOB_ARGS=
	for _a in "$@"; do
		_a=$(printf '%s' "$_a" | sed 's/[\\"]/\\&/g; s/[[:cntrl:]]/?/g')
		JOB_ARGS="$JOB_ARGS${JOB_ARGS:+,}\"$_a\""
	done
}

# job_log STATUS: the job's own line in the run log, beside its tools'
# (tool, args, start, end, seconds, exit, rows, pid, as runlog.c writes
# them), so the log says how each job ended and not only how each tool
# did: a job can fail in its own logic (no prices for the day, an older
# date, no model) with every tool it ran at 0.  Once: the EXIT trap may
# call it again.  A log that cannot be written does not change the job's
# result, as for a tool.
job_log() {
	[ -z "${JOB_LOGGED:-}" ] || return 0
	JOB_LOGGED=1
	[ "${TM_LOG:-off}" = off ] && return 0
	_t1=$(date -u +%s)
	printf '{"tool":"%s.sh","args":[%s],"start":"%s","end":"%s","seconds":%d,"exit":%d,"rows_in":0,"rows_out":0,"pid":%d}\n' \
	    "$JOB" "$JOB_ARGS" "$(date -u -d "@$JOB_T0" +%Y-%m-%dT%H:%M:%SZ)" \
	    "$(date -u -d "@$_t1" +%Y-%m-%dT%H:%M:%SZ)" $((_t1 - JOB_T0)) \
	    "$1" $$ >>"$TM_LOG" 2>/dev/null || true
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
