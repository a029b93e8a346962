#!/bin/sh
# The C unit tests of libcommon, each printing its own TAP checks.
. "$(dirname "$0")/lib.sh"

units=$TOP/build/unit
[ "${TM_SAN:-}" = 1 ] && units=$TOP/build-san/unit
for u in "$units"/*; do
	[ -x "$u" ] || continue
	n=$(basename "$u")
	test_expect_success "unit: $n" "
		'$u' >out &&
		! grep '^not ok' out &&
		grep -q '^1\\.\\.[1-9]' out
	"
done
test_done
