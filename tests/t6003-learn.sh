#!/bin/sh
# tm-train learns a planted signal out of sample with every algorithm,
# and on pure noise claims no Sharpe it cannot have.  Scored on days
# tm-train never saw, by tests/helpers/tm_train_eval.py (numpy), not by the code
# under test.
. "$(dirname "$0")/lib.sh"

test_need_numpy
EVAL=$TOP/tests/helpers/tm_train_eval.py

# 100 slots x 400 days: train on the first 300 (63 of them validation),
# score the last 100 decisions.
test_expect_success 'setup' '
	tmt-slots -n 100 -d 400 -k 0.2 -s 11 >sig.tmt &&
	tmt-slots -n 100 -d 400 -k 0 -s 12 >noise.tmt &&
	$PY "$EVAL" --date sig.tmt 299 >to
'

# The bar: 2 points of return over equal weight's in 100 days, and a
# better Sharpe.  The untrained policy (below) falls short of it.
bar() {
	$PY -c "
ms, es, mr, er = map(float, open('$1').read().split())
assert mr > er + 0.02 and ms > es, (ms, es, mr, er)"
}

score() {
	tm-infer -m "$1.tmt" <"$2" >"$1.out" &&
	$PY "$EVAL" "$2" "$1.out" 298 >"$1.score" &&
	cat "$1.score"
}

learn() {
	algo=$1; shift
	test_expect_success "$algo beats equal weight out of sample" "
		tm-train -q --algo $algo --seed 1 --to \$(cat to) $* \
		    -o $algo.tmt <sig.tmt &&
		score $algo sig.tmt && bar $algo.score
	"
}
learn dpg
learn a2c --epochs 20
learn ppo
learn sac --epochs 8

# A negative control: the same run without learning (step 1e-9) must not
# pass the bar, or the bar proves nothing.
test_expect_success 'an untrained policy does not pass the bar' '
	tm-train -q --algo a2c --seed 1 --to $(cat to) --epochs 1 --lr 1e-9 \
	    -o still.tmt <sig.tmt &&
	score still sig.tmt && ! bar still.score 2>/dev/null
'

# On noise no algorithm may show an edge: out of sample no Sharpe 2 or
# return 5 points above equal weight's (dpg, which has no noise of its
# own, not that far below either: the sampling trainers' draws may lead
# them to a costlier, more concentrated book, which is no claim), and
# no validation Sharpe in the model beyond what 63 days of noise give.
noise() {
	algo=$1; shift
	test_expect_success "on noise, $algo claims no edge out of sample" "
		tm-train -q --algo $algo --seed 1 --to \$(cat to) $* \
		    -o n-$algo.tmt <noise.tmt &&
		score n-$algo noise.tmt &&
		$PY -c \"
ms, es, mr, er = map(float, open('n-$algo.score').read().split())
assert ms - es < 2.0 and mr - er < 0.05, (ms, es, mr, er)
if '$algo' == 'dpg':
    assert es - ms < 2.0 and er - mr < 0.05, (ms, es, mr, er)
assert abs(ms) < 4, ms\" &&
		$PY - <<-PYEOF
		exec(open('$EVAL').read().split('if sys.argv[1] ==')[0])
		met = list(frames('n-$algo.tmt'))[2][1]
		# 63 days of noise: an annualised Sharpe beyond +-6 is a bug
		assert (abs(met[:, 2]) < 6).all(), met[:, 2]
		assert np.isfinite(met).all()
		PYEOF
	"
}
noise dpg
noise a2c --epochs 20
noise ppo
noise sac --epochs 8
test_done
