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
