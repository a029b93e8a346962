#!/bin/sh
# make install puts every tool and every man page under DESTDIR/PREFIX.
. "$(dirname "$0")/lib.sh"

[ "${TM_SAN:-}" = 1 ] && test_skip_all 'install is checked on the plain build only'

test_expect_success 'make install DESTDIR PREFIX' '
	make -s -C "$TOP" install DESTDIR="$TRASH/root" PREFIX=/opt/tm >log 2>&1 &&
	for t in "$TOP"/tools/tm-*; do
		n=$(basename "$t" .c) &&
		test -x "root/opt/tm/bin/$n" &&
		test -f "root/opt/tm/share/man/man1/$n.1" || return 1
	done &&
	test -f root/opt/tm/share/man/man5/tm-tensor.5
'
test_expect_success 'the installed tools run from their new home' '
	root/opt/tm/bin/tm-synth -n 3 -y 0.1 --seed 1 | root/opt/tm/bin/tm-cat -o csv >out &&
	head -1 out | grep "^date,ticker,open"
'
test_expect_success 'no test helper is installed' '
	! ls root/opt/tm/bin | grep -v "^tm-" &&
	! test -e root/opt/tm/bin/tmt-caldays
'
test_done
