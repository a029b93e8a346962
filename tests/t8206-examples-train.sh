#!/bin/sh
# tm-train(1): the EXAMPLES.  The monthly retrain runs as printed on a
# two-year slot stream with a live model trained on its first year: the
# candidate trains on 2020 up to the 63 validation days, warm-started (the live model's layout and
# normalisation), seed 7, byte-identical when run again.  The walk-forward
# report (sh tests/bench/realdata.sh) needs ../shared/data and six minutes:
# it is not run here, and its fold tables (one run of 2026-11-22, with no
# file under results/) are measurements, not commands.
# The monthly walk-forward table's 2014-2017 rows are checked against the
# run they quote, results/walkforward-2026-12-02-final.txt.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
PY=/usr/bin/python3
export PY

test_expect_success 'setup: four blocks; two years of slots, a live model of the first' '
	test "$(man_examples "$TOP/man/tm-train.1")" = 4 &&
	grep -qx "sh tests/bench/realdata.sh" ex.2.sh &&
	mkdir -p data/models &&
	tm-synth -n 30 -y 2 --start 2019-01-02 --seed 2 | tm-features 2>/dev/null |
	    tm-slotmap -l 40,10,10 >data/slots.tmt &&
	tm-cat --to 2019-12-31 data/slots.tmt |
	    tm-train -q --algo dpg --seed 1 --epochs 2 -o data/models/live.tmt
'

test_expect_success 'the monthly retrain: a warm-started candidate of 2020 on' '
	sh -eu ex.1.sh 2>err &&
	grep -q "^tm-train: data/models/candidate.tmt: version [0-9a-f]*, " err &&
	tm-cat --info data/models/candidate.tmt | head -n 1 >meta &&
	grep -q "\"from\":\"2020-01-02\"" meta &&
	grep -q "\"to\":\"$(tm-cat --info data/slots.tmt | tail -n 64 | head -n 1 |
	    sed "s/.*\"date\":\"\([0-9-]*\)\".*/\1/")\"" meta &&
	grep -q "\"algo\":\"dpg\"" meta && grep -q "\\\\\"seed\\\\\":7," meta &&
	grep -q "\\\\\"warm\\\\\":true" meta &&
	grep -q "\"layout\":\"40,10,10\"" meta &&
	"$PY" - <<-PYEOF &&
	import sys; import tmt_np
	live = list(tmt_np.frames(open("data/models/live.tmt", "rb")))
	cand = list(tmt_np.frames(open("data/models/candidate.tmt", "rb")))
	assert (live[1][1] == cand[1][1]).all(), "normalisation differs"
	assert live[0][1].shape == cand[0][1].shape
	assert (live[0][1] != cand[0][1]).any(), "weights unchanged"
	PYEOF
	mv data/models/candidate.tmt first.tmt &&
	sh -eu ex.1.sh 2>/dev/null &&
	cmp first.tmt data/models/candidate.tmt
'

test_skip 'the walk-forward report on ../shared/data' \
    'sh tests/bench/realdata.sh: the real data and six minutes (make bench)'

# row PAGE-LABEL RESULTS-LABEL: the page's Sharpe, CAGR and turnover of a
# 2014-01..2017-10 row equal the results file's whole record.
test_expect_success 'the monthly walk-forward table is the recorded run' '
	sed -n "/^2014-01\\.\\.2017-10/,\$p" ex.4.sh >page &&
	sed -n "/^whole record/,/^\$/p" "$TOP/results/walkforward-2026-12-02-final.txt" >rec &&
	for pair in "dpg --adjust 0.1 --cap 0.1 (1-5)=dpg" \
	    "through tm-diff'"'"'s default rules=dpg+rules" \
	    "equal weight=equal" "inverse volatility, monthly=invvol-m" \
	    "QQQ=buyhold-QQQ"; do
		p=${pair%=*} r=${pair##*=} &&
		l=$(grep -F "$p " page) && l=${l#*"$p"} &&
		a=$(echo "$l" | awk "{ s = \$1; if (\$2 == \"+-\") { s = s \" +- \" \$3; \$1 = \$2 = \$3 = \"\" } else \$1 = \"\";
		        n = split(\$0, f, \" \"); print s, f[1], f[2] }") &&
		b=$(awk -v r="$r" "\$1 == r { s = \$3; i = 4; if (\$4 == \"+-\") { s = s \" +- \" \$5; i = 6 }
		    t = \$(i + 4); print s, \$(i + 1), (t == \"-\" ? \"-\" : sprintf(\"%.3f\", t)) }" rec) &&
		test -n "$a" && test "$a" = "$b" || { echo "$p: page [$a] results [$b]"; return 1; }
	done
'

test_done
