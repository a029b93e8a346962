#!/bin/sh
# tm-slotmap(1): the EXAMPLES run as printed.  Ten years of 1,100 tickers
# give a frame a day of 1,200 slots (1,000 active, 100 archive, 100 empty
# padding) and a state dated the last day.  The daily run, with date(1)
# pinned by a shim on PATH to the last day of a two-year market (so the
# example's own "today" and "400 days ago" are fixed), gives one frame of
# today whose slots are those of a run over the whole history, warmed up:
# its windowed features equal the whole history's, not NaN.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v jq >/dev/null || test_skip_all 'jq is not installed'

test_expect_success 'setup: two blocks' '
	test "$(man_examples "$TOP/man/tm-slotmap.1")" = 2
'

# 330 MB and a minute under ASan for what the plain build checks.
if [ -n "${TM_SAN:-}" ]; then
	test_skip 'ten years through r1000' 'the plain run covers it'
else
test_expect_success 'ten years through r1000: 1,200 slots a day, the state' '
	sh -eu ex.1.sh &&
	tm-cat --info syn/slots.tmt >info &&
	test "$(wc -l <info)" = "$(tm-cat --info syn/prices.tmt | wc -l)" &&
	test "$(wc -l <info)" -gt 2500 &&
	! grep -v "\"axes\":\[\"slot\",\"feature\"\].*\"shape\":\[1200," info &&
	test "$(jq -r .last syn/slots.json)" = 2024-12-31 &&
	test "$(jq -r .layout.name syn/slots.json)" = r1000 &&
	tm-cat --last 1 -k region -o csv syn/slots.tmt |
	    awk -F, "NR > 1 { n[\$3]++; if (\$2 != \"\") l[\$3]++ }
	    END { exit !(n[0] == 1000 && n[1] == 100 && n[2] == 100 && l[0] > 900 && !l[2]) }" &&
	rm -f syn/prices.tmt syn/slots.tmt
'
fi

test_expect_success 'the daily run: today alone, warmed up, in the slots of the whole run' '
	mkdir -p store data shim &&
	tm-synth -n 60 -y 2 --seed 3 -o mkt &&
	mv mkt/prices.tmt store/prices.tmt && mv mkt/membership.csv . &&
	printf "%s\\n" "#!/bin/sh" "# date(1) on 2016-12-30" \
	    "if [ \"\$1\" = -d ]; then exec /bin/date -d \"2016-12-30 \$2\" \"\$3\"; fi" \
	    "exec /bin/date -d 2016-12-30 \"\$@\"" >shim/date &&
	chmod +x shim/date &&
	test "$(PATH=$PWD/shim:$PATH date -d "400 days ago" +%F)" = 2015-11-26 &&
	tm-cat --to 2016-12-29 store/prices.tmt | tm-features |
	    tm-slotmap --members membership.csv -s data/slots.json >/dev/null &&
	test "$(jq -r .last data/slots.json)" = 2016-12-29 &&
	PATH=$PWD/shim:$PATH sh -eu ex.2.sh &&
	tm-cat --info slots.tmt >info && test "$(wc -l <info)" = 1 &&
	grep -q "\"date\":\"2016-12-30\"" info &&
	test "$(jq -r .last data/slots.json)" = 2016-12-30 &&
	tm-features store/prices.tmt | tm-slotmap --members membership.csv |
	    tm-cat --last 1 -k close_sma30,close_sma60,vol20,ret_20,region -o csv >whole &&
	tm-cat -k close_sma30,close_sma60,vol20,ret_20,region -o csv slots.tmt >daily &&
	test_cmp whole daily &&
	test "$(awk -F, "\$2 != \"\" && \$7 == 0 && \$3 != \"\"" daily | wc -l)" -gt 40
'

test_done
