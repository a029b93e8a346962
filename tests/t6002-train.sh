#!/bin/sh
# tm-train: the model file, reproducibility, warm start, reconstitution,
# honest validation figures, refusals.
. "$(dirname "$0")/lib.sh"

test_need_numpy
EVAL=$TOP/tests/helpers/tm_train_eval.py

test_expect_success 'setup' '
	tmt-slots -n 60 -d 200 -k 0.2 -s 5 >slots.tmt
'

test_expect_success 'dpg: same seed and input give the same bytes' '
	tm-train -q --algo dpg --seed 4 --epochs 4 -o a.tmt <slots.tmt &&
	tm-train -q --algo dpg --seed 4 --epochs 4 -o b.tmt <slots.tmt &&
	cmp a.tmt b.tmt &&
	tm-train -q --algo dpg --seed 5 --epochs 4 -o c.tmt <slots.tmt &&
	! cmp -s a.tmt c.tmt
'

for algo in ppo a2c sac; do
	test_expect_success "$algo: same seed and input give the same bytes" "
		tm-train -q --algo $algo --seed 4 --epochs 2 -o a-$algo.tmt \
		    <slots.tmt &&
		tm-train -q --algo $algo --seed 4 --epochs 2 -o b-$algo.tmt \
		    <slots.tmt &&
		cmp a-$algo.tmt b-$algo.tmt
	"
done

test_expect_success 'the model file describes itself' '
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	import json
	fr = list(frames("a.tmt"))
	kinds = [h["meta"]["kind"] for h, _ in fr]
	assert kinds == ["tm-model", "tm-model-norm", "tm-model-metrics"], kinds
	m = fr[0][0]["meta"]
	assert m["algo"] == "dpg" and m["arch"] == "shared" and m["layout"] == "synth"
	assert len(m["version"]) == 16
	hy = json.loads(m["hyper"]); assert hy["seed"] == 4 and hy["cost"] == 0.001
	assert fr[1][0]["labels"]["feature"] == ["f0", "f1", "f2", "f3", "ret", "new", "tenure"]
	assert fr[2][1].shape == (4, 4)
	assert m["from"] == fr[0][0]["coords"]["date"] == m["to"] or m["from"] < m["to"]
	# the policy size does not depend on the number of slots
	assert fr[0][1].size < 2000, fr[0][1].size
	PYEOF
'

test_expect_success 'the model size does not depend on the slots' '
	tmt-slots -n 200 -d 40 -s 5 >big.tmt &&
	tm-train -q --algo dpg --seed 4 --epochs 1 --valid 0 -o big-m.tmt \
	    <big.tmt &&
	tm-train -q --algo dpg --seed 4 --epochs 1 --valid 0 -o small-m.tmt \
	    <slots.tmt &&
	test "$(wc -c <big-m.tmt)" = "$(wc -c <small-m.tmt)"
'

test_expect_success 'reported validation figures match an independent run' '
	first=$($PY "$EVAL" --date slots.tmt 135) &&
	tm-cat --from "$first" slots.tmt >tail.tmt &&
	tm-infer -m a.tmt <tail.tmt >tail-out.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	fr = list(frames("a.tmt"))
	met = fr[2][1]; best = met[:, 1].argmax()
	slots = [a for _, a in frames("tail.tmt")]
	f = list(frames("tail.tmt"))[0][0]["labels"]["feature"]
	ret = np.array([a[:, f.index("ret")] for a in slots], dtype=float)
	reg = np.array([a[:, f.index("region")] for a in slots])
	W = np.array([o[:, 0] for _, o in frames("tail-out.tmt")], dtype=float)
	sh, r = run(ret, reg, W, 0, 0.001)
	assert len(slots) == 65
	assert abs(sh - met[best, 2]) < 1e-3 and abs(r - met[best, 3]) < 1e-5, (sh, r, met[best])
	PYEOF
'

test_expect_success '--init warm-starts from a model' '
	tm-train -q --algo dpg --seed 4 --epochs 1 --init a.tmt -o warm.tmt \
	    <slots.tmt &&
	tm-infer -m warm.tmt <slots.tmt >/dev/null &&
	! cmp -s warm.tmt a.tmt
'

test_expect_success '--init-noise: dpg seeds differ from one warm start, 0 is the exact one' '
	for s in 4 5; do
		tm-train -q --algo dpg --seed $s --epochs 1 --init a.tmt \
		    -o w$s.tmt <slots.tmt &&
		tm-train -q --algo dpg --seed $s --epochs 1 --init a.tmt \
		    --init-noise 0.1 -o n$s.tmt <slots.tmt &&
		tm-train -q --algo dpg --seed $s --epochs 1 --init a.tmt \
		    --init-noise 0 -o z$s.tmt <slots.tmt || return 1
	done &&
	cmp z4.tmt w4.tmt &&
	for m in w4 w5 n4 n5; do model_digest $m.tmt >$m.w || return 1; done &&
	test_cmp w4.w w5.w &&
	! cmp -s n4.w n5.w && ! cmp -s n4.w w4.w &&
	tm-infer -m n4.tmt <slots.tmt >/dev/null &&
	test_must_fail --status 64 tm-train --algo dpg --seed 1 \
	    --init-noise 0.1 -o x.tmt <slots.tmt 2>err &&
	grep -q "^tm-train: --init-noise: no --init model to perturb$" err &&
	test_must_fail --status 64 tm-train --algo dpg --seed 1 --init a.tmt \
	    --init-noise -1 -o x.tmt <slots.tmt
'

test_expect_success 'reconstitution and archives do not break an episode' '
	tmt-slots -n 50 -a 8 -p 6 -d 150 -r 5 -s 6 >recon.tmt &&
	tm-train -q --algo dpg --seed 1 --epochs 3 -o recon-m.tmt <recon.tmt &&
	tm-infer -m recon-m.tmt <recon.tmt >recon-out.tmt &&
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	outs = list(frames("recon-out.tmt"))
	prev = None
	for h, o in outs:
	    assert np.isfinite(o).all()
	    assert abs(o[:, 0].sum() + h["coords"]["cash"] - 1) < 1e-5
	    prev = h
	PYEOF
'

test_expect_success '--steps counts days; progress goes to stderr' '
	tm-train --algo dpg --seed 1 --steps 200 -o s.tmt <slots.tmt 2>err &&
	grep -c "epoch [0-9]*: train" err >n && test "$(cat n)" = 2
'

test_expect_success 'refusals: usage 64, short input 65, missing init 66' '
	test_must_fail --status 64 tm-train --algo dpg -o x.tmt <slots.tmt &&
	test_must_fail --status 64 tm-train --algo xyz --seed 1 -o x.tmt \
	    <slots.tmt &&
	test_must_fail --status 64 tm-train --algo dpg --seed 1 --epochs 2 \
	    --steps 5 -o x.tmt <slots.tmt &&
	tmt-slots -n 5 -d 30 >short.tmt &&
	test_must_fail --status 65 tm-train --algo dpg --seed 1 -o x.tmt \
	    <short.tmt &&
	test_must_fail --status 66 tm-train --algo dpg --seed 1 --init no.tmt \
	    -o x.tmt <slots.tmt &&
	test_must_fail --status 73 tm-train --algo dpg --seed 1 --epochs 1 \
	    -o nodir/x.tmt <slots.tmt &&
	test ! -e x.tmt
'
test_done
