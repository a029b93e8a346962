#!/bin/sh
# tm-train learns a planted signal out of sample, and on pure noise
# claims no Sharpe it cannot have.  Scored on days tm-train never saw,
# by tests/tm_train_eval.py (numpy), not by the code under test.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
EVAL=$TOP/tests/tm_train_eval.py
[ -x "$PY" ] || test_skip_all 'needs /usr/bin/python3 with numpy'

# 100 slots x 400 days: train on the first 300 (63 of them validation),
# score the last 100 decisions.
test_expect_success 'setup' '
	tmt-slots -n 100 -d 400 -k 0.2 -s 11 >sig.tmt &&
	tmt-slots -n 100 -d 400 -k 0 -s 12 >noise.tmt &&
	$PY "$EVAL" --date sig.tmt 299 >to
'

learn() {
	algo=$1; shift
	test_expect_success "$algo beats equal weight out of sample" "
		tm-train -q --algo $algo --seed 1 --to \$(cat to) $* \
		    -o $algo.tmt <sig.tmt &&
		tm-infer -m $algo.tmt <sig.tmt >$algo.out &&
		$PY '$EVAL' sig.tmt $algo.out 298 >$algo.score &&
		cat $algo.score &&
		$PY -c \"
ms, es, mr, er = map(float, open('$algo.score').read().split())
assert mr > er + 0.02 and ms > es, (ms, es, mr, er)\"
	"
}
learn dpg
# Known failures, kept visible: with one scalar reward for 100 slots the
# Gaussian-logit actor-critics do not find the signal in this budget.
# Run with TM_TEST_RL=1 to try them.
if [ "${TM_TEST_RL:-}" = 1 ]; then
	learn a2c --epochs 40 --patience 10
	learn ppo --epochs 40 --patience 10
	learn sac --epochs 10
else
	for a in a2c ppo sac; do
		test_skip "$a beats equal weight out of sample" \
		    'known failure, see tm-train(1) BUGS; TM_TEST_RL=1 runs it'
	done
fi

test_expect_success 'on noise, dpg claims no edge out of sample' '
	tm-train -q --algo dpg --seed 1 --to $(cat to) -o n.tmt <noise.tmt &&
	tm-infer -m n.tmt <noise.tmt >n.out &&
	$PY "$EVAL" noise.tmt n.out 298 >n.score && cat n.score &&
	$PY -c "
ms, es, mr, er = map(float, open(\"n.score\").read().split())
assert abs(ms - es) < 2.0 and abs(mr - er) < 0.05, (ms, es, mr, er)
assert abs(ms) < 4, ms"
'

test_expect_success 'on noise, the validation figures stay sane' '
	$PY - <<-PYEOF
	exec(open("$EVAL").read().split("if sys.argv[1] ==")[0])
	met = list(frames("n.tmt"))[2][1]
	# 63 days of noise: an annualised Sharpe beyond +-6 would be a bug
	assert (abs(met[:, 2]) < 6).all(), met[:, 2]
	assert np.isfinite(met).all()
	PYEOF
'
test_done
