#!/bin/sh
# Every tool on a small market under valgrind's memcheck: no invalid read or
# write, no use of uninitialised memory, no leak.  Run once (not in the
# sanitizer pass: ASan and valgrind do not mix).
. "$(dirname "$0")/lib.sh"

[ "${TM_SAN:-}" = 1 ] && test_skip_all 'valgrind runs on the plain build only'
command -v valgrind >/dev/null 2>&1 || test_skip_all 'valgrind is not installed'

# definite and indirect leaks fail; "still reachable" (libraries' caches,
# OpenBLAS thread buffers) does not.
vg() {
	OPENBLAS_NUM_THREADS=1 valgrind -q --error-exitcode=97 \
	    --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --show-leak-kinds=definite,indirect "$@"
}

test_expect_success 'a small market' '
	tm-synth -n 40 -y 1.2 --seed 7 -o m 2>err &&
	test -s m/prices.tmt
'
test_expect_success 'tm-synth under valgrind' '
	vg tm-synth -n 12 -y 0.3 --seed 3 -o v >/dev/null
'
test_expect_success 'tm-cat: pass-through, text, csv, json, import under valgrind' '
	vg tm-cat m/prices.tmt >p.tmt &&
	cmp m/prices.tmt p.tmt &&
	vg tm-cat -o csv --last 5 -k close,volume m/prices.tmt >p.csv &&
	vg tm-cat -o json --from 2015-03-02 --to 2015-03-10 m/prices.tmt >p.json &&
	vg tm-cat --import p.csv >q.tmt &&
	vg tm-cat --info q.tmt >info
'
test_expect_success 'tm-cat on a corrupt stream under valgrind: error, no leak' '
	head -c 5000 m/prices.tmt >cut.tmt &&
	test_must_fail --status 65 vg tm-cat cut.tmt >/dev/null 2>err &&
	grep "byte" err
'
test_expect_success 'tm-fetch from local CSV into a store under valgrind' '
	tm-cat -o csv -k open,high,low,close,adjclose,volume --from 2015-02-02 --to 2015-02-13 m/prices.tmt >bars.csv &&
	tickers=$(cut -d, -f2 bars.csv | sed 1d | sort -u | head -5 | tr "\n" " ") &&
	vg tm-fetch --source csv --csv bars.csv --from 2015-02-02 --to 2015-02-13 --store st $tickers >fetched.tmt 2>err &&
	test -n "$(find st/raw -name "*.tmt")"
'
test_expect_success 'tm-features (default set with fundamentals, and ta) under valgrind' '
	vg tm-features -f m/fundamentals.tmt m/prices.tmt >f.tmt &&
	vg tm-features --set ta m/prices.tmt >/dev/null
'
test_expect_success 'tm-slotmap with membership and state under valgrind' '
	vg tm-slotmap -l 40,10,10 --members m/membership.csv -s st.json f.tmt >s.tmt
'
test_expect_success 'tm-train dpg and tm-infer under valgrind' '
	vg tm-train -q --algo dpg --seed 1 --epochs 1 -o model.tmt <s.tmt &&
	vg tm-infer --last -m model.tmt <s.tmt >w.tmt
'
test_done
