#!/bin/sh
# tm-infer(1): the EXAMPLES pipeline runs as printed, on a terminal (so
# tm-cat prints text), over a small market and a model trained on its
# slots in data/models/live.tmt: one table, the last day's, 1,200 slots
# of weight and confidence, the weights summing to at most 1 and equal to
# tm-infer's on the slot file.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || test_skip_all 'mandoc is not installed'
command -v script >/dev/null || test_skip_all 'script(1) is not installed'

test_expect_success 'setup: one block; a market, its slots, the live model' '
	test "$(man_examples "$TOP/man/tm-infer.1")" = 1 &&
	tm-synth -n 30 -y 1 --seed 4 >prices.tmt &&
	tm-features <prices.tmt | tm-slotmap -l r1000 >slots.tmt &&
	mkdir -p data/models &&
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 20 \
	    -o data/models/live.tmt <slots.tmt
'

test_expect_success "today's recommendation, as a table on the terminal" '
	script -qec "sh -eu ex.1.sh" /dev/null >tty 2>&1 &&
	tr -d "\\r" <tty >out &&
	test "$(grep -c "^20[0-9-]*  F32 " out)" = 1 &&
	grep -qx "2015-12-31  F32 \[slot 1200, field 2\]" out &&
	grep -q "^slot  *weight  *confidence\$" out &&
	tm-infer --last -m data/models/live.tmt <slots.tmt | tm-cat -o text >want &&
	test_cmp want out &&
	awk "NR > 2 && NF == 3 { s += \$2; n++ } END { exit !(n > 20 && s > 0.5 && s <= 1.0001) }" out
'

test_done
