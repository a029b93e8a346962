#!/bin/sh
# Runs shellcheck (as sh, or bash for a #!/bin/bash file) over the shell
# code: the tests (with lib.sh, which they all source), the benchmarks
# (tests/bench/), the pipelines and the CI entry point, one file a test.
# Severity warning and up: the tests' eval'd single-quoted bodies are git's
# idiom, which the info-level SC2016 would flag everywhere.  For the same
# reason SC2034 (assigned but unused) is off in tests/t*.sh: their
# variables are used inside those bodies, where shellcheck cannot look.
. "$(dirname "$0")/lib.sh"

command -v shellcheck >/dev/null || test_skip_all 'shellcheck is not installed'

for f in "$TOP"/tests/*.sh "$TOP"/tests/bench/*.sh "$TOP"/pipelines/*.sh \
    "$TOP"/.ci/run; do
	[ -f "$f" ] || continue
	rel=${f#"$TOP"/}
	ex=
	# each file in the dialect of its first line: bash where it says so
	dialect="sh"
	head -n 1 "$f" | grep -q bash && dialect=bash
	case $rel in tests/t[0-9]*.sh) ex='-e SC2034' ;; esac
	test_expect_success "shellcheck $rel" "
		shellcheck -s $dialect -S warning $ex '$f'
	"
done

test_done
