#!/bin/sh
# The reason a call failed comes from the call (tm_fail_status), not from
# a guess: a model that is missing or a directory is 66 with that said, a
# bad one 65, and a model that cannot be written for want of space is 74
# (an I/O error, as every other tool says), not 73.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a slot stream and a model' '
	tmt-slots -n 10 -a 2 -p 2 -d 40 -k 0.3 -s 3 >slots.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 5 -o model.tmt \
	    <slots.tmt
'

test_expect_success 'tm-infer -m DIR: 66, "Is a directory"' '
	mkdir dir &&
	test_must_fail --status 66 tm-infer -m dir <slots.tmt >out 2>err &&
	grep "dir: Is a directory" err && ! grep "read error" err
'

test_expect_success 'tm-infer -m missing: 66; not a model: 65' '
	test_must_fail --status 66 tm-infer -m nope.tmt <slots.tmt 2>err &&
	grep "nope.tmt: No such file" err &&
	test_must_fail --status 65 tm-infer -m slots.tmt <slots.tmt 2>err &&
	grep "not a model file" err
'

test_expect_success 'tm-infer -m a truncated model: 65 from the reader' '
	head -c 100 model.tmt >short.tmt &&
	test_must_fail --status 65 tm-infer -m short.tmt <slots.tmt 2>err &&
	grep "short.tmt: byte" err
'

test_expect_success 'tm-train --init DIR: 66; a bad stream on stdin: 65' '
	test_must_fail --status 66 tm-train -q --algo dpg --seed 1 \
	    --init dir -o m2.tmt <slots.tmt 2>err &&
	grep "dir: Is a directory" err &&
	printf "junk" >junk &&
	test_must_fail --status 65 tm-train -q --algo dpg --seed 1 \
	    -o m2.tmt <junk
'

test_expect_success 'tm-train: model folder missing: 73 (cannot create)' '
	test_must_fail --status 73 tm-train -q --algo dpg --seed 1 \
	    --epochs 1 --valid 5 -o no/such/m.tmt <slots.tmt 2>err &&
	grep "cannot create" err
'

# A full disk, for one process: a file size limit with SIGXFSZ ignored
# makes write(2) fail with EFBIG past the limit.
test_expect_success 'tm-train: no room for the model: 74, no file left' '
	mkdir full &&
	(trap "" XFSZ; ulimit -f 8 &&
	 exec tm-train -q --algo dpg --seed 1 --epochs 1 --valid 5 \
	    --hidden 64,64 -o full/m.tmt <slots.tmt) 2>err && rc=0 || rc=$? &&
	test $rc = 74 || { echo "exit $rc, want 74"; cat err; exit 1; } &&
	grep "write error" err &&
	test -z "$(ls -A full)"
'

test_done
