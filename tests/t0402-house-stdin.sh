#!/bin/sh
# '-' names stdin for every tool that reads files (tm-cat took it, now
# tm-features and tm-slotmap too), alone or among named files, and a
# directory named as an input is refused up front (66, said so), by every
# tool that opens its inputs through tm_open_read.
. "$(dirname "$0")/lib.sh"

test_expect_success 'fixture: a tm-synth price stream' '
	tm-synth -n 8 -y 1 --seed 3 -o syn >/dev/null &&
	cp syn/prices.tmt all.tmt && test -s all.tmt
'

test_expect_success 'tm-features -: the same bytes as from stdin' '
	tm-features <all.tmt >a.tmt &&
	tm-features - <all.tmt >b.tmt &&
	cmp a.tmt b.tmt && test -s a.tmt
'

test_expect_success 'tm-slotmap -: the same bytes as from stdin' '
	tm-slotmap -l 10,2,2 <all.tmt >a.tmt &&
	tm-slotmap -l 10,2,2 - <all.tmt >b.tmt &&
	cmp a.tmt b.tmt && test -s a.tmt
'

test_expect_success '- among named files: the files in turn, as one stream' '
	tm-cat --to 2015-06-30 all.tmt >h1.tmt &&
	tm-cat --from 2015-07-01 all.tmt >h2.tmt &&
	test -s h1.tmt && test -s h2.tmt &&
	tm-features <all.tmt >a.tmt &&
	tm-features h1.tmt - <h2.tmt >b.tmt &&
	cmp a.tmt b.tmt &&
	tm-slotmap -l 10,2,2 <all.tmt >a.tmt &&
	tm-slotmap -l 10,2,2 - h2.tmt <h1.tmt >b.tmt &&
	cmp a.tmt b.tmt
'

test_expect_success 'a missing file among several: 66, named (tm-features, tm-slotmap)' '
	test_must_fail --status 66 tm-features h1.tmt nope.tmt h2.tmt \
	    >/dev/null 2>err &&
	grep "^tm-features: nope.tmt: No such file or directory$" err &&
	test_must_fail --status 66 tm-slotmap -l 10,2,2 h1.tmt nope.tmt \
	    h2.tmt >/dev/null 2>err &&
	grep "^tm-slotmap: nope.tmt: No such file or directory$" err
'

test_expect_success 'a DIR as input: 66 "Is a directory", not a read error' '
	mkdir d &&
	test_must_fail --status 66 tm-features d <all.tmt >/dev/null 2>err &&
	grep "d: Is a directory" err &&
	test_must_fail --status 66 tm-slotmap d <all.tmt >/dev/null 2>err &&
	grep "d: Is a directory" err &&
	test_must_fail --status 66 tm-diff -s st --slots all.tmt d \
	    >/dev/null 2>err &&
	grep "d: Is a directory" err && ! grep "read error" err &&
	test_must_fail --status 66 tm-diff -s st --slots d all.tmt \
	    >/dev/null 2>err &&
	grep "d: Is a directory" err && test ! -e st/portfolio.json
'

test_expect_success 'a DIR as any input of tm-backtest or tm-report: 66, said so' '
	tmt-slots -n 5 -a 0 -p 0 -d 60 -k 0 -s 11 >slots.tmt &&
	test_must_fail --status 66 tm-backtest --strategy buyhold -t S00002 d \
	    >/dev/null 2>err &&
	grep "^tm-backtest: d: Is a directory$" err &&
	test_must_fail --status 66 tm-backtest -w d <slots.tmt >/dev/null 2>err &&
	grep "^tm-backtest: d: Is a directory$" err &&
	test_must_fail --status 66 tm-backtest --grid d -t S00002 <slots.tmt \
	    >/dev/null 2>err &&
	grep "^tm-backtest: d: Is a directory$" err &&
	test_must_fail --status 66 tm-backtest --dsr d >/dev/null 2>err &&
	grep "^tm-backtest: d: Is a directory$" err &&
	mkdir -p e/state e/log e/models &&
	test_must_fail --status 66 tm-report --recs d -s e/state -L e/log \
	    -M e/models >/dev/null 2>err &&
	grep "^tm-report: d: Is a directory$" err &&
	test_must_fail --status 66 tm-report -S d -s e/state -L e/log \
	    -M e/models >/dev/null 2>err &&
	grep "^tm-report: d: Is a directory$" err
'

test_expect_success 'a DIR as the input of tm-strategy or a part of tm-mail: 66' '
	test_must_fail --status 66 tm-strategy buyhold d >/dev/null 2>err &&
	grep "^tm-strategy: d: Is a directory$" err &&
	test_must_fail --status 66 tm-strategy fit -p epochs=1 -o m.tmt d \
	    2>err &&
	grep "^tm-strategy: d: Is a directory$" err && test ! -e m.tmt &&
	test_must_fail --status 66 tm-mail --print --from a@example.org --text d \
	    --subject x b@example.org </dev/null >/dev/null 2>err &&
	grep "^tm-mail: d: Is a directory$" err &&
	test_must_fail --status 66 tm-mail --print --from a@example.org -a d \
	    --subject x b@example.org </dev/null >/dev/null 2>err &&
	grep "^tm-mail: d: Is a directory$" err
'

test_expect_success 'tm-strategy -: the same bytes as from stdin' '
	tm-strategy buyhold <all.tmt >a.tmt &&
	tm-strategy buyhold - <all.tmt >b.tmt &&
	cmp a.tmt b.tmt && test -s a.tmt
'

test_done
