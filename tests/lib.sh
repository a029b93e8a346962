# lib.sh - the test library every tests/tNNNN-*.sh sources (git's t/test-lib
# in a few dozen lines).  Prints TAP for prove.
#
#   test_expect_success 'what' 'commands'    run commands in a subshell
#   test_must_fail [--status N] cmd ...      cmd must fail (with status N)
#   test_cmp expect actual                   files equal, diff shown if not
#   test_skip_all 'why'                      skip the whole file
#   test_done                                print the plan, exit
#
# Environment: TM_BIN (default bin/) goes first on PATH, then tests/helpers
# (tmt_np.py and the other helpers run by name); PYTHONPATH starts with
# tests/helpers; TRASH is a fresh temporary folder, removed at exit; LC_ALL=C.
set -eu
LC_ALL=C
export LC_ALL
# TOP: the first folder up from the script's that holds tests/lib.sh, so a
# script in tests/ (tNNNN-*.sh, run by path: run.sh's tests/out/san
# wrappers exec sh on the real path) and one in tests/bench/ find the tree.
TOP=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$TOP/tests/lib.sh" ]; do
	[ "$TOP" != / ] || { echo "lib.sh: no tests/lib.sh above $0" >&2; exit 70; }
	TOP=$(dirname "$TOP")
