# common.sh - the opening every tests/bench/NAME.sh sources, after its own
# set -eu:
#
#   . "$(dirname "$0")/common.sh"
#
# TOP, the top of the tree (two folders up from tests/bench/), and
# PYTHONPATH with tests/helpers first (the Python baselines import tmt_np
# through it), exported.  A bench that wants the test library instead
# (tests/lib.sh, for test_free_port and the like) sources that, which sets
# the same.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PYTHONPATH=$TOP/tests/helpers${PYTHONPATH:+:$PYTHONPATH}
export TOP PYTHONPATH

# bench_setup: the opening most benches share: the top of the tree as the
# current folder, BIN (TM_BIN, default bin/), W a fresh temporary folder
# (bench-NAME.XXXXXX) removed at exit, and TM_LOG=off.
# shellcheck disable=SC2034 # BIN and W: for the caller
bench_setup() {
	cd "$TOP" || exit 1
	BIN=${TM_BIN:-$TOP/bin}
	W=$(mktemp -d "${TMPDIR:-/tmp}/bench-$(basename "$0" .sh).XXXXXX")
	trap 'rm -rf "$W"' EXIT
	TM_LOG=off
	export TM_LOG
}
