#!/bin/sh
# tm-features(1): every EXAMPLES block runs as printed and gives what its
# text says: the last day as CSV with the fundamentals' columns filled,
# the planted signal as a feature of every slot frame, the last day of two
# years alone but warmed up (its windowed features equal to those of the
# whole history), FinRL's eight with turbulence, TA-Lib's warm-up lengths.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'

test_expect_success 'setup: five blocks' '
	test "$(man_examples "$TOP/man/tm-features.1")" = 5
'

test_expect_success 'the last day as CSV, with the fundamentals' '
	sh -eu ex.1.sh >out &&
	test "$(cut -d, -f1 out | sed 1d | sort -u)" = 2016-12-30 &&
	test "$(sed 1d out | wc -l)" -gt 50 &&
	head -1 out | tr , "\\n" >cols &&
	for c in rsi pe pb roe log_mcap close ret; do
		grep -qx $c cols || { echo "no column $c"; return 1; }
	done &&
	n=$(grep -nx pe cols | cut -d: -f1) &&
	test "$(sed 1d out | cut -d, -f$n | grep -c "[0-9]")" -gt 0
'

test_expect_success 'the planted signal: a feature of each of 120 slots, every day' '
	sh -eu ex.2.sh >info &&
	test "$(wc -l <info)" = 504 &&
	! grep -v "\"axes\":\[\"slot\",\"feature\"\].*\"signal\".*\"shape\":\[120," info
'

test_expect_success 'the last day alone, warmed up by the year before it' '
	sh -eu ex.3.sh >info &&
	test "$(wc -l <info)" = 1 &&
	grep -q "\"date\":\"2016-12-30\"" info &&
	tm-features m/prices.tmt | tm-cat --last 1 -k close_sma30,close_sma60,vol20,ret_20 -o csv >whole &&
	tm-cat --from 2015-12-01 m/prices.tmt | tm-features --from 2016-12-30 |
	    tm-cat -k close_sma30,close_sma60,vol20,ret_20 -o csv >warm &&
	test_cmp whole warm &&
	test "$(sed 1d warm | grep -vc ",,\\|,\$")" -gt 40
'

test_expect_success 'FinRL: the eight indicators, turbulence once a year of history' '
	sh -eu ex.4.sh >info &&
	test "$(wc -l <info)" = 504 &&
	! grep -v "\"feature\":\[\"macd\",\"boll_ub\",\"boll_lb\",\"rsi_30\",\"cci_30\",\"dx_30\",\"close_30_sma\",\"close_60_sma\"," info &&
	sed "s/.*\"turbulence\":\([^,}]*\).*/\1/" info >turb &&
	test "$(head -1 turb)" = 0.0 &&
	test "$(awk "\$1 > 0" turb | wc -l)" -gt 200
'

test_expect_success 'TA-Lib: one ticker, RSI after 14 bars, ADX after 27, in range' '
	sh -eu ex.5.sh >out &&
	head -1 out | grep -qx "date,ticker,rsi_14,adx_14,obv,close,ret" &&
	test "$(sed 1d out | wc -l)" = 252 &&
	test "$(sed 1d out | cut -d, -f2 | sort -u)" = MGK-B &&
	test "$(awk -F, "NR > 1 && \$3 == \"\"" out | wc -l)" = 14 &&
	test "$(awk -F, "NR > 1 && \$4 == \"\"" out | wc -l)" = 27 &&
	awk -F, "NR > 1 && \$3 != \"\" && (\$3 < 0 || \$3 > 100) { exit 1 }" out
'

test_done
