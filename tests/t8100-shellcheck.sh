#!/bin/sh
# Runs shellcheck -s sh over the shell code: the tests (with lib.sh, which they
# all source), the pipelines and the CI entry point, one file per test.
# Severity warning and up: the tests' eval'd single-quoted bodies are
# git's idiom, which the info-level SC2016 would flag everywhere.
. "$(dirname "$0")/lib.sh"

command -v shellcheck >/dev/null || test_skip_all 'shellcheck is not installed'

for f in "$TOP"/tests/*.sh "$TOP"/pipelines/*.sh "$TOP"/.ci/run; do
	[ -f "$f" ] || continue
	rel=${f#"$TOP"/}
	test_expect_success "shellcheck $rel" "
		shellcheck -s sh -S warning '$f'
	"
done

test_done