done
TM_BIN=${TM_BIN:-$TOP/bin}
case $TM_BIN in /*) ;; *) TM_BIN=$TOP/$TM_BIN ;; esac
PATH=$TM_BIN:$TOP/tests/helpers:$PATH
# The Python helpers (tests/helpers/*.py) import each other and the tests'
# inline Python imports them (import tmt_np): through this, never sys.path.
PYTHONPATH=$TOP/tests/helpers${PYTHONPATH:+:$PYTHONPATH}
TM_LOG=off
export TOP TM_BIN PATH PYTHONPATH TM_LOG
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/tm-test.XXXXXX")
export TRASH
# Background services started by a test register their pid here.
_test_pids=
test_cleanup() {
	for p in $_test_pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$TRASH"
}
trap test_cleanup EXIT
trap 'exit 130' INT TERM
_test_n=0
_test_fail=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
export ASAN_OPTIONS UBSAN_OPTIONS

test_register_pid() { _test_pids="$_test_pids $1"; }

test_expect_success() {
	_test_n=$((_test_n + 1))
	_out=$TRASH/.out.$_test_n
	if (cd "$TRASH" && eval "$2") >"$_out" 2>&1; then
		echo "ok $_test_n - $1"
	else
		echo "not ok $_test_n - $1"
		sed 's/^/#   /' "$_out"
		_test_fail=$((_test_fail + 1))
	fi
}

# test_skip 'what' 'why': counts as a passing skip in TAP.
test_skip() {
	_test_n=$((_test_n + 1))
	echo "ok $_test_n - $1 # SKIP $2"
}

test_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# test_must_fail [--status N] cmd args: fails on success, on a signal
# (status > 128, a crash) and on 99 (a sanitizer report).
test_must_fail() {
	_want=
	if [ "$1" = "--status" ]; then _want=$2; shift 2; fi
	_rc=0
	"$@" || _rc=$?
	if [ "$_rc" = 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2; return 1
	fi
	if [ "$_rc" -gt 128 ] || [ "$_rc" = 99 ]; then
		echo "test_must_fail: '$*' died with status $_rc" >&2; return 1
	fi
	if [ -n "$_want" ] && [ "$_rc" != "$_want" ]; then
		echo "test_must_fail: '$*' exited $_rc, wanted $_want" >&2; return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$1" "$2" >&2
}

# A free TCP port on loopback, for servers a test starts.
test_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Wait until a server answers on a port (bounded; polls, never a blind sleep).
test_wait_port() {
	python3 - "$1" <<'PY'
import socket, sys, time
port = int(sys.argv[1]); end = time.time() + 20
while time.time() < end:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
PY
}

# The real data in ../shared/data, or empty when it is not there.
SHARED_DATA=${TM_SHARED_DATA:-$TOP/../shared/data}
[ -d "$SHARED_DATA" ] || SHARED_DATA=
export SHARED_DATA

# jobs_setup: the opening of the jobs tests (daily.sh and monthly.sh run
# as the crontab runs them): skipped under the sanitizers, where each tool
# is tested on its own, and without any tool the jobs call; sets DAILY
# and MONTHLY, the two scripts, and LAYOUT, the slot layout they use.
# shellcheck disable=SC2034 # DAILY, MONTHLY, LAYOUT: for the caller
jobs_setup() {
	if [ "${TM_SAN:-}" = 1 ]; then
		test_skip_all 'a shell pipeline of tools each tested under the sanitizers on its own: plain build only'
	fi
	for t in tm-synth tm-features tm-slotmap tm-train tm-infer tm-diff \
	    tm-report tm-mail tm-model tm-backtest tm-strategy tm-cat; do
		[ -x "$TM_BIN/$t" ] || test_skip_all "needs $t"
	done
	DAILY=$TOP/pipelines/daily.sh
	MONTHLY=$TOP/pipelines/monthly.sh
	LAYOUT=30,10,10
}

# test_need_numpy: PY=/usr/bin/python3 (exported), the Python of the
# references; the whole file is skipped when it cannot import numpy.
test_need_numpy() {
	PY=/usr/bin/python3
	export PY
	"$PY" -c 'import numpy' 2>/dev/null ||
	    test_skip_all "$PY cannot import numpy (Debian's python3-numpy)"
}

# model_hyper MODEL: the model's hyper-parameters, its JSON on one line.
# model_digest MODEL: a digest of the numbers of every frame of MODEL,
# not of its headers (the files of two seeds differ in the seed their
# hyper-parameters record even when the weights agree).  Both after
# test_need_numpy.
model_hyper() {
	"$PY" -c "import sys, tmt_np
h, _ = next(tmt_np.frames(open(sys.argv[1], 'rb'))); print(h['meta']['hyper'])" "$1"
}
model_digest() {
	"$PY" -c "import hashlib, sys, tmt_np
print(hashlib.sha1(b''.join(a.tobytes() for _, a in
    tmt_np.frames(open(sys.argv[1], 'rb')))).hexdigest())" "$1"
}

# jobs_model D0 DATA LAYOUT MODEL TRAIN-OPTION...: the starting point the
# jobs tests share, from the tm-synth market in mkt/: the features up to
# D0 (f.tmt), the slot stream of LAYOUT (s.tmt) with the slot state D0's
# daily run would have left in DATA/states/D0/slots.json, and MODEL
# trained on that stream by tm-train -q with the options given.
jobs_model() {
	_d0=$1 _data=$2 _layout=$3 _model=$4
	shift 4
	mkdir -p "$_data/states/$_d0" &&
	tm-cat --to "$_d0" mkt/prices.tmt |
	    tm-features -f mkt/fundamentals.tmt >f.tmt &&
	tm-slotmap -l "$_layout" --members mkt/membership.csv \
	    -s "$_data/states/$_d0/slots.json" f.tmt >s.tmt &&
	tm-train -q "$@" -o "$_model" <s.tmt
}

# jobs_keep_models: wbin/ holds $TM_BIN's tools, tm-train wrapped so that
# after the real one its -o file is copied into $KEPT (when the job runs;
# default kept/ here, made now).  TM_BIN=$PWD/wbin in the config then
# keeps every model a job trains.
jobs_keep_models() {
	mkdir wbin kept &&
	for _t in "$TM_BIN"/*; do ln -s "$_t" wbin/ || return 1; done &&
	rm wbin/tm-train &&
	cat >wbin/tm-train <<-EOF &&
	#!/bin/sh
	# the real tm-train, then its -o file copied to \$KEPT
	"$TM_BIN/tm-train" "\$@" || exit
	while [ \$# -gt 1 ]; do
		[ "\$1" = -o ] && { cp "\$2" "\${KEPT:-$PWD/kept}/"; exit; }
		shift
	done
	EOF
	chmod +x wbin/tm-train
}

# jobs_market DATA: the start most jobs tests share: a 30-ticker tm-synth
# market, 2015-2017, in mkt/ (seed 5); its slot stream to 2016-12-30 in
# s.tmt with the slot state in DATA/states/2016-12-30/slots.json; a live
# model trained on it by jobs_train (seed 3) in l0.tmt and
# registered live in DATA/models.  Call after jobs_setup.
jobs_market() {
	tm-synth -n 30 -y 3 --seed 5 -o mkt &&
	tm-cat --to 2016-12-30 mkt/prices.tmt |
	    tm-features -f mkt/fundamentals.tmt >f.tmt &&
	mkdir -p "$1/states/2016-12-30" &&
	tm-slotmap -l "$LAYOUT" --members mkt/membership.csv \
	    -s "$1/states/2016-12-30/slots.json" f.tmt >s.tmt &&
	jobs_train 3 l0.tmt &&
	tm-model -d "$1/models" add --status live l0.tmt >/dev/null
}

# jobs_train SEED OUT: a small model on s.tmt as jobs_market trains its
# live one (dpg, 1 epoch, hidden 4,4), with that seed, into OUT.
jobs_train() {
	tm-train -q --algo dpg --seed "$1" --epochs 1 --hidden 4,4 -o "$2" <s.tmt
}

# jobs_conf DATA [KEY=VALUE...]: on stdout, the jobs' config for that
# market with its data in DATA (mail to the spool), then the lines given.
jobs_conf() {
	_d=$1
	shift
	printf '%s\n' "TM_DATA=$_d" TM_SOURCE=synth TM_SYNTH_DIR=mkt \
	    "TM_LAYOUT=$LAYOUT" TM_WARMUP=260 TM_MAIL=spool \
	    TM_MAIL_TO=ops@example.org "TM_BIN=$TM_BIN" "$@"
}

test_done() {
	echo "1..$_test_n"
	[ "$_test_fail" = 0 ]
}

# man_examples PAGE: the EXAMPLES section of a man page as mandoc renders
# it, one file per display block in the current folder (ex.1.sh, ex.2.sh,
# ...), the indentation taken off; prints how many blocks.  In a block
# that shows a "$ " prompt only the prompted lines are commands; the rest,
# what they print, goes to ex.N.out.  Tests run the commands verbatim.
man_examples() {
	MANWIDTH=200 mandoc -Tutf8 -Owidth=200 "$1" | col -bx |
	    sed -n '/^EXAMPLES$/,/^[A-Z]/p' | sed '1d;$d' | awk '
	function flush(  i) {
		for (i = 1; i <= nl; i++)
			if (!prompt) print line[i] > ("ex." n ".sh")
			else if (line[i] ~ /^\$ /)
				print substr(line[i], 3) > ("ex." n ".sh")
			else print line[i] > ("ex." n ".out")
		nl = 0; prompt = 0
	}
	/^           / {
		if (!inb) { n++; inb = 1 }
		s = substr($0, 12); line[++nl] = s
		if (s ~ /^\$ /) prompt = 1
		next
	}
	/^ *$/ { if (inb) line[++nl] = ""; next }
	{ if (inb) flush(); inb = 0 }
	END { if (inb) flush(); print n + 0 }'
}
