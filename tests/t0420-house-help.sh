#!/bin/sh
# --help and --version on every tool (issue 13, item 13): --help prints the
# usage text, the one a bad option prints on standard error, on standard
# output and exits 0; --version prints "tm-x VERSION" and exits 0; neither
# reads standard input or writes anything else.
. "$(dirname "$0")/lib.sh"

tools=
for t in "$TOP"/tools/tm-*; do
	n=$(basename "$t" .c)
	case " $tools " in *" $n "*) ;; *) tools="$tools $n" ;; esac
done

for n in $tools; do
	test_expect_success "$n --help: the usage text on stdout, exit 0" "
		$n --help </dev/null >out 2>err &&
		test ! -s err &&
		grep -q '^usage: $n ' out &&
		test_must_fail --status 64 $n --no-such-option </dev/null \
		    >bad.out 2>bad.err &&
		test ! -s bad.out &&
		sed -n '/^usage: /,\$p' bad.err >bad.usage &&
		test_cmp bad.usage out
	"
	test_expect_success "$n --version: one line, exit 0" "
		$n --version </dev/null >out 2>err &&
		test ! -s err &&
		test \$(wc -l <out) = 1 &&
		grep -Eq '^$n [0-9]+(\\.[0-9]+)*( |\$)' out
	"
done

test_done
