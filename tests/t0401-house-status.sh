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

# remodel IN OUT PYTHON: the model IN written again as OUT (tmt_np.py)
# after PYTHON has edited fr, its list of (header, array) frames.
remodel() {
	/usr/bin/python3 - "$@" <<-'PYEOF'
	import sys
	import tmt_np
	fr = list(tmt_np.frames(open(sys.argv[1], "rb")))
	exec(sys.argv[3])
	w = tmt_np.Writer(open(sys.argv[2], "wb"))
	for h, a in fr:
	    w.frame(a, h["axes"], h.get("labels"), h.get("coords"),
	            h.get("meta") or None, h["encoding"])
	w.end()
	PYEOF
}

# A model's sizes are its header's word: a flat model claiming 10^6 slots
# of 10^5 features overflowed the scorer's int width (UBSan), and one
# claiming 4096,4096 hidden over 20000 features asked calloc for 6 TB
# (71) before the payload was compared with them.
test_expect_success 'tm-infer -m a model whose sizes are absurd: 65, nothing allocated' '
	tm-train -q --algo dpg --seed 1 --epochs 1 --valid 5 --arch flat \
	    -o flat.tmt <slots.tmt &&
	for e in "flat_slots=\"1000000\", nfeat=\"100000\"" \
	    "flat_slots=\"10000\", nfeat=\"20000\", hidden=\"4096,4096\"" \
	    "arch=\"shared\", nfeat=\"100000\", hidden=\"4096,4096\""; do
		remodel flat.tmt bad.tmt "fr[0][0][\"meta\"].update($e)" &&
		test_must_fail --status 65 tm-infer -m bad.tmt <slots.tmt \
		    >/dev/null 2>err &&
		grep "bad.tmt: not a model file: policy frame size" err ||
		{ echo "$e:"; cat err; return 1; }
	done
'

# A second policy or norm frame was taken over the first, which leaked
# (99 under the sanitizers): a model has one of each.
test_expect_success 'tm-infer -m a model with a frame twice: 65, named' '
	remodel model.tmt twice.tmt "fr.insert(1, fr[0])" &&
	test_must_fail --status 65 tm-infer -m twice.tmt <slots.tmt \
	    >/dev/null 2>err &&
	grep "twice.tmt: not a model file: a second policy frame" err &&
	remodel model.tmt norm2.tmt "fr.insert(2, fr[1])" &&
	test_must_fail --status 65 tm-infer -m norm2.tmt <slots.tmt \
	    >/dev/null 2>err &&
	grep "norm2.tmt: not a model file: a second norm frame" err
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
