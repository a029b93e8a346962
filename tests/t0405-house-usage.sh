#!/bin/sh
# A usage error says which rule was broken before the synopsis (64).
. "$(dirname "$0")/lib.sh"

# why WANT CMD...: exits 64, the first line of stderr is "tool: WANT",
# then the usage.
why() {
	_w=$1; shift
	test_must_fail --status 64 "$@" </dev/null >/dev/null 2>err &&
	head -n 1 err | grep -F -- "$_w" &&
	grep "^usage: " err
}

test_expect_success 'tm-train: each missing piece is named' '
	why "tm-train: --algo is required" tm-train --seed 1 -o m &&
	why "tm-train: --seed is required" tm-train --algo dpg -o m &&
	why "tm-train: -o model is required" tm-train --algo dpg --seed 1 &&
	why "tm-train: --epochs and --steps exclude each other" \
	    tm-train --algo dpg --seed 1 -o m --epochs 2 --steps 5 &&
	why "tm-train: no operands" tm-train --algo dpg --seed 1 -o m x
'

test_expect_success 'tm-infer: without -m, or with an operand' '
	why "tm-infer: -m model is required" tm-infer &&
	why "tm-infer: no operands" tm-infer -m m x
'

test_expect_success 'tm-fetch: no ticker' '
	why "tm-fetch: no ticker: name some, or a universe with -u" tm-fetch
'

test_expect_success 'tm-features -k with an empty name: 64, said so' '
	test_must_fail --status 64 tm-features -k "" </dev/null 2>err &&
	grep "^tm-features: -k .*: empty name" err &&
	test_must_fail --status 64 tm-features -k rsi,,macd </dev/null 2>err &&
	grep "^tm-features: -k .rsi,,macd.: empty name" err
'

test_expect_success '--from after --to: 64, said so, before any input (tm-cat, tm-train, tm-fetch)' '
	test_must_fail --status 64 tm-cat --from 2020-06-01 --to 2020-01-01 \
	    </dev/null 2>err &&
	grep "^tm-cat: --from 2020-06-01 is after --to 2020-01-01$" err &&
	test_must_fail --status 64 tm-train --algo dpg --seed 1 -o m \
	    --from 2021-01-01 --to 2020-01-01 </dev/null 2>err &&
	grep "^tm-train: --from 2021-01-01 is after --to 2020-01-01$" err &&
	test ! -e m &&
	test_must_fail --status 64 tm-fetch --from 2024-02-02 --to 2024-01-02 \
	    A 2>err &&
	grep "^tm-fetch: --from 2024-02-02 is after --to 2024-01-02$" err
'

# baddate TOOL OPT [ARG...]: TOOL OPT 2024-13-01 ARG... exits 64 with
# the one message every date option gives (edate).
baddate() {
	_t=$1 _o=$2; shift 2
	test_must_fail --status 64 "$_t" "$_o" 2024-13-01 "$@" </dev/null \
	    >/dev/null 2>err &&
	grep -x "$_t: $_o 2024-13-01: not a date (YYYY-MM-DD)" err
}

test_expect_success 'a bad date option: 64, one message in every tool' '
	baddate tm-cat --from &&
	baddate tm-cat --to &&
	baddate tm-features --from &&
	baddate tm-fetch --from A &&
	baddate tm-fetch --to A &&
	baddate tm-synth --start &&
	baddate tm-backtest --from --strategy buyhold -t A &&
	baddate tm-backtest --to --strategy buyhold -t A &&
	baddate tm-train --from --algo dpg --seed 1 -o m &&
	baddate tm-train --to --algo dpg --seed 1 -o m
'

test_done
