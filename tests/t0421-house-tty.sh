#!/bin/sh
# Tools that write a binary TMT stream refuse a terminal on standard output
# (issue 13, item 13): exit 64 with a reason, before any input is spent;
# tm-cat switches to text instead (t1000), and tm-fetch --store still
# fills the store from a terminal.  script(1) gives the tools a real pty.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || test_skip_all 'script(1) is not installed'

test_expect_success 'setup: a market, its slots, a model, weights' '
	tm-synth -n 20 -y 1 --seed 3 -o syn >/dev/null &&
	tm-features syn/prices.tmt >feat.tmt &&
	tmt-slots -n 30 -a 3 -p 3 -d 40 -r 2 -s 5 >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 0 -o m.tmt <slots.tmt &&
	tm-infer -m m.tmt <slots.tmt >w.tmt
'

# on_tty NAME COMMAND: COMMAND with its stdout on a pty exits 64 and says why.
on_tty() {
	test_expect_success "$1 refuses a terminal on stdout" "
		{ script -qec '$2; echo \"status=\$?\"' /dev/null >tty.txt 2>&1 || :; } &&
		grep -q 'status=64' tty.txt &&
		grep -q 'standard output is a terminal' tty.txt
	"
}
on_tty tm-features 'tm-features feat.tmt 2>&1 </dev/null'
on_tty tm-slotmap 'tm-features syn/prices.tmt | tm-slotmap -l r1000 --members syn/membership.csv 2>&1'
on_tty tm-infer 'tm-infer -m m.tmt <slots.tmt 2>&1'
on_tty tm-strategy 'tm-strategy equal <slots.tmt 2>&1'
on_tty tm-diff 'tm-diff -s st --slots slots.tmt w.tmt 2>&1'

FIX=$TOP/tests/data/fetch
on_tty tm-fetch "tm-fetch --csv $FIX/long.csv --from 2024-06-03 --to 2024-06-07 FIXL 2>&1"

test_expect_success 'tm-fetch --store from a terminal fills the store, exit 0' '
	{ script -qec "tm-fetch --store store --csv $FIX/long.csv --from 2024-06-03 --to 2024-06-07 FIXL; echo status=\$?" /dev/null >tty.txt 2>&1 || :; } &&
	grep -q "status=0" tty.txt &&
	! grep -q "standard output is a terminal" tty.txt &&
	test -n "$(ls store)"
'

test_expect_success 'tm-diff on a terminal left no state behind' '
	test ! -e st
'

test_expect_success 'tm-cat on a terminal prints text, exit 0' '
	{ script -qec "tm-cat --last 1 slots.tmt; echo status=\$?" /dev/null >tty.txt 2>&1 || :; } &&
	grep -q "status=0" tty.txt &&
	! grep -q "standard output is a terminal" tty.txt
'

test_done
